//! Outbox item states as database version 2 stored them, with finished English sentences, read
//! into reasons: a browser upgraded with captures waiting or failed keeps them, now in its language.

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::api::FieldError;
use crate::outbox::ItemState;
use crate::reason::{NotReady, Problem, Waiting};

/// What version 2 said for each problem (its `recruiter_message`, and the removed connection's).
const PROBLEMS: [(&str, Problem); 10] = [
    (
        "Greenhouse doesn't recognise your sign-in.",
        Problem::Unauthenticated,
    ),
    (
        "Your Greenhouse role doesn't allow this. Nothing was changed.",
        Problem::Forbidden,
    ),
    (
        "Greenhouse couldn't find what Sprout asked for.",
        Problem::NotFound,
    ),
    (
        "Greenhouse didn't accept some of the details.",
        Problem::Validation,
    ),
    (
        "Greenhouse is busy and asked Sprout to slow down.",
        Problem::RateLimited,
    ),
    ("Greenhouse had a problem on its side.", Problem::Server),
    ("Sprout couldn't reach Greenhouse.", Problem::Network),
    (
        "Greenhouse's answer never arrived, so Sprout can't tell whether this person was saved.",
        Problem::UnknownOutcome,
    ),
    (
        "Greenhouse answered in a way Sprout doesn't understand.",
        Problem::MalformedResponse,
    ),
    (
        "The Greenhouse connection this capture was meant for has been removed.",
        Problem::ConnectionRemoved,
    ),
];

/// What version 2 said on an item waiting for its connection, whole or before " Sprout will
/// deliver this afterwards." (the sentences a drain's interrupted attempt used).
const NOT_READY: [(&str, NotReady); 5] = [
    (
        "Enter the Partner API key again in Sprout's settings to deliver this.",
        NotReady::NeedsKey,
    ),
    (
        "Sign in to Greenhouse in Sprout's settings to deliver this.",
        NotReady::SignedOut,
    ),
    (
        "Enter the Partner API key again in Sprout's settings.",
        NotReady::NeedsKey,
    ),
    ("Not signed in. Click \"Sign in\" first.", NotReady::SignedOut),
    (
        "Your Greenhouse sign-in has ended. Click \"Sign in\" to sign in again.",
        NotReady::SignInAgain { unsaved: None },
    ),
];

/// An item state as stored by this version or version 2: the object tagged `state`, read as one
/// flat struct of the tag and every state's fields (any key order), then checked. serde's
/// internally tagged decoding would buffer it in its private `Content` first and compile the
/// decoding of every state's fields once more.
#[derive(Deserialize)]
pub struct StoredState {
    state: StateKind,
    #[serde(default)]
    not_before_ms: u64,
    #[serde(default)]
    note: Option<StoredNote>,
    since_ms: Option<u64>,
    candidate_id: Option<u64>,
    link: Option<String>,
    #[serde(default)]
    confirmed_by_lookup: bool,
    #[serde(default)]
    also_stored: Vec<u64>,
    at_ms: Option<u64>,
    /// This version's reason; version 2 had `message` and `next_step` instead.
    problem: Option<Problem>,
    #[serde(default)]
    message: String,
    #[serde(default)]
    next_step: String,
    #[serde(default)]
    fields: Vec<FieldError>,
    #[serde(default)]
    outcome_unknown: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum StateKind {
    Queued,
    Sending,
    Delivered,
    Failed,
}

/// A queued item's note: a reason, or version 2's sentence.
pub enum StoredNote {
    Reason(Waiting),
    Sentence(String),
}

/// Which of the two a note is shows in its JSON type (an object or a string), so it is read
/// straight from the value instead of buffered and tried as each in turn (`untagged`).
impl<'de> Deserialize<'de> for StoredNote {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StoredNote, D::Error> {
        struct Note;
        impl<'de> Visitor<'de> for Note {
            type Value = StoredNote;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a reason or a sentence")
            }

            fn visit_str<E: de::Error>(self, sentence: &str) -> Result<StoredNote, E> {
                Ok(StoredNote::Sentence(sentence.to_owned()))
            }

            fn visit_map<M: MapAccess<'de>>(self, reason: M) -> Result<StoredNote, M::Error> {
                Waiting::deserialize(MapAccessDeserializer::new(reason)).map(StoredNote::Reason)
            }
        }
        deserializer.deserialize_any(Note)
    }
}

impl TryFrom<StoredState> for ItemState {
    type Error = &'static str;

    fn try_from(stored: StoredState) -> Result<ItemState, Self::Error> {
        Ok(match stored.state {
            StateKind::Queued => ItemState::Queued {
                not_before_ms: stored.not_before_ms,
                note: stored.note.map(|note| match note {
                    StoredNote::Reason(reason) => reason,
                    StoredNote::Sentence(text) => waiting(text),
                }),
            },
            StateKind::Sending => ItemState::Sending {
                since_ms: stored.since_ms.ok_or("missing field `since_ms`")?,
            },
            StateKind::Delivered => ItemState::Delivered {
                candidate_id: stored.candidate_id.ok_or("missing field `candidate_id`")?,
                link: stored.link.ok_or("missing field `link`")?,
                confirmed_by_lookup: stored.confirmed_by_lookup,
                also_stored: stored.also_stored,
                at_ms: stored.at_ms.ok_or("missing field `at_ms`")?,
            },
            StateKind::Failed => {
                let (message, next_step) = (stored.message, stored.next_step);
                ItemState::Failed {
                    problem: stored.problem.unwrap_or_else(|| {
                        known_problem(&message).unwrap_or(Problem::Legacy { message, next_step })
                    }),
                    fields: stored.fields,
                    outcome_unknown: stored.outcome_unknown,
                }
            }
        })
    }
}

fn known_problem(message: &str) -> Option<Problem> {
    PROBLEMS
        .iter()
        .find(|(sentence, _)| *sentence == message)
        .map(|(_, problem)| problem.clone())
}

/// Version 2's note on a queued item, as the reason it was worded from.
fn waiting(text: String) -> Waiting {
    if let Some(problem) = text
        .strip_suffix(" Sprout will try again.")
        .and_then(known_problem)
    {
        return Waiting::Retrying { problem };
    }
    let why = text
        .strip_suffix(" Sprout will deliver this afterwards.")
        .unwrap_or(&text);
    if let Some((_, reason)) = NOT_READY.iter().find(|(sentence, _)| *sentence == why) {
        return Waiting::NotReady { why: reason.clone() };
    }
    let hosts = why
        .strip_prefix("Sprout is not allowed to reach ")
        .and_then(|rest| rest.strip_suffix(" yet. Click \"Save\" on this connection and allow access."));
    if let Some(hosts) = hosts {
        let hosts = hosts.split(", ").map(str::to_owned).collect();
        return Waiting::NotReady {
            why: NotReady::NoHostAccess { hosts },
        };
    }
    Waiting::Legacy { text }
}

#[cfg(test)]
mod tests {
    use crate::outbox::{ItemState, OutboxItem};
    use crate::reason::{NotReady, Problem, Waiting};
    use serde_json::json;

    /// An item as database version 2 stored it, with the given state.
    fn stored(state: serde_json::Value) -> OutboxItem {
        serde_json::from_value(json!({
            "id": "o1",
            "seq": 1,
            "capture": {
                "connection_id": "c1",
                "person": {"external_id": "sprout-1", "first_name": "Ada", "last_name": "L"},
                "target": {"kind": "prospect", "pool_id": 1},
                "target_label": "Pool"
            },
            "state": state,
            "queued_at_ms": 5,
            "attempts": 1
        }))
        .unwrap()
    }

    #[test]
    fn items_stored_by_version_2_read_as_reasons() {
        let refused = stored(json!({
            "state": "failed",
            "message": "Greenhouse didn't accept some of the details.",
            "next_step": "Correct the highlighted fields and submit again.",
            "fields": [{"field": "emails[0].value", "message": "is not a valid email address"}],
            "outcome_unknown": false
        }));
        let ItemState::Failed { problem, fields, .. } = &refused.state else {
            panic!("{:?}", refused.state)
        };
        assert_eq!(problem, &Problem::Validation);
        assert_eq!(fields[0].field.as_deref(), Some("emails[0].value"));

        let removed = stored(json!({
            "state": "failed",
            "message": "The Greenhouse connection this capture was meant for has been removed.",
            "next_step": "Edit it to choose another connection, or discard it.",
            "outcome_unknown": true
        }));
        assert!(matches!(
            removed.state,
            ItemState::Failed {
                problem: Problem::ConnectionRemoved,
                outcome_unknown: true,
                ..
            }
        ));

        let note =
            |text: &str| match stored(json!({"state": "queued", "not_before_ms": 9, "note": text})).state {
                ItemState::Queued {
                    not_before_ms: 9,
                    note,
                } => note.unwrap(),
                other => panic!("{other:?}"),
            };
        assert_eq!(
            note("Greenhouse had a problem on its side. Sprout will try again."),
            Waiting::Retrying {
                problem: Problem::Server
            }
        );
        assert_eq!(
            note("Sign in to Greenhouse in Sprout's settings to deliver this."),
            Waiting::NotReady {
                why: NotReady::SignedOut
            }
        );
        assert_eq!(
            note(
                "Your Greenhouse sign-in has ended. Click \"Sign in\" to sign in again. Sprout will deliver this afterwards."
            ),
            Waiting::NotReady {
                why: NotReady::SignInAgain { unsaved: None }
            }
        );
        assert_eq!(
            note(
                "Sprout is not allowed to reach https://a.test/*, https://b.test/* yet. Click \"Save\" on this connection and allow access. Sprout will deliver this afterwards."
            ),
            Waiting::NotReady {
                why: NotReady::NoHostAccess {
                    hosts: vec!["https://a.test/*".into(), "https://b.test/*".into()]
                }
            }
        );
    }

    #[test]
    fn sentences_no_reason_matches_are_kept_as_they_were() {
        let odd = stored(json!({
            "state": "failed",
            "message": "Something a later patch said.",
            "next_step": "Do this.",
        }));
        assert_eq!(
            odd.state,
            ItemState::Failed {
                problem: Problem::Legacy {
                    message: "Something a later patch said.".into(),
                    next_step: "Do this.".into()
                },
                fields: vec![],
                outcome_unknown: false
            }
        );
        let queued = stored(json!({"state": "queued", "note": "Hold on."}));
        assert_eq!(
            queued.state,
            ItemState::Queued {
                not_before_ms: 0,
                note: Some(Waiting::Legacy {
                    text: "Hold on.".into()
                })
            }
        );
    }

    #[test]
    fn this_version_s_items_round_trip() {
        for state in [
            ItemState::Failed {
                problem: Problem::Legacy {
                    message: "m".into(),
                    next_step: "n".into(),
                },
                fields: vec![],
                outcome_unknown: true,
            },
            ItemState::Failed {
                problem: Problem::UnknownOutcome,
                fields: vec![],
                outcome_unknown: true,
            },
            ItemState::Queued {
                not_before_ms: 3,
                note: Some(Waiting::NotReady {
                    why: NotReady::Unusable {
                        problem: crate::reason::ConnectionProblem::NoName,
                    },
                }),
            },
            ItemState::Queued {
                not_before_ms: 0,
                note: Some(Waiting::Legacy { text: "t".into() }),
            },
            ItemState::Sending { since_ms: 1 },
            ItemState::Delivered {
                candidate_id: 1,
                link: "https://x/1".into(),
                confirmed_by_lookup: true,
                also_stored: vec![2],
                at_ms: 4,
            },
        ] {
            let json = serde_json::to_value(&state).unwrap();
            assert_eq!(serde_json::from_value::<ItemState>(json).unwrap(), state);
        }
    }

    #[test]
    fn states_read_as_main_wrote_them_in_any_key_order() {
        // Literally what main stores, then the same keys in another order.
        for (state, read) in [
            (
                json!({"state": "sending", "since_ms": 1}),
                ItemState::Sending { since_ms: 1 },
            ),
            (
                json!({"at_ms": 4, "candidate_id": 1, "link": "https://x/1", "state": "delivered"}),
                ItemState::Delivered {
                    candidate_id: 1,
                    link: "https://x/1".into(),
                    confirmed_by_lookup: false,
                    also_stored: vec![],
                    at_ms: 4,
                },
            ),
            (
                json!({"note": {"why": {"kind": "signed_out"}, "kind": "not_ready"}, "state": "queued"}),
                ItemState::Queued {
                    not_before_ms: 0,
                    note: Some(Waiting::NotReady {
                        why: NotReady::SignedOut,
                    }),
                },
            ),
            (
                json!({"state": "queued", "not_before_ms": 0, "note": null}),
                ItemState::Queued {
                    not_before_ms: 0,
                    note: None,
                },
            ),
        ] {
            assert_eq!(serde_json::from_value::<ItemState>(state).unwrap(), read);
        }
        assert_eq!(
            serde_json::to_value(ItemState::Delivered {
                candidate_id: 1,
                link: "https://x/1".into(),
                confirmed_by_lookup: true,
                also_stored: vec![2],
                at_ms: 4,
            })
            .unwrap(),
            json!({"state": "delivered", "candidate_id": 1, "link": "https://x/1", "confirmed_by_lookup": true, "also_stored": [2], "at_ms": 4})
        );
        for bad in [
            json!({"state": "sending"}),
            json!({"state": "delivered", "candidate_id": 1, "at_ms": 4}),
            json!({"state": "lost"}),
            json!({"state": "queued", "note": 5}),
            json!({"state": "queued", "note": {"kind": "retrying"}}),
        ] {
            assert!(serde_json::from_value::<ItemState>(bad.clone()).is_err(), "{bad}");
        }
    }
}
