//! The outbox driver: runs the core's drain (`sprout::state::plan`, `put_back`, `finish`) against
//! Greenhouse, one drain at a time, and leaves an alarm behind when something has to wait, so a
//! stopped worker picks up again.

use std::rc::Rc;

use sprout::api::{ApiError, Clock, Landed};
use sprout::connection::Connection;
use sprout::outbox::{MAX_WAIT_MS, OutboxItem, Outcome};
use sprout::state::{self, Delivery, Planned};
use wasm_bindgen_futures::spawn_local;

use crate::Worker;
use crate::account::{self, Failure};
use crate::host::Browser;
use crate::store::BrowserStore;
use crate::webext;

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
            let _ = webext::alarm_at(ALARM, Browser.now_ms() + MAX_WAIT_MS).await;
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
            Planned::Idle => return webext::clear_alarm(ALARM).await,
            Planned::WaitUntil(when) => return webext::alarm_at(ALARM, when).await,
            Planned::Deliver(delivery) => *delivery,
        };
        let outcome = match attempt(store, &connection, &item, check_first).await {
            Ok(outcome) => outcome,
            Err(Failure::Api(e)) => Outcome::Failed(e),
            // Nothing was sent this time.
            Err(Failure::NotReady(why)) => {
                let still_waiting = account::not_ready(store, &connection).await?.is_some();
                if state::put_back(store, before, &why, still_waiting).await? {
                    continue;
                }
                return Ok(());
            }
            // Left `Sending`: whoever picks it up next looks the person up before any resend.
            Err(Failure::Local(e)) => return Err(e),
        };
        state::finish(store, &Browser, &item, outcome).await?;
    }
}

/// One delivery attempt: what Greenhouse stored, or why not.
async fn attempt(
    store: &BrowserStore,
    connection: &Connection,
    item: &OutboxItem,
    check_first: bool,
) -> Result<Outcome, Failure> {
    let capture = &item.capture;
    let create = capture.to_create();
    let external_id = create.candidate.external_id.clone();
    let sent = account::authorized(store, connection, async |api, auth| {
        if check_first {
            // An earlier worker may have sent it and stopped before the answer came.
            match api.find_new(auth, &external_id, &capture.beside).await {
                Ok(Some(found)) => {
                    let link = found.profile_url().map(str::to_owned);
                    return Ok((found.id, link, true, vec![]));
                }
                Ok(None) => {}
                Err(e @ ApiError::Unauthenticated { .. }) => return Err(e),
                Err(e) => {
                    return Err(ApiError::UnknownOutcome {
                        detail: format!("an earlier attempt was interrupted and checking failed: {e}"),
                    });
                }
            }
        }
        let submitted = api
            .create_candidate_beside(auth, create.clone(), &capture.beside)
            .await?;
        let created = submitted.created;
        let also_stored = match submitted.landed {
            Landed::Created => {
                api.others_under(auth, &external_id, created.id, &capture.beside)
                    .await
            }
            Landed::FoundAfterUnknownOutcome => vec![],
        };
        Ok((
            created.id,
            created.profile_url,
            submitted.landed == Landed::FoundAfterUnknownOutcome,
            also_stored,
        ))
    })
    .await;
    let (candidate_id, profile_url, confirmed_by_lookup, also_stored) = sent?;
    Ok(Outcome::Delivered {
        candidate_id,
        // Greenhouse's own link where it gave one ("Open in Greenhouse"), else the person's page.
        link: profile_url
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .unwrap_or_else(|| connection.person_link(candidate_id)),
        confirmed_by_lookup,
        also_stored,
    })
}
