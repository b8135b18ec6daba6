//! The greenhouse dialect: the paths under /v1/partner as Greenhouse's published Candidate
//! Ingestion docs (grnhse/greenhouse-api-docs, source/includes/candidate-ingestion/) describe them:
//! flat create bodies alone or in arrays, read-back by `candidate_ids` only, 400 with a field.

mod body;

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sprout::candidate::Job;

use super::{decode, error_response, query_pairs};
use crate::auth::{
    Caller, CreateCandidates, CreateTrackingLink, Permitted, Sent, ViewCandidates, ViewJobs, ViewPools,
};
use crate::config::Role;
use crate::server::Shared;
use crate::store::{Record, Store, StoredCandidate, StoredLink, User, now_rfc3339, random_token};
use crate::validate::Problem;

/// What a created person's application has become; the admin API changes it as a recruiter
/// would in Greenhouse.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Application {
    pub application_id: u64,
    /// The job's name; `null` for a prospect on no job (the docs define the field as the name
    /// of the job, and properties without a value as null; a pool is not a job).
    pub job: Option<String>,
    /// "Application Review" on a job, the pool stage for a prospect, `null` otherwise.
    pub stage: Option<String>,
    /// active, rejected or hired.
    pub status: String,
    /// Deleted, merged or re-sourced in Greenhouse: left out of `GET /candidates`.
    #[serde(default)]
    pub hidden: bool,
}

pub const STATUSES: &[&str] = &["active", "rejected", "hired"];

/// The source a tracking link names: the partner application itself.
const SOURCE: &str = "Sprout";

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/candidates", get(list_candidates).post(create_candidates))
        .route("/current_user", get(current_user))
        .route("/jobs", get(jobs))
        .route("/prospect_pools", get(prospect_pools))
        .route("/tracking_link", post(tracking_link))
}

/// The docs list 400 for a request the server cannot take; their error example carries the
/// offending `field`, so field problems are 400s too.
fn problems_response(problems: Vec<Problem>) -> Response {
    let errors: Vec<Value> = problems
        .into_iter()
        .map(|p| json!({"message": p.message, "field": p.field}))
        .collect();
    (StatusCode::BAD_REQUEST, Json(json!({"errors": errors}))).into_response()
}

/// "Jobs that are visible for the current user, including all jobs listed on their
/// organization's public careers page and unpublished jobs the user can access": a Basic user
/// has access to no job, so sees the public ones only.
fn visible_jobs<'s>(store: &'s Store, user: &User) -> Vec<&'s Job> {
    store
        .jobs
        .iter()
        .filter(|j| user.role != Role::Basic || !store.private_jobs.contains(&j.id))
        .collect()
}

fn profile_url(origin: &str, id: u64, application_id: u64) -> String {
    format!("{origin}/people/{id}?application_id={application_id}")
}

/// `POST /candidates`: one object or an array of them; the answer has the same form. A batch
/// lands whole or not at all, and its problems are named `[i].field`.
pub async fn create_candidates(
    State(shared): State<Arc<Shared>>,
    Sent {
        caller, body: sent, ..
    }: Sent<CreateCandidates>,
) -> Response {
    let (people, batch) = match sent {
        Value::Array(people) => (people, true),
        one => (vec![one], false),
    };
    if people.is_empty() {
        return error_response(StatusCode::BAD_REQUEST, "No candidates in the array", None);
    }
    let mut store = shared.lock();
    let org = body::Org {
        jobs: visible_jobs(&store, &caller.user),
        pools: &store.pools,
        users: &store.users,
    };
    let mut placements = Vec::new();
    let mut problems = Vec::new();
    for (i, person) in people.iter().enumerate() {
        match body::check(person, &org) {
            Ok(placement) => placements.push(placement),
            Err(found) if batch => problems.extend(found.into_iter().map(|p| Problem {
                field: format!("[{i}].{}", p.field).trim_end_matches('.').to_owned(),
                ..p
            })),
            Err(found) => problems.extend(found),
        }
    }
    if !problems.is_empty() {
        return problems_response(problems);
    }
    let first_id = store.next_candidate_id();
    let first_application = store
        .candidates
        .iter()
        .filter_map(|c| match &c.record {
            Record::Greenhouse { application } => Some(application.application_id),
            Record::Seed { .. } => None,
        })
        .max()
        .unwrap_or(70_000_000)
        + 1;
    let created_at = now_rfc3339();
    let mut answers = Vec::new();
    let mut records = Vec::new();
    for (i, (person, placement)) in people.into_iter().zip(placements).enumerate() {
        let (id, application_id) = (first_id + i as u64, first_application + i as u64);
        answers.push(json!({
            "id": id,
            "application_id": application_id,
            "external_id": person["external_id"],
            "profile_url": profile_url(&shared.origin, id, application_id),
        }));
        records.push(StoredCandidate {
            id,
            sent: person,
            record: Record::Greenhouse {
                application: Application {
                    application_id,
                    job: placement.job,
                    stage: placement.stage,
                    status: "active".to_owned(),
                    hidden: false,
                },
            },
            created_by: caller.user.email.clone(),
            auth: caller.mode.to_owned(),
            created_at: created_at.clone(),
        });
    }
    store.add_records(records);
    if batch {
        Json(answers).into_response()
    } else {
        Json(answers.remove(0)).into_response()
    }
}

/// `GET /candidates?candidate_ids=1,2`: the only parameter there is. Ids that name nothing, or
/// a record the caller may not see, are left out without a word, as the docs describe.
pub async fn list_candidates(
    State(shared): State<Arc<Shared>>,
    Permitted { caller, .. }: Permitted<ViewCandidates>,
    RawQuery(query): RawQuery,
) -> Response {
    // "The request should contain a single query parameter": anything else (external_ids
    // above all, which the seed contract had) is refused so that a client relying on it
    // finds out here.
    if let Some((name, _)) = query_pairs(query.as_deref()).find(|(k, _)| decode(k) != "candidate_ids") {
        let name = decode(name);
        return error_response(
            StatusCode::BAD_REQUEST,
            &format!("{name} is not supported: candidates are read by candidate_ids only"),
            Some(&name),
        );
    }
    // Decoded whole, then split, as a Rails server reads a parameter (an encoded comma
    // separates ids too); the docs' own example is "123, 456", so spaces around ids are fine.
    let raw_ids: Vec<String> = query_pairs(query.as_deref())
        .flat_map(|(_, v)| decode(v).split(',').map(str::to_owned).collect::<Vec<_>>())
        .collect();
    if raw_ids.iter().all(|raw| raw.trim_matches(' ').is_empty()) {
        return error_response(
            StatusCode::BAD_REQUEST,
            "candidate_ids is required",
            Some("candidate_ids"),
        );
    }
    let mut ids = Vec::new();
    for raw in &raw_ids {
        let raw = raw.trim_matches(' ');
        let digits = raw.strip_prefix('-').unwrap_or(raw);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return error_response(
                StatusCode::BAD_REQUEST,
                "candidate_ids must be integers",
                Some("candidate_ids"),
            );
        }
        // Any integer is valid, however large; ids that name nothing simply match nothing.
        if let Ok(id) = raw.parse::<u64>() {
            ids.push(id);
        }
    }
    let store = shared.lock();
    // Visible: created through this API by the caller, and not since deleted, merged or
    // re-sourced. The docs tie visibility to the user's permissions on the job; the sandbox takes
    // the strict end of that (a colleague's record is not shown), which is the case a client
    // must cope with anyway.
    let found: Vec<Value> = store
        .candidates
        .iter()
        .filter(|c| ids.contains(&c.id) && c.created_by == caller.user.email)
        .filter_map(|c| match &c.record {
            Record::Greenhouse { application } if !application.hidden => Some(json!({
                "id": c.id,
                "name": format!("{} {}", text(&c.sent["first_name"]), text(&c.sent["last_name"])),
                "external_id": c.sent["external_id"],
                "applications": [{
                    "id": application.application_id,
                    "job": application.job,
                    "status": application.status,
                    "stage": application.stage,
                    "profile_url": profile_url(&shared.origin, c.id, application.application_id),
                }],
            })),
            _ => None,
        })
        .collect();
    Json(found).into_response()
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// No scope is documented for `GET /current_user`: any signed-in caller may ask.
pub async fn current_user(Caller { user, .. }: Caller) -> Response {
    let (first, last) = match user.name.split_once(' ') {
        Some((first, last)) => (first.to_owned(), Some(last.to_owned())),
        None => (user.name.clone(), None),
    };
    Json(json!({
        "full_name": user.name,
        "first_name": first,
        "last_name": last,
        "email": user.email,
        "id": user.id,
    }))
    .into_response()
}

pub async fn jobs(
    State(shared): State<Arc<Shared>>,
    Permitted { caller, .. }: Permitted<ViewJobs>,
) -> Response {
    let store = shared.lock();
    let jobs: Vec<Value> = visible_jobs(&store, &caller.user)
        .into_iter()
        .map(|j| {
            json!({"id": j.id, "name": j.name, "status": "open", "public": !store.private_jobs.contains(&j.id)})
        })
        .collect();
    Json(jobs).into_response()
}

/// Stages in the order configured in Greenhouse, which is the order the store keeps them in.
pub async fn prospect_pools(State(shared): State<Arc<Shared>>, _: Permitted<ViewPools>) -> Response {
    let store = shared.lock();
    let pools: Vec<Value> = store
        .pools
        .iter()
        .map(|pool| {
            let stages: Vec<Value> = pool
                .stages
                .iter()
                .map(|s| json!({"id": s.id, "name": s.name}))
                .collect();
            json!({"id": pool.id, "name": pool.name, "stages": stages})
        })
        .collect();
    Json(pools).into_response()
}

/// `POST /tracking_link {job_id}`. No scope is documented for it; the role decides (Basic
/// users may not create tracking links).
pub async fn tracking_link(
    State(shared): State<Arc<Shared>>,
    Sent {
        caller, body: sent, ..
    }: Sent<CreateTrackingLink>,
) -> Response {
    let mut store = shared.lock();
    let job = match tracked_job(&sent, &visible_jobs(&store, &caller.user)) {
        Ok(job) => job.name.clone(),
        Err(problems) => return problems_response(problems),
    };
    let link = StoredLink {
        url: format!("{}/t/{}", shared.origin, random_token()),
        expires_at: None,
        sent,
        created_by: caller.user.email.clone(),
    };
    let answer =
        json!({"tracking_link": link.url, "job": job, "source": SOURCE, "referrer": caller.user.name});
    store.add_link(link);
    Json(answer).into_response()
}

fn tracked_job<'j>(sent: &Value, jobs: &[&'j Job]) -> Result<&'j Job, Vec<Problem>> {
    let problem = |field: &str, message: &str| {
        vec![Problem {
            field: field.to_owned(),
            message: message.to_owned(),
        }]
    };
    let Some(obj) = sent.as_object() else {
        return Err(problem("", "must be a JSON object"));
    };
    if let Some(key) = obj.keys().find(|k| *k != "job_id") {
        return Err(problem(key, "is not a field of a tracking link request"));
    }
    let id = match obj.get("job_id") {
        None | Some(Value::Null) => return Err(problem("job_id", "is required")),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.as_u64(),
        Some(_) => return Err(problem("job_id", "must be an integer")),
    };
    id.and_then(|id| jobs.iter().find(|j| j.id == id).copied())
        .ok_or_else(|| problem("job_id", "job not found"))
}

/// The rows of the sandbox's person page for a record this dialect created.
pub fn page_rows(sent: &Value, application: &Application) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    for (label, key) in [("Title", "title"), ("Company", "company")] {
        if let Some(v) = sent[key].as_str() {
            rows.push((label, v.to_owned()));
        }
    }
    for (label, list, key) in [
        ("Email", "emails", "email"),
        ("Phone", "phone_numbers", "phone_number"),
        ("Social media", "social_media", "url"),
        ("Website", "websites", "url"),
        ("Address", "addresses", "address"),
    ] {
        for item in sent[list].as_array().into_iter().flatten() {
            rows.push((label, text(&item[key]).to_owned()));
        }
    }
    if let Some(job) = &application.job {
        rows.push(("Job", job.clone()));
    }
    if let Some(stage) = &application.stage {
        rows.push(("Stage", stage.clone()));
    }
    rows.push(("Status", application.status.clone()));
    for (label, key) in [("Resume", "resume"), ("Notes", "notes")] {
        if let Some(v) = sent[key].as_str() {
            rows.push((label, v.to_owned()));
        }
    }
    rows
}
