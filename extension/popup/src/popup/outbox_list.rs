//! The outbox as the recruiter sees it: each capture with its state; delivered ones link to the
//! person in Greenhouse, failed ones say why and offer retry, edit or discard.

use super::{App, web_link};
use crate::background;
use crate::i18n::{t, t_args};
use crate::reasons;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sprout::outbox::{ItemState, OutboxItem};
use sprout::request::Unanswered;

impl App {
    /// Retry or discard; the answer is the outbox (or the retried item), which the background
    /// also pushes, and the list shows what is pushed.
    fn act_on_item<A>(
        self,
        acting: impl Future<Output = Result<A, Unanswered>> + 'static,
        notice: RwSignal<Option<String>>,
    ) {
        notice.set(None);
        spawn_local(async move {
            if let Err(why) = acting.await {
                notice.set(Some(background::why(&why)));
            }
        });
    }
}

#[component]
pub(crate) fn OutboxList() -> impl IntoView {
    let app = expect_context::<App>();
    let notice = RwSignal::new(None::<String>);
    view! {
        <section class="outbox" aria-labelledby="outbox-heading">
            <h2 id="outbox-heading">{t("outbox")}</h2>
            {move || {
                notice
                    .get()
                    .map(|m| {
                        view! {
                            <p class="error" role="alert">
                                {m}
                            </p>
                        }
                    })
            }}
            <ul data-testid="outbox">
                {move || {
                    let items = app.outbox.get();
                    if items.is_empty() {
                        return view! { <li class="muted">{t("outboxEmpty")}</li> }.into_any();
                    }
                    items.into_iter().rev().map(|item| item_view(app, item, notice)).collect_view().into_any()
                }}
            </ul>
        </section>
    }
}

fn item_view(app: App, item: OutboxItem, notice: RwSignal<Option<String>>) -> impl IntoView {
    let id = item.id.clone();
    let (state, words) = match &item.state {
        ItemState::Queued { note: None, .. } => ("queued", t("stateQueued")),
        ItemState::Queued { note: Some(note), .. } => {
            ("queued", t_args("stateQueuedNote", &[&reasons::waiting(note)]))
        }
        ItemState::Sending { .. } => ("sending", t("stateSending")),
        ItemState::Delivered { .. } => ("delivered", t("stateDelivered")),
        ItemState::Failed { .. } => ("failed", t("stateFailed")),
    };
    let details = match item.state.clone() {
        ItemState::Delivered {
            link, also_stored, ..
        } => {
            let twice = (!also_stored.is_empty()).then(|| {
                let ids = also_stored
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                view! {
                    <p class="error" role="alert" data-testid=format!("outbox-twice-{id}")>
                        {t_args("alsoStored", &[&ids])}
                    </p>
                }
            });
            let open = web_link(&link).map(|href| {
                view! {
                    <a data-testid=format!("outbox-link-{id}") href=href target="_blank" rel="noopener">
                        {t("openInGreenhouse")}
                    </a>
                }
            });
            view! {
                {open}
                {twice}
            }
            .into_any()
        }
        ItemState::Failed {
            outcome_unknown: true,
            problem,
            ..
        } => {
            let (message, _) = reasons::problem(&problem);
            // Only the recruiter can tell whether it landed: Greenhouse cannot be asked.
            let (resend_id, closed_id) = (id.clone(), id.clone());
            let search = app
                .connection(&item.capture.connection_id)
                .map(|c| c.search_link(&item.capture.display_name()))
                .and_then(|l| web_link(&l));
            view! {
                <p class="error" data-testid=format!("outcome-unknown-{id}")>
                    {message}
                </p>
                <p class="muted">{t("outcomeUnknownHelp")}</p>
                {search
                    .map(|href| {
                        view! {
                            <a
                                data-testid=format!("outbox-search-{id}")
                                href=href
                                target="_blank"
                                rel="noopener"
                            >
                                {t("searchGreenhouse")}
                            </a>
                        }
                    })}
                <div class="actions">
                    <button
                        type="button"
                        data-testid=format!("it-is-there-{id}")
                        on:click=move |_| {
                            app.act_on_item(background::discard_item(closed_id.clone()), notice)
                        }
                    >
                        {t("itIsInGreenhouse")}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        data-testid=format!("send-again-{id}")
                        on:click=move |_| {
                            app.act_on_item(background::retry_item(resend_id.clone(), None), notice)
                        }
                    >
                        {t("sendAgain")}
                    </button>
                </div>
            }
            .into_any()
        }
        ItemState::Failed { problem, fields, .. } => {
            let (message, next_step) = reasons::problem(&problem);
            let (retry_id, discard_id) = (id.clone(), id.clone());
            let edited = item.clone();
            view! {
                <p class="error">{message}</p>
                {(!fields.is_empty())
                    .then(|| {
                        view! {
                            <ul class="field-errors">
                                {fields
                                    .into_iter()
                                    .map(|f| {
                                        let text = match f.field {
                                            Some(field) => format!("{field}: {}", f.message),
                                            None => f.message,
                                        };
                                        view! { <li>{text}</li> }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })}
                <p class="muted">{next_step}</p>
                <div class="actions">
                    <button
                        type="button"
                        data-testid=format!("retry-{id}")
                        on:click=move |_| {
                            app.act_on_item(background::retry_item(retry_id.clone(), None), notice)
                        }
                    >
                        {t("retry")}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        data-testid=format!("edit-{id}")
                        on:click=move |_| app.edit_item(&edited)
                    >
                        {t("edit")}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        data-testid=format!("discard-{id}")
                        on:click=move |_| {
                            app.act_on_item(background::discard_item(discard_id.clone()), notice)
                        }
                    >
                        {t("discard")}
                    </button>
                </div>
            }
            .into_any()
        }
        _ => ().into_any(),
    };
    view! {
        <li class="item" data-testid=format!("outbox-item-{}", item.id) data-state=state>
            <p>
                <strong>{item.capture.display_name()}</strong>
                " → "
                {item.capture.target_label.clone()}
            </p>
            <p class="muted">{words}</p>
            {details}
        </li>
    }
}
