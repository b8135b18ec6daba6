//! Who on the page the capture is about: the reasons the engine gives in words, and "Not this
//! person?" with everybody else it found (a team page, co-authors, a speaker list) to pick from.

use super::{App, PageRead};
use crate::i18n::t;
use leptos::prelude::*;
use sprout::extract::{Basis, Profile, Reason};

impl App {
    /// Fills the form with one of the people the page names, as if the page were theirs.
    pub fn choose_person(self, profile: &Profile) {
        self.person.load_profile(profile);
        self.attachments.offer_resume_link(profile);
        // A note the page offers (e.g. a LinkedIn headline) starts the recruiter's note.
        self.submit
            .note
            .set(profile.note.as_ref().map(|n| n.value.clone()).unwrap_or_default());
    }
}

fn reason_words(reason: Reason) -> String {
    t(match reason {
        Reason::OrganisationPage => "reasonOrganisationPage",
        Reason::ErrorPage => "reasonErrorPage",
        Reason::SignInWall => "reasonSignInWall",
        Reason::ProfileTypeOnly => "reasonProfileTypeOnly",
        Reason::SeveralPeople => "reasonSeveralPeople",
        Reason::FoundByShape => "reasonFoundByShape",
        Reason::AuthorOfPage => "reasonAuthorOfPage",
    })
}

fn basis_words(basis: Basis) -> String {
    t(match basis {
        Basis::Profile => "basisProfile",
        Basis::AuthorOfPage => "basisAuthorOfPage",
        Basis::PageShape => "basisPageShape",
        Basis::Mentioned => "basisMentioned",
    })
}

fn display_name(profile: &Profile) -> String {
    let c = profile.to_candidate();
    let name = format!("{} {}", c.first_name, c.last_name).trim().to_owned();
    if name.is_empty() { t("personUnnamed") } else { name }
}

/// Why the engine chose as it did, or chose nobody, in the recruiter's language.
#[component]
pub(crate) fn PageReasons() -> impl IntoView {
    let app = expect_context::<App>();
    move || match app.page.get() {
        PageRead::Read { profile, .. } if !profile.reasons.is_empty() => {
            let words: Vec<String> = profile.reasons.iter().map(|r| reason_words(*r)).collect();
            Some(view! {
                <p class="muted" data-testid="profile-reasons">
                    {words.join(" ")}
                </p>
            })
        }
        _ => None,
    }
}

/// The subject and everyone else the page names, each a button that fills the form with them.
#[component]
pub(crate) fn NotThisPerson() -> impl IntoView {
    let app = expect_context::<App>();
    move || match app.page.get() {
        PageRead::Read { profile, .. } if !profile.others.is_empty() => {
            let subject = Profile {
                others: Vec::new(),
                ..(*profile).clone()
            };
            let people: Vec<Profile> = (!subject.is_empty())
                .then_some(subject)
                .into_iter()
                .chain(profile.others.iter().cloned())
                .collect();
            Some(view! {
                <details class="others" data-testid="not-this-person">
                    <summary>{t("notThisPerson")}</summary>
                    <ul>
                        {people
                            .into_iter()
                            .enumerate()
                            .map(|(i, person)| {
                                let (name, basis) = (display_name(&person), basis_words(person.basis));
                                view! {
                                    <li>
                                        <button
                                            type="button"
                                            class="secondary"
                                            data-testid=format!("person-{i}")
                                            on:click=move |_| app.choose_person(&person)
                                        >
                                            {name}
                                        </button>
                                        " "
                                        <span class="muted">{basis}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </details>
            })
        }
        _ => None,
    }
}
