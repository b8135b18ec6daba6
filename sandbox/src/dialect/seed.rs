//! The seed dialect: the five paths under /v1/partner as shared/partner-api.openapi.yml (the
//! contract Sprout was first specified against) describes them, with its 201/422 answers.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use sprout::candidate::{CurrentUser, PartnerCandidate};

use super::{error_response, query_list};
use crate::auth::{
    Caller, CreateCandidates, CreateTrackingLink, Permitted, Sent, ViewCandidates, ViewJobs, ViewPools,
};
use crate::server::Shared;
use crate::store::{Record, StoredLink, random_token, rfc3339};
use crate::validate::{self, Org, Problem};

fn problems_response(problems: Vec<Problem>) -> Response {
    let errors: Vec<Value> = problems
        .into_iter()
        .map(|p| json!({"message": p.message, "field": p.field}))
        .collect();
    (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({"errors": errors}))).into_response()
}

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/candidates", get(list_candidates).post(create_candidate))
        .route("/current_user", get(current_user))
        .route("/jobs", get(jobs))
        .route("/prospect_pools", get(prospect_pools))
        .route("/tracking_link", post(tracking_link))
}

pub async fn list_candidates(
    State(shared): State<Arc<Shared>>,
    _: Permitted<ViewCandidates>,
    RawQuery(query): RawQuery,
) -> Response {
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
    // Records the greenhouse dialect made (in a --state file shared between runs) are not this
    // contract's objects.
    let found: Vec<&PartnerCandidate> = store
        .candidates
        .iter()
        .filter_map(|c| match &c.record {
            Record::Seed { candidate } => Some((c.id, &**candidate)),
            Record::Greenhouse { .. } => None,
        })
        .filter(|(id, candidate)| {
            unfiltered
                || external_ids.contains(&candidate.external_id)
                || candidate_ids.contains(&(*id as i64))
        })
        .map(|(_, candidate)| candidate)
        .collect();
    Json(found).into_response()
}

pub async fn create_candidate(
    State(shared): State<Arc<Shared>>,
    Sent {
        caller, body: sent, ..
    }: Sent<CreateCandidates>,
) -> Response {
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

pub async fn current_user(Caller { user, .. }: Caller) -> Response {
    Json(CurrentUser {
        id: Some(user.id),
        name: user.name,
        email: user.email,
    })
    .into_response()
}

pub async fn jobs(State(shared): State<Arc<Shared>>, _: Permitted<ViewJobs>) -> Response {
    Json(&shared.lock().jobs).into_response()
}

pub async fn prospect_pools(State(shared): State<Arc<Shared>>, _: Permitted<ViewPools>) -> Response {
    Json(&shared.lock().pools).into_response()
}

/// Tracking links live 30 days, pointing at this sandbox.
const LINK_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

pub async fn tracking_link(
    State(shared): State<Arc<Shared>>,
    Sent {
        caller, body: sent, ..
    }: Sent<CreateTrackingLink>,
) -> Response {
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
        expires_at: Some(rfc3339(SystemTime::now() + LINK_TTL)),
        sent,
        created_by: caller.user.email,
    };
    let answer = json!({"url": link.url, "expires_at": link.expires_at});
    store.add_link(link);
    (StatusCode::CREATED, Json(answer)).into_response()
}
