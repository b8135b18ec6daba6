//! The options page, opened on first install: connections to Greenhouse (add, edit, remove with
//! DELETE, sign in and out, test), the redirect URL to register, how long Sprout remembers people
//! (and forgetting everything), every capture in the outbox, and what leaves the browser.
//! Every action is a typed message to the background, which owns tokens and the network.

use crate::background;
use crate::i18n::{t, t_args};
use crate::popup::outbox_list::{self, ItemContext, OutboxItems};
use crate::reasons;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sprout::api::{Dialect, GREENHOUSE_BASE_URL};
use sprout::connection::{AuthSettings, Connection, GREENHOUSE_AUTHORIZE_URL, GREENHOUSE_TOKEN_URL};
use sprout::oauth::SCOPES;
use sprout::protocol::{ConnectionStatus, SignInState};
use sprout::request::{Connections, RetentionPeriod, Unanswered};
use sprout::retention::Retention;
use std::rc::Rc;

/// What the background last said about the connections.
#[derive(Clone, PartialEq)]
struct Overview {
    connections: Vec<ConnectionStatus>,
    redirect_url: String,
}

/// The outcome of the last action, shown in a live region.
#[derive(Clone, PartialEq)]
enum Notice {
    Done(String),
    Failed(String),
}

#[derive(Clone, Copy)]
struct Page {
    overview: RwSignal<Option<Overview>>,
    notice: RwSignal<Option<Notice>>,
    busy: RwSignal<bool>,
    form: Form,
}

impl Page {
    /// Sends one request; on success shows the message `done` names and the fresh list, else why not.
    fn run(
        self,
        asking: impl Future<Output = Result<Connections, Unanswered>> + 'static,
        done: &'static str,
    ) {
        self.busy.set(true);
        spawn_local(async move {
            // An empty key (a plain refresh) says nothing.
            let done = if done.is_empty() { String::new() } else { t(done) };
            self.answer(asking.await.map(Some), done).await;
        });
    }

    /// Shows an answer (`done`: the words for a success; `None`: a success that is not the list),
    /// and ends the busy state once the list on screen is current again.
    async fn answer(self, answer: Result<Option<Connections>, Unanswered>, done: String) {
        let failure = match answer {
            Ok(Some(Connections {
                connections,
                redirect_url,
                ..
            })) => {
                self.overview.set(Some(Overview {
                    connections,
                    redirect_url,
                }));
                self.notice.set((!done.is_empty()).then_some(Notice::Done(done)));
                None
            }
            // Forgetting everything signs every connection out: the list shows it.
            Ok(None) => {
                self.notice.set(Some(Notice::Done(done)));
                self.refresh().await;
                None
            }
            Err(Unanswered::Failed(reason) | Unanswered::Refused(reason)) => Some(reasons::reason(&reason)),
            Err(Unanswered::Unsent(e) | Unanswered::Unreadable(e)) => {
                Some(t_args("optionsBackgroundSilent", &[&e]))
            }
        };
        if let Some(message) = failure {
            self.notice.set(Some(Notice::Failed(message)));
            // A failure can change a connection's state too (e.g. a sign-in that has ended).
            self.refresh().await;
        }
        self.busy.set(false);
    }

    /// Reads the connections again.
    async fn refresh(self) {
        if let Ok(Connections {
            connections,
            redirect_url,
            ..
        }) = background::list_connections().await
        {
            self.overview.set(Some(Overview {
                connections,
                redirect_url,
            }));
        }
    }
}

/// The add/edit form's fields.
#[derive(Clone, Copy)]
struct Form {
    open: RwSignal<bool>,
    id: RwSignal<String>,
    caption: RwSignal<String>,
    partner_key: RwSignal<bool>,
    api_base_url: RwSignal<String>,
    dialect: RwSignal<Dialect>,
    scopes: RwSignal<String>,
    client_id: RwSignal<String>,
    authorize_url: RwSignal<String>,
    token_url: RwSignal<String>,
    relay: RwSignal<String>,
    forget_on_close: RwSignal<bool>,
    email: RwSignal<String>,
    secret: RwSignal<String>,
}

impl Form {
    fn new() -> Form {
        Form {
            open: RwSignal::new(false),
            id: RwSignal::new(String::new()),
            caption: RwSignal::new(String::new()),
            partner_key: RwSignal::new(false),
            api_base_url: RwSignal::new(GREENHOUSE_BASE_URL.into()),
            dialect: RwSignal::new(Dialect::Greenhouse),
            scopes: RwSignal::new(SCOPES.into()),
            client_id: RwSignal::new(String::new()),
            authorize_url: RwSignal::new(GREENHOUSE_AUTHORIZE_URL.into()),
            token_url: RwSignal::new(GREENHOUSE_TOKEN_URL.into()),
            relay: RwSignal::new(String::new()),
            forget_on_close: RwSignal::new(false),
            email: RwSignal::new(String::new()),
            secret: RwSignal::new(String::new()),
        }
    }

    /// Opens the form on an existing connection, or on defaults when `None`.
    fn load(self, connection: Option<&Connection>) {
        let fresh = Form::new();
        let c = connection
            .cloned()
            .unwrap_or_else(|| Connection::greenhouse_oauth("", ""));
        self.id.set(c.id);
        self.caption.set(c.caption);
        self.api_base_url.set(c.api_base_url);
        self.dialect.set(c.dialect);
        self.forget_on_close.set(c.forget_on_close);
        self.secret.set(String::new());
        match c.auth {
            AuthSettings::Oauth {
                client_id,
                authorize_url,
                token_url,
                scopes,
                relay,
            } => {
                self.partner_key.set(false);
                self.relay.set(relay.unwrap_or_default());
                self.scopes.set(if scopes.trim().is_empty() {
                    SCOPES.into()
                } else {
                    scopes
                });
                self.client_id.set(client_id);
                self.authorize_url.set(authorize_url);
                self.token_url.set(token_url);
                self.email.set(String::new());
            }
            AuthSettings::PartnerKey { on_behalf_of } => {
                self.partner_key.set(true);
                self.client_id.set(String::new());
                self.authorize_url.set(fresh.authorize_url.get_untracked());
                self.token_url.set(fresh.token_url.get_untracked());
                self.scopes.set(fresh.scopes.get_untracked());
                self.relay.set(String::new());
                self.email.set(on_behalf_of);
            }
        }
        self.open.set(true);
    }

    fn connection(self) -> Connection {
        let auth = if self.partner_key.get_untracked() {
            AuthSettings::PartnerKey {
                on_behalf_of: self.email.get_untracked().trim().into(),
            }
        } else {
            AuthSettings::Oauth {
                client_id: self.client_id.get_untracked().trim().into(),
                authorize_url: self.authorize_url.get_untracked().trim().into(),
                token_url: self.token_url.get_untracked().trim().into(),
                scopes: self.scopes.get_untracked().trim().into(),
                relay: Some(self.relay.get_untracked().trim().to_owned()).filter(|r| !r.is_empty()),
            }
        };
        Connection {
            id: self.id.get_untracked(),
            caption: self.caption.get_untracked().trim().into(),
            api_base_url: self.api_base_url.get_untracked().trim().into(),
            dialect: self.dialect.get_untracked(),
            auth,
            forget_on_close: self.forget_on_close.get_untracked(),
        }
    }
}

#[component]
pub fn Options() -> impl IntoView {
    let page = Page {
        overview: RwSignal::new(None),
        notice: RwSignal::new(None),
        busy: RwSignal::new(false),
        form: Form::new(),
    };
    page.run(background::list_connections(), "");

    view! {
        <main class="options">
            <h1 data-testid="welcome">{t("optionsWelcome")}</h1>
            <p>{t("optionsIntro")}</p>
            <p class="notice" data-testid="notice" role="status" aria-live="polite">
                {move || match page.notice.get() {
                    Some(Notice::Done(text)) => view! { <span class="done">{text}</span> }.into_any(),
                    Some(Notice::Failed(text)) => view! { <span class="error">{text}</span> }.into_any(),
                    None => ().into_any(),
                }}
            </p>
            <h2>{t("optionsConnections")}</h2>
            <ConnectionList page />
            <button data-testid="add" on:click=move |_| page.form.load(None) disabled=move || page.busy.get()>
                {t("optionsAdd")}
            </button>
            <Show when=move || page.form.open.get()>
                <ConnectionForm page />
            </Show>
            <SetUps />
            <OutboxSection page />
            <h2>{t("optionsRedirectHeading")}</h2>
            <p>
                {t("optionsRedirectText")}" "
                <code data-testid="redirect-url">
                    {move || page.overview.get().map(|o| o.redirect_url).unwrap_or_default()}
                </code>
            </p>
            <RetentionSettings page />
            <h2>{t("optionsPrivacyHeading")}</h2>
            <ul>
                <li>{t("optionsPrivacySubmit")}</li>
                <li>{t("optionsPrivacySignIn")}</li>
                <li>{t("optionsPrivacyTokens")}</li>
                <li>{t("optionsPrivacyNothing")}</li>
            </ul>
        </main>
    }
}

/// Every capture in the outbox, newest first: the popup shows the newest few and links here.
/// Failed ones are retried or discarded here; editing one needs the popup's form.
#[component]
fn OutboxSection(page: Page) -> impl IntoView {
    let items = RwSignal::new(Vec::new());
    // Followed while the worker runs; after it stopped, again when the recruiter comes back to
    // this page (waking it at once would race a delivery it was stopped in the middle of).
    let closed = StoredValue::new(false);
    let follow = move || {
        outbox_list::follow(
            Rc::new(move |pushed| items.set(pushed)),
            Some(Rc::new(move || closed.set_value(true))),
        )
    };
    follow();
    let _ = window_event_listener(leptos::ev::focus, move |_| {
        if closed.get_value() {
            closed.set_value(false);
            follow();
        }
    });
    let context = ItemContext {
        search_link: Callback::new(move |(connection_id, name): (String, String)| {
            page.overview.with(|o| {
                o.as_ref()?
                    .connections
                    .iter()
                    .find(|s| s.connection.id == connection_id)
                    .map(|s| s.connection.search_link(&name))
            })
        }),
        edit: None,
    };
    // The popup's link asks for this section; the page is built after the browser looked for it.
    Effect::new(move |_| {
        let asked = web_sys::window().and_then(|w| w.location().hash().ok());
        if asked.as_deref() == Some("#outbox")
            && let Some(section) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("outbox"))
        {
            section.scroll_into_view();
        }
    });
    view! {
        <section id="outbox" class="outbox" aria-labelledby="options-outbox-heading">
            <h2 id="options-outbox-heading">{t("outbox")}</h2>
            <p class="muted">{t("optionsOutboxIntro")}</p>
            <OutboxItems items=items.into() limit=None context />
        </section>
    }
}

#[component]
fn ConnectionList(page: Page) -> impl IntoView {
    move || match page.overview.get() {
        None => view! { <p>{t("optionsLoading")}</p> }.into_any(),
        Some(o) if o.connections.is_empty() => {
            view! { <p data-testid="no-connections">{t("optionsNoConnections")}</p> }.into_any()
        }
        Some(o) => view! {
            <ul class="connections">
                {o
                    .connections
                    .into_iter()
                    .map(|status| {
                        let redirect_url = o.redirect_url.clone();
                        view! { <ConnectionRow page status redirect_url /> }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    }
}

fn state_text(status: &ConnectionStatus) -> String {
    let who = status
        .user
        .as_ref()
        .map(|u| format!("{} <{}>", u.name, u.email))
        .unwrap_or_default();
    match status.state {
        SignInState::SignedIn if who.is_empty() => t("optionsStateSignedIn"),
        SignInState::SignedIn => t_args("optionsStateSignedInAs", &[&who]),
        SignInState::SignedOut => t("optionsStateSignedOut"),
        SignInState::SignInAgain => t("optionsStateSignInAgain"),
        SignInState::NeedsKey => t("optionsStateNeedsKey"),
    }
}

#[component]
fn ConnectionRow(page: Page, status: ConnectionStatus, redirect_url: String) -> impl IntoView {
    let callback = status.connection.redirect_to_register(&redirect_url);
    let forgets = status.connection.forget_on_close;
    let id = status.connection.id.clone();
    let oauth = matches!(status.connection.auth, AuthSettings::Oauth { .. });
    let signed_in = status.state == SignInState::SignedIn;
    let confirmation = RwSignal::new(String::new());
    let confirm_id = format!("delete-{id}");
    let connection = status.connection.clone();
    let (sign_in, sign_out, test, remove) = (id.clone(), id.clone(), id.clone(), id.clone());
    let mode = t(if oauth {
        "optionsModeOauth"
    } else {
        "optionsModeKey"
    });
    let dialect = t(match status.connection.dialect {
        Dialect::Greenhouse => "optionsDialectGreenhouse",
        Dialect::Seed => "optionsDialectSeed",
    });
    view! {
        <li class="connection" data-testid="connection" data-id=id.clone()>
            <h3 data-testid="caption">{status.connection.caption.clone()}</h3>
            <p class="muted" data-testid="dialect" data-dialect=format!("{:?}", status.connection.dialect)>
                {format!("{mode} · {dialect} · {}", status.connection.api_base_url)}
            </p>
            <p data-testid="state" data-state=format!("{:?}", status.state)>
                {state_text(&status)}
            </p>
            {forgets
                .then(|| {
                    view! {
                        <p class="muted" data-testid="forgets">
                            {t("optionsForgets")}
                        </p>
                    }
                })}
            {callback
                .map(|url| {
                    view! {
                        <p class="muted">
                            {t("optionsCallback")}" "<code data-testid="callback-url">{url}</code>
                        </p>
                    }
                })}
            <div class="actions">
                {oauth
                    .then(|| {
                        view! {
                            <button
                                data-testid="sign-in"
                                disabled=move || page.busy.get()
                                on:click=move |_| {
                                    page.run(background::sign_in(sign_in.clone()), "optionsDoneSignedIn")
                                }
                            >
                                {t("optionsSignIn")}
                            </button>
                        }
                    })}
                {(oauth && signed_in)
                    .then(|| {
                        view! {
                            <button
                                data-testid="sign-out"
                                disabled=move || page.busy.get()
                                on:click=move |_| {
                                    page.run(background::sign_out(sign_out.clone()), "optionsDoneSignedOut")
                                }
                            >
                                {t("optionsSignOut")}
                            </button>
                        }
                    })}
                <button
                    data-testid="test"
                    disabled=move || page.busy.get()
                    on:click=move |_| {
                        page.run(background::test_connection(test.clone()), "optionsDoneWorks")
                    }
                >
                    {t("optionsTest")}
                </button>
                <button
                    data-testid="edit"
                    disabled=move || page.busy.get()
                    on:click=move |_| page.form.load(Some(&connection))
                >
                    {t("optionsEdit")}
                </button>
            </div>
            <div class="remove">
                <label for=confirm_id.clone()>{t("optionsRemoveLabel")}</label>
                <input
                    id=confirm_id
                    data-testid="delete-confirmation"
                    autocomplete="off"
                    prop:value=move || confirmation.get()
                    on:input=move |ev| confirmation.set(event_target_value(&ev))
                />
                <button
                    data-testid="remove"
                    class="danger"
                    disabled=move || page.busy.get()
                    on:click=move |_| {
                        page.run(
                            background::remove_connection(remove.clone(), confirmation.get_untracked()),
                            "optionsDoneRemoved",
                        )
                    }
                >
                    {t("optionsRemove")}
                </button>
            </div>
        </li>
    }
}

/// How long Sprout remembers the people this browser sent, and "forget everything" behind a typed
/// FORGET (like a connection's DELETE), since it cannot be undone.
#[component]
fn RetentionSettings(page: Page) -> impl IntoView {
    let days = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    spawn_local(async move {
        if let Ok(RetentionPeriod { days: now }) = background::read_retention().await {
            days.set(now.to_string());
        }
    });
    // Sets the period as typed, or (`forgetting`) forgets everything behind the typed FORGET.
    let ask = move |forgetting: bool| {
        let (period, typed) = (
            days.get_untracked().trim().parse().unwrap_or(0),
            confirmation.get_untracked(),
        );
        page.busy.set(true);
        spawn_local(async move {
            let answer = if forgetting {
                background::forget_everything(typed).await
            } else {
                background::set_retention(period).await
            };
            let done = match &answer {
                Ok(RetentionPeriod { days: now }) => {
                    days.set(now.to_string());
                    confirmation.set(String::new());
                    if forgetting {
                        t("forgotEverything")
                    } else {
                        t_args("retentionSaved", &[&now.to_string()])
                    }
                }
                Err(_) => String::new(),
            };
            page.answer(answer.map(|_| None), done).await;
        });
    };
    view! {
        <h2>{t("retentionHeading")}</h2>
        <p>{t("retentionExplained")}</p>
        <div class="retention">
            <label for="retention-days">{t("retentionDays")}</label>
            <input
                id="retention-days"
                data-testid="retention-days"
                type="number"
                inputmode="numeric"
                min=Retention::MIN_DAYS
                max=Retention::MAX_DAYS
                prop:value=move || days.get()
                on:input=move |ev| days.set(event_target_value(&ev))
            />
            <button
                data-testid="retention-save"
                disabled=move || page.busy.get()
                on:click=move |_| ask(false)
            >
                {t("retentionSave")}
            </button>
        </div>
        <div class="remove">
            <label for="forget-confirmation">{t("forgetEverythingExplained")}</label>
            <input
                id="forget-confirmation"
                data-testid="forget-confirmation"
                autocomplete="off"
                prop:value=move || confirmation.get()
                on:input=move |ev| confirmation.set(event_target_value(&ev))
            />
            <button
                data-testid="forget-everything"
                class="danger"
                disabled=move || page.busy.get()
                on:click=move |_| ask(true)
            >
                {t("forgetEverything")}
            </button>
        </div>
    }
}

/// The three ways an administrator can set Sprout up, and what each costs.
#[component]
fn SetUps() -> impl IntoView {
    view! {
        <h2>{t("optionsSetUpsHeading")}</h2>
        <ul data-testid="set-ups">
            <li>
                <strong>{t("optionsRelayTitle")}</strong>
                " "
                {t("optionsRelayText")}
            </li>
            <li>
                <strong>{t("optionsSecretTitle")}</strong>
                " "
                {t("optionsSecretText")}
            </li>
            <li>
                <strong>{t("optionsKeyTitle")}</strong>
                " "
                {t("optionsKeyText")}
            </li>
        </ul>
    }
}

#[component]
fn ConnectionForm(page: Page) -> impl IntoView {
    let form = page.form;
    let save = move |_| {
        let connection = form.connection();
        let secret = Some(form.secret.get_untracked()).filter(|s| !s.trim().is_empty());
        if let Err(e) = connection.validate() {
            page.notice
                .set(Some(Notice::Failed(reasons::connection_problem(&e))));
            return;
        }
        // Asked here, inside the click, because browsers show the prompt only during a gesture.
        let permission = sprout_webext::permissions::request_hosts(&connection.host_patterns());
        page.busy.set(true);
        spawn_local(async move {
            match permission.await {
                Ok(true) => {
                    let answer = background::save_connection(connection, secret).await;
                    let saved = answer.is_ok();
                    page.answer(answer.map(Some), t("optionsDoneSaved")).await;
                    if saved {
                        form.open.set(false);
                    }
                }
                Ok(false) => {
                    page.notice.set(Some(Notice::Failed(t("optionsNoPermission"))));
                    page.busy.set(false);
                }
                Err(e) => {
                    page.notice
                        .set(Some(Notice::Failed(t_args("optionsAskFailed", &[&e]))));
                    page.busy.set(false);
                }
            }
        });
    };
    let text_field =
        move |id: &'static str, label: &'static str, signal: RwSignal<String>, kind: &'static str| {
            view! {
                <p class="field">
                    <label for=id>{t(label)}</label>
                    <input
                        id=id
                        type=kind
                        autocomplete="off"
                        prop:value=move || signal.get()
                        on:input=move |ev| signal.set(event_target_value(&ev))
                    />
                </p>
            }
        };
    view! {
        <form class="connection-form" data-testid="connection-form" on:submit=|ev| ev.prevent_default()>
            <h2>{move || t(if form.id.get().is_empty() { "optionsAdd" } else { "optionsEditHeading" })}</h2>
            {text_field("caption", "optionsFieldName", form.caption, "text")}
            <p class="field">
                <label for="mode">{t("optionsFieldMode")}</label>
                <select
                    id="mode"
                    on:change=move |ev| form.partner_key.set(event_target_value(&ev) == "partner_key")
                    prop:value=move || if form.partner_key.get() { "partner_key" } else { "oauth" }
                >
                    <option value="oauth">{t("optionsModeOauthChoice")}</option>
                    <option value="partner_key">{t("optionsModeKeyChoice")}</option>
                </select>
            </p>
            {text_field("api-base-url", "optionsFieldApiBase", form.api_base_url, "url")}
            <p class="field">
                <label for="dialect">{t("optionsFieldDialect")}</label>
                <select
                    id="dialect"
                    data-testid="dialect-choice"
                    on:change=move |ev| {
                        form.dialect
                            .set(
                                if event_target_value(&ev) == "seed" {
                                    Dialect::Seed
                                } else {
                                    Dialect::Greenhouse
                                },
                            )
                    }
                    prop:value=move || if form.dialect.get() == Dialect::Seed { "seed" } else { "greenhouse" }
                >
                    <option value="greenhouse">{t("optionsDialectGreenhouse")}</option>
                    <option value="seed">{t("optionsDialectSeed")}</option>
                </select>
                <span class="muted" data-testid="dialect-hint">
                    {move || t(
                        match form.dialect.get() {
                            Dialect::Greenhouse => "optionsDialectGreenhouseHint",
                            Dialect::Seed => "optionsDialectSeedHint",
                        },
                    )}
                </span>
            </p>
            <Show
                when=move || !form.partner_key.get()
                fallback=move || {
                    view! {
                        {text_field("email", "optionsFieldEmail", form.email, "email")}
                        {text_field("secret", "optionsFieldKey", form.secret, "password")}
                    }
                }
            >
                {text_field("client-id", "optionsFieldClientId", form.client_id, "text")}
                {text_field("authorize-url", "optionsFieldAuthorize", form.authorize_url, "url")}
                {text_field("relay", "optionsFieldRelay", form.relay, "url")}
                <Show
                    when=move || form.relay.get().trim().is_empty()
                    fallback=|| {
                        view! {
                            <p class="muted" data-testid="relay-hint">
                                {t("optionsRelayHint")}
                            </p>
                        }
                    }
                >
                    {text_field("token-url", "optionsFieldToken", form.token_url, "url")}
                    {text_field("secret", "optionsFieldSecret", form.secret, "password")}
                    <p class="warning" data-testid="secret-warning">
                        {t("optionsSecretWarning")}
                    </p>
                </Show>
                {text_field("scopes", "optionsFieldScopes", form.scopes, "text")}
            </Show>
            <p>
                <label class="check">
                    <input
                        id="forget-on-close"
                        type="checkbox"
                        data-testid="forget-on-close"
                        prop:checked=move || form.forget_on_close.get()
                        on:change=move |ev| form.forget_on_close.set(event_target_checked(&ev))
                    />
                    " "
                    {t("optionsFieldForget")}
                </label>
            </p>
            <p class="actions">
                <button type="submit" data-testid="save" on:click=save disabled=move || page.busy.get()>
                    {t("optionsSave")}
                </button>
                <button type="button" data-testid="cancel" on:click=move |_| form.open.set(false)>
                    {t("optionsCancel")}
                </button>
            </p>
        </form>
    }
}
