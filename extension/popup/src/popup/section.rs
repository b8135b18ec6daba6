//! A part of the form that opens on demand (`<details>`, keyboard-accessible as the browser makes
//! it), so the person, the duplicate status, the target and Send fit one popup screen; a section
//! holding a field with an error is open, so an error is never hidden.

use super::App;
use leptos::prelude::*;

/// Which inputs (by test id) a section holds, to open it when one of them has an error.
#[derive(Clone, Copy)]
pub(crate) struct Holds(pub fn(&str) -> bool);

/// Emails, phones, links and the unsure contact details.
pub(crate) const CONTACT: Holds = Holds(|id| {
    ["email-", "phone-", "link-", "unsure-"]
        .iter()
        .any(|p| id.starts_with(p))
});

/// Attachments, the resume link and the note.
pub(crate) const EXTRAS: Holds =
    Holds(|id| id.starts_with("attachment-") || ["resume-link", "resume-url", "note"].contains(&id));

/// A job's source, referrer and tracking link.
pub(crate) const JOB_MORE: Holds = Holds(|id| ["source-id", "referrer-email", "referrer-name"].contains(&id));

#[component]
pub(crate) fn Section(
    testid: &'static str,
    holds: Holds,
    #[prop(into)] summary: Signal<String>,
    children: Children,
) -> impl IntoView {
    let app = expect_context::<App>();
    let opened = RwSignal::new(false);
    let has_error = move || app.errors.with(|e| e.keys().any(|id| (holds.0)(id)));
    view! {
        <details
            class="section"
            data-testid=testid
            prop:open=move || opened.get() || has_error()
            on:toggle=move |ev| opened.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))
        >
            <summary data-testid=format!("{testid}-summary")>{move || summary.get()}</summary>
            <div class="section-body">{children()}</div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_input_with_an_error_opens_the_section_it_is_in() {
        for id in ["email-0", "phone-2", "link-11", "unsure-0"] {
            assert!((CONTACT.0)(id), "{id}");
        }
        for id in ["attachment-0", "resume-link", "resume-url", "note"] {
            assert!((EXTRAS.0)(id), "{id}");
        }
        for id in ["source-id", "referrer-email", "referrer-name"] {
            assert!((JOB_MORE.0)(id), "{id}");
        }
        // Always on screen: never in a section.
        for id in [
            "first-name",
            "last-name",
            "company",
            "title",
            "job-search",
            "pool-search",
            "stage",
            "form-error",
        ] {
            for holds in [CONTACT, EXTRAS, JOB_MORE] {
                assert!(!(holds.0)(id), "{id}");
            }
        }
    }
}
