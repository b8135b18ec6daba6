//! The core's and the background's reasons in the reader's language: each reason names its
//! `_locales` messages here, so no sentence is built below the pages.

use crate::i18n::{t, t_args};
use sprout::reason::{ConnectionProblem, NotReady, Problem, Reason, SignInTrouble, UrlField, Waiting};

/// What happened, and what the recruiter can do about it.
pub fn problem(problem: &Problem) -> (String, String) {
    match problem_keys(problem) {
        Ok((what, next)) => (t(what), t(next)),
        Err((message, next_step)) => (message.to_owned(), next_step.to_owned()),
    }
}

/// Why a request to the background did not succeed.
pub fn reason(reason: &Reason) -> String {
    let (key, args) = reason_keys(reason);
    words(key, args)
}

/// The check a connection fails, naming the field.
pub fn connection_problem(problem: &ConnectionProblem) -> String {
    match connection_keys(problem) {
        (key, Some(field)) => t_args(key, &[&t(field)]),
        (key, None) => t(key),
    }
}

fn words(key: &str, args: Vec<Arg>) -> String {
    let args: Vec<String> = args
        .into_iter()
        .map(|arg| match arg {
            Arg::Text(text) => text,
            Arg::Key(key) => t(key),
            Arg::Connection(problem) => connection_problem(&problem),
        })
        .collect();
    t_args(key, &args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Why "already in Greenhouse?" could only check this browser's own captures.
pub fn duplicate_note(why: &Reason) -> String {
    match why {
        Reason::Api {
            problem: Problem::Forbidden,
        } => t("duplicateRoleCannotLook"),
        Reason::Api {
            problem: Problem::Network,
        } => t("duplicateOffline"),
        other => t_args("duplicateOnlyHere", &[&reason(other)]),
    }
}

/// Why a queued capture waits.
pub fn waiting(waiting: &Waiting) -> String {
    match waiting {
        Waiting::Retrying { problem: p } => t_args("waitingRetrying", &[&problem(p).0]),
        Waiting::NotReady { why } => {
            let (key, args) = waiting_keys(why);
            words(key, args)
        }
        Waiting::Legacy { text } => text.clone(),
    }
}

/// The messages of a problem, what happened and what to do; words stored before reasons are
/// shown as they are.
fn problem_keys(problem: &Problem) -> Result<(&'static str, &'static str), (&str, &str)> {
    Ok(match problem {
        Problem::Unauthenticated => ("problemUnauthenticated", "problemUnauthenticatedNext"),
        Problem::Forbidden => ("problemForbidden", "problemForbiddenNext"),
        Problem::NotFound => ("problemNotFound", "problemNotFoundNext"),
        Problem::Validation => ("problemValidation", "problemValidationNext"),
        Problem::RateLimited => ("problemRateLimited", "problemRateLimitedNext"),
        Problem::Server => ("problemServer", "problemServerNext"),
        Problem::Network => ("problemNetwork", "problemNetworkNext"),
        Problem::UnknownOutcome => ("problemUnknownOutcome", "problemUnknownOutcomeNext"),
        Problem::MalformedResponse => ("problemMalformed", "problemMalformedNext"),
        Problem::ConnectionRemoved => ("problemConnectionRemoved", "problemConnectionRemovedNext"),
        Problem::Legacy { message, next_step } => return Err((message, next_step)),
    })
}

/// The message of a capture waiting for its connection, and its `$1`.
fn waiting_keys(why: &NotReady) -> (&'static str, Vec<Arg>) {
    match why {
        NotReady::NeedsKey => ("waitingNeedsKey", vec![]),
        NotReady::SignedOut | NotReady::SignInAgain { .. } => ("waitingSignIn", vec![]),
        NotReady::NoHostAccess { hosts } => ("waitingNoHostAccess", vec![Arg::Text(hosts.join(", "))]),
        NotReady::Unusable { problem } => ("notReadyUnusable", vec![Arg::Connection(problem.clone())]),
    }
}

/// The message of a connection check, and the field it names (its `$1`).
fn connection_keys(problem: &ConnectionProblem) -> (&'static str, Option<&'static str>) {
    let field = |field: &UrlField| match field {
        UrlField::ApiBase => "urlFieldApiBase",
        UrlField::Authorize => "urlFieldAuthorize",
        UrlField::Token => "urlFieldToken",
        UrlField::Relay => "urlFieldRelay",
    };
    match problem {
        ConnectionProblem::NoName => ("connectionNoName", None),
        ConnectionProblem::NoClientId => ("connectionNoClientId", None),
        ConnectionProblem::BadScopes => ("connectionBadScopes", None),
        ConnectionProblem::NotUrl { field: f } => ("connectionNotUrl", Some(field(f))),
        ConnectionProblem::NotHttps { field: f } => ("connectionNotHttps", Some(field(f))),
        ConnectionProblem::RelayNotBare => ("connectionRelayNotBare", None),
        ConnectionProblem::BadEmail => ("connectionBadEmail", None),
        ConnectionProblem::NoId => ("connectionNoId", None),
    }
}

/// One `$n` of a reason's message: data as it is, another message, or a connection check's.
enum Arg {
    Text(String),
    Key(&'static str),
    Connection(ConnectionProblem),
}

/// The message of a reason and its `$1`, `$2`, … in order.
fn reason_keys(reason: &Reason) -> (&'static str, Vec<Arg>) {
    use Arg::{Key, Text};
    match reason {
        Reason::Api { problem } => match problem_keys(problem) {
            Ok((what, next)) => ("reasonApi", vec![Key(what), Key(next)]),
            Err((message, next_step)) => ("reasonApi", vec![Text(message.into()), Text(next_step.into())]),
        },
        Reason::NotReady { why } => match why {
            NotReady::NeedsKey => ("notReadyNeedsKey", vec![]),
            NotReady::SignedOut => ("notReadySignedOut", vec![]),
            NotReady::SignInAgain { unsaved: None } => ("notReadySignInAgain", vec![]),
            NotReady::SignInAgain { unsaved: Some(e) } => {
                ("notReadySignInAgainUnsaved", vec![Text(e.clone())])
            }
            NotReady::NoHostAccess { hosts } => ("notReadyNoHostAccess", vec![Text(hosts.join(", "))]),
            NotReady::Unusable { .. } => waiting_keys(why),
        },
        Reason::SignIn { trouble } => match trouble {
            SignInTrouble::Cancelled => ("signInCancelled", vec![]),
            SignInTrouble::Ended => ("signInEnded", vec![]),
            SignInTrouble::Offline => ("signInOffline", vec![]),
            SignInTrouble::OtherServer => ("signInOtherServer", vec![]),
            SignInTrouble::ForeignAnswer => ("signInForeignAnswer", vec![]),
            SignInTrouble::Failed { code: None } => ("signInFailed", vec![]),
            SignInTrouble::Failed { code: Some(code) } => ("signInFailedCode", vec![Text(code.clone())]),
        },
        Reason::SignInWindowClosed { detail } => ("signInWindowClosed", vec![Text(detail.clone())]),
        Reason::NothingToSignIn => ("reasonNothingToSignIn", vec![]),
        Reason::NotPartnerKey => ("reasonNotPartnerKey", vec![]),
        Reason::KeyActsForOther { acts_for, email } => (
            "reasonKeyActsForOther",
            vec![Text(acts_for.clone()), Text(email.clone())],
        ),
        Reason::KeyRefused { email } => ("reasonKeyRefused", vec![Text(email.clone())]),
        Reason::KeyMissing => ("reasonKeyMissing", vec![]),
        Reason::ConfirmRemoval => ("reasonConfirmRemoval", vec![]),
        Reason::ConfirmForget => ("reasonConfirmForget", vec![]),
        Reason::RetentionOutOfRange { min, max } => (
            "reasonRetentionOutOfRange",
            vec![Text(min.to_string()), Text(max.to_string())],
        ),
        Reason::ConnectionGone => ("reasonConnectionGone", vec![]),
        Reason::InvalidConnection { problem } => {
            ("reasonInvalidConnection", vec![Arg::Connection(problem.clone())])
        }
        Reason::ItemGone => ("reasonItemGone", vec![]),
        Reason::NotFailed => ("reasonNotFailed", vec![]),
        Reason::ItemSending => ("reasonItemSending", vec![]),
        Reason::ForeignFile { name } => ("reasonForeignFile", vec![Text(name.clone())]),
        Reason::TrackingNotAllowed => ("reasonTrackingNotAllowed", vec![]),
        Reason::Local { detail } => ("reasonLocal", vec![Text(detail.clone())]),
        Reason::Unserved { detail } => ("reasonUnserved", vec![Text(detail.clone())]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::tests::{LOCALES, has_key, placeholders};

    fn problems() -> Vec<Problem> {
        vec![
            Problem::Unauthenticated,
            Problem::Forbidden,
            Problem::NotFound,
            Problem::Validation,
            Problem::RateLimited,
            Problem::Server,
            Problem::Network,
            Problem::UnknownOutcome,
            Problem::MalformedResponse,
            Problem::ConnectionRemoved,
        ]
    }

    fn not_ready() -> Vec<NotReady> {
        vec![
            NotReady::NeedsKey,
            NotReady::SignedOut,
            NotReady::SignInAgain { unsaved: None },
            NotReady::NoHostAccess { hosts: vec![] },
            NotReady::Unusable {
                problem: ConnectionProblem::NoId,
            },
        ]
    }

    fn reasons() -> Vec<Reason> {
        let text = || "x".to_owned();
        let mut all: Vec<Reason> = problems()
            .into_iter()
            .map(|problem| Reason::Api { problem })
            .collect();
        all.extend(not_ready().into_iter().map(|why| Reason::NotReady { why }));
        all.push(Reason::NotReady {
            why: NotReady::SignInAgain {
                unsaved: Some(text()),
            },
        });
        for trouble in [
            SignInTrouble::Cancelled,
            SignInTrouble::Ended,
            SignInTrouble::Offline,
            SignInTrouble::OtherServer,
            SignInTrouble::ForeignAnswer,
            SignInTrouble::Failed { code: None },
            SignInTrouble::Failed { code: Some(text()) },
        ] {
            all.push(Reason::SignIn { trouble });
        }
        all.extend([
            Reason::SignInWindowClosed { detail: text() },
            Reason::NothingToSignIn,
            Reason::NotPartnerKey,
            Reason::KeyActsForOther {
                acts_for: text(),
                email: text(),
            },
            Reason::KeyRefused { email: text() },
            Reason::KeyMissing,
            Reason::ConfirmRemoval,
            Reason::ConfirmForget,
            Reason::RetentionOutOfRange { min: 1, max: 3650 },
            Reason::ConnectionGone,
            Reason::ItemGone,
            Reason::NotFailed,
            Reason::ItemSending,
            Reason::ForeignFile { name: text() },
            Reason::TrackingNotAllowed,
            Reason::Local { detail: text() },
            Reason::Unserved { detail: text() },
        ]);
        let fields = [
            UrlField::ApiBase,
            UrlField::Authorize,
            UrlField::Token,
            UrlField::Relay,
        ];
        all.extend(
            [
                ConnectionProblem::NoName,
                ConnectionProblem::NoClientId,
                ConnectionProblem::BadScopes,
                ConnectionProblem::RelayNotBare,
                ConnectionProblem::BadEmail,
                ConnectionProblem::NoId,
            ]
            .into_iter()
            .chain(fields.iter().map(|&field| ConnectionProblem::NotUrl { field }))
            .chain(fields.iter().map(|&field| ConnectionProblem::NotHttps { field }))
            .map(|problem| Reason::InvalidConnection { problem }),
        );
        all
    }

    #[test]
    fn every_reason_has_its_words_in_every_locale() {
        let mut keys = vec![
            "waitingRetrying",
            "duplicateRoleCannotLook",
            "duplicateOffline",
            "duplicateOnlyHere",
        ];
        for reason in reasons() {
            let (key, args) = reason_keys(&reason);
            assert_eq!(placeholders("en", key).len(), args.len(), "{key} for {reason:?}");
            keys.push(key);
            for arg in args {
                match arg {
                    Arg::Key(key) => keys.push(key),
                    Arg::Connection(problem) => {
                        let (key, field) = connection_keys(&problem);
                        assert_eq!(
                            placeholders("en", key).len(),
                            usize::from(field.is_some()),
                            "{key}"
                        );
                        keys.extend([key].into_iter().chain(field));
                    }
                    Arg::Text(_) => {}
                }
            }
        }
        for p in problems() {
            let (what, next) = problem_keys(&p).unwrap();
            keys.extend([what, next]);
        }
        keys.extend(not_ready().iter().map(|n| waiting_keys(n).0));
        for locale in LOCALES {
            for key in &keys {
                assert!(has_key(locale, key), "{locale} lacks {key}");
            }
        }
    }

    #[test]
    fn words_stored_before_reasons_have_no_keys() {
        let legacy = Problem::Legacy {
            message: "m".into(),
            next_step: "n".into(),
        };
        assert_eq!(problem_keys(&legacy), Err(("m", "n")));
    }
}
