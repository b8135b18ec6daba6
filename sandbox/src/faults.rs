//! Fault injection: the next N requests to a path answer 429, a 5xx, a redirect, late, half, or not
//! at all, so the client's retry, unknown-outcome and redirect handling can be tested over real HTTP.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tokio::sync::Notify;

use crate::dialect::error_response;
use crate::server::Shared;
use crate::store::LoggedRequest;

/// What to do to a matching request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Fault {
    /// 429 with `Retry-After: retry_after` seconds.
    RateLimit { retry_after: u64 },
    /// This status with a Greenhouse-style error body (e.g. 500, 502, 503).
    Status { status: u16 },
    /// Waits, then serves the request normally, even if the client has gone (a client timeout
    /// leaves the outcome unknown).
    Delay { ms: u64 },
    /// This redirect status (e.g. 307, which keeps the method and body) to `location`, without
    /// processing: a client that followed it would send the request, credentials and person
    /// included, wherever `location` says.
    Redirect { status: u16, location: String },
    /// Reads the body, then closes the connection without processing or answering.
    Drop,
    /// Processes the request (a create lands), then closes the connection without answering.
    /// Note: a browser resends a request by itself when a reused keep-alive connection closes
    /// before any byte of the answer, so through a browser this can create twice.
    DropAfterCommit,
    /// Processes the request, then sends the status, the headers and half the body, and cuts
    /// the connection: the answer is lost mid-way, after the browser saw that one had begun.
    CutAfterCommit,
}

/// Lets a handler close its own connection; the serve loop puts one in each request.
#[derive(Clone)]
pub struct ConnectionKiller(pub Arc<Notify>);

/// Applies the first pending fault matching the request and logs every request.
pub async fn inject(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    if path.starts_with("/_sandbox/") {
        return next.run(request).await;
    }
    let fault = shared.take_fault(&method, &path);
    let log = |status: Option<u16>| {
        shared.lock().requests.push(LoggedRequest {
            method: method.clone(),
            path: path.clone(),
            status,
            fault: fault.as_ref().map(|f| format!("{f:?}")),
        })
    };
    let response = match &fault {
        None => next.run(request).await,
        Some(Fault::RateLimit { retry_after }) => {
            let mut r = error_response(StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded", None);
            r.headers_mut()
                .insert("Retry-After", HeaderValue::from(*retry_after));
            r
        }
        Some(Fault::Status { status }) => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            error_response(status, "Injected failure", None)
        }
        Some(Fault::Redirect { status, location }) => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::TEMPORARY_REDIRECT);
            match HeaderValue::from_str(location) {
                Ok(location) => (status, [(LOCATION, location)]).into_response(),
                Err(_) => error_response(StatusCode::INTERNAL_SERVER_ERROR, "Unusable redirect", None),
            }
        }
        Some(Fault::Delay { ms }) => {
            // On its own task, so that it completes (and a create commits) even after the
            // client gave up and hyper dropped the connection, as a real server would.
            let ms = *ms;
            let work = tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                next.run(request).await
            });
            match work.await {
                Ok(response) => response,
                Err(_) => error_response(StatusCode::INTERNAL_SERVER_ERROR, "Handler failed", None),
            }
        }
        Some(Fault::Drop) => {
            let killer = request.extensions().get::<ConnectionKiller>().cloned();
            let _ = axum::body::to_bytes(request.into_body(), usize::MAX).await;
            log(None);
            return hang_up(killer).await;
        }
        Some(Fault::DropAfterCommit) => {
            let killer = request.extensions().get::<ConnectionKiller>().cloned();
            let _ = next.run(request).await;
            log(None);
            return hang_up(killer).await;
        }
        Some(Fault::CutAfterCommit) => {
            let response = next.run(request).await;
            log(None);
            return cut_short(response).await;
        }
    };
    log(Some(response.status().as_u16()));
    response
}

/// The response's head and half its body, then (once those have left) a failed body stream,
/// which makes hyper abort the connection; Content-Length still announces the whole body.
async fn cut_short(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(bytes.len().max(2)));
    let half = bytes.slice(..bytes.len() / 2);
    // hyper writes what it has before it polls the body again; the pause lets it flush, so the
    // client sees the answer begin (and cannot take the close for an idle connection's).
    let chunks = futures_util::stream::unfold(Some(half), |state| async move {
        match state {
            Some(half) => Some((Ok(half), None)),
            None => {
                tokio::time::sleep(Duration::from_millis(200)).await;
                let cut = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "cut by a fault");
                Some((Err::<Bytes, _>(cut), None))
            }
        }
    });
    Response::from_parts(parts, Body::from_stream(chunks))
}
/// Closes the connection and never answers; without a killer (another server) it answers 500.
async fn hang_up(killer: Option<ConnectionKiller>) -> Response {
    match killer {
        Some(ConnectionKiller(notify)) => {
            notify.notify_one();
            std::future::pending().await
        }
        None => (StatusCode::INTERNAL_SERVER_ERROR, Body::empty()).into_response(),
    }
}
