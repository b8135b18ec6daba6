//! The two wire dialects of the Partner API paths (PARTNER_API.md), each in its own module, and
//! what both share: the error shape, body reading and comma-separated query lists.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::config::Dialect;
use crate::server::Shared;

pub mod greenhouse;
pub mod seed;

/// The routes under /v1/partner for this dialect.
pub fn routes(dialect: Dialect) -> Router<Arc<Shared>> {
    let routes = match dialect {
        Dialect::Greenhouse => greenhouse::routes(),
        Dialect::Seed => seed::routes(),
    };
    routes.layer(DefaultBodyLimit::max(READ_BODY_BYTES))
}

/// `{"errors": [{"message", "field"}]}` with the given status.
pub fn error_response(status: StatusCode, message: &str, field: Option<&str>) -> Response {
    let mut error = json!({"message": message});
    if let Some(field) = field {
        error["field"] = json!(field);
    }
    (status, Json(json!({"errors": [error]}))).into_response()
}

/// The largest request body accepted: a 5 MB file as base64 (about 6.7 MB) plus the person fits
/// with room to spare; anything larger is answered 413 in the contract's error shape.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// How much of a body is read at all. A body over [`MAX_BODY_BYTES`] is still read up to here
/// before the 413 goes out: answering while the client is still sending makes it see a reset
/// connection instead of the answer.
pub const READ_BODY_BYTES: usize = 4 * MAX_BODY_BYTES;

pub fn parse_json(body: Result<Bytes, BytesRejection>) -> Result<Value, Response> {
    let body = body.map_err(|e| error_response(e.status(), &e.body_text(), None))?;
    if body.len() > MAX_BODY_BYTES {
        let message = format!(
            "Request body is larger than {} MB",
            MAX_BODY_BYTES / (1024 * 1024)
        );
        return Err(error_response(StatusCode::PAYLOAD_TOO_LARGE, &message, None));
    }
    serde_json::from_slice(&body)
        .map_err(|e| error_response(StatusCode::BAD_REQUEST, &format!("Invalid JSON: {e}"), None))
}

/// Comma-separated array parameters (style form, explode false); items are decoded after splitting
/// so that an encoded comma stays inside its item.
pub fn query_list(query: Option<&str>, name: &str) -> Vec<String> {
    query_pairs(query)
        .filter(|(k, _)| decode(k) == name)
        .flat_map(|(_, v)| v.split(',').map(decode).collect::<Vec<_>>())
        .filter(|item| !item.is_empty())
        .collect()
}

/// The raw `name=value` pairs of a query string.
pub fn query_pairs(query: Option<&str>) -> impl Iterator<Item = (&str, &str)> {
    query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
}

pub fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("v={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_parameters_split_on_raw_commas_only() {
        let q = Some("external_ids=a%2Cb,c+d,&candidate_ids=1,2&other=x");
        assert_eq!(query_list(q, "external_ids"), ["a,b", "c d"]);
        assert_eq!(query_list(q, "candidate_ids"), ["1", "2"]);
        assert!(query_list(None, "external_ids").is_empty());
    }
}
