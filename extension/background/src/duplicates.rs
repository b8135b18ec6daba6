//! "Already in Greenhouse?": this browser's ledger of deliveries, then Greenhouse's own records
//! (searched by the person where the server can, else the ledger's records read back by id),
//! merged by the core into one list for the popup.

use sprout::api::ApiError;
use sprout::protocol::BackgroundToPopup;

use crate::account::{self, Failure};
use sprout::state::Store;

use crate::store::BrowserStore;

const ROLE_CANNOT_LOOK: &str = "Greenhouse doesn't let this sign-in look people up (your role, or the scopes it was granted), so only captures sent from this browser were checked.";
const OFFLINE: &str =
    "Sprout couldn't reach Greenhouse, so only captures sent from this browser were checked.";

pub async fn check(store: &BrowserStore, connection_id: String, external_id: String) -> BackgroundToPopup {
    let connection = match store.connection(&connection_id).await {
        Ok(c) => c,
        Err(message) => return BackgroundToPopup::Failed { message },
    };
    let ledger = match store.ledger(&connection_id, &external_id).await {
        Ok(entries) => entries,
        Err(message) => return BackgroundToPopup::Failed { message },
    };
    let known: Vec<u64> = ledger.iter().map(|e| e.candidate_id).collect();
    let searchable = connection.dialect.capabilities().lookup_by_external_id;
    let found = account::authorized(store, &connection, async |api, auth| {
        api.existing(auth, &external_id, &known).await
    })
    .await;
    let (found, note) = match found {
        Ok(records) => (Some(records), None),
        Err(Failure::Api(ApiError::Forbidden { .. })) => (None, Some(ROLE_CANNOT_LOOK.to_owned())),
        Err(Failure::Api(ApiError::Network { .. })) => (None, Some(OFFLINE.to_owned())),
        Err(other) => (
            None,
            Some(format!(
                "{} Only captures sent from this browser were checked.",
                other.sentence()
            )),
        ),
    };
    let greenhouse_checked = found.is_some();
    let records = sprout::duplicates::merge(ledger, found, !searchable, |id| connection.person_link(id));
    BackgroundToPopup::Duplicates {
        records,
        greenhouse_checked,
        note,
        ledger_only: !searchable,
    }
}
