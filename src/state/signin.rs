//! Calling a connection's server with its credentials, over the [`Store`]: a Partner API key, or
//! an OAuth access token refreshed ahead of expiry and once more on a 401, and a sign-in ended
//! when the server no longer honours it. Refresh tokens rotate, so two calls refreshing at once
//! race for one token: the loser finds the winner's successor in the store rather than ending a
//! sign-in that is still valid.

use std::cell::Cell;
use std::pin::Pin;

use super::Store;
use crate::api::{ApiError, ApiRequest, Auth, Clock};
use crate::connection::{AuthSettings, Connection};
use crate::oauth::{self, DEFAULT_SKEW, OAuthError, Tokens};
pub use crate::reason::NotReady;
use crate::reason::{Reason, SignInTrouble};
use crate::secrets::Secrets;

/// Why a call for a connection ended without the server's answer to it.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    NotReady(NotReady),
    /// The server, or the network on the way to it, answered this.
    Api(ApiError),
    /// The token endpoint refused or garbled a refresh, other than by ending the sign-in.
    Refresh(OAuthError),
    /// Sprout's own storage failed.
    Local(String),
}

impl From<Failure> for Reason {
    fn from(failure: Failure) -> Reason {
        match failure {
            Failure::NotReady(why) => Reason::NotReady { why },
            Failure::Api(e) => Reason::from(&e),
            Failure::Refresh(e) => Reason::SignIn {
                trouble: SignInTrouble::from(&e),
            },
            Failure::Local(detail) => Reason::Local { detail },
        }
    }
}

/// How a refresh ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refresh {
    /// Carry on with this access token (new, or the one a concurrent refresh stored).
    Access(String),
    /// The sign-in has ended: it is stored as "sign in again"; `stored` says whether that worked.
    Ended { stored: Result<(), String> },
    /// The token endpoint's answer was not a grant or a refusal of it (network, server, garbage).
    Failed(OAuthError),
}

/// One run of the work [`authorized`] is given: its answer is kept aside by [`boxing`],
/// only success or the server's refusal comes back.
pub type Work<'w> = dyn Fn(Auth) -> Pin<Box<dyn Future<Output = Result<(), ApiError>> + 'w>> + 'w;

/// Hands `run` the work boxed behind [`Work`], and gives back the answer of its last successful
/// run. What `run` does around the work (the credentials, their refresh, the retries) is then
/// compiled once, not once per kind of work: about 4 KB gzipped off the background's wasm.
pub async fn boxing<T>(
    work: impl AsyncFn(&Auth) -> Result<T, ApiError>,
    run: impl AsyncFnOnce(&Work<'_>) -> Result<(), Failure>,
) -> Result<T, Failure> {
    let answer = Cell::new(None);
    let (kept, work) = (&answer, &work);
    let boxed = move |auth: Auth| -> Pin<Box<dyn Future<Output = Result<(), ApiError>> + '_>> {
        Box::pin(async move {
            kept.set(Some(work(&auth).await?));
            Ok(())
        })
    };
    run(&boxed).await?;
    answer
        .into_inner()
        .ok_or_else(|| Failure::Local("the call succeeded without running its work".into()))
}

/// Runs `work` (boxed by [`boxing`]) with the connection's credentials. An OAuth access token is
/// refreshed first when it is about to expire, and once more on a 401 (which the server answers
/// before doing anything, so running `work` again is safe); a 401 with a fresh token ends the
/// sign-in. `browser_redirect` is the browser's OAuth redirect URL and `fetch_tokens` the token endpoint.
pub async fn authorized(
    store: &impl Store,
    clock: &impl Clock,
    connection: &Connection,
    browser_redirect: &str,
    fetch_tokens: impl AsyncFn(&ApiRequest) -> Result<Tokens, OAuthError>,
    work: &Work<'_>,
) -> Result<(), Failure> {
    let mut secrets = store.secrets(&connection.id).await.map_err(Failure::Local)?;
    if let AuthSettings::PartnerKey { on_behalf_of } = &connection.auth {
        let key = secrets.secret.ok_or(Failure::NotReady(NotReady::NeedsKey))?;
        return work(Auth::basic(key, on_behalf_of.clone()))
            .await
            .map_err(Failure::Api);
    }
    let Some(tokens) = secrets.tokens.clone() else {
        return Err(Failure::NotReady(if secrets.sign_in_again {
            NotReady::SignInAgain { unsaved: None }
        } else {
            NotReady::SignedOut
        }));
    };
    let refreshed = async |secrets: &mut Secrets| {
        match refresh(store, connection, secrets, browser_redirect, &fetch_tokens).await {
            Err(e) => Err(Failure::Local(e)),
            Ok(Refresh::Access(access)) => Ok(access),
            Ok(Refresh::Ended { stored }) => Err(ended(stored)),
            // Nothing reached the token endpoint's answer: it passes like any network failure.
            Ok(Refresh::Failed(OAuthError::Network(detail))) => {
                Err(Failure::Api(ApiError::Network { detail }))
            }
            Ok(Refresh::Failed(e)) => Err(Failure::Refresh(e)),
        }
    };
    let fresh = tokens.is_expired(clock.now_ms(), DEFAULT_SKEW);
    let access = if fresh {
        refreshed(&mut secrets).await?
    } else {
        tokens.access_token
    };
    match work(Auth::bearer(access)).await {
        Err(ApiError::Unauthenticated { .. }) if !fresh => {
            let access = refreshed(&mut secrets).await?;
            match work(Auth::bearer(access)).await {
                Err(ApiError::Unauthenticated { .. }) => {
                    Err(ended(end_sign_in(store, connection, &mut secrets).await))
                }
                other => other.map_err(Failure::Api),
            }
        }
        Err(ApiError::Unauthenticated { .. }) => {
            Err(ended(end_sign_in(store, connection, &mut secrets).await))
        }
        other => other.map_err(Failure::Api),
    }
}

fn ended(stored: Result<(), String>) -> Failure {
    Failure::NotReady(NotReady::SignInAgain {
        unsaved: stored.err(),
    })
}

/// Trades the refresh token in `secrets` for new tokens at the connection's token endpoint
/// (`fetch_tokens`) and stores them; `secrets` is left as stored. An error is the store's.
async fn refresh(
    store: &impl Store,
    connection: &Connection,
    secrets: &mut Secrets,
    browser_redirect: &str,
    fetch_tokens: &impl AsyncFn(&ApiRequest) -> Result<Tokens, OAuthError>,
) -> Result<Refresh, String> {
    let previous = secrets.tokens.as_ref().and_then(|t| t.refresh_token.clone());
    let Some(refresh_token) = previous.clone() else {
        let stored = end_sign_in(store, connection, secrets).await;
        return Ok(Refresh::Ended { stored });
    };
    let config = connection
        .oauth_config(browser_redirect, secrets.secret.clone())
        .ok_or("Not an OAuth connection.")?;
    match fetch_tokens(&oauth::refresh_request(&config, &refresh_token)).await {
        Ok(tokens) => {
            // A server that does not rotate gives no new refresh token: the old one stays good.
            let tokens = tokens.or_refresh_token(previous);
            let access = tokens.access_token.clone();
            secrets.tokens = Some(tokens);
            store.put_secrets(connection, secrets).await?;
            Ok(Refresh::Access(access))
        }
        Err(OAuthError::InvalidGrant(_)) => {
            let latest = store.secrets(&connection.id).await?;
            match latest.tokens.as_ref() {
                Some(tokens) if tokens.refresh_token != previous => {
                    let access = tokens.access_token.clone();
                    *secrets = latest;
                    Ok(Refresh::Access(access))
                }
                _ => {
                    let stored = end_sign_in(store, connection, secrets).await;
                    Ok(Refresh::Ended { stored })
                }
            }
        }
        Err(e) => Ok(Refresh::Failed(e)),
    }
}

/// Drops the tokens of a sign-in the server no longer honours, and who was signed in, and
/// remembers that the recruiter has to sign in again.
async fn end_sign_in(
    store: &impl Store,
    connection: &Connection,
    secrets: &mut Secrets,
) -> Result<(), String> {
    secrets.tokens = None;
    secrets.user = None;
    secrets.sign_in_again = true;
    store.put_secrets(connection, secrets).await
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::candidate::CurrentUser;
    use crate::state::memory::{MemoryStore, run};

    const REDIRECT: &str = "https://abc.chromiumapp.org/";

    fn tokens(access: &str, refresh: Option<&str>) -> Tokens {
        Tokens {
            access_token: access.into(),
            refresh_token: refresh.map(str::to_owned),
            expires_at_ms: Some(0),
            issued_at_ms: 0,
            scope: None,
        }
    }

    fn signed_in(refresh: Option<&str>) -> Secrets {
        Secrets {
            tokens: Some(tokens("old-access", refresh)),
            secret: None,
            user: Some(CurrentUser {
                id: Some(1),
                name: "Ada".into(),
                email: "ada@acme.com".into(),
            }),
            sign_in_again: false,
        }
    }

    fn setup(refresh: Option<&str>) -> (MemoryStore, Connection, Secrets) {
        let store = MemoryStore::default();
        let mut connection = Connection::greenhouse_oauth("Acme", "id");
        connection.id = "c1".into();
        let secrets = signed_in(refresh);
        run(store.put_secrets(&connection, &secrets)).unwrap();
        (store, connection, secrets)
    }

    #[test]
    fn a_refresh_stores_the_new_tokens_and_keeps_a_refresh_token_that_did_not_rotate() {
        let (store, connection, mut secrets) = setup(Some("r1"));
        let asked = Cell::new(String::new());
        let refreshed = run(refresh(
            &store,
            &connection,
            &mut secrets,
            REDIRECT,
            &async |request: &ApiRequest| {
                asked.set(request.body.clone().unwrap_or_default());
                Ok(tokens("new-access", None))
            },
        ));
        assert_eq!(refreshed, Ok(Refresh::Access("new-access".into())));
        assert!(asked.take().contains("refresh_token=r1"));
        let stored = run(store.secrets("c1")).unwrap();
        assert_eq!(stored, secrets);
        assert_eq!(stored.tokens.unwrap().refresh_token.as_deref(), Some("r1"));
    }

    #[test]
    fn losing_the_rotation_race_uses_the_successor_another_call_stored() {
        let (store, connection, mut secrets) = setup(Some("r1"));
        // Another call refreshed with r1 a moment ago and stored r2; the server now refuses r1.
        let mut winner = signed_in(Some("r2"));
        winner.tokens.as_mut().unwrap().access_token = "winner-access".into();
        run(store.put_secrets(&connection, &winner)).unwrap();
        let refreshed = run(refresh(
            &store,
            &connection,
            &mut secrets,
            REDIRECT,
            &async |_: &ApiRequest| Err(OAuthError::InvalidGrant("invalid_grant".into())),
        ));
        assert_eq!(refreshed, Ok(Refresh::Access("winner-access".into())));
        assert_eq!(secrets, winner);
        assert!(!run(store.secrets("c1")).unwrap().sign_in_again);
    }

    #[test]
    fn a_refused_refresh_token_with_no_successor_ends_the_sign_in() {
        let (store, connection, mut secrets) = setup(Some("r1"));
        let refreshed = run(refresh(
            &store,
            &connection,
            &mut secrets,
            REDIRECT,
            &async |_: &ApiRequest| Err(OAuthError::InvalidGrant("invalid_grant".into())),
        ));
        assert_eq!(refreshed, Ok(Refresh::Ended { stored: Ok(()) }));
        let stored = run(store.secrets("c1")).unwrap();
        assert_eq!(
            (stored.tokens, stored.user, stored.sign_in_again),
            (None, None, true)
        );
    }

    #[test]
    fn without_a_refresh_token_the_sign_in_ends_without_asking_the_server() {
        let (store, connection, mut secrets) = setup(None);
        let refreshed = run(refresh(
            &store,
            &connection,
            &mut secrets,
            REDIRECT,
            &async |_: &ApiRequest| panic!("nothing to trade"),
        ));
        assert_eq!(refreshed, Ok(Refresh::Ended { stored: Ok(()) }));
        assert!(run(store.secrets("c1")).unwrap().sign_in_again);
    }

    #[test]
    fn a_network_failure_changes_nothing_stored() {
        let (store, connection, mut secrets) = setup(Some("r1"));
        let before = secrets.clone();
        let refreshed = run(refresh(
            &store,
            &connection,
            &mut secrets,
            REDIRECT,
            &async |_: &ApiRequest| Err(OAuthError::Network("offline".into())),
        ));
        assert_eq!(
            refreshed,
            Ok(Refresh::Failed(OAuthError::Network("offline".into())))
        );
        assert_eq!(run(store.secrets("c1")), Ok(before));
    }

    /// Runs `authorized` through `boxing`, as the background does, with a token endpoint that
    /// grants `granted` (or refuses it when `None`) and a server that accepts only the access tokens
    /// in `good`; returns what the work saw.
    fn call(
        store: &MemoryStore,
        connection: &Connection,
        now: u64,
        granted: Option<&str>,
        good: &[&str],
    ) -> (Result<String, Failure>, Vec<String>) {
        struct At(u64);
        impl Clock for At {
            fn now_ms(&self) -> u64 {
                self.0
            }
        }
        let seen = std::cell::RefCell::new(vec![]);
        let fetch_tokens = async |_: &ApiRequest| match granted {
            Some(access) => Ok(tokens(access, Some("r2"))),
            None => Err(OAuthError::InvalidGrant("invalid_grant".into())),
        };
        let result = run(boxing(
            async |auth: &Auth| {
                let shown = match auth {
                    Auth::Bearer { access_token } => access_token.clone(),
                    Auth::Basic {
                        api_key,
                        on_behalf_of,
                    } => format!("{api_key} for {on_behalf_of}"),
                };
                seen.borrow_mut().push(shown.clone());
                if good.contains(&shown.as_str()) {
                    Ok(shown)
                } else {
                    Err(ApiError::Unauthenticated {
                        message: "401".into(),
                    })
                }
            },
            async |work| authorized(store, &At(now), connection, REDIRECT, fetch_tokens, work).await,
        ));
        (result, seen.into_inner())
    }

    fn valid_until(store: &MemoryStore, connection: &Connection, expires_at_ms: u64) {
        let mut secrets = signed_in(Some("r1"));
        secrets.tokens.as_mut().unwrap().expires_at_ms = Some(expires_at_ms);
        run(store.put_secrets(connection, &secrets)).unwrap();
    }

    #[test]
    fn a_partner_key_acts_for_its_email_and_a_missing_one_sends_nothing() {
        let store = MemoryStore::default();
        let mut key = Connection::greenhouse_oauth("Acme", "id");
        key.id = "k".into();
        key.auth = AuthSettings::PartnerKey {
            on_behalf_of: "ada@acme.com".into(),
        };
        let (result, seen) = call(&store, &key, 0, None, &[]);
        assert_eq!(result, Err(Failure::NotReady(NotReady::NeedsKey)));
        assert!(seen.is_empty());
        let secrets = Secrets {
            secret: Some("k3y".into()),
            ..Secrets::default()
        };
        run(store.put_secrets(&key, &secrets)).unwrap();
        let (result, _) = call(&store, &key, 0, None, &["k3y for ada@acme.com"]);
        assert_eq!(result, Ok("k3y for ada@acme.com".into()));
    }

    #[test]
    fn nobody_signed_in_and_an_ended_sign_in_send_nothing() {
        let (store, connection, _) = setup(Some("r1"));
        run(store.put_secrets(&connection, &Secrets::default())).unwrap();
        assert_eq!(
            call(&store, &connection, 0, None, &[]),
            (Err(Failure::NotReady(NotReady::SignedOut)), vec![])
        );
        let ended = Secrets {
            sign_in_again: true,
            ..Secrets::default()
        };
        run(store.put_secrets(&connection, &ended)).unwrap();
        assert_eq!(
            call(&store, &connection, 0, None, &[]),
            (
                Err(Failure::NotReady(NotReady::SignInAgain { unsaved: None })),
                vec![]
            )
        );
    }

    #[test]
    fn a_token_about_to_expire_is_refreshed_before_the_call() {
        let (store, connection, _) = setup(Some("r1"));
        valid_until(&store, &connection, 3_600_000);
        let (result, seen) = call(
            &store,
            &connection,
            3_590_000,
            Some("new-access"),
            &["new-access"],
        );
        assert_eq!(result, Ok("new-access".into()));
        assert_eq!(seen, ["new-access"]);
        let stored = run(store.secrets("c1")).unwrap().tokens.unwrap();
        assert_eq!(stored.refresh_token.as_deref(), Some("r2"));
    }

    #[test]
    fn a_401_refreshes_once_and_a_second_401_ends_the_sign_in() {
        let (store, connection, _) = setup(Some("r1"));
        valid_until(&store, &connection, 3_600_000);
        let (result, seen) = call(&store, &connection, 0, Some("new-access"), &["new-access"]);
        assert_eq!(result, Ok("new-access".into()));
        assert_eq!(seen, ["old-access", "new-access"]);
        // The server refuses even the fresh token: the sign-in ends, remembered as such.
        let (store, connection, _) = setup(Some("r1"));
        valid_until(&store, &connection, 3_600_000);
        let (result, seen) = call(&store, &connection, 0, Some("new-access"), &[]);
        assert_eq!(
            result,
            Err(Failure::NotReady(NotReady::SignInAgain { unsaved: None }))
        );
        assert_eq!(seen.len(), 2, "never a third try");
        let stored = run(store.secrets("c1")).unwrap();
        assert_eq!((stored.tokens, stored.sign_in_again), (None, true));
    }

    #[test]
    fn a_refused_refresh_ends_the_sign_in_without_calling_again() {
        let (store, connection, _) = setup(Some("r1"));
        valid_until(&store, &connection, 0);
        let (result, seen) = call(&store, &connection, 10, None, &[]);
        assert_eq!(
            result,
            Err(Failure::NotReady(NotReady::SignInAgain { unsaved: None }))
        );
        assert!(seen.is_empty());
        assert!(run(store.secrets("c1")).unwrap().sign_in_again);
    }
}
