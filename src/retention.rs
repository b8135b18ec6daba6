//! How long this browser keeps what it knows about people it sent (the ledger, finished outbox
//! items), so recruiting data does not stay forever: the setting and the rule, which the
//! background applies whenever it wakes.

use serde::{Deserialize, Serialize};

use crate::outbox::{ItemState, LedgerEntry, Outbox, OutboxItem};

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// The retention period, in whole days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    pub days: u32,
}

impl Default for Retention {
    fn default() -> Retention {
        Retention {
            days: Retention::DEFAULT_DAYS,
        }
    }
}

impl Retention {
    pub const DEFAULT_DAYS: u32 = 90;
    /// A day at least: the outbox lists a delivery for a day anyway.
    pub const MIN_DAYS: u32 = 1;
    /// Ten years; beyond that a period is "forever", which is what this setting exists to avoid.
    pub const MAX_DAYS: u32 = 3650;

    /// A period the recruiter typed, or `None` outside [`Retention::MIN_DAYS`]..=[`Retention::MAX_DAYS`].
    pub fn new(days: u32) -> Option<Retention> {
        (Retention::MIN_DAYS..=Retention::MAX_DAYS)
            .contains(&days)
            .then_some(Retention { days })
    }

    /// Anything from before this time is past the period.
    fn cutoff_ms(self, now_ms: u64) -> u64 {
        now_ms.saturating_sub(u64::from(self.days) * DAY_MS)
    }

    /// Whether a ledger entry is still within the period.
    pub fn keeps_entry(self, entry: &LedgerEntry, now_ms: u64) -> bool {
        entry.at_ms >= self.cutoff_ms(now_ms)
    }

    /// Whether an outbox item is past the period: only a finished one (delivered, or failed and
    /// waiting for the recruiter), never one queued or in flight, which is still the recruiter's
    /// work in progress. A failed item is as old as its capture (`queued_at_ms`; a retry keeps it).
    pub fn expires_item(self, item: &OutboxItem, now_ms: u64) -> bool {
        let cutoff = self.cutoff_ms(now_ms);
        match item.state {
            ItemState::Delivered { at_ms, .. } => at_ms < cutoff,
            ItemState::Failed { .. } => item.queued_at_ms < cutoff,
            ItemState::Queued { .. } | ItemState::Sending { .. } => false,
        }
    }

    /// Ids of the outbox items past the period.
    pub fn expired_items(self, outbox: &Outbox, now_ms: u64) -> Vec<String> {
        outbox
            .items
            .iter()
            .filter(|i| self.expires_item(i, now_ms))
            .map(|i| i.id.clone())
            .collect()
    }
}

/// Ids of every finished outbox item, for "forget everything": what is queued or in flight still
/// goes out (forgetting it would silently drop a capture the recruiter asked Sprout to send).
pub fn finished_items(outbox: &Outbox) -> Vec<String> {
    outbox
        .items
        .iter()
        .filter(|i| matches!(i.state, ItemState::Delivered { .. } | ItemState::Failed { .. }))
        .map(|i| i.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidate::PartnerCandidate;
    use crate::capture::{Capture, Target};
    use crate::outbox::BeforeSend;

    const NOW: u64 = 1_000 * DAY_MS;

    fn entry(at_ms: u64) -> LedgerEntry {
        LedgerEntry {
            connection_id: "c1".into(),
            external_id: "sprout-1".into(),
            candidate_id: 7,
            name: "Ada Lovelace".into(),
            link: "https://app.greenhouse.io/people/7".into(),
            target_label: "Engineering".into(),
            at_ms,
        }
    }

    fn item(id: &str, queued_at_ms: u64, state: ItemState) -> OutboxItem {
        OutboxItem {
            id: id.into(),
            seq: 1,
            capture: Capture {
                connection_id: "c1".into(),
                person: PartnerCandidate::default(),
                target: Target::Prospect {
                    pool_id: 1,
                    stage_id: None,
                    owner_id: None,
                    owner_email: None,
                },
                target_label: String::new(),
                page_url: String::new(),
                beside: vec![],
                note: String::new(),
                audit: String::new(),
            },
            state,
            queued_at_ms,
            attempts: 1,
            before_send: BeforeSend::NothingSent,
        }
    }

    fn failed() -> ItemState {
        ItemState::Failed {
            problem: crate::reason::Problem::Validation,
            fields: vec![],
            outcome_unknown: false,
        }
    }

    fn delivered(at_ms: u64) -> ItemState {
        ItemState::Delivered {
            candidate_id: 7,
            link: String::new(),
            confirmed_by_lookup: false,
            also_stored: vec![],
            at_ms,
        }
    }

    #[test]
    fn ninety_days_unless_the_recruiter_sets_another_period_within_bounds() {
        assert_eq!(Retention::default().days, 90);
        assert_eq!(Retention::new(30), Some(Retention { days: 30 }));
        assert_eq!(Retention::new(0), None);
        assert_eq!(Retention::new(3651), None);
        let stored: Retention = serde_json::from_str(r#"{"days": 7}"#).unwrap();
        assert_eq!(stored, Retention { days: 7 });
    }

    #[test]
    fn ledger_entries_older_than_the_period_go() {
        let r = Retention::default();
        assert!(r.keeps_entry(&entry(NOW), NOW));
        assert!(
            r.keeps_entry(&entry(NOW - 90 * DAY_MS), NOW),
            "exactly 90 days: kept"
        );
        assert!(!r.keeps_entry(&entry(NOW - 90 * DAY_MS - 1), NOW));
        assert!(Retention { days: 365 }.keeps_entry(&entry(NOW - 100 * DAY_MS), NOW));
    }

    #[test]
    fn finished_items_older_than_the_period_go_but_never_queued_or_in_flight_ones() {
        let r = Retention { days: 30 };
        let old = NOW - 31 * DAY_MS;
        let recent = NOW - 29 * DAY_MS;
        let outbox = Outbox::from_items(vec![
            item("o1", old, failed()),
            item("o2", recent, failed()),
            item("o3", old, delivered(old)),
            item("o4", old, delivered(recent)),
            item(
                "o5",
                old,
                ItemState::Queued {
                    not_before_ms: 0,
                    note: None,
                },
            ),
            item("o6", old, ItemState::Sending { since_ms: old }),
        ]);
        assert_eq!(r.expired_items(&outbox, NOW), ["o1", "o3"]);
        assert_eq!(finished_items(&outbox), ["o1", "o2", "o3", "o4"]);
    }
}
