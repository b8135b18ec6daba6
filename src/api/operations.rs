//! The contract's six operations, each as a value that builds its request and interprets its response.

use serde::de::DeserializeOwned;
use url::form_urlencoded::byte_serialize;

use super::auth::Auth;
use super::errors::ApiError;
use super::request::{ApiRequest, ApiResponse, Method};
use crate::candidate::{CurrentUser, Job, PartnerCandidate, ProspectPool, TrackingLink, TrackingLinkRequest};

/// One Partner API operation.
pub trait Operation {
    type Output;
    /// Whether sending it twice is harmless, so an attempt with no answer may simply be repeated.
    const REPEATABLE: bool;

    fn request(&self, base_url: &str, auth: &Auth) -> ApiRequest;
    fn interpret(&self, response: &ApiResponse) -> Result<Self::Output, ApiError>;
}

/// `listPartnerCandidates`: "already in Greenhouse?" by external ids and/or Greenhouse ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListCandidates {
    pub external_ids: Vec<String>,
    pub candidate_ids: Vec<u64>,
}

/// `createPartnerCandidate`: every POST creates, so it is never repeated blindly.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateCandidate(pub PartnerCandidate);

/// `getCurrentPartnerUser`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GetCurrentUser;

/// `listPartnerJobs` (not paginated: thousands of entries for large customers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListJobs;

/// `listPartnerProspectPools`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListProspectPools;

/// `createTrackingLink`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateTrackingLink(pub TrackingLinkRequest);

impl Operation for ListCandidates {
    type Output = Vec<PartnerCandidate>;
    const REPEATABLE: bool = true;

    fn request(&self, base_url: &str, auth: &Auth) -> ApiRequest {
        // Arrays are comma-separated (style form, explode false); each item is percent-encoded
        // so a comma inside an id cannot split it.
        let mut query = Vec::new();
        if !self.external_ids.is_empty() {
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

    fn interpret(&self, response: &ApiResponse) -> Result<Self::Output, ApiError> {
        json_on_success(response)
    }
}

impl Operation for CreateCandidate {
    type Output = PartnerCandidate;
    const REPEATABLE: bool = false;

    fn request(&self, base_url: &str, auth: &Auth) -> ApiRequest {
        post(endpoint(base_url, "/candidates"), auth, json(&self.0))
    }

    fn interpret(&self, response: &ApiResponse) -> Result<Self::Output, ApiError> {
        json_on_success(response)
    }
}

impl Operation for GetCurrentUser {
    type Output = CurrentUser;
    const REPEATABLE: bool = true;

    fn request(&self, base_url: &str, auth: &Auth) -> ApiRequest {
        get(endpoint(base_url, "/current_user"), auth)
    }

    fn interpret(&self, response: &ApiResponse) -> Result<Self::Output, ApiError> {
        json_on_success(response)
    }
}

impl Operation for ListJobs {
    type Output = Vec<Job>;
    const REPEATABLE: bool = true;

    fn request(&self, base_url: &str, auth: &Auth) -> ApiRequest {
        get(endpoint(base_url, "/jobs"), auth)
    }

    fn interpret(&self, response: &ApiResponse) -> Result<Self::Output, ApiError> {
        json_on_success(response)
    }
}

impl Operation for ListProspectPools {
    type Output = Vec<ProspectPool>;
    const REPEATABLE: bool = true;

    fn request(&self, base_url: &str, auth: &Auth) -> ApiRequest {
        get(endpoint(base_url, "/prospect_pools"), auth)
    }

    fn interpret(&self, response: &ApiResponse) -> Result<Self::Output, ApiError> {
        json_on_success(response)
    }
}

impl Operation for CreateTrackingLink {
    type Output = TrackingLink;
    // A second link for the same job is harmless: nothing about a person is duplicated.
    const REPEATABLE: bool = true;

    fn request(&self, base_url: &str, auth: &Auth) -> ApiRequest {
        post(endpoint(base_url, "/tracking_link"), auth, json(&self.0))
    }

    fn interpret(&self, response: &ApiResponse) -> Result<Self::Output, ApiError> {
        json_on_success(response)
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

fn json_on_success<T: DeserializeOwned>(response: &ApiResponse) -> Result<T, ApiError> {
    if !(200..300).contains(&response.status) {
        return Err(ApiError::from_response(response));
    }
    serde_json::from_str(&response.body).map_err(|e| ApiError::MalformedResponse {
        status: response.status,
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    const BASE: &str = "https://api.greenhouse.io/v1/partner/";

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
        let r = op.request(BASE, &Auth::bearer("t"));
        assert_eq!(r.method, Method::Get);
        assert_eq!(
            r.url,
            "https://api.greenhouse.io/v1/partner/candidates?external_ids=sprout%3Aa+b,x%2Cy&candidate_ids=1,22"
        );
        assert_eq!(
            ListCandidates::default().request(BASE, &Auth::bearer("t")).url,
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
        let r = CreateCandidate(c).request(BASE, &Auth::basic("k", "u@x.io"));
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
            GetCurrentUser.request(BASE, &a).url,
            ListJobs.request(BASE, &a).url,
            ListProspectPools.request(BASE, &a).url,
            CreateTrackingLink::default().request(BASE, &a).url,
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
            .interpret(&ok(200, json!([{"id": 4, "name": "Chef", "new_field": true}])))
            .unwrap();
        assert_eq!(jobs[0].id, 4);
        let link = CreateTrackingLink::default()
            .interpret(&ok(201, json!({"url": "https://x.io/t", "expires_at": null})))
            .unwrap();
        assert_eq!(link.url, "https://x.io/t");
        assert!(matches!(
            GetCurrentUser.interpret(&ok(200, json!("nope"))),
            Err(ApiError::MalformedResponse { status: 200, .. })
        ));
        assert!(matches!(
            ListCandidates::default().interpret(&ok(403, json!({"errors": []}))),
            Err(ApiError::Forbidden { .. })
        ));
    }
}
