//! The /_sandbox/ admin API: queue faults, revoke a user's tokens, read back everything stored.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::faults::Fault;
use crate::server::Shared;
use crate::store::PendingFault;

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

#[derive(Deserialize)]
struct Revoke {
    email: String,
}

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/faults", post(add_fault).delete(clear_faults))
        .route("/revoke", post(revoke))
        .route("/state", get(state))
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
