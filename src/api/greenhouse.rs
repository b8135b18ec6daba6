//! The `greenhouse` dialect: requests written and answers read exactly as Greenhouse's published
//! Candidate Ingestion docs describe them (grnhse/greenhouse-api-docs,
//! source/includes/candidate-ingestion/*.md), which is what a recruiter's real account speaks.

use serde::{Deserialize, Serialize};

use super::errors::{ApiError, FieldError};
use super::records::{ApplicationStatus, Created, Record};
use super::request::ApiResponse;
use crate::candidate::{CurrentUser, Job, PartnerCandidate, ProspectPool, TrackingLink};
use crate::link_kind::{self, LinkKind};

/// What a create carries beyond the person and their target (see [`super::CreateCandidate`]).
pub struct Extras<'a> {
    pub notes: Option<&'a str>,
    pub prospect_owner_email: Option<&'a str>,
    pub referrer_name: Option<&'a str>,
}

/// `POST /candidates`, one person: a flat object (_candidates.md, "Post Candidates").
#[derive(Debug, Serialize)]
struct CreateBody<'a> {
    /// Greenhouse defaults a missing `prospect` to true, so it is always written out.
    prospect: bool,
    first_name: &'a str,
    last_name: &'a str,
    external_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    company: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prospect_pool_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prospect_pool_stage_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prospect_owner_email: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    emails: Vec<Email<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    phone_numbers: Vec<Phone<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    social_media: Vec<SocialMedia<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    websites: Vec<Website<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    referrer: Option<Referrer<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resume: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Email<'a> {
    email: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct Phone<'a> {
    phone_number: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct SocialMedia<'a> {
    url: &'a str,
}

#[derive(Debug, Serialize)]
struct Website<'a> {
    url: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct Referrer<'a> {
    email: &'a str,
    first_name: &'a str,
    last_name: &'a str,
}

/// The docs' closed type lists; what the page said is kept when Greenhouse has a word for it.
const EMAIL_TYPES: [&str; 3] = ["personal", "work", "other"];
const PHONE_TYPES: [&str; 4] = ["mobile", "home", "work", "other"];

fn typed(kind: Option<&str>, allowed: &[&'static str]) -> &'static str {
    kind.and_then(|k| allowed.iter().find(|a| a.eq_ignore_ascii_case(k.trim())))
        .copied()
        .unwrap_or("other")
}

/// Where each of the person's links goes in Greenhouse's body, by the link's index in the form.
fn link_slots(candidate: &PartnerCandidate) -> Vec<LinkKind> {
    candidate
        .social_media_addresses
        .iter()
        .map(|link| link_kind::classify(&link.value))
        .collect()
}

/// The create body. `candidate` carries the target as `application` (a job) or `prospect`.
pub fn create_body(candidate: &PartnerCandidate, extras: &Extras<'_>) -> String {
    let application = candidate.application.as_ref();
    let prospect = candidate.prospect.as_ref();
    let slots = link_slots(candidate);
    let links = candidate.social_media_addresses.iter().zip(&slots);
    let referrer = application
        .and_then(|a| a.referrer.as_ref())
        .and_then(|r| r.value.as_deref());
    let (referrer_first, referrer_last) = split_name(extras.referrer_name.unwrap_or(""));
    let body = CreateBody {
        prospect: application.is_none(),
        first_name: &candidate.first_name,
        last_name: &candidate.last_name,
        external_id: &candidate.external_id,
        company: candidate.company.as_deref(),
        title: candidate.title.as_deref(),
        job_id: application.and_then(|a| a.job_id),
        prospect_pool_id: prospect.and_then(|p| p.prospect_pool_id),
        prospect_pool_stage_id: prospect.and_then(|p| p.prospect_stage_id),
        prospect_owner_email: prospect.and(extras.prospect_owner_email),
        emails: candidate
            .emails
            .iter()
            .map(|e| Email {
                email: &e.value,
                kind: typed(e.kind.as_deref(), &EMAIL_TYPES),
            })
            .collect(),
        phone_numbers: candidate
            .phone_numbers
            .iter()
            .map(|p| Phone {
                phone_number: &p.value,
                kind: typed(p.kind.as_deref(), &PHONE_TYPES),
            })
            .collect(),
        social_media: links
            .clone()
            .filter(|(_, kind)| **kind == LinkKind::Social)
            .map(|(l, _)| SocialMedia { url: &l.value })
            .collect(),
        websites: links
            .filter_map(|(l, kind)| match kind {
                LinkKind::Website(kind) => Some(Website {
                    url: &l.value,
                    kind: kind.as_str(),
                }),
                LinkKind::Social => None,
            })
            .collect(),
        referrer: referrer.map(|email| Referrer {
            email,
            first_name: referrer_first,
            last_name: referrer_last,
        }),
        resume: candidate
            .attachments
            .iter()
            .find_map(|a| a.url.as_deref().filter(|_| a.content.is_none())),
        notes: extras.notes.filter(|n| !n.trim().is_empty()),
    };
    serde_json::to_string(&body).expect("wire types serialize")
}

/// "Ada King Lovelace" → ("Ada", "King Lovelace"): Greenhouse creates a referrer by name.
fn split_name(name: &str) -> (&str, &str) {
    let name = name.trim();
    name.split_once(char::is_whitespace)
        .map(|(first, last)| (first, last.trim()))
        .unwrap_or((name, ""))
}

/// Greenhouse's error fields named in the form's terms, so an error lands on the row the
/// recruiter sees: `emails[0].email` → `emails[0].value`, `websites[1].url` → the link it came
/// from, `referrer.email` → the referrer input.
pub fn form_field(wire: &str, candidate: &PartnerCandidate) -> String {
    let slots = link_slots(candidate);
    let nth_link = |social: bool, n: usize| {
        slots
            .iter()
            .enumerate()
            .filter(|(_, k)| (**k == LinkKind::Social) == social)
            .nth(n)
            .map(|(i, _)| format!("social_media_addresses[{i}].value"))
    };
    let indexed = |prefix: &str| -> Option<usize> {
        let rest = wire.strip_prefix(prefix)?.strip_prefix('[')?;
        rest.split(']').next()?.parse().ok()
    };
    if let Some(i) = indexed("emails") {
        return format!("emails[{i}].value");
    }
    if let Some(i) = indexed("phone_numbers") {
        return format!("phone_numbers[{i}].value");
    }
    if let Some(path) = indexed("social_media").and_then(|n| nth_link(true, n)) {
        return path;
    }
    if let Some(path) = indexed("websites").and_then(|n| nth_link(false, n)) {
        return path;
    }
    match wire {
        "job_id" => "application.job_id".into(),
        "referrer" | "referrer.email" | "referrer.first_name" | "referrer.last_name" => {
            "application.referrer.value".into()
        }
        "prospect_pool_id" => "prospect.prospect_pool_id".into(),
        "prospect_pool_stage_id" => "prospect.prospect_stage_id".into(),
        "prospect_owner_email" => "prospect.prospect_owner_id".into(),
        "resume" => "attachments[0]".into(),
        other => other.into(),
    }
}

/// An error answer with its fields renamed into the form's terms.
pub fn form_error(error: ApiError, candidate: &PartnerCandidate) -> ApiError {
    match error {
        ApiError::Validation { status, fields } => ApiError::Validation {
            status,
            fields: fields
                .into_iter()
                .map(|f| FieldError {
                    field: f.field.map(|w| form_field(&w, candidate)),
                    message: f.message,
                })
                .collect(),
        },
        other => other,
    }
}

/// The create answer for one object: `{id, application_id, external_id, profile_url}`.
pub fn read_created(response: &ApiResponse) -> Result<Created, ApiError> {
    #[derive(Deserialize)]
    struct Answer {
        id: u64,
        #[serde(default)]
        application_id: Option<u64>,
        #[serde(default)]
        external_id: Option<String>,
        #[serde(default)]
        profile_url: Option<String>,
    }
    let a: Answer = super::operations::json_on_success(response)?;
    Ok(Created {
        id: a.id,
        application_id: a.application_id,
        external_id: a.external_id.unwrap_or_default(),
        profile_url: a.profile_url,
    })
}

/// `GET /candidates?candidate_ids=`: `[{id, name, external_id, applications:[…]}]`.
pub fn read_records(response: &ApiResponse) -> Result<Vec<Record>, ApiError> {
    #[derive(Deserialize)]
    struct Answer {
        id: u64,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        external_id: Option<String>,
        #[serde(default)]
        applications: Option<Vec<Application>>,
    }
    #[derive(Deserialize)]
    struct Application {
        #[serde(default)]
        id: Option<u64>,
        #[serde(default)]
        job: Option<String>,
        #[serde(default)]
        status: Option<String>,
        #[serde(default)]
        stage: Option<String>,
        #[serde(default)]
        profile_url: Option<String>,
    }
    let answers: Vec<Answer> = super::operations::json_on_success(response)?;
    Ok(answers
        .into_iter()
        .map(|a| Record {
            id: a.id,
            name: a.name.unwrap_or_default(),
            external_id: a.external_id.unwrap_or_default(),
            applications: a
                .applications
                .unwrap_or_default()
                .into_iter()
                .map(|app| ApplicationStatus {
                    id: app.id,
                    job: app.job,
                    status: app.status,
                    stage: app.stage,
                    profile_url: app.profile_url,
                })
                .collect(),
        })
        .collect())
}

/// `GET /current_user`: `{full_name, first_name, last_name, email, id}`.
pub fn read_current_user(response: &ApiResponse) -> Result<CurrentUser, ApiError> {
    #[derive(Deserialize)]
    struct Answer {
        #[serde(default)]
        id: Option<u64>,
        #[serde(default)]
        full_name: Option<String>,
        #[serde(default)]
        first_name: Option<String>,
        #[serde(default)]
        last_name: Option<String>,
        #[serde(default)]
        email: Option<String>,
    }
    let a: Answer = super::operations::json_on_success(response)?;
    let joined = || {
        [a.first_name.as_deref(), a.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    };
    Ok(CurrentUser {
        id: a.id,
        name: a
            .full_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(joined),
        email: a.email.unwrap_or_default(),
    })
}

/// `GET /jobs`: `[{id, name, status, public}]`.
pub fn read_jobs(response: &ApiResponse) -> Result<Vec<Job>, ApiError> {
    #[derive(Deserialize)]
    struct Answer {
        id: u64,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        public: Option<bool>,
    }
    let answers: Vec<Answer> = super::operations::json_on_success(response)?;
    Ok(answers
        .into_iter()
        .map(|a| Job {
            id: a.id,
            name: a.name.unwrap_or_default(),
            public: a.public,
            ..Default::default()
        })
        .collect())
}

/// `GET /prospect_pools`: the same lenient shape as the seed's, stages without `priority`, so
/// they keep the order Greenhouse configured.
pub fn read_pools(response: &ApiResponse) -> Result<Vec<ProspectPool>, ApiError> {
    super::operations::json_on_success(response)
}

/// `POST /tracking_link` takes only `job_id`.
pub fn tracking_link_body(job_id: Option<u64>) -> String {
    serde_json::json!({ "job_id": job_id }).to_string()
}

/// `{tracking_link, job, source, referrer}`.
pub fn read_tracking_link(response: &ApiResponse) -> Result<TrackingLink, ApiError> {
    #[derive(Deserialize)]
    struct Answer {
        #[serde(default)]
        tracking_link: Option<String>,
    }
    let a: Answer = super::operations::json_on_success(response)?;
    Ok(TrackingLink {
        url: a.tracking_link.unwrap_or_default(),
        expires_at: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidate::{Application, Attachment, Prospect, SocialMediaAddress, TypedValue};
    use serde_json::{Value, json};

    fn ok(status: u16, body: Value) -> ApiResponse {
        ApiResponse {
            status,
            headers: vec![],
            body: body.to_string(),
        }
    }

    fn harry() -> PartnerCandidate {
        let typed = |value: &str, kind: Option<&str>| TypedValue {
            value: value.into(),
            kind: kind.map(Into::into),
        };
        let link = |value: &str| SocialMediaAddress { value: value.into() };
        PartnerCandidate {
            external_id: "24680".into(),
            first_name: "Harry".into(),
            last_name: "Potter".into(),
            company: Some("Hogwarts".into()),
            title: Some("Student".into()),
            emails: vec![typed("hpotter@hogwarts.edu", None)],
            phone_numbers: vec![typed("123-456-7890", Some("home"))],
            social_media_addresses: vec![
                link("https://harrypotter.com/blog/"),
                link("https://twitter.com/hp"),
            ],
            attachments: vec![Attachment {
                url: Some("https://hogwarts.com/resume".into()),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_prospect_is_written_as_the_docs_example_writes_it() {
        let mut c = harry();
        c.prospect = Some(Prospect {
            prospect_pool_id: Some(123),
            prospect_stage_id: Some(456),
            prospect_owner_id: Some(9),
        });
        let extras = Extras {
            notes: Some("Good at Quiddich"),
            prospect_owner_email: Some("prospect_owners_email@example.com"),
            referrer_name: None,
        };
        let body: Value = serde_json::from_str(&create_body(&c, &extras)).unwrap();
        // The docs' example body (_candidates.md), less `job_id` and `addresses`, which a
        // prospect in a pool does not need and Sprout does not read from pages; `prospect` is a
        // real boolean where the example quotes it.
        assert_eq!(
            body,
            json!({
                "prospect": true,
                "first_name": "Harry",
                "last_name": "Potter",
                "company": "Hogwarts",
                "title": "Student",
                "resume": "https://hogwarts.com/resume",
                "phone_numbers": [{"phone_number": "123-456-7890", "type": "home"}],
                "emails": [{"email": "hpotter@hogwarts.edu", "type": "other"}],
                "social_media": [{"url": "https://twitter.com/hp"}],
                "websites": [{"url": "https://harrypotter.com/blog/", "type": "blog"}],
                "external_id": "24680",
                "notes": "Good at Quiddich",
                "prospect_pool_id": 123,
                "prospect_pool_stage_id": 456,
                "prospect_owner_email": "prospect_owners_email@example.com"
            })
        );
    }

    #[test]
    fn a_candidate_on_a_job_says_prospect_false_and_names_its_referrer() {
        let mut c = harry();
        c.attachments.clear();
        c.emails[0].kind = Some("Work".into());
        c.phone_numbers[0].kind = Some("fax".into());
        c.application = Some(Application {
            job_id: Some(12345),
            source_id: Some(7),
            referrer: Some(crate::candidate::Referrer {
                kind: Some("email".into()),
                value: Some("dumbledore@hogwarts.edu".into()),
            }),
            ..Default::default()
        });
        let extras = Extras {
            notes: Some("  "),
            prospect_owner_email: Some("ignored@example.com"),
            referrer_name: Some(" Albus Percival Dumbledore "),
        };
        let body: Value = serde_json::from_str(&create_body(&c, &extras)).unwrap();
        assert_eq!(body["prospect"], false);
        assert_eq!(body["job_id"], 12345);
        assert_eq!(body["emails"][0]["type"], "work");
        assert_eq!(body["phone_numbers"][0]["type"], "other");
        assert_eq!(
            body["referrer"],
            json!({"email": "dumbledore@hogwarts.edu", "first_name": "Albus", "last_name": "Percival Dumbledore"})
        );
        for absent in [
            "prospect_owner_email",
            "notes",
            "resume",
            "source_id",
            "application",
            "prospect_pool_id",
        ] {
            assert!(body.get(absent).is_none(), "{absent}");
        }
    }

    #[test]
    fn error_fields_land_on_the_rows_the_recruiter_sees() {
        let c = harry();
        // Link 0 is the blog (websites[0]), link 1 the Twitter profile (social_media[0]).
        assert_eq!(
            form_field("websites[0].url", &c),
            "social_media_addresses[0].value"
        );
        assert_eq!(
            form_field("social_media[0].url", &c),
            "social_media_addresses[1].value"
        );
        assert_eq!(form_field("emails[0].email", &c), "emails[0].value");
        assert_eq!(form_field("phone_numbers[0].type", &c), "phone_numbers[0].value");
        assert_eq!(form_field("referrer.email", &c), "application.referrer.value");
        assert_eq!(
            form_field("prospect_pool_stage_id", &c),
            "prospect.prospect_stage_id"
        );
        assert_eq!(form_field("first_name", &c), "first_name");
        assert_eq!(
            form_field("websites[5].url", &c),
            "websites[5].url",
            "no such row: as sent"
        );
        let e = form_error(
            ApiError::Validation {
                status: 422,
                fields: vec![FieldError {
                    field: Some("job_id".into()),
                    message: "required".into(),
                }],
            },
            &c,
        );
        assert_eq!(e.field_messages()[0].field.as_deref(), Some("application.job_id"));
    }

    #[test]
    fn answers_are_read_in_the_docs_shapes() {
        let created = read_created(&ok(
            200,
            json!({"id": 12345, "application_id": 17681532, "external_id": "24680",
                   "profile_url": "https://app.greenhouse.io/people/17681532?application_id=26234709"}),
        ))
        .unwrap();
        assert_eq!((created.id, created.application_id), (12345, Some(17681532)));
        assert_eq!(
            created.profile_url.as_deref(),
            Some("https://app.greenhouse.io/people/17681532?application_id=26234709")
        );
        let records = read_records(&ok(
            200,
            json!([{"id": 17681532, "name": "Harry Potter", "external_id": "24680",
                    "applications": [{"id": 59724, "job": "Auror", "status": "Active",
                                      "stage": "Application Review",
                                      "profile_url": "https://app.greenhouse.io/people/17681532?application_id=26234709"}]}]),
        ))
        .unwrap();
        assert_eq!(records[0].name, "Harry Potter");
        assert_eq!(
            records[0].applications[0].stage.as_deref(),
            Some("Application Review")
        );
        let me = read_current_user(&ok(
            200,
            json!({"full_name": "Ron Weasley", "first_name": "Ron", "last_name": "Weasley",
                   "email": "rweasley@hogwarts.edu", "id": 1234}),
        ))
        .unwrap();
        assert_eq!(
            (me.id, me.name.as_str(), me.email.as_str()),
            (Some(1234), "Ron Weasley", "rweasley@hogwarts.edu")
        );
        let jobs = read_jobs(&ok(
            200,
            json!([{"id": 146859, "name": "Auror", "status": "open", "public": true},
                   {"id": 147886, "name": "Caretaker", "status": "open", "public": false}]),
        ))
        .unwrap();
        assert_eq!(
            (jobs[1].name.as_str(), jobs[1].public),
            ("Caretaker", Some(false))
        );
        let pools = read_pools(&ok(
            200,
            json!([{"id": 123, "name": "Cold Outreach: Referred",
                    "stages": [{"id": 1957, "name": "Not Contacted"}, {"id": 1958, "name": "Contacted"}]}]),
        ))
        .unwrap();
        assert_eq!(pools[0].stages[1].name, "Contacted");
        let link = read_tracking_link(&ok(
            200,
            json!({"tracking_link": "http://grnh.se/yvj0bj", "job": "Auror",
                   "source": "Campus Recruiting", "referrer": "Hermione Granger"}),
        ))
        .unwrap();
        assert_eq!(link.url, "http://grnh.se/yvj0bj");
        assert_eq!(tracking_link_body(Some(146859)), r#"{"job_id":146859}"#);
    }
}
