//! The toolbar popup: reads the active tab, asks the background for connections, last time's
//! target and the outbox all at once, reads the cached jobs and pools itself, and shows the
//! editable capture form as soon as the page is read, never waiting on the network or the lists.
//! The parts live in the modules below; this one holds the state they share and the order things
//! happen in when the popup opens.

mod attachments;
mod connection;
mod duplicate;
mod field_errors;
mod form;
pub(crate) mod outbox_list;
mod people;
mod picker;
mod section;
mod submit;
mod target;
mod tracking_link;

use crate::background;
use crate::browser;
use crate::i18n::{t, t_args};
use crate::reasons;
use leptos::prelude::*;
use leptos::task::{spawn_local, tick};
use sprout::address::{Reach, web_url};
use sprout::api::Capabilities;
use sprout::catalog::{Catalog, JobChoice, PoolChoice, SearchIndex};
use sprout::extract::Profile;
use sprout::outbox::{ItemState, OutboxItem};
use sprout::page_read::{PageAnswer, READ_TIMEOUT, address_only, read_within};
use sprout::protocol::{Ability, ConnectionStatus, ExtractedPage, ReadTimings};
use sprout::request::{CatalogAnswer, DefaultsFit, FormDefaults, Overview, Unanswered, defaults_fit};
use std::collections::BTreeMap;
use std::rc::Rc;

/// After this long refreshing, the picker says the lists it shows may be old (and still waits).
const CATALOG_SLOW_MS: i32 = 30_000;

/// What reading the tab gave.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum PageRead {
    Reading,
    Read {
        url: String,
        title: String,
        html_len: u32,
        timings: ReadTimings,
        profile: Box<Profile>,
    },
    /// The page could not be read (browser page, web store, …): the form is for manual entry.
    Failed(String),
    /// The page did not answer in time (its main thread is busy): the form is for manual entry,
    /// with the identity its address (`url`, as the browser reports it) gives.
    Busy {
        url: String,
    },
}

/// The background's `Status` answer.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Connections {
    pub active: Option<String>,
    pub all: Vec<ConnectionStatus>,
}

impl Connections {
    pub fn active(&self) -> Option<&ConnectionStatus> {
        let id = self.active.as_deref()?;
        self.all.iter().find(|c| c.connection.id == id)
    }
}

/// The background's `Catalog` and `Defaults` answers for the active connection (the lists
/// themselves live in `Lists`, read from the cache and indexed once per catalog).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct CatalogState {
    pub connection_id: String,
    /// Lists were read from the cache.
    pub loaded: bool,
    pub refreshing: bool,
    pub error: Option<String>,
    /// The `Defaults` answer came: the form shows last time's target, if there was one.
    pub defaults_known: bool,
    /// Last time's job or pool and its name then, shown until the lists name it.
    pub remembered_job: Option<(u64, String)>,
    pub remembered_pool: Option<(u64, String)>,
    pub tracking_links: Ability,
    pub user_id: Option<u64>,
    pub user_email: Option<String>,
}

/// Jobs and pools with their type-ahead indexes, rebuilt only when a new catalog arrives.
#[derive(Default)]
pub(crate) struct Lists {
    pub fetched_at_ms: Option<u64>,
    pub jobs: Vec<JobChoice>,
    pub job_index: SearchIndex,
    pub pools: Vec<PoolChoice>,
    pub pool_index: SearchIndex,
}

impl Lists {
    fn new(catalog: Catalog) -> Lists {
        Lists {
            fetched_at_ms: Some(catalog.fetched_at_ms),
            job_index: SearchIndex::for_jobs(&catalog.jobs),
            pool_index: SearchIndex::for_pools(&catalog.pools),
            jobs: catalog.jobs,
            pools: catalog.pools,
        }
    }

    pub fn job(&self, id: u64) -> Option<&JobChoice> {
        self.jobs.iter().find(|j| j.id == id)
    }

    pub fn pool(&self, id: u64) -> Option<&PoolChoice> {
        self.pools.iter().find(|p| p.id == id)
    }
}

/// Everything the popup's parts share; provided as context, every field is a cheap handle.
#[derive(Clone, Copy)]
pub(crate) struct App {
    pub page: RwSignal<PageRead>,
    /// The form below the person's name and title is built. It is built only after the frame that
    /// shows the name: built with it, it held the name back (page read → name shown 10-20 ms
    /// median in Chromium, 6-9 ms without it).
    pub form_complete: RwSignal<bool>,
    pub connections: RwSignal<Option<Result<Connections, String>>>,
    pub catalog: RwSignal<CatalogState>,
    pub lists: StoredValue<Lists>,
    /// Notified whenever `lists` is replaced.
    pub lists_changed: Trigger,
    pub person: form::Person,
    pub target: target::TargetChoice,
    pub attachments: attachments::Attachments,
    pub duplicates: duplicate::DuplicateCheck,
    /// Error messages by the test id of the input they belong to (`form-error` for the rest).
    pub errors: RwSignal<BTreeMap<String, String>>,
    /// The outbox as the background last pushed it (`follow_outbox`); nothing else sets it.
    pub outbox: RwSignal<Vec<OutboxItem>>,
    pub submit: submit::SubmitState,
    /// Bumped when the active connection changes, so a late answer for the old one is dropped.
    catalog_generation: StoredValue<u64>,
    /// A `Defaults` for the connection captures go to, sent beside `Status`, is not answered yet.
    defaults_for_active_asked: StoredValue<bool>,
    /// Bumped with each outbox push, so a push held back for the duplicate check never replaces a
    /// later one.
    outbox_generation: StoredValue<u64>,
    /// Settles once reading the page has (`page` is no longer `Reading`), with its resolver.
    page_settled: StoredValue<(js_sys::Promise, js_sys::Function), LocalStorage>,
}

impl App {
    fn new() -> App {
        App {
            page: RwSignal::new(PageRead::Reading),
            form_complete: RwSignal::new(false),
            connections: RwSignal::new(None),
            catalog: RwSignal::new(CatalogState::default()),
            lists: StoredValue::new(Lists::default()),
            lists_changed: Trigger::new(),
            person: form::Person::new(),
            target: target::TargetChoice::new(),
            attachments: attachments::Attachments::new(),
            duplicates: duplicate::DuplicateCheck::new(),
            errors: RwSignal::new(BTreeMap::new()),
            outbox: RwSignal::new(Vec::new()),
            submit: submit::SubmitState::new(),
            catalog_generation: StoredValue::new(0),
            defaults_for_active_asked: StoredValue::new(false),
            outbox_generation: StoredValue::new(0),
            page_settled: StoredValue::new_local(settled_promise()),
        }
    }

    /// The id of the connection captures go to, if there is one.
    pub fn active_connection(&self) -> Option<String> {
        self.connections.with(|c| {
            c.as_ref()
                .and_then(|c| c.as_ref().ok())
                .and_then(|c| c.active().map(|a| a.connection.id.clone()))
        })
    }

    /// What the active connection's server can take and tell (the seed contract's when none).
    pub fn can(&self) -> Capabilities {
        self.connections
            .with(|c| {
                c.as_ref()
                    .and_then(|c| c.as_ref().ok())
                    .and_then(|c| c.active().map(|a| a.connection.dialect))
            })
            .unwrap_or_default()
            .capabilities()
    }

    /// The active connection's settings.
    pub fn connection(&self, id: &str) -> Option<sprout::connection::Connection> {
        self.connections.with(|c| {
            c.as_ref()
                .and_then(|c| c.as_ref().ok())
                .and_then(|c| c.all.iter().find(|s| s.connection.id == id))
                .map(|s| s.connection.clone())
        })
    }

    pub fn error_for(&self, testid: &str) -> Option<String> {
        self.errors.with(|e| e.get(testid).cloned())
    }

    /// Asks the background for the connections (or switches the active one) and follows up with
    /// the catalog of whichever connection is active afterwards.
    pub fn ask_status(self, asking: impl Future<Output = Result<Overview, Unanswered>> + 'static) {
        spawn_local(async move {
            let answer = match asking.await {
                Ok(overview) => Ok(Connections {
                    active: overview.captures_go_to(),
                    all: overview.connections,
                }),
                Err(why) => Err(background::why(&why)),
            };
            let before = self.active_connection();
            self.connections.set(Some(answer));
            let after = self.active_connection();
            if (before != after || !self.catalog.with_untracked(|c| c.loaded))
                && let Some(id) = after
            {
                self.load_catalog(id, false);
            }
        });
    }

    /// Asks for the form's defaults (unless they came, or are coming, from the question sent beside
    /// `Status`) and, beside them, reads the cached lists, then asks the background how fresh they
    /// are and, while it refreshes them, to answer once that has ended.
    pub fn load_catalog(self, connection_id: String, refresh: bool) {
        let generation = self.catalog_generation.with_value(|g| g + 1);
        self.catalog_generation.set_value(generation);
        if self.catalog.with_untracked(|c| c.connection_id != connection_id) {
            self.catalog.set(CatalogState {
                connection_id: connection_id.clone(),
                ..Default::default()
            });
            self.set_lists(Lists::default());
        }
        if !self.catalog.with_untracked(|c| c.defaults_known) && !self.defaults_for_active_asked.get_value() {
            self.load_defaults(Some(connection_id.clone()));
        }
        spawn_local(async move {
            // Reading and indexing 10,000 jobs holds the main thread for tens of ms: not while the
            // person is still to be shown. The picker is in the form, which waits for the page anyway.
            let settled = self.page_settled.with_value(|(promise, _)| promise.clone());
            let _ = wasm_bindgen_futures::JsFuture::from(settled).await;
            // A failed read is tried again below, when the background says the cache holds lists,
            // and told then.
            let _ = self.read_lists(&connection_id, generation).await;
            let mut answer = background::catalog(connection_id.clone(), refresh).await;
            let mut waited = false;
            loop {
                if self.catalog_generation.get_value() != generation
                    || !self.take_catalog_answer(&connection_id, answer, generation).await
                {
                    return;
                }
                if !waited {
                    waited = true;
                    self.tell_when_slow(generation);
                }
                answer = match background::await_catalog(connection_id.clone()).await {
                    // The worker stopped while it fetched (a long fetch raises no event to keep it):
                    // asking again wakes a new one, which fetches again and answers when done.
                    Err(Unanswered::Unsent(_)) => background::await_catalog(connection_id.clone()).await,
                    answer => answer,
                };
            }
        });
    }

    /// Says the lists shown may be old if the refresh is still running after `CATALOG_SLOW_MS`;
    /// the answer that comes when it ends says how it ended.
    fn tell_when_slow(self, generation: u64) {
        spawn_local(async move {
            browser::sleep(CATALOG_SLOW_MS).await;
            if self.catalog_generation.get_value() == generation {
                self.catalog.update(|c| {
                    if c.refreshing {
                        c.refreshing = false;
                        c.error.get_or_insert_with(|| t("catalogSlow"));
                    }
                });
            }
        });
    }

    /// Asks for last time's target and who is signed in, for `connection_id` or (`None`, beside
    /// `Status`) the connection captures go to: a small answer that never waits for the lists, so
    /// the target shows before them.
    pub fn load_defaults(self, connection_id: Option<String>) {
        if connection_id.is_none() {
            self.defaults_for_active_asked.set_value(true);
        }
        spawn_local(async move {
            let answer = background::defaults(connection_id.clone()).await;
            if connection_id.is_none() {
                self.defaults_for_active_asked.set_value(false);
            }
            let form_for = self
                .catalog
                .with_untracked(|c| Some(c.connection_id.clone()).filter(|id| !id.is_empty()));
            let about = answer.as_ref().ok().map(|d| d.connection_id.as_str());
            match defaults_fit(connection_id.as_deref(), about, form_for.as_deref()) {
                DefaultsFit::Take => self.take_defaults(answer),
                DefaultsFit::AskFor(id) => self.load_defaults(Some(id)),
                DefaultsFit::Drop => {}
            }
        });
    }

    fn take_defaults(self, answer: Result<FormDefaults, Unanswered>) {
        match answer {
            Ok(defaults) => {
                if let Some(target) = &defaults.last_target {
                    self.target.preselect(target);
                }
                self.catalog.update(|c| {
                    c.remembered_job = defaults.remembered_job();
                    c.remembered_pool = defaults.remembered_pool();
                    c.tracking_links = defaults.tracking_links;
                    c.user_id = defaults.user_id;
                    c.user_email = defaults.user_email;
                    c.connection_id = defaults.connection_id;
                    c.defaults_known = true;
                });
            }
            Err(why) => self.catalog.update(|c| {
                c.error = Some(background::why(&why));
                c.defaults_known = true;
            }),
        }
    }

    /// Reads the connection's lists from the cache and shows them, unless they are the ones shown;
    /// why they could not be read, in words.
    async fn read_lists(self, connection_id: &str, generation: u64) -> Result<(), String> {
        let read = browser::cached_catalog(connection_id).await;
        if self.catalog_generation.get_value() != generation {
            return Ok(());
        }
        if let Some(catalog) = read.map_err(|e| t_args("catalogUnreadable", &[&e]))? {
            if self.lists.with_value(|l| l.fetched_at_ms) != Some(catalog.fetched_at_ms) {
                self.set_lists(Lists::new(catalog));
            }
            self.catalog.update(|c| c.loaded = true);
        }
        Ok(())
    }

    /// Takes one `Catalog` answer, reading the lists again when the cache holds newer ones; true
    /// while the background is still refreshing.
    async fn take_catalog_answer(
        self,
        connection_id: &str,
        answer: Result<CatalogAnswer, Unanswered>,
        generation: u64,
    ) -> bool {
        let (refreshing, error) = match answer {
            Ok(answer) => {
                let read = if answer.newer_than(self.lists.with_value(|l| l.fetched_at_ms)) {
                    self.read_lists(connection_id, generation).await
                } else {
                    Ok(())
                };
                let error = answer
                    .error
                    .map(|why| t_args("catalogNotUpdated", &[&reasons::reason(&why)]));
                (answer.refreshing, read.err().or(error))
            }
            Err(why) => (false, Some(background::why(&why))),
        };
        self.catalog.update(|c| {
            c.refreshing = refreshing;
            c.error = error;
        });
        refreshing
    }

    fn set_lists(self, lists: Lists) {
        self.lists.set_value(lists);
        self.lists_changed.notify();
    }

    /// Follows the outbox the background pushes (`outbox_list::follow`).
    fn follow_outbox(self) {
        outbox_list::follow(Rc::new(move |items| self.show_outbox(items)), None);
    }

    /// Shows a pushed outbox. When an item was just delivered, the ledger knows the person now:
    /// the duplicate check is asked again first, so a second submit already needs the confirmation.
    fn show_outbox(self, items: Vec<OutboxItem>) {
        let generation = self.outbox_generation.with_value(|g| g + 1);
        self.outbox_generation.set_value(generation);
        if newly_delivered(&self.outbox.get_untracked(), &items) {
            spawn_local(async move {
                self.duplicates.ask(self).await;
                if self.outbox_generation.get_value() == generation {
                    self.outbox.set(items);
                }
            });
        } else {
            self.outbox.set(items);
        }
    }

    /// `read`: the page read popup.js started (see `browser::read_tab`).
    fn read_page(self, read: js_sys::Promise) {
        spawn_local(async move {
            let page = match browser::target_tab().await {
                Ok(tab) => match read_within(browser::read_tab(read), &browser::Timer).await {
                    PageAnswer::Read(read) => {
                        let ExtractedPage {
                            url,
                            title,
                            html_len,
                            timings,
                            profile,
                        } = *read;
                        self.choose_person(&profile);
                        PageRead::Read {
                            url,
                            title,
                            html_len,
                            timings,
                            profile: Box::new(profile),
                        }
                    }
                    PageAnswer::Unreadable(e) => PageRead::Failed(e),
                    PageAnswer::Busy => {
                        // The browser knows the page's address without asking the page.
                        let url = browser::tab_url(tab).await.unwrap_or_default();
                        self.choose_person(&address_only(&url));
                        PageRead::Busy { url }
                    }
                },
                Err(e) => PageRead::Failed(e),
            };
            self.page.set(page);
            self.page_settled
                .with_value(|(_, resolve)| resolve.call0(&wasm_bindgen::JsValue::NULL).ok());
            browser::after_paint().await;
            self.form_complete.set(true);
            tick().await;
            self.focus_first_field();
        });
    }

    /// The first empty required field, else the target search: what the recruiter does next.
    pub fn focus_first_field(self) {
        let next = if self.person.first_name.get_untracked().trim().is_empty() {
            "first-name"
        } else if self.person.last_name.get_untracked().trim().is_empty() {
            "last-name"
        } else if self.target.is_job.get_untracked() {
            "job-search"
        } else {
            "pool-search"
        };
        focus(next);
    }
}

/// A promise and the function that resolves it.
fn settled_promise() -> (js_sys::Promise, js_sys::Function) {
    let mut resolver = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| resolver = Some(resolve));
    // The executor runs synchronously, inside `Promise::new`.
    (promise, resolver.expect("a promise's executor runs at once"))
}

/// Moves keyboard focus to the element with this test id, opening the section it is in.
pub(crate) fn focus(testid: &str) {
    use wasm_bindgen::JsCast;
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("[data-testid=\"{testid}\"]"))
                .ok()
                .flatten()
        })
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        if let Ok(Some(section)) = element.closest("details:not([open])") {
            let _ = section.set_attribute("open", "");
        }
        let _ = element.focus();
    }
}

fn newly_delivered(before: &[OutboxItem], after: &[OutboxItem]) -> bool {
    after.iter().any(|item| {
        matches!(item.state, ItemState::Delivered { .. })
            && before
                .iter()
                .any(|b| b.id == item.id && !matches!(b.state, ItemState::Delivered { .. }))
    })
}

/// Only http(s) addresses become links (the core's rule for a person's link); anything else is
/// shown as text.
pub(crate) fn web_link(url: &str) -> Option<String> {
    web_url(url, Reach::Web).is_ok().then(|| url.trim().to_owned())
}

/// `page_read`: the page read popup.js started, and had extracted, before this wasm loaded.
#[component]
pub fn Popup(page_read: js_sys::Promise) -> impl IntoView {
    let app = App::new();
    provide_context(app);

    // All at once: none waits for another, and the form only waits for the page.
    app.read_page(page_read);
    app.ask_status(background::status());
    app.load_defaults(None);
    app.follow_outbox();

    // The benchmark's marks, each once and after the DOM shows it: the person's name, the whole
    // form (the name may be missing: a page nobody is on, one too busy to read), the target
    // as remembered (last time's, or none), and the jobs and pools in the picker, which may come
    // before or after the page.
    let form_shown = move || !matches!(app.page.get(), PageRead::Reading);
    mark_once("sprout:name-shown", move || {
        form_shown() && !(app.person.first_name.get().is_empty() && app.person.last_name.get().is_empty())
    });
    let form_complete = move || app.form_complete.get();
    mark_once("sprout:form-ready", form_complete);
    mark_once("sprout:target-shown", move || {
        form_complete() && app.catalog.with(|c| c.defaults_known)
    });
    mark_once("sprout:catalog", move || {
        form_complete() && app.catalog.with(|c| c.loaded)
    });

    // Esc closes the popup, unless a listbox took it first (it prevents the default). Closing on
    // the key's release rather than its press lets the press finish in the page that saw it.
    let esc_pressed = StoredValue::new(false);
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        esc_pressed.set_value(ev.key() == "Escape" && !ev.default_prevented());
    });
    let _ = window_event_listener(leptos::ev::keyup, move |ev| {
        if ev.key() == "Escape"
            && esc_pressed.get_value()
            && let Some(window) = web_sys::window()
        {
            let _ = window.close();
        }
    });

    view! {
        <main
            class="popup"
            class:dragging=move || app.attachments.dragging.get()
            on:dragover=move |ev| attachments::drag_over(app, ev)
            on:dragleave=move |_| app.attachments.dragging.set(false)
            on:drop=move |ev| attachments::drop_files(app, ev)
        >
            <header class="top">
                <h1>"Sprout"</h1>
                <connection::ActiveConnection />
            </header>
            <PageStatus />
            <people::PageReasons />
            <people::NotThisPerson />
            {move || form_shown().then(|| view! { <submit::CaptureForm /> })}
            <outbox_list::OutboxList />
            <PageFacts />
        </main>
    }
}

/// Marks `name` in the performance timeline the first time `when` holds, once the DOM shows it.
fn mark_once(name: &'static str, when: impl Fn() -> bool + 'static) {
    let marked = StoredValue::new(false);
    Effect::new(move |_| {
        if when() && !marked.get_value() {
            marked.set_value(true);
            spawn_local(async move {
                tick().await;
                browser::mark(name);
            });
        }
    });
}

/// What reading the page gave, in words: reading, unreadable, or nobody found.
#[component]
fn PageStatus() -> impl IntoView {
    let app = expect_context::<App>();
    move || match app.page.get() {
        PageRead::Reading => view! {
            <p role="status" class="muted">
                {t("pageReading")}
            </p>
        }
        .into_any(),
        PageRead::Failed(e) => view! {
            <p class="error" role="alert" data-testid="page-error">
                {e}
            </p>
        }
        .into_any(),
        PageRead::Busy { .. } => {
            let seconds = READ_TIMEOUT.as_secs().to_string();
            view! {
                <p class="error" role="alert" data-testid="page-busy">
                    {t_args("pageBusy", &[&seconds])}
                </p>
            }
            .into_any()
        }
        PageRead::Read { profile, .. } if profile.is_empty() => view! {
            <p role="status" data-testid="profile-empty">
                {t("profileEmpty")}
            </p>
        }
        .into_any(),
        PageRead::Read { .. } => ().into_any(),
    }
}

/// The page that was read, for the recruiter's reassurance and the benchmark; with the rest of
/// the form, below which it stands.
#[component]
fn PageFacts() -> impl IntoView {
    let app = expect_context::<App>();
    move || match app.page.get() {
        _ if !app.form_complete.get() => None,
        PageRead::Read {
            url,
            title,
            html_len,
            timings,
            ..
        } => {
            let ms = format!(
                "{:.1}",
                timings.load_ms + timings.serialize_ms + timings.extract_ms
            );
            Some(view! {
                <footer class="page-facts muted">
                    <details>
                        <summary>{t("pageFacts")}</summary>
                        <p data-testid="page-title">{title}</p>
                        <p data-testid="page-url">{url}</p>
                        <p data-testid="page-size">{t_args("pageSize", &[&html_len.to_string(), &ms])}</p>
                    </details>
                </footer>
            })
        }
        _ => None,
    }
}
