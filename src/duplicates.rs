//! "Already in Greenhouse?": this browser's ledger of deliveries merged with what Greenhouse
//! answered, into the one list the popup shows.

use crate::api::Record;
use crate::outbox::LedgerEntry;
use crate::protocol::ExistingRecord;

/// Merges the ledger (this browser's deliveries of the person) with Greenhouse's `found`
/// records (`None` when Greenhouse could not be asked). Ledger entries come first, as they know
/// when and where to; a ledger entry that `found` lacks is `gone` only when the look-up asked for
/// it by id, since only then is its absence Greenhouse's answer about it. `link` is the person's
/// page for a record whose answer names none.
pub fn merge(
    ledger: Vec<LedgerEntry>,
    found: Option<Vec<Record>>,
    asked_by_id: bool,
    link: impl Fn(u64) -> String,
) -> Vec<ExistingRecord> {
    let found = found.map(|records| (records, asked_by_id));
    let mut merged: Vec<ExistingRecord> = ledger
        .into_iter()
        .map(|entry| {
            let record = found
                .as_ref()
                .and_then(|(records, _)| records.iter().find(|r| r.id == entry.candidate_id));
            let gone = matches!(&found, Some((_, true))) && record.is_none();
            ExistingRecord {
                candidate_id: entry.candidate_id,
                name: entry.name,
                link: record
                    .and_then(Record::profile_url)
                    .map_or_else(|| link(entry.candidate_id), str::to_owned),
                from_ledger: true,
                target_label: Some(entry.target_label),
                at_ms: Some(entry.at_ms),
                applications: record.map(|r| r.applications.clone()).unwrap_or_default(),
                gone,
            }
        })
        .collect();
    for record in found.map(|(records, _)| records).unwrap_or_default() {
        if merged.iter().any(|m| m.candidate_id == record.id) {
            continue;
        }
        merged.push(ExistingRecord {
            candidate_id: record.id,
            link: record
                .profile_url()
                .map_or_else(|| link(record.id), str::to_owned),
            name: record.name,
            from_ledger: false,
            target_label: None,
            at_ms: None,
            applications: record.applications,
            gone: false,
        });
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApplicationStatus;

    fn entry(id: u64) -> LedgerEntry {
        LedgerEntry {
            connection_id: "c1".into(),
            external_id: "sprout:ada".into(),
            candidate_id: id,
            name: "Ada Lovelace".into(),
            link: String::new(),
            target_label: "Engineering: Contacted".into(),
            at_ms: id * 1000,
        }
    }

    fn record(id: u64, stage: &str) -> Record {
        Record {
            id,
            name: "Ada Lovelace".into(),
            external_id: "sprout:ada".into(),
            applications: vec![ApplicationStatus {
                id: Some(id + 100),
                job: Some("Backend Engineer".into()),
                status: Some("active".into()),
                stage: Some(stage.into()),
                profile_url: Some(format!(
                    "https://app.greenhouse.io/people/{id}?application_id={}",
                    id + 100
                )),
            }],
        }
    }

    fn link(id: u64) -> String {
        format!("https://gh.example/people/{id}")
    }

    #[test]
    fn ledger_records_read_back_by_id_show_their_stage_or_that_they_are_gone() {
        let merged = merge(
            vec![entry(1), entry(2)],
            Some(vec![record(1, "Phone Screen")]),
            true,
            link,
        );
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].applications[0].stage.as_deref(), Some("Phone Screen"));
        assert_eq!(
            merged[0].link,
            "https://app.greenhouse.io/people/1?application_id=101"
        );
        assert!(!merged[0].gone && merged[0].from_ledger);
        assert!(
            merged[1].gone,
            "asked for by id and not answered: merged, deleted or hidden"
        );
        assert_eq!(merged[1].link, link(2));
    }

    #[test]
    fn a_search_by_person_adds_records_this_browser_never_sent_and_proves_nothing_gone() {
        let merged = merge(vec![entry(1)], Some(vec![record(3, "Offer")]), false, link);
        assert_eq!(merged.iter().map(|m| m.candidate_id).collect::<Vec<_>>(), [1, 3]);
        assert!(
            !merged[0].gone,
            "a search by external_id that lacks it says nothing about it"
        );
        assert!(!merged[1].from_ledger);
        assert_eq!(merged[1].target_label, None);
    }

    #[test]
    fn without_an_answer_the_ledger_stands_alone() {
        let merged = merge(vec![entry(1)], None, true, link);
        assert_eq!((merged.len(), merged[0].gone), (1, false));
        assert!(merge(vec![], None, false, link).is_empty());
    }
}
