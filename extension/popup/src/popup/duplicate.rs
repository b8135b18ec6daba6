//! "Already in Greenhouse?": asked whenever the person's id or the connection changes; a record
//! found means a second one is only created when the recruiter confirms it.

use super::{App, web_link};
use crate::background;
use crate::i18n::{t, t_args};
use crate::reasons;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sprout::protocol::ExistingRecord;
use sprout::request::{Duplicates, Unanswered};

/// The background's `Duplicates` answer, and the recruiter's confirmation.
#[derive(Clone, Copy)]
pub(crate) struct DuplicateCheck {
    pub records: RwSignal<Vec<ExistingRecord>>,
    /// Why Greenhouse itself could not be asked, when it could not.
    pub note: RwSignal<Option<String>>,
    /// The server can only be asked about records this browser sent: say what it cannot know.
    pub ledger_only: RwSignal<bool>,
    pub confirmed: RwSignal<bool>,
    /// Asked and not answered yet; and answered at least once, so "nothing found" means it.
    asking: RwSignal<bool>,
    answered: RwSignal<bool>,
    /// Which (connection, external id) the answer is for; a late answer for another is dropped.
    asked: StoredValue<Option<(String, String)>>,
}

impl DuplicateCheck {
    pub fn new() -> DuplicateCheck {
        DuplicateCheck {
            records: RwSignal::new(Vec::new()),
            note: RwSignal::new(None),
            ledger_only: RwSignal::new(false),
            confirmed: RwSignal::new(false),
            asking: RwSignal::new(false),
            answered: RwSignal::new(false),
            asked: StoredValue::new(None),
        }
    }

    /// A submit must wait for the recruiter's confirmation while Greenhouse may hold the person;
    /// records it no longer shows do not hold it back.
    pub fn blocks(&self) -> bool {
        self.records.with(|r| r.iter().any(|r| !r.gone)) && !self.confirmed.get()
    }

    /// The ids the check found under this person: a submit's outcome is never one of them.
    pub fn beside(&self) -> Vec<u64> {
        self.records
            .with_untracked(|r| r.iter().map(|r| r.candidate_id).collect())
    }

    /// Asks about the person in the form, with the active connection.
    pub fn check(self, app: App) {
        spawn_local(self.ask(app));
    }

    /// `check`, awaited: the answer is on screen when this returns.
    pub async fn ask(self, app: App) {
        let (Some(connection_id), external_id) =
            (app.active_connection(), app.person.external_id.get_untracked())
        else {
            return;
        };
        if external_id.trim().is_empty() {
            return;
        }
        let key = Some((connection_id.clone(), external_id.clone()));
        if self.asked.get_value() != key {
            self.confirmed.set(false);
        }
        self.asked.set_value(key.clone());
        self.asking.set(true);
        {
            let answer = background::check_duplicate(connection_id, external_id).await;
            if self.asked.get_value() != key {
                return;
            }
            self.asking.set(false);
            self.answered.set(true);
            match answer {
                Ok(Duplicates {
                    records,
                    greenhouse_checked,
                    note,
                    ledger_only,
                }) => {
                    self.ledger_only.set(ledger_only);
                    self.records.set(records);
                    self.note.set((!greenhouse_checked).then(|| {
                        note.map_or_else(|| t("duplicateOnlyLocal"), |why| reasons::duplicate_note(&why))
                    }));
                }
                Err(Unanswered::Refused(reason) | Unanswered::Failed(reason)) => {
                    self.records.set(Vec::new());
                    self.note
                        .set(Some(t_args("duplicateNotChecked", &[&reasons::reason(&reason)])));
                }
                Err(Unanswered::Unsent(e) | Unanswered::Unreadable(e)) => {
                    self.note.set(Some(t_args("duplicateNotChecked", &[&e])))
                }
            }
        }
    }
}

/// The records found, each linked to Greenhouse, and the confirmation checkbox.
#[component]
pub(crate) fn DuplicateNotice() -> impl IntoView {
    let app = expect_context::<App>();
    let check = app.duplicates;
    // Ask again whenever the person's id or the connection changes.
    Effect::new(move |_| {
        app.person.external_id.track();
        app.connections.track();
        check.check(app);
    });
    // Always one line on screen once there is someone to ask about, so "not in Greenhouse" is
    // said, not implied by silence.
    let status = move || {
        if check.asking.get() {
            Some(("checking", t("duplicateChecking")))
        } else if check.answered.get() && check.records.with(Vec::is_empty) {
            Some(("none", t("duplicateNone")))
        } else {
            None
        }
    };
    view! {
        <div class="duplicate-status" data-testid="duplicate-status">
            {move || {
                status()
                    .map(|(state, words)| {
                        view! {
                            <p class="muted" role="status" data-testid="duplicate-state" data-state=state>
                                {words}
                            </p>
                        }
                    })
            }}
            {move || {
                let records = check.records.get();
                (!records.is_empty())
                    .then(|| {
                        view! {
                            <div class="duplicate" role="alert" data-testid="duplicate">
                                <p>
                                    <strong>{t("duplicateTitle")}</strong>
                                </p>
                                <ul>{records.into_iter().map(record_view).collect_view()}</ul>
                                <label class="check" hidden=move || !check.blocks() && !check.confirmed.get()>
                                    <input
                                        type="checkbox"
                                        data-testid="confirm-duplicate"
                                        prop:checked=move || check.confirmed.get()
                                        on:change=move |ev| check.confirmed.set(event_target_checked(&ev))
                                    />
                                    {t("confirmDuplicate")}
                                </label>
                            </div>
                        }
                    })
            }}
            {move || {
                check
                    .note
                    .get()
                    .map(|note| {
                        view! {
                            <p class="muted" data-testid="duplicate-note">
                                {note}
                            </p>
                        }
                    })
            }}
            {move || {
                check
                    .ledger_only
                    .get()
                    .then(|| {
                        view! {
                            <p class="muted" data-testid="duplicate-limits">
                                {t("duplicateLedgerOnly")}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

fn record_view(record: ExistingRecord) -> impl IntoView {
    let id = record.candidate_id;
    let mut words = vec![record.name.clone()];
    words.extend(record.target_label.clone());
    words.push(t(if record.from_ledger {
        "duplicateFromHere"
    } else {
        "duplicateInGreenhouse"
    }));
    // "already in Greenhouse: Backend Engineer, Phone Screen, active"
    for application in &record.applications {
        let parts: Vec<&str> = [&application.job, &application.stage, &application.status]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .filter(|p| !p.trim().is_empty())
            .collect();
        if !parts.is_empty() {
            words.push(t_args("duplicateStanding", &[&parts.join(", ")]));
        }
    }
    if record.gone {
        words.push(t("duplicateGone"));
    }
    let text = words.join(" · ");
    let link = web_link(&record.link).map(|href| {
        view! {
            <a data-testid=format!("duplicate-link-{id}") href=href target="_blank" rel="noopener">
                {t("openInGreenhouse")}
            </a>
        }
    });
    view! {
        <li data-testid=format!("duplicate-record-{id}") data-gone=record.gone.to_string()>
            <span>{text}</span>
            " "
            {link}
        </li>
    }
}
