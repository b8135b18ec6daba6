//! Every way a Partner API call can fail, as one enum a recruiter-facing sentence can be drawn from.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::request::ApiResponse;

/// One entry of Greenhouse's `{"errors": [{"message", "field"}]}`; `field` lets the UI point at
/// the offending input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FieldError {
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub message: String,
}

/// A failed call. `message`s from the server are for debugging, not for recruiters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("unauthenticated (401): {message}")]
    Unauthenticated { message: String },
    #[error("forbidden (403): {message}")]
    Forbidden { message: String },
    #[error("not found (404): {message}")]
    NotFound { message: String },
    /// 422, or 400 for a body the server could not read.
    #[error("rejected ({status}): {fields:?}")]
    Validation { status: u16, fields: Vec<FieldError> },
    #[error("rate limited (429), retry after {retry_after:?}")]
    RateLimited { retry_after: Option<Duration> },
    #[error("server error ({status})")]
    Server { status: u16 },
    /// Nothing reached Greenhouse.
    #[error("network: {detail}")]
    Network { detail: String },
    /// A create may or may not have landed and it could not be checked.
    #[error("outcome unknown: {detail}")]
    UnknownOutcome { detail: String },
    #[error("malformed response ({status}): {detail}")]
    MalformedResponse { status: u16, detail: String },
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    errors: Vec<FieldError>,
}

impl ApiError {
    /// Classifies a non-success response.
    pub fn from_response(response: &ApiResponse) -> ApiError {
        let fields = response.json::<ErrorBody>().map(|b| b.errors).unwrap_or_default();
        let message = fields
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        match response.status {
            401 => ApiError::Unauthenticated { message },
            403 => ApiError::Forbidden { message },
            404 => ApiError::NotFound { message },
            429 => ApiError::RateLimited {
                retry_after: response.header("Retry-After").and_then(parse_retry_after),
            },
            s @ 500..=599 => ApiError::Server { status: s },
            s @ 400..=499 => ApiError::Validation { status: s, fields },
            s => ApiError::MalformedResponse {
                status: s,
                detail: "unexpected status".into(),
            },
        }
    }

    /// Messages keyed by the input they concern (`None` for the form as a whole).
    pub fn field_messages(&self) -> &[FieldError] {
        match self {
            ApiError::Validation { fields, .. } => fields,
            _ => &[],
        }
    }

    /// What happened, in words a recruiter understands.
    pub fn recruiter_message(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated { .. } => "Greenhouse doesn't recognise your sign-in.",
            ApiError::Forbidden { .. } => "Your Greenhouse role doesn't allow this. Nothing was changed.",
            ApiError::NotFound { .. } => "Greenhouse couldn't find what Sprout asked for.",
            ApiError::Validation { .. } => "Greenhouse didn't accept some of the details.",
            ApiError::RateLimited { .. } => "Greenhouse is busy and asked Sprout to slow down.",
            ApiError::Server { .. } => "Greenhouse had a problem on its side.",
            ApiError::Network { .. } => "Sprout couldn't reach Greenhouse.",
            ApiError::UnknownOutcome { .. } => {
                "Greenhouse's answer never arrived, so Sprout can't tell whether this person was saved."
            }
            ApiError::MalformedResponse { .. } => "Greenhouse answered in a way Sprout doesn't understand.",
        }
    }

    /// What the recruiter can do about it.
    pub fn next_step(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated { .. } => "Sign in to Greenhouse again from Sprout's settings.",
            ApiError::Forbidden { .. } => {
                "Ask your Greenhouse admin for the permission, or continue without this step."
            }
            ApiError::NotFound { .. } => "Refresh the job and pool lists, then try again.",
            ApiError::Validation { .. } => "Correct the highlighted fields and submit again.",
            ApiError::RateLimited { .. } => "Wait a minute, then try again.",
            ApiError::Server { .. } => "Try again in a few minutes.",
            ApiError::Network { .. } => "Check your connection, then try again.",
            ApiError::UnknownOutcome { .. } => {
                "Search for this person in Greenhouse before submitting again."
            }
            ApiError::MalformedResponse { .. } => {
                "Try again; if it keeps happening, report it to the Sprout team."
            }
        }
    }
}

/// `Retry-After` in its delta-seconds form; the HTTP-date form falls back to the backoff delay.
fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str, headers: &[(&str, &str)]) -> ApiResponse {
        ApiResponse {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.into(),
        }
    }

    #[test]
    fn validation_errors_keep_their_fields() {
        let e = ApiError::from_response(&response(
            422,
            r#"{"errors":[{"message":"is invalid","field":"emails[0].value"},{"message":"x"}]}"#,
            &[],
        ));
        let f = e.field_messages();
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].field.as_deref(), Some("emails[0].value"));
        assert_eq!(f[1].field, None);
    }

    #[test]
    fn statuses_map_to_classes() {
        let r = |s| ApiError::from_response(&response(s, "not json", &[]));
        assert!(matches!(r(401), ApiError::Unauthenticated { .. }));
        assert!(matches!(r(403), ApiError::Forbidden { .. }));
        assert!(matches!(r(404), ApiError::NotFound { .. }));
        assert!(matches!(r(400), ApiError::Validation { status: 400, .. }));
        assert!(matches!(r(503), ApiError::Server { status: 503 }));
        assert!(matches!(r(302), ApiError::MalformedResponse { .. }));
    }

    #[test]
    fn retry_after_is_read_case_insensitively() {
        let e = ApiError::from_response(&response(429, "", &[("retry-after", " 7 ")]));
        assert_eq!(
            e,
            ApiError::RateLimited {
                retry_after: Some(Duration::from_secs(7))
            }
        );
        let e = ApiError::from_response(&response(
            429,
            "",
            &[("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")],
        ));
        assert_eq!(e, ApiError::RateLimited { retry_after: None });
    }

    #[test]
    fn every_error_has_a_sentence_and_a_next_step() {
        let all = [
            ApiError::Unauthenticated { message: "".into() },
            ApiError::Forbidden { message: "".into() },
            ApiError::NotFound { message: "".into() },
            ApiError::Validation {
                status: 422,
                fields: vec![],
            },
            ApiError::RateLimited { retry_after: None },
            ApiError::Server { status: 500 },
            ApiError::Network { detail: "".into() },
            ApiError::UnknownOutcome { detail: "".into() },
            ApiError::MalformedResponse {
                status: 200,
                detail: "".into(),
            },
        ];
        for e in all {
            assert!(e.recruiter_message().ends_with('.'), "{e:?}");
            assert!(e.next_step().ends_with('.'), "{e:?}");
        }
    }
}
