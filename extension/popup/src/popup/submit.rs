//! The capture form as a whole and what its submit does: build the `Capture`, tidy and check it
//! locally (errors inline), hand it to the background's outbox, and follow the item's state.
//! Editing a failed outbox item reuses the form; its submit is then "Save and retry".

use super::attachments::AttachmentFields;
use super::duplicate::DuplicateNotice;
use super::field_errors::by_testid;
use super::form::{ContactFields, PersonFields};
use super::section::{EXTRAS, Section};
use super::target::TargetFields;
use super::{App, focus};
use crate::background;
use crate::i18n::{t, t_args};
use crate::reasons;
use leptos::prelude::*;
use leptos::task::{spawn_local, tick};
use sprout::api::FieldError;
use sprout::capture::Capture;
use sprout::outbox::{ItemState, OutboxItem};
use sprout::request::{Submitted, Unanswered};

#[derive(Clone, Copy)]
pub(crate) struct SubmitState {
    pub busy: RwSignal<bool>,
    /// The outbox item the form was last submitted as; `submit-status` follows its state.
    pub item_id: RwSignal<Option<String>>,
    /// A sentence about the last submit when there is no item to follow (refused, failed).
    pub message: RwSignal<Option<String>>,
    /// The failed item being edited, and the connection it belongs to.
    pub editing: RwSignal<Option<(String, String)>>,
    /// The recruiter's note, for servers that take one.
    pub note: RwSignal<String>,
    /// The audit line of the item being edited: it was captured then, not now.
    audit: StoredValue<Option<String>>,
}

impl SubmitState {
    pub fn new() -> SubmitState {
        SubmitState {
            busy: RwSignal::new(false),
            item_id: RwSignal::new(None),
            message: RwSignal::new(None),
            editing: RwSignal::new(None),
            note: RwSignal::new(String::new()),
            audit: StoredValue::new(None),
        }
    }
}

impl App {
    /// Shows errors on their inputs and moves focus to the first one.
    pub fn show_errors(self, errors: &[FieldError], local: bool) {
        let files = self.attachments.files.with_untracked(Vec::len);
        let shown = by_testid(errors, files, local);
        let first = ["first-name", "last-name"]
            .into_iter()
            .map(str::to_owned)
            .find(|id| shown.contains_key(id))
            .or_else(|| shown.keys().find(|id| *id != "form-error").cloned());
        self.errors.set(shown);
        if let Some(first) = first {
            spawn_local(async move {
                tick().await;
                focus(&first);
            });
        }
    }

    /// Loads a failed outbox item into the form, with Greenhouse's field errors on its inputs.
    pub fn edit_item(self, item: &OutboxItem) {
        let capture = &item.capture;
        self.person.load_candidate(&capture.person);
        let user_id = self.catalog.with_untracked(|c| c.user_id);
        self.target.load(&capture.target, user_id);
        // A resume link travels as a url attachment; it shows among the files while editing.
        self.attachments.resume_checked.set(false);
        self.attachments.files.set(capture.person.attachments.clone());
        self.submit.note.set(capture.note.clone());
        self.submit.audit.set_value(Some(capture.audit.clone()));
        self.submit
            .editing
            .set(Some((item.id.clone(), capture.connection_id.clone())));
        self.submit.item_id.set(None);
        self.submit.message.set(None);
        let fields = match &item.state {
            ItemState::Failed { fields, .. } => fields.clone(),
            _ => Vec::new(),
        };
        self.errors.set(Default::default());
        self.show_errors(&fields, false);
        if fields.is_empty() {
            spawn_local(async move {
                tick().await;
                focus("first-name");
            });
        }
    }

    fn submit(self) {
        if self.submit.busy.get_untracked() {
            return;
        }
        self.errors.set(Default::default());
        self.submit.message.set(None);
        let editing = self.submit.editing.get_untracked();
        let Some(connection_id) = editing
            .as_ref()
            .map(|(_, c)| c.clone())
            .or_else(|| self.active_connection())
        else {
            self.errors.update(|e| {
                e.insert("form-error".into(), t("noConnection"));
            });
            return;
        };
        self.person.drop_blank_rows();
        let known = self.catalog.get_untracked();
        let (target, target_label) = match self.lists.with_value(|l| self.target.build(l, &known)) {
            Ok(built) => built,
            Err((testid, message)) => {
                self.errors.update(|e| {
                    e.insert(testid.clone(), message);
                });
                focus(&testid);
                return;
            }
        };
        let mut person = self.person.to_candidate();
        // Nothing read from the page (the browser keeps extensions out, or it has no web address):
        // the id comes from what was typed.
        if person.external_id.trim().is_empty() {
            person.external_id = sprout::page_read::typed_external_id(&person);
        }
        person.attachments = match self.attachments.list() {
            Ok(list) => list,
            Err(message) => {
                self.errors.update(|e| {
                    e.insert("resume-link".into(), message);
                });
                return;
            }
        };
        let page_url = match self.page.get_untracked() {
            super::PageRead::Read { url, .. } | super::PageRead::Busy { url } => url,
            _ => String::new(),
        };
        let audit = match editing {
            Some(_) => self.submit.audit.get_value().unwrap_or_default(),
            None => audit_line(&page_url),
        };
        let can = self
            .connection(&connection_id)
            .map(|c| c.dialect.capabilities())
            .unwrap_or_else(|| self.can());
        let capture = Capture {
            connection_id,
            person,
            target,
            target_label,
            page_url,
            // Every record the check found, confirmed or gone: none of them can be this submit's.
            beside: self.duplicates.beside(),
            note: if can.notes {
                self.submit.note.get_untracked()
            } else {
                String::new()
            },
            audit,
        }
        .tidy();
        // An edit's files come named by id without their bytes, which only its item has.
        let checked = if editing.is_some() {
            capture.check_for(can)
        } else {
            capture.check_new_for(can)
        };
        if let Err(errors) = checked {
            self.show_errors(&errors, true);
            return;
        }
        self.submit.busy.set(true);
        spawn_local(async move {
            let answer = match editing {
                Some((id, _)) => background::retry_item(id, Some(capture)).await,
                None => background::submit(capture).await,
            };
            self.submit.busy.set(false);
            match answer {
                // The list itself changes when the background pushes the outbox.
                Ok(Submitted::Queued { item }) => {
                    self.submit.item_id.set(Some(item.id.clone()));
                    self.submit.editing.set(None);
                }
                // The background's refusal is the core's own capture check, as the local one: its
                // sentences are worded from the locale the same way.
                Ok(Submitted::Invalid { errors }) => self.show_errors(&errors, true),
                Err(Unanswered::Failed(reason)) => self.submit.message.set(Some(reasons::reason(&reason))),
                Err(Unanswered::Refused(reason)) => self
                    .submit
                    .message
                    .set(Some(t_args("submitRefused", &[&reasons::reason(&reason)]))),
                Err(Unanswered::Unsent(e) | Unanswered::Unreadable(e)) => self
                    .submit
                    .message
                    .set(Some(t_args("backgroundUnavailable", &[&e]))),
            }
        });
    }

    /// "Queued…", then the state of the submitted item as the outbox reports it.
    fn submit_status(self) -> Option<String> {
        if let Some(message) = self.submit.message.get() {
            return Some(message);
        }
        let id = self.submit.item_id.get()?;
        let state = self
            .outbox
            .with(|items| items.iter().find(|i| i.id == id).map(|i| i.state.clone()));
        Some(match state {
            None | Some(ItemState::Queued { note: None, .. }) => t("statusQueued"),
            Some(ItemState::Queued { note: Some(note), .. }) => {
                t_args("statusQueuedNote", &[&reasons::waiting(&note)])
            }
            Some(ItemState::Sending { .. }) => t("statusSending"),
            Some(ItemState::Delivered { .. }) => t("statusDelivered"),
            Some(ItemState::Failed { problem, .. }) => {
                t_args("statusFailed", &[&reasons::problem(&problem).0])
            }
        })
    }
}

/// "Captured with Sprout 0.1.0 from <page> on 2026-11-30 14:05 UTC", in the recruiter's language:
/// the first line of the note Greenhouse keeps with the person.
fn audit_line(page_url: &str) -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    // 2026-11-30T14:05:12.345Z → 2026-11-30 14:05 UTC
    let when = format!("{} UTC", iso.get(..16).unwrap_or(&iso).replace('T', " "));
    let page = if page_url.is_empty() {
        t("auditNoPage")
    } else {
        page_url.to_owned()
    };
    t_args("auditLine", &[env!("CARGO_PKG_VERSION"), &page, &when])
}

/// The recruiter's note, where the server takes one.
#[component]
fn NoteField() -> impl IntoView {
    let app = expect_context::<App>();
    view! {
        <Show when=move || app.can().notes>
            <div class="field">
                <label for="note">{t("note")}</label>
                <textarea
                    id="note"
                    data-testid="note"
                    rows="2"
                    prop:value=move || app.submit.note.get()
                    on:input=move |ev| app.submit.note.set(event_target_value(&ev))
                ></textarea>
            </div>
        </Show>
    }
}

/// The form, in the order a recruiter works through it: who (always shown), how to reach them
/// (on demand), whether Greenhouse has them, where they go, files and note (on demand), Send. What
/// comes below the person is built after the frame that shows their name (`App::form_complete`).
#[component]
pub(crate) fn CaptureForm() -> impl IntoView {
    let app = expect_context::<App>();
    view! {
        <form
            class="capture"
            data-testid="capture-form"
            novalidate
            aria-label=t("formLabel")
            on:submit=move |ev| {
                ev.prevent_default();
                app.submit();
            }
        >
            <PersonFields />
            <Show when=move || app.form_complete.get()>
                <BelowThePerson />
            </Show>
        </form>
    }
}

/// The form below the person: contacts, the duplicate notice, the target, files and note, Send.
#[component]
fn BelowThePerson() -> impl IntoView {
    let app = expect_context::<App>();
    let no_connection = move || {
        app.connections.with(|c| match c {
            Some(Ok(c)) => c.active().is_none(),
            _ => true,
        }) && app.submit.editing.with(Option::is_none)
    };
    let disabled = move || no_connection() || app.duplicates.blocks() || app.submit.busy.get();
    let label = move || {
        t(if app.submit.editing.with(Option::is_some) {
            "saveAndRetry"
        } else {
            "submit"
        })
    };
    let extras_summary = Signal::derive(move || {
        let a = app.attachments;
        let count = a.files.with(Vec::len)
            + usize::from(a.resume_checked.get() && a.resume_url.with(Option::is_some))
            + usize::from(!a.resume_pasted.with(|p| p.trim().is_empty()));
        t_args(
            if app.can().notes {
                "sectionExtras"
            } else {
                "sectionAttachments"
            },
            &[&count.to_string()],
        )
    });
    view! {
        <ContactFields />
        <DuplicateNotice />
        <TargetFields />
        <Section testid="extras-section" holds=EXTRAS summary=extras_summary>
            <AttachmentFields />
            <NoteField />
        </Section>
        {move || {
            app.error_for("form-error")
                .map(|m| {
                    view! {
                        <p class="error" role="alert" data-testid="form-error">
                            {m}
                        </p>
                    }
                })
        }}
        <div class="submit-row">
            <button type="submit" data-testid="submit" disabled=disabled>
                {label}
            </button>
            {move || {
                app.submit
                    .editing
                    .get()
                    .map(|_| {
                        view! {
                            <button
                                type="button"
                                class="secondary"
                                data-testid="cancel-edit"
                                on:click=move |_| {
                                    app.submit.editing.set(None);
                                    app.errors.set(Default::default());
                                }
                            >
                                {t("cancelEdit")}
                            </button>
                        }
                    })
            }}
        </div>
        <p role="status" data-testid="submit-status">
            {move || app.submit_status()}
        </p>
    }
}
