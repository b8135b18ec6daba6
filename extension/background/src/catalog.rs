//! Jobs and pools for the popup: how fresh the cache is (the popup reads the lists from it itself),
//! refreshed from Greenhouse afterwards when `sprout::state::CatalogFetches` says so; and the small
//! state the form shows before the lists.

use std::rc::Rc;

use sprout::api::{Clock, ListJobs, ListProspectPools};
use sprout::catalog::Catalog;
use sprout::connection::Connection;
use sprout::reason::Reason;
use sprout::request::{CatalogAnswer, FormDefaults};
use sprout::state::{Fetch, Store};
use wasm_bindgen_futures::spawn_local;

use crate::Worker;
use crate::account;
use crate::host::Browser;

pub async fn answer(
    worker: Rc<Worker>,
    connection_id: String,
    refresh: bool,
) -> Result<CatalogAnswer, Reason> {
    let store = &worker.store;
    let connection = store.connection(&connection_id).await?;
    let catalog = store.catalog(&connection_id).await?;
    let look = worker
        .fetches
        .borrow_mut()
        .look(&connection_id, catalog.as_ref(), refresh, Browser.now_ms());
    if look == Fetch::Start {
        spawn_local(fetch(worker.clone(), connection));
    }
    let error = worker.fetches.borrow().failure(&connection_id).cloned();
    Ok(CatalogAnswer {
        connection_id,
        fetched_at_ms: catalog.map(|c| c.fetched_at_ms),
        refreshing: look != Fetch::No,
        error,
    })
}

/// Last time's target and who is signed in: no list is read for it, so it is answered at once.
pub async fn defaults(store: &impl Store, connection_id: String) -> Result<FormDefaults, Reason> {
    let remembered = store.remembered(&connection_id).await?;
    let user = store.secrets(&connection_id).await.ok().and_then(|s| s.user);
    Ok(FormDefaults {
        last_target: remembered.last_target,
        last_target_label: remembered.last_target_label,
        tracking_links: remembered.tracking_links,
        user_id: user.as_ref().and_then(|u| u.id),
        user_email: user.map(|u| u.email).filter(|e| !e.is_empty()),
    })
}

async fn fetch(worker: Rc<Worker>, connection: Connection) {
    let store = &worker.store;
    let fetched = async {
        let jobs = account::call(store, &connection, &ListJobs).await?;
        let pools = account::call(store, &connection, &ListProspectPools).await?;
        let catalog = Catalog::from_api(jobs, pools, Browser.now_ms());
        Ok(store.put_catalog(&connection.id, &catalog).await?)
    }
    .await;
    worker
        .fetches
        .borrow_mut()
        .finished(&connection.id, fetched.err(), Browser.now_ms());
}
