//! The popup's requests on the stored outbox (submit, list, retry, discard): every change is made
//! in one outbox turn and stored before anything is answered or sent.

use std::rc::Rc;

use sprout::api::Clock;
use sprout::capture::Capture;
use sprout::outbox::OutboxItem;
use sprout::reason::Reason;
use sprout::request::{OutboxView, Submitted};
use sprout::state::Store;

use crate::Worker;
use crate::delivery;
use crate::host::Browser;

/// Stores the capture in the outbox, remembers its target, and has it delivered after answering.
pub async fn submit(worker: Rc<Worker>, capture: Capture) -> Result<Submitted, Reason> {
    let capture = capture.tidy();
    let connection = worker.store.connection(&capture.connection_id).await?;
    if let Err(errors) = capture.check_new_for(connection.dialect.capabilities()) {
        return Ok(Submitted::Invalid { errors });
    }
    let (connection_id, target) = (capture.connection_id.clone(), capture.target.clone());
    let now = Browser.now_ms();
    let item = worker
        .store
        .change_outbox(|o| o.enqueue(capture, now).clone())
        .await?;
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
    Ok(Submitted::Queued {
        item: Box::new(item.listed()),
    })
}

pub async fn list(worker: &Worker) -> Result<OutboxView, Reason> {
    let outbox = worker.store.outbox().await?;
    Ok(OutboxView {
        items: outbox.items.into_iter().map(OutboxItem::listed).collect(),
    })
}

/// Sends a failed item again, as the recruiter edited it if they did.
pub async fn retry(worker: Rc<Worker>, id: String, edited: Option<Capture>) -> Result<Submitted, Reason> {
    let edited = edited.map(Capture::tidy);
    let can = match &edited {
        Some(capture) => Some(
            worker
                .store
                .connection(&capture.connection_id)
                .await?
                .dialect
                .capabilities(),
        ),
        None => None,
    };
    let answer = worker
        .store
        .change_outbox(|o| -> Result<Submitted, Reason> {
            let edited = match edited {
                // Files come back named by id; `Outbox::retry` gives them their stored bytes.
                Some(capture) => {
                    let checked = match can {
                        Some(can) => capture.check_for(can),
                        None => capture.check(),
                    };
                    if let Err(errors) = checked {
                        return Ok(Submitted::Invalid { errors });
                    }
                    Some(capture)
                }
                None => None,
            };
            let item = o.retry(&id, edited)?;
            Ok(Submitted::Queued {
                item: Box::new(item.clone().listed()),
            })
        })
        .await??;
    if matches!(answer, Submitted::Queued { .. }) {
        delivery::kick(worker);
    }
    Ok(answer)
}

/// Drops an item the recruiter gave up on; answers the outbox as it is now.
pub async fn discard(worker: &Worker, id: String) -> Result<OutboxView, Reason> {
    worker.store.change_outbox(|o| o.discard(&id).map(drop)).await??;
    list(worker).await
}
