//! The toolbar popup: shows the background's answer and the person the content script extracted
//! from the active tab, each value with where it came from, and which Greenhouse connection
//! captures go to. (The editable capture form, targets and submit arrive with the capture flow.)

use crate::webext;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sprout::extract::{Field, Profile};
use sprout::protocol::{BackgroundToPopup, ConnectionStatus, ContentToPopup, PopupToBackground, SignInState};

#[component]
pub fn Popup() -> impl IntoView {
    let background = RwSignal::new(None::<Result<String, String>>);
    let page = RwSignal::new(None::<Result<ContentToPopup, String>>);

    spawn_local(async move {
        let answer = match webext::ask_background(&PopupToBackground::Ping {}).await {
            Ok(BackgroundToPopup::Pong { version }) => Ok(version),
            Ok(BackgroundToPopup::Refused { reason }) => Err(reason),
            Ok(other) => Err(format!("unexpected answer {other:?}")),
            Err(e) => Err(e),
        };
        background.set(Some(answer));
    });
    let read = move || {
        page.set(None);
        spawn_local(async move {
            let result = match webext::target_tab().await {
                Ok(tab) => webext::read_tab(tab).await,
                Err(e) => Err(e),
            };
            page.set(Some(result));
        })
    };
    read();

    view! {
        <main class="popup">
            <h1>"Sprout"</h1>
            <p data-testid="background" role="status">
                {move || match background.get() {
                    None => "Connecting to the background…".to_string(),
                    Some(Ok(version)) => format!("Background ready (Sprout {version})"),
                    Some(Err(e)) => format!("Background unavailable: {e}"),
                }}
            </p>
            <section data-testid="page" aria-live="polite">
                {move || match page.get() {
                    None => view! { <p>"Reading the page…"</p> }.into_any(),
                    Some(Ok(ContentToPopup::PageRead { url, title, html_len, profile, timings })) => {
                        view! {
                            <PersonView profile/>
                            <p class="muted" data-testid="page-title">{title}</p>
                            <p class="muted" data-testid="page-url">{url}</p>
                            <p class="muted" data-testid="page-size">
                                {format!(
                                    "{html_len} characters of HTML, read in {:.1} ms",
                                    timings.load_ms + timings.serialize_ms + timings.extract_ms,
                                )}
                            </p>
                        }
                            .into_any()
                    }
                    Some(Err(e)) => view! { <p class="error" data-testid="page-error">{e}</p> }.into_any(),
                }}
            </section>
            <button on:click=move |_| read()>"Read the page again"</button>
            <ActiveConnection/>
        </main>
    }
}

/// The connection captures go to, chosen among the connections set up on the options page.
#[component]
fn ActiveConnection() -> impl IntoView {
    let status = RwSignal::new(None::<Result<(Option<String>, Vec<ConnectionStatus>), String>>);
    let ask = move |message: PopupToBackground| {
        spawn_local(async move {
            status.set(Some(match webext::ask_background(&message).await {
                Ok(BackgroundToPopup::Status { active, connections }) => Ok((active, connections)),
                Ok(BackgroundToPopup::Refused { reason }) => Err(reason),
                Ok(other) => Err(format!("unexpected answer {other:?}")),
                Err(e) => Err(e),
            }));
        })
    };
    ask(PopupToBackground::Status {});
    move || {
        match status.get() {
        None => ().into_any(),
        Some(Err(e)) => view! { <p class="error" data-testid="connection-error">{e}</p> }.into_any(),
        Some(Ok((_, connections))) if connections.is_empty() => view! {
            <p data-testid="no-connection">"No Greenhouse connection yet: set one up in Sprout's settings."</p>
        }
        .into_any(),
        Some(Ok((active, connections))) => view! {
            <p class="field">
                <label for="active-connection">"Send to"</label>
                <select id="active-connection" data-testid="active-connection"
                    on:change=move |ev| ask(PopupToBackground::SetActiveConnection { id: event_target_value(&ev) })>
                    {connections
                        .into_iter()
                        .map(|c| {
                            let signed_in = c.state == SignInState::SignedIn;
                            let label = match (&c.user, signed_in) {
                                (Some(u), true) => format!("{} ({})", c.connection.caption, u.email),
                                _ => format!("{} (not signed in)", c.connection.caption),
                            };
                            let selected = active.as_deref() == Some(c.connection.id.as_str());
                            view! { <option value=c.connection.id selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </p>
        }
        .into_any(),
    }
    }
}

/// The extracted person, or a plain statement that the page named nobody.
#[component]
fn PersonView(profile: Profile) -> impl IntoView {
    if profile.is_empty() {
        return view! {
            <p data-testid="profile-empty">"No person found on this page. You can still enter one by hand."</p>
        }
        .into_any();
    }
    let candidate = profile.to_candidate();
    let name = format!("{} {}", candidate.first_name, candidate.last_name);
    let role = [profile.title.as_ref(), profile.company.as_ref()]
        .into_iter()
        .flatten()
        .map(|f| f.value.clone())
        .collect::<Vec<_>>()
        .join(" at ");
    view! {
        <h2 data-testid="profile-name" title=hint(profile.name.as_ref().or(profile.first_name.as_ref()))>
            {name.trim().to_string()}
        </h2>
        <p data-testid="profile-role">{role}</p>
        <FieldList label="Emails" testid="profile-emails" fields=profile.emails/>
        <FieldList label="Phones" testid="profile-phones" fields=profile.phones/>
        <FieldList label="Links" testid="profile-links" fields=profile.links/>
    }
    .into_any()
}

#[component]
fn FieldList(label: &'static str, testid: &'static str, fields: Vec<Field>) -> impl IntoView {
    (!fields.is_empty()).then(|| {
        view! {
            <h3>{label}</h3>
            <ul data-testid=testid>
                {fields
                    .into_iter()
                    .map(|f| view! { <li title=hint(Some(&f))>{f.value.clone()}</li> })
                    .collect_view()}
            </ul>
        }
    })
}

/// "from json_ld (confidence 0.95)": where a value came from, shown on hover.
fn hint(field: Option<&Field>) -> String {
    field
        .map(|f| format!("from {} (confidence {:.2})", f.source, f.confidence))
        .unwrap_or_default()
}
