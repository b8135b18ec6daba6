//! The popup's requests on the stored outbox (submit, list, retry, discard): the core
//! (`sprout::state::{submit, retry, discard}`) decides and stores each change before anything is
//! answered; this answers the popup and starts a drain when something was queued.

use std::rc::Rc;

use sprout::capture::Capture;
use sprout::outbox::OutboxItem;
use sprout::reason::Reason;
use sprout::request::{OutboxView, Submitted};
use sprout::state::{self, Queued, Refused};

use crate::Worker;
use crate::delivery;
use crate::host::Browser;

/// Stores the capture in the outbox, remembers its target, and has it delivered after answering.
pub async fn submit(worker: Rc<Worker>, capture: Capture) -> Result<Submitted, Reason> {
    match state::submit(&worker.store, &Browser, capture).await {
        Ok(Queued { item, remembered }) => {
            if let Err(e) = remembered {
                web_sys::console::warn_1(&format!("sprout: could not remember the target: {e}").into());
            }
            delivery::kick(worker);
            Ok(queued(item))
        }
        Err(refused) => refused_answer(refused),
    }
}

pub async fn list(worker: &Worker) -> Result<OutboxView, Reason> {
    let outbox = worker.store.outbox().await?;
    Ok(OutboxView {
        items: outbox.items.into_iter().map(OutboxItem::listed).collect(),
    })
}

/// Sends a failed item again, as the recruiter edited it if they did.
pub async fn retry(worker: Rc<Worker>, id: String, edited: Option<Capture>) -> Result<Submitted, Reason> {
    match state::retry(&worker.store, &id, edited).await {
        Ok(item) => {
            delivery::kick(worker);
            Ok(queued(item))
        }
        Err(refused) => refused_answer(refused),
    }
}

/// Drops an item the recruiter gave up on; answers the outbox as it is now.
pub async fn discard(worker: &Worker, id: String) -> Result<OutboxView, Reason> {
    state::discard(&worker.store, &id).await?;
    list(worker).await
}

fn queued(item: OutboxItem) -> Submitted {
    Submitted::Queued {
        item: Box::new(item.listed()),
    }
}

fn refused_answer(refused: Refused) -> Result<Submitted, Reason> {
    match refused {
        Refused::Invalid(errors) => Ok(Submitted::Invalid { errors }),
        Refused::Failed(reason) => Err(reason),
    }
}
