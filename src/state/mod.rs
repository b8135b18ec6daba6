//! What Sprout keeps between calls, behind one trait, and the decisions made over it (editing
//! connections, refreshing a sign-in, the recruiter's requests on the outbox and its drain, when
//! to fetch the catalog again, "already in Greenhouse?", tracking links): the background
//! implements [`Store`] with `chrome.storage` and IndexedDB, the tests in memory.

mod catalog;
mod connections;
mod delivery;
mod duplicates;
#[cfg(test)]
mod memory;
mod requests;
mod retention;
mod signin;
mod tracking;

pub use catalog::{CatalogFetches, Fetch};
pub use connections::{forget_connection, save_connection};
pub use delivery::{Delivery, DrainTurns, Planned, attempt, finish, plan, put_back};
pub use duplicates::{Checked, check_duplicates};
pub use requests::{Queued, Refused, discard, retry, submit, usable_connection};
pub use retention::{FORGET_CONFIRMATION, apply_retention, forget_everything, set_retention};
pub use signin::{Failure, NotReady, Work, authorized, boxing};
pub use tracking::create_tracking_link;

use std::future::Future;

use serde::{Deserialize, Serialize};

use crate::capture::Target;
use crate::catalog::{Catalog, Freshness};
use crate::connection::Connection;
use crate::outbox::{LedgerEntry, Outbox};
use crate::protocol::Ability;
use crate::retention::Retention;
use crate::secrets::Secrets;

/// What Sprout remembers about a connection besides its lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Remembered {
    /// Where the recruiter sent the last capture, to start from there next time.
    #[serde(default)]
    pub last_target: Option<Target>,
    /// How the form named that target (e.g. "Engineering Talent: Sourced"), so it can show it
    /// before the lists that name it arrive.
    #[serde(default)]
    pub last_target_label: Option<String>,
    #[serde(default)]
    pub tracking_links: Ability,
}

/// Everything Sprout keeps. Errors are sentences for the recruiter ("could not use its storage").
/// Futures are not `Send`: the browser runs everything on one thread.
pub trait Store {
    /// Every stored connection, as stored (check with `Connection::validate_stored` before use).
    fn connections(&self) -> impl Future<Output = Result<Vec<Connection>, String>>;
    fn put_connections(&self, connections: &[Connection]) -> impl Future<Output = Result<(), String>>;
    fn active(&self) -> impl Future<Output = Result<Option<String>, String>>;
    /// Chooses the active connection, or none.
    fn set_active(&self, id: Option<&str>) -> impl Future<Output = Result<(), String>>;

    /// A connection's secrets (this session's, or after a restart what was kept of them).
    fn secrets(&self, id: &str) -> impl Future<Output = Result<Secrets, String>>;
    /// Stores them for this session and keeps their lasting part unless the connection forgets
    /// on close ([`Secrets::to_keep`]).
    fn put_secrets(
        &self,
        connection: &Connection,
        secrets: &Secrets,
    ) -> impl Future<Output = Result<(), String>>;
    /// Drops everything kept for a connection besides its settings and outbox items: secrets,
    /// caches, remembered choices, ledger.
    fn forget(&self, id: &str) -> impl Future<Output = Result<(), String>>;

    /// Loads the outbox, lets `change` decide, and stores every item it changed before returning;
    /// one change at a time, so two cannot both take the same sequence number.
    fn change_outbox<R>(
        &self,
        change: impl FnOnce(&mut Outbox) -> R,
    ) -> impl Future<Output = Result<R, String>>;
    /// What this browser has delivered for one person, newest first.
    fn ledger(
        &self,
        connection_id: &str,
        external_id: &str,
    ) -> impl Future<Output = Result<Vec<LedgerEntry>, String>>;
    /// Adds a delivery (replacing an earlier entry for the same Greenhouse record).
    fn add_to_ledger(&self, entry: &LedgerEntry) -> impl Future<Output = Result<(), String>>;
    /// Keeps only the ledger entries `keep` accepts, across every connection and person.
    fn prune_ledger(&self, keep: &dyn Fn(&LedgerEntry) -> bool) -> impl Future<Output = Result<(), String>>;
    /// Drops the whole ledger and every connection's lists and remembered choices.
    fn forget_people(&self) -> impl Future<Output = Result<(), String>>;

    /// How long the ledger and finished outbox items are kept.
    fn retention(&self) -> impl Future<Output = Result<Retention, String>>;
    fn put_retention(&self, retention: Retention) -> impl Future<Output = Result<(), String>>;

    /// When the connection's cached lists were fetched (`None`: none cached), without reading them.
    fn catalog_freshness(
        &self,
        connection_id: &str,
    ) -> impl Future<Output = Result<Option<Freshness>, String>>;
    /// Caches the lists and, in the same write, their freshness.
    fn put_catalog(&self, connection_id: &str, catalog: &Catalog)
    -> impl Future<Output = Result<(), String>>;
    fn remembered(&self, connection_id: &str) -> impl Future<Output = Result<Remembered, String>>;
    fn put_remembered(
        &self,
        connection_id: &str,
        remembered: &Remembered,
    ) -> impl Future<Output = Result<(), String>>;
}
