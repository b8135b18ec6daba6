//! Tracking links for a job, and remembering whether the recruiter's role may create them.

use sprout::api::{ApiError, CreateTrackingLink};
use sprout::candidate::TrackingLinkRequest;
use sprout::protocol::Ability;
use sprout::reason::Reason;
use sprout::request::NewTrackingLink;
use sprout::state::Store;

use crate::account::{self, Failure};
use crate::browser_store::BrowserStore;

pub async fn create(
    store: &BrowserStore,
    connection_id: String,
    job_id: u64,
) -> Result<NewTrackingLink, Reason> {
    let connection = store.connection(&connection_id).await?;
    let op = CreateTrackingLink(TrackingLinkRequest {
        job_id: Some(job_id),
        ..Default::default()
    });
    let created = account::authorized(store, &connection, async |api, auth| api.call(auth, &op).await).await;
    let (ability, answer) = match created {
        Ok(link) => (
            Some(Ability::Allowed),
            Ok(NewTrackingLink {
                url: link.url,
                expires_at: link.expires_at,
            }),
        ),
        Err(Failure::Api(ApiError::Forbidden { .. })) => {
            (Some(Ability::NotAllowed), Err(Reason::TrackingNotAllowed))
        }
        Err(other) => (None, Err(other.into())),
    };
    if let Some(ability) = ability {
        let remembered = async {
            let mut remembered = store.remembered(&connection_id).await?;
            remembered.tracking_links = ability;
            store.put_remembered(&connection_id, &remembered).await
        };
        if let Err(e) = remembered.await {
            web_sys::console::warn_1(
                &format!("sprout: could not remember the tracking-link ability: {e}").into(),
            );
        }
    }
    answer
}
