//! The greenhouse dialect's create body, checked field by field against the table in the docs'
//! _candidates.md ("Post Candidates"), and resolved against the organisation.

use serde_json::{Map, Value};
use sprout::candidate::{Job, ProspectPool};

use crate::store::User;
use crate::validate::{Problem, is_email};

/// What a create may refer to, as the caller sees it.
pub struct Org<'a> {
    /// The jobs visible to the caller.
    pub jobs: Vec<&'a Job>,
    pub pools: &'a [ProspectPool],
    pub users: &'a [User],
}

/// Where a valid body puts the person.
#[derive(Debug, PartialEq, Eq)]
pub struct Placement {
    pub job: Option<String>,
    pub stage: Option<String>,
}

/// Greenhouse's first stage of a new application (the docs' own example answer shows it).
pub const FIRST_JOB_STAGE: &str = "Application Review";

const FIELDS: &[&str] = &[
    "prospect",
    "job_id",
    "first_name",
    "last_name",
    "external_id",
    "company",
    "title",
    "resume",
    "phone_numbers",
    "emails",
    "addresses",
    "social_media",
    "websites",
    "referrer",
    "notes",
    "prospect_pool_id",
    "prospect_pool_stage_id",
    "prospect_owner_email",
];

enum Kind {
    Text,
    Email,
    OneOf(&'static [&'static str]),
}

/// Sub-fields of each list, all required in an item ("only required if ... included").
const LISTS: &[(&str, &[(&str, Kind)])] = &[
    (
        "phone_numbers",
        &[
            ("phone_number", Kind::Text),
            ("type", Kind::OneOf(&["mobile", "home", "work", "other"])),
        ],
    ),
    (
        "emails",
        &[
            ("email", Kind::Email),
            ("type", Kind::OneOf(&["personal", "work", "other"])),
        ],
    ),
    (
        "addresses",
        &[
            ("address", Kind::Text),
            ("type", Kind::OneOf(&["home", "work", "other"])),
        ],
    ),
    ("social_media", &[("url", Kind::Text)]),
    (
        "websites",
        &[
            ("url", Kind::Text),
            (
                "type",
                Kind::OneOf(&["personal", "company", "portfolio", "blog", "other"]),
            ),
        ],
    ),
];

const REFERRER: &[(&str, Kind)] = &[
    ("email", Kind::Email),
    ("first_name", Kind::Text),
    ("last_name", Kind::Text),
];

/// Checks one person of a create; the placement when it may be stored.
pub fn check(body: &Value, org: &Org) -> Result<Placement, Vec<Problem>> {
    let mut p = Problems::default();
    let Some(obj) = body.as_object() else {
        p.add("", "must be a JSON object");
        return Err(p.0);
    };
    // Unknown fields are refused rather than dropped: a body in the other dialect's shape
    // (`application`, `social_media_addresses`, `attachments`) must fail loudly here, where
    // a lenient server would lose that data without a word.
    for key in obj.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
        p.add(key, "is not a field of the Candidate Ingestion API");
    }
    for field in ["first_name", "last_name", "external_id"] {
        p.text(obj, field, field, true);
    }
    for field in ["company", "title", "notes"] {
        p.text(obj, field, field, false);
    }
    if let Some(resume) = p.text(obj, "resume", "resume", false) {
        let fetchable =
            sprout::url_parse::parse(resume).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !fetchable {
            p.add("resume", "must be an http(s) URL Greenhouse can fetch");
        }
    }
    let prospect = p.prospect(obj);
    let job_id = p.integer(obj, "job_id");
    let pool_id = p.integer(obj, "prospect_pool_id");
    let stage_id = p.integer(obj, "prospect_pool_stage_id");
    let owner = p.text(obj, "prospect_owner_email", "prospect_owner_email", false);

    let job = job_id.and_then(|id| {
        let job = org.jobs.iter().find(|j| j.id as i64 == id);
        if job.is_none() {
            p.add("job_id", "job not found");
        }
        job
    });
    if prospect == Some(false) && !present(obj, "job_id") {
        p.add("job_id", "is required when prospect is false");
    }
    if prospect == Some(false) {
        for field in [
            "prospect_pool_id",
            "prospect_pool_stage_id",
            "prospect_owner_email",
        ] {
            if present(obj, field) {
                p.add(field, "needs prospect to be true");
            }
        }
    }
    let pool = pool_id.and_then(|id| {
        let pool = org.pools.iter().find(|pool| pool.id as i64 == id);
        if pool.is_none() {
            p.add("prospect_pool_id", "prospect pool not found");
        }
        pool
    });
    if present(obj, "prospect_pool_stage_id") && !present(obj, "prospect_pool_id") {
        p.add(
            "prospect_pool_id",
            "is required when prospect_pool_stage_id is given",
        );
    }
    let stage = match (pool, stage_id) {
        (Some(pool), Some(id)) => {
            let stage = pool.stages.iter().find(|s| s.id as i64 == id);
            if stage.is_none() {
                p.add(
                    "prospect_pool_stage_id",
                    &format!("is not a stage of prospect pool {}", pool.id),
                );
            }
            stage
        }
        // A prospect put in a pool without a stage starts in the pool's first stage.
        (Some(pool), None) => pool.stages.first(),
        _ => None,
    };
    if let Some(email) = owner
        && !org.users.iter().any(|u| u.email == email)
    {
        p.add("prospect_owner_email", "is not the email of a Greenhouse user");
    }
    for (list, fields) in LISTS {
        p.each(obj, list, |p, item, path| p.fields(item, path, fields));
    }
    match obj.get("referrer") {
        None | Some(Value::Null) => {}
        Some(Value::Object(referrer)) => p.fields(referrer, "referrer", REFERRER),
        Some(_) => p.add("referrer", "must be an object"),
    }
    if !p.0.is_empty() {
        return Err(p.0);
    }
    Ok(Placement {
        job: job.map(|j| j.name.clone()),
        stage: match (prospect, stage) {
            (Some(false), _) => Some(FIRST_JOB_STAGE.to_owned()),
            (_, Some(stage)) => Some(stage.name.clone()),
            (_, None) => None,
        },
    })
}

/// Absent and null are the same: "properties without a value will use null".
fn present(obj: &Map<String, Value>, key: &str) -> bool {
    !matches!(obj.get(key), None | Some(Value::Null))
}

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, field: &str, message: &str) {
        self.0.push(Problem {
            field: field.to_owned(),
            message: message.to_owned(),
        });
    }

    /// A string; `required` ones must be present and not blank.
    fn text<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        key: &str,
        path: &str,
        required: bool,
    ) -> Option<&'v str> {
        match obj.get(key) {
            None | Some(Value::Null) if required => {
                self.add(path, "is required");
                None
            }
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if required && s.trim().is_empty() => {
                self.add(path, "can't be blank");
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.add(path, "must be a string");
                None
            }
        }
    }

    /// Any JSON integer; whether it names something that exists is checked by the caller.
    fn integer(&mut self, obj: &Map<String, Value>, key: &str) -> Option<i64> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.is_i64() => n.as_i64(),
            // Beyond i64: an integer, but too large to name anything.
            Some(Value::Number(n)) if n.is_u64() => Some(i64::MAX),
            Some(_) => {
                self.add(key, "must be an integer");
                None
            }
        }
    }

    /// `prospect`, true when absent (the docs' default). The docs' own example sends the string
    /// "true"; a Rails server casts "true"/"false" strings to booleans, so those two are taken
    /// too. Other strings are refused rather than cast (Rails would read "yes" as true), so a
    /// client's typo cannot silently make a prospect. `None` after a refusal.
    fn prospect(&mut self, obj: &Map<String, Value>) -> Option<bool> {
        match obj.get("prospect") {
            None | Some(Value::Null) => Some(true),
            Some(Value::Bool(b)) => Some(*b),
            Some(Value::String(s)) if s == "true" => Some(true),
            Some(Value::String(s)) if s == "false" => Some(false),
            Some(_) => {
                self.add("prospect", "must be true or false");
                None
            }
        }
    }

    fn fields(&mut self, item: &Map<String, Value>, path: &str, fields: &[(&str, Kind)]) {
        for key in item.keys().filter(|k| !fields.iter().any(|(f, _)| f == k)) {
            self.add(&format!("{path}.{key}"), "is not a field here");
        }
        for (key, kind) in fields {
            let at = format!("{path}.{key}");
            let Some(value) = self.text(item, key, &at, true) else {
                continue;
            };
            match kind {
                Kind::Text => {}
                Kind::Email if is_email(value) => {}
                Kind::Email => self.add(&at, "is not a valid email address"),
                Kind::OneOf(allowed) if allowed.contains(&value) => {}
                Kind::OneOf(allowed) => self.add(&at, &format!("must be one of {}", allowed.join(", "))),
            }
        }
    }

    fn each(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        mut check: impl FnMut(&mut Self, &Map<String, Value>, &str),
    ) {
        match obj.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let path = format!("{key}[{i}]");
                    match item.as_object() {
                        Some(o) => check(self, o, &path),
                        None => self.add(&path, "must be an object"),
                    }
                }
            }
            Some(_) => self.add(key, "must be an array"),
        }
    }
}
