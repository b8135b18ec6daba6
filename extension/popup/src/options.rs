//! The options page, opened on first install: it welcomes the recruiter and says what Sprout does
//! with their data. Sign-in and connection settings join it in the sign-in work.

use leptos::prelude::*;

#[component]
pub fn Options() -> impl IntoView {
    view! {
        <main class="options">
            <h1 data-testid="welcome">"Welcome to Sprout"</h1>
            <p>
                "Sprout reads the profile page you are on when you click its toolbar button, and sends the person you confirm to your Greenhouse account."
            </p>
            <h2>"What leaves your browser"</h2>
            <ul>
                <li>"Only what you submit: the person's name, company, title, emails, phone numbers and profile links, sent to the Greenhouse API of the account you sign in to."</li>
                <li>"Nothing is read from a page until you click the Sprout button on it."</li>
                <li>"No analytics, no third parties."</li>
            </ul>
        </main>
    }
}
