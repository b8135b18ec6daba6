//! "Already in Greenhouse?": this browser's ledger of deliveries, then Greenhouse's own records
//! under the person's `external_id`, merged into one list for the popup.

use sprout::api::{ApiError, ListCandidates};
use sprout::protocol::{BackgroundToPopup, ExistingRecord};

use crate::account::{self, Failure};
use crate::{storage, store};

const ROLE_CANNOT_LOOK: &str =
    "Your Greenhouse role can't look people up, so only captures sent from this browser were checked.";
const OFFLINE: &str =
    "Sprout couldn't reach Greenhouse, so only captures sent from this browser were checked.";

pub async fn check(connection_id: String, external_id: String) -> BackgroundToPopup {
    let connection = match store::connection(&connection_id).await {
        Ok(c) => c,
        Err(message) => return BackgroundToPopup::Failed { message },
    };
    let ledger = match storage::ledger(&connection_id, &external_id).await {
        Ok(entries) => entries,
        Err(message) => return BackgroundToPopup::Failed { message },
    };
    let mut records: Vec<ExistingRecord> = ledger
        .into_iter()
        .map(|e| ExistingRecord {
            candidate_id: e.candidate_id,
            name: e.name,
            link: connection.person_link(e.candidate_id),
            from_ledger: true,
            target_label: Some(e.target_label),
            at_ms: Some(e.at_ms),
        })
        .collect();
    let query = ListCandidates {
        external_ids: vec![external_id.clone()],
        candidate_ids: vec![],
    };
    let found = account::authorized(&connection, async |api, auth| api.call(auth, &query).await).await;
    let (greenhouse_checked, note) = match found {
        Ok(candidates) => {
            // Greenhouse's records after this browser's own, which know when and where to.
            for c in candidates.into_iter().filter(|c| c.external_id == external_id) {
                let Some(id) = c.id else { continue };
                if !records.iter().any(|r| r.candidate_id == id) {
                    records.push(ExistingRecord {
                        candidate_id: id,
                        name: format!("{} {}", c.first_name, c.last_name).trim().to_owned(),
                        link: connection.person_link(id),
                        from_ledger: false,
                        target_label: None,
                        at_ms: None,
                    });
                }
            }
            (true, None)
        }
        Err(Failure::Api(ApiError::Forbidden { .. })) => (false, Some(ROLE_CANNOT_LOOK.to_owned())),
        Err(Failure::Api(ApiError::Network { .. })) => (false, Some(OFFLINE.to_owned())),
        Err(other) => (
            false,
            Some(format!(
                "{} Only captures sent from this browser were checked.",
                other.sentence()
            )),
        ),
    };
    BackgroundToPopup::Duplicates {
        records,
        greenhouse_checked,
        note,
    }
}
