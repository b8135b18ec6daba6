//! Everything the sandbox remembers: the organisation, what clients created, OAuth grants and
//! tokens, pending faults and the request log. One mutex guards it; no lock is held across an await.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sprout::candidate::{Job, PartnerCandidate, ProspectPool};

use crate::config::{Config, Dialect, Role};
use crate::dialect::greenhouse;
use crate::faults::Fault;

/// A Greenhouse user of the fake organisation.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: u64,
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// A created candidate, with exactly the JSON that was sent (in its dialect's field names), who
/// sent it and how.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredCandidate {
    pub id: u64,
    pub sent: Value,
    #[serde(flatten)]
    pub record: Record,
    pub created_by: String,
    pub auth: String,
    pub created_at: String,
}

/// What the dialect that created a candidate keeps beside the body: the seed dialect the parsed
/// contract object it echoes, the greenhouse dialect the application it reports on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Record {
    Seed { candidate: Box<PartnerCandidate> },
    Greenhouse { application: greenhouse::Application },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredLink {
    pub url: String,
    /// Only the seed dialect's links expire; Greenhouse documents no expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    pub sent: Value,
    pub created_by: String,
}

/// What `--state FILE` keeps between runs.
#[derive(Default, Serialize, Deserialize)]
struct Persisted {
    candidates: Vec<StoredCandidate>,
    tracking_links: Vec<StoredLink>,
}

/// An authorization code waiting to be exchanged.
pub struct Grant {
    pub client_id: String,
    pub redirect_uri: String,
    pub email: String,
    pub scopes: Vec<String>,
    pub challenge: Option<String>,
    pub expires: Instant,
}

#[derive(Clone)]
pub struct AccessToken {
    pub email: String,
    pub scopes: Vec<String>,
    pub expires: Instant,
}

struct RefreshToken {
    client_id: String,
    email: String,
    scopes: Vec<String>,
}

/// A fault waiting for its requests.
pub struct PendingFault {
    pub path: String,
    pub method: Option<String>,
    pub remaining: u32,
    pub fault: Fault,
}

#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    /// `None` when the connection was dropped without an answer.
    pub status: Option<u16>,
    pub fault: Option<String>,
}

/// Tokens issued by `/oauth/token`.
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub scopes: Vec<String>,
}

/// Authorization codes live this long.
pub const CODE_TTL: Duration = Duration::from_secs(60);

pub struct Store {
    pub dialect: Dialect,
    pub api_key: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub redirect_uris: Vec<String>,
    pub token_ttl: Duration,
    pub users: Vec<User>,
    pub jobs: Vec<Job>,
    /// Jobs with no live job post (`public: false` in the greenhouse dialect).
    pub private_jobs: HashSet<u64>,
    pub pools: Vec<ProspectPool>,
    pub candidates: Vec<StoredCandidate>,
    pub tracking_links: Vec<StoredLink>,
    pub grants: HashMap<String, Grant>,
    pub access: HashMap<String, AccessToken>,
    refresh: HashMap<String, RefreshToken>,
    pub faults: Vec<PendingFault>,
    pub requests: Vec<LoggedRequest>,
    state_file: Option<PathBuf>,
}

impl Store {
    pub fn new(config: &Config) -> std::io::Result<Store> {
        let mut specs = config.users();
        let mut jobs = crate::seed::jobs(config.seed, config.jobs);
        // Every fourth generated job has no live post, so a Basic user (who sees public jobs
        // only, in the greenhouse dialect) sees fewer than an admin.
        let mut private_jobs: HashSet<u64> = jobs.iter().filter(|j| j.id % 4 == 3).map(|j| j.id).collect();
        let mut pools = crate::seed::pools(config.seed, config.pools);
        if config.docs_examples {
            crate::docs_org::add(&mut specs, &mut jobs, &mut private_jobs, &mut pools);
        }
        let users = specs
            .into_iter()
            .enumerate()
            .map(|(i, u)| User {
                id: 1_000 + i as u64,
                name: display_name(&u.email),
                email: u.email,
                role: u.role,
            })
            .collect();
        let persisted = match &config.state {
            Some(path) if path.exists() => serde_json::from_slice(&std::fs::read(path)?)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
            _ => Persisted::default(),
        };
        Ok(Store {
            dialect: config.dialect,
            api_key: config.api_key.clone(),
            client_id: config.client_id.clone(),
            client_secret: config.client_secret.clone(),
            redirect_uris: config.redirect_uris(),
            token_ttl: Duration::from_secs(config.token_ttl),
            users,
            jobs,
            private_jobs,
            pools,
            candidates: persisted.candidates,
            tracking_links: persisted.tracking_links,
            grants: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            faults: Vec::new(),
            requests: Vec::new(),
            state_file: config.state.clone(),
        })
    }

    pub fn user(&self, email: &str) -> Option<&User> {
        self.users.iter().find(|u| u.email == email)
    }

    /// The id the next created candidate gets.
    pub fn next_candidate_id(&self) -> u64 {
        self.candidates.iter().map(|c| c.id).max().unwrap_or(90_000_000) + 1
    }

    pub fn add_candidate(
        &mut self,
        sent: Value,
        mut candidate: PartnerCandidate,
        created_by: &str,
        auth: &str,
    ) -> PartnerCandidate {
        let id = self.next_candidate_id();
        candidate.id = Some(id);
        self.add_records(vec![StoredCandidate {
            id,
            sent,
            record: Record::Seed {
                candidate: Box::new(candidate.clone()),
            },
            created_by: created_by.to_owned(),
            auth: auth.to_owned(),
            created_at: now_rfc3339(),
        }]);
        candidate
    }

    /// Stores created records together (a batch create lands whole), then persists once.
    pub fn add_records(&mut self, records: Vec<StoredCandidate>) {
        self.candidates.extend(records);
        self.persist();
    }

    pub fn add_link(&mut self, link: StoredLink) {
        self.tracking_links.push(link);
        self.persist();
    }

    pub fn persist(&self) {
        let Some(path) = &self.state_file else { return };
        let data = serde_json::json!({"candidates": self.candidates, "tracking_links": self.tracking_links});
        // A failed write must not fail the API call; say so on stderr instead.
        if let Err(e) = std::fs::write(path, data.to_string()) {
            eprintln!("sprout-sandbox: could not write {}: {e}", path.display());
        }
    }

    /// Issues an access token and a refresh token for a user.
    pub fn issue_tokens(&mut self, client_id: &str, email: &str, scopes: Vec<String>) -> IssuedTokens {
        let access_token = random_token();
        let refresh_token = random_token();
        self.access.insert(
            access_token.clone(),
            AccessToken {
                email: email.to_owned(),
                scopes: scopes.clone(),
                expires: Instant::now() + self.token_ttl,
            },
        );
        self.refresh.insert(
            refresh_token.clone(),
            RefreshToken {
                client_id: client_id.to_owned(),
                email: email.to_owned(),
                scopes: scopes.clone(),
            },
        );
        IssuedTokens {
            access_token,
            refresh_token,
            scopes,
        }
    }

    /// Rotates a refresh token: the old one stops working, whoever presents it next.
    pub fn refresh(&mut self, client_id: &str, refresh_token: &str) -> Option<IssuedTokens> {
        let old = self.refresh.remove(refresh_token)?;
        if old.client_id != client_id {
            return None;
        }
        Some(self.issue_tokens(client_id, &old.email, old.scopes))
    }

    /// Revokes every token of a user; returns how many went.
    pub fn revoke(&mut self, email: &str) -> usize {
        let before = self.access.len() + self.refresh.len();
        self.access.retain(|_, t| t.email != email);
        self.refresh.retain(|_, t| t.email != email);
        before - self.access.len() - self.refresh.len()
    }

    pub fn live_tokens(&self) -> (usize, usize) {
        (self.access.len(), self.refresh.len())
    }
}

/// 32 bytes from the OS-seeded CSPRNG, base64url: codes and tokens must be unguessable.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn now_rfc3339() -> String {
    rfc3339(SystemTime::now())
}

pub fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// "ada.lovelace@x.io" -> "Ada Lovelace".
fn display_name(email: &str) -> String {
    let local = email.split('@').next().unwrap_or(email);
    local
        .split(['.', '_', '-'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn names_come_from_emails() {
        assert_eq!(display_name("ada.lovelace@x.io"), "Ada Lovelace");
    }

    #[test]
    fn refresh_rotates_and_revocation_ends_everything() {
        let mut s = Store::new(&Config::parse_from(["s"])).unwrap();
        let first = s.issue_tokens("c", "recruiter@sprout.test", vec!["jobs.view".into()]);
        assert!(
            s.refresh("other-client", &first.refresh_token).is_none(),
            "bound to its client"
        );
        let t = s.issue_tokens("c", "recruiter@sprout.test", vec![]);
        let second = s.refresh("c", &t.refresh_token).unwrap();
        assert!(s.refresh("c", &t.refresh_token).is_none(), "rotated away");
        assert!(s.revoke("recruiter@sprout.test") >= 2);
        assert!(s.refresh("c", &second.refresh_token).is_none());
        assert_eq!(s.live_tokens(), (0, 0));
    }
}
