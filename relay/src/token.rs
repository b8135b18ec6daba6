//! `POST /token`: the extension's authorization_code or refresh_token grant, completed with the
//! client id and secret and forwarded to the token URL; the answer comes back as it was, or, when
//! there is no usable answer, as an RFC 6749 error saying what happened.

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use secrecy::ExposeSecret;
use serde_json::json;

use crate::server::Relay;

/// A grant is a code or refresh token, a verifier and a redirect URI: a few hundred bytes.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024;
/// A token answer is a few tokens and numbers.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// The grant's name and the required and optional fields it may carry to the token URL (RFC 6749 §4.1.3, §6, RFC 7636 §4.5); anything
/// else the extension sends (its own client_id, say) is not forwarded.
type Fields = &'static [&'static str];

fn forwarded_fields(grant: &str) -> Option<(&'static str, Fields, Fields)> {
    match grant {
        "authorization_code" => Some((
            "authorization_code",
            &["code", "redirect_uri"],
            &["code_verifier"],
        )),
        "refresh_token" => Some(("refresh_token", &["refresh_token"], &["scope"])),
        _ => None,
    }
}

/// An RFC 6749 §5.2 error answer.
pub struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        (
            self.status,
            [(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")],
            axum::Json(json!({"error": self.error, "error_description": self.description})),
        )
            .into_response()
    }
}

fn oauth_error(status: StatusCode, error: &'static str, description: &str) -> OAuthError {
    OAuthError {
        status,
        error,
        description: description.to_owned(),
    }
}

fn invalid_request(description: &str) -> OAuthError {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

/// The form to send upstream, and which grant it is; or the error answer for the extension.
fn upstream_form(body: &[u8], relay: &Relay) -> Result<(&'static str, String), OAuthError> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for (k, v) in url::form_urlencoded::parse(body) {
        if fields.iter().any(|(seen, _)| *seen == k) {
            // RFC 6749 section 3.2: parameters must not be sent more than once.
            return Err(invalid_request(&format!(
                "the parameter {k:?} appears more than once"
            )));
        }
        fields.push((k.into_owned(), v.into_owned()));
    }
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let Some(grant) = get("grant_type") else {
        return Err(invalid_request("grant_type is missing"));
    };
    let Some((grant, required, optional)) = forwarded_fields(grant) else {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "this relay forwards only the authorization_code and refresh_token grants",
        ));
    };
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", grant);
    for name in required {
        match get(name) {
            Some(value) if !value.is_empty() => form.append_pair(name, value),
            _ => {
                return Err(invalid_request(&format!(
                    "{name} is missing for the {grant} grant"
                )));
            }
        };
    }
    for name in optional {
        if let Some(value) = get(name) {
            form.append_pair(name, value);
        }
    }
    form.append_pair("client_id", &relay.settings.client_id);
    form.append_pair("client_secret", relay.settings.client_secret.expose_secret());
    Ok((grant, form.finish()))
}

pub async fn token(
    State(relay): State<Arc<Relay>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, OAuthError> {
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"));
    if !form_type {
        return Err(invalid_request(
            "send the grant as application/x-www-form-urlencoded (RFC 6749 section 4.1.3)",
        ));
    }
    let body = match tokio::time::timeout(
        relay.settings.upstream_timeout,
        axum::body::to_bytes(body, MAX_REQUEST_BYTES),
    )
    .await
    {
        Ok(Ok(body)) => body,
        Ok(Err(_)) => {
            return Err(oauth_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "invalid_request",
                &format!("the request body is larger than {MAX_REQUEST_BYTES} bytes, or was cut off"),
            ));
        }
        Err(_) => return Err(invalid_request("the request body did not arrive in time")),
    };
    let (grant, form) = upstream_form(&body, &relay)?;
    let settings = &relay.settings;
    let started = Instant::now();
    let answer = forward(relay.as_ref(), form).await;
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match answer {
        Ok((status, body)) => {
            tracing::info!(
                grant,
                upstream_status = status.as_u16(),
                elapsed_ms,
                "token request forwarded"
            );
            if status == StatusCode::UNAUTHORIZED {
                // Every sign-in fails until an operator acts: say it where they look.
                tracing::warn!(
                    "the token server refused the relay's client credentials: check --client-id and the secret"
                );
            }
            Ok(pass_back(status, body))
        }
        Err(failure) => {
            tracing::warn!(
                grant,
                failure = failure.kind(),
                elapsed_ms,
                "token request failed upstream"
            );
            Err(failure.into_error(settings.upstream_timeout.as_secs()))
        }
    }
}

/// Why the token URL gave no answer to pass back.
enum Failure {
    Timeout,
    Unreachable,
    NoAnswer,
    TooLarge,
}

impl Failure {
    fn kind(&self) -> &'static str {
        match self {
            Failure::Timeout => "timeout",
            Failure::Unreachable => "unreachable",
            Failure::NoAnswer => "no_answer",
            Failure::TooLarge => "too_large",
        }
    }

    fn into_error(self, timeout_secs: u64) -> OAuthError {
        let (status, error, description) = match self {
            Failure::Timeout => (
                StatusCode::GATEWAY_TIMEOUT,
                "temporarily_unavailable",
                format!("the token server did not answer within {timeout_secs} s; try again"),
            ),
            Failure::Unreachable => (
                StatusCode::BAD_GATEWAY,
                "temporarily_unavailable",
                "the relay could not connect to the token server; try again".to_owned(),
            ),
            Failure::NoAnswer => (
                StatusCode::BAD_GATEWAY,
                "temporarily_unavailable",
                "the token server closed the connection without a complete answer".to_owned(),
            ),
            Failure::TooLarge => (
                StatusCode::BAD_GATEWAY,
                "server_error",
                format!("the token server's answer is larger than {MAX_ANSWER_BYTES} bytes"),
            ),
        };
        oauth_error(status, error, &description)
    }
}

fn classify(e: &reqwest::Error) -> Failure {
    if e.is_timeout() {
        Failure::Timeout
    } else if e.is_connect() {
        Failure::Unreachable
    } else {
        Failure::NoAnswer
    }
}

/// POSTs the form to the token URL and reads at most [`MAX_ANSWER_BYTES`] of its answer.
async fn forward(relay: &Relay, form: String) -> Result<(StatusCode, Bytes), Failure> {
    let mut response = relay
        .http
        .post(relay.settings.token_url.clone())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(form)
        .send()
        .await
        .map_err(|e| classify(&e))?;
    if response
        .content_length()
        .is_some_and(|n| n > MAX_ANSWER_BYTES as u64)
    {
        return Err(Failure::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| classify(&e))? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(Failure::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok((response.status(), body.into()))
}

/// The upstream status and JSON object as they came; anything that is not a JSON object is no
/// OAuth answer, and becomes a 502 that says what came instead.
fn pass_back(status: StatusCode, body: Bytes) -> Response {
    if serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&body).is_err() {
        return oauth_error(
            StatusCode::BAD_GATEWAY,
            "server_error",
            &format!(
                "the token server answered {} without a JSON object; check the relay's --token-url",
                status
            ),
        )
        .into_response();
    }
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        body,
    )
        .into_response()
}
