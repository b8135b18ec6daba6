//! What Greenhouse answers about people, in one shape whatever the dialect: the create's answer
//! and the records read back, with the application's job, stage and status where the dialect
//! gives them.

use serde::{Deserialize, Serialize};

/// A create's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    /// Greenhouse's candidate id.
    pub id: u64,
    #[serde(default)]
    pub application_id: Option<u64>,
    #[serde(default)]
    pub external_id: String,
    /// The person's page in Greenhouse, where the dialect answers with one.
    #[serde(default)]
    pub profile_url: Option<String>,
}

/// A person Greenhouse holds, as read back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub id: u64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub external_id: String,
    #[serde(default)]
    pub applications: Vec<ApplicationStatus>,
}

/// Where someone stands on one job (or as a prospect): "Backend Engineer, Phone Screen, active".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationStatus {
    #[serde(default)]
    pub id: Option<u64>,
    #[serde(default)]
    pub job: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    pub profile_url: Option<String>,
}

impl Record {
    /// The record's page in Greenhouse, when an application names one.
    pub fn profile_url(&self) -> Option<&str> {
        self.applications.iter().find_map(|a| a.profile_url.as_deref())
    }
}
