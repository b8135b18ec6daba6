//! The job's tracking link for outreach: asked of Greenhouse on demand, shown and copied; hidden
//! with a sentence saying why when the recruiter's role may not create one.

use super::{App, web_link};
use crate::background;
use crate::browser;
use crate::i18n::t;
use crate::reasons;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sprout::protocol::Ability;
use sprout::request::{NewTrackingLink, Unanswered};

#[derive(Clone, Debug, PartialEq)]
enum LinkState {
    Idle,
    Asking,
    Got { url: String, copied: bool },
    Failed(String),
}

#[component]
pub(crate) fn TrackingLinkButton() -> impl IntoView {
    let app = expect_context::<App>();
    let state = RwSignal::new(LinkState::Idle);
    // A different job needs its own link.
    Effect::new(move |_| {
        app.target.job.track();
        state.set(LinkState::Idle);
    });
    let ask = move |_| {
        let (Some(connection_id), Some(job_id)) = (app.active_connection(), app.target.job.get_untracked())
        else {
            return;
        };
        state.set(LinkState::Asking);
        spawn_local(async move {
            let answer = background::tracking_link(connection_id.clone(), job_id).await;
            state.set(match answer {
                Ok(NewTrackingLink { url, .. }) => {
                    let copied = browser::copy_to_clipboard(&url).await.is_ok();
                    LinkState::Got { url, copied }
                }
                Err(Unanswered::Failed(reason)) => {
                    // A 403 teaches the background that the role may not: learn it too.
                    app.load_defaults(Some(connection_id));
                    LinkState::Failed(reasons::reason(&reason))
                }
                Err(why) => LinkState::Failed(background::why(&why)),
            });
        });
    };
    let not_allowed = move || app.catalog.with(|c| c.tracking_links == Ability::NotAllowed);
    view! {
        <Show
            when=move || !not_allowed()
            fallback=|| {
                view! {
                    <p class="muted" data-testid="tracking-link-unavailable">
                        {t("trackingLinkNotAllowed")}
                    </p>
                }
            }
        >
            <div class="tracking-link">
                <button
                    type="button"
                    class="secondary"
                    data-testid="tracking-link"
                    disabled=move || app.target.job.get().is_none() || state.get() == LinkState::Asking
                    on:click=ask
                >
                    {t("trackingLink")}
                </button>
                <div role="status">
                    {move || match state.get() {
                        LinkState::Idle => ().into_any(),
                        LinkState::Asking => {
                            view! { <span class="muted">{t("trackingLinkAsking")}</span> }.into_any()
                        }
                        LinkState::Got { url, copied } => {
                            let note = t(
                                if copied { "trackingLinkCopied" } else { "trackingLinkCopyByHand" },
                            );
                            let link = match web_link(&url) {
                                Some(href) => {
                                    view! {
                                        <a
                                            data-testid="tracking-link-url"
                                            href=href
                                            target="_blank"
                                            rel="noopener"
                                        >
                                            {url}
                                        </a>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! { <span data-testid="tracking-link-url">{url}</span> }.into_any()
                                }
                            };
                            view! { <p>{link}" "<span class="muted">{note}</span></p> }.into_any()
                        }
                        LinkState::Failed(message) => view! { <p class="error">{message}</p> }.into_any(),
                    }}
                </div>
            </div>
        </Show>
    }
}
