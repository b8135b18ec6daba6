//! "Already in Greenhouse?" over the [`Store`]: this browser's ledger of the person, what the
//! server answers when asked (by the person where it can be searched, else for the ledger's
//! records by id), merged into the one list the popup shows.

use super::Store;
use crate::api::Record;
use crate::connection::Connection;
use crate::protocol::ExistingRecord;

/// The records found, and whether the server could be asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<E> {
    pub records: Vec<ExistingRecord>,
    /// Why the server could not be asked, when it could not: then only the ledger was checked.
    pub looked: Result<(), E>,
    /// The server cannot be searched for a person, only for the records this browser sent.
    pub ledger_only: bool,
}

/// Checks one person (`external_id`) for a connection; `look` asks the server, given the record
/// ids the ledger knows. An error is the store's.
pub async fn check_duplicates<E>(
    store: &impl Store,
    connection: &Connection,
    external_id: &str,
    look: impl AsyncFnOnce(&[u64]) -> Result<Vec<Record>, E>,
) -> Result<Checked<E>, String> {
    let ledger = store.ledger(&connection.id, external_id).await?;
    let known: Vec<u64> = ledger.iter().map(|e| e.candidate_id).collect();
    let ledger_only = !connection.dialect.capabilities().lookup_by_external_id;
    let (found, looked) = match look(&known).await {
        Ok(records) => (Some(records), Ok(())),
        Err(e) => (None, Err(e)),
    };
    let records = crate::duplicates::merge(ledger, found, ledger_only, |id| connection.person_link(id));
    Ok(Checked {
        records,
        looked,
        ledger_only,
    })
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::api::Dialect;
    use crate::outbox::LedgerEntry;
    use crate::state::memory::{MemoryStore, run};

    fn delivered(store: &MemoryStore, candidate_id: u64, at_ms: u64) {
        run(store.add_to_ledger(&LedgerEntry {
            connection_id: "c1".into(),
            external_id: "sprout-ada".into(),
            candidate_id,
            name: "Ada L".into(),
            link: String::new(),
            target_label: "Backend Engineer".into(),
            at_ms,
        }))
        .unwrap();
    }

    fn record(id: u64) -> Record {
        Record {
            id,
            name: "Ada Lovelace".into(),
            external_id: "sprout-ada".into(),
            applications: vec![],
        }
    }

    fn connection(dialect: Dialect) -> Connection {
        let mut c = Connection::greenhouse_oauth("Acme", "id");
        c.id = "c1".into();
        c.dialect = dialect;
        c
    }

    #[test]
    fn greenhouse_is_asked_for_the_ledgers_records_and_one_it_lacks_is_gone() {
        let store = MemoryStore::default();
        delivered(&store, 11, 1);
        delivered(&store, 12, 2);
        let asked = RefCell::new(vec![]);
        let checked = run(check_duplicates(
            &store,
            &connection(Dialect::Greenhouse),
            "sprout-ada",
            async |known: &[u64]| {
                asked.borrow_mut().extend_from_slice(known);
                Ok::<_, ()>(vec![record(12)])
            },
        ))
        .unwrap();
        assert_eq!(*asked.borrow(), [12, 11], "newest first");
        assert_eq!((checked.looked, checked.ledger_only), (Ok(()), true));
        let gone: Vec<(u64, bool)> = checked.records.iter().map(|r| (r.candidate_id, r.gone)).collect();
        assert_eq!(gone, [(12, false), (11, true)]);
        assert_eq!(checked.records[1].link, "https://app.greenhouse.io/people/11");
    }

    #[test]
    fn a_searchable_server_adds_records_this_browser_never_sent() {
        let store = MemoryStore::default();
        delivered(&store, 11, 1);
        let checked = run(check_duplicates(
            &store,
            &connection(Dialect::Seed),
            "sprout-ada",
            async |_: &[u64]| Ok::<_, ()>(vec![record(99)]),
        ))
        .unwrap();
        assert!(!checked.ledger_only);
        let ids: Vec<(u64, bool, bool)> = checked
            .records
            .iter()
            .map(|r| (r.candidate_id, r.from_ledger, r.gone))
            .collect();
        assert_eq!(
            ids,
            [(11, true, false), (99, false, false)],
            "absent from a search is not gone"
        );
    }

    #[test]
    fn when_the_server_cannot_be_asked_the_ledger_still_answers() {
        let store = MemoryStore::default();
        delivered(&store, 11, 1);
        let checked = run(check_duplicates(
            &store,
            &connection(Dialect::Greenhouse),
            "sprout-ada",
            async |_: &[u64]| Err("forbidden"),
        ))
        .unwrap();
        assert_eq!(checked.looked, Err("forbidden"));
        assert_eq!(checked.records.len(), 1);
        assert!(!checked.records[0].gone, "not asked, so not known to be gone");
    }
}
