//! `GET /people/{id}`: a plain page showing a stored person, the target of the extension's
//! "open in Greenhouse" links when the API origin is not Greenhouse's (Connection::person_link).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Html;
use html_escape::encode_text;
use serde_json::Value;
use sprout::candidate::PartnerCandidate;

use crate::dialect::greenhouse;
use crate::server::Shared;
use crate::store::Record;

pub async fn person_page(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> (StatusCode, Html<String>) {
    let store = shared.lock();
    let Some(stored) = id
        .parse::<u64>()
        .ok()
        .and_then(|id| store.candidates.iter().find(|c| c.id == id))
    else {
        return (
            StatusCode::NOT_FOUND,
            Html(format!(
                "<!doctype html><meta charset=utf-8><title>Not found</title><p>No person {} in this sandbox.</p>",
                encode_text(&id)
            )),
        );
    };
    let (name, detail) = match &stored.record {
        Record::Seed { candidate } => (
            format!("{} {}", candidate.first_name, candidate.last_name),
            seed_rows(candidate),
        ),
        Record::Greenhouse { application } => (
            format!(
                "{} {}",
                stored.sent["first_name"].as_str().unwrap_or_default(),
                stored.sent["last_name"].as_str().unwrap_or_default()
            ),
            greenhouse::page_rows(&stored.sent, application),
        ),
    };
    let external_id = stored.sent["external_id"].as_str().unwrap_or_default().to_owned();
    let mut rows = vec![
        ("Id", stored.id.to_string()),
        ("External id", external_id),
        ("Created by", stored.created_by.clone()),
        ("Created at", stored.created_at.clone()),
    ];
    rows.extend(detail);
    let table: String = rows
        .iter()
        .map(|(k, v)| format!("<tr><th>{k}</th><td>{}</td></tr>", encode_text(v)))
        .collect();
    let sent = serde_json::to_string_pretty(&stored.sent).unwrap_or_else(|_| Value::Null.to_string());
    (
        StatusCode::OK,
        Html(format!(
            "<!doctype html><meta charset=utf-8><title>{name} (sandbox)</title><h1 id=name>{name}</h1>\
             <table id=record>{table}</table><h2>As received</h2><pre id=sent>{sent}</pre>",
            name = encode_text(&name),
            sent = encode_text(&sent),
        )),
    )
}

fn seed_rows(c: &PartnerCandidate) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    rows.extend(c.title.iter().map(|t| ("Title", t.clone())));
    rows.extend(c.company.iter().map(|t| ("Company", t.clone())));
    rows.extend(c.emails.iter().map(|e| ("Email", e.value.clone())));
    rows.extend(c.phone_numbers.iter().map(|p| ("Phone", p.value.clone())));
    rows.extend(c.social_media_addresses.iter().map(|l| ("Link", l.value.clone())));
    if let Some(job) = c.application.as_ref().and_then(|a| a.job_id) {
        rows.push(("Job", job.to_string()));
    }
    if let Some(pool) = c.prospect.as_ref().and_then(|p| p.prospect_pool_id) {
        rows.push(("Prospect pool", pool.to_string()));
    }
    rows
}
