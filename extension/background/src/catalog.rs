//! Jobs and pools for the popup: answered at once from the cache, refreshed from Greenhouse
//! afterwards when stale, missing or asked for, one fetch per connection at a time.

use std::cell::RefCell;
use std::collections::HashMap;

use sprout::api::{Clock, ListJobs, ListProspectPools};
use sprout::catalog::Catalog;
use sprout::protocol::BackgroundToPopup;
use wasm_bindgen_futures::spawn_local;

use crate::host::Browser;
use crate::{account, storage, store};

/// After a failed fetch, a plain look (no `refresh`) does not start another one this soon, so a
/// popup asking again while offline does not hammer Greenhouse.
const QUIET_AFTER_FAILURE_MS: u64 = 30_000;

#[derive(Default)]
struct Fetches {
    running: Vec<String>,
    /// The last failure per connection, in words, and when it happened.
    failed: HashMap<String, (String, u64)>,
}

thread_local! {
    static FETCHES: RefCell<Fetches> = RefCell::new(Fetches::default());
}

pub async fn answer(connection_id: String, refresh: bool) -> BackgroundToPopup {
    let connection = match store::connection(&connection_id).await {
        Ok(c) => c,
        Err(message) => return BackgroundToPopup::Failed { message },
    };
    let (catalog, remembered) = match (
        storage::catalog(&connection_id).await,
        storage::remembered(&connection_id).await,
    ) {
        (Ok(c), Ok(r)) => (c, r),
        (Err(message), _) | (_, Err(message)) => return BackgroundToPopup::Failed { message },
    };
    let user = store::secrets(&connection_id).await.ok().and_then(|s| s.user);
    let (user_id, user_email) = (
        user.as_ref().and_then(|u| u.id),
        user.map(|u| u.email).filter(|e| !e.is_empty()),
    );
    let now = Browser.now_ms();
    let stale = catalog.as_ref().is_none_or(|c| !c.is_fresh(now));
    let refreshing = FETCHES.with_borrow_mut(|f| {
        if f.running.contains(&connection_id) {
            return true;
        }
        let quiet = f
            .failed
            .get(&connection_id)
            .is_some_and(|(_, at)| now.saturating_sub(*at) < QUIET_AFTER_FAILURE_MS);
        if refresh || (stale && !quiet) {
            f.running.push(connection_id.clone());
            spawn_local(fetch(connection));
            return true;
        }
        false
    });
    let error = FETCHES.with_borrow(|f| f.failed.get(&connection_id).map(|(e, _)| e.clone()));
    BackgroundToPopup::Catalog {
        connection_id,
        catalog,
        refreshing,
        error,
        last_target: remembered.last_target,
        tracking_links: remembered.tracking_links,
        user_id,
        user_email,
    }
}

/// A new sign-in makes an earlier failure moot: the next look fetches at once.
pub fn signed_in(connection_id: &str) {
    FETCHES.with_borrow_mut(|f| f.failed.remove(connection_id));
}

async fn fetch(connection: sprout::connection::Connection) {
    let fetched = async {
        let jobs = account::call(&connection, &ListJobs).await?;
        let pools = account::call(&connection, &ListProspectPools).await?;
        let catalog = Catalog::from_api(jobs, pools, Browser.now_ms());
        storage::put_catalog(&connection.id, &catalog).await
    }
    .await;
    FETCHES.with_borrow_mut(|f| {
        f.running.retain(|id| id != &connection.id);
        match fetched {
            Ok(()) => f.failed.remove(&connection.id),
            Err(e) => f.failed.insert(
                connection.id.clone(),
                (
                    format!("Sprout could not update the jobs and pools: {e}"),
                    Browser.now_ms(),
                ),
            ),
        };
    });
}
