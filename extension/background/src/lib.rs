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
mod stored;
mod tracking;

use std::cell::RefCell;
use std::rc::Rc;

use sprout::api::Entropy;
use sprout::connection::unused_host_patterns;
use sprout::protocol::{ConnectionStatus, OUTBOX_PORT, Sender, ToBackground};
use sprout::reason::Reason;
use sprout::request::{Connections, Overview, Pong, Reply, Request};
use sprout::state::{self, CatalogFetches, DrainTurns, Store};
use sprout_webext::runtime::Port;
use sprout_webext::{from_js, identity, permissions, runtime, storage, to_js};
use wasm_bindgen::prelude::*;

use crate::browser_store::BrowserStore;
use crate::host::Browser;

/// Everything a worker keeps in memory for its life (what lasts is in storage): handed down from
/// the entry points below, the only ones that reach it.
#[derive(Default)]
pub struct Worker {
    store: BrowserStore,
    drains: DrainTurns,
    fetches: RefCell<CatalogFetches<catalog::Waiter>>,
}

thread_local! {
    static WORKER: Rc<Worker> = Rc::new(Worker::default());
}

fn worker() -> Rc<Worker> {
    WORKER.with(Rc::clone)
}

/// Runs when the wasm is instantiated, before any entry point: URLs are read with the browser's
/// host parser (see `sprout::url_parse`), and response bodies with its `JSON.parse`.
#[wasm_bindgen(start)]
fn use_browser_parsers() {
    sprout::url_parse::use_host_to_ascii(sprout_webext::url::host_to_ascii);
    sprout::api::use_json_reader(|text| from_js(js_sys::JSON::parse(text).map_err(sprout_webext::js_error)?));
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
    let request = check_sender(from_js(sender), &own_id, &own_origin)
        .and_then(|()| from_js::<ToBackground>(message).map_err(|e| format!("unknown message: {e}")));
    match request {
        Ok(request) => serve(worker(), request).await,
        // Refused before anything was read of it: a refusal reads the same whatever was asked.
        Err(detail) => {
            let reason = Reason::Unserved { detail };
            web_sys::console::warn_1(&format!("sprout: refused a message: {reason:?}").into());
            to_js(&Reply::<()>::Refused { reason }).unwrap_or(JsValue::NULL)
        }
    }
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

/// Serves one request with the handler of its arm; `reply` holds each handler to the answer type
/// its request names.
async fn serve(worker: Rc<Worker>, request: ToBackground) -> JsValue {
    let store = &worker.store;
    match request {
        // The popup's requests.
        ToBackground::Ping(r) => {
            reply(r, async |_| {
                Ok(Pong {
                    version: env!("CARGO_PKG_VERSION").into(),
                })
            })
            .await
        }
        ToBackground::Status(r) => reply(r, async |_| overview(store).await).await,
        ToBackground::SetActiveConnection(r) => {
            reply(r, async |r| {
                store.connection(&r.id).await?;
                store.set_active(Some(&r.id)).await?;
                overview(store).await
            })
            .await
        }
        ToBackground::Catalog(r) => {
            reply(r, async |r| {
                catalog::answer(worker.clone(), r.connection_id, r.refresh, false).await
            })
            .await
        }
        ToBackground::AwaitCatalog(r) => {
            reply(r, async |r| {
                catalog::answer(worker.clone(), r.connection_id, false, true).await
            })
            .await
        }
        ToBackground::Defaults(r) => {
            reply(r, async |r| catalog::defaults(store, r.connection_id).await).await
        }
        ToBackground::CheckDuplicate(r) => {
            reply(r, async |r| {
                duplicates::check(store, r.connection_id, r.external_id).await
            })
            .await
        }
        ToBackground::Submit(r) => reply(r, async |r| outbox::submit(worker.clone(), *r.capture).await).await,
        ToBackground::ListOutbox(r) => reply(r, async |_| outbox::list(&worker).await).await,
        ToBackground::RetryItem(r) => {
            reply(r, async |r| {
                outbox::retry(worker.clone(), r.id, r.capture.map(|c| *c)).await
            })
            .await
        }
        ToBackground::DiscardItem(r) => reply(r, async |r| outbox::discard(&worker, r.id).await).await,
        ToBackground::TrackingLink(r) => {
            reply(r, async |r| {
                tracking::create(store, r.connection_id, r.job_id).await
            })
            .await
        }
        // The options page's requests.
        ToBackground::ReadRetention(r) => reply(r, async |_| retention::period(store).await).await,
        ToBackground::SetRetention(r) => {
            reply(r, async |r| {
                retention::set(store, r.days).await?;
                retention::period(store).await
            })
            .await
        }
        ToBackground::ForgetEverything(r) => {
            reply(r, async |r| {
                state::forget_everything(store, &r.confirmation).await?;
                retention::period(store).await
            })
            .await
        }
        ToBackground::ListConnections(r) => reply(r, async |_| connections(store).await).await,
        ToBackground::SaveConnection(r) => {
            reply(r, async |r| {
                let saved = state::save_connection(
                    store,
                    r.connection,
                    r.secret.as_deref(),
                    new_id,
                    async |c, key| account::check_partner_key(c, key).await,
                );
                let id = releasing_permissions(store, saved).await?;
                worker.fetches.borrow_mut().signed_in(&id);
                delivery::kick(worker.clone());
                connections(store).await
            })
            .await
        }
        ToBackground::RemoveConnection(r) => {
            reply(r, async |r| {
                if r.confirmation != "DELETE" {
                    return Err(Reason::ConfirmRemoval);
                }
                // Greenhouse documents no token revocation endpoint: forgetting is all Sprout can do.
                // Its undelivered captures fail in the outbox, visibly, rather than vanish.
                let forget = async { Ok(state::forget_connection(store, &r.id).await?) };
                releasing_permissions(store, forget).await?;
                delivery::kick(worker.clone());
                connections(store).await
            })
            .await
        }
        // A new sign-in (or key) may be what the outbox waits for.
        ToBackground::SignIn(r) => {
            reply(r, async |r| {
                account::sign_in(store, &r.id).await?;
                worker.fetches.borrow_mut().signed_in(&r.id);
                delivery::kick(worker.clone());
                connections(store).await
            })
            .await
        }
        ToBackground::SignOut(r) => {
            reply(r, async |r| {
                account::sign_out(store, &r.id).await?;
                connections(store).await
            })
            .await
        }
        ToBackground::TestConnection(r) => {
            reply(r, async |r| {
                account::test(store, &r.id).await?;
                connections(store).await
            })
            .await
        }
    }
}

/// Serves `request` with `handler` and encodes its reply: the answer, or why it failed.
async fn reply<R: Request>(request: R, handler: impl AsyncFnOnce(R) -> Result<R::Answer, Reason>) -> JsValue {
    to_js(&Reply::from(handler(request).await)).unwrap_or(JsValue::NULL)
}

/// The popup's view of the connections.
async fn overview(store: &BrowserStore) -> Result<Overview, Reason> {
    let (connections, active) = statuses(store).await?;
    Ok(Overview { active, connections })
}

/// The options page's view of the connections, with the redirect URL to register.
async fn connections(store: &BrowserStore) -> Result<Connections, Reason> {
    let (connections, active) = statuses(store).await?;
    Ok(Connections {
        connections,
        active,
        redirect_url: identity::redirect_url()?,
    })
}

/// Every connection with its state, and the active one.
async fn statuses(store: &BrowserStore) -> Result<(Vec<ConnectionStatus>, Option<String>), String> {
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
