//! Which wire dialect a connection speaks, and what each one makes possible, so the rest of the
//! code base asks "can this connection do X?" and never "which dialect is this?".

use serde::{Deserialize, Serialize};

/// The two descriptions of the Partner API that Sprout speaks (shared/PARTNER_API.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// What Greenhouse publishes and a recruiter's real account answers.
    Greenhouse,
    /// The OpenAPI contract the product was first specified against. It is the `Default` because
    /// every connection saved before dialects existed spoke it: reading one back must keep it.
    #[default]
    Seed,
}

/// What a dialect can carry or answer; the popup and the background decide from these alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// `GET /candidates` by `external_id`: duplicates and lost answers can be looked up.
    pub lookup_by_external_id: bool,
    /// Files travel inline (base64) with the create.
    pub file_attachments: bool,
    /// A resume is sent only as a link Greenhouse fetches itself.
    pub resume_link_only: bool,
    /// A free-text note travels with the create.
    pub notes: bool,
    /// A job may carry a source id chosen by the recruiter.
    pub source_id: bool,
    /// A referrer is created from an email and a first and last name, not an email alone.
    pub referrer_by_name: bool,
}

impl Dialect {
    pub fn capabilities(self) -> Capabilities {
        match self {
            Dialect::Greenhouse => Capabilities {
                lookup_by_external_id: false,
                file_attachments: false,
                resume_link_only: true,
                notes: true,
                source_id: false,
                referrer_by_name: true,
            },
            Dialect::Seed => Capabilities {
                lookup_by_external_id: true,
                file_attachments: true,
                resume_link_only: false,
                notes: false,
                source_id: true,
                referrer_by_name: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_dialect_reads_as_seed_and_names_are_snake_case() {
        assert_eq!(Dialect::default(), Dialect::Seed);
        assert_eq!(
            serde_json::to_string(&Dialect::Greenhouse).unwrap(),
            "\"greenhouse\""
        );
        assert_eq!(
            serde_json::from_str::<Dialect>("\"seed\"").unwrap(),
            Dialect::Seed
        );
        assert!(serde_json::from_str::<Dialect>("\"harvest\"").is_err());
    }

    #[test]
    fn only_the_seed_contract_can_look_up_by_external_id_or_carry_files() {
        let (g, s) = (Dialect::Greenhouse.capabilities(), Dialect::Seed.capabilities());
        assert!(!g.lookup_by_external_id && s.lookup_by_external_id);
        assert!(!g.file_attachments && s.file_attachments);
        assert!(g.notes && !s.notes);
    }
}
