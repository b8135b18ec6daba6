//! The background's wasm: decodes every message at the boundary, checks who sent it, and serves it.
//! Listeners live in background.js so they are registered synchronously when the worker wakes.

mod account;
mod catalog;
mod delivery;
mod duplicates;
mod host;
mod outbox;
mod retention;
mod storage;
mod store;
mod tracking;
mod webext;

use serde::Serialize;
use sprout::api::Entropy;
use sprout::connection::{AuthSettings, Connection};
use sprout::protocol::{
    BackgroundToOptions, BackgroundToPopup, ConnectionStatus, OptionsToBackground, PopupToBackground, Sender,
    ToBackground,
};
use wasm_bindgen::prelude::*;

use crate::host::Browser;
use crate::store::Secrets;

/// Runs once when the background starts: what is past the retention period goes, whatever the
/// outbox holds goes out now.
#[wasm_bindgen]
pub async fn start() {
    if let Err(e) = webext::restrict_session_storage().await {
        web_sys::console::error_1(&format!("sprout: could not restrict session storage: {e}").into());
    }
    retention::on_wake().await;
    delivery::kick();
}

/// Runs when the outbox's alarm fires or the browser starts: forgets what is past the retention
/// period, delivers what is due.
#[wasm_bindgen]
pub async fn wake() {
    retention::on_wake().await;
    delivery::drain().await;
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
    let answer = match check_sender(sender, &own_id, &own_origin) {
        Err(reason) => Answer::Popup(BackgroundToPopup::Refused { reason }),
        Ok(()) => match serde_wasm_bindgen::from_value::<ToBackground>(message) {
            Ok(ToBackground::Popup(m)) => Answer::Popup(popup(m).await),
            Ok(ToBackground::Options(m)) => Answer::Options(options(m).await),
            Err(e) => Answer::Popup(BackgroundToPopup::Refused {
                reason: format!("unknown message: {e}"),
            }),
        },
    };
    if let Answer::Popup(BackgroundToPopup::Refused { reason })
    | Answer::Options(BackgroundToOptions::Refused { reason }) = &answer
    {
        web_sys::console::warn_1(&format!("sprout: refused a message: {reason}").into());
    }
    answer
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

#[derive(Serialize)]
#[serde(untagged)]
enum Answer {
    Popup(BackgroundToPopup),
    Options(BackgroundToOptions),
}

/// Only the extension's own pages may ask anything: a content script carries our id but the
/// web page's URL, and what it sends is data, never a command.
fn check_sender(sender: JsValue, own_id: &str, own_origin: &str) -> Result<(), String> {
    let sender: Sender =
        serde_wasm_bindgen::from_value(sender).map_err(|e| format!("unreadable sender: {e}"))?;
    if sender.is_extension_page(own_id, own_origin) {
        Ok(())
    } else {
        Err(format!(
            "sender {:?} is not one of this extension's pages",
            sender.url
        ))
    }
}

async fn popup(message: PopupToBackground) -> BackgroundToPopup {
    let served = match message {
        PopupToBackground::Ping {} => {
            return BackgroundToPopup::Pong {
                version: env!("CARGO_PKG_VERSION").into(),
            };
        }
        PopupToBackground::Status {} => Ok(()),
        PopupToBackground::SetActiveConnection { id } => match store::connection(&id).await {
            Ok(_) => store::set_active(&id).await,
            Err(e) => Err(e),
        },
        PopupToBackground::Catalog {
            connection_id,
            refresh,
        } => {
            return catalog::answer(connection_id, refresh).await;
        }
        PopupToBackground::CheckDuplicate {
            connection_id,
            external_id,
        } => return duplicates::check(connection_id, external_id).await,
        PopupToBackground::Submit { capture } => return outbox::submit(*capture).await,
        PopupToBackground::ListOutbox {} => return outbox::list().await,
        PopupToBackground::RetryItem { id, capture } => {
            return outbox::retry(id, capture.map(|c| *c)).await;
        }
        PopupToBackground::DiscardItem { id } => return outbox::discard(id).await,
        PopupToBackground::TrackingLink {
            connection_id,
            job_id,
        } => {
            return tracking::create(connection_id, job_id).await;
        }
    };
    match served {
        Ok(()) => match overview().await {
            Ok((connections, active)) => BackgroundToPopup::Status { active, connections },
            Err(reason) => BackgroundToPopup::Refused { reason },
        },
        Err(reason) => BackgroundToPopup::Refused { reason },
    }
}

async fn options(message: OptionsToBackground) -> BackgroundToOptions {
    let served = match message {
        OptionsToBackground::ReadRetention {} => return retention::answer(Ok(())).await,
        OptionsToBackground::SetRetention { days } => {
            return retention::answer(retention::set(days).await).await;
        }
        OptionsToBackground::ForgetEverything { confirmation } => {
            return retention::answer(retention::forget_everything(&confirmation).await).await;
        }
        OptionsToBackground::ListConnections {} => Ok(()),
        OptionsToBackground::SaveConnection { connection, secret } => {
            let id = connection.id.clone();
            save(connection, secret).await.inspect(|()| {
                catalog::signed_in(&id);
                delivery::kick();
            })
        }
        OptionsToBackground::RemoveConnection { id, confirmation } => {
            if confirmation == "DELETE" {
                // Greenhouse documents no token revocation endpoint: forgetting is all Sprout can do.
                // Its undelivered captures fail in the outbox, visibly, rather than vanish.
                store::forget(&id).await.inspect(|()| delivery::kick())
            } else {
                Err("Type DELETE (in capitals) to remove this connection.".into())
            }
        }
        // A new sign-in (or key) may be what the outbox waits for.
        OptionsToBackground::SignIn { id } => account::sign_in(&id).await.inspect(|()| {
            catalog::signed_in(&id);
            delivery::kick();
        }),
        OptionsToBackground::SignOut { id } => account::sign_out(&id).await,
        OptionsToBackground::TestConnection { id } => account::test(&id).await.map(drop),
    };
    if let Err(message) = served {
        return BackgroundToOptions::Failed { message };
    }
    match (overview().await, webext::redirect_url()) {
        (Ok((connections, active)), Ok(redirect_url)) => BackgroundToOptions::Connections {
            connections,
            active,
            redirect_url,
        },
        (Err(message), _) | (_, Err(message)) => BackgroundToOptions::Failed { message },
    }
}

/// Every connection with its state, and the active one.
async fn overview() -> Result<(Vec<ConnectionStatus>, Option<String>), String> {
    let mut statuses = Vec::new();
    for connection in store::connections().await? {
        statuses.push(account::status(connection).await?);
    }
    Ok((statuses, store::active().await?))
}

/// Adds or updates a connection. A Partner API key is checked against Greenhouse first and
/// nothing is stored when it fails.
async fn save(mut connection: Connection, secret: Option<String>) -> Result<(), String> {
    connection.validate()?;
    let previous = if connection.id.is_empty() {
        connection.id = new_id();
        None
    } else {
        Some(store::connection(&connection.id).await?)
    };
    let mut secrets = store::secrets(&connection.id).await?;
    let secret = secret.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    // Tokens belong to the server and client they came from.
    let same_server = previous
        .as_ref()
        .is_some_and(|p| p.api_base_url == connection.api_base_url && p.auth == connection.auth);
    let same_mode = previous
        .as_ref()
        .is_some_and(|p| std::mem::discriminant(&p.auth) == std::mem::discriminant(&connection.auth));
    if !same_server {
        secrets = Secrets {
            // A Partner API key must never become a client secret, nor the reverse.
            secret: secrets.secret.filter(|_| same_mode),
            ..Secrets::default()
        };
    }
    match &connection.auth {
        AuthSettings::PartnerKey { .. } => {
            let key = secret
                .or(secrets.secret.clone())
                .ok_or("Enter the Partner API key.")?;
            let user = account::check_partner_key(&connection, &key).await?;
            secrets.secret = Some(key);
            secrets.user = Some(user);
        }
        AuthSettings::Oauth { .. } => {
            if secret.is_some() {
                secrets.secret = secret;
            }
        }
    }
    store::put_connection(&connection).await?;
    store::put_secrets(&connection, &secrets).await?;
    if store::active().await?.is_none() {
        store::set_active(&connection.id).await?;
    }
    Ok(())
}

fn new_id() -> String {
    let mut bytes = [0u8; 8];
    Browser.fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
