//! Tracking links for a job: the core (`sprout::state::create_tracking_link`) decides and
//! remembers what the role may do; this calls Greenhouse with the connection's credentials.

use sprout::reason::Reason;
use sprout::request::NewTrackingLink;
use sprout::state;

use crate::account;
use crate::browser_store::BrowserStore;

pub async fn create(
    store: &BrowserStore,
    connection_id: String,
    job_id: u64,
) -> Result<NewTrackingLink, Reason> {
    let call = async |connection: &_, op: &_| {
        account::authorized(store, connection, async |api, auth| api.call(auth, op).await).await
    };
    let (link, remembered) = state::create_tracking_link(store, &connection_id, job_id, call).await;
    if let Err(e) = remembered {
        web_sys::console::warn_1(
            &format!("sprout: could not remember the tracking-link ability: {e}").into(),
        );
    }
    let link = link?;
    Ok(NewTrackingLink {
        url: link.url,
        expires_at: link.expires_at,
    })
}
