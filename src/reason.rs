//! Why something failed or waits, as data: the core and the background store and answer these
//! reasons, and each page chooses the words for them from its `_locales`, in the reader's language.

use serde::{Deserialize, Serialize};

use crate::api::ApiError;
use crate::oauth::{ErrorCode, OAuthError};

// The enums below are stored (in outbox items) as objects tagged `kind`. Each is read through a
// flat struct of its tag and every variant's fields, then converted: the same objects in any key
// order, without serde's internally tagged decoding, which buffers the whole value first (its
// private `Content`) and so compiles each variant's decoding once more per format.

/// What went wrong with a call to Greenhouse, or with a capture's delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "ProblemFields")]
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

#[derive(Deserialize)]
struct ProblemFields {
    kind: ProblemKind,
    message: Option<String>,
    next_step: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ProblemKind {
    Unauthenticated,
    Forbidden,
    NotFound,
    Validation,
    RateLimited,
    Server,
    Network,
    UnknownOutcome,
    MalformedResponse,
    ConnectionRemoved,
    Legacy,
}

impl TryFrom<ProblemFields> for Problem {
    type Error = &'static str;

    fn try_from(fields: ProblemFields) -> Result<Problem, Self::Error> {
        Ok(match fields.kind {
            ProblemKind::Unauthenticated => Problem::Unauthenticated,
            ProblemKind::Forbidden => Problem::Forbidden,
            ProblemKind::NotFound => Problem::NotFound,
            ProblemKind::Validation => Problem::Validation,
            ProblemKind::RateLimited => Problem::RateLimited,
            ProblemKind::Server => Problem::Server,
            ProblemKind::Network => Problem::Network,
            ProblemKind::UnknownOutcome => Problem::UnknownOutcome,
            ProblemKind::MalformedResponse => Problem::MalformedResponse,
            ProblemKind::ConnectionRemoved => Problem::ConnectionRemoved,
            ProblemKind::Legacy => Problem::Legacy {
                message: fields.message.ok_or("missing field `message`")?,
                next_step: fields.next_step.ok_or("missing field `next_step`")?,
            },
        })
    }
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
#[serde(tag = "kind", rename_all = "snake_case", try_from = "NotReadyFields")]
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

#[derive(Deserialize)]
struct NotReadyFields {
    kind: NotReadyKind,
    unsaved: Option<String>,
    hosts: Option<Vec<String>>,
    problem: Option<ConnectionProblem>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum NotReadyKind {
    NeedsKey,
    SignedOut,
    SignInAgain,
    NoHostAccess,
    Unusable,
}

impl TryFrom<NotReadyFields> for NotReady {
    type Error = &'static str;

    fn try_from(fields: NotReadyFields) -> Result<NotReady, Self::Error> {
        Ok(match fields.kind {
            NotReadyKind::NeedsKey => NotReady::NeedsKey,
            NotReadyKind::SignedOut => NotReady::SignedOut,
            NotReadyKind::SignInAgain => NotReady::SignInAgain {
                unsaved: fields.unsaved,
            },
            NotReadyKind::NoHostAccess => NotReady::NoHostAccess {
                hosts: fields.hosts.ok_or("missing field `hosts`")?,
            },
            NotReadyKind::Unusable => NotReady::Unusable {
                problem: fields.problem.ok_or("missing field `problem`")?,
            },
        })
    }
}

/// Why a queued capture waits, shown on it until it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "WaitingFields")]
pub enum Waiting {
    /// A failure that passes by itself: Sprout tries again.
    Retrying { problem: Problem },
    /// Its connection cannot send until the recruiter acts; Sprout delivers it afterwards.
    NotReady { why: NotReady },
    /// Words a version before reasons stored, that match none of its sentences: shown as they are.
    Legacy { text: String },
}

#[derive(Deserialize)]
struct WaitingFields {
    kind: WaitingKind,
    problem: Option<Problem>,
    why: Option<NotReady>,
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum WaitingKind {
    Retrying,
    NotReady,
    Legacy,
}

impl TryFrom<WaitingFields> for Waiting {
    type Error = &'static str;

    fn try_from(fields: WaitingFields) -> Result<Waiting, Self::Error> {
        Ok(match fields.kind {
            WaitingKind::Retrying => Waiting::Retrying {
                problem: fields.problem.ok_or("missing field `problem`")?,
            },
            WaitingKind::NotReady => Waiting::NotReady {
                why: fields.why.ok_or("missing field `why`")?,
            },
            WaitingKind::Legacy => Waiting::Legacy {
                text: fields.text.ok_or("missing field `text`")?,
            },
        })
    }
}

/// Why a sign-in or a token refresh produced no tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", from = "SignInTroubleFields")]
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

#[derive(Deserialize)]
struct SignInTroubleFields {
    kind: SignInTroubleKind,
    code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum SignInTroubleKind {
    Cancelled,
    Ended,
    Offline,
    OtherServer,
    ForeignAnswer,
    Failed,
}

impl From<SignInTroubleFields> for SignInTrouble {
    fn from(fields: SignInTroubleFields) -> SignInTrouble {
        match fields.kind {
            SignInTroubleKind::Cancelled => SignInTrouble::Cancelled,
            SignInTroubleKind::Ended => SignInTrouble::Ended,
            SignInTroubleKind::Offline => SignInTrouble::Offline,
            SignInTroubleKind::OtherServer => SignInTrouble::OtherServer,
            SignInTroubleKind::ForeignAnswer => SignInTrouble::ForeignAnswer,
            SignInTroubleKind::Failed => SignInTrouble::Failed { code: fields.code },
        }
    }
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
#[serde(tag = "kind", rename_all = "snake_case", try_from = "ConnectionProblemFields")]
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

#[derive(Deserialize)]
struct ConnectionProblemFields {
    kind: ConnectionProblemKind,
    field: Option<UrlField>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ConnectionProblemKind {
    NoName,
    NoClientId,
    BadScopes,
    NotUrl,
    NotHttps,
    RelayNotBare,
    BadEmail,
    NoId,
}

impl TryFrom<ConnectionProblemFields> for ConnectionProblem {
    type Error = &'static str;

    fn try_from(fields: ConnectionProblemFields) -> Result<ConnectionProblem, Self::Error> {
        let field = || fields.field.ok_or("missing field `field`");
        Ok(match fields.kind {
            ConnectionProblemKind::NoName => ConnectionProblem::NoName,
            ConnectionProblemKind::NoClientId => ConnectionProblem::NoClientId,
            ConnectionProblemKind::BadScopes => ConnectionProblem::BadScopes,
            ConnectionProblemKind::NotUrl => ConnectionProblem::NotUrl { field: field()? },
            ConnectionProblemKind::NotHttps => ConnectionProblem::NotHttps { field: field()? },
            ConnectionProblemKind::RelayNotBare => ConnectionProblem::RelayNotBare,
            ConnectionProblemKind::BadEmail => ConnectionProblem::BadEmail,
            ConnectionProblemKind::NoId => ConnectionProblem::NoId,
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::ItemState;
    use serde_json::{Value, json};

    /// Reads `stored` as `T`, and checks that `T` writes it back exactly (the tag first).
    fn reads<T: Serialize + for<'de> Deserialize<'de>>(stored: Value) -> T {
        let read: T = serde_json::from_value(stored.clone()).unwrap();
        assert_eq!(serde_json::to_value(&read).unwrap(), stored);
        read
    }

    #[test]
    fn stored_reasons_read_as_main_wrote_them() {
        // Literally the objects the outbox stores in IndexedDB (serde-wasm-bindgen, tag first).
        assert_eq!(reads::<Problem>(json!({"kind": "network"})), Problem::Network);
        assert_eq!(
            reads::<Problem>(json!({"kind": "legacy", "message": "M.", "next_step": "N."})),
            Problem::Legacy {
                message: "M.".into(),
                next_step: "N.".into()
            }
        );
        assert_eq!(
            reads::<Waiting>(json!({"kind": "retrying", "problem": {"kind": "rate_limited"}})),
            Waiting::Retrying {
                problem: Problem::RateLimited
            }
        );
        assert_eq!(
            reads::<Waiting>(
                json!({"kind": "not_ready", "why": {"kind": "sign_in_again", "unsaved": "quota"}})
            ),
            Waiting::NotReady {
                why: NotReady::SignInAgain {
                    unsaved: Some("quota".into())
                }
            }
        );
        assert_eq!(
            reads::<Waiting>(json!({"kind": "not_ready", "why": {"kind": "sign_in_again"}})),
            Waiting::NotReady {
                why: NotReady::SignInAgain { unsaved: None }
            }
        );
        assert_eq!(
            reads::<NotReady>(json!({"kind": "no_host_access", "hosts": ["https://gh.example/*"]})),
            NotReady::NoHostAccess {
                hosts: vec!["https://gh.example/*".into()]
            }
        );
        assert_eq!(
            reads::<NotReady>(
                json!({"kind": "unusable", "problem": {"kind": "not_https", "field": "api_base"}})
            ),
            NotReady::Unusable {
                problem: ConnectionProblem::NotHttps {
                    field: UrlField::ApiBase
                }
            }
        );
        assert_eq!(
            reads::<ConnectionProblem>(json!({"kind": "relay_not_bare"})),
            ConnectionProblem::RelayNotBare
        );
        assert_eq!(
            reads::<Waiting>(json!({"kind": "legacy", "text": "T."})),
            Waiting::Legacy { text: "T.".into() }
        );
        assert_eq!(
            reads::<SignInTrouble>(json!({"kind": "failed", "code": "invalid_scope"})),
            SignInTrouble::Failed {
                code: Some("invalid_scope".into())
            }
        );
        assert_eq!(
            reads::<SignInTrouble>(json!({"kind": "failed"})),
            SignInTrouble::Failed { code: None }
        );
        assert_eq!(
            reads::<SignInTrouble>(json!({"kind": "other_server"})),
            SignInTrouble::OtherServer
        );
        // Inside the item states the outbox stores, as main writes them.
        assert_eq!(
            reads::<ItemState>(
                json!({"state": "queued", "not_before_ms": 9, "note": {"kind": "retrying", "problem": {"kind": "server"}}})
            ),
            ItemState::Queued {
                not_before_ms: 9,
                note: Some(Waiting::Retrying {
                    problem: Problem::Server
                })
            }
        );
        assert_eq!(
            reads::<ItemState>(
                json!({"state": "failed", "problem": {"kind": "validation"}, "fields": [], "outcome_unknown": true})
            ),
            ItemState::Failed {
                problem: Problem::Validation,
                fields: Vec::new(),
                outcome_unknown: true
            }
        );
    }

    #[test]
    fn stored_reasons_read_in_any_key_order_and_refuse_what_is_incomplete() {
        assert_eq!(
            serde_json::from_value::<Problem>(json!({"next_step": "N.", "message": "M.", "kind": "legacy"}))
                .unwrap(),
            Problem::Legacy {
                message: "M.".into(),
                next_step: "N.".into()
            }
        );
        assert_eq!(
            serde_json::from_value::<Waiting>(
                json!({"why": {"hosts": [], "kind": "no_host_access"}, "kind": "not_ready"})
            )
            .unwrap(),
            Waiting::NotReady {
                why: NotReady::NoHostAccess { hosts: Vec::new() }
            }
        );
        for bad in [
            json!({"kind": "legacy", "message": "M."}),
            json!({"kind": "teapot"}),
            json!({"message": "M."}),
            json!("network"),
        ] {
            assert!(serde_json::from_value::<Problem>(bad.clone()).is_err(), "{bad}");
        }
        for bad in [
            json!({"kind": "retrying"}),
            json!({"kind": "not_ready", "why": {"kind": "unusable"}}),
            json!({"kind": "not_ready", "why": {"kind": "unusable", "problem": {"kind": "not_url"}}}),
        ] {
            assert!(serde_json::from_value::<Waiting>(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_reason_is_externally_tagged_and_round_trips() {
        assert_eq!(
            serde_json::to_value(Reason::ItemGone).unwrap(),
            json!("item_gone")
        );
        let reasons = [
            Reason::Api {
                problem: Problem::Legacy {
                    message: "M.".into(),
                    next_step: "N.".into(),
                },
            },
            Reason::NotReady {
                why: NotReady::NoHostAccess {
                    hosts: vec!["https://gh.example/*".into()],
                },
            },
            Reason::SignIn {
                trouble: SignInTrouble::Failed { code: None },
            },
            Reason::RetentionOutOfRange { min: 1, max: 365 },
            Reason::InvalidConnection {
                problem: ConnectionProblem::NotUrl {
                    field: UrlField::Relay,
                },
            },
            Reason::NothingToSignIn,
        ];
        for reason in reasons {
            let sent = serde_json::to_value(&reason).unwrap();
            assert_eq!(serde_json::from_value::<Reason>(sent).unwrap(), reason);
        }
        assert_eq!(
            serde_json::to_value(Reason::Local { detail: "d".into() }).unwrap(),
            json!({"local": {"detail": "d"}})
        );
    }
}
