//! Sign-in, sign-out, refresh and "who am I" for one connection: OAuth authorization code + PKCE
//! through `identity.launchWebAuthFlow`, or a Partner API key acting on behalf of an email.
//! The background owns the whole flow, so the options page or popup may close in the middle.

use sprout::api::{ApiError, Auth, Client, GetCurrentUser, Operation};
use sprout::candidate::CurrentUser;
use sprout::connection::{AuthSettings, Connection};
use sprout::oauth;
use sprout::protocol::{ConnectionStatus, SignInState};
use sprout::reason::{Reason, SignInTrouble};
use sprout::state::{self, Failure, NotReady, Store, Work};

use crate::browser_store::{BrowserStore, usable};
use crate::host::{Browser, client};
use sprout_webext::{identity, permissions};

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

/// Why the extension may not reach the connection's servers yet, if it may not.
async fn missing_host_access(connection: &Connection) -> Result<Option<NotReady>, String> {
    let hosts = connection.host_patterns();
    let granted = permissions::has_hosts(&hosts).await?;
    Ok((!granted).then_some(NotReady::NoHostAccess { hosts }))
}

/// Fails when the extension may not reach the connection's servers yet.
async fn check_host_permissions(connection: &Connection) -> Result<(), Failure> {
    match missing_host_access(connection).await.map_err(Failure::Local)? {
        Some(why) => Err(Failure::NotReady(why)),
        None => Ok(()),
    }
}

/// Runs the OAuth sign-in and stores the tokens and the signed-in user.
pub async fn sign_in(store: &BrowserStore, id: &str) -> Result<(), Reason> {
    let connection = store.connection(id).await?;
    let mut secrets = store.secrets(id).await?;
    let browser_redirect = identity::redirect_url()?;
    let config = connection
        .oauth_config(&browser_redirect, secrets.secret.clone())
        .ok_or(Reason::NothingToSignIn)?;
    check_host_permissions(&connection).await?;
    let start = oauth::begin(&config, &Browser);
    let window = oauth::window_url(&config, &start.url, &browser_redirect);
    let redirect = identity::web_auth_flow(&window)
        .await
        .map_err(|detail| Reason::SignInWindowClosed { detail })?;
    let code = oauth::finish(&config, &redirect, &start.state).map_err(|e| sign_in_failed(&e))?;
    let api = client(&connection);
    let tokens = api
        .fetch_tokens(&oauth::authorization_code_request(
            &config,
            &code,
            &start.pkce.verifier,
        ))
        .await
        .map_err(|e| sign_in_failed(&e))?;
    let user = api
        .call(&Auth::bearer(&tokens.access_token), &GetCurrentUser)
        .await
        .map_err(|e| Reason::from(&e))?;
    secrets.tokens = Some(tokens);
    secrets.user = Some(user);
    secrets.sign_in_again = false;
    Ok(store.put_secrets(&connection, &secrets).await?)
}

/// Forgets the tokens and who was signed in, in this session and on disk (the secret of the
/// connection stays).
pub async fn sign_out(store: &BrowserStore, id: &str) -> Result<(), Reason> {
    let connection = store.stored_connection(id).await?;
    let mut secrets = store.secrets(id).await?;
    secrets.tokens = None;
    secrets.user = None;
    secrets.sign_in_again = false;
    Ok(store.put_secrets(&connection, &secrets).await?)
}

/// Asks Greenhouse who is signed in, refreshing as needed, and remembers the answer.
pub async fn test(store: &BrowserStore, id: &str) -> Result<CurrentUser, Reason> {
    let connection = store.connection(id).await?;
    let user = call(store, &connection, &GetCurrentUser).await?;
    let mut secrets = store.secrets(id).await?;
    secrets.user = Some(user.clone());
    store.put_secrets(&connection, &secrets).await?;
    Ok(user)
}

/// Checks a Partner API key and email against `GET /current_user` before they are saved.
pub async fn check_partner_key(connection: &Connection, api_key: &str) -> Result<CurrentUser, Reason> {
    let AuthSettings::PartnerKey { on_behalf_of } = &connection.auth else {
        return Err(Reason::NotPartnerKey);
    };
    check_host_permissions(connection).await?;
    let email = on_behalf_of.trim();
    let auth = Auth::basic(api_key.trim(), email);
    match client(connection).call(&auth, &GetCurrentUser).await {
        Ok(user) if user.email.eq_ignore_ascii_case(email) => Ok(user),
        Ok(user) => Err(Reason::KeyActsForOther {
            acts_for: user.email,
            email: email.to_owned(),
        }),
        Err(ApiError::Unauthenticated { .. }) => Err(Reason::KeyRefused {
            email: email.to_owned(),
        }),
        Err(e) => Err(Reason::from(&e)),
    }
}

/// The Partner API client of one connection.
pub type Api = Client<Browser, Browser, Browser, Browser>;

/// Why the connection cannot call Greenhouse right now, without calling it, for the captures
/// that wait for it; `None` when it can.
pub async fn not_ready(store: &BrowserStore, connection: &Connection) -> Result<Option<NotReady>, String> {
    if let Err(why) = usable(connection) {
        return Ok(Some(why));
    }
    if let Some(why) = missing_host_access(connection).await? {
        return Ok(Some(why));
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
) -> Result<O::Output, Reason> {
    authorized(store, connection, async |api, auth| api.call(auth, op).await)
        .await
        .map_err(Reason::from)
}

/// Runs `work` with the connection's credentials (`sprout::state::authorized`: refreshed ahead of
/// expiry and once more on a 401, and "sign in again" when refreshing is refused), once this
/// browser may reach the connection's servers.
pub async fn authorized<T>(
    store: &BrowserStore,
    connection: &Connection,
    work: impl AsyncFn(&Api, &Auth) -> Result<T, ApiError>,
) -> Result<T, Failure> {
    let api = client(connection);
    state::boxing(
        async |auth| work(&api, auth).await,
        async |work| authorized_boxed(store, connection, &api, work).await,
    )
    .await
}

/// [`authorized`] for any work alike (see `sprout::state::boxing`).
async fn authorized_boxed(
    store: &BrowserStore,
    connection: &Connection,
    api: &Api,
    work: &Work<'_>,
) -> Result<(), Failure> {
    usable(connection).map_err(Failure::NotReady)?;
    check_host_permissions(connection).await?;
    let redirect = identity::redirect_url().map_err(Failure::Local)?;
    state::authorized(
        store,
        &Browser,
        connection,
        &redirect,
        async |request| api.fetch_tokens(request).await,
        work,
    )
    .await
}

fn sign_in_failed(e: &oauth::OAuthError) -> Reason {
    Reason::SignIn {
        trouble: SignInTrouble::from(e),
    }
}
