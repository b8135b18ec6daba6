//! The /_sandbox/ admin API: queue faults, revoke a user's tokens, read back everything stored,
//! and change a stored application as a recruiter would in Greenhouse.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::dialect::error_response;
use crate::dialect::greenhouse::STATUSES;
use crate::faults::Fault;
use crate::server::Shared;
use crate::store::{PendingFault, Record};

#[derive(Deserialize)]
struct FaultRequest {
    path: String,
    #[serde(default)]
    method: Option<String>,
    #[serde(default = "one")]
    count: u32,
    fault: Fault,
}

fn one() -> u32 {
    1
}

/// What happened to an application in Greenhouse since it was created.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Change {
    status: Option<String>,
    stage: Option<String>,
    hidden: Option<bool>,
}

#[derive(Deserialize)]
struct Revoke {
    email: String,
}

/// A redirect URI to register for the client, as an administrator adds one in Greenhouse (each
/// Sprout connection signs in on its own path, known only once the sandbox's address is).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedirectUri {
    uri: String,
}

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/faults", post(add_fault).delete(clear_faults))
        .route("/revoke", post(revoke))
        .route("/redirect_uris", post(register_redirect_uri))
        .route("/state", get(state))
        .route("/candidates/{id}", post(change_candidate))
}

async fn register_redirect_uri(State(shared): State<Arc<Shared>>, Json(r): Json<RedirectUri>) -> Response {
    if sprout::url_parse::parse(&r.uri).is_err() {
        return (StatusCode::UNPROCESSABLE_ENTITY, "uri is not a URL").into_response();
    }
    let mut store = shared.lock();
    if !store.redirect_uris.contains(&r.uri) {
        store.redirect_uris.push(r.uri);
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn add_fault(State(shared): State<Arc<Shared>>, Json(r): Json<FaultRequest>) -> Response {
    let mut store = shared.lock();
    store.faults.push(PendingFault {
        path: r.path,
        method: r.method.map(|m| m.to_ascii_uppercase()),
        remaining: r.count,
        fault: r.fault,
    });
    (StatusCode::CREATED, Json(json!({"pending": store.faults.len()}))).into_response()
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.lock().faults.clear();
    StatusCode::NO_CONTENT
}

async fn revoke(State(shared): State<Arc<Shared>>, Json(r): Json<Revoke>) -> Json<serde_json::Value> {
    Json(json!({"revoked": shared.lock().revoke(&r.email)}))
}

async fn state(State(shared): State<Arc<Shared>>) -> Json<serde_json::Value> {
    let store = shared.lock();
    let (access, refresh) = store.live_tokens();
    let faults: Vec<_> = store
        .faults
        .iter()
        .map(|f| json!({"path": f.path, "method": f.method, "remaining": f.remaining, "fault": f.fault}))
        .collect();
    Json(json!({
        "dialect": store.dialect,
        "users": store.users,
        "client": {"client_id": store.client_id, "redirect_uris": store.redirect_uris, "has_secret": store.client_secret.is_some()},
        "jobs": store.jobs.len(),
        "prospect_pools": store.pools.len(),
        "candidates": store.candidates,
        "tracking_links": store.tracking_links,
        "tokens": {"access": access, "refresh": refresh, "pending_codes": store.grants.len()},
        "faults": faults,
        "requests": store.requests,
    }))
}

/// Moves, rejects, hires or hides (deleted, merged, re-sourced) a greenhouse-dialect record.
async fn change_candidate(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<u64>,
    Json(change): Json<Change>,
) -> Response {
    if change.status.as_deref().is_some_and(|s| !STATUSES.contains(&s)) {
        return error_response(
            StatusCode::BAD_REQUEST,
            "status must be active, rejected or hired",
            Some("status"),
        );
    }
    let mut store = shared.lock();
    let application = store
        .candidates
        .iter_mut()
        .find(|c| c.id == id)
        .and_then(|c| match &mut c.record {
            Record::Greenhouse { application } => Some(application),
            Record::Seed { .. } => None,
        });
    let Some(application) = application else {
        return error_response(
            StatusCode::NOT_FOUND,
            "no greenhouse-dialect candidate with this id",
            None,
        );
    };
    if let Some(status) = change.status {
        application.status = status;
    }
    if let Some(stage) = change.stage {
        application.stage = Some(stage);
    }
    if let Some(hidden) = change.hidden {
        application.hidden = hidden;
    }
    let answer = json!(application);
    store.persist();
    Json(answer).into_response()
}
