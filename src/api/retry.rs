//! When to try a failed call again and how long to wait: pure decisions, so they are tested
//! without a network or a clock.

use std::time::Duration;

use super::errors::ApiError;

/// Exponential backoff with jitter, `Retry-After` for 429, and bounds on attempts and waiting.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included.
    pub max_attempts: u32,
    /// Delay before the second attempt, doubled for each further one.
    pub base_delay: Duration,
    /// No single wait is longer; a `Retry-After` beyond it ends the retries instead.
    pub max_delay: Duration,
    /// Least wait before looking up a create whose outcome is unknown, so that a request the
    /// server is still processing has committed by the time we look.
    pub settle_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            settle_delay: Duration::from_secs(3),
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    RetryAfter(Duration),
    GiveUp,
}

impl RetryPolicy {
    /// Delay after `attempt` (1-based) failed: half fixed, half random ("equal jitter"), so
    /// clients that failed together do not come back together. `jitter` is uniform in [0, 1).
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let ceiling = exp.min(self.max_delay);
        ceiling / 2 + ceiling.mul_f64(jitter.clamp(0.0, 1.0) / 2.0)
    }

    /// Whether to try again after `attempt` (1-based) failed with `error`.
    ///
    /// `repeatable` says whether sending the request again is known to be harmless; when it is
    /// not, errors that leave the outcome unknown are never retried here (the caller must first
    /// check what landed, then ask again with `repeatable = true`).
    pub fn decide(&self, attempt: u32, error: &ApiError, repeatable: bool, jitter: f64) -> Verdict {
        if attempt >= self.max_attempts {
            return Verdict::GiveUp;
        }
        match error {
            ApiError::RateLimited {
                retry_after: Some(wait),
            } => {
                if *wait > self.max_delay {
                    Verdict::GiveUp
                } else {
                    Verdict::RetryAfter(*wait)
                }
            }
            // A 429 or a request that never left was not processed: always safe to send again.
            ApiError::RateLimited { retry_after: None } | ApiError::Network { .. } => {
                Verdict::RetryAfter(self.backoff(attempt, jitter))
            }
            ApiError::Server { .. } | ApiError::UnknownOutcome { .. } if repeatable => {
                Verdict::RetryAfter(self.backoff(attempt, jitter))
            }
            _ => Verdict::GiveUp,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            settle_delay: Duration::ZERO,
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let p = policy();
        assert_eq!(p.backoff(1, 0.0), Duration::from_millis(50));
        assert_eq!(p.backoff(1, 0.999_999), Duration::from_nanos(99_999_950));
        assert_eq!(p.backoff(3, 0.5), Duration::from_millis(300));
        assert_eq!(p.backoff(30, 1.0), Duration::from_millis(1000));
    }

    #[test]
    fn retry_after_is_honoured_unless_beyond_the_cap() {
        let p = policy();
        let e = |s| ApiError::RateLimited {
            retry_after: Some(Duration::from_millis(s)),
        };
        assert_eq!(
            p.decide(1, &e(700), false, 0.3),
            Verdict::RetryAfter(Duration::from_millis(700))
        );
        assert_eq!(p.decide(1, &e(5000), true, 0.3), Verdict::GiveUp);
    }

    #[test]
    fn unknown_outcomes_are_retried_only_when_repeatable() {
        let p = policy();
        for e in [
            ApiError::Server { status: 502 },
            ApiError::UnknownOutcome {
                detail: "reset".into(),
            },
        ] {
            assert!(matches!(p.decide(1, &e, true, 0.0), Verdict::RetryAfter(_)));
            assert_eq!(p.decide(1, &e, false, 0.0), Verdict::GiveUp);
        }
        let offline = ApiError::Network {
            detail: "refused".into(),
        };
        assert!(matches!(
            p.decide(1, &offline, false, 0.0),
            Verdict::RetryAfter(_)
        ));
    }

    #[test]
    fn client_errors_and_exhausted_attempts_give_up() {
        let p = policy();
        let forbidden = ApiError::Forbidden { message: "".into() };
        assert_eq!(p.decide(1, &forbidden, true, 0.0), Verdict::GiveUp);
        let server = ApiError::Server { status: 500 };
        assert_eq!(p.decide(5, &server, true, 0.0), Verdict::GiveUp);
    }
}
