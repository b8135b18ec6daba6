//! The retention period applied over the [`Store`], and "forget everything": what this browser
//! knows of the people it sent is not kept forever, and can be dropped at once.

use super::Store;
use crate::reason::Reason;
use crate::retention::{Retention, finished_items};
use crate::secrets::Secrets;

/// What the recruiter types to confirm "forget everything".
pub const FORGET_CONFIRMATION: &str = "FORGET";

/// Drops the finished outbox items and ledger entries older than the stored period.
pub async fn apply_retention(store: &impl Store, now_ms: u64) -> Result<(), String> {
    let retention = store.retention().await?;
    store
        .change_outbox(|o| o.remove(&retention.expired_items(o, now_ms)))
        .await?;
    store.prune_ledger(&|e| retention.keeps_entry(e, now_ms)).await
}

/// Stores a new period and applies it at once.
pub async fn set_retention(store: &impl Store, days: u32, now_ms: u64) -> Result<Retention, Reason> {
    let retention = Retention::new(days).ok_or(Reason::RetentionOutOfRange {
        min: Retention::MIN_DAYS,
        max: Retention::MAX_DAYS,
    })?;
    store.put_retention(retention).await?;
    apply_retention(store, now_ms).await?;
    Ok(retention)
}

/// Forgets the finished outbox items, the ledger, every connection's lists and remembered choices,
/// and every sign-in (in this session and kept on disk). The connections and their keys stay, and
/// so do captures still queued or in flight: they are the recruiter's work in progress.
pub async fn forget_everything(store: &impl Store, confirmation: &str) -> Result<(), Reason> {
    if confirmation != FORGET_CONFIRMATION {
        return Err(Reason::ConfirmForget);
    }
    store.change_outbox(|o| o.remove(&finished_items(o))).await?;
    store.forget_people().await?;
    for connection in store.connections().await? {
        let secrets = store.secrets(&connection.id).await?;
        let signed_out = Secrets {
            secret: secrets.secret,
            ..Secrets::default()
        };
        store.put_secrets(&connection, &signed_out).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::LedgerEntry;
    use crate::state::memory::{MemoryStore, run};

    const DAY: u64 = 24 * 60 * 60 * 1000;

    fn entry(candidate_id: u64, at_ms: u64) -> LedgerEntry {
        LedgerEntry {
            connection_id: "c1".into(),
            external_id: format!("sprout-{candidate_id}"),
            candidate_id,
            name: "Ada Lovelace".into(),
            link: String::new(),
            target_label: String::new(),
            at_ms,
        }
    }

    #[test]
    fn the_stored_period_decides_which_ledger_entries_go() {
        let store = MemoryStore::default();
        let now = 400 * DAY;
        store
            .ledger
            .borrow_mut()
            .extend([entry(1, now - 100 * DAY), entry(2, now - 20 * DAY)]);
        run(apply_retention(&store, now)).unwrap();
        let kept: Vec<u64> = store.ledger.borrow().iter().map(|e| e.candidate_id).collect();
        assert_eq!(kept, [2], "90 days by default");
        run(set_retention(&store, 10, now)).unwrap();
        assert!(
            store.ledger.borrow().is_empty(),
            "a shorter period applies at once"
        );
        assert_eq!(run(store.retention()).unwrap().days, 10);
    }

    #[test]
    fn a_period_out_of_bounds_is_refused_and_nothing_changes() {
        let store = MemoryStore::default();
        store.ledger.borrow_mut().push(entry(1, 0));
        assert_eq!(
            run(set_retention(&store, 0, 400 * DAY)),
            Err(Reason::RetentionOutOfRange { min: 1, max: 3650 })
        );
        assert_eq!(run(store.retention()).unwrap(), Retention::default());
        assert_eq!(store.ledger.borrow().len(), 1);
    }

    #[test]
    fn forgetting_everything_needs_the_word_and_keeps_connections_and_keys() {
        use crate::api::{Dialect, GREENHOUSE_BASE_URL};
        use crate::connection::{AuthSettings, Connection};
        use crate::oauth::Tokens;
        let store = MemoryStore::default();
        let connection = Connection {
            id: "c1".into(),
            caption: "c1".into(),
            api_base_url: GREENHOUSE_BASE_URL.into(),
            dialect: Dialect::Greenhouse,
            auth: AuthSettings::PartnerKey {
                on_behalf_of: "ada@acme.com".into(),
            },
            forget_on_close: false,
        };
        store.connections.borrow_mut().push(connection.clone());
        let secrets = Secrets {
            tokens: Some(Tokens {
                access_token: "access".into(),
                refresh_token: Some("refresh".into()),
                expires_at_ms: None,
                issued_at_ms: 0,
                scope: None,
            }),
            secret: Some("partner-key".into()),
            ..Secrets::default()
        };
        run(store.put_secrets(&connection, &secrets)).unwrap();
        store.ledger.borrow_mut().push(entry(1, 0));

        assert_eq!(
            run(forget_everything(&store, "forget")),
            Err(Reason::ConfirmForget)
        );
        assert_eq!(store.ledger.borrow().len(), 1, "nothing goes without the word");

        run(forget_everything(&store, FORGET_CONFIRMATION)).unwrap();
        assert!(store.ledger.borrow().is_empty());
        let after = run(store.secrets("c1")).unwrap();
        assert_eq!(after.tokens, None, "signed out");
        assert_eq!(after.secret.as_deref(), Some("partner-key"));
        assert_eq!(store.connections.borrow().len(), 1);
    }
}
