//! The capture flow's persistent state, in the extension's own IndexedDB: the outbox (an item may
//! carry a 5 MB CV), the ledger of delivered people, per-connection caches, and the part of a
//! sign-in kept across browser restarts (refresh token, key, who is signed in). IndexedDB belongs
//! to the extension's origin, so a content script (which runs in the web page's origin) cannot
//! open it, unlike `storage.local`; and it is not held to `storage.local`'s 10 MB quota.

use std::cell::RefCell;
use std::rc::Rc;

use idb::{Database, KeyRange, Query, TransactionMode};
use js_sys::Array;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;
use sprout::catalog::{Catalog, Freshness};
use sprout::outbox::{LedgerEntry, OutboxItem};
use sprout::secrets::Kept;
use sprout::state::Remembered;
use sprout_webext::indexed_db::{self, CATALOG, KEPT, LEDGER, OUTBOX, SETTINGS, failed, freshness_key};
use sprout_webext::to_js;
use wasm_bindgen::JsValue;

use crate::stored;

/// The extension's IndexedDB, held open for the worker's life once first used.
#[derive(Default)]
pub struct IndexedDb {
    open: RefCell<Option<Rc<Database>>>,
}

impl IndexedDb {
    /// The database, opened (and created or upgraded) once per worker life.
    async fn database(&self) -> Result<Rc<Database>, String> {
        if let Some(db) = self.open.borrow().clone() {
            return Ok(db);
        }
        let db = Rc::new(indexed_db::open().await?);
        *self.open.borrow_mut() = Some(db.clone());
        Ok(db)
    }

    async fn get<T: DeserializeOwned>(&self, store: &str, key: JsValue) -> Result<Option<T>, String> {
        Ok(stored::shaped(
            indexed_db::get(&*self.database().await?, store, key).await?,
        ))
    }

    async fn get_all<T: DeserializeOwned>(&self, store: &str) -> Result<Vec<T>, String> {
        let values: Vec<Value> = indexed_db::get_all(&*self.database().await?, store).await?;
        values.into_iter().map(stored::typed).collect()
    }

    /// Writes and deletes in one transaction, and returns only once it has committed.
    async fn write(
        &self,
        store: &str,
        puts: &[(JsValue, JsValue)],
        deletes: Vec<Query>,
    ) -> Result<(), String> {
        let db = self.database().await?;
        let (tx, objects) = indexed_db::store_in(&db, store, TransactionMode::ReadWrite)?;
        for (key, value) in puts {
            objects
                .put(value, Some(key))
                .map_err(failed)?
                .await
                .map_err(failed)?;
        }
        for query in deletes {
            objects.delete(query).map_err(failed)?.await.map_err(failed)?;
        }
        let result = tx.commit().map_err(failed)?.await.map_err(failed)?;
        if result.is_committed() {
            Ok(())
        } else {
            Err("IndexedDB: the change was rolled back".into())
        }
    }

    async fn put<T: Serialize>(&self, store: &str, key: JsValue, value: &T) -> Result<(), String> {
        self.write(store, &[(key, to_js(value)?)], vec![]).await
    }

    pub async fn outbox_items(&self) -> Result<Vec<OutboxItem>, String> {
        self.get_all(OUTBOX).await
    }

    /// Stores every item of `after` that differs from `before`, and deletes those no longer there;
    /// true when anything was written.
    pub async fn save_outbox_changes(
        &self,
        before: &[OutboxItem],
        after: &[OutboxItem],
    ) -> Result<bool, String> {
        let mut puts = Vec::new();
        for item in after {
            if before.iter().find(|b| b.id == item.id) != Some(item) {
                puts.push((JsValue::from(&item.id), to_js(item)?));
            }
        }
        let deletes: Vec<Query> = before
            .iter()
            .filter(|b| !after.iter().any(|a| a.id == b.id))
            .map(|b| JsValue::from(&b.id).into())
            .collect();
        if puts.is_empty() && deletes.is_empty() {
            return Ok(false);
        }
        self.write(OUTBOX, &puts, deletes).await.map(|()| true)
    }

    /// What this browser has delivered for one person, newest first.
    pub async fn ledger(&self, connection_id: &str, external_id: &str) -> Result<Vec<LedgerEntry>, String> {
        let mut entries: Vec<LedgerEntry> = self
            .get(LEDGER, ledger_key(connection_id, external_id))
            .await?
            .unwrap_or_default();
        entries.sort_by_key(|e| std::cmp::Reverse(e.at_ms));
        Ok(entries)
    }

    /// Adds a delivery to the ledger (replacing an earlier entry for the same Greenhouse record).
    pub async fn add_to_ledger(&self, entry: &LedgerEntry) -> Result<(), String> {
        let mut entries = self.ledger(&entry.connection_id, &entry.external_id).await?;
        entries.retain(|e| e.candidate_id != entry.candidate_id);
        entries.push(entry.clone());
        self.put(
            LEDGER,
            ledger_key(&entry.connection_id, &entry.external_id),
            &entries,
        )
        .await
    }

    /// When the connection's lists were fetched, from the small record beside them; lists cached
    /// before that record was kept are read whole, until the next fetch writes it.
    pub async fn catalog_freshness(&self, connection_id: &str) -> Result<Option<Freshness>, String> {
        if let Some(freshness) = self.get(CATALOG, freshness_key(connection_id)).await? {
            return Ok(Some(freshness));
        }
        let catalog: Option<Catalog> = self.get(CATALOG, connection_id.into()).await?;
        Ok(catalog.as_ref().map(Catalog::freshness))
    }

    /// The lists and their freshness, in one transaction: neither is ever there without the other.
    pub async fn put_catalog(&self, connection_id: &str, catalog: &Catalog) -> Result<(), String> {
        let puts = [
            (connection_id.into(), to_js(catalog)?),
            (freshness_key(connection_id), to_js(&catalog.freshness())?),
        ];
        self.write(CATALOG, &puts, vec![]).await
    }

    pub async fn remembered(&self, connection_id: &str) -> Result<Remembered, String> {
        Ok(self
            .get(SETTINGS, connection_id.into())
            .await?
            .unwrap_or_default())
    }

    pub async fn put_remembered(&self, connection_id: &str, remembered: &Remembered) -> Result<(), String> {
        self.put(SETTINGS, connection_id.into(), remembered).await
    }

    pub async fn kept(&self, connection_id: &str) -> Result<Option<Kept>, String> {
        self.get(KEPT, connection_id.into()).await
    }

    /// Keeps `kept` for the connection, or deletes what was kept when `None`.
    pub async fn put_kept(&self, connection_id: &str, kept: Option<&Kept>) -> Result<(), String> {
        match kept {
            Some(kept) => self.put(KEPT, connection_id.into(), kept).await,
            None => {
                self.write(KEPT, &[], vec![JsValue::from(connection_id).into()])
                    .await
            }
        }
    }

    /// Keeps only the ledger entries `keep` accepts; a person with none left loses their key.
    pub async fn prune_ledger(&self, keep: &dyn Fn(&LedgerEntry) -> bool) -> Result<(), String> {
        let db = self.database().await?;
        let (_tx, store) = indexed_db::store_in(&db, LEDGER, TransactionMode::ReadOnly)?;
        // Both lists come in key order, so they pair up.
        let keys = store
            .get_all_keys(None, None)
            .map_err(failed)?
            .await
            .map_err(failed)?;
        let values = store.get_all(None, None).map_err(failed)?.await.map_err(failed)?;
        let (mut puts, mut deletes) = (Vec::new(), Vec::new());
        for (key, value) in keys.into_iter().zip(values) {
            // A value of an older shape stays; `ledger` reads it as absent anyway.
            let Ok(entries) = stored::decode::<Vec<LedgerEntry>>(value) else {
                continue;
            };
            let kept: Vec<LedgerEntry> = entries.iter().filter(|e| keep(e)).cloned().collect();
            if kept.len() == entries.len() {
                continue;
            }
            if kept.is_empty() {
                deletes.push(Query::from(key));
            } else {
                puts.push((key, to_js(&kept)?));
            }
        }
        if puts.is_empty() && deletes.is_empty() {
            return Ok(());
        }
        self.write(LEDGER, &puts, deletes).await
    }

    /// Empties the ledger, the lists and the remembered choices of every connection.
    pub async fn forget_people(&self) -> Result<(), String> {
        for store in [LEDGER, CATALOG, SETTINGS] {
            let db = self.database().await?;
            let (tx, objects) = indexed_db::store_in(&db, store, TransactionMode::ReadWrite)?;
            objects.clear().map_err(failed)?.await.map_err(failed)?;
            let result = tx.commit().map_err(failed)?.await.map_err(failed)?;
            if !result.is_committed() {
                return Err("Sprout could not use its storage: the change was rolled back.".into());
            }
        }
        Ok(())
    }

    /// Drops a removed connection's kept sign-in, lists, settings and ledger (the outbox keeps its
    /// items, failed).
    pub async fn forget_connection(&self, connection_id: &str) -> Result<(), String> {
        let id = JsValue::from(connection_id);
        self.write(KEPT, &[], vec![id.clone().into()]).await?;
        let lists = vec![id.clone().into(), freshness_key(connection_id).into()];
        self.write(CATALOG, &[], lists).await?;
        self.write(SETTINGS, &[], vec![id.clone().into()]).await?;
        // Every [connection_id, …] key: a longer array sorts after its prefix, and any array sorts
        // after every string, so [id, []] bounds all of them.
        let lower: JsValue = Array::of1(&id).into();
        let upper: JsValue = Array::of2(&id, &Array::new()).into();
        let range = KeyRange::bound(&lower, &upper, None, None).map_err(failed)?;
        self.write(LEDGER, &[], vec![range.into()]).await
    }
}

fn ledger_key(connection_id: &str, external_id: &str) -> JsValue {
    Array::of2(&connection_id.into(), &external_id.into()).into()
}
