//! The background's wasm: decodes every message at the boundary, checks who sent it, and serves it.
//! Listeners live in background.js so they are registered synchronously when the worker wakes.

mod account;
mod browser_store;
mod catalog;
mod delivery;
mod duplicates;
mod host;
mod indexed_db;
mod outbox;
mod retention;
mod tracking;

use std::cell::RefCell;
use std::rc::Rc;

use serde::Serialize;
use sprout::api::Entropy;
use sprout::connection::unused_host_patterns;
use sprout::protocol::{
    BackgroundToOptions, BackgroundToPopup, ConnectionStatus, OUTBOX_PORT, OptionsToBackground,
    PopupToBackground, Sender, ToBackground,
};
use sprout::reason::Reason;
use sprout::state::{self, CatalogFetches, DrainTurns, Store};
use sprout_webext::runtime::Port;
use sprout_webext::{from_js, identity, permissions, runtime, storage};
use wasm_bindgen::prelude::*;

use crate::browser_store::BrowserStore;
use crate::host::Browser;

/// Everything a worker keeps in memory for its life (what lasts is in storage): handed down from
/// the entry points below, the only ones that reach it.
#[derive(Default)]
pub struct Worker {
    store: BrowserStore,
    drains: DrainTurns,
    fetches: RefCell<CatalogFetches>,
}

thread_local! {
    static WORKER: Rc<Worker> = Rc::new(Worker::default());
}

fn worker() -> Rc<Worker> {
    WORKER.with(Rc::clone)
}

/// Runs once when the background starts: what is past the retention period goes, whatever the
/// outbox holds goes out now.
#[wasm_bindgen]
pub async fn start() {
    if let Err(e) = storage::restrict_session().await {
        web_sys::console::error_1(&format!("sprout: could not restrict session storage: {e}").into());
    }
    let worker = worker();
    retention::on_wake(&worker.store).await;
    delivery::kick(worker);
}

/// The name of the outbox's alarm, for the `alarms.onAlarm` listener in background.js.
#[wasm_bindgen]
pub fn outbox_alarm() -> String {
    delivery::ALARM.to_owned()
}

/// Runs when the outbox's alarm fires or the browser starts: forgets what is past the retention
/// period, delivers what is due.
#[wasm_bindgen]
pub async fn wake() {
    let worker = worker();
    retention::on_wake(&worker.store).await;
    delivery::drain(&worker).await;
}

/// Answers one `runtime.onMessage` message. `own_id` and `own_origin` come from the runtime so the
/// check compares against what the browser says this extension is, not against a constant.
#[wasm_bindgen]
pub async fn handle_message(
    message: JsValue,
    sender: JsValue,
    own_id: String,
    own_origin: String,
) -> JsValue {
    let answer = match check_sender(from_js(sender), &own_id, &own_origin) {
        Err(detail) => Answer::Popup(BackgroundToPopup::Refused {
            reason: Reason::Unserved { detail },
        }),
        Ok(()) => match serde_wasm_bindgen::from_value::<ToBackground>(message) {
            Ok(ToBackground::Popup(m)) => Answer::Popup(popup(worker(), m).await),
            Ok(ToBackground::Options(m)) => Answer::Options(options(worker(), m).await),
            Err(e) => Answer::Popup(BackgroundToPopup::Refused {
                reason: Reason::Unserved {
                    detail: format!("unknown message: {e}"),
                },
            }),
        },
    };
    if let Answer::Popup(BackgroundToPopup::Refused { reason })
    | Answer::Options(BackgroundToOptions::Refused { reason }) = &answer
    {
        web_sys::console::warn_1(&format!("sprout: refused a message: {reason:?}").into());
    }
    answer
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// Takes one `runtime.onConnect` port: an extension page's outbox port is told the outbox now and
/// after every change (`BrowserStore::watch_outbox`). Any other port, or one the outbox could not
/// be read for, is closed: the popup opens another after a pause.
#[wasm_bindgen]
pub async fn connect(port: Port, own_id: String, own_origin: String) {
    let checked = check_sender(port.opened_by(), &own_id, &own_origin).and_then(|()| match port.name() {
        name if name == OUTBOX_PORT => Ok(()),
        name => Err(format!("no port is called {name:?}")),
    });
    let watched = match checked {
        Ok(()) => worker().store.watch_outbox(port.clone()).await,
        Err(reason) => Err(format!("refused a port: {reason}")),
    };
    if let Err(e) = watched {
        port.close();
        web_sys::console::warn_1(&format!("sprout: {e}").into());
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum Answer {
    Popup(BackgroundToPopup),
    Options(BackgroundToOptions),
}

/// Only the extension's own pages may ask anything or follow the outbox: a content script carries
/// our id but the web page's URL, and what it sends is data, never a command.
fn check_sender(sender: Result<Sender, String>, own_id: &str, own_origin: &str) -> Result<(), String> {
    let sender = sender.map_err(|e| format!("unreadable sender: {e}"))?;
    if sender.is_extension_page(own_id, own_origin) {
        Ok(())
    } else {
        Err(format!(
            "sender {:?} is not one of this extension's pages",
            sender.url
        ))
    }
}

async fn popup(worker: Rc<Worker>, message: PopupToBackground) -> BackgroundToPopup {
    let store = &worker.store;
    let served = match message {
        PopupToBackground::Ping {} => {
            return BackgroundToPopup::Pong {
                version: env!("CARGO_PKG_VERSION").into(),
            };
        }
        PopupToBackground::Status {} => Ok(()),
        PopupToBackground::SetActiveConnection { id } => match store.connection(&id).await {
            Ok(_) => store.set_active(Some(&id)).await.map_err(Reason::from),
            Err(e) => Err(e),
        },
        PopupToBackground::Catalog {
            connection_id,
            refresh,
        } => {
            return catalog::answer(worker.clone(), connection_id, refresh).await;
        }
        PopupToBackground::CheckDuplicate {
            connection_id,
            external_id,
        } => return duplicates::check(store, connection_id, external_id).await,
        PopupToBackground::Submit { capture } => return outbox::submit(worker.clone(), *capture).await,
        PopupToBackground::ListOutbox {} => return outbox::list(&worker).await,
        PopupToBackground::RetryItem { id, capture } => {
            return outbox::retry(worker.clone(), id, capture.map(|c| *c)).await;
        }
        PopupToBackground::DiscardItem { id } => return outbox::discard(&worker, id).await,
        PopupToBackground::TrackingLink {
            connection_id,
            job_id,
        } => {
            return tracking::create(store, connection_id, job_id).await;
        }
    };
    match served {
        Ok(()) => match overview(store).await {
            Ok((connections, active)) => BackgroundToPopup::Status { active, connections },
            Err(detail) => BackgroundToPopup::Refused {
                reason: detail.into(),
            },
        },
        Err(reason) => BackgroundToPopup::Refused { reason },
    }
}

async fn options(worker: Rc<Worker>, message: OptionsToBackground) -> BackgroundToOptions {
    let store = &worker.store;
    let served = match message {
        OptionsToBackground::ReadRetention {} => return retention::answer(store, Ok(())).await,
        OptionsToBackground::SetRetention { days } => {
            return retention::answer(store, retention::set(store, days).await).await;
        }
        OptionsToBackground::ForgetEverything { confirmation } => {
            let forgotten = state::forget_everything(store, &confirmation).await;
            return retention::answer(store, forgotten).await;
        }
        OptionsToBackground::ListConnections {} => Ok(()),
        OptionsToBackground::SaveConnection { connection, secret } => {
            let saved =
                state::save_connection(store, connection, secret.as_deref(), new_id, async |c, key| {
                    account::check_partner_key(c, key).await
                });
            releasing_permissions(store, saved).await.map(|id| {
                worker.fetches.borrow_mut().signed_in(&id);
                delivery::kick(worker.clone());
            })
        }
        OptionsToBackground::RemoveConnection { id, confirmation } => {
            if confirmation == "DELETE" {
                // Greenhouse documents no token revocation endpoint: forgetting is all Sprout can do.
                // Its undelivered captures fail in the outbox, visibly, rather than vanish.
                let forget = async { Ok(state::forget_connection(store, &id).await?) };
                releasing_permissions(store, forget)
                    .await
                    .inspect(|()| delivery::kick(worker.clone()))
            } else {
                Err(Reason::ConfirmRemoval)
            }
        }
        // A new sign-in (or key) may be what the outbox waits for.
        OptionsToBackground::SignIn { id } => account::sign_in(store, &id).await.inspect(|()| {
            worker.fetches.borrow_mut().signed_in(&id);
            delivery::kick(worker.clone());
        }),
        OptionsToBackground::SignOut { id } => account::sign_out(store, &id).await,
        OptionsToBackground::TestConnection { id } => account::test(store, &id).await.map(drop),
    };
    if let Err(reason) = served {
        return BackgroundToOptions::Failed { reason };
    }
    match (overview(store).await, identity::redirect_url()) {
        (Ok((connections, active)), Ok(redirect_url)) => BackgroundToOptions::Connections {
            connections,
            active,
            redirect_url,
        },
        (Err(detail), _) | (_, Err(detail)) => BackgroundToOptions::Failed {
            reason: detail.into(),
        },
    }
}

/// Every connection with its state, and the active one.
async fn overview(store: &BrowserStore) -> Result<(Vec<ConnectionStatus>, Option<String>), String> {
    let mut statuses = Vec::new();
    for connection in store.connections().await? {
        statuses.push(account::status(store, connection).await?);
    }
    Ok((statuses, store.active().await?))
}

/// Runs a change of the connections, then gives back the host permissions that only the
/// connections it removed or moved needed. Failing to give them back fails nothing: the
/// permission stays as it was before the change.
async fn releasing_permissions<T>(
    store: &BrowserStore,
    change: impl Future<Output = Result<T, Reason>>,
) -> Result<T, Reason> {
    let before = store.connections().await?;
    let changed = change.await?;
    let unused = match (runtime::manifest_host_permissions(), store.connections().await) {
        (Ok(required), Ok(after)) => unused_host_patterns(&before, &after, &required),
        (Err(e), _) | (_, Err(e)) => {
            web_sys::console::warn_1(&format!("sprout: could not give back host permissions: {e}").into());
            return Ok(changed);
        }
    };
    // One at a time: the browser refuses a whole list when one pattern is not removable.
    for pattern in unused {
        if let Err(e) = permissions::remove_host(&pattern).await {
            web_sys::console::warn_1(&format!("sprout: could not give back {pattern}: {e}").into());
        }
    }
    Ok(changed)
}

/// A new connection's id: random, so two browsers' connections never collide.
fn new_id() -> String {
    let mut bytes = [0u8; 8];
    Browser.fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
