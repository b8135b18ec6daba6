//! Jobs and pools for the popup: how fresh the cache is (the popup reads the lists from it itself),
//! refreshed from Greenhouse afterwards when `sprout::state::CatalogFetches` says so, and told to a
//! popup waiting for the refresh when it ends; and the small state the form shows before the lists.

use std::rc::Rc;

use sprout::api::{Clock, ListJobs, ListProspectPools};
use sprout::catalog::Catalog;
use sprout::connection::Connection;
use sprout::reason::Reason;
use sprout::request::{CatalogAnswer, FormDefaults, captures_go_to};
use sprout::state::{Fetch, Store};
use tokio::sync::oneshot;
use wasm_bindgen_futures::spawn_local;

use crate::Worker;
use crate::account;
use crate::host::Browser;

/// Wakes one popup waiting for a connection's fetch to end.
pub type Waiter = oneshot::Sender<()>;

/// How fresh the connection's cached lists are, starting a fetch when they are stale or missing (or
/// `refresh`); with `wait`, answered only once that fetch has ended.
pub async fn answer(
    worker: Rc<Worker>,
    connection_id: String,
    refresh: bool,
    wait: bool,
) -> Result<CatalogAnswer, Reason> {
    let answer = look(&worker, connection_id, refresh).await?;
    if !(wait && answer.refreshing) {
        return Ok(answer);
    }
    let (waiter, woken) = oneshot::channel();
    if worker
        .fetches
        .borrow_mut()
        .wait(&answer.connection_id, waiter)
        .is_none()
    {
        // A dropped sender ends the wait as a wake does: the look below says how things stand.
        let _ = woken.await;
    }
    look(&worker, answer.connection_id, false).await
}

async fn look(worker: &Rc<Worker>, connection_id: String, refresh: bool) -> Result<CatalogAnswer, Reason> {
    let store = &worker.store;
    let connection = store.connection(&connection_id).await?;
    let cached = store.catalog_freshness(&connection_id).await?;
    let look = worker
        .fetches
        .borrow_mut()
        .look(&connection_id, cached, refresh, Browser.now_ms());
    if look == Fetch::Start {
        spawn_local(fetch(worker.clone(), connection));
    }
    let error = worker.fetches.borrow().failure(&connection_id).cloned();
    Ok(CatalogAnswer {
        connection_id,
        fetched_at_ms: cached.map(|c| c.fetched_at_ms),
        refreshing: look != Fetch::No,
        error,
    })
}

/// Last time's target and who is signed in, for `connection_id` or (`None`) the connection
/// captures go to: no list is read for it, so it is answered at once.
pub async fn defaults(store: &impl Store, connection_id: Option<String>) -> Result<FormDefaults, Reason> {
    let connection_id = match connection_id {
        Some(id) => id,
        None => {
            let (active, connections) = (store.active().await?, store.connections().await?);
            let ids = connections.iter().map(|c| c.id.as_str());
            captures_go_to(active.as_deref(), ids)
                .ok_or(Reason::ConnectionGone)?
                .to_owned()
        }
    };
    let remembered = store.remembered(&connection_id).await?;
    let user = store.secrets(&connection_id).await.ok().and_then(|s| s.user);
    Ok(FormDefaults {
        connection_id,
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
    let waiting = worker
        .fetches
        .borrow_mut()
        .finished(&connection.id, fetched.err(), Browser.now_ms());
    for waiter in waiting {
        // A popup closed meanwhile has nobody left to tell.
        let _ = waiter.send(());
    }
}
