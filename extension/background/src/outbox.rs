//! The popup's requests on the stored outbox (submit, list, retry, discard): the core
//! (`sprout::state::{submit, retry, discard}`) decides and stores each change before anything is
//! answered; this answers the popup and starts a drain when something was queued.

use std::rc::Rc;

use sprout::capture::Capture;
use sprout::outbox::OutboxItem;
use sprout::protocol::BackgroundToPopup;
use sprout::state::{self, Queued, Refused};

use crate::Worker;
use crate::delivery;
use crate::host::Browser;

/// Stores the capture in the outbox, remembers its target, and has it delivered after answering.
pub async fn submit(worker: Rc<Worker>, capture: Capture) -> BackgroundToPopup {
    match state::submit(&worker.store, &Browser, capture).await {
        Ok(Queued { item, remembered }) => {
            if let Err(e) = remembered {
                web_sys::console::warn_1(&format!("sprout: could not remember the target: {e}").into());
            }
            delivery::kick(worker);
            queued(item)
        }
        Err(refused) => refused_answer(refused),
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
    match state::retry(&worker.store, &id, edited).await {
        Ok(item) => {
            delivery::kick(worker);
            queued(item)
        }
        Err(refused) => refused_answer(refused),
    }
}

/// Drops an item the recruiter gave up on; answers the outbox as it is now.
pub async fn discard(worker: &Worker, id: String) -> BackgroundToPopup {
    match state::discard(&worker.store, &id).await {
        Ok(_) => list(worker).await,
        Err(reason) => BackgroundToPopup::Failed { reason },
    }
}

fn queued(item: OutboxItem) -> BackgroundToPopup {
    BackgroundToPopup::Queued {
        item: Box::new(item.listed()),
    }
}

fn refused_answer(refused: Refused) -> BackgroundToPopup {
    match refused {
        Refused::Invalid(errors) => BackgroundToPopup::Invalid { errors },
        Refused::Failed(reason) => BackgroundToPopup::Failed { reason },
    }
}
