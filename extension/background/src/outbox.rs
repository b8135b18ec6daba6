//! The popup's requests on the stored outbox (submit, list, retry, discard): every change is made
//! in one outbox turn and stored before anything is answered or sent.

use std::rc::Rc;

use sprout::api::Clock;
use sprout::capture::Capture;
use sprout::outbox::OutboxItem;
use sprout::protocol::BackgroundToPopup;
use sprout::state::Store;

use crate::Worker;
use crate::delivery;
use crate::host::Browser;

/// Stores the capture in the outbox, remembers its target, and has it delivered after answering.
pub async fn submit(worker: Rc<Worker>, capture: Capture) -> BackgroundToPopup {
    let capture = capture.tidy();
    let connection = match worker.store.connection(&capture.connection_id).await {
        Ok(connection) => connection,
        Err(e) => return BackgroundToPopup::Failed { reason: e },
    };
    if let Err(errors) = capture.check_new_for(connection.dialect.capabilities()) {
        return BackgroundToPopup::Invalid { errors };
    }
    let (connection_id, target) = (capture.connection_id.clone(), capture.target.clone());
    let now = Browser.now_ms();
    let item = match worker
        .store
        .change_outbox(|o| o.enqueue(capture, now).clone())
        .await
    {
        Ok(item) => item,
        Err(e) => return BackgroundToPopup::Failed { reason: e.into() },
    };
    // The capture is safe from here on; failing to remember the choice only costs a click later.
    let remembered = async {
        let mut remembered = worker.store.remembered(&connection_id).await?;
        remembered.last_target = Some(target);
        worker.store.put_remembered(&connection_id, &remembered).await
    };
    if let Err(e) = remembered.await {
        web_sys::console::warn_1(&format!("sprout: could not remember the target: {e}").into());
    }
    delivery::kick(worker);
    BackgroundToPopup::Queued {
        item: Box::new(item.listed()),
    }
}

pub async fn list(worker: &Worker) -> BackgroundToPopup {
    match worker.store.outbox().await {
        Ok(outbox) => BackgroundToPopup::Outbox {
            items: outbox.items.into_iter().map(OutboxItem::listed).collect(),
        },
        Err(e) => BackgroundToPopup::Failed { reason: e.into() },
    }
}

/// Sends a failed item again, as the recruiter edited it if they did.
pub async fn retry(worker: Rc<Worker>, id: String, edited: Option<Capture>) -> BackgroundToPopup {
    let edited = edited.map(Capture::tidy);
    let can = match &edited {
        Some(capture) => match worker.store.connection(&capture.connection_id).await {
            Ok(connection) => Some(connection.dialect.capabilities()),
            Err(e) => return BackgroundToPopup::Failed { reason: e },
        },
        None => None,
    };
    let answer = worker
        .store
        .change_outbox(|o| {
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
                Err(e) => BackgroundToPopup::Failed { reason: e },
            }
        })
        .await
        .unwrap_or_else(|e| BackgroundToPopup::Failed { reason: e.into() });
    if matches!(answer, BackgroundToPopup::Queued { .. }) {
        delivery::kick(worker);
    }
    answer
}

/// Drops an item the recruiter gave up on; answers the outbox as it is now.
pub async fn discard(worker: &Worker, id: String) -> BackgroundToPopup {
    match worker.store.change_outbox(|o| o.discard(&id).map(drop)).await {
        Ok(Ok(())) => list(worker).await,
        Ok(Err(e)) => BackgroundToPopup::Failed { reason: e },
        Err(e) => BackgroundToPopup::Failed { reason: e.into() },
    }
}
