//! The person half of the form: names, company, title and the email, phone and link rows, each
//! prefilled value with a hint saying where on the page it came from.

use super::App;
use super::section::{CONTACT, Section};
use crate::i18n::{t, t_args};
use leptos::prelude::*;
use sprout::candidate::{PartnerCandidate, SocialMediaAddress, TypedValue};
use sprout::extract::{Field, Profile, Source};
use std::sync::atomic::{AtomicU64, Ordering};

/// Where a prefilled value came from, and the value as it was prefilled: the hint goes away once
/// the recruiter changes the value, since it no longer describes it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Hint {
    words: String,
    confidence: String,
    value: String,
}

impl Hint {
    fn of(field: &Field, value: &str) -> Hint {
        Hint {
            words: source_words(&field.source),
            confidence: t_args(
                "hintConfidence",
                &[&format!("{:.0}", (field.confidence * 100.0).clamp(0.0, 100.0))],
            ),
            value: value.to_owned(),
        }
    }
}

fn source_words(source: &Source) -> String {
    let key = match source {
        Source::JsonLd => "sourceJsonLd",
        Source::Microdata => "sourceMicrodata",
        Source::HCard => "sourceHCard",
        Source::RelMe => "sourceRelMe",
        Source::OpenGraph => "sourceOpenGraph",
        Source::Meta => "sourceMeta",
        Source::Mailto => "sourceMailto",
        Source::Tel => "sourceTel",
        Source::Title => "sourceTitle",
        Source::PageUrl => "sourcePageUrl",
        Source::Heuristic => "sourceHeuristic",
        Source::Rdfa => "sourceRdfa",
        Source::Author => "sourceAuthorOfPage",
        Source::SiteAdapter(adapter) => return t_args("sourceSiteAdapter", &[adapter.name()]),
    };
    t(key)
}

/// One email, phone or link row. `key` keeps a row's input when rows above it are removed.
///
/// Rows are made in event handlers and tasks (add, edit an outbox item, the page read), where the
/// reactive owner is whichever view the handler sits in, and is disposed when that view renders
/// again (the outbox list does whenever the outbox changes). So the value is an `ArcRwSignal`:
/// it lives as long as the row holds it, not as long as that owner.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    key: u64,
    pub value: ArcRwSignal<String>,
    /// "work", "personal", …: kept from the page, not edited here.
    pub kind: Option<String>,
    hint: Option<Hint>,
}

impl Row {
    fn new(value: String, kind: Option<String>, field: Option<&Field>) -> Row {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        Row {
            key: NEXT.fetch_add(1, Ordering::Relaxed),
            hint: field.map(|f| Hint::of(f, &value)),
            value: ArcRwSignal::new(value),
            kind,
        }
    }
}

/// Which list an unsure value would join.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum ListKind {
    Email,
    Phone,
    Link,
}

/// A contact detail the page shows but the engine is unsure is the person's (an inbox in the
/// page's footer, a number outside their block): offered unticked, never prefilled.
#[derive(Clone, Debug)]
pub(crate) struct Unsure {
    pub list: ListKind,
    pub value: String,
    kind: Option<String>,
    field: Field,
}

/// The person as the recruiter edits it.
#[derive(Clone, Copy)]
pub(crate) struct Person {
    pub external_id: RwSignal<String>,
    pub first_name: RwSignal<String>,
    pub last_name: RwSignal<String>,
    pub company: RwSignal<String>,
    pub title: RwSignal<String>,
    pub emails: RwSignal<Vec<Row>>,
    pub phones: RwSignal<Vec<Row>>,
    pub links: RwSignal<Vec<Row>>,
    /// Values offered unticked.
    pub unsure: RwSignal<Vec<Unsure>>,
    /// Hints of the single fields, by their test id.
    hints: RwSignal<Vec<(&'static str, Hint)>>,
}

impl Person {
    pub fn new() -> Person {
        Person {
            external_id: RwSignal::new(String::new()),
            first_name: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
            company: RwSignal::new(String::new()),
            title: RwSignal::new(String::new()),
            emails: RwSignal::new(Vec::new()),
            phones: RwSignal::new(Vec::new()),
            links: RwSignal::new(Vec::new()),
            unsure: RwSignal::new(Vec::new()),
            hints: RwSignal::new(Vec::new()),
        }
    }

    /// Ticking an unsure value makes it a row of its list, with its hint.
    pub fn take_unsure(&self, index: usize) {
        let Some(u) = self
            .unsure
            .try_update(|list| (index < list.len()).then(|| list.remove(index)))
            .flatten()
        else {
            return;
        };
        let rows = match u.list {
            ListKind::Email => self.emails,
            ListKind::Phone => self.phones,
            ListKind::Link => self.links,
        };
        rows.update(|r| r.push(Row::new(u.value, u.kind, Some(&u.field))));
    }

    /// Prefills from what the page said, starting from the core's own reading of the profile.
    pub fn load_profile(&self, profile: &Profile) {
        let candidate = profile.to_candidate();
        self.load_candidate(&candidate);
        let mut hints = Vec::new();
        let mut hint = |testid, field: Option<&Field>, value: &str| {
            if let Some(field) = field.filter(|_| !value.is_empty()) {
                hints.push((testid, Hint::of(field, value)));
            }
        };
        let name = profile.name.as_ref();
        hint(
            "first-name",
            profile.first_name.as_ref().or(name),
            &candidate.first_name,
        );
        hint(
            "last-name",
            profile.last_name.as_ref().or(name),
            &candidate.last_name,
        );
        hint(
            "company",
            profile.company.as_ref(),
            candidate.company.as_deref().unwrap_or_default(),
        );
        hint(
            "title",
            profile.title.as_ref(),
            candidate.title.as_deref().unwrap_or_default(),
        );
        self.hints.set(hints);
        let mut unsure = Vec::new();
        let mut rows = |list: ListKind, values: Vec<(String, Option<String>)>, fields: &[Field]| {
            let mut sure = Vec::new();
            for ((value, kind), field) in values.into_iter().zip(fields) {
                if field.unsure {
                    unsure.push(Unsure {
                        list,
                        value,
                        kind,
                        field: field.clone(),
                    });
                } else {
                    sure.push(Row::new(value, kind, Some(field)));
                }
            }
            sure
        };
        let typed = |list: &[TypedValue]| list.iter().map(|v| (v.value.clone(), v.kind.clone())).collect();
        self.emails
            .set(rows(ListKind::Email, typed(&candidate.emails), &profile.emails));
        self.phones.set(rows(
            ListKind::Phone,
            typed(&candidate.phone_numbers),
            &profile.phones,
        ));
        let links = candidate
            .social_media_addresses
            .iter()
            .map(|s| (s.value.clone(), None))
            .collect();
        self.links.set(rows(ListKind::Link, links, &profile.links));
        self.unsure.set(unsure);
    }

    /// Loads a capture back for editing (from the outbox): no hints, the values are the recruiter's.
    pub fn load_candidate(&self, candidate: &PartnerCandidate) {
        self.external_id.set(candidate.external_id.clone());
        self.first_name.set(candidate.first_name.clone());
        self.last_name.set(candidate.last_name.clone());
        self.company.set(candidate.company.clone().unwrap_or_default());
        self.title.set(candidate.title.clone().unwrap_or_default());
        self.hints.set(Vec::new());
        self.unsure.set(Vec::new());
        let rows = |list: &[TypedValue]| {
            list.iter()
                .map(|v| Row::new(v.value.clone(), v.kind.clone(), None))
                .collect::<Vec<_>>()
        };
        self.emails.set(rows(&candidate.emails));
        self.phones.set(rows(&candidate.phone_numbers));
        self.links.set(
            candidate
                .social_media_addresses
                .iter()
                .map(|s| Row::new(s.value.clone(), None, None))
                .collect(),
        );
    }

    /// The person as entered (attachments, application and prospect are added by the caller).
    pub fn to_candidate(self) -> PartnerCandidate {
        let typed = |rows: RwSignal<Vec<Row>>| {
            rows.with_untracked(|rows| {
                rows.iter()
                    .map(|r| TypedValue {
                        value: r.value.get_untracked(),
                        kind: r.kind.clone(),
                    })
                    .collect()
            })
        };
        let optional = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        PartnerCandidate {
            external_id: self.external_id.get_untracked(),
            first_name: self.first_name.get_untracked(),
            last_name: self.last_name.get_untracked(),
            company: optional(self.company),
            title: optional(self.title),
            emails: typed(self.emails),
            phone_numbers: typed(self.phones),
            social_media_addresses: self.links.with_untracked(|rows| {
                rows.iter()
                    .map(|r| SocialMediaAddress {
                        value: r.value.get_untracked(),
                    })
                    .collect()
            }),
            ..Default::default()
        }
    }

    /// Drops blank rows, as `Capture::tidy` does, so error paths (`emails[1]`) name visible rows.
    pub fn drop_blank_rows(&self) {
        for rows in [self.emails, self.phones, self.links] {
            if rows.with_untracked(|r| r.iter().any(|r| r.value.get_untracked().trim().is_empty())) {
                rows.update(|r| r.retain(|r| !r.value.get_untracked().trim().is_empty()));
            }
        }
    }

    fn hint(&self, testid: &str) -> Option<Hint> {
        self.hints
            .with(|h| h.iter().find(|(id, _)| *id == testid).map(|(_, h)| h.clone()))
    }
}

/// Who the person is: always on screen, each prefilled value saying where it came from.
#[component]
pub(crate) fn PersonFields() -> impl IntoView {
    let app = expect_context::<App>();
    let person = app.person;
    view! {
        <div class="pair">
            <TextField
                testid="first-name"
                label=t("firstName")
                value=person.first_name
                hint=person.hint("first-name")
                autocomplete="off"
            />
            <TextField
                testid="last-name"
                label=t("lastName")
                value=person.last_name
                hint=person.hint("last-name")
                autocomplete="off"
            />
        </div>
        <div class="pair">
            <TextField
                testid="title"
                label=t("jobTitle")
                value=person.title
                hint=person.hint("title")
                autocomplete="off"
            />
            <TextField
                testid="company"
                label=t("company")
                value=person.company
                hint=person.hint("company")
                autocomplete="off"
            />
        </div>
    }
}

/// How to reach the person, opened on demand; its summary counts what is in it.
#[component]
pub(crate) fn ContactFields() -> impl IntoView {
    let app = expect_context::<App>();
    let person = app.person;
    let summary = Signal::derive(move || {
        let rows = person.emails.with(Vec::len) + person.phones.with(Vec::len) + person.links.with(Vec::len);
        match person.unsure.with(Vec::len) {
            0 => t_args("sectionContact", &[&rows.to_string()]),
            unsure => t_args("sectionContactUnsure", &[&rows.to_string(), &unsure.to_string()]),
        }
    });
    view! {
        <Section testid="contact-section" holds=CONTACT summary>
            <Rows
                rows=person.emails
                name="email"
                input_type="email"
                label_key="emailN"
                add_key="addEmail"
                remove_key="removeEmail"
            />
            <Rows
                rows=person.phones
                name="phone"
                input_type="tel"
                label_key="phoneN"
                add_key="addPhone"
                remove_key="removePhone"
            />
            <Rows
                rows=person.links
                name="link"
                input_type="url"
                label_key="linkN"
                add_key="addLink"
                remove_key="removeLink"
            />
            {move || {
                let unsure = person.unsure.get();
                (!unsure.is_empty())
                    .then(|| {
                        view! {
                            <fieldset class="unsure" data-testid="unsure">
                                <legend>{t("unsureLegend")}</legend>
                                {unsure
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, u)| {
                                        view! {
                                            <label class="check">
                                                <input
                                                    type="checkbox"
                                                    data-testid=format!("unsure-{i}")
                                                    prop:checked=false
                                                    on:change=move |_| person.take_unsure(i)
                                                />
                                                <span>{u.value}</span>
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                        }
                    })
            }}
        </Section>
    }
}

/// One labelled input with its hint and its error; `aria-invalid` and `aria-describedby` tie the
/// error to the input for screen readers.
#[component]
pub(crate) fn TextField(
    #[prop(into)] testid: String,
    label: String,
    value: RwSignal<String>,
    #[prop(default = None)] hint: Option<Hint>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "on")] autocomplete: &'static str,
    #[prop(optional, into)] after: Option<ViewFn>,
) -> impl IntoView {
    let app = expect_context::<App>();
    let error_id = format!("error-{testid}");
    let hint_id = format!("hint-{testid}");
    let error = {
        let testid = testid.clone();
        Memo::new(move |_| app.error_for(&testid))
    };
    let show_hint = {
        let hint = hint.clone();
        move || hint.as_ref().is_some_and(|h| value.with(|v| *v == h.value))
    };
    let described_by = {
        let (error_id, hint_id, show_hint) = (error_id.clone(), hint_id.clone(), show_hint.clone());
        move || {
            let ids: Vec<&str> = [
                error.get().is_some().then_some(error_id.as_str()),
                show_hint().then_some(hint_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            // Where the value came from sits beside the label: a line less per field.
            <div class="label-row">
                <label for=testid.clone()>{label}</label>
                {move || {
                    let hint = hint.clone().filter(|_| show_hint());
                    hint.map(|h| {
                        view! {
                            <span
                                class="hint"
                                id=hint_id.clone()
                                data-testid=hint_id.clone()
                                title=h.confidence
                            >
                                {h.words}
                            </span>
                        }
                    })
                }}
            </div>
            <div class="input-row">
                <input
                    id=testid.clone()
                    data-testid=testid.clone()
                    type=input_type
                    autocomplete=autocomplete
                    bind:value=value
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=described_by
                />
                {after.map(|after| after.run())}
            </div>
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <span class="error" id=error_id.clone() data-testid=error_id.clone()>
                                {message}
                            </span>
                        }
                    })
            }}
        </div>
    }
}

/// A list of rows (emails, phones, links) with add and remove buttons.
#[component]
fn Rows(
    rows: RwSignal<Vec<Row>>,
    name: &'static str,
    input_type: &'static str,
    label_key: &'static str,
    add_key: &'static str,
    remove_key: &'static str,
) -> impl IntoView {
    let add = move |_| {
        rows.update(|r| r.push(Row::new(String::new(), None, None)));
        let last = rows.with_untracked(Vec::len) - 1;
        leptos::task::spawn_local(async move {
            leptos::task::tick().await;
            super::focus(&format!("{name}-{last}"));
        });
    };
    view! {
        <div class="rows">
            <For
                each=move || rows.get().into_iter().enumerate()
                key=|(i, row)| (*i, row.key)
                children=move |(i, row)| {
                    let number = (i + 1).to_string();
                    let remove = move |_| {
                        rows.update(|r| {
                            r.remove(i);
                        })
                    };
                    let remove_label = t_args(remove_key, &[&number]);
                    let remove_testid = format!("remove-{name}-{i}");
                    view! {
                        <TextField
                            testid=format!("{name}-{i}")
                            label=t_args(label_key, &[&number])
                            // A handle owned by this row's view, dropped with it; the row keeps the value.
                            value=RwSignal::from(row.value)
                            hint=row.hint.clone()
                            input_type=input_type
                            after=move || {
                                view! {
                                    <button
                                        type="button"
                                        class="icon"
                                        data-testid=remove_testid.clone()
                                        aria-label=remove_label.clone()
                                        title=remove_label.clone()
                                        on:click=remove
                                    >
                                        "×"
                                    </button>
                                }
                            }
                        />
                    }
                }
            />
            <button type="button" class="secondary" data-testid=format!("add-{name}") on:click=add>
                {t(add_key)}
            </button>
        </div>
    }
}
