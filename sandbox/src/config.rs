//! Command-line flags: everything that shapes the fake organisation, so each test or demo gets the
//! Greenhouse it needs.

use std::path::PathBuf;
use std::str::FromStr;

use clap::Parser;

/// What a Greenhouse user may do through the Partner API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything.
    Admin,
    /// Lists jobs and pools and creates candidates/prospects, but may not read candidates back
    /// or create tracking links (403), as PARTNER_API.md describes Greenhouse's "Basic" users.
    Basic,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Basic => "basic",
        }
    }
}

/// Which wire dialect the Partner API paths speak (PARTNER_API.md puts them side by side).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// Greenhouse's Candidate Ingestion API as its published docs describe it: flat create body,
    /// `emails[{email,type}]`, `GET /candidates?candidate_ids=` only, 400 with a field on bad input.
    Greenhouse,
    /// The contract in shared/partner-api.openapi.yml: nested application/prospect, look-up by
    /// external_ids, 201/422.
    Seed,
}

/// `EMAIL[:role]` from `--user`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSpec {
    pub email: String,
    pub role: Role,
}

impl FromStr for UserSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (email, role) = match s.rsplit_once(':') {
            Some((email, role)) => (email, role),
            None => (s, "admin"),
        };
        let role = match role {
            "admin" => Role::Admin,
            "basic" => Role::Basic,
            other => return Err(format!("unknown role {other:?} (admin or basic)")),
        };
        if !crate::validate::is_email(email) {
            return Err(format!("{email:?} is not an email address"));
        }
        Ok(UserSpec {
            email: email.to_owned(),
            role,
        })
    }
}

/// A local stand-in for Greenhouse's Partner API and OAuth server, for Sprout's tests and demos.
///
/// Serves the five Partner API paths under http://127.0.0.1:PORT/v1/partner, OAuth at /oauth/authorize
/// (consent page) and /oauth/token, and an admin API under /_sandbox/ for fault injection and
/// reading back what was stored:
///
///   POST   /_sandbox/faults   {"path":"/v1/partner/candidates","method":"POST","count":1,
///                              "fault":{"type":"rate_limit","retry_after":1}
///                                    | {"type":"status","status":503}
///                                    | {"type":"delay","ms":300}
///                                    | {"type":"redirect","status":307,"location":"http://…"}  (not processed)
///                                    | {"type":"drop"}                (body read, not processed, connection dropped)
///                                    | {"type":"drop_after_commit"}  (processed, then connection dropped)
///                                    | {"type":"cut_after_commit"}}  (processed, answer cut off half-way)
///   DELETE /_sandbox/faults   clear pending faults
///   POST   /_sandbox/revoke   {"email":"..."}  revoke that user's access and refresh tokens
///   GET    /_sandbox/state    everything stored: candidates as sent, tracking links, request log
///   POST   /_sandbox/candidates/ID  {"status":"rejected","stage":"Offer","hidden":true} (any of them):
///                              what a recruiter did in Greenhouse since (greenhouse dialect; hidden
///                              stands for deleted, merged or re-sourced)
///
/// --dialect greenhouse (the default) answers as Greenhouse's published docs say (described in
/// sandbox/conformance/greenhouse.openapi.yml): a create body alone or in an array, 400 with the
/// offending field, GET /candidates?candidate_ids= giving only the caller's own, still visible
/// records, public jobs only for Basic users. --dialect seed answers as
/// shared/partner-api.openapi.yml says. Auth, roles, faults and the admin API are the same.
///
/// OAuth scopes: a token carries those asked for at /oauth/authorize (scope, space-separated), or
/// all four (candidates.create candidates.view jobs.view prospect_pools.view) when none is asked
/// for. A Bearer call without the scope its operation needs gets 403; current_user and
/// tracking_link need none (the docs name none for them).
///
/// Data is generated from --seed, so the same flags always give the same jobs, pools and ids.
#[derive(Debug, Clone, Parser)]
#[command(name = "sprout-sandbox", version, verbatim_doc_comment)]
pub struct Config {
    /// Port on 127.0.0.1 (0 picks a free one and prints it).
    #[arg(long, default_value_t = 7300)]
    pub port: u16,

    /// Partner API key accepted as the Basic auth username (empty password).
    #[arg(long, default_value = "sandbox-partner-key")]
    pub api_key: String,

    /// A Greenhouse user, EMAIL or EMAIL:ROLE (role admin or basic); repeatable.
    /// Default: recruiter@sprout.test:admin and basic@sprout.test:basic.
    #[arg(long = "user", value_name = "EMAIL[:ROLE]")]
    pub users: Vec<UserSpec>,

    /// OAuth client id registered for Sprout.
    #[arg(long, default_value = "sprout-extension")]
    pub client_id: String,

    /// OAuth client secret; when set, /oauth/token requires it, sent either as client_secret in
    /// the form (client_secret_post) or with HTTP Basic (client_secret_basic), as Greenhouse does.
    #[arg(long)]
    pub client_secret: Option<String>,

    /// A registered redirect URI (exact match; repeatable, one per browser, or a sprout-relay's
    /// callback such as http://127.0.0.1:7400/callback, which then takes the client secret).
    /// Default: https://sprout-sandbox.chromiumapp.org/ and https://sprout-sandbox.extensions.allizom.org/.
    #[arg(long = "redirect-uri", value_name = "URI")]
    pub redirect_uris: Vec<String>,

    /// Number of jobs, with names, departments and offices (up to 20000).
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(0..=20_000))]
    pub jobs: u32,

    /// Number of prospect pools, each with 3 to 8 prioritised stages.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=1_000))]
    pub pools: u32,

    /// Lifetime of access tokens, in seconds.
    #[arg(long, default_value_t = 3600)]
    pub token_ttl: u64,

    /// Seed for the generated organisation.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// Disable the /_sandbox/ admin API.
    #[arg(long)]
    pub no_admin: bool,

    /// Keep candidates and tracking links in this JSON file between runs.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// Wire dialect of the Partner API paths: greenhouse (Greenhouse's published Candidate
    /// Ingestion docs) or seed (shared/partner-api.openapi.yml, the original contract).
    #[arg(long, value_enum, default_value_t = Dialect::Greenhouse)]
    pub dialect: Dialect,

    /// Also hold what the published docs' examples refer to (jobs 12345 Auror, 150050 Professor,
    /// 147886 Caretaker; pools 123 and 456 with their stages, plus stage 456 in pool 123; user
    /// prospect_owners_email@example.com), so the docs' example create body is accepted as is.
    #[arg(long)]
    pub docs_examples: bool,
}

impl Config {
    /// Users, with the demo pair when none were given.
    pub fn users(&self) -> Vec<UserSpec> {
        if !self.users.is_empty() {
            return self.users.clone();
        }
        ["recruiter@sprout.test:admin", "basic@sprout.test:basic"]
            .iter()
            .map(|s| s.parse().expect("valid default user"))
            .collect()
    }

    /// Redirect URIs, with one placeholder per browser when none were given.
    pub fn redirect_uris(&self) -> Vec<String> {
        if !self.redirect_uris.is_empty() {
            return self.redirect_uris.clone();
        }
        vec![
            "https://sprout-sandbox.chromiumapp.org/".into(),
            "https://sprout-sandbox.extensions.allizom.org/".into(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_specs_parse_with_an_optional_role() {
        let u: UserSpec = "a@b.io:basic".parse().unwrap();
        assert_eq!(u.role, Role::Basic);
        let u: UserSpec = "a@b.io".parse().unwrap();
        assert_eq!((u.email.as_str(), u.role), ("a@b.io", Role::Admin));
        assert!("a@b.io:owner".parse::<UserSpec>().is_err());
        assert!("nobody".parse::<UserSpec>().is_err());
    }

    #[test]
    fn defaults_make_a_demo_org() {
        let c = Config::try_parse_from(["sprout-sandbox"]).unwrap();
        assert_eq!(c.port, 7300);
        assert_eq!(c.users().len(), 2);
        assert_eq!(c.redirect_uris().len(), 2);
        assert_eq!(c.dialect, Dialect::Greenhouse);
        let c = Config::try_parse_from(["s", "--dialect", "seed"]).unwrap();
        assert_eq!(c.dialect, Dialect::Seed);
        assert!(Config::try_parse_from(["s", "--dialect", "harvest"]).is_err());
        assert!(Config::try_parse_from(["s", "--jobs", "20001"]).is_err());
    }
}
