//! Why something failed or waits, as data: the core and the background store and answer these
//! reasons, and each page chooses the words for them from its `_locales`, in the reader's language.

use serde::{Deserialize, Serialize};

use crate::api::ApiError;

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
    /// The connection as stored does not pass its own check (`detail` says which rule).
    Unusable { detail: String },
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
