//! The stored outbox and the popup's requests on it (submit, list, retry, discard): every change
//! is made under one lock and stored before anything is answered or sent.

use sprout::api::Clock;
use sprout::capture::Capture;
use sprout::outbox::{Outbox, OutboxItem};
use sprout::protocol::BackgroundToPopup;
use tokio::sync::Mutex;

use crate::host::Browser;
use crate::{delivery, storage, store};

/// One change of the outbox at a time: each loads, decides and stores in turn, so two submits in
/// the same instant cannot both take the same sequence number.
static TURN: Mutex<()> = Mutex::const_new(());

/// Loads the outbox, lets `change` decide, and stores every item it changed before returning.
pub async fn with_outbox<R>(change: impl FnOnce(&mut Outbox) -> R) -> Result<R, String> {
    let _turn = TURN.lock().await;
    let before = storage::outbox_items().await?;
    let mut outbox = Outbox::from_items(before.clone());
    let result = change(&mut outbox);
    storage::save_outbox_changes(&before, &outbox.items).await?;
    Ok(result)
}

/// Stores the capture in the outbox, remembers its target, and has it delivered after answering.
pub async fn submit(capture: Capture) -> BackgroundToPopup {
    let capture = capture.tidy();
    let connection = match store::connection(&capture.connection_id).await {
        Ok(connection) => connection,
        Err(message) => return BackgroundToPopup::Failed { message },
    };
    if let Err(errors) = capture.check_new_for(connection.dialect.capabilities()) {
        return BackgroundToPopup::Invalid { errors };
    }
    let (connection_id, target) = (capture.connection_id.clone(), capture.target.clone());
    let now = Browser.now_ms();
    let item = match with_outbox(|o| o.enqueue(capture, now).clone()).await {
        Ok(item) => item,
        Err(message) => return BackgroundToPopup::Failed { message },
    };
    // The capture is safe from here on; failing to remember the choice only costs a click later.
    let remembered = async {
        let mut remembered = storage::remembered(&connection_id).await?;
        remembered.last_target = Some(target);
        storage::put_remembered(&connection_id, &remembered).await
    };
    if let Err(e) = remembered.await {
        web_sys::console::warn_1(&format!("sprout: could not remember the target: {e}").into());
    }
    delivery::kick();
    BackgroundToPopup::Queued {
        item: Box::new(item.listed()),
    }
}

pub async fn list() -> BackgroundToPopup {
    match storage::outbox_items().await {
        Ok(items) => BackgroundToPopup::Outbox {
            items: Outbox::from_items(items)
                .items
                .into_iter()
                .map(OutboxItem::listed)
                .collect(),
        },
        Err(message) => BackgroundToPopup::Failed { message },
    }
}

/// Sends a failed item again, as the recruiter edited it if they did.
pub async fn retry(id: String, edited: Option<Capture>) -> BackgroundToPopup {
    let edited = edited.map(Capture::tidy);
    let can = match &edited {
        Some(capture) => match store::connection(&capture.connection_id).await {
            Ok(connection) => Some(connection.dialect.capabilities()),
            Err(message) => return BackgroundToPopup::Failed { message },
        },
        None => None,
    };
    let answer = with_outbox(|o| {
        let edited = match edited {
            // Files come back named by id; `Outbox::retry` gives them their stored bytes.
            Some(capture) => {
                let checked = match can {
                    Some(can) => capture.check_for(can),
                    None => capture.check(),
                };
                if let Err(errors) = checked {
                    return BackgroundToPopup::Invalid { errors };
                }
                Some(capture)
            }
            None => None,
        };
        match o.retry(&id, edited) {
            Ok(item) => BackgroundToPopup::Queued {
                item: Box::new(item.clone().listed()),
            },
            Err(message) => BackgroundToPopup::Failed { message },
        }
    })
    .await
    .unwrap_or_else(|message| BackgroundToPopup::Failed { message });
    if matches!(answer, BackgroundToPopup::Queued { .. }) {
        delivery::kick();
    }
    answer
}

/// Drops an item the recruiter gave up on; answers the outbox as it is now.
pub async fn discard(id: String) -> BackgroundToPopup {
    match with_outbox(|o| o.discard(&id).map(drop)).await {
        Ok(Ok(())) => list().await,
        Ok(Err(message)) | Err(message) => BackgroundToPopup::Failed { message },
    }
}
