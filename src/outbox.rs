//! The outbox: every submit is recorded here before any network call, and leaves only when
//! Greenhouse has confirmed it or the recruiter discards it. This module holds the decisions
//! (what to send next, what an answer means, what a restarted worker must check first); the
//! background stores each changed item and does the network calls.

use serde::{Deserialize, Serialize};

use crate::api::{ApiError, FieldError};
use crate::candidate::Attachment;
use crate::capture::{Capture, content_id};
use crate::reason::{Problem, Reason, Waiting};

/// Delivered items stay listed (with their link) this long, then only the ledger remembers them.
pub const KEEP_DELIVERED_MS: u64 = 24 * 60 * 60 * 1000;
/// A failure that will pass (offline, 5xx, 429) is tried again after this long at the latest.
pub const MAX_WAIT_MS: u64 = 5 * 60 * 1000;

/// One submit and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    /// "o" + `seq`; stable for the item's whole life, also across retries.
    pub id: String,
    /// Delivery order: lower goes first. A retried item moves to the end.
    pub seq: u64,
    pub capture: Capture,
    pub state: ItemState,
    pub queued_at_ms: u64,
    /// Network attempts so far, across service-worker lives.
    #[serde(default)]
    pub attempts: u32,
    /// What was under the person before this attempt's create went out, stored before it did.
    #[serde(default)]
    pub before_send: BeforeSend,
}

/// The records already under a person before an attempt's create was sent. The client keeps
/// them while it waits for the answer; the item keeps them too, because a worker that stops
/// mid-create takes the client's copy with it, and the next worker's look-up must still tell
/// this create's record from an older one under the same `external_id` (a colleague's capture,
/// or someone a hostile page claims to be).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "BeforeSendFields")]
pub enum BeforeSend {
    /// Stored by a version that did not keep the list: a look-up can exclude only the records
    /// the recruiter confirmed it beside (`capture.beside`).
    #[default]
    Unrecorded,
    /// This attempt has sent nothing yet.
    NothingSent,
    /// The records under the person before this attempt's first create.
    Listed { ids: Vec<u64> },
    /// They could not be listed (the dialect cannot search, the role may not read candidates);
    /// the create went out anyway, and a lost answer goes to the recruiter.
    Unlisted,
}

/// A stored [`BeforeSend`], read as one flat struct (any key order) rather than through serde's
/// internally tagged decoding, which buffers the value first and compiles its decoding twice.
#[derive(Deserialize)]
struct BeforeSendFields {
    kind: BeforeSendKind,
    ids: Option<Vec<u64>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum BeforeSendKind {
    Unrecorded,
    NothingSent,
    Listed,
    Unlisted,
}

impl TryFrom<BeforeSendFields> for BeforeSend {
    type Error = &'static str;

    fn try_from(fields: BeforeSendFields) -> Result<BeforeSend, Self::Error> {
        Ok(match fields.kind {
            BeforeSendKind::Unrecorded => BeforeSend::Unrecorded,
            BeforeSendKind::NothingSent => BeforeSend::NothingSent,
            BeforeSendKind::Listed => BeforeSend::Listed {
                ids: fields.ids.ok_or("missing field `ids`")?,
            },
            BeforeSendKind::Unlisted => BeforeSend::Unlisted,
        })
    }
}

/// Stored in IndexedDB: an item a version before reasons stored (with sentences) reads through
/// [`crate::stored_v2`] into this shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "state",
    rename_all = "snake_case",
    try_from = "crate::stored_v2::StoredState"
)]
pub enum ItemState {
    /// Waiting for its turn, or until `not_before_ms` after a failure that will pass.
    Queued {
        #[serde(default)]
        not_before_ms: u64,
        /// Why it is waiting, when it has been tried before or its connection cannot send.
        #[serde(default)]
        note: Option<Waiting>,
    },
    /// A create may be in flight. Whoever finds an item in this state without having sent it
    /// (a worker restarted mid-delivery) must look the person up before sending again.
    Sending { since_ms: u64 },
    Delivered {
        candidate_id: u64,
        /// The person in Greenhouse.
        link: String,
        /// True when the answer was lost and a look-up by `external_id` confirmed it.
        #[serde(default)]
        confirmed_by_lookup: bool,
        /// Other records that appeared under this `external_id` during the delivery: the
        /// browser's network layer itself resends a request whose reused connection dropped before
        /// any answer, which Sprout cannot see or stop, so it checks afterwards and says so.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        also_stored: Vec<u64>,
        at_ms: u64,
    },
    /// Needs the recruiter: retry, edit or discard.
    Failed {
        problem: Problem,
        /// Greenhouse's field errors, mapped onto the form when the item is edited.
        #[serde(default)]
        fields: Vec<FieldError>,
        /// The create may have landed and could not be checked (the role may not read candidates).
        #[serde(default)]
        outcome_unknown: bool,
    },
}

impl OutboxItem {
    /// The item as the popup lists it: files keep their name, type and id but not their bytes
    /// (a CV can be megabytes, and the list is sent to every open popup). Editing it sends the
    /// ids back; [`Outbox::retry`] puts the bytes back by id.
    pub fn listed(mut self) -> OutboxItem {
        for attachment in &mut self.capture.person.attachments {
            if attachment.content.is_some() {
                attachment.id = stored_id(attachment);
                attachment.content = None;
            }
        }
        self
    }
}

/// What the background should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Work on this item. `check_first`: it was left `Sending` by an earlier worker, so look the
    /// person up before any resend.
    Deliver {
        id: String,
        check_first: bool,
    },
    /// Nothing is due before this time (wake up then, e.g. with an alarm).
    WaitUntil(u64),
    Idle,
}

/// How one delivery attempt ended, as the background observed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Delivered {
        candidate_id: u64,
        link: String,
        confirmed_by_lookup: bool,
        also_stored: Vec<u64>,
    },
    Failed(ApiError),
}

/// A person this browser has delivered, remembered after the outbox item is gone: the local half
/// of "already in Greenhouse?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub connection_id: String,
    pub external_id: String,
    pub candidate_id: u64,
    pub name: String,
    pub link: String,
    pub target_label: String,
    pub at_ms: u64,
}

/// All items, in delivery order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    pub items: Vec<OutboxItem>,
    pub next_seq: u64,
}

impl Outbox {
    /// Rebuilds the outbox from stored items (in any order).
    pub fn from_items(mut items: Vec<OutboxItem>) -> Outbox {
        items.sort_by_key(|i| i.seq);
        let next_seq = items.last().map_or(1, |i| i.seq + 1);
        Outbox { items, next_seq }
    }

    pub fn get(&self, id: &str) -> Option<&OutboxItem> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Records a new submit; the caller stores the returned item before anything is sent.
    pub fn enqueue(&mut self, capture: Capture, now_ms: u64) -> &OutboxItem {
        let seq = self.take_seq();
        self.items.push(OutboxItem {
            id: format!("o{seq}"),
            seq,
            capture,
            state: ItemState::Queued {
                not_before_ms: 0,
                note: None,
            },
            queued_at_ms: now_ms,
            attempts: 0,
            before_send: BeforeSend::NothingSent,
        });
        self.items.last().expect("just pushed")
    }

    /// Items go out one at a time, oldest first. An item waiting out a temporary failure holds
    /// back those queued after it for the same connection (in order, and Greenhouse asked us to
    /// slow down anyway); an item that needs the recruiter does not.
    pub fn next(&self, now_ms: u64) -> Next {
        self.next_ready(now_ms, |_| true)
    }

    /// [`Outbox::next`] among the connections that can send now (`ready`): the items of one that
    /// cannot (nobody signed in) keep their state and place, and nothing waits on them.
    pub fn next_ready(&self, now_ms: u64, ready: impl Fn(&str) -> bool) -> Next {
        let mut wake: Option<u64> = None;
        let mut held: Vec<&str> = Vec::new();
        for item in &self.items {
            let connection = item.capture.connection_id.as_str();
            match &item.state {
                ItemState::Delivered { .. } | ItemState::Failed { .. } => continue,
                _ if held.contains(&connection) || !ready(connection) => continue,
                ItemState::Sending { .. } => {
                    return Next::Deliver {
                        id: item.id.clone(),
                        check_first: true,
                    };
                }
                ItemState::Queued { not_before_ms, .. } if *not_before_ms <= now_ms => {
                    return Next::Deliver {
                        id: item.id.clone(),
                        check_first: false,
                    };
                }
                ItemState::Queued { not_before_ms, .. } => {
                    wake = Some(wake.map_or(*not_before_ms, |w| w.min(*not_before_ms)));
                    held.push(connection);
                }
            }
        }
        wake.map_or(Next::Idle, Next::WaitUntil)
    }

    /// Marks the item as possibly in flight; the caller stores it before sending. One an earlier
    /// worker left in flight keeps what was under the person before that worker's create.
    pub fn start(&mut self, id: &str, now_ms: u64) -> Option<&OutboxItem> {
        let item = self.items.iter_mut().find(|i| i.id == id)?;
        if !matches!(item.state, ItemState::Sending { .. }) {
            item.before_send = BeforeSend::NothingSent;
        }
        item.state = ItemState::Sending { since_ms: now_ms };
        item.attempts += 1;
        Some(item)
    }

    /// Keeps on an item in flight what was under the person before its create goes out; the
    /// caller stores it before sending. False when the item is no longer in flight.
    pub fn note_before_send(&mut self, id: &str, before: BeforeSend) -> bool {
        match self.items.iter_mut().find(|i| i.id == id) {
            Some(item) if matches!(item.state, ItemState::Sending { .. }) => {
                item.before_send = before;
                true
            }
            _ => false,
        }
    }

    /// Puts an item back exactly as it was before [`Outbox::start`], when nothing was sent after
    /// all: one an earlier worker left in flight keeps its look-up before any resend.
    pub fn put_back(&mut self, before: OutboxItem) {
        if let Some(slot) = self.items.iter_mut().find(|i| i.id == before.id) {
            *slot = before;
        }
    }

    /// Applies how a delivery ended. `wait_ms` is how long the retry policy says a temporary
    /// failure should wait. Returns the changed item and, when it was delivered, its ledger entry.
    pub fn finish(
        &mut self,
        id: &str,
        outcome: Outcome,
        wait_ms: u64,
        now_ms: u64,
    ) -> Option<(&OutboxItem, Option<LedgerEntry>)> {
        let item = self.items.iter_mut().find(|i| i.id == id)?;
        let mut entry = None;
        item.state = match outcome {
            Outcome::Delivered {
                candidate_id,
                link,
                confirmed_by_lookup,
                also_stored,
            } => {
                entry = Some(LedgerEntry {
                    connection_id: item.capture.connection_id.clone(),
                    external_id: item.capture.person.external_id.clone(),
                    candidate_id,
                    name: item.capture.display_name(),
                    link: link.clone(),
                    target_label: item.capture.target_label.clone(),
                    at_ms: now_ms,
                });
                ItemState::Delivered {
                    candidate_id,
                    link,
                    confirmed_by_lookup,
                    also_stored,
                    at_ms: now_ms,
                }
            }
            Outcome::Failed(error) if passes(&error) => ItemState::Queued {
                not_before_ms: now_ms + wait_ms.min(MAX_WAIT_MS),
                note: Some(Waiting::Retrying {
                    problem: Problem::from(&error),
                }),
            },
            Outcome::Failed(error) => ItemState::Failed {
                problem: Problem::from(&error),
                fields: error.field_messages().to_vec(),
                outcome_unknown: matches!(error, ApiError::UnknownOutcome { .. }),
            },
        };
        Some((item, entry))
    }

    /// The recruiter's "Retry" (optionally after editing): the item goes to the end of the queue.
    /// An edited capture comes from the listing, its files named by id without their bytes: each
    /// file the recruiter kept gets its own bytes back from the stored item, whatever its place
    /// now; a file they removed is gone; a file they added brings its bytes. A file the item
    /// never had is refused, and nothing changes.
    pub fn retry(&mut self, id: &str, edited: Option<Capture>) -> Result<&OutboxItem, Reason> {
        let seq = self.next_seq;
        let item = self
            .items
            .iter_mut()
            .find(|i| i.id == id)
            .ok_or(Reason::ItemGone)?;
        if !matches!(item.state, ItemState::Failed { .. }) {
            return Err(Reason::NotFailed);
        }
        if let Some(mut capture) = edited {
            restore_files(&mut capture, &item.capture)?;
            item.capture = capture;
        }
        item.seq = seq;
        item.state = ItemState::Queued {
            not_before_ms: 0,
            note: None,
        };
        self.next_seq += 1;
        self.items.sort_by_key(|i| i.seq);
        Ok(self.get(id).expect("still there"))
    }

    /// The recruiter's "Discard": only for an item that failed or has not been sent yet, never
    /// for one that may be in flight.
    pub fn discard(&mut self, id: &str) -> Result<OutboxItem, Reason> {
        let index = self
            .items
            .iter()
            .position(|i| i.id == id)
            .ok_or(Reason::ItemGone)?;
        match &self.items[index].state {
            ItemState::Failed { .. } | ItemState::Delivered { .. } => {}
            ItemState::Queued { .. } if self.items[index].attempts == 0 => {}
            _ => return Err(Reason::ItemSending),
        }
        Ok(self.items.remove(index))
    }

    /// Says on each queued item of a connection that cannot send why it waits (e.g. signed out);
    /// returns the items whose note changed, for the caller to store. Nothing else changes: an
    /// item left `Sending` keeps its look-up before any resend.
    pub fn note_waiting(&mut self, connection_id: &str, why: &Waiting) -> Vec<&OutboxItem> {
        let mut changed = Vec::new();
        for item in &mut self.items {
            if item.capture.connection_id != connection_id {
                continue;
            }
            if let ItemState::Queued { note, .. } = &mut item.state
                && note.as_ref() != Some(why)
            {
                *note = Some(why.clone());
                changed.push(&*item);
            }
        }
        changed
    }

    /// The connection was removed: its undelivered items can no longer go anywhere, so they wait
    /// for the recruiter (edit to another connection, or discard) rather than vanish. One that
    /// may have been sent says so. Returns the changed items, for the caller to store.
    pub fn abandon(&mut self, connection_id: &str) -> Vec<&OutboxItem> {
        let mut changed = Vec::new();
        for item in &mut self.items {
            if item.capture.connection_id != connection_id {
                continue;
            }
            let maybe_sent = match &item.state {
                ItemState::Queued { .. } => item.attempts > 0,
                ItemState::Sending { .. } => true,
                ItemState::Delivered { .. } | ItemState::Failed { .. } => continue,
            };
            item.state = ItemState::Failed {
                problem: Problem::ConnectionRemoved,
                fields: vec![],
                outcome_unknown: maybe_sent,
            };
            changed.push(&*item);
        }
        changed
    }

    /// Ids of delivered items old enough to drop from the list (the ledger keeps them).
    pub fn expired(&self, now_ms: u64) -> Vec<String> {
        self.items
            .iter()
            .filter(|i| {
                matches!(i.state, ItemState::Delivered { at_ms, .. } if now_ms.saturating_sub(at_ms) > KEEP_DELIVERED_MS)
            })
            .map(|i| i.id.clone())
            .collect()
    }

    pub fn remove(&mut self, ids: &[String]) {
        self.items.retain(|i| !ids.contains(&i.id));
    }

    fn take_seq(&mut self) -> u64 {
        let seq = self.next_seq.max(1);
        self.next_seq = seq + 1;
        seq
    }
}

/// Gives each file of `edited` the bytes of the file with the same id in `stored`. Files that
/// carry bytes (added while editing) are named by those bytes, whatever id they came with.
fn restore_files(edited: &mut Capture, stored: &Capture) -> Result<(), Reason> {
    for attachment in &mut edited.person.attachments {
        if attachment.url.is_some() {
            continue;
        }
        if attachment.content.is_some() {
            attachment.id = content_id(attachment);
            continue;
        }
        let Some(id) = attachment.id.as_deref() else {
            // Neither bytes nor an id: the capture's own check says what is missing.
            continue;
        };
        let before = stored
            .person
            .attachments
            .iter()
            .find(|b| b.content.is_some() && stored_id(b).as_deref() == Some(id))
            .ok_or_else(|| {
                let name = attachment.filename.as_deref().unwrap_or(id);
                Reason::ForeignFile {
                    name: name.to_owned(),
                }
            })?;
        attachment.content.clone_from(&before.content);
    }
    Ok(())
}

/// A stored file's id: the one it was given when attached, or for an item stored before files
/// had ids, the digest of its bytes (computed only then: an open popup reads the list every 400 ms
/// while anything is on its way).
fn stored_id(attachment: &Attachment) -> Option<String> {
    attachment.id.clone().or_else(|| content_id(attachment))
}

/// Failures that pass by themselves, so the outbox tries again without asking the recruiter.
/// A lost create is not one of them: it is resolved by a look-up, or handed to the recruiter.
fn passes(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Network { .. } | ApiError::RateLimited { .. } | ApiError::Server { .. }
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::candidate::{AttachmentType, PartnerCandidate};
    use crate::capture::{Target, attach_file, file_id};
    use serde_json::json;

    /// A capture of `name` for `connection`, to a pool: the outbox's and the drain's tests share it.
    pub(crate) fn capture(connection: &str, name: &str) -> Capture {
        Capture {
            connection_id: connection.into(),
            person: PartnerCandidate {
                external_id: format!("sprout-{name}"),
                first_name: name.into(),
                last_name: "L".into(),
                ..Default::default()
            },
            target: Target::Prospect {
                pool_id: 1,
                stage_id: None,
                owner_id: None,
                owner_email: None,
            },
            target_label: "Pool".into(),
            page_url: String::new(),
            beside: vec![],
            note: String::new(),
            audit: String::new(),
        }
    }

    fn delivered(id: u64) -> Outcome {
        Outcome::Delivered {
            candidate_id: id,
            link: format!("https://app.greenhouse.io/people/{id}"),
            confirmed_by_lookup: false,
            also_stored: vec![],
        }
    }

    #[test]
    fn items_go_out_in_order_and_end_in_the_ledger() {
        let mut o = Outbox::default();
        let a = o.enqueue(capture("c", "a"), 10).id.clone();
        let b = o.enqueue(capture("c", "b"), 11).id.clone();
        assert_eq!((a.as_str(), b.as_str()), ("o1", "o2"));
        assert_eq!(
            o.next(20),
            Next::Deliver {
                id: a.clone(),
                check_first: false
            }
        );
        o.start(&a, 20);
        let (_, entry) = o.finish(&a, delivered(77), 0, 30).unwrap();
        let entry = entry.unwrap();
        assert_eq!((entry.candidate_id, entry.name.as_str()), (77, "a L"));
        assert_eq!(
            o.next(31),
            Next::Deliver {
                id: b,
                check_first: false
            }
        );
    }

    #[test]
    fn an_item_found_sending_is_checked_before_anything_is_resent() {
        let mut o = Outbox::default();
        let a = o.enqueue(capture("c", "a"), 0).id.clone();
        o.start(&a, 1);
        // The worker stops here; a new one rebuilds the outbox from storage.
        let o = Outbox::from_items(o.items.clone());
        assert_eq!(
            o.next(5),
            Next::Deliver {
                id: a,
                check_first: true
            }
        );
        assert_eq!(o.next_seq, 2);
    }

    #[test]
    fn the_records_before_a_create_are_kept_while_it_is_in_flight_and_older_items_still_read() {
        let mut o = Outbox::default();
        let a = o.enqueue(capture("c", "a"), 0).id.clone();
        assert!(
            !o.note_before_send(&a, BeforeSend::Unlisted),
            "only an item in flight"
        );
        // This database version stored items without the list: they read, and say so.
        let mut stored = serde_json::to_value(&o.items[0]).unwrap();
        stored.as_object_mut().unwrap().remove("before_send");
        let read: OutboxItem = serde_json::from_value(stored).unwrap();
        assert_eq!(read.before_send, BeforeSend::Unrecorded);
        o.start(&a, 1);
        assert!(o.note_before_send(&a, BeforeSend::Listed { ids: vec![5] }));
        let stored = serde_json::to_value(&o.items[0]).unwrap();
        assert_eq!(
            stored["before_send"],
            serde_json::json!({"kind": "listed", "ids": [5]})
        );
        // A worker that finds it in flight keeps that list for its look-up...
        let mut o = Outbox::from_items(vec![serde_json::from_value(stored).unwrap()]);
        o.start(&a, 2);
        assert_eq!(o.items[0].before_send, BeforeSend::Listed { ids: vec![5] });
        // ...and a later attempt starts without one.
        let lost = ApiError::Network {
            detail: "offline".into(),
        };
        o.finish(&a, Outcome::Failed(lost), 0, 3);
        o.start(&a, 4);
        assert_eq!(o.items[0].before_send, BeforeSend::NothingSent);
    }

    #[test]
    fn stored_before_send_lists_read_as_main_wrote_them() {
        for (stored, read) in [
            (json!({"kind": "unrecorded"}), BeforeSend::Unrecorded),
            (json!({"kind": "nothing_sent"}), BeforeSend::NothingSent),
            (
                json!({"kind": "listed", "ids": [5, 6]}),
                BeforeSend::Listed { ids: vec![5, 6] },
            ),
            (json!({"kind": "unlisted"}), BeforeSend::Unlisted),
        ] {
            assert_eq!(
                serde_json::from_value::<BeforeSend>(stored.clone()).unwrap(),
                read
            );
            assert_eq!(serde_json::to_value(&read).unwrap(), stored);
        }
        assert_eq!(
            serde_json::from_value::<BeforeSend>(json!({"ids": [], "kind": "listed"})).unwrap(),
            BeforeSend::Listed { ids: Vec::new() }
        );
        assert!(serde_json::from_value::<BeforeSend>(json!({"kind": "listed"})).is_err());
        assert!(serde_json::from_value::<BeforeSend>(json!({"kind": "sent"})).is_err());
    }

    #[test]
    fn temporary_failures_wait_and_hold_back_their_connection_only() {
        let mut o = Outbox::default();
        let a = o.enqueue(capture("c", "a"), 0).id.clone();
        let b = o.enqueue(capture("c", "b"), 0).id.clone();
        let other = o.enqueue(capture("d", "x"), 0).id.clone();
        o.start(&a, 0);
        o.finish(&a, Outcome::Failed(ApiError::Server { status: 503 }), 2_000, 100);
        assert_eq!(
            o.next(200),
            Next::Deliver {
                id: other.clone(),
                check_first: false
            }
        );
        o.start(&other, 200);
        o.finish(&other, delivered(5), 0, 300);
        assert_eq!(o.next(300), Next::WaitUntil(2_100));
        assert_eq!(
            o.next(2_100),
            Next::Deliver {
                id: a.clone(),
                check_first: false
            }
        );
        let note = match &o.get(&a).unwrap().state {
            ItemState::Queued { note, .. } => note.clone().unwrap(),
            s => panic!("{s:?}"),
        };
        assert_eq!(
            note,
            Waiting::Retrying {
                problem: Problem::Server
            }
        );
        o.start(&a, 2_100);
        o.finish(
            &a,
            Outcome::Failed(ApiError::Network { detail: "x".into() }),
            u64::MAX,
            2_200,
        );
        assert_eq!(o.next(2_200), Next::WaitUntil(2_200 + MAX_WAIT_MS));
        assert!(o.discard(&b).is_ok(), "b was never sent");
        assert!(o.discard(&a).is_err(), "a has been sent before and may yet land");
    }

    #[test]
    fn failures_that_need_the_recruiter_can_be_edited_retried_or_discarded() {
        let mut o = Outbox::default();
        let a = o.enqueue(capture("c", "a"), 0).id.clone();
        let b = o.enqueue(capture("c", "b"), 0).id.clone();
        o.start(&a, 0);
        let rejected = ApiError::Validation {
            status: 422,
            fields: vec![FieldError {
                field: Some("emails[0].value".into()),
                message: "is not a valid email address".into(),
            }],
        };
        let (item, entry) = o.finish(&a, Outcome::Failed(rejected), 0, 1).unwrap();
        assert!(entry.is_none());
        match &item.state {
            ItemState::Failed {
                fields,
                outcome_unknown,
                ..
            } => {
                assert_eq!(fields[0].field.as_deref(), Some("emails[0].value"));
                assert!(!outcome_unknown);
            }
            s => panic!("{s:?}"),
        }
        // A failed item does not block the queue.
        assert_eq!(
            o.next(2),
            Next::Deliver {
                id: b.clone(),
                check_first: false
            }
        );
        let mut edited = capture("c", "a2");
        edited.person.emails.clear();
        assert_eq!(o.retry(&a, Some(edited)).unwrap().capture.person.first_name, "a2");
        let order: Vec<&str> = o.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(order, [b.as_str(), a.as_str()]);
        assert!(o.retry(&a, None).is_err(), "only failed items are retried");
        o.start(&a, 3);
        o.finish(
            &a,
            Outcome::Failed(ApiError::UnknownOutcome { detail: "403".into() }),
            0,
            4,
        );
        assert!(matches!(
            o.get(&a).unwrap().state,
            ItemState::Failed {
                outcome_unknown: true,
                ..
            }
        ));
        assert_eq!(o.discard(&a).unwrap().id, a);
        assert!(o.get(&a).is_none());
    }

    #[test]
    fn a_connection_that_cannot_send_holds_only_its_own_items_and_keeps_their_state() {
        let mut o = Outbox::default();
        let a = o.enqueue(capture("c", "a"), 0).id.clone();
        let b = o.enqueue(capture("c", "b"), 0).id.clone();
        let other = o.enqueue(capture("d", "x"), 0).id.clone();
        o.start(&a, 1);
        let signed_out = |c: &str| c != "c";
        assert_eq!(
            o.next_ready(2, signed_out),
            Next::Deliver {
                id: other.clone(),
                check_first: false
            }
        );
        o.start(&other, 2);
        o.finish(&other, delivered(3), 0, 3);
        assert_eq!(o.next_ready(4, signed_out), Next::Idle, "nothing to wait for");
        let sign_in = Waiting::NotReady {
            why: crate::reason::NotReady::SignedOut,
        };
        let noted: Vec<String> = o
            .note_waiting("c", &sign_in)
            .iter()
            .map(|i| i.id.clone())
            .collect();
        assert_eq!(noted, [b], "a Sending item keeps its state");
        assert!(o.note_waiting("c", &sign_in).is_empty(), "noted once");
        assert_eq!(
            o.next(5),
            Next::Deliver {
                id: a,
                check_first: true
            },
            "after sign-in the interrupted item is looked up first"
        );
    }

    #[test]
    fn a_removed_connection_leaves_its_items_failed_not_lost() {
        let mut o = Outbox::default();
        let sent = o.enqueue(capture("c", "a"), 0).id.clone();
        let queued = o.enqueue(capture("c", "b"), 0).id.clone();
        let elsewhere = o.enqueue(capture("d", "x"), 0).id.clone();
        o.start(&sent, 1);
        let changed = o.abandon("c").len();
        assert_eq!(changed, 2);
        let unknown = |id: &str| match &o.get(id).unwrap().state {
            ItemState::Failed {
                outcome_unknown,
                problem,
                ..
            } => {
                assert_eq!(problem, &Problem::ConnectionRemoved);
                *outcome_unknown
            }
            s => panic!("{s:?}"),
        };
        assert!(unknown(&sent), "it may have landed");
        assert!(!unknown(&queued));
        assert_eq!(
            o.next(2),
            Next::Deliver {
                id: elsewhere,
                check_first: false
            }
        );
        assert!(o.discard(&queued).is_ok());
    }

    /// A failed item with two files, and its copy as the popup lists it.
    fn failed_with_files(o: &mut Outbox) -> (String, OutboxItem) {
        let mut c = capture("c", "a");
        c.person.attachments = vec![
            attach_file(
                "cv.pdf",
                "application/pdf",
                b"%PDF-1.4 cv",
                AttachmentType::Resume,
            )
            .unwrap(),
            attach_file(
                "letter.pdf",
                "application/pdf",
                b"%PDF-1.4 letter",
                AttachmentType::CoverLetter,
            )
            .unwrap(),
        ];
        let id = o.enqueue(c, 0).id.clone();
        o.start(&id, 1);
        let refused = ApiError::Validation {
            status: 422,
            fields: vec![],
        };
        o.finish(&id, Outcome::Failed(refused), 0, 2);
        let listed = o.get(&id).unwrap().clone().listed();
        (id, listed)
    }

    fn files(item: &OutboxItem) -> Vec<(Option<&str>, Option<&str>)> {
        item.capture
            .person
            .attachments
            .iter()
            .map(|a| (a.filename.as_deref(), a.content.as_deref()))
            .collect()
    }

    #[test]
    fn the_listing_names_files_by_the_digest_of_their_bytes_and_leaves_the_bytes_out() {
        let mut o = Outbox::default();
        let (id, listed) = failed_with_files(&mut o);
        assert_eq!(
            files(&listed),
            [(Some("cv.pdf"), None), (Some("letter.pdf"), None)]
        );
        let stored = &o.get(&id).unwrap().capture.person.attachments;
        for (shown, kept) in listed.capture.person.attachments.iter().zip(stored) {
            assert_eq!(shown.id, content_id(kept));
            assert_eq!(shown.id, kept.id, "the id given when attached");
        }
        // An item stored before files had ids gets them from its bytes.
        let mut old = o.get(&id).unwrap().clone();
        old.capture
            .person
            .attachments
            .iter_mut()
            .for_each(|a| a.id = None);
        assert_eq!(old.listed(), listed);
    }

    #[test]
    fn removing_one_of_two_files_keeps_the_other_s_own_bytes() {
        let mut o = Outbox::default();
        let (id, mut listed) = failed_with_files(&mut o);
        listed.capture.person.attachments.remove(0);
        let retried = o.retry(&id, Some(listed.capture)).unwrap();
        assert_eq!(
            files(retried),
            [(Some("letter.pdf"), Some("JVBERi0xLjQgbGV0dGVy"))],
            "the letter's bytes, not the CV's that used to be first"
        );
    }

    #[test]
    fn reordered_files_keep_their_own_bytes() {
        let mut o = Outbox::default();
        let (id, mut listed) = failed_with_files(&mut o);
        listed.capture.person.attachments.reverse();
        let retried = o.retry(&id, Some(listed.capture)).unwrap();
        assert_eq!(
            files(retried),
            [
                (Some("letter.pdf"), Some("JVBERi0xLjQgbGV0dGVy")),
                (Some("cv.pdf"), Some("JVBERi0xLjQgY3Y="))
            ]
        );
    }

    #[test]
    fn a_file_added_while_editing_brings_its_bytes() {
        let mut o = Outbox::default();
        let (id, mut listed) = failed_with_files(&mut o);
        let mut added = attach_file("new.pdf", "application/pdf", b"new", AttachmentType::Resume).unwrap();
        added.id = Some("sha256-claimed".into());
        listed.capture.person.attachments.insert(0, added);
        let retried = o.retry(&id, Some(listed.capture)).unwrap();
        let contents: Vec<_> = files(retried).into_iter().map(|(_, c)| c.unwrap()).collect();
        assert_eq!(contents, ["bmV3", "JVBERi0xLjQgY3Y=", "JVBERi0xLjQgbGV0dGVy"]);
        let new = &retried.capture.person.attachments[0];
        assert_eq!(
            new.id,
            Some(file_id(b"new")),
            "named by its bytes, not the id it came with"
        );
    }

    #[test]
    fn a_file_the_item_never_had_is_refused_and_nothing_changes() {
        let mut o = Outbox::default();
        let (id, mut listed) = failed_with_files(&mut o);
        let before = o.get(&id).unwrap().clone();
        listed.capture.person.attachments[1].id = Some(file_id(b"someone else's file"));
        listed.capture.person.first_name = "Edited".into();
        assert_eq!(
            o.retry(&id, Some(listed.capture)).unwrap_err(),
            Reason::ForeignFile {
                name: "letter.pdf".into()
            }
        );
        assert_eq!(o.get(&id), Some(&before), "still failed, as it was");
        // The same item retried as it was still goes.
        assert_eq!(files(o.retry(&id, None).unwrap()).len(), 2);
    }

    #[test]
    fn delivered_items_expire_from_the_list() {
        let mut o = Outbox::default();
        let a = o.enqueue(capture("c", "a"), 0).id.clone();
        o.start(&a, 0);
        o.finish(&a, delivered(1), 0, 10);
        assert!(o.expired(10 + KEEP_DELIVERED_MS).is_empty());
        let gone = o.expired(11 + KEEP_DELIVERED_MS);
        assert_eq!(gone, [a]);
        o.remove(&gone);
        assert_eq!(o.next(0), Next::Idle);
    }
}
