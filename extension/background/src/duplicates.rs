//! "Already in Greenhouse?": the core's check (`sprout::state::check_duplicates`) asking
//! Greenhouse with the connection's credentials, and why it could not ask.

use sprout::protocol::BackgroundToPopup;
use sprout::reason::Reason;
use sprout::state::check_duplicates;

use crate::account;
use crate::browser_store::BrowserStore;

pub async fn check(store: &BrowserStore, connection_id: String, external_id: String) -> BackgroundToPopup {
    let connection = match store.connection(&connection_id).await {
        Ok(c) => c,
        Err(e) => return BackgroundToPopup::Failed { reason: e },
    };
    let look = async |known: &[u64]| {
        account::authorized(store, &connection, async |api, auth| {
            api.existing(auth, &external_id, known).await
        })
        .await
    };
    let checked = match check_duplicates(store, &connection, &external_id, look).await {
        Ok(checked) => checked,
        Err(e) => return BackgroundToPopup::Failed { reason: e.into() },
    };
    let note = checked.looked.err().map(Reason::from);
    BackgroundToPopup::Duplicates {
        records: checked.records,
        greenhouse_checked: note.is_none(),
        note,
        ledger_only: checked.ledger_only,
    }
}
