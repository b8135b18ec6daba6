//! "Already in Greenhouse?": the core's check (`sprout::state::check_duplicates`) asking
//! Greenhouse with the connection's credentials, and why it could not ask, in words.

use sprout::api::ApiError;
use sprout::protocol::BackgroundToPopup;
use sprout::state::check_duplicates;

use crate::account::{self, Failure};
use crate::browser_store::BrowserStore;

const ROLE_CANNOT_LOOK: &str = "Greenhouse doesn't let this sign-in look people up (your role, or the scopes it was granted), so only captures sent from this browser were checked.";
const OFFLINE: &str =
    "Sprout couldn't reach Greenhouse, so only captures sent from this browser were checked.";

pub async fn check(store: &BrowserStore, connection_id: String, external_id: String) -> BackgroundToPopup {
    let connection = match store.connection(&connection_id).await {
        Ok(c) => c,
        Err(message) => return BackgroundToPopup::Failed { message },
    };
    let look = async |known: &[u64]| {
        account::authorized(store, &connection, async |api, auth| {
            api.existing(auth, &external_id, known).await
        })
        .await
    };
    let checked = match check_duplicates(store, &connection, &external_id, look).await {
        Ok(checked) => checked,
        Err(message) => return BackgroundToPopup::Failed { message },
    };
    let note = match checked.looked {
        Ok(()) => None,
        Err(Failure::Api(ApiError::Forbidden { .. })) => Some(ROLE_CANNOT_LOOK.to_owned()),
        Err(Failure::Api(ApiError::Network { .. })) => Some(OFFLINE.to_owned()),
        Err(other) => Some(format!(
            "{} Only captures sent from this browser were checked.",
            other.sentence()
        )),
    };
    BackgroundToPopup::Duplicates {
        records: checked.records,
        greenhouse_checked: note.is_none(),
        note,
        ledger_only: checked.ledger_only,
    }
}
