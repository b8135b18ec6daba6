//! The options page, opened on first install: connections to Greenhouse (add, edit, remove with
//! DELETE, sign in and out, test), the redirect URL to register, and what leaves the browser.
//! Every action is a typed message to the background, which owns tokens and the network.

use crate::reasons;
use crate::webext;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sprout::api::{Dialect, GREENHOUSE_BASE_URL};
use sprout::connection::{AuthSettings, Connection, GREENHOUSE_AUTHORIZE_URL, GREENHOUSE_TOKEN_URL};
use sprout::oauth::SCOPES;
use sprout::protocol::{BackgroundToOptions, ConnectionStatus, OptionsToBackground, SignInState};

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
    /// Sends one message; on success shows `done` and the fresh list, else the background's sentence.
    fn run(self, message: OptionsToBackground, done: &'static str) {
        self.busy.set(true);
        spawn_local(async move {
            self.answer(webext::ask_for_options(&message).await, done).await;
        });
    }

    /// Shows an answer, and ends the busy state once the list on screen is current again.
    async fn answer(self, answer: Result<BackgroundToOptions, String>, done: &'static str) {
        let failure = match answer {
            Ok(BackgroundToOptions::Connections {
                connections,
                redirect_url,
                ..
            }) => {
                self.overview.set(Some(Overview {
                    connections,
                    redirect_url,
                }));
                self.notice
                    .set((!done.is_empty()).then(|| Notice::Done(done.into())));
                None
            }
            Ok(BackgroundToOptions::Failed { reason } | BackgroundToOptions::Refused { reason }) => {
                Some(reasons::reason(&reason))
            }
            Err(e) => Some(format!("The background did not answer: {e}")),
        };
        if let Some(message) = failure {
            self.notice.set(Some(Notice::Failed(message)));
            // A failure can change a connection's state too (e.g. a sign-in that has ended).
            if let Ok(BackgroundToOptions::Connections {
                connections,
                redirect_url,
                ..
            }) = webext::ask_for_options(&OptionsToBackground::ListConnections {}).await
            {
                self.overview.set(Some(Overview {
                    connections,
                    redirect_url,
                }));
            }
        }
        self.busy.set(false);
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
    page.run(OptionsToBackground::ListConnections {}, "");

    view! {
        <main class="options">
            <h1 data-testid="welcome">"Welcome to Sprout"</h1>
            <p>
                "Sprout reads the profile page you are on when you click its toolbar button, and sends the person you confirm to your Greenhouse account."
            </p>
            <p class="notice" data-testid="notice" role="status" aria-live="polite">
                {move || match page.notice.get() {
                    Some(Notice::Done(text)) => view! { <span class="done">{text}</span> }.into_any(),
                    Some(Notice::Failed(text)) => view! { <span class="error">{text}</span> }.into_any(),
                    None => ().into_any(),
                }}
            </p>
            <h2>"Connections to Greenhouse"</h2>
            <ConnectionList page/>
            <button data-testid="add" on:click=move |_| page.form.load(None) disabled=move || page.busy.get()>
                "Add a connection"
            </button>
            <Show when=move || page.form.open.get()>
                <ConnectionForm page/>
            </Show>
            <SetUps/>
            <h2>"This browser's redirect URL"</h2>
            <p>
                "Each connection signs in on its own path under this address (shown with the connection above). A sprout-relay must allow it as a redirect prefix (--allow-redirect); it differs per browser: "
                <code data-testid="redirect-url">
                    {move || page.overview.get().map(|o| o.redirect_url).unwrap_or_default()}
                </code>
            </p>
            <h2>"What leaves your browser"</h2>
            <ul>
                <li>"Only what you submit: the person's name, company, title, emails, phone numbers and profile links, sent to the Greenhouse API of the connection you choose."</li>
                <li>"Signing in sends you to that connection's sign-in page; Sprout then talks only to its API and token addresses (or its relay)."</li>
                <li>"Sign-in tokens and Partner API keys are for Sprout alone: web pages and the scripts Sprout puts in them cannot read them. Access tokens stay in the browser's memory. Refresh tokens and keys are kept in Sprout's own database so that you stay signed in after a restart, unless the connection says \"Forget my sign-in when the browser closes\". Signing out or removing a connection deletes them."</li>
                <li>"Nothing is read from a page until you click the Sprout button on it. No analytics, no third parties."</li>
            </ul>
        </main>
    }
}

#[component]
fn ConnectionList(page: Page) -> impl IntoView {
    move || {
        match page.overview.get() {
        None => view! { <p>"Loading connections…"</p> }.into_any(),
        Some(o) if o.connections.is_empty() => {
            view! { <p data-testid="no-connections">"No connection yet. Add one to sign in to Greenhouse."</p> }
                .into_any()
        }
        Some(o) => view! {
            <ul class="connections">
                {o.connections.into_iter().map(|status| {
                    let redirect_url = o.redirect_url.clone();
                    view! { <ConnectionRow page status redirect_url/> }
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    }
}

fn state_text(status: &ConnectionStatus) -> String {
    let who = status
        .user
        .as_ref()
        .map(|u| format!("{} <{}>", u.name, u.email))
        .unwrap_or_default();
    match status.state {
        SignInState::SignedIn if who.is_empty() => "Signed in".into(),
        SignInState::SignedIn => format!("Signed in as {who}"),
        SignInState::SignedOut => "Signed out".into(),
        SignInState::SignInAgain => "Sign in again: your Greenhouse sign-in has ended".into(),
        SignInState::NeedsKey => "Enter the Partner API key again".into(),
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
    let mode = if oauth { "OAuth sign-in" } else { "Partner API key" };
    let dialect = match status.connection.dialect {
        Dialect::Greenhouse => "Greenhouse",
        Dialect::Seed => "Partner API contract (seed)",
    };
    view! {
        <li class="connection" data-testid="connection" data-id=id.clone()>
            <h3 data-testid="caption">{status.connection.caption.clone()}</h3>
            <p class="muted" data-testid="dialect" data-dialect=format!("{:?}", status.connection.dialect)>
                {format!("{mode} · {dialect} · {}", status.connection.api_base_url)}
            </p>
            <p data-testid="state" data-state=format!("{:?}", status.state)>{state_text(&status)}</p>
            {forgets.then(|| view! {
                <p class="muted" data-testid="forgets">"Forgets the sign-in when the browser closes."</p>
            })}
            {callback.map(|url| view! {
                <p class="muted">"Callback URL to register for this connection: "<code data-testid="callback-url">{url}</code></p>
            })}
            <div class="actions">
                {oauth.then(|| view! {
                    <button data-testid="sign-in" disabled=move || page.busy.get()
                        on:click=move |_| page.run(OptionsToBackground::SignIn { id: sign_in.clone() }, "Signed in.")>
                        "Sign in"
                    </button>
                })}
                {(oauth && signed_in).then(|| view! {
                    <button data-testid="sign-out" disabled=move || page.busy.get()
                        on:click=move |_| page.run(OptionsToBackground::SignOut { id: sign_out.clone() }, "Signed out.")>
                        "Sign out"
                    </button>
                })}
                <button data-testid="test" disabled=move || page.busy.get()
                    on:click=move |_| page.run(OptionsToBackground::TestConnection { id: test.clone() }, "The connection works.")>
                    "Test connection"
                </button>
                <button data-testid="edit" disabled=move || page.busy.get()
                    on:click=move |_| page.form.load(Some(&connection))>
                    "Edit"
                </button>
            </div>
            <div class="remove">
                <label for=confirm_id.clone()>"To remove this connection and forget its sign-in, type DELETE"</label>
                <input id=confirm_id data-testid="delete-confirmation" autocomplete="off"
                    prop:value=move || confirmation.get()
                    on:input=move |ev| confirmation.set(event_target_value(&ev))/>
                <button data-testid="remove" class="danger" disabled=move || page.busy.get()
                    on:click=move |_| page.run(
                        OptionsToBackground::RemoveConnection { id: remove.clone(), confirmation: confirmation.get_untracked() },
                        "Connection removed.",
                    )>
                    "Remove"
                </button>
            </div>
        </li>
    }
}

/// The three ways an administrator can set Sprout up, and what each costs.
#[component]
fn SetUps() -> impl IntoView {
    view! {
        <h2>"For administrators: three ways to connect"</h2>
        <ul data-testid="set-ups">
            <li>
                <strong>"Relay (recommended for Greenhouse). "</strong>
                "Greenhouse registers one callback URL per OAuth client and gives it a secret that must stay private, which a browser extension cannot keep. Run sprout-relay once for your organisation (one small stateless service behind HTTPS), register its /callback with Greenhouse, allow this browser's redirect URL on it (--allow-redirect), tell it its own address (--public-url) and Greenhouse's authorize URL (--authorize-url, for Firefox), and enter that address as the connection's Relay URL. Each recruiter then signs in with their own Greenhouse account; the secret never reaches a browser."
            </li>
            <li>
                <strong>"Client secret in the browser (private deployments only). "</strong>
                "Leave the relay empty, enter the token URL and the client secret, and register the connection's own callback URL. Anyone who can use this browser profile can read the secret: never do this with Greenhouse's own secret."
            </li>
            <li>
                <strong>"Partner API key + On-Behalf-Of. "</strong>
                "Greenhouse's Partner API key of the organisation, and each recruiter's Greenhouse email, sent as On-Behalf-Of. No sign-in window; the key acts for whoever's email is entered, so give it only to people who may act for the whole organisation."
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
            page.notice.set(Some(Notice::Failed(e)));
            return;
        }
        // Asked here, inside the click, because browsers show the prompt only during a gesture.
        let permission = webext::request_host_permissions(&connection.host_patterns());
        page.busy.set(true);
        spawn_local(async move {
            match permission.await {
                Ok(true) => {
                    let answer =
                        webext::ask_for_options(&OptionsToBackground::SaveConnection { connection, secret })
                            .await;
                    let saved = matches!(answer, Ok(BackgroundToOptions::Connections { .. }));
                    page.answer(answer, "Connection saved.").await;
                    if saved {
                        form.open.set(false);
                    }
                }
                Ok(false) => {
                    page.notice.set(Some(Notice::Failed(
                        "Sprout needs your permission to reach this connection's servers; nothing was saved."
                            .into(),
                    )));
                    page.busy.set(false);
                }
                Err(e) => {
                    page.notice
                        .set(Some(Notice::Failed(format!("Could not ask for access: {e}"))));
                    page.busy.set(false);
                }
            }
        });
    };
    let text_field =
        move |id: &'static str, label: &'static str, signal: RwSignal<String>, kind: &'static str| {
            view! {
                <p class="field">
                    <label for=id>{label}</label>
                    <input id=id type=kind autocomplete="off"
                        prop:value=move || signal.get()
                        on:input=move |ev| signal.set(event_target_value(&ev))/>
                </p>
            }
        };
    view! {
        <form class="connection-form" data-testid="connection-form" on:submit=|ev| ev.prevent_default()>
            <h2>{move || if form.id.get().is_empty() { "Add a connection" } else { "Edit the connection" }}</h2>
            {text_field("caption", "Name (e.g. the customer's name)", form.caption, "text")}
            <p class="field">
                <label for="mode">"How Sprout signs in"</label>
                <select id="mode" on:change=move |ev| form.partner_key.set(event_target_value(&ev) == "partner_key")
                    prop:value=move || if form.partner_key.get() { "partner_key" } else { "oauth" }>
                    <option value="oauth">"Each recruiter signs in with Greenhouse (OAuth)"</option>
                    <option value="partner_key">"Partner API key + my Greenhouse email"</option>
                </select>
            </p>
            {text_field("api-base-url", "API base URL", form.api_base_url, "url")}
            <p class="field">
                <label for="dialect">"What the server speaks"</label>
                <select id="dialect" data-testid="dialect-choice"
                    on:change=move |ev| form.dialect.set(if event_target_value(&ev) == "seed" { Dialect::Seed } else { Dialect::Greenhouse })
                    prop:value=move || if form.dialect.get() == Dialect::Seed { "seed" } else { "greenhouse" }>
                    <option value="greenhouse">"Greenhouse"</option>
                    <option value="seed">"Partner API contract (seed)"</option>
                </select>
                <span class="muted" data-testid="dialect-hint">
                    {move || match form.dialect.get() {
                        Dialect::Greenhouse => "Greenhouse's own API: resumes go as links, a note travels with each person, and duplicates are checked against what this browser sent.",
                        Dialect::Seed => "A server built from the original contract: files can be attached and Greenhouse is searched for the person before each submit.",
                    }}
                </span>
            </p>
            <Show when=move || !form.partner_key.get()
                fallback=move || view! {
                    {text_field("email", "Your Greenhouse email (sent as On-Behalf-Of)", form.email, "email")}
                    {text_field("secret", "Partner API key (leave empty to keep the saved one)", form.secret, "password")}
                }>
                {text_field("client-id", "OAuth client id", form.client_id, "text")}
                {text_field("authorize-url", "Authorize URL", form.authorize_url, "url")}
                {text_field("relay", "Relay URL (your organisation's sprout-relay; recommended for Greenhouse)", form.relay, "url")}
                <Show when=move || form.relay.get().trim().is_empty()
                    fallback=|| view! {
                        <p class="muted" data-testid="relay-hint">"With a relay, the relay's /callback is the callback URL registered with Greenhouse, sign-in codes are exchanged by the relay, and no client secret is entered here."</p>
                    }>
                    {text_field("token-url", "Token URL (used when there is no relay)", form.token_url, "url")}
                    {text_field("secret", "Client secret: only for a private deployment, leave empty otherwise", form.secret, "password")}
                    <p class="warning" data-testid="secret-warning">"A client secret typed here is stored in this browser. Greenhouse's secret must stay private: use a relay for Greenhouse, and a secret here only for a private deployment you run yourself."</p>
                </Show>
                {text_field("scopes", "Scopes (separated by spaces)", form.scopes, "text")}
            </Show>
            <p>
                <label class="check">
                    <input id="forget-on-close" type="checkbox" data-testid="forget-on-close"
                        prop:checked=move || form.forget_on_close.get()
                        on:change=move |ev| form.forget_on_close.set(event_target_checked(&ev))/>
                    " Forget my sign-in when the browser closes (for shared computers)"
                </label>
            </p>
            <p class="actions">
                <button type="submit" data-testid="save" on:click=save disabled=move || page.busy.get()>"Save"</button>
                <button type="button" data-testid="cancel" on:click=move |_| form.open.set(false)>"Cancel"</button>
            </p>
        </form>
    }
}
