//! Server-side validation like Greenhouse's: types as the contract declares them, required
//! fields, formats, and references to jobs, pools, stages and users that exist.

use serde_json::{Map, Value};
use sprout::candidate::{Job, ProspectPool};

/// One `{"message", "field"}` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// What validation needs to know about the organisation.
pub struct Org<'a> {
    pub jobs: &'a [Job],
    pub pools: &'a [ProspectPool],
    pub user_ids: &'a [u64],
}

const ATTACHMENT_TYPES: &[&str] = &["resume", "cover_letter", "admin_only", "public", "offer_letter"];

/// Checks a `PartnerCandidate` body; empty when it may be stored.
pub fn candidate(body: &Value, org: &Org) -> Vec<Problem> {
    let mut p = Problems::default();
    let Some(obj) = body.as_object() else {
        p.add("", "must be a JSON object");
        return p.0;
    };
    for field in ["external_id", "first_name", "last_name"] {
        match obj.get(field) {
            None => p.add(field, "is required"),
            Some(Value::String(s)) if s.trim().is_empty() => p.add(field, "can't be blank"),
            Some(Value::String(_)) => {}
            Some(_) => p.add(field, "must be a string"),
        }
    }
    for field in ["company", "title"] {
        p.string(obj, field, field);
    }
    for (list, format) in [
        ("emails", Some("email")),
        ("phone_numbers", None),
        ("social_media_addresses", None),
    ] {
        p.each(obj, list, |p, item, path| {
            match item.get("value") {
                None => p.add(&format!("{path}.value"), "is required"),
                Some(Value::String(v)) if format.is_some() && !is_email(v) => {
                    p.add(&format!("{path}.value"), "is not a valid email address")
                }
                Some(Value::String(_)) => {}
                Some(_) => p.add(&format!("{path}.value"), "must be a string"),
            }
            if list != "social_media_addresses" {
                p.string(item, "type", &format!("{path}.type"));
            }
        });
    }
    if let Some(app) = p.object(obj, "application") {
        match p.integer(app, "job_id", "application.job_id") {
            Some(id) if !org.jobs.iter().any(|j| j.id as i64 == id) => {
                p.add("application.job_id", "job not found")
            }
            Some(_) => {}
            None if !app.contains_key("job_id") => p.add("application.job_id", "is required"),
            None => {}
        }
        p.integer(app, "initial_stage_id", "application.initial_stage_id");
        p.integer(app, "source_id", "application.source_id");
        if let Some(referrer) = p.object(app, "referrer") {
            p.string(referrer, "type", "application.referrer.type");
            p.string(referrer, "value", "application.referrer.value");
        }
    }
    if let Some(prospect) = p.object(obj, "prospect") {
        let pool_id = p.integer(prospect, "prospect_pool_id", "prospect.prospect_pool_id");
        let stage_id = p.integer(prospect, "prospect_stage_id", "prospect.prospect_stage_id");
        let owner_id = p.integer(prospect, "prospect_owner_id", "prospect.prospect_owner_id");
        let pool = pool_id.and_then(|id| org.pools.iter().find(|pool| pool.id as i64 == id));
        if pool_id.is_some() && pool.is_none() {
            p.add("prospect.prospect_pool_id", "prospect pool not found");
        }
        if let Some(stage) = stage_id {
            match (pool, pool_id) {
                (Some(pool), _) if !pool.stages.iter().any(|s| s.id as i64 == stage) => {
                    let known = org
                        .pools
                        .iter()
                        .any(|pl| pl.stages.iter().any(|s| s.id as i64 == stage));
                    let why = if known {
                        "is not a stage of this prospect pool"
                    } else {
                        "prospect stage not found"
                    };
                    p.add("prospect.prospect_stage_id", why)
                }
                (None, None) => p.add("prospect.prospect_stage_id", "requires prospect_pool_id"),
                _ => {}
            }
        }
        if owner_id.is_some_and(|id| !org.user_ids.iter().any(|u| *u as i64 == id)) {
            p.add("prospect.prospect_owner_id", "user not found");
        }
    }
    p.each(obj, "attachments", |p, item, path| {
        p.string(item, "filename", &format!("{path}.filename"));
        p.string(item, "content", &format!("{path}.content"));
        p.string(item, "content_type", &format!("{path}.content_type"));
        match item.get("type") {
            Some(Value::String(t)) if ATTACHMENT_TYPES.contains(&t.as_str()) => {}
            Some(_) => p.add(
                &format!("{path}.type"),
                "must be one of resume, cover_letter, admin_only, public, offer_letter",
            ),
            None => p.add(&format!("{path}.type"), "is required"),
        }
        if let Some(url) = p.string(item, "url", &format!("{path}.url"))
            && sprout::url_parse::parse(url).is_err()
        {
            p.add(&format!("{path}.url"), "is not a valid URL");
        }
        if !item.contains_key("url") && !item.contains_key("content") {
            p.add(path, "needs content or url");
        }
    });
    p.0
}

/// Checks a tracking link body.
pub fn tracking_link(body: &Value, org: &Org) -> Vec<Problem> {
    let mut p = Problems::default();
    let Some(obj) = body.as_object() else {
        p.add("", "must be a JSON object");
        return p.0;
    };
    if let Some(id) = p.integer(obj, "job_id", "job_id")
        && !org.jobs.iter().any(|j| j.id as i64 == id)
    {
        p.add("job_id", "job not found");
    }
    p.integer(obj, "source_id", "source_id");
    p.string(obj, "external_id", "external_id");
    p.0
}

/// A plausible address: something@domain.tld, no spaces. Greenhouse's exact rule is not published.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
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

    fn string<'v>(&mut self, obj: &'v Map<String, Value>, key: &str, path: &str) -> Option<&'v str> {
        match obj.get(key) {
            None => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.add(path, "must be a string");
                None
            }
        }
    }

    /// Any JSON integer, as the contract's `type: integer` allows; whether it names something
    /// that exists is checked by the caller.
    fn integer(&mut self, obj: &Map<String, Value>, key: &str, path: &str) -> Option<i64> {
        match obj.get(key) {
            None => None,
            Some(Value::Number(n)) if n.is_i64() => n.as_i64(),
            // Beyond i64: an integer, but too large to name anything.
            Some(Value::Number(n)) if n.is_u64() => Some(i64::MAX),
            Some(_) => {
                self.add(path, "must be an integer");
                None
            }
        }
    }

    fn object<'v>(&mut self, obj: &'v Map<String, Value>, key: &str) -> Option<&'v Map<String, Value>> {
        match obj.get(key) {
            None => None,
            Some(Value::Object(o)) => Some(o),
            Some(_) => {
                self.add(key, "must be an object");
                None
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
            None => {}
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use sprout::candidate::ProspectStage;

    fn org_data() -> (Vec<Job>, Vec<ProspectPool>) {
        let jobs = vec![Job {
            id: 1,
            ..Default::default()
        }];
        let stage = |id| ProspectStage {
            id,
            ..Default::default()
        };
        let pools = vec![
            ProspectPool {
                id: 10,
                name: "A".into(),
                stages: vec![stage(100)],
            },
            ProspectPool {
                id: 20,
                name: "B".into(),
                stages: vec![stage(200)],
            },
        ];
        (jobs, pools)
    }

    fn fields(body: Value) -> Vec<String> {
        let (jobs, pools) = org_data();
        let org = Org {
            jobs: &jobs,
            pools: &pools,
            user_ids: &[7],
        };
        candidate(&body, &org).into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_complete_candidate_passes() {
        let ok = json!({"external_id": "e", "first_name": "A", "last_name": "B",
            "emails": [{"value": "a@b.io", "type": "work"}],
            "application": {"job_id": 1},
            "prospect": {"prospect_pool_id": 10, "prospect_stage_id": 100, "prospect_owner_id": 7},
            "attachments": [{"type": "resume", "url": "https://x.io/cv.pdf"}]});
        assert!(fields(ok).is_empty());
    }

    #[test]
    fn each_rule_names_its_field() {
        assert_eq!(
            fields(json!({"first_name": "A", "last_name": " "})),
            ["external_id", "last_name"]
        );
        let base = |extra: Value| {
            let mut v = json!({"external_id": "e", "first_name": "A", "last_name": "B"});
            v.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            fields(v)
        };
        assert_eq!(base(json!({"emails": [{"value": "nope"}]})), ["emails[0].value"]);
        assert_eq!(
            base(json!({"application": {"job_id": 2}})),
            ["application.job_id"]
        );
        assert_eq!(
            base(json!({"prospect": {"prospect_pool_id": 11}})),
            ["prospect.prospect_pool_id"]
        );
        assert_eq!(
            base(json!({"prospect": {"prospect_pool_id": 10, "prospect_stage_id": 200}})),
            ["prospect.prospect_stage_id"]
        );
        assert_eq!(
            base(json!({"attachments": [{"type": "photo", "url": "x"}]})),
            ["attachments[0].type", "attachments[0].url"]
        );
        assert_eq!(base(json!({"company": 3})), ["company"]);
    }
}
