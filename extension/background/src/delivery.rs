//! The outbox driver: delivers queued captures one at a time, never two drains at once, and
//! leaves an alarm behind when something has to wait, so a stopped worker picks up again.

use std::cell::Cell;
use std::time::Duration;

use sprout::api::{ApiError, Clock, Entropy, Landed, RetryPolicy};
use sprout::connection::Connection;
use sprout::outbox::{MAX_WAIT_MS, Next, OutboxItem, Outcome};
use wasm_bindgen_futures::spawn_local;

use crate::account::{self, Failure};
use crate::host::Browser;
use crate::outbox::with_outbox;
use crate::{storage, store, webext};

/// The alarm that wakes the worker for an item that waits.
pub const ALARM: &str = "sprout-outbox";
const REMOVED: &str = "The Greenhouse connection this capture was meant for has been removed.";

thread_local! {
    static DRAINING: Cell<bool> = const { Cell::new(false) };
    /// Set when a drain is asked for while one runs: that one goes round once more.
    static AGAIN: Cell<bool> = const { Cell::new(false) };
}

/// Starts a drain unless one is running (which then goes round once more).
pub fn kick() {
    spawn_local(drain());
}

/// Delivers until nothing is due.
pub async fn drain() {
    if DRAINING.replace(true) {
        AGAIN.set(true);
        return;
    }
    loop {
        AGAIN.set(false);
        if let Err(e) = deliver_due().await {
            web_sys::console::error_1(&format!("sprout: the outbox stopped: {e}").into());
            // Try again later rather than leave an item waiting for the next click.
            let _ = webext::alarm_at(ALARM, Browser.now_ms() + MAX_WAIT_MS).await;
        }
        if !AGAIN.get() {
            break;
        }
    }
    DRAINING.set(false);
}

async fn deliver_due() -> Result<(), String> {
    loop {
        let connections = store::connections().await?;
        // Which connections can send now, and in words why the others cannot.
        let mut waiting = Vec::new();
        for connection in &connections {
            if let Some(why) = account::not_ready(connection).await? {
                waiting.push((connection.id.clone(), why));
            }
        }
        let now = Browser.now_ms();
        let (next, started) = with_outbox(|o| {
            let gone: Vec<String> = o
                .items
                .iter()
                .map(|i| i.capture.connection_id.clone())
                .filter(|c| !connections.iter().any(|k| &k.id == c))
                .collect();
            for connection_id in gone {
                o.abandon(&connection_id, REMOVED);
            }
            for (connection_id, why) in &waiting {
                o.note_waiting(connection_id, why);
            }
            let expired = o.expired(now);
            o.remove(&expired);
            let next = o.next_ready(now, |c| !waiting.iter().any(|(w, _)| w == c));
            let started = match &next {
                Next::Deliver { id, .. } => {
                    let before = o.get(id).cloned();
                    o.start(id, now).cloned().zip(before)
                }
                _ => None,
            };
            (next, started)
        })
        .await?;
        let (check_first, (item, before)) = match (next, started) {
            (Next::Idle, _) => return webext::clear_alarm(ALARM).await,
            (Next::WaitUntil(when), _) => return webext::alarm_at(ALARM, when).await,
            (Next::Deliver { check_first, .. }, Some(started)) => (check_first, started),
            (Next::Deliver { .. }, None) => return Err("the outbox lost an item it chose".into()),
        };
        let connection = connections
            .iter()
            .find(|c| c.id == item.capture.connection_id)
            .ok_or("the connection went away")?;
        let outcome = match attempt(connection, &item, check_first).await {
            Ok(outcome) => outcome,
            Err(Failure::Api(e)) => Outcome::Failed(e),
            // Nothing was sent this time: the item goes back as it was (an interrupted one keeps
            // its look-up), and waits for the recruiter to sign in.
            Err(Failure::NotReady(why)) => {
                with_outbox(|o| {
                    if let Some(slot) = o.items.iter_mut().find(|i| i.id == before.id) {
                        *slot = before;
                    }
                })
                .await?;
                // The next round notes why it waits, unless that would not hold it back: then
                // stop here rather than go round and round.
                if account::not_ready(connection).await?.is_some() {
                    continue;
                }
                let note = format!("{why} Sprout will deliver this afterwards.");
                with_outbox(|o| drop(o.note_waiting(&connection.id, &note))).await?;
                return Ok(());
            }
            // Left `Sending`: whoever picks it up next looks the person up before any resend.
            Err(Failure::Local(e)) => return Err(e),
        };
        let wait = wait_after(&outcome, item.attempts);
        let now = Browser.now_ms();
        let entry = with_outbox(|o| o.finish(&item.id, outcome, wait, now).and_then(|(_, e)| e)).await?;
        if let Some(entry) = entry {
            storage::add_to_ledger(&entry).await?;
        }
    }
}

/// One delivery attempt: what Greenhouse stored, or why not.
async fn attempt(connection: &Connection, item: &OutboxItem, check_first: bool) -> Result<Outcome, Failure> {
    let capture = &item.capture;
    let create = capture.to_create();
    let external_id = create.candidate.external_id.clone();
    let sent = account::authorized(connection, async |api, auth| {
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

/// How long an item waits after a failure that passes: Greenhouse's `Retry-After` when it gave
/// one, else a backoff that grows with the item's attempts (the client has already retried
/// quickly within this attempt, so the outbox waits on the scale of alarms: 30 s, 1 min, 2 min…).
fn wait_after(outcome: &Outcome, attempts: u32) -> u64 {
    let policy = RetryPolicy {
        base_delay: Duration::from_secs(30),
        max_delay: Duration::from_millis(MAX_WAIT_MS),
        ..RetryPolicy::default()
    };
    let wait = match outcome {
        Outcome::Failed(ApiError::RateLimited {
            retry_after: Some(wait),
        }) => *wait,
        _ => policy.backoff(attempts, Browser.unit()),
    };
    wait.as_millis() as u64
}
