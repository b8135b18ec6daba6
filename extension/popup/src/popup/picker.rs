//! The type-ahead combobox for jobs and pools (WAI-ARIA combobox with a listbox popup): the
//! search runs over an index built once per catalog, renders at most 50 options, and is driven
//! from the keyboard (arrows move the active option, Enter picks, Esc closes).

use super::App;
use crate::browser;
use crate::i18n::{t, t_args};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::{spawn_local, tick};
use sprout::catalog::Matches;

/// At most this many options are in the DOM: enough to scan, few enough to stay instant.
const SHOWN: usize = 50;

/// One option as the picker shows it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Choice {
    pub id: u64,
    pub label: String,
    pub detail: String,
    /// A job with a live job post.
    pub public: bool,
}

/// Which list a picker searches.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Job,
    Pool,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Job => "job",
            Kind::Pool => "pool",
        }
    }

    fn search(self, app: App, query: &str) -> (Vec<Choice>, usize) {
        app.lists.with_value(|lists| {
            let (matches, choice): (Matches, &dyn Fn(usize) -> Choice) = match self {
                Kind::Job => (lists.job_index.search(query, SHOWN), &|i| {
                    let job = &lists.jobs[i];
                    Choice {
                        id: job.id,
                        label: job.label(),
                        detail: job.detail.clone(),
                        public: job.public == Some(true),
                    }
                }),
                Kind::Pool => (lists.pool_index.search(query, SHOWN), &|i| {
                    let pool = &lists.pools[i];
                    Choice {
                        id: pool.id,
                        label: pool.name.clone(),
                        detail: String::new(),
                        public: false,
                    }
                }),
            };
            (
                matches.indices.iter().map(|&i| choice(i)).collect(),
                matches.total,
            )
        })
    }
}

/// The combobox; `chosen` holds the picked id, `chosen_label` says it in words.
#[component]
pub(crate) fn Picker(
    kind: Kind,
    label: String,
    chosen: RwSignal<Option<u64>>,
    #[prop(into)] chosen_label: Signal<Option<String>>,
    #[prop(into)] on_pick: Callback<u64>,
) -> impl IntoView {
    let app = expect_context::<App>();
    let name = kind.name();
    let input_id = format!("{name}-search");
    let list_id = format!("{name}-list");
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let matches = Memo::new(move |_| {
        app.lists_changed.track();
        query.with(|q| kind.search(app, q))
    });
    let option_id = move |id: u64| format!("{name}-option-{id}");
    let pick = move |id: u64| {
        chosen.set(Some(id));
        on_pick.run(id);
        query.set(String::new());
        open.set(false);
        active.set(None);
    };
    let on_input = move |ev| {
        let started = browser::now();
        query.set(event_target_value(&ev));
        open.set(true);
        active.set(None);
        let measure_name = "sprout:filter";
        spawn_local(async move {
            tick().await;
            browser::measure_since(measure_name, started);
        });
    };
    let on_keydown = move |ev: KeyboardEvent| {
        let count = matches.with(|(shown, _)| shown.len());
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" if count > 0 => {
                ev.prevent_default();
                let down = ev.key() == "ArrowDown";
                if !open.get_untracked() {
                    open.set(true);
                    active.set(Some(if down { 0 } else { count - 1 }));
                    return;
                }
                active.update(|a| {
                    *a = Some(match (*a, down) {
                        (None, true) => 0,
                        (None, false) => count - 1,
                        (Some(i), true) => (i + 1).min(count - 1),
                        (Some(i), false) => i.saturating_sub(1),
                    })
                });
            }
            "Enter" if open.get_untracked() => {
                // Picks; the form is not submitted while the list is open.
                ev.prevent_default();
                let at = active.get_untracked().unwrap_or(0);
                if let Some(id) = matches.with(|(shown, _)| shown.get(at).map(|c| c.id)) {
                    pick(id);
                }
            }
            "Escape" if open.get_untracked() => {
                // Closes the list only; the popup-wide Esc sees the prevented default and stays.
                ev.prevent_default();
                open.set(false);
                active.set(None);
            }
            "Tab" => open.set(false),
            _ => {}
        }
    };
    let active_descendant = move || {
        let at = active.get()?;
        open.get()
            .then(|| matches.with(|(shown, _)| shown.get(at).map(|c| option_id(c.id))))
            .flatten()
    };
    // The form never waits for the catalog: the picker says it is coming, and what is typed
    // meanwhile is searched as soon as it is here.
    let loading = move || {
        let nowhere_to_load_from = app.connections.with(|c| match c {
            Some(Ok(c)) => c.active().is_none(),
            Some(Err(_)) => true,
            None => false,
        });
        !nowhere_to_load_from && app.catalog.with(|c| !c.loaded && c.error.is_none())
    };
    let loading_words = t(match kind {
        Kind::Job => "catalogLoadingJobs",
        Kind::Pool => "catalogLoadingPools",
    });
    let placeholder = {
        let (searching, loading_words) = (
            t(match kind {
                Kind::Job => "jobSearchPlaceholder",
                Kind::Pool => "poolSearchPlaceholder",
            }),
            loading_words.clone(),
        );
        move || {
            if loading() {
                loading_words.clone()
            } else {
                searching.clone()
            }
        }
    };
    view! {
        <div class="field combobox">
            <label for=input_id.clone()>{label}</label>
            <input
                id=input_id.clone()
                data-testid=input_id.clone()
                type="text"
                role="combobox"
                autocomplete="off"
                aria-autocomplete="list"
                aria-controls=list_id.clone()
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-activedescendant=active_descendant
                aria-invalid=move || app.error_for(&format!("{name}-search")).map(|_| "true")
                aria-describedby=format!("{name}-chosen")
                placeholder=placeholder
                prop:value=move || query.get()
                on:input=on_input
                on:keydown=on_keydown
                on:click=move |_| open.update(|o| *o = !*o)
                on:blur=move |_| open.set(false)
            />
            <ul
                id=list_id.clone()
                data-testid=list_id.clone()
                role="listbox"
                class="listbox"
                aria-label=t("matches")
                aria-busy=move || loading().then_some("true")
                hidden=move || !open.get()
            >
                {move || {
                    matches
                        .get()
                        .0
                        .into_iter()
                        .enumerate()
                        .map(|(at, choice)| {
                            let id = choice.id;
                            let is_active = move || active.get() == Some(at);
                            let selected = move || {
                                is_active() || (active.get().is_none() && chosen.get() == Some(id))
                            };
                            view! {
                                <li
                                    id=option_id(id)
                                    data-testid=option_id(id)
                                    role="option"
                                    class:active=is_active
                                    aria-selected=move || if selected() { "true" } else { "false" }
                                    on:mousedown=|ev| ev.prevent_default()
                                    on:click=move |_| pick(id)
                                >
                                    <span>{choice.label}</span>
                                    {choice
                                        .public
                                        .then(|| {
                                            view! {
                                                <span class="badge" data-testid="job-public">
                                                    {t("jobPublic")}
                                                </span>
                                            }
                                        })}
                                    {(!choice.detail.is_empty())
                                        .then(|| view! { <span class="detail">{choice.detail}</span> })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            {move || {
                let (shown, total) = matches.with(|(shown, total)| (shown.len(), *total));
                (open.get() && total > shown)
                    .then(|| {
                        view! {
                            <p class="muted" data-testid=format!("{name}-more")>
                                {t_args("moreMatches", &[&(total - shown).to_string()])}
                            </p>
                        }
                    })
            }}
            {move || {
                (open.get() && !loading() && matches.with(|(_, total)| *total == 0))
                    .then(|| view! { <p class="muted">{t("noMatches")}</p> })
            }}
            {move || {
                loading()
                    .then(|| {
                        view! {
                            <p class="muted" role="status" data-testid=format!("{name}-loading")>
                                {loading_words.clone()}
                            </p>
                        }
                    })
            }}
            <p class="chosen" id=format!("{name}-chosen") data-testid=format!("{name}-chosen")>
                {move || {
                    chosen_label.get().map(|l| t_args("chosen", &[&l])).unwrap_or_else(|| t("nothingChosen"))
                }}
            </p>
            {move || {
                app.error_for(&format!("{name}-search"))
                    .map(|message| {
                        view! {
                            <span
                                class="error"
                                id=format!("error-{name}-search")
                                data-testid=format!("error-{name}-search")
                            >
                                {message}
                            </span>
                        }
                    })
            }}
        </div>
    }
}
