//! Applies the retention period (`sprout::retention`) whenever the worker starts or wakes, and
//! "forget everything" from the options page: what this browser knows of people is not kept forever.

use idb::{Database, Factory, Query, TransactionMode};
use sprout::api::Clock;
use sprout::outbox::LedgerEntry;
use sprout::protocol::BackgroundToOptions;
use sprout::retention::{Retention, finished_items};
use sprout_webext::{from_js, to_js};

use crate::host::Browser;
use crate::outbox::with_outbox;
use crate::webext::{self, Area};
use crate::{account, store};

/// Where the period is kept, beside the connections in `storage.local`.
const SETTING: &str = "retention";
/// The extension's database and the stores this file prunes or clears, as `storage.rs` names
/// them; storage.rs opens (creates, upgrades) the database, this file only opens it as it is.
const DATABASE: &str = "sprout";
const LEDGER: &str = "ledger";
const CATALOG: &str = "catalog";
const SETTINGS: &str = "settings";
/// What the recruiter types to confirm "forget everything".
const CONFIRMATION: &str = "FORGET";

pub async fn setting() -> Result<Retention, String> {
    Ok(webext::get(Area::Local, SETTING).await?.unwrap_or_default())
}

/// Stores a new period and applies it at once.
pub async fn set(days: u32) -> Result<(), String> {
    let retention = Retention::new(days).ok_or_else(|| {
        format!(
            "Enter a number of days from {} to {}.",
            Retention::MIN_DAYS,
            Retention::MAX_DAYS
        )
    })?;
    webext::set(Area::Local, SETTING, &retention).await?;
    apply().await
}

/// [`apply`] when the worker starts or wakes; a failure is logged, and the next wake tries again.
pub async fn on_wake() {
    if let Err(e) = apply().await {
        web_sys::console::error_1(&format!("sprout: could not apply the retention period: {e}").into());
    }
}

/// Drops the finished outbox items and ledger entries older than the period.
async fn apply() -> Result<(), String> {
    let retention = setting().await?;
    let now = Browser.now_ms();
    // Through the outbox's lock, which also opens the database before `open` below reads it.
    with_outbox(|o| o.remove(&retention.expired_items(o, now))).await?;
    prune_ledger(retention, now).await
}

/// Forgets the finished outbox items, the ledger, the per-connection caches and remembered
/// choices, and every sign-in (in this session and kept on disk). The connections and their keys
/// stay, and so do captures still queued or in flight: they are the recruiter's work in progress.
pub async fn forget_everything(confirmation: &str) -> Result<(), String> {
    if confirmation != CONFIRMATION {
        return Err(format!("Type {CONFIRMATION} (in capitals) to forget everything."));
    }
    with_outbox(|o| o.remove(&finished_items(o))).await?;
    let db = open().await?;
    let cleared = clear(&db, &[LEDGER, CATALOG, SETTINGS]).await;
    db.close();
    cleared?;
    for connection in store::connections().await? {
        account::sign_out(&connection.id).await?;
    }
    Ok(())
}

/// The options page's answer: the period now in force, or why the request failed.
pub async fn answer(served: Result<(), String>) -> BackgroundToOptions {
    match served.and(setting().await) {
        Ok(retention) => BackgroundToOptions::Retention { days: retention.days },
        Err(message) => BackgroundToOptions::Failed { message },
    }
}

fn failed(e: idb::Error) -> String {
    format!("Sprout could not use its storage: {e}")
}

async fn open() -> Result<Database, String> {
    Factory::new()
        .map_err(failed)?
        .open(DATABASE, None)
        .map_err(failed)?
        .await
        .map_err(failed)
}

async fn clear(db: &Database, stores: &[&str]) -> Result<(), String> {
    let tx = db
        .transaction(stores, TransactionMode::ReadWrite)
        .map_err(failed)?;
    for name in stores {
        let store = tx.object_store(name).map_err(failed)?;
        store.clear().map_err(failed)?.await.map_err(failed)?;
    }
    commit(tx).await
}

/// Each ledger key holds one person's deliveries: keeps those within the period, and deletes the
/// key when none is left.
async fn prune_ledger(retention: Retention, now: u64) -> Result<(), String> {
    let db = open().await?;
    let pruned = async {
        let tx = db
            .transaction(&[LEDGER], TransactionMode::ReadWrite)
            .map_err(failed)?;
        let store = tx.object_store(LEDGER).map_err(failed)?;
        // Both lists come in key order, so they pair up.
        let keys = store
            .get_all_keys(None, None)
            .map_err(failed)?
            .await
            .map_err(failed)?;
        let values = store.get_all(None, None).map_err(failed)?.await.map_err(failed)?;
        for (key, value) in keys.into_iter().zip(values) {
            // A value of an older shape stays; storage.rs reads it as absent anyway.
            let Ok(entries) = from_js::<Vec<LedgerEntry>>(value) else {
                continue;
            };
            let kept: Vec<LedgerEntry> = entries
                .iter()
                .filter(|e| retention.keeps_entry(e, now))
                .cloned()
                .collect();
            if kept.len() == entries.len() {
                continue;
            }
            if kept.is_empty() {
                store
                    .delete(Query::from(key))
                    .map_err(failed)?
                    .await
                    .map_err(failed)?;
            } else {
                store
                    .put(&to_js(&kept)?, Some(&key))
                    .map_err(failed)?
                    .await
                    .map_err(failed)?;
            }
        }
        commit(tx).await
    }
    .await;
    db.close();
    pruned
}

async fn commit(tx: idb::Transaction) -> Result<(), String> {
    let result = tx.commit().map_err(failed)?.await.map_err(failed)?;
    if result.is_committed() {
        Ok(())
    } else {
        Err("Sprout could not use its storage: the change was rolled back.".into())
    }
}
