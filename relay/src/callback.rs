//! `GET /callback`: the one callback URL registered with Greenhouse. Reads where the browser must
//! go from `state` (see `sprout::relay_state`), and sends it there with the sign-in answer, or
//! shows a page saying what is wrong. Never a redirect to anywhere the allow-list does not cover.

use std::fmt;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use sprout::relay_state::{self, RelayStateError};

use crate::allow::Refusal;
use crate::server::Relay;

/// The parameters carried to the extension: RFC 6749 §4.1.2, Greenhouse's `oauth_problem`, and
/// RFC 9207's `iss`, which the extension checks when the server sends it.
const CARRIED: [&str; 6] = [
    "code",
    "state",
    "error",
    "error_description",
    "oauth_problem",
    "iss",
];

/// Far above any real answer (a code, a state, an error text); caps the work a request can ask for.
const MAX_QUERY_LEN: usize = 8 * 1024;

/// What is wrong with a callback, in words for the person who sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    TooLong,
    BadEncoding,
    Repeated(&'static str),
    NoState,
    BadState(RelayStateError),
    BadTarget(String, Refusal),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::TooLong => write!(f, "The address is longer than {MAX_QUERY_LEN} characters."),
            Problem::BadEncoding => {
                f.write_str("The address's parameters are not validly percent-encoded UTF-8 text.")
            }
            Problem::Repeated(name) => write!(f, "The parameter \"{name}\" appears more than once."),
            Problem::NoState => f.write_str(
                "The sign-in answer carries no state, so the relay cannot tell which browser to send it back to.",
            ),
            Problem::BadState(e) => write!(
                f,
                "The state is not one Sprout makes through a relay: {e}."
            ),
            Problem::BadTarget(target, refusal) => write!(
                f,
                "The state asks to go back to {target}, which this relay refuses: {refusal}."
            ),
        }
    }
}

impl Problem {
    /// A short name for the log: never a value from the request.
    fn kind(&self) -> &'static str {
        match self {
            Problem::TooLong => "too_long",
            Problem::BadEncoding => "bad_encoding",
            Problem::Repeated(_) => "repeated_parameter",
            Problem::NoState => "no_state",
            Problem::BadState(_) => "bad_state",
            Problem::BadTarget(_, refusal) => refusal.kind(),
        }
    }
}

/// Decodes one `application/x-www-form-urlencoded` component strictly (no lossy replacement).
fn decode(component: &str) -> Result<String, Problem> {
    let spaced = component.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| Problem::BadEncoding)
}

/// Carried parameters, decoded, in the order they came.
type Carried = Vec<(&'static str, String)>;

/// Where to send the browser, and what to carry there.
fn resolve(relay: &Relay, query: &str) -> Result<(url::Url, Carried), Problem> {
    if query.len() > MAX_QUERY_LEN {
        return Err(Problem::TooLong);
    }
    let mut carried = Carried::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(key)?;
        let Some(name) = CARRIED.iter().find(|c| **c == key) else {
            continue;
        };
        if carried.iter().any(|(k, _)| k == name) {
            return Err(Problem::Repeated(name));
        }
        carried.push((name, decode(value)?));
    }
    let state = carried
        .iter()
        .find(|(k, _)| *k == "state")
        .map(|(_, v)| v.as_str())
        .ok_or(Problem::NoState)?;
    let target = relay_state::decode(state).map_err(Problem::BadState)?.target;
    let url = relay
        .settings
        .allow
        .check(&target)
        .map_err(|refusal| Problem::BadTarget(target, refusal))?;
    Ok((url, carried))
}

pub async fn callback(State(relay): State<Arc<Relay>>, RawQuery(query): RawQuery) -> Response {
    match resolve(&relay, query.as_deref().unwrap_or_default()) {
        Ok((mut url, carried)) => {
            url.query_pairs_mut()
                .extend_pairs(carried.iter().map(|(k, v)| (*k, v)));
            // Says which relay answered, so that the extension takes it only for a connection
            // that names this relay (an incoming parameter of that name is never carried).
            if let Some(public) = &relay.settings.public_url {
                url.query_pairs_mut()
                    .append_pair(relay_state::RELAY_PARAM, public);
            }
            tracing::info!(
                answer = if carried.iter().any(|(k, _)| *k == "code") {
                    "code"
                } else {
                    "no code"
                },
                "callback sent back to an allowed redirect URL"
            );
            (
                StatusCode::FOUND,
                [
                    (header::LOCATION, url.as_str()),
                    (header::CACHE_CONTROL, "no-store"),
                    (header::REFERRER_POLICY, "no-referrer"),
                ],
            )
                .into_response()
        }
        Err(problem) => {
            tracing::info!(problem = problem.kind(), "callback refused");
            refusal_page(&problem)
        }
    }
}

fn refusal_page(problem: &Problem) -> Response {
    let html = format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in cannot continue</title></head>
<body>
<h1>Sign-in cannot continue</h1>
<p>{}</p>
<p>This page belongs to the sign-in relay of Sprout, a browser extension for Greenhouse. Close this
window and start the sign-in again from Sprout. If it happens again, tell whoever runs the relay.</p>
</body></html>
"#,
        html_escape::encode_text(&problem.to_string())
    );
    (
        StatusCode::BAD_REQUEST,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        html,
    )
        .into_response()
}
