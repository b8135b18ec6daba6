//! The `seed` dialect: requests and answers to the letter of shared/partner-api.openapi.yml, the
//! contract the product was first specified against. Its bodies are the `crate::candidate` types
//! serialized as they are, so what it sends has not changed since before dialects existed.

use super::errors::ApiError;
use super::operations::json_on_success;
use super::records::{Created, Record};
use super::request::ApiResponse;
use crate::candidate::PartnerCandidate;

/// The create echoes the stored `PartnerCandidate`, with its Greenhouse `id`.
pub fn read_created(response: &ApiResponse) -> Result<Created, ApiError> {
    let stored: PartnerCandidate = json_on_success(response)?;
    let id = stored.id.ok_or_else(|| ApiError::MalformedResponse {
        status: response.status,
        detail: "the stored candidate has no id".into(),
    })?;
    Ok(Created {
        id,
        application_id: None,
        external_id: stored.external_id,
        profile_url: None,
    })
}

/// `GET /candidates` lists whole `PartnerCandidate`s; the contract gives no application status.
pub fn read_records(response: &ApiResponse) -> Result<Vec<Record>, ApiError> {
    let listed: Vec<PartnerCandidate> = json_on_success(response)?;
    Ok(listed
        .into_iter()
        .filter_map(|c| {
            Some(Record {
                id: c.id?,
                name: format!("{} {}", c.first_name, c.last_name).trim().to_owned(),
                external_id: c.external_id,
                applications: vec![],
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_echoed_candidate_becomes_a_created_record() {
        let ok = |body: serde_json::Value| ApiResponse {
            status: 201,
            headers: vec![],
            body: body.to_string(),
        };
        let created = read_created(&ok(json!({"id": 7, "external_id": "e", "first_name": "A"}))).unwrap();
        assert_eq!((created.id, created.external_id.as_str()), (7, "e"));
        assert!(matches!(
            read_created(&ok(json!({"external_id": "e"}))),
            Err(ApiError::MalformedResponse { .. })
        ));
        let records = read_records(&ok(json!([
            {"id": 7, "external_id": "e", "first_name": "Ada", "last_name": "L"},
            {"external_id": "no id"}
        ])))
        .unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].name, "Ada L");
    }
}
