//! The Partner API's wire shapes, to the letter of shared/partner-api.openapi.yml.
//!
//! Serialization omits what is unset so a request carries only what the recruiter chose;
//! deserialization is lenient (unknown fields ignored, `null` read as absent) because Greenhouse
//! documents that new response properties may appear at any time. One field is Sprout's own,
//! `Attachment::id`, and never leaves the extension.

use serde::{Deserialize, Deserializer, Serialize};

/// Reads `null` (or a missing field, with `#[serde(default)]`) as the type's default.
fn null_as_default<'de, D, T>(de: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(de)?.unwrap_or_default())
}

/// A candidate or prospect, as created by `POST /candidates` and listed by `GET /candidates`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartnerCandidate {
    /// Greenhouse's own id, present on listed and created records; left unset on what Sprout sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Required by the contract; Sprout derives it from the canonical profile URL.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub first_name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub last_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub emails: Vec<TypedValue>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub phone_numbers: Vec<TypedValue>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub social_media_addresses: Vec<SocialMediaAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<Application>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prospect: Option<Prospect>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub attachments: Vec<Attachment>,
}

/// An email or phone number with its kind (`personal`, `work`, `mobile`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypedValue {
    #[serde(default, deserialize_with = "null_as_default")]
    pub value: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A social profile or website URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocialMediaAddress {
    #[serde(default, deserialize_with = "null_as_default")]
    pub value: String,
}

/// Makes the person a candidate on a job.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_stage_id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<Referrer>,
}

/// Who referred the candidate (`type` is e.g. `email` or `id`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referrer {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Makes the person a prospect in a pool and stage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prospect {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prospect_pool_id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prospect_stage_id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prospect_owner_id: Option<u64>,
}

/// A file sent with the candidate, either inline (`content`, base64) or by `url`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Not the contract's: names a file by the SHA-256 of its bytes (`capture::file_id`), so
    /// that a copy listed without its bytes can be matched with them again. Never sent
    /// (`Capture::to_candidate` drops it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AttachmentType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The contract's closed enum of attachment types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentType {
    Resume,
    CoverLetter,
    AdminOnly,
    Public,
    OfferLetter,
}

/// `GET /current_user`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    #[serde(default)]
    pub id: Option<u64>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub email: String,
}

/// One entry of `GET /jobs`. Departments and offices are free-form objects in the contract.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default)]
    pub requisition_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub departments: Vec<serde_json::Map<String, serde_json::Value>>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub offices: Vec<serde_json::Map<String, serde_json::Value>>,
    /// Whether a job post is live on a job board (greenhouse dialect only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
}

/// One entry of `GET /prospect_pools`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProspectPool {
    pub id: u64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub stages: Vec<ProspectStage>,
}

/// A stage of a prospect pool; the UI orders stages by `priority`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProspectStage {
    pub id: u64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default)]
    pub priority: Option<i64>,
}

/// Body of `POST /tracking_link`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingLinkRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

/// Answer of `POST /tracking_link`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingLink {
    #[serde(default, deserialize_with = "null_as_default")]
    pub url: String,
    #[serde(default)]
    pub expires_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serializes_only_what_is_set_with_contract_names() {
        let c = PartnerCandidate {
            external_id: "sprout:abc".into(),
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            emails: vec![TypedValue {
                value: "ada@example.com".into(),
                kind: Some("personal".into()),
            }],
            prospect: Some(Prospect {
                prospect_pool_id: Some(3),
                prospect_stage_id: Some(7),
                prospect_owner_id: None,
            }),
            attachments: vec![Attachment {
                kind: Some(AttachmentType::CoverLetter),
                url: Some("https://example.com/cv.pdf".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            json!({
                "external_id": "sprout:abc", "first_name": "Ada", "last_name": "Lovelace",
                "emails": [{"value": "ada@example.com", "type": "personal"}],
                "prospect": {"prospect_pool_id": 3, "prospect_stage_id": 7},
                "attachments": [{"type": "cover_letter", "url": "https://example.com/cv.pdf"}]
            })
        );
    }

    #[test]
    fn deserializes_leniently() {
        let c: PartnerCandidate = serde_json::from_value(json!({
            "id": 99, "external_id": "x", "first_name": null, "last_name": "L",
            "emails": null, "company": null, "something_new": {"a": 1}
        }))
        .unwrap();
        assert_eq!(c.first_name, "");
        assert!(c.emails.is_empty() && c.company.is_none());
        let pools: Vec<ProspectPool> = serde_json::from_value(
            json!([{"id": 1, "name": "P", "stages": [{"id": 2, "name": "S", "priority": null}]}]),
        )
        .unwrap();
        assert_eq!(pools[0].stages[0].priority, None);
    }

    #[test]
    fn rejects_attachment_type_outside_the_enum() {
        assert!(serde_json::from_value::<Attachment>(json!({"type": "photo"})).is_err());
    }
}
