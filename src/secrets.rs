//! What a connection's sign-in holds, and which part of it outlives the browser session.
//!
//! The whole of it lives in `storage.session` while the browser runs. Unless the recruiter chose
//! "Forget my sign-in when the browser closes", the part needed to carry on after a restart (the
//! refresh token, the Partner API key or client secret, who is signed in) is also kept on disk in
//! the extension's IndexedDB. An access token is never kept on disk: after a restart the first
//! call refreshes.

use serde::{Deserialize, Serialize};

use crate::candidate::CurrentUser;
use crate::oauth::Tokens;

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
