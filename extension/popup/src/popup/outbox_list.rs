//! The outbox as the recruiter sees it: each capture with its state; delivered ones link to the
//! person in Greenhouse, failed ones say why and offer retry, edit or discard. The popup shows the
//! newest few; the options page, which follows the same pushes, lists them all.

use super::{App, web_link};
use crate::background;
use crate::browser;
use crate::i18n::{t, t_args};
use crate::reasons;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sprout::outbox::{ItemState, OutboxItem};
use sprout::protocol::{BackgroundPush, OUTBOX_PORT};
use sprout::request::Unanswered;
use sprout_webext::{from_js, runtime};
use std::cell::Cell;
use std::rc::Rc;

/// How many captures the popup shows; the options page lists them all.
pub(crate) const RECENT: usize = 3;

/// The newest `limit` items (all without a limit), newest first, as both lists show them. The
/// background lists items in key order ("o10" before "o9"); `seq` is their order in time (a
/// retried item moves to the end, so it shows again among the newest).
pub(crate) fn newest_first(items: &[OutboxItem], limit: Option<usize>) -> Vec<OutboxItem> {
    let mut sorted: Vec<&OutboxItem> = items.iter().collect();
    sorted.sort_by_key(|item| std::cmp::Reverse(item.seq));
    sorted
        .into_iter()
        .take(limit.unwrap_or(usize::MAX))
        .cloned()
        .collect()
}

/// Follows the outbox through a port the background pushes it down: once when it opens, then
/// after every change. A stopping worker closes the port; a new one wakes it and brings the
/// outbox as it is then, so nothing is missed. With `on_closed`, the caller decides when to open
/// a new one instead (the options page, which may stay open for hours, does not wake a stopped
/// worker by itself).
pub(crate) fn follow(on_items: Rc<dyn Fn(Vec<OutboxItem>)>, on_closed: Option<Rc<dyn Fn()>>) {
    let port = match runtime::connect(OUTBOX_PORT) {
        Ok(port) => port,
        Err(e) => return leptos::logging::error!("sprout: no outbox port: {e}"),
    };
    let heard = Rc::new(Cell::new(false));
    let heard_here = heard.clone();
    let take = on_items.clone();
    port.on_each_message(move |message| match from_js::<BackgroundPush>(message) {
        Ok(BackgroundPush::Outbox { items }) => {
            heard_here.set(true);
            take(items);
        }
        Err(e) => leptos::logging::warn!("sprout: unreadable outbox push: {e}"),
    });
    port.on_closed(move || {
        if let Some(on_closed) = &on_closed {
            return on_closed();
        }
        let on_items = on_items.clone();
        let heard = heard.clone();
        spawn_local(async move {
            // A port closed before it brought anything was refused or hit a broken worker:
            // knock again after a pause rather than at once, over and over.
            if !heard.get() {
                browser::sleep(1000).await;
            }
            follow(on_items, None);
        });
    });
}

/// Retry or discard; the answer is the outbox (or the retried item), which the background
/// also pushes, and the list shows what is pushed.
fn act_on_item<A>(
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

/// What an item's view needs from the page showing it.
#[derive(Clone, Copy)]
pub(crate) struct ItemContext {
    /// Greenhouse's search for a person, on the connection the item went to.
    pub search_link: Callback<(String, String), Option<String>>,
    /// Loads a failed item into the form; only the popup has one.
    pub edit: Option<Callback<OutboxItem>>,
}

/// The popup's outbox: the newest few, and a link to all of them in the options page.
#[component]
pub(crate) fn OutboxList() -> impl IntoView {
    let app = expect_context::<App>();
    let context = ItemContext {
        search_link: Callback::new(move |(connection_id, name): (String, String)| {
            app.connection(&connection_id).map(|c| c.search_link(&name))
        }),
        edit: Some(Callback::new(move |item: OutboxItem| app.edit_item(&item))),
    };
    let total = move || app.outbox.with(Vec::len);
    view! {
        <section class="outbox" aria-labelledby="outbox-heading">
            <h2 id="outbox-heading">{t("outbox")}</h2>
            <OutboxItems items=app.outbox.into() limit=Some(RECENT) context />
            <Show when=move || { total() > 0 }>
                <p class="outbox-all">
                    <a href="options.html#outbox" target="_blank" data-testid="outbox-all">
                        {move || t_args("outboxAll", &[&total().to_string()])}
                    </a>
                </p>
            </Show>
        </section>
    }
}

/// The items, newest first, with what can be done to each.
#[component]
pub(crate) fn OutboxItems(
    items: Signal<Vec<OutboxItem>>,
    limit: Option<usize>,
    context: ItemContext,
) -> impl IntoView {
    let notice = RwSignal::new(None::<String>);
    view! {
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
        <ul class="outbox-items" data-testid="outbox">
            {move || {
                let shown = items.with(|items| newest_first(items, limit));
                if shown.is_empty() {
                    return view! { <li class="muted">{t("outboxEmpty")}</li> }.into_any();
                }
                shown.into_iter().map(|item| item_view(context, item, notice)).collect_view().into_any()
            }}
        </ul>
    }
}

fn item_view(context: ItemContext, item: OutboxItem, notice: RwSignal<Option<String>>) -> impl IntoView {
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
            let search = context
                .search_link
                .run((item.capture.connection_id.clone(), item.capture.display_name()))
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
                        on:click=move |_| { act_on_item(background::discard_item(closed_id.clone()), notice) }
                    >
                        {t("itIsInGreenhouse")}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        data-testid=format!("send-again-{id}")
                        on:click=move |_| {
                            act_on_item(background::retry_item(resend_id.clone(), None), notice)
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
                            act_on_item(background::retry_item(retry_id.clone(), None), notice)
                        }
                    >
                        {t("retry")}
                    </button>
                    {context
                        .edit
                        .map(|edit| {
                            view! {
                                <button
                                    type="button"
                                    class="secondary"
                                    data-testid=format!("edit-{id}")
                                    on:click=move |_| edit.run(edited.clone())
                                >
                                    {t("edit")}
                                </button>
                            }
                        })}
                    <button
                        type="button"
                        class="secondary"
                        data-testid=format!("discard-{id}")
                        on:click=move |_| {
                            act_on_item(background::discard_item(discard_id.clone()), notice)
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

#[cfg(test)]
mod tests {
    use super::*;
    use sprout::capture::{Capture, Target};

    fn item(seq: u64) -> OutboxItem {
        let capture = Capture {
            connection_id: "c".into(),
            person: Default::default(),
            target: Target::Job {
                job_id: 1,
                source_id: None,
                referrer_email: None,
                referrer_name: None,
            },
            target_label: String::new(),
            page_url: String::new(),
            beside: Vec::new(),
            note: String::new(),
            audit: String::new(),
        };
        OutboxItem {
            id: format!("o{seq}"),
            seq,
            capture,
            state: ItemState::Queued {
                not_before_ms: 0,
                note: None,
            },
            queued_at_ms: 0,
            attempts: 0,
            before_send: Default::default(),
        }
    }

    #[test]
    fn the_popup_shows_the_newest_few_and_the_options_page_all_newest_first() {
        // In the background's key order, which is not the order in time.
        let items: Vec<OutboxItem> = [1, 10, 11, 2, 9].into_iter().map(item).collect();
        let ids = |shown: Vec<OutboxItem>| shown.into_iter().map(|i| i.id).collect::<Vec<_>>();
        assert_eq!(ids(newest_first(&items, Some(RECENT))), ["o11", "o10", "o9"]);
        assert_eq!(ids(newest_first(&items, None)), ["o11", "o10", "o9", "o2", "o1"]);
        assert_eq!(ids(newest_first(&items[..2], Some(RECENT))), ["o10", "o1"]);
    }
}
