//! The extension's IndexedDB as both pages open and read it: the background owns what is in it, and
//! the popup reads the cached job and pool lists itself rather than have them copied through one
//! runtime message. One schema, so whichever page opens the database first creates the same one.

use idb::builder::ObjectStoreBuilder;
use idb::{Database, ObjectStore, Transaction, TransactionMode};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use crate::from_js;

const NAME: &str = "sprout";
/// 2 added the `kept` store; the builder creates what is missing and keeps the other stores.
/// 3: outbox items hold reasons instead of sentences. No store changes: an item version 2 wrote
/// reads into the new shape through the core (`ItemState`'s stored form) and is written in it at
/// its next change; the higher version keeps an older Sprout from opening items it cannot read.
const VERSION: u32 = 3;
/// Outbox items, keyed by item id.
pub const OUTBOX: &str = "outbox";
/// Lists of `LedgerEntry`, keyed by `[connection_id, external_id]`.
pub const LEDGER: &str = "ledger";
/// One `Catalog` per connection id, and beside it its `Freshness` ([`freshness_key`]).
pub const CATALOG: &str = "catalog";
/// One `sprout::state::Remembered` per connection id.
pub const SETTINGS: &str = "settings";
/// One `sprout::secrets::Kept` per connection id (never an access token).
pub const KEPT: &str = "kept";

/// Where a connection's `sprout::catalog::Freshness` is kept in [`CATALOG`], written with its
/// lists: `[connection_id, "freshness"]`. An array key sorts after every string key, so it never
/// meets a connection's lists, and no store or version changes: a database that has lists but no
/// freshness yet (written before it was kept) is read the old way until the next fetch.
pub fn freshness_key(connection_id: &str) -> JsValue {
    js_sys::Array::of2(&connection_id.into(), &"freshness".into()).into()
}

pub fn failed(e: idb::Error) -> String {
    format!("IndexedDB: {e}")
}

/// Opens the database, creating or upgrading it (an open connection closes itself when another
/// page upgrades it).
pub async fn open() -> Result<Database, String> {
    Database::builder(NAME)
        .version(VERSION)
        .add_object_store(ObjectStoreBuilder::new(OUTBOX))
        .add_object_store(ObjectStoreBuilder::new(LEDGER))
        .add_object_store(ObjectStoreBuilder::new(CATALOG))
        .add_object_store(ObjectStoreBuilder::new(SETTINGS))
        .add_object_store(ObjectStoreBuilder::new(KEPT))
        .build()
        .await
        .map_err(failed)
}

/// `store` in a new transaction of its own; the transaction is handed back too, for a writer to
/// commit.
pub fn store_in(
    db: &Database,
    store: &str,
    mode: TransactionMode,
) -> Result<(Transaction, ObjectStore), String> {
    let tx = db.transaction(&[store], mode).map_err(failed)?;
    let objects = tx.object_store(store).map_err(failed)?;
    Ok((tx, objects))
}

/// The value under `key`; a value of an older shape reads as absent rather than failing the flow.
pub async fn get<T: DeserializeOwned>(db: &Database, store: &str, key: JsValue) -> Result<Option<T>, String> {
    let (_tx, objects) = store_in(db, store, TransactionMode::ReadOnly)?;
    let value = objects.get(key).map_err(failed)?.await.map_err(failed)?;
    Ok(value.and_then(|v| from_js(v).ok()))
}

/// Every value of the store, in key order.
pub async fn get_all<T: DeserializeOwned>(db: &Database, store: &str) -> Result<Vec<T>, String> {
    let (_tx, objects) = store_in(db, store, TransactionMode::ReadOnly)?;
    let values = objects
        .get_all(None, None)
        .map_err(failed)?
        .await
        .map_err(failed)?;
    values.into_iter().map(from_js).collect()
}
