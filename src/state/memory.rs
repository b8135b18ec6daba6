//! The in-memory [`Store`] the core's tests run the decisions over.

use std::cell::RefCell;
use std::collections::HashMap;

use super::{Remembered, Store};
use crate::catalog::{Catalog, Freshness};
use crate::connection::Connection;
use crate::outbox::{LedgerEntry, Outbox, OutboxItem};
use crate::retention::Retention;
use crate::secrets::Secrets;

#[derive(Debug, Default)]
pub struct MemoryStore {
    pub connections: RefCell<Vec<Connection>>,
    pub active: RefCell<Option<String>>,
    pub secrets: RefCell<HashMap<String, Secrets>>,
    pub items: RefCell<Vec<OutboxItem>>,
    pub ledger: RefCell<Vec<LedgerEntry>>,
    pub catalogs: RefCell<HashMap<String, Catalog>>,
    pub remembered: RefCell<HashMap<String, Remembered>>,
    pub retention: RefCell<Option<Retention>>,
}

impl Store for MemoryStore {
    async fn connections(&self) -> Result<Vec<Connection>, String> {
        Ok(self.connections.borrow().clone())
    }

    async fn put_connections(&self, connections: &[Connection]) -> Result<(), String> {
        *self.connections.borrow_mut() = connections.to_vec();
        Ok(())
    }

    async fn active(&self) -> Result<Option<String>, String> {
        Ok(self.active.borrow().clone())
    }

    async fn set_active(&self, id: Option<&str>) -> Result<(), String> {
        *self.active.borrow_mut() = id.map(str::to_owned);
        Ok(())
    }

    async fn secrets(&self, id: &str) -> Result<Secrets, String> {
        Ok(self.secrets.borrow().get(id).cloned().unwrap_or_default())
    }

    async fn put_secrets(&self, connection: &Connection, secrets: &Secrets) -> Result<(), String> {
        self.secrets
            .borrow_mut()
            .insert(connection.id.clone(), secrets.clone());
        Ok(())
    }

    async fn forget(&self, id: &str) -> Result<(), String> {
        self.secrets.borrow_mut().remove(id);
        self.catalogs.borrow_mut().remove(id);
        self.remembered.borrow_mut().remove(id);
        self.ledger.borrow_mut().retain(|e| e.connection_id != id);
        Ok(())
    }

    async fn change_outbox<R>(&self, change: impl FnOnce(&mut Outbox) -> R) -> Result<R, String> {
        let mut outbox = Outbox::from_items(self.items.borrow().clone());
        let result = change(&mut outbox);
        *self.items.borrow_mut() = outbox.items;
        Ok(result)
    }

    async fn ledger(&self, connection_id: &str, external_id: &str) -> Result<Vec<LedgerEntry>, String> {
        let mut entries: Vec<LedgerEntry> = self
            .ledger
            .borrow()
            .iter()
            .filter(|e| e.connection_id == connection_id && e.external_id == external_id)
            .cloned()
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.at_ms));
        Ok(entries)
    }

    async fn add_to_ledger(&self, entry: &LedgerEntry) -> Result<(), String> {
        let mut ledger = self.ledger.borrow_mut();
        ledger.retain(|e| {
            (&e.connection_id, &e.external_id, e.candidate_id)
                != (&entry.connection_id, &entry.external_id, entry.candidate_id)
        });
        ledger.push(entry.clone());
        Ok(())
    }

    async fn prune_ledger(&self, keep: &dyn Fn(&LedgerEntry) -> bool) -> Result<(), String> {
        self.ledger.borrow_mut().retain(|e| keep(e));
        Ok(())
    }

    async fn forget_people(&self) -> Result<(), String> {
        self.ledger.borrow_mut().clear();
        self.catalogs.borrow_mut().clear();
        self.remembered.borrow_mut().clear();
        Ok(())
    }

    async fn retention(&self) -> Result<Retention, String> {
        Ok(self.retention.borrow().unwrap_or_default())
    }

    async fn put_retention(&self, retention: Retention) -> Result<(), String> {
        *self.retention.borrow_mut() = Some(retention);
        Ok(())
    }

    async fn catalog_freshness(&self, connection_id: &str) -> Result<Option<Freshness>, String> {
        Ok(self.catalogs.borrow().get(connection_id).map(Catalog::freshness))
    }

    async fn put_catalog(&self, connection_id: &str, catalog: &Catalog) -> Result<(), String> {
        self.catalogs
            .borrow_mut()
            .insert(connection_id.to_owned(), catalog.clone());
        Ok(())
    }

    async fn remembered(&self, connection_id: &str) -> Result<Remembered, String> {
        Ok(self
            .remembered
            .borrow()
            .get(connection_id)
            .cloned()
            .unwrap_or_default())
    }

    async fn put_remembered(&self, connection_id: &str, remembered: &Remembered) -> Result<(), String> {
        self.remembered
            .borrow_mut()
            .insert(connection_id.to_owned(), remembered.clone());
        Ok(())
    }
}

/// Everything over this store completes without waking, so one poll is enough.
pub fn run<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    match std::pin::pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("in-memory futures never wait"),
    }
}
