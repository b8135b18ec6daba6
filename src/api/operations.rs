//! The Partner API's six operations, each as a value that builds its request and interprets its
//! response in the connection's dialect; the dialect modules hold every wire shape.

use serde::de::DeserializeOwned;
use url::form_urlencoded::byte_serialize;

use super::auth::Auth;
use super::dialect::Dialect;
use super::errors::ApiError;
use super::records::{Created, Record};
use super::request::{ApiRequest, ApiResponse, Method};
use super::{greenhouse, seed};
use crate::candidate::{CurrentUser, Job, PartnerCandidate, ProspectPool, TrackingLink, TrackingLinkRequest};

/// One Partner API operation.
pub trait Operation {
    type Output;
    /// Whether sending it twice is harmless, so an attempt with no answer may simply be repeated.
    const REPEATABLE: bool;

    fn request(&self, dialect: Dialect, base_url: &str, auth: &Auth) -> ApiRequest;
    fn interpret(&self, dialect: Dialect, response: &ApiResponse) -> Result<Self::Output, ApiError>;
}

/// "Already in Greenhouse?": by external ids (seed only) and/or Greenhouse ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListCandidates {
    /// Only the seed contract can search by these; the greenhouse dialect leaves them out.
    pub external_ids: Vec<String>,
    pub candidate_ids: Vec<u64>,
}

/// Create a candidate or prospect: every POST creates, so it is never repeated blindly.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateCandidate {
    /// The person, with the target as `application` (a job) or `prospect` (a pool and stage).
    pub candidate: PartnerCandidate,
    /// Free text for dialects that carry notes: the audit line and the recruiter's note.
    pub notes: Option<String>,
    /// "Make me the prospect owner", for dialects that name the owner by email.
    pub prospect_owner_email: Option<String>,
    /// The referrer's name, for dialects that create a referrer by name and email.
    pub referrer_name: Option<String>,
}

impl From<&PartnerCandidate> for CreateCandidate {
    fn from(candidate: &PartnerCandidate) -> Self {
        CreateCandidate {
            candidate: candidate.clone(),
            ..Default::default()
        }
    }
}

/// The signed-in user.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GetCurrentUser;

/// Jobs the user may see (not paginated: thousands of entries for large customers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListJobs;

/// Prospect pools with their stages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListProspectPools;

/// A tracking link for a job (the greenhouse dialect sends only `job_id`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateTrackingLink(pub TrackingLinkRequest);

impl Operation for ListCandidates {
    type Output = Vec<Record>;
    const REPEATABLE: bool = true;

    fn request(&self, dialect: Dialect, base_url: &str, auth: &Auth) -> ApiRequest {
        // Arrays are comma-separated (style form, explode false); each item is percent-encoded
        // so a comma inside an id cannot split it.
        let mut query = Vec::new();
        if !self.external_ids.is_empty() && dialect.capabilities().lookup_by_external_id {
            let ids: Vec<String> = self.external_ids.iter().map(|id| encode(id)).collect();
            query.push(format!("external_ids={}", ids.join(",")));
        }
        if !self.candidate_ids.is_empty() {
            let ids: Vec<String> = self.candidate_ids.iter().map(u64::to_string).collect();
            query.push(format!("candidate_ids={}", ids.join(",")));
        }
        let mut url = endpoint(base_url, "/candidates");
        if !query.is_empty() {
            url = format!("{url}?{}", query.join("&"));
        }
        get(url, auth)
    }

    fn interpret(&self, dialect: Dialect, response: &ApiResponse) -> Result<Self::Output, ApiError> {
        match dialect {
            Dialect::Greenhouse => greenhouse::read_records(response),
            Dialect::Seed => seed::read_records(response),
        }
    }
}

impl Operation for CreateCandidate {
    type Output = Created;
    const REPEATABLE: bool = false;

    fn request(&self, dialect: Dialect, base_url: &str, auth: &Auth) -> ApiRequest {
        let body = match dialect {
            Dialect::Greenhouse => greenhouse::create_body(
                &self.candidate,
                &greenhouse::Extras {
                    notes: self.notes.as_deref(),
                    prospect_owner_email: self.prospect_owner_email.as_deref(),
                    referrer_name: self.referrer_name.as_deref(),
                },
            ),
            Dialect::Seed => json(&self.candidate),
        };
        post(endpoint(base_url, "/candidates"), auth, body)
    }

    fn interpret(&self, dialect: Dialect, response: &ApiResponse) -> Result<Self::Output, ApiError> {
        match dialect {
            Dialect::Greenhouse => {
                greenhouse::read_created(response).map_err(|e| greenhouse::form_error(e, &self.candidate))
            }
            Dialect::Seed => seed::read_created(response),
        }
    }
}

impl Operation for GetCurrentUser {
    type Output = CurrentUser;
    const REPEATABLE: bool = true;

    fn request(&self, _: Dialect, base_url: &str, auth: &Auth) -> ApiRequest {
        get(endpoint(base_url, "/current_user"), auth)
    }

    fn interpret(&self, dialect: Dialect, response: &ApiResponse) -> Result<Self::Output, ApiError> {
        match dialect {
            Dialect::Greenhouse => greenhouse::read_current_user(response),
            Dialect::Seed => json_on_success(response),
        }
    }
}

impl Operation for ListJobs {
    type Output = Vec<Job>;
    const REPEATABLE: bool = true;

    fn request(&self, _: Dialect, base_url: &str, auth: &Auth) -> ApiRequest {
        get(endpoint(base_url, "/jobs"), auth)
    }

    fn interpret(&self, dialect: Dialect, response: &ApiResponse) -> Result<Self::Output, ApiError> {
        match dialect {
            Dialect::Greenhouse => greenhouse::read_jobs(response),
            Dialect::Seed => json_on_success(response),
        }
    }
}

impl Operation for ListProspectPools {
    type Output = Vec<ProspectPool>;
    const REPEATABLE: bool = true;

    fn request(&self, _: Dialect, base_url: &str, auth: &Auth) -> ApiRequest {
        get(endpoint(base_url, "/prospect_pools"), auth)
    }

    fn interpret(&self, dialect: Dialect, response: &ApiResponse) -> Result<Self::Output, ApiError> {
        match dialect {
            Dialect::Greenhouse => greenhouse::read_pools(response),
            Dialect::Seed => json_on_success(response),
        }
    }
}

impl Operation for CreateTrackingLink {
    type Output = TrackingLink;
    // A second link for the same job is harmless: nothing about a person is duplicated.
    const REPEATABLE: bool = true;

    fn request(&self, dialect: Dialect, base_url: &str, auth: &Auth) -> ApiRequest {
        let body = match dialect {
            Dialect::Greenhouse => greenhouse::tracking_link_body(self.0.job_id),
            Dialect::Seed => json(&self.0),
        };
        post(endpoint(base_url, "/tracking_link"), auth, body)
    }

    fn interpret(&self, dialect: Dialect, response: &ApiResponse) -> Result<Self::Output, ApiError> {
        match dialect {
            Dialect::Greenhouse => greenhouse::read_tracking_link(response),
            Dialect::Seed => json_on_success(response),
        }
    }
}

fn encode(s: &str) -> String {
    byte_serialize(s.as_bytes()).collect()
}

fn endpoint(base_url: &str, path: &str) -> String {
    format!("{}{path}", base_url.trim_end_matches('/'))
}

fn get(url: String, auth: &Auth) -> ApiRequest {
    let mut headers = auth.headers();
    headers.push(("Accept".into(), "application/json".into()));
    ApiRequest {
        method: Method::Get,
        url,
        headers,
        body: None,
    }
}

fn post(url: String, auth: &Auth, body: String) -> ApiRequest {
    let mut request = get(url, auth);
    request.method = Method::Post;
    request
        .headers
        .push(("Content-Type".into(), "application/json".into()));
    request.body = Some(body);
    request
}

fn json<T: serde::Serialize>(value: &T) -> String {
    // The wire types are plain structs of strings and numbers: serializing cannot fail.
    serde_json::to_string(value).expect("wire types serialize")
}

/// A success answer's JSON, read leniently; any other status classified as an [`ApiError`].
pub(super) fn json_on_success<T: DeserializeOwned>(response: &ApiResponse) -> Result<T, ApiError> {
    if !(200..300).contains(&response.status) {
        return Err(ApiError::from_response(response));
    }
    response.json().map_err(|e| ApiError::MalformedResponse {
        status: response.status,
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    const BASE: &str = "https://api.greenhouse.io/v1/partner/";
    const SEED: Dialect = Dialect::Seed;

    fn ok(status: u16, body: Value) -> ApiResponse {
        ApiResponse {
            status,
            headers: vec![],
            body: body.to_string(),
        }
    }

    #[test]
    fn list_candidates_joins_ids_with_commas_and_encodes_items() {
        let op = ListCandidates {
            external_ids: vec!["sprout:a b".into(), "x,y".into()],
            candidate_ids: vec![1, 22],
        };
        let r = op.request(SEED, BASE, &Auth::bearer("t"));
        assert_eq!(r.method, Method::Get);
        assert_eq!(
            r.url,
            "https://api.greenhouse.io/v1/partner/candidates?external_ids=sprout%3Aa+b,x%2Cy&candidate_ids=1,22"
        );
        assert_eq!(
            ListCandidates::default()
                .request(SEED, BASE, &Auth::bearer("t"))
                .url,
            "https://api.greenhouse.io/v1/partner/candidates"
        );
    }

    #[test]
    fn create_candidate_posts_json_with_auth_headers() {
        let c = PartnerCandidate {
            external_id: "e".into(),
            first_name: "F".into(),
            last_name: "L".into(),
            ..Default::default()
        };
        let r = CreateCandidate::from(&c).request(SEED, BASE, &Auth::basic("k", "u@x.io"));
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.url, "https://api.greenhouse.io/v1/partner/candidates");
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("on-behalf-of"), Some("u@x.io"));
        let body: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(body, json!({"external_id":"e","first_name":"F","last_name":"L"}));
    }

    #[test]
    fn every_path_matches_the_contract() {
        let a = Auth::bearer("t");
        let paths = [
            GetCurrentUser.request(SEED, BASE, &a).url,
            ListJobs.request(SEED, BASE, &a).url,
            ListProspectPools.request(SEED, BASE, &a).url,
            CreateTrackingLink::default().request(SEED, BASE, &a).url,
        ];
        let tails: Vec<&str> = paths.iter().map(|u| &u[BASE.len() - 1..]).collect();
        assert_eq!(
            tails,
            ["/current_user", "/jobs", "/prospect_pools", "/tracking_link"]
        );
    }

    #[test]
    fn responses_parse_leniently_and_errors_classify() {
        let jobs = ListJobs
            .interpret(
                SEED,
                &ok(200, json!([{"id": 4, "name": "Chef", "new_field": true}])),
            )
            .unwrap();
        assert_eq!(jobs[0].id, 4);
        let link = CreateTrackingLink::default()
            .interpret(
                SEED,
                &ok(201, json!({"url": "https://x.io/t", "expires_at": null})),
            )
            .unwrap();
        assert_eq!(link.url, "https://x.io/t");
        assert!(matches!(
            GetCurrentUser.interpret(SEED, &ok(200, json!("nope"))),
            Err(ApiError::MalformedResponse { status: 200, .. })
        ));
        assert!(matches!(
            ListCandidates::default().interpret(SEED, &ok(403, json!({"errors": []}))),
            Err(ApiError::Forbidden { .. })
        ));
    }
}
