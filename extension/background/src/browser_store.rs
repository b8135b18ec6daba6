//! The background's `sprout::state::Store`: where each piece is kept, and who can read it.
//!
//! - `storage.local` (persistent, readable by every extension context including injected content
//!   scripts): the connection settings and the active connection id. Nothing secret.
//! - `storage.session` (memory only, gone when the browser quits; readable only by the extension's
//!   pages and background, never by content scripts unless `setAccessLevel` widens it, which
//!   `restrict_session_storage` pins): access and refresh tokens, the Partner API key, the OAuth
//!   client secret, and who is signed in. Content scripts can read `storage.local` (MDN,
//!   StorageArea.setAccessLevel: "all other storage areas are exposed to all extension contexts,
//!   including content scripts"), so no secret goes there.
//! - IndexedDB of the extension's origin (`indexed_db.rs`; persistent, not reachable from content
//!   scripts, no 10 MB quota): the outbox, the ledger of delivered people, per-connection caches
//!   (jobs and pools, last target, what the role allows), and, unless the connection says
//!   "forget my sign-in when the browser closes", the part of a sign-in that outlives a restart
//!   (`sprout::secrets::Kept`: refresh token, key or client secret, who is signed in; never an
//!   access token).

use std::cell::RefCell;

use sprout::catalog::{Catalog, Freshness};
use sprout::connection::Connection;
use sprout::outbox::{LedgerEntry, Outbox, OutboxItem};
use sprout::protocol::BackgroundPush;
use sprout::reason::Reason;
use sprout::retention::Retention;
use sprout::secrets::Secrets;
use sprout::state::{NotReady, Remembered, Store};
use tokio::sync::Mutex;

use crate::indexed_db::IndexedDb;
use crate::stored;
use sprout_webext::runtime::Port;
use sprout_webext::storage::{self, Area};

const CONNECTIONS: &str = "connections";
const ACTIVE: &str = "active_connection";
/// The retention period, a setting like the connections (nothing about a person).
const RETENTION: &str = "retention";

fn session_key(id: &str) -> String {
    format!("connection_session:{id}")
}

/// `chrome.storage` and the extension's IndexedDB, as the core's decisions see them.
#[derive(Default)]
pub struct BrowserStore {
    db: IndexedDb,
    /// One outbox change at a time: each loads, decides and stores in turn.
    turn: Mutex<()>,
    /// The outbox ports of open popups, told the outbox after each change that was stored.
    watchers: RefCell<Vec<Port>>,
}

impl Store for BrowserStore {
    async fn connections(&self) -> Result<Vec<Connection>, String> {
        Ok(stored::get(Area::Local, CONNECTIONS).await?.unwrap_or_default())
    }

    async fn put_connections(&self, connections: &[Connection]) -> Result<(), String> {
        storage::set(Area::Local, CONNECTIONS, &connections).await
    }

    async fn active(&self) -> Result<Option<String>, String> {
        stored::get(Area::Local, ACTIVE).await
    }

    async fn set_active(&self, id: Option<&str>) -> Result<(), String> {
        match id {
            Some(id) => storage::set(Area::Local, ACTIVE, &id).await,
            None => storage::remove(Area::Local, ACTIVE).await,
        }
    }

    async fn secrets(&self, id: &str) -> Result<Secrets, String> {
        if let Some(secrets) = stored::get(Area::Session, &session_key(id)).await? {
            return Ok(secrets);
        }
        Ok(self
            .db
            .kept(id)
            .await?
            .map(Secrets::from_kept)
            .unwrap_or_default())
    }

    async fn put_secrets(&self, connection: &Connection, secrets: &Secrets) -> Result<(), String> {
        storage::set(Area::Session, &session_key(&connection.id), secrets).await?;
        self.db
            .put_kept(
                &connection.id,
                secrets.to_keep(connection.forget_on_close).as_ref(),
            )
            .await
    }

    async fn forget(&self, id: &str) -> Result<(), String> {
        storage::remove(Area::Session, &session_key(id)).await?;
        self.db.forget_connection(id).await
    }

    async fn change_outbox<R>(&self, change: impl FnOnce(&mut Outbox) -> R) -> Result<R, String> {
        let _turn = self.turn.lock().await;
        let before = self.db.outbox_items().await?;
        let mut outbox = Outbox::from_items(before.clone());
        let result = change(&mut outbox);
        if self.db.save_outbox_changes(&before, &outbox.items).await? {
            // Still in the turn: popups hear the changes in the order they were stored.
            self.tell_watchers(outbox.items);
        }
        Ok(result)
    }

    async fn ledger(&self, connection_id: &str, external_id: &str) -> Result<Vec<LedgerEntry>, String> {
        self.db.ledger(connection_id, external_id).await
    }

    async fn add_to_ledger(&self, entry: &LedgerEntry) -> Result<(), String> {
        self.db.add_to_ledger(entry).await
    }

    async fn prune_ledger(&self, keep: &dyn Fn(&LedgerEntry) -> bool) -> Result<(), String> {
        self.db.prune_ledger(keep).await
    }

    async fn forget_people(&self) -> Result<(), String> {
        self.db.forget_people().await
    }

    async fn retention(&self) -> Result<Retention, String> {
        Ok(stored::get(Area::Local, RETENTION).await?.unwrap_or_default())
    }

    async fn put_retention(&self, retention: Retention) -> Result<(), String> {
        storage::set(Area::Local, RETENTION, &retention).await
    }

    async fn catalog_freshness(&self, connection_id: &str) -> Result<Option<Freshness>, String> {
        self.db.catalog_freshness(connection_id).await
    }

    async fn put_catalog(&self, connection_id: &str, catalog: &Catalog) -> Result<(), String> {
        self.db.put_catalog(connection_id, catalog).await
    }

    async fn remembered(&self, connection_id: &str) -> Result<Remembered, String> {
        self.db.remembered(connection_id).await
    }

    async fn put_remembered(&self, connection_id: &str, remembered: &Remembered) -> Result<(), String> {
        self.db.put_remembered(connection_id, remembered).await
    }
}

impl BrowserStore {
    /// The outbox as stored, without taking a turn (for listing it).
    pub async fn outbox(&self) -> Result<Outbox, String> {
        Ok(Outbox::from_items(self.db.outbox_items().await?))
    }

    /// Tells an open popup's port the outbox now and after every change from here on. In the
    /// turn, so no change falls between the view it gets now and the first one pushed.
    pub async fn watch_outbox(&self, port: Port) -> Result<(), String> {
        let _turn = self.turn.lock().await;
        let items = self.db.outbox_items().await?;
        port.post(&BackgroundPush::outbox(items))?;
        self.watchers.borrow_mut().push(port);
        Ok(())
    }

    /// Posts the outbox to every watching port. A port the popup closed refuses the message and is
    /// let go: the browser throws on a closed port, which is all there is to know.
    fn tell_watchers(&self, items: Vec<OutboxItem>) {
        let mut watchers = self.watchers.borrow_mut();
        if watchers.is_empty() {
            return;
        }
        let push = BackgroundPush::outbox(items);
        watchers.retain(|port| port.post(&push).is_ok());
    }

    /// One connection as stored, valid or not (what an edit starts from).
    pub async fn stored_connection(&self, id: &str) -> Result<Connection, Reason> {
        self.connections()
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(Reason::ConnectionGone)
    }

    /// One connection, checked again before it is used.
    pub async fn connection(&self, id: &str) -> Result<Connection, Reason> {
        let connection = self.stored_connection(id).await?;
        usable(&connection).map_err(|why| Reason::NotReady { why })?;
        Ok(connection)
    }
}

/// Refuses a stored connection that would not pass the options page's checks today.
pub fn usable(connection: &Connection) -> Result<(), NotReady> {
    connection.validate_stored().map_err(|why| {
        web_sys::console::error_1(
            &format!(
                "sprout: stored connection {:?} is not valid: {why:?}",
                connection.id
            )
            .into(),
        );
        NotReady::Unusable { problem: why }
    })
}
