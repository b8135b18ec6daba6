//! The retention period (`sprout::state::apply_retention`) applied whenever the worker starts or
//! wakes, and the options page's retention requests: what this browser knows of people is not kept
//! forever.

use sprout::api::Clock;
use sprout::reason::Reason;
use sprout::request::RetentionPeriod;
use sprout::state::{self, Store};

use crate::browser_store::BrowserStore;
use crate::host::Browser;

/// A failure is logged, and the next wake tries again.
pub async fn on_wake(store: &BrowserStore) {
    if let Err(e) = state::apply_retention(store, Browser.now_ms()).await {
        web_sys::console::error_1(&format!("sprout: could not apply the retention period: {e}").into());
    }
}

/// The options page's answer: the period now in force.
pub async fn period(store: &BrowserStore) -> Result<RetentionPeriod, Reason> {
    let retention = store.retention().await?;
    Ok(RetentionPeriod { days: retention.days })
}

pub async fn set(store: &BrowserStore, days: u32) -> Result<(), Reason> {
    state::set_retention(store, days, Browser.now_ms())
        .await
        .map(drop)
}
