//! Sign-in, sign-out, refresh and "who am I" for one connection: OAuth authorization code + PKCE
//! through `identity.launchWebAuthFlow`, or a Partner API key acting on behalf of an email.
//! The background owns the whole flow, so the options page or popup may close in the middle.

use sprout::api::{ApiError, Auth, Client, GetCurrentUser, Operation};
use sprout::candidate::CurrentUser;
use sprout::connection::{AuthSettings, Connection};
use sprout::oauth::{self, OAuthError};
use sprout::protocol::{ConnectionStatus, SignInState};
use sprout::state::{self, NotReady, Store};

use crate::host::{Browser, client};
use crate::store::{BrowserStore, usable};
use crate::webext;

/// What the recruiter sees when a sign-in has ended for good.
const SIGN_IN_AGAIN: &str = "Your Greenhouse sign-in has ended. Click \"Sign in\" to sign in again.";
const NOT_SIGNED_IN: &str = "Not signed in. Click \"Sign in\" first.";
const ENTER_KEY: &str = "Enter the Partner API key again in Sprout's settings.";

/// The connection as the pages show it.
pub async fn status(store: &BrowserStore, connection: Connection) -> Result<ConnectionStatus, String> {
    let secrets = store.secrets(&connection.id).await?;
    let state = secrets.sign_in_state(&connection);
    let user = match state {
        SignInState::SignedIn => secrets.user,
        _ => None,
    };
    Ok(ConnectionStatus {
        connection,
        state,
        user,
        has_secret: secrets.secret.is_some(),
    })
}

/// Fails when the extension may not reach the connection's servers yet.
async fn check_host_permissions(connection: &Connection) -> Result<(), Failure> {
    let hosts = connection.host_patterns();
    if webext::has_host_permissions(&hosts)
        .await
        .map_err(Failure::Local)?
    {
        Ok(())
    } else {
        Err(Failure::NotReady(NotReady::NoHostAccess { hosts }))
    }
}

/// Runs the OAuth sign-in and stores the tokens and the signed-in user.
pub async fn sign_in(store: &BrowserStore, id: &str) -> Result<(), String> {
    let connection = store.connection(id).await?;
    let mut secrets = store.secrets(id).await?;
    let browser_redirect = webext::redirect_url()?;
    let config = connection
        .oauth_config(&browser_redirect, secrets.secret.clone())
        .ok_or("This connection uses a Partner API key: there is nothing to sign in to.")?;
    check_host_permissions(&connection)
        .await
        .map_err(Failure::sentence)?;
    let start = oauth::begin(&config, &Browser);
    let window = oauth::window_url(&config, &start.url, &browser_redirect);
    let redirect = webext::web_auth_flow(&window)
        .await
        .map_err(|e| format!("The sign-in window closed before Greenhouse answered ({e}). Try again."))?;
    let code = oauth::finish(&config, &redirect, &start.state).map_err(|e| oauth_failure(&e))?;
    let api = client(&connection);
    let tokens = api
        .fetch_tokens(&oauth::authorization_code_request(
            &config,
            &code,
            &start.pkce.verifier,
        ))
        .await
        .map_err(|e| oauth_failure(&e))?;
    let user = api
        .call(&Auth::bearer(&tokens.access_token), &GetCurrentUser)
        .await
        .map_err(|e| api_failure(&e))?;
    secrets.tokens = Some(tokens);
    secrets.user = Some(user);
    secrets.sign_in_again = false;
    store.put_secrets(&connection, &secrets).await
}

/// Forgets the tokens and who was signed in, in this session and on disk (the secret of the
/// connection stays).
pub async fn sign_out(store: &BrowserStore, id: &str) -> Result<(), String> {
    let connection = store.stored_connection(id).await?;
    let mut secrets = store.secrets(id).await?;
    secrets.tokens = None;
    secrets.user = None;
    secrets.sign_in_again = false;
    store.put_secrets(&connection, &secrets).await
}

/// Asks Greenhouse who is signed in, refreshing as needed, and remembers the answer.
pub async fn test(store: &BrowserStore, id: &str) -> Result<CurrentUser, String> {
    let connection = store.connection(id).await?;
    let user = call(store, &connection, &GetCurrentUser).await?;
    let mut secrets = store.secrets(id).await?;
    secrets.user = Some(user.clone());
    store.put_secrets(&connection, &secrets).await?;
    Ok(user)
}

/// Checks a Partner API key and email against `GET /current_user` before they are saved.
pub async fn check_partner_key(connection: &Connection, api_key: &str) -> Result<CurrentUser, String> {
    let AuthSettings::PartnerKey { on_behalf_of } = &connection.auth else {
        return Err("Not a Partner-key connection.".into());
    };
    check_host_permissions(connection)
        .await
        .map_err(Failure::sentence)?;
    let email = on_behalf_of.trim();
    let auth = Auth::basic(api_key.trim(), email);
    match client(connection).call(&auth, &GetCurrentUser).await {
        Ok(user) if user.email.eq_ignore_ascii_case(email) => Ok(user),
        Ok(user) => Err(format!(
            "The key works, but Greenhouse acts for {} rather than {email}. Enter the email of your own Greenhouse account.",
            user.email
        )),
        Err(ApiError::Unauthenticated { .. }) => Err(format!(
            "Greenhouse did not accept this key together with {email}. Check the key, and that the email is exactly the one of your Greenhouse account."
        )),
        Err(e) => Err(api_failure(&e)),
    }
}

/// The Partner API client of one connection.
pub type Api = Client<Browser, Browser, Browser, Browser>;

/// Why a call for a connection ended without Greenhouse's answer to it.
#[derive(Debug)]
pub enum Failure {
    /// Nothing was sent: the recruiter has to sign in (or allow access) first.
    NotReady(NotReady),
    /// Greenhouse, or the network on the way to it, answered this.
    Api(ApiError),
    /// The browser or Sprout's own storage failed.
    Local(String),
}

impl Failure {
    pub fn sentence(self) -> String {
        match self {
            Failure::NotReady(why) => not_ready_sentence(&why),
            Failure::Local(s) => s,
            Failure::Api(e) => api_failure(&e),
        }
    }
}

/// Why the connection cannot call Greenhouse right now, without calling it, for the captures
/// that wait for it; `None` when it can.
pub async fn not_ready(store: &BrowserStore, connection: &Connection) -> Result<Option<NotReady>, String> {
    if let Err(why) = usable(connection) {
        return Ok(Some(why));
    }
    match check_host_permissions(connection).await {
        Err(Failure::NotReady(why)) => return Ok(Some(why)),
        Err(other) => return Err(other.sentence()),
        Ok(()) => {}
    }
    Ok(
        match store.secrets(&connection.id).await?.sign_in_state(connection) {
            SignInState::SignedIn => None,
            SignInState::NeedsKey => Some(NotReady::NeedsKey),
            SignInState::SignedOut => Some(NotReady::SignedOut),
            SignInState::SignInAgain => Some(NotReady::SignInAgain { unsaved: None }),
        },
    )
}

/// Runs one Partner API operation for a connection (see [`authorized`]).
pub async fn call<O: Operation>(
    store: &BrowserStore,
    connection: &Connection,
    op: &O,
) -> Result<O::Output, String> {
    authorized(store, connection, async |api, auth| api.call(auth, op).await)
        .await
        .map_err(Failure::sentence)
}

/// Runs `work` with the connection's credentials (`sprout::state::authorized`: refreshed ahead of
/// expiry and once more on a 401, and "sign in again" when refreshing is refused), once this
/// browser may reach the connection's servers.
pub async fn authorized<T>(
    store: &BrowserStore,
    connection: &Connection,
    work: impl AsyncFn(&Api, &Auth) -> Result<T, ApiError>,
) -> Result<T, Failure> {
    usable(connection).map_err(Failure::NotReady)?;
    check_host_permissions(connection).await?;
    let redirect = webext::redirect_url().map_err(Failure::Local)?;
    let api = client(connection);
    state::authorized(
        store,
        &Browser,
        connection,
        &redirect,
        async |request| api.fetch_tokens(request).await,
        async |auth| work(&api, auth).await,
    )
    .await
    .map_err(|failure| match failure {
        state::Failure::NotReady(why) => Failure::NotReady(why),
        state::Failure::Api(e) => Failure::Api(e),
        state::Failure::Refresh(e) => Failure::Local(oauth_failure(&e)),
        state::Failure::Local(e) => Failure::Local(e),
    })
}

fn oauth_failure(e: &OAuthError) -> String {
    match e {
        OAuthError::StateMismatch => format!(
            "{} (The answer did not belong to this sign-in, so Sprout ignored it.)",
            e.recruiter_message()
        ),
        OAuthError::TokenEndpoint { error, .. } | OAuthError::Provider { error, .. } => {
            format!("{} ({error})", e.recruiter_message())
        }
        _ => e.recruiter_message().into(),
    }
}

fn not_ready_sentence(why: &NotReady) -> String {
    match why {
        NotReady::NeedsKey => ENTER_KEY.into(),
        NotReady::SignedOut => NOT_SIGNED_IN.into(),
        NotReady::SignInAgain { unsaved: None } => SIGN_IN_AGAIN.into(),
        NotReady::SignInAgain { unsaved: Some(e) } => {
            format!("{SIGN_IN_AGAIN} (Sprout could not update its storage: {e})")
        }
        NotReady::NoHostAccess { hosts } => format!(
            "Sprout is not allowed to reach {} yet. Click \"Save\" on this connection and allow access.",
            hosts.join(", ")
        ),
        NotReady::Unusable { detail } => format!(
            "Sprout will not use this connection as stored: {detail} Edit it and save it again in Sprout's settings."
        ),
    }
}

fn api_failure(e: &ApiError) -> String {
    format!("{} {}", e.recruiter_message(), e.next_step())
}
