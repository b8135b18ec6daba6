//! What a connection's sign-in holds, and which part of it outlives the browser session.
//!
//! The whole of it lives in `storage.session` while the browser runs. Unless the recruiter chose
//! "Forget my sign-in when the browser closes", the part needed to carry on after a restart (the
//! refresh token, the Partner API key or client secret, who is signed in) is also kept on disk in
//! the extension's IndexedDB. An access token is never kept on disk: after a restart the first
//! call refreshes.

use serde::{Deserialize, Serialize};

use crate::candidate::CurrentUser;
use crate::connection::{AuthSettings, Connection};
use crate::oauth::Tokens;
use crate::protocol::SignInState;

/// The secret and per-sign-in part of a connection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Secrets {
    pub tokens: Option<Tokens>,
    /// The Partner API key (Partner-key mode) or the OAuth client secret (private deployment).
    pub secret: Option<String>,
    pub user: Option<CurrentUser>,
    /// Set when a refresh was refused: the recruiter has to sign in again.
    pub sign_in_again: bool,
}

/// What is kept across browser restarts: everything but the access token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub user: Option<CurrentUser>,
    #[serde(default)]
    pub sign_in_again: bool,
}

impl Secrets {
    /// What to keep on disk; `None` means delete what is kept (the recruiter chose to forget on
    /// close, or there is nothing worth keeping).
    pub fn to_keep(&self, forget_on_close: bool) -> Option<Kept> {
        if forget_on_close {
            return None;
        }
        let kept = Kept {
            refresh_token: self.tokens.as_ref().and_then(|t| t.refresh_token.clone()),
            secret: self.secret.clone(),
            user: self.user.clone(),
            sign_in_again: self.sign_in_again,
        };
        (kept != Kept::default()).then_some(kept)
    }

    /// What a connection keeps when the recruiter saves it as `edited`: `self` is what was stored,
    /// `previous` the connection as it was (`None` when it is new) and `typed` what was entered in
    /// the secret field. A secret stays only with the origin it was given for, since it is sent
    /// there: a Partner API key with the API's origin, a client secret with the token endpoint's
    /// (or relay's), and a key never becomes a client secret nor the reverse. Tokens and who is
    /// signed in belong to the exact server and client they came from.
    pub fn after_edit(
        self,
        previous: Option<&Connection>,
        edited: &Connection,
        typed: Option<&str>,
    ) -> Secrets {
        let typed = typed.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let Some(previous) = previous else {
            return Secrets {
                secret: typed,
                ..Secrets::default()
            };
        };
        let same_server = previous.api_base_url == edited.api_base_url && previous.auth == edited.auth;
        let given_for = secret_origin(previous);
        let same_secret_origin = given_for.is_some() && given_for == secret_origin(edited);
        let kept = if same_server {
            self
        } else {
            Secrets {
                secret: self.secret,
                ..Secrets::default()
            }
        };
        Secrets {
            secret: typed.or(kept.secret.filter(|_| same_secret_origin)),
            ..kept
        }
    }

    /// Where the connection's sign-in stands with these secrets, without asking the server.
    pub fn sign_in_state(&self, connection: &Connection) -> SignInState {
        match &connection.auth {
            AuthSettings::PartnerKey { .. } if self.secret.is_none() => SignInState::NeedsKey,
            AuthSettings::PartnerKey { .. } => SignInState::SignedIn,
            AuthSettings::Oauth { .. } if self.tokens.is_some() => SignInState::SignedIn,
            AuthSettings::Oauth { .. } if self.sign_in_again => SignInState::SignInAgain,
            AuthSettings::Oauth { .. } => SignInState::SignedOut,
        }
    }

    /// After a restart: the kept part, with an access token that is already expired so that the
    /// first call trades the refresh token for a fresh one. Without a refresh token the recruiter
    /// signs in again (the server gave none, so the sign-in could not have lasted).
    pub fn from_kept(kept: Kept) -> Secrets {
        Secrets {
            tokens: kept.refresh_token.map(|refresh| Tokens {
                access_token: String::new(),
                refresh_token: Some(refresh),
                expires_at_ms: Some(0),
                issued_at_ms: 0,
                scope: None,
            }),
            secret: kept.secret,
            user: kept.user,
            sign_in_again: kept.sign_in_again,
        }
    }
}

/// Which kind of secret a connection takes, and the origin it is sent to.
fn secret_origin(connection: &Connection) -> Option<(&'static str, String)> {
    match connection.auth {
        AuthSettings::PartnerKey { .. } => Some(("partner key", connection.api_origin()?)),
        AuthSettings::Oauth { .. } => Some(("client secret", connection.token_origin()?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::DEFAULT_SKEW;

    fn signed_in() -> Secrets {
        Secrets {
            tokens: Some(Tokens {
                access_token: "acc".into(),
                refresh_token: Some("ref".into()),
                expires_at_ms: Some(10_000),
                issued_at_ms: 0,
                scope: Some("jobs.view".into()),
            }),
            secret: Some("client-secret".into()),
            user: Some(CurrentUser {
                id: Some(1),
                name: "Ada".into(),
                email: "ada@acme.com".into(),
            }),
            sign_in_again: false,
        }
    }

    #[test]
    fn the_access_token_is_never_kept_and_forget_on_close_keeps_nothing() {
        let kept = signed_in().to_keep(false).unwrap();
        assert_eq!(kept.refresh_token.as_deref(), Some("ref"));
        assert_eq!(kept.secret.as_deref(), Some("client-secret"));
        assert!(!serde_json::to_string(&kept).unwrap().contains("acc"));
        assert_eq!(signed_in().to_keep(true), None);
        assert_eq!(
            Secrets::default().to_keep(false),
            None,
            "signed out: nothing to keep"
        );
    }

    #[test]
    fn after_a_restart_the_first_call_refreshes() {
        let back = Secrets::from_kept(signed_in().to_keep(false).unwrap());
        let tokens = back.tokens.as_ref().unwrap();
        assert_eq!(tokens.refresh_token.as_deref(), Some("ref"));
        assert!(tokens.is_expired(0, DEFAULT_SKEW));
        assert_eq!(back.user, signed_in().user);
        assert_eq!(back.secret, signed_in().secret);
    }

    #[test]
    fn a_partner_key_is_kept_like_a_sign_in() {
        let key = Secrets {
            secret: Some("partner-key".into()),
            user: signed_in().user,
            ..Secrets::default()
        };
        let back = Secrets::from_kept(key.to_keep(false).unwrap());
        assert_eq!(back.secret.as_deref(), Some("partner-key"));
        assert_eq!(back.tokens, None);
        assert_eq!(key.to_keep(true), None);
    }

    #[test]
    fn a_sign_in_without_refresh_token_does_not_survive_but_sign_in_again_does() {
        let mut no_refresh = signed_in();
        no_refresh.tokens.as_mut().unwrap().refresh_token = None;
        no_refresh.secret = None;
        let back = Secrets::from_kept(no_refresh.to_keep(false).unwrap());
        assert_eq!(back.tokens, None);
        let ended = Secrets {
            sign_in_again: true,
            ..Secrets::default()
        };
        assert!(Secrets::from_kept(ended.to_keep(false).unwrap()).sign_in_again);
    }
}

#[cfg(test)]
mod edit_tests {
    use super::*;
    use crate::api::{Dialect, GREENHOUSE_BASE_URL};
    use crate::connection::{GREENHOUSE_AUTHORIZE_URL, GREENHOUSE_TOKEN_URL};

    fn user() -> CurrentUser {
        CurrentUser {
            id: Some(1),
            name: "Ada".into(),
            email: "ada@acme.com".into(),
        }
    }

    fn keyed(api: &str) -> Connection {
        Connection {
            id: "c1".into(),
            caption: "Acme".into(),
            api_base_url: api.into(),
            dialect: Dialect::Greenhouse,
            auth: AuthSettings::PartnerKey {
                on_behalf_of: "ada@acme.com".into(),
            },
            forget_on_close: false,
        }
    }

    fn private(token_url: &str, relay: Option<&str>) -> Connection {
        let mut c = Connection::greenhouse_oauth("Acme", "id");
        c.id = "c1".into();
        c.auth = AuthSettings::Oauth {
            client_id: "id".into(),
            authorize_url: GREENHOUSE_AUTHORIZE_URL.into(),
            token_url: token_url.into(),
            scopes: String::new(),
            relay: relay.map(str::to_owned),
        };
        c
    }

    fn stored(secret: &str) -> Secrets {
        Secrets {
            tokens: Some(Tokens {
                access_token: "acc".into(),
                refresh_token: Some("ref".into()),
                expires_at_ms: Some(10_000),
                issued_at_ms: 0,
                scope: None,
            }),
            secret: Some(secret.into()),
            user: Some(user()),
            sign_in_again: false,
        }
    }

    #[test]
    fn an_edit_that_keeps_the_servers_keeps_every_secret() {
        let before = private(GREENHOUSE_TOKEN_URL, None);
        let mut renamed = before.clone();
        renamed.caption = "Acme (EU)".into();
        renamed.forget_on_close = true;
        assert_eq!(
            stored("s3cret").after_edit(Some(&before), &renamed, None),
            stored("s3cret")
        );
        let key = keyed(GREENHOUSE_BASE_URL);
        assert_eq!(
            stored("k").after_edit(Some(&key), &key, Some("  ")),
            stored("k"),
            "a blank secret field keeps the stored one"
        );
    }

    #[test]
    fn a_partner_key_stays_with_the_api_origin_it_was_given_for() {
        let before = keyed(GREENHOUSE_BASE_URL);
        let moved = keyed("https://evil.example/v1/partner");
        let after = stored("k").after_edit(Some(&before), &moved, None);
        assert_eq!(after, Secrets::default(), "nothing goes to the new origin");
        // Another path on the same origin is the same server's: the key stays, the sign-in
        // (checked again on save) does not.
        let path = keyed("https://api.greenhouse.io/v2/partner");
        let after = stored("k").after_edit(Some(&before), &path, None);
        assert_eq!(after.secret.as_deref(), Some("k"));
        assert_eq!((after.tokens, after.user), (None, None));
    }

    #[test]
    fn a_client_secret_and_the_tokens_stay_with_the_token_origin() {
        let before = private("https://login.acme.com/oauth/token", None);
        for moved in [
            private("https://login.evil.example/oauth/token", None),
            private(
                "https://login.acme.com/oauth/token",
                Some("https://relay.acme.com"),
            ),
        ] {
            let after = stored("s3cret").after_edit(Some(&before), &moved, None);
            assert_eq!(after, Secrets::default(), "{:?}", moved.auth);
        }
        // Same token origin, other scopes: the secret stays, the tokens were granted for others.
        let mut rescoped = before.clone();
        if let AuthSettings::Oauth { scopes, .. } = &mut rescoped.auth {
            *scopes = "jobs.view".into();
        }
        let after = stored("s3cret").after_edit(Some(&before), &rescoped, None);
        assert_eq!(after.secret.as_deref(), Some("s3cret"));
        assert_eq!((after.tokens, after.user), (None, None));
        // The API moving elsewhere ends the sign-in; the client secret is not sent there.
        let mut api_moved = before.clone();
        api_moved.api_base_url = "https://api.evil.example/v1/partner".into();
        let after = stored("s3cret").after_edit(Some(&before), &api_moved, None);
        assert_eq!(after.secret.as_deref(), Some("s3cret"));
        assert_eq!(after.tokens, None);
    }

    #[test]
    fn a_key_never_becomes_a_client_secret_nor_the_reverse() {
        let key = keyed(GREENHOUSE_BASE_URL);
        let oauth = private(GREENHOUSE_TOKEN_URL, None);
        assert_eq!(
            stored("k").after_edit(Some(&key), &oauth, None),
            Secrets::default()
        );
        assert_eq!(
            stored("s3cret").after_edit(Some(&oauth), &key, None),
            Secrets::default()
        );
    }

    #[test]
    fn a_typed_secret_replaces_the_stored_one_even_where_the_origin_changed() {
        let before = keyed(GREENHOUSE_BASE_URL);
        let moved = keyed("https://api.acme.example/v1/partner");
        let after = stored("old").after_edit(Some(&before), &moved, Some(" new \n"));
        assert_eq!(after.secret.as_deref(), Some("new"));
        assert_eq!(after.tokens, None);
        let after = stored("old").after_edit(Some(&before), &before, Some("new"));
        assert_eq!(after.secret.as_deref(), Some("new"));
        assert_eq!(after.user, Some(user()));
        // A new connection starts with what was typed and nothing else.
        let new = Secrets::default().after_edit(None, &before, Some("k"));
        assert_eq!(
            new,
            Secrets {
                secret: Some("k".into()),
                ..Secrets::default()
            }
        );
    }

    #[test]
    fn the_sign_in_state_follows_the_mode_and_what_is_held() {
        let key = keyed(GREENHOUSE_BASE_URL);
        let oauth = private(GREENHOUSE_TOKEN_URL, None);
        let none = Secrets::default();
        assert_eq!(none.sign_in_state(&key), SignInState::NeedsKey);
        assert_eq!(stored("k").sign_in_state(&key), SignInState::SignedIn);
        assert_eq!(none.sign_in_state(&oauth), SignInState::SignedOut);
        assert_eq!(stored("s").sign_in_state(&oauth), SignInState::SignedIn);
        let ended = Secrets {
            sign_in_again: true,
            secret: Some("s".into()),
            ..Secrets::default()
        };
        assert_eq!(ended.sign_in_state(&oauth), SignInState::SignInAgain);
        // A client secret alone is no sign-in.
        let secret_only = Secrets {
            secret: Some("s".into()),
            ..Secrets::default()
        };
        assert_eq!(secret_only.sign_in_state(&oauth), SignInState::SignedOut);
    }

    #[test]
    fn an_unreadable_origin_keeps_no_secret() {
        let before = keyed("not a url");
        assert_eq!(
            stored("k")
                .after_edit(Some(&before), &keyed("still not"), None)
                .secret,
            None
        );
    }
}
