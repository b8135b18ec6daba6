//! The core's and the background's reasons in the reader's language: each reason names its
//! `_locales` messages here, so no sentence is built below the pages.

use crate::i18n::{t, t_args};
use sprout::reason::{NotReady, Problem, Waiting};

/// What happened, and what the recruiter can do about it.
pub fn problem(problem: &Problem) -> (String, String) {
    match problem_keys(problem) {
        Ok((what, next)) => (t(what), t(next)),
        Err((message, next_step)) => (message.to_owned(), next_step.to_owned()),
    }
}

/// Why a queued capture waits.
pub fn waiting(waiting: &Waiting) -> String {
    match waiting {
        Waiting::Retrying { problem: p } => t_args("waitingRetrying", &[&problem(p).0]),
        Waiting::NotReady { why } => {
            let (key, detail) = waiting_keys(why);
            t_args(key, &[&detail])
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
fn waiting_keys(why: &NotReady) -> (&'static str, String) {
    match why {
        NotReady::NeedsKey => ("waitingNeedsKey", String::new()),
        NotReady::SignedOut | NotReady::SignInAgain { .. } => ("waitingSignIn", String::new()),
        NotReady::NoHostAccess { hosts } => ("waitingNoHostAccess", hosts.join(", ")),
        NotReady::Unusable { detail } => ("waitingUnusable", detail.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::tests::{LOCALES, has_key};

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
                detail: String::new(),
            },
        ]
    }

    #[test]
    fn every_reason_has_its_words_in_every_locale() {
        let mut keys = vec!["waitingRetrying"];
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
