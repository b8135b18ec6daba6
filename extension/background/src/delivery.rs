//! The outbox driver: runs the core's drain (`sprout::state::plan`, `put_back`, `finish`) against
//! Greenhouse, one drain at a time, and leaves an alarm behind when something has to wait, so a
//! stopped worker picks up again.

use std::rc::Rc;

use sprout::api::{Auth, Clock};
use sprout::connection::Connection;
use sprout::outbox::{MAX_WAIT_MS, Outcome};
use sprout::reason::SignInTrouble;
use sprout::state::{self, Delivery, Failure, Planned};
use wasm_bindgen_futures::spawn_local;

use crate::Worker;
use crate::account;
use crate::browser_store::BrowserStore;
use crate::host::Browser;
use sprout_webext::alarms;

/// The alarm that wakes the worker for an item that waits.
pub const ALARM: &str = "sprout-outbox";

/// Starts a drain unless one is running (which then goes round once more).
pub fn kick(worker: Rc<Worker>) {
    spawn_local(async move { drain(&worker).await });
}

/// Delivers until nothing is due.
pub async fn drain(worker: &Worker) {
    if !worker.drains.begin() {
        return;
    }
    loop {
        if let Err(e) = deliver_due(&worker.store).await {
            web_sys::console::error_1(&format!("sprout: the outbox stopped: {e}").into());
            // Try again later rather than leave an item waiting for the next click.
            let _ = alarms::set_at(ALARM, Browser.now_ms() + MAX_WAIT_MS).await;
        }
        if !worker.drains.another_round() {
            break;
        }
    }
}

async fn deliver_due(store: &BrowserStore) -> Result<(), String> {
    loop {
        let not_ready = async |c: &Connection| account::not_ready(store, c).await;
        let Delivery {
            connection,
            item,
            before,
            check_first,
        } = match state::plan(store, &Browser, not_ready).await? {
            Planned::Idle => return alarms::clear(ALARM).await,
            Planned::WaitUntil(when) => return alarms::set_at(ALARM, when).await,
            Planned::Deliver(delivery) => *delivery,
        };
        let attempt = async |api: &account::Api, auth: &Auth| {
            state::attempt(store, api, auth, &connection, &item, check_first).await
        };
        let outcome = match account::authorized(store, &connection, attempt).await {
            Ok(outcome) => outcome,
            Err(Failure::Api(e)) => Outcome::Failed(e),
            // Nothing was sent this time.
            Err(Failure::NotReady(why)) => {
                let still_waiting = account::not_ready(store, &connection).await?.is_some();
                if state::put_back(store, before, why, still_waiting).await? {
                    continue;
                }
                return Ok(());
            }
            // Left `Sending`: whoever picks it up next looks the person up before any resend.
            Err(Failure::Local(e)) => return Err(e),
            Err(Failure::Refresh(e)) => {
                return Err(format!("the token refresh failed: {:?}", SignInTrouble::from(&e)));
            }
        };
        state::finish(store, &Browser, &item, outcome).await?;
    }
}
