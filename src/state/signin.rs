//! Refreshing an OAuth sign-in over the [`Store`], and ending one the server no longer honours.
//! Refresh tokens rotate, so two calls refreshing at once race for one token: the loser finds the
//! winner's successor in the store rather than ending a sign-in that is still valid.

use super::Store;
use crate::connection::Connection;
use crate::oauth::{OAuthError, Tokens};
use crate::secrets::Secrets;

/// How a refresh ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refresh {
    /// Carry on with this access token (new, or the one a concurrent refresh stored).
    Access(String),
    /// The sign-in has ended: it is stored as "sign in again"; `stored` says whether that worked.
    Ended { stored: Result<(), String> },
    /// The token endpoint's answer was not a grant or a refusal of it (network, server, garbage).
    Failed(OAuthError),
}

/// Trades the refresh token in `secrets` for new tokens through `exchange` (the token endpoint)
/// and stores them; `secrets` is left as stored. An error is the store's.
pub async fn refresh(
    store: &impl Store,
    connection: &Connection,
    secrets: &mut Secrets,
    exchange: impl AsyncFnOnce(&str) -> Result<Tokens, OAuthError>,
) -> Result<Refresh, String> {
    let previous = secrets.tokens.as_ref().and_then(|t| t.refresh_token.clone());
    let Some(refresh_token) = previous.clone() else {
        let stored = end_sign_in(store, connection, secrets).await;
        return Ok(Refresh::Ended { stored });
    };
    match exchange(&refresh_token).await {
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
pub async fn end_sign_in(
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
        let refreshed = run(refresh(&store, &connection, &mut secrets, async |token: &str| {
            asked.set(token.to_owned());
            Ok(tokens("new-access", None))
        }));
        assert_eq!(refreshed, Ok(Refresh::Access("new-access".into())));
        assert_eq!(asked.take(), "r1");
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
        let refreshed = run(refresh(&store, &connection, &mut secrets, async |_: &str| {
            Err(OAuthError::InvalidGrant("invalid_grant".into()))
        }));
        assert_eq!(refreshed, Ok(Refresh::Access("winner-access".into())));
        assert_eq!(secrets, winner);
        assert!(!run(store.secrets("c1")).unwrap().sign_in_again);
    }

    #[test]
    fn a_refused_refresh_token_with_no_successor_ends_the_sign_in() {
        let (store, connection, mut secrets) = setup(Some("r1"));
        let refreshed = run(refresh(&store, &connection, &mut secrets, async |_: &str| {
            Err(OAuthError::InvalidGrant("invalid_grant".into()))
        }));
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
        let refreshed = run(refresh(&store, &connection, &mut secrets, async |_: &str| {
            panic!("nothing to trade")
        }));
        assert_eq!(refreshed, Ok(Refresh::Ended { stored: Ok(()) }));
        assert!(run(store.secrets("c1")).unwrap().sign_in_again);
    }

    #[test]
    fn a_network_failure_changes_nothing_stored() {
        let (store, connection, mut secrets) = setup(Some("r1"));
        let before = secrets.clone();
        let refreshed = run(refresh(&store, &connection, &mut secrets, async |_: &str| {
            Err(OAuthError::Network("offline".into()))
        }));
        assert_eq!(
            refreshed,
            Ok(Refresh::Failed(OAuthError::Network("offline".into())))
        );
        assert_eq!(run(store.secrets("c1")), Ok(before));
    }
}
