//! Where an error shows: the contract's field paths ("emails[0].value", "application.referrer.value")
//! mapped to the test id of the input that holds the value, and local check messages in words of
//! the recruiter's language.

use crate::i18n::t;
use sprout::api::FieldError;
use sprout::capture;
use std::collections::BTreeMap;

/// The test id of the input a field path belongs to; `form-error` when none does.
/// `files` is how many attachments are files: the resume link comes after them.
pub(crate) fn testid_for(path: Option<&str>, files: usize) -> String {
    let Some(path) = path else {
        return "form-error".into();
    };
    let indexed = |prefix: &str| -> Option<usize> {
        let rest = path.strip_prefix(prefix)?.strip_prefix('[')?;
        rest[..rest.find(']')?].parse().ok()
    };
    if let Some(i) = indexed("emails") {
        return format!("email-{i}");
    }
    if let Some(i) = indexed("phone_numbers") {
        return format!("phone-{i}");
    }
    if let Some(i) = indexed("social_media_addresses") {
        return format!("link-{i}");
    }
    if let Some(i) = indexed("attachments") {
        return if i < files {
            format!("attachment-{i}")
        } else {
            "resume-link".into()
        };
    }
    match path {
        "first_name" => "first-name",
        "last_name" => "last-name",
        "company" => "company",
        "title" => "title",
        "notes" => "note",
        p if p.starts_with("application.referrer") => "referrer-email",
        p if p.starts_with("application.source") => "source-id",
        p if p.starts_with("application") => "job-search",
        p if p.starts_with("prospect.prospect_stage") => "stage",
        p if p.starts_with("prospect") => "pool-search",
        _ => "form-error",
    }
    .into()
}

/// Errors by test id. `local`: they come from `Capture::check`, whose sentences are English, so
/// the known ones are said in the recruiter's language; Greenhouse's own are shown as it wrote them.
pub(crate) fn by_testid(errors: &[FieldError], files: usize, local: bool) -> BTreeMap<String, String> {
    let mut shown: BTreeMap<String, String> = BTreeMap::new();
    for error in errors {
        let testid = testid_for(error.field.as_deref(), files);
        let message = match error.field.as_deref() {
            Some(path) if local => localized(path, &error.message),
            _ => error.message.clone(),
        };
        let message = match (error.field.as_deref(), testid.as_str()) {
            // A path the form has no input for: name it, so the sentence makes sense on its own.
            (Some(field), "form-error") if !local => format!("{field}: {message}"),
            _ => message,
        };
        shown
            .entry(testid)
            .and_modify(|m| {
                m.push(' ');
                m.push_str(&message);
            })
            .or_insert(message);
    }
    shown
}

fn localized(path: &str, english: &str) -> String {
    let key = match path {
        _ if english == capture::FILES_NOT_TAKEN => "filesNotTaken",
        _ if english == capture::REFERRER_NAME_NEEDED => "errorReferrerName",
        _ if english == capture::FILE_NOT_AT_HAND => "errorFileNotAtHand",
        "first_name" => "errorFirstName",
        "last_name" => "errorLastName",
        "external_id" => "errorNoExternalId",
        "application.referrer.value" => "errorEmail",
        p if p.starts_with("emails[") => "errorEmail",
        p if p.starts_with("social_media_addresses[") => "errorLink",
        _ => return english.to_owned(),
    };
    t(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_paths_map_to_their_inputs() {
        let cases = [
            (Some("first_name"), "first-name"),
            (Some("emails[0].value"), "email-0"),
            (Some("emails[12].value"), "email-12"),
            (Some("phone_numbers[1].value"), "phone-1"),
            (Some("social_media_addresses[2].value"), "link-2"),
            (Some("application.referrer.value"), "referrer-email"),
            (Some("application.source_id"), "source-id"),
            (Some("application.job_id"), "job-search"),
            (Some("prospect.prospect_pool_id"), "pool-search"),
            (Some("prospect.prospect_stage_id"), "stage"),
            (Some("attachments[0]"), "attachment-0"),
            (Some("attachments[1]"), "resume-link"),
            (Some("external_id"), "form-error"),
            (Some("emails"), "form-error"),
            (None, "form-error"),
        ];
        for (path, testid) in cases {
            assert_eq!(testid_for(path, 1), testid, "{path:?}");
        }
    }

    #[test]
    fn greenhouse_errors_keep_their_words_and_share_an_input() {
        let errors = [
            FieldError {
                field: Some("emails[0].value".into()),
                message: "is taken".into(),
            },
            FieldError {
                field: Some("emails[0].value".into()),
                message: "is long".into(),
            },
            FieldError {
                field: Some("custom_fields".into()),
                message: "is required".into(),
            },
        ];
        let shown = by_testid(&errors, 0, false);
        assert_eq!(shown["email-0"], "is taken is long");
        assert_eq!(shown["form-error"], "custom_fields: is required");
    }
}
