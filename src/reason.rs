//! Why something failed or waits, as data: the core and the background store and answer these
//! reasons, and each page chooses the words for them from its `_locales`, in the reader's language.

use serde::{Deserialize, Serialize};

use crate::api::ApiError;
use crate::oauth::{ErrorCode, OAuthError};

/// What went wrong with a call to Greenhouse, or with a capture's delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    Unauthenticated,
    Forbidden,
    NotFound,
    /// Greenhouse refused some details; the item's field errors say which.
    Validation,
    RateLimited,
    Server,
    Network,
    /// A create may or may not have landed and it could not be checked.
    UnknownOutcome,
    MalformedResponse,
    /// The connection a capture was meant for has been removed.
    ConnectionRemoved,
    /// Words a version before reasons stored, that match none of its sentences: shown as they are.
    Legacy {
        message: String,
        next_step: String,
    },
}

impl From<&ApiError> for Problem {
    fn from(error: &ApiError) -> Problem {
        match error {
            ApiError::Unauthenticated { .. } => Problem::Unauthenticated,
            ApiError::Forbidden { .. } => Problem::Forbidden,
            ApiError::NotFound { .. } => Problem::NotFound,
            ApiError::Validation { .. } => Problem::Validation,
            ApiError::RateLimited { .. } => Problem::RateLimited,
            ApiError::Server { .. } => Problem::Server,
            ApiError::Network { .. } => Problem::Network,
            ApiError::UnknownOutcome { .. } => Problem::UnknownOutcome,
            ApiError::MalformedResponse { .. } => Problem::MalformedResponse,
        }
    }
}

/// Why nothing was sent for a connection: the recruiter has to act first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NotReady {
    /// A Partner-key connection without its key.
    NeedsKey,
    /// Nobody is signed in.
    SignedOut,
    /// The sign-in has ended; `unsaved` is why remembering that failed, when it did.
    SignInAgain {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unsaved: Option<String>,
    },
    /// The browser has not granted access to the connection's servers (`hosts`, as patterns).
    NoHostAccess { hosts: Vec<String> },
    /// The connection as stored does not pass its own check.
    Unusable { problem: ConnectionProblem },
}

/// Why a queued capture waits, shown on it until it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Waiting {
    /// A failure that passes by itself: Sprout tries again.
    Retrying { problem: Problem },
    /// Its connection cannot send until the recruiter acts; Sprout delivers it afterwards.
    NotReady { why: NotReady },
    /// Words a version before reasons stored, that match none of its sentences: shown as they are.
    Legacy { text: String },
}

/// Why a sign-in or a token refresh produced no tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SignInTrouble {
    /// The recruiter clicked Deny.
    Cancelled,
    /// The grant is expired, used or revoked.
    Ended,
    /// The authorization server could not be reached.
    Offline,
    /// Another server than this connection's answered (redirect, issuer or relay).
    OtherServer,
    /// The answer did not belong to this sign-in, so it was ignored.
    ForeignAnswer,
    /// Anything else; `code` is the server's OAuth error code when it sent one.
    Failed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
    },
}

impl From<&OAuthError> for SignInTrouble {
    fn from(error: &OAuthError) -> SignInTrouble {
        match error {
            OAuthError::AccessDenied => SignInTrouble::Cancelled,
            OAuthError::InvalidGrant(_) => SignInTrouble::Ended,
            OAuthError::Network(_) => SignInTrouble::Offline,
            OAuthError::WrongRedirect | OAuthError::WrongIssuer(_) | OAuthError::WrongRelay(_) => {
                SignInTrouble::OtherServer
            }
            OAuthError::StateMismatch => SignInTrouble::ForeignAnswer,
            // Only a code RFC 6749 defines is named; anything else a server sends is its own text.
            OAuthError::TokenEndpoint { error, .. } | OAuthError::Provider { error, .. } => {
                SignInTrouble::Failed {
                    code: (*error != ErrorCode::Unknown).then(|| error.as_str().to_owned()),
                }
            }
            OAuthError::MissingCode | OAuthError::MalformedResponse(_) => {
                SignInTrouble::Failed { code: None }
            }
        }
    }
}

/// Why a request to the background did not succeed, as its `Failed` or `Refused` answer says.
/// Never stored: only the background and the pages, which ship together, read it. So it is
/// externally tagged (`"item_gone"`, `{"local": {"detail": ...}}`), which serde reads without
/// buffering the value first as it must for a `kind` field inside (that took 40 KB of the popup).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Greenhouse, or the network on the way to it, answered this.
    Api {
        problem: Problem,
    },
    /// Nothing was sent: the recruiter has to act first.
    NotReady {
        why: NotReady,
    },
    SignIn {
        trouble: SignInTrouble,
    },
    /// The sign-in window closed before the server answered (`detail`: the browser's words).
    SignInWindowClosed {
        detail: String,
    },
    /// A Partner-key connection has nothing to sign in to.
    NothingToSignIn,
    /// A Partner-key check was asked of a connection that has no key.
    NotPartnerKey,
    /// The key works but Greenhouse acts for another user than the email given.
    KeyActsForOther {
        acts_for: String,
        email: String,
    },
    /// Greenhouse refused the key together with this email.
    KeyRefused {
        email: String,
    },
    /// A new Partner-key connection was saved without its key.
    KeyMissing,
    /// "DELETE" was not typed to confirm a removal.
    ConfirmRemoval,
    /// "FORGET" was not typed to confirm forgetting everything.
    ConfirmForget,
    /// A retention period outside `min..=max` days.
    RetentionOutOfRange {
        min: u32,
        max: u32,
    },
    /// The connection asked about is no longer stored.
    ConnectionGone,
    /// The connection does not pass its checks.
    InvalidConnection {
        problem: ConnectionProblem,
    },
    /// The outbox item asked about is no longer there.
    ItemGone,
    /// Only a failed item can be retried.
    NotFailed,
    /// The item may be in flight, so it cannot be discarded now.
    ItemSending,
    /// An edited item names a file it never had.
    ForeignFile {
        name: String,
    },
    /// The signed-in role may not create tracking links.
    TrackingNotAllowed,
    /// Sprout's own storage or the browser failed; `detail` is technical.
    Local {
        detail: String,
    },
    /// The background does not serve this message (unknown, or not from this extension's pages).
    Unserved {
        detail: String,
    },
}

/// Below the pages, an error `String` is a technical detail (from storage or the browser): every
/// recruiter-facing cause has its own [`Reason`].
impl From<String> for Reason {
    fn from(detail: String) -> Reason {
        Reason::Local { detail }
    }
}

impl From<&ApiError> for Reason {
    fn from(error: &ApiError) -> Reason {
        Reason::Api {
            problem: Problem::from(error),
        }
    }
}

/// The check a connection fails, as the options page or a stored copy shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConnectionProblem {
    NoName,
    NoClientId,
    /// Scopes are printable words separated by spaces.
    BadScopes,
    NotUrl {
        field: UrlField,
    },
    /// Only https, or http to this computer.
    NotHttps {
        field: UrlField,
    },
    /// The relay URL carries a query or fragment.
    RelayNotBare,
    /// The email acted on behalf of is not an address.
    BadEmail,
    /// A stored connection without an id.
    NoId,
}

/// Which address of a connection a [`ConnectionProblem`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlField {
    ApiBase,
    Authorize,
    Token,
    Relay,
}
