//! The five contract paths under /v1/partner, with Greenhouse's status codes and error shape.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use sprout::candidate::{CurrentUser, PartnerCandidate};

use crate::auth::{Needs, authenticate};
use crate::server::Shared;
use crate::store::{StoredLink, random_token, rfc3339};
use crate::validate::{self, Org, Problem};

/// `{"errors": [{"message", "field"}]}` with the given status.
pub fn error_response(status: StatusCode, message: &str, field: Option<&str>) -> Response {
    let mut error = json!({"message": message});
    if let Some(field) = field {
        error["field"] = json!(field);
    }
    (status, Json(json!({"errors": [error]}))).into_response()
}

fn problems_response(problems: Vec<Problem>) -> Response {
    let errors: Vec<Value> = problems
        .into_iter()
        .map(|p| json!({"message": p.message, "field": p.field}))
        .collect();
    (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({"errors": errors}))).into_response()
}

/// The largest request body accepted: a 5 MB file as base64 (about 6.7 MB) plus the person fits
/// with room to spare; anything larger is answered 413 in the contract's error shape.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// How much of a body is read at all. A body over [`MAX_BODY_BYTES`] is still read up to here
/// before the 413 goes out: answering while the client is still sending makes it see a reset
/// connection instead of the answer.
pub const READ_BODY_BYTES: usize = 4 * MAX_BODY_BYTES;

fn parse_json(body: Result<Bytes, BytesRejection>) -> Result<Value, Response> {
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
fn query_list(query: Option<&str>, name: &str) -> Vec<String> {
    let Some(query) = query else { return vec![] };
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(k, _)| decode(k) == name)
        .flat_map(|(_, v)| v.split(',').map(decode).collect::<Vec<_>>())
        .filter(|item| !item.is_empty())
        .collect()
}

fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("v={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

pub async fn list_candidates(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let caller = match authenticate(&shared, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(r) = caller.permit(Needs {
        scope: Some("candidates.view"),
        basic_role: false,
    }) {
        return r;
    }
    let external_ids = query_list(query.as_deref(), "external_ids");
    let mut candidate_ids = Vec::new();
    for raw in query_list(query.as_deref(), "candidate_ids") {
        // Any integer is valid, however large; ids that name nothing simply match nothing.
        let digits = raw.strip_prefix('-').unwrap_or(&raw);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return error_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                "candidate_ids must be integers",
                Some("candidate_ids"),
            );
        }
        if let Ok(id) = raw.parse::<i64>() {
            candidate_ids.push(id);
        }
    }
    let store = shared.lock();
    let unfiltered = external_ids.is_empty() && candidate_ids.is_empty();
    let found: Vec<&PartnerCandidate> = store
        .candidates
        .iter()
        .filter(|c| {
            unfiltered
                || external_ids.contains(&c.candidate.external_id)
                || candidate_ids.contains(&(c.id as i64))
        })
        .map(|c| &c.candidate)
        .collect();
    Json(found).into_response()
}

pub async fn create_candidate(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let caller = match authenticate(&shared, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(r) = caller.permit(Needs {
        scope: Some("candidates.create"),
        basic_role: true,
    }) {
        return r;
    }
    let sent = match parse_json(body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut store = shared.lock();
    let user_ids: Vec<u64> = store.users.iter().map(|u| u.id).collect();
    let problems = validate::candidate(
        &sent,
        &Org {
            jobs: &store.jobs,
            pools: &store.pools,
            user_ids: &user_ids,
        },
    );
    if !problems.is_empty() {
        return problems_response(problems);
    }
    let candidate: PartnerCandidate = match serde_json::from_value(sent.clone()) {
        Ok(c) => c,
        Err(e) => return error_response(StatusCode::UNPROCESSABLE_ENTITY, &e.to_string(), None),
    };
    let stored = store.add_candidate(sent, candidate, &caller.user.email, caller.mode);
    (StatusCode::CREATED, Json(stored)).into_response()
}

pub async fn current_user(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    match authenticate(&shared, &headers) {
        Ok(c) => Json(CurrentUser {
            id: Some(c.user.id),
            name: c.user.name,
            email: c.user.email,
        })
        .into_response(),
        Err(r) => r,
    }
}

pub async fn jobs(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let caller = match authenticate(&shared, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(r) = caller.permit(Needs {
        scope: Some("jobs.view"),
        basic_role: true,
    }) {
        return r;
    }
    Json(&shared.lock().jobs).into_response()
}

pub async fn prospect_pools(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let caller = match authenticate(&shared, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(r) = caller.permit(Needs {
        scope: Some("prospect_pools.view"),
        basic_role: true,
    }) {
        return r;
    }
    Json(&shared.lock().pools).into_response()
}

/// Tracking links live 30 days, pointing at this sandbox.
const LINK_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

pub async fn tracking_link(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let caller = match authenticate(&shared, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    // No scope is documented for tracking links; the role decides.
    if let Err(r) = caller.permit(Needs {
        scope: None,
        basic_role: false,
    }) {
        return r;
    }
    let sent = match parse_json(body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut store = shared.lock();
    let problems = validate::tracking_link(
        &sent,
        &Org {
            jobs: &store.jobs,
            pools: &store.pools,
            user_ids: &[],
        },
    );
    if !problems.is_empty() {
        return problems_response(problems);
    }
    let link = StoredLink {
        url: format!("{}/t/{}", shared.origin, random_token()),
        expires_at: rfc3339(SystemTime::now() + LINK_TTL),
        sent,
        created_by: caller.user.email,
    };
    let answer = json!({"url": link.url, "expires_at": link.expires_at});
    store.add_link(link);
    (StatusCode::CREATED, Json(answer)).into_response()
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
