//! "Already in Greenhouse?": the core's check (`sprout::state::check_duplicates`) asking
//! Greenhouse with the connection's credentials, and why it could not ask.

use sprout::reason::Reason;
use sprout::request::Duplicates;
use sprout::state::check_duplicates;

use crate::account;
use crate::browser_store::BrowserStore;

pub async fn check(
    store: &BrowserStore,
    connection_id: String,
    external_id: String,
) -> Result<Duplicates, Reason> {
    let connection = store.connection(&connection_id).await?;
    let look = async |known: &[u64]| {
        account::authorized(store, &connection, async |api, auth| {
            api.existing(auth, &external_id, known).await
        })
        .await
    };
    let checked = check_duplicates(store, &connection, &external_id, look).await?;
    let note = checked.looked.err().map(Reason::from);
    Ok(Duplicates {
        records: checked.records,
        greenhouse_checked: note.is_none(),
        note,
        ledger_only: checked.ledger_only,
    })
}
