//! A capture as the recruiter confirmed it in the popup: the person, where they go in Greenhouse
//! (a job, or a prospect pool and stage), what is attached, and the checks that run before it is
//! queued. It becomes the contract's `PartnerCandidate` only here, so the popup, the outbox and
//! the tests all send the same thing.

use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use url::Url;

use crate::address::{Reach, Refusal, plausible_email, web_url};
use crate::api::{Capabilities, CreateCandidate, FieldError};
use crate::candidate::{Application, Attachment, AttachmentType, PartnerCandidate, Prospect, Referrer};

/// Why a check refused something the connection's server cannot take (the popup says it in the
/// recruiter's language).
pub const FILES_NOT_TAKEN: &str = "Greenhouse takes a resume only as a web address it fetches itself, not as a file. Attach a link to it instead.";
pub const ONE_RESUME_LINK: &str = "Greenhouse takes one resume link.";
pub const REFERRER_NAME_NEEDED: &str = "Enter the referrer's first and last name too.";
pub const FILE_NOT_AT_HAND: &str = "Sprout no longer has this file's contents here; attach it again.";

/// The largest file a recruiter can attach. Greenhouse publishes no limit for this API; 5 MB keeps
/// a queued capture (base64 adds a third) well inside what the extension stores and sends at once.
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;

/// Where the person goes. Stored (outbox items, last time's target) tagged `kind`, and read
/// through [`TargetFields`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "TargetFields")]
pub enum Target {
    /// A candidate on a job, with an optional source and referrer (by email).
    Job {
        job_id: u64,
        #[serde(default)]
        source_id: Option<u64>,
        #[serde(default)]
        referrer_email: Option<String>,
        /// The referrer's name, for servers that create a referrer by name and email.
        #[serde(default)]
        referrer_name: Option<String>,
    },
    /// A prospect in a pool and stage, optionally owned by a Greenhouse user.
    Prospect {
        pool_id: u64,
        #[serde(default)]
        stage_id: Option<u64>,
        #[serde(default)]
        owner_id: Option<u64>,
        /// The same owner by email, for servers that name owners that way.
        #[serde(default)]
        owner_email: Option<String>,
    },
}

/// A [`Target`] as it is stored: the same object, in any key order, read as one flat struct and
/// then checked, not through serde's internally tagged decoding (which buffers the value in its
/// private `Content` and compiles each variant's decoding once more).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetFields {
    kind: TargetKind,
    job_id: Option<u64>,
    source_id: Option<u64>,
    referrer_email: Option<String>,
    referrer_name: Option<String>,
    pool_id: Option<u64>,
    stage_id: Option<u64>,
    owner_id: Option<u64>,
    owner_email: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum TargetKind {
    Job,
    Prospect,
}

impl TryFrom<TargetFields> for Target {
    type Error = &'static str;

    fn try_from(f: TargetFields) -> Result<Target, Self::Error> {
        match f.kind {
            TargetKind::Job => {
                if f.pool_id.is_some()
                    || f.stage_id.is_some()
                    || f.owner_id.is_some()
                    || f.owner_email.is_some()
                {
                    return Err("a job target has no pool, stage or owner");
                }
                Ok(Target::Job {
                    job_id: f.job_id.ok_or("missing field `job_id`")?,
                    source_id: f.source_id,
                    referrer_email: f.referrer_email,
                    referrer_name: f.referrer_name,
                })
            }
            TargetKind::Prospect => {
                if f.job_id.is_some()
                    || f.source_id.is_some()
                    || f.referrer_email.is_some()
                    || f.referrer_name.is_some()
                {
                    return Err("a prospect target has no job, source or referrer");
                }
                Ok(Target::Prospect {
                    pool_id: f.pool_id.ok_or("missing field `pool_id`")?,
                    stage_id: f.stage_id,
                    owner_id: f.owner_id,
                    owner_email: f.owner_email,
                })
            }
        }
    }
}

/// One submit, as the popup hands it to the background.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capture {
    pub connection_id: String,
    /// The person without `application` or `prospect`: those come from `target`.
    pub person: PartnerCandidate,
    pub target: Target,
    /// The target in words ("Backend Engineer (REQ-12)", "Engineering pool: Contacted"), for lists.
    pub target_label: String,
    /// The page the person was captured from.
    #[serde(default)]
    pub page_url: String,
    /// Greenhouse ids already stored under this `external_id` when the recruiter submitted (what
    /// the duplicate check found): a look-up after a lost answer, even one by a later worker,
    /// must not mistake one of them for this one.
    #[serde(default)]
    pub beside: Vec<u64>,
    /// What the recruiter typed into the note field, for servers that take notes.
    #[serde(default)]
    pub note: String,
    /// Where and when the person was captured and by which Sprout, in the recruiter's language;
    /// it opens the note Greenhouse keeps.
    #[serde(default)]
    pub audit: String,
}

impl Capture {
    /// The person with blank rows dropped and every value trimmed, so that the field paths of
    /// errors (`emails[1].value`) point at the rows the recruiter sees.
    pub fn tidy(mut self) -> Capture {
        let p = &mut self.person;
        for value in [&mut p.first_name, &mut p.last_name, &mut p.external_id] {
            *value = value.trim().to_owned();
        }
        for value in [&mut p.company, &mut p.title] {
            *value = value
                .take()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty());
        }
        for list in [&mut p.emails, &mut p.phone_numbers] {
            list.iter_mut().for_each(|t| t.value = t.value.trim().to_owned());
            list.retain(|t| !t.value.is_empty());
        }
        p.social_media_addresses
            .iter_mut()
            .for_each(|s| s.value = s.value.trim().to_owned());
        p.social_media_addresses.retain(|s| !s.value.is_empty());
        if let Target::Job {
            referrer_email,
            referrer_name,
            ..
        } = &mut self.target
        {
            for value in [referrer_email, referrer_name] {
                *value = value
                    .take()
                    .map(|v| v.trim().to_owned())
                    .filter(|v| !v.is_empty());
            }
        }
        self.note = self.note.trim().to_owned();
        self
    }

    /// What must hold before anything is queued, as Greenhouse-style field errors. The server
    /// checks again; this only spares the recruiter a round trip for what is certain to fail.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut add = |field: String, message: &str| {
            errors.push(FieldError {
                field: Some(field),
                message: message.to_owned(),
            })
        };
        let p = &self.person;
        if p.first_name.trim().is_empty() {
            add("first_name".into(), "Enter a first name.");
        }
        if p.last_name.trim().is_empty() {
            add("last_name".into(), "Enter a last name.");
        }
        if p.external_id.trim().is_empty() {
            add(
                "external_id".into(),
                "The page address is missing, so the person has no id.",
            );
        }
        for (i, email) in p.emails.iter().enumerate() {
            if !plausible_email(&email.value) {
                add(format!("emails[{i}].value"), "This is not an email address.");
            }
        }
        for (i, link) in p.social_media_addresses.iter().enumerate() {
            if web_url(&link.value, Reach::Web).is_err() {
                add(
                    format!("social_media_addresses[{i}].value"),
                    "Only web addresses starting with http:// or https:// can be sent.",
                );
            }
        }
        if let Target::Job {
            referrer_email: Some(email),
            ..
        } = &self.target
            && !plausible_email(email)
        {
            add(
                "application.referrer.value".into(),
                "This is not an email address.",
            );
        }
        for (i, attachment) in p.attachments.iter().enumerate() {
            if let Err(message) = check_attachment(attachment) {
                add(format!("attachments[{i}]"), &message);
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// [`Capture::check`] and what the connection's server cannot take: a file where only a
    /// resume link travels, more than that one link, a referrer without the name it needs.
    pub fn check_for(&self, can: Capabilities) -> Result<(), Vec<FieldError>> {
        let mut errors = self.check().err().unwrap_or_default();
        let mut add = |field: String, message: &str| {
            errors.push(FieldError {
                field: Some(field),
                message: message.to_owned(),
            })
        };
        if can.resume_link_only {
            for (i, attachment) in self.person.attachments.iter().enumerate() {
                // A file, whether it carries its bytes or is named by its id.
                if attachment.url.is_none() {
                    add(format!("attachments[{i}]"), FILES_NOT_TAKEN);
                } else if i > 0 {
                    add(format!("attachments[{i}]"), ONE_RESUME_LINK);
                }
            }
        }
        if can.referrer_by_name
            && let Target::Job {
                referrer_email: Some(_),
                referrer_name,
                ..
            } = &self.target
            && referrer_name
                .as_deref()
                .is_none_or(|n| n.split_whitespace().count() < 2)
        {
            add("application.referrer.value".into(), REFERRER_NAME_NEEDED);
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// [`Capture::check_for`] for a new submit. A file listed without its bytes has them only in
    /// the outbox item it was listed from (it stays in the form when editing that item is
    /// cancelled), so it cannot go with a new capture.
    pub fn check_new_for(&self, can: Capabilities) -> Result<(), Vec<FieldError>> {
        let mut errors = self.check_for(can).err().unwrap_or_default();
        if can.file_attachments {
            for (i, attachment) in self.person.attachments.iter().enumerate() {
                if attachment.url.is_none() && attachment.content.is_none() && attachment.id.is_some() {
                    errors.push(FieldError {
                        field: Some(format!("attachments[{i}]")),
                        message: FILE_NOT_AT_HAND.to_owned(),
                    });
                }
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// The create as every dialect can write it: the person with their target, the note (the
    /// audit line, then what the recruiter typed) and the owner and referrer as some servers
    /// name them.
    pub fn to_create(&self) -> CreateCandidate {
        let notes = [self.audit.trim(), self.note.trim()]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        let (prospect_owner_email, referrer_name) = match &self.target {
            Target::Prospect { owner_email, .. } => (owner_email.clone(), None),
            Target::Job { referrer_name, .. } => (None, referrer_name.clone()),
        };
        CreateCandidate {
            candidate: self.to_candidate(),
            notes: Some(notes).filter(|n| !n.is_empty()),
            prospect_owner_email,
            referrer_name,
        }
    }

    /// The contract body for `POST /candidates`.
    pub fn to_candidate(&self) -> PartnerCandidate {
        let mut candidate = self.person.clone();
        candidate.id = None;
        for attachment in &mut candidate.attachments {
            attachment.id = None;
        }
        match &self.target {
            Target::Job {
                job_id,
                source_id,
                referrer_email,
                ..
            } => {
                candidate.prospect = None;
                candidate.application = Some(Application {
                    job_id: Some(*job_id),
                    source_id: *source_id,
                    referrer: referrer_email.as_ref().map(|email| Referrer {
                        kind: Some("email".into()),
                        value: Some(email.clone()),
                    }),
                    ..Default::default()
                });
            }
            Target::Prospect {
                pool_id,
                stage_id,
                owner_id,
                ..
            } => {
                candidate.application = None;
                candidate.prospect = Some(Prospect {
                    prospect_pool_id: Some(*pool_id),
                    prospect_stage_id: *stage_id,
                    prospect_owner_id: *owner_id,
                });
            }
        }
        candidate
    }

    /// "Ada Lovelace", for lists and messages.
    pub fn display_name(&self) -> String {
        format!("{} {}", self.person.first_name, self.person.last_name)
            .trim()
            .to_owned()
    }
}

/// A file the recruiter dropped on the popup, inline as base64; refused above the size limit.
pub fn attach_file(
    filename: &str,
    content_type: &str,
    bytes: &[u8],
    kind: AttachmentType,
) -> Result<Attachment, String> {
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(too_large(bytes.len()));
    }
    if bytes.is_empty() {
        return Err(format!("\"{filename}\" is empty."));
    }
    Ok(Attachment {
        id: Some(file_id(bytes)),
        filename: Some(filename.to_owned()).filter(|f| !f.is_empty()),
        kind: Some(kind),
        content: Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
        content_type: Some(content_type.to_owned()).filter(|c| !c.is_empty()),
        url: None,
    })
}

/// A resume or other file Greenhouse fetches itself from a web address found on the page.
pub fn attach_url(url: &str, kind: AttachmentType) -> Result<Attachment, String> {
    let url = fetched_url(url)?;
    let filename = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    Ok(Attachment {
        filename,
        kind: Some(kind),
        url: Some(url.to_string()),
        ..Default::default()
    })
}

/// A file's id: the SHA-256 of its bytes, so the same file always has the same id (and anyone
/// can check it with `sha256sum`), and the id says nothing about where the file came from.
pub fn file_id(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256-{hex}")
}

/// The id of a file attached inline; `None` for a link, or content that is not base64.
pub fn content_id(attachment: &Attachment) -> Option<String> {
    let content = attachment.content.as_deref()?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(content).ok()?;
    Some(file_id(&bytes))
}

fn check_attachment(attachment: &Attachment) -> Result<(), String> {
    match (&attachment.url, &attachment.content) {
        // A file listed without its bytes (editing a failed outbox item): the outbox holds them
        // under this id and puts them back when the item is retried, or refuses the retry.
        (None, None) if attachment.id.is_some() => Ok(()),
        (Some(url), None) => fetched_url(url).map(drop),
        (None, Some(content)) => {
            // base64 carries 3 bytes in every 4 characters.
            let bytes = content.len() / 4 * 3;
            if bytes > MAX_ATTACHMENT_BYTES + 2 {
                Err(too_large(bytes))
            } else {
                Ok(())
            }
        }
        _ => Err("An attachment needs either a file or a web address.".into()),
    }
}

fn too_large(bytes: usize) -> String {
    format!(
        "This file is {:.1} MB; Sprout can attach files up to {} MB. Attach a link to it instead.",
        bytes as f64 / (1024.0 * 1024.0),
        MAX_ATTACHMENT_BYTES / (1024 * 1024)
    )
}

/// An attachment's address, which Greenhouse fetches from its own servers: https to a public
/// host name, or a sentence saying why not.
fn fetched_url(value: &str) -> Result<Url, String> {
    web_url(value, Reach::Fetched).map_err(|refusal| {
        match refusal {
            Refusal::NotAUrl | Refusal::NotWeb => {
                "Only web addresses starting with https:// can be attached."
            }
            Refusal::NotHttps => "Greenhouse fetches attachments itself and takes only https:// addresses.",
            Refusal::IpAddress => {
                "Attach a link with a host name, not an IP address: Greenhouse fetches it itself."
            }
            Refusal::Localhost => {
                "A localhost address cannot be attached: Greenhouse fetches the link from its own servers."
            }
            Refusal::SingleLabel => {
                "This address has no domain (like example.com), so Greenhouse's servers cannot reach it."
            }
        }
        .to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidate::{SocialMediaAddress, TypedValue};
    use serde_json::json;

    #[test]
    fn stored_targets_read_as_main_wrote_them_and_refuse_the_other_kind_s_fields() {
        // Literally what the outbox and last time's target store (tag first), and in other orders.
        let job = json!({"kind": "job", "job_id": 4, "source_id": 7, "referrer_email": "r@x.org", "referrer_name": "R"});
        let pool = json!({"kind": "prospect", "pool_id": 6, "stage_id": 8, "owner_id": null, "owner_email": "o@x.org"});
        for (stored, read) in [
            (
                job,
                Target::Job {
                    job_id: 4,
                    source_id: Some(7),
                    referrer_email: Some("r@x.org".into()),
                    referrer_name: Some("R".into()),
                },
            ),
            (
                pool,
                Target::Prospect {
                    pool_id: 6,
                    stage_id: Some(8),
                    owner_id: None,
                    owner_email: Some("o@x.org".into()),
                },
            ),
        ] {
            assert_eq!(serde_json::from_value::<Target>(stored.clone()).unwrap(), read);
            assert_eq!(serde_json::to_value(&read).unwrap(), stored);
        }
        assert_eq!(
            serde_json::from_value::<Target>(json!({"pool_id": 6, "kind": "prospect"})).unwrap(),
            Target::Prospect {
                pool_id: 6,
                stage_id: None,
                owner_id: None,
                owner_email: None
            }
        );
        for bad in [
            json!({"kind": "job"}),
            json!({"kind": "job", "job_id": 4, "pool_id": 6}),
            json!({"kind": "prospect", "pool_id": 6, "referrer_email": "r@x.org"}),
            json!({"kind": "prospect", "pool_id": 6, "colour": "red"}),
            json!({"kind": "team", "pool_id": 6}),
            json!({"job_id": 4}),
        ] {
            assert!(serde_json::from_value::<Target>(bad.clone()).is_err(), "{bad}");
        }
    }

    fn capture(target: Target) -> Capture {
        Capture {
            connection_id: "c1".into(),
            person: PartnerCandidate {
                external_id: "sprout-0123".into(),
                first_name: " Ada ".into(),
                last_name: "Lovelace".into(),
                company: Some("  ".into()),
                emails: vec![
                    TypedValue {
                        value: "ada@example.org ".into(),
                        kind: Some("personal".into()),
                    },
                    TypedValue::default(),
                ],
                social_media_addresses: vec![SocialMediaAddress {
                    value: "https://github.com/ada".into(),
                }],
                ..Default::default()
            },
            target,
            target_label: "Engineering".into(),
            page_url: "https://github.com/ada".into(),
            beside: vec![],
            note: String::new(),
            audit: String::new(),
        }
    }

    #[test]
    fn a_prospect_capture_becomes_the_contract_body() {
        let c = capture(Target::Prospect {
            pool_id: 3,
            stage_id: Some(7),
            owner_id: None,
            owner_email: None,
        })
        .tidy();
        assert_eq!(c.check(), Ok(()));
        assert_eq!(
            serde_json::to_value(c.to_candidate()).unwrap(),
            json!({
                "external_id": "sprout-0123", "first_name": "Ada", "last_name": "Lovelace",
                "emails": [{"value": "ada@example.org", "type": "personal"}],
                "social_media_addresses": [{"value": "https://github.com/ada"}],
                "prospect": {"prospect_pool_id": 3, "prospect_stage_id": 7}
            })
        );
    }

    #[test]
    fn a_job_capture_carries_source_and_referrer() {
        let c = capture(Target::Job {
            job_id: 12,
            source_id: Some(4),
            referrer_email: Some(" ref@example.com ".into()),
            referrer_name: None,
        })
        .tidy();
        assert_eq!(
            serde_json::to_value(c.to_candidate()).unwrap()["application"],
            json!({"job_id": 12, "source_id": 4, "referrer": {"type": "email", "value": "ref@example.com"}})
        );
    }

    #[test]
    fn problems_name_the_field_they_concern() {
        let mut c = capture(Target::Job {
            job_id: 1,
            source_id: None,
            referrer_email: Some("nobody".into()),
            referrer_name: None,
        });
        c.person.first_name = " ".into();
        c.person.emails[0].value = "ada at example".into();
        c.person.social_media_addresses[0].value = "javascript:alert(1)".into();
        c.person.attachments = vec![Attachment {
            url: Some("data:text/html,hi".into()),
            ..Default::default()
        }];
        let fields: Vec<_> = c
            .tidy()
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field.unwrap())
            .collect();
        assert_eq!(
            fields,
            [
                "first_name",
                "emails[0].value",
                "social_media_addresses[0].value",
                "application.referrer.value",
                "attachments[0]"
            ]
        );
    }

    #[test]
    fn a_create_carries_the_audit_line_the_note_and_the_owner_by_email() {
        let mut c = capture(Target::Prospect {
            pool_id: 3,
            stage_id: None,
            owner_id: Some(5),
            owner_email: Some("me@acme.com".into()),
        });
        c.audit = "Captured by Sprout 0.1.0 from https://github.com/ada on 2026-11-30 10:00 UTC".into();
        c.note = " Met at RustConf ".into();
        let create = c.tidy().to_create();
        assert_eq!(
            create.notes.as_deref(),
            Some(
                "Captured by Sprout 0.1.0 from https://github.com/ada on 2026-11-30 10:00 UTC\n\nMet at RustConf"
            )
        );
        assert_eq!(create.prospect_owner_email.as_deref(), Some("me@acme.com"));
        assert_eq!(create.candidate.prospect.unwrap().prospect_owner_id, Some(5));
        let bare = capture(Target::Job {
            job_id: 1,
            source_id: None,
            referrer_email: None,
            referrer_name: Some("Ada Byron".into()),
        })
        .to_create();
        assert_eq!(
            (bare.notes, bare.referrer_name.as_deref()),
            (None, Some("Ada Byron"))
        );
    }

    #[test]
    fn what_greenhouse_cannot_take_is_refused_before_queueing() {
        let greenhouse = crate::api::Dialect::Greenhouse.capabilities();
        let seed = crate::api::Dialect::Seed.capabilities();
        let mut c = capture(Target::Job {
            job_id: 1,
            source_id: None,
            referrer_email: Some("ref@example.com".into()),
            referrer_name: Some("Ref".into()),
        })
        .tidy();
        c.person.attachments = vec![
            attach_file("cv.pdf", "application/pdf", b"%PDF", AttachmentType::Resume).unwrap(),
            attach_url("https://ada.example/cv.pdf", AttachmentType::Resume).unwrap(),
        ];
        assert_eq!(c.check_for(seed), Ok(()));
        let fields: Vec<_> = c
            .check_for(greenhouse)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field.unwrap())
            .collect();
        assert_eq!(
            fields,
            ["attachments[0]", "attachments[1]", "application.referrer.value"]
        );
        c.person.attachments.remove(0);
        c.target = Target::Job {
            job_id: 1,
            source_id: None,
            referrer_email: Some("ref@example.com".into()),
            referrer_name: Some("Ref Eree".into()),
        };
        assert_eq!(c.check_for(greenhouse), Ok(()));
    }

    #[test]
    fn files_are_inlined_up_to_the_limit_and_refused_above_it() {
        let small = attach_file("cv.pdf", "application/pdf", b"%PDF-1.4", AttachmentType::Resume).unwrap();
        assert_eq!(small.content.as_deref(), Some("JVBERi0xLjQ="));
        assert_eq!(check_attachment(&small), Ok(()));
        let exact = vec![0u8; MAX_ATTACHMENT_BYTES];
        let at_limit = attach_file("big.pdf", "application/pdf", &exact, AttachmentType::Resume).unwrap();
        assert_eq!(check_attachment(&at_limit), Ok(()));
        let over = vec![0u8; MAX_ATTACHMENT_BYTES + 1];
        let message = attach_file("huge.pdf", "", &over, AttachmentType::Resume).unwrap_err();
        assert!(message.contains("up to 5 MB"), "{message}");
        assert!(attach_file("empty.pdf", "", b"", AttachmentType::Resume).is_err());
    }

    #[test]
    fn a_file_is_named_by_the_sha256_of_its_bytes_which_never_travels() {
        let file = attach_file("cv.pdf", "application/pdf", b"%PDF-1.4", AttachmentType::Resume).unwrap();
        // sha256sum of the 8 bytes "%PDF-1.4".
        let id = "sha256-e16fa5d9b51928755db85b917f0297babaf22c7a47e97d9212adab56e61ba04e";
        assert_eq!(file_id(b"%PDF-1.4"), id);
        assert_eq!(
            (file.id.as_deref(), content_id(&file).as_deref()),
            (Some(id), Some(id))
        );
        let mut c = capture(Target::Prospect {
            pool_id: 3,
            stage_id: None,
            owner_id: None,
            owner_email: None,
        });
        c.person.attachments = vec![file];
        let body = serde_json::to_value(c.to_create().candidate).unwrap();
        assert_eq!(
            body["attachments"],
            json!([{"filename": "cv.pdf", "type": "resume", "content": "JVBERi0xLjQ=", "content_type": "application/pdf"}])
        );
    }

    #[test]
    fn a_file_listed_without_its_bytes_passes_the_edit_s_check_but_not_a_new_capture_s() {
        let mut c = capture(Target::Prospect {
            pool_id: 3,
            stage_id: None,
            owner_id: None,
            owner_email: None,
        })
        .tidy();
        let mut listed = attach_file("cv.pdf", "application/pdf", b"%PDF", AttachmentType::Resume).unwrap();
        listed.content = None;
        c.person.attachments = vec![listed.clone()];
        assert_eq!(c.check_for(crate::api::Dialect::Seed.capabilities()), Ok(()));
        let new = c
            .check_new_for(crate::api::Dialect::Seed.capabilities())
            .unwrap_err();
        assert_eq!(
            (new[0].field.as_deref(), new[0].message.as_str()),
            (Some("attachments[0]"), FILE_NOT_AT_HAND),
            "a new capture cannot take a file whose bytes only an outbox item has"
        );
        let refused = c
            .check_for(crate::api::Dialect::Greenhouse.capabilities())
            .unwrap_err();
        assert_eq!(refused[0].message, FILES_NOT_TAKEN);
        listed.id = None;
        c.person.attachments = vec![listed];
        assert!(c.check().is_err(), "neither bytes, nor a link, nor an id");
    }

    #[test]
    fn links_are_attached_only_when_they_are_web_addresses() {
        let a = attach_url("https://ada.example/files/cv.pdf", AttachmentType::Resume).unwrap();
        assert_eq!(a.filename.as_deref(), Some("cv.pdf"));
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            json!({"filename": "cv.pdf", "type": "resume", "url": "https://ada.example/files/cv.pdf"})
        );
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "cv.pdf",
            "data:application/pdf;base64,AA",
        ] {
            assert!(attach_url(bad, AttachmentType::Resume).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_resume_link_greenhouse_would_fetch_from_inside_a_network_is_a_field_error() {
        let mut c = capture(Target::Prospect {
            pool_id: 3,
            stage_id: None,
            owner_id: None,
            owner_email: None,
        })
        .tidy();
        for (link, says) in [
            ("http://ada.example/cv.pdf", "only https://"),
            ("https://192.168.1.10/cv.pdf", "not an IP address"),
            ("https://[fe80::1]/cv.pdf", "not an IP address"),
            ("https://localhost:8080/cv.pdf", "localhost"),
            ("https://cv.localhost/cv.pdf", "localhost"),
            ("https://fileserver/cv.pdf", "no domain"),
        ] {
            c.person.attachments = vec![Attachment {
                kind: Some(AttachmentType::Resume),
                url: Some(link.into()),
                ..Default::default()
            }];
            let errors = c.check().unwrap_err();
            assert_eq!(errors.len(), 1, "{link}");
            assert_eq!(errors[0].field.as_deref(), Some("attachments[0]"), "{link}");
            assert!(errors[0].message.contains(says), "{link}: {}", errors[0].message);
            assert!(attach_url(link, AttachmentType::Resume).is_err(), "{link}");
        }
        c.person.attachments =
            vec![attach_url("https://ada.example/cv.pdf", AttachmentType::Resume).unwrap()];
        assert_eq!(c.check(), Ok(()));
    }

    /// tests/fixtures/idn/attachments.json: internationalized hosts are judged by what they stand
    /// for (an IP address, localhost, one label); tests/e2e/idn.test.mjs asks the same of the
    /// background's wasm.
    #[test]
    fn attachment_addresses_with_internationalized_hosts() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Case {
            url: String,
            refusal: Option<String>,
        }
        let cases: Vec<Case> =
            serde_json::from_str(include_str!("../tests/fixtures/idn/attachments.json")).unwrap();
        for case in cases {
            let refusal = attach_url(&case.url, AttachmentType::Resume).err();
            assert_eq!(refusal, case.refusal, "{}", case.url);
        }
    }
}
