//! The Greenhouse connection captures go to: a chooser when there are several, and a way to the
//! settings when there is none or it is signed out (a capture still waits in the outbox then).

use super::App;
use crate::background;
use crate::browser;
use crate::i18n::t;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sprout::protocol::SignInState;

#[component]
pub(crate) fn ActiveConnection() -> impl IntoView {
    let app = expect_context::<App>();
    let open_settings = move |_| {
        spawn_local(async {
            let _ = browser::open_settings().await;
        })
    };
    move || match app.connections.get() {
        None => ().into_any(),
        Some(Err(e)) => view! {
            <p class="error" role="alert" data-testid="connection-error">
                {e}
            </p>
        }
        .into_any(),
        Some(Ok(c)) if c.all.is_empty() => view! {
            <div class="notice" role="status" data-testid="no-connection">
                <p>{t("noConnection")}</p>
                <button type="button" data-testid="open-settings" on:click=open_settings>
                    {t("openSettings")}
                </button>
            </div>
        }
        .into_any(),
        Some(Ok(c)) => {
            let signed_out = c.active().is_some_and(|a| a.state != SignInState::SignedIn);
            let options = c
                .all
                .iter()
                .map(|s| {
                    let label = match (&s.user, s.state) {
                        (Some(u), SignInState::SignedIn) => format!("{} ({})", s.connection.caption, u.email),
                        _ => format!("{} ({})", s.connection.caption, t("notSignedIn")),
                    };
                    let selected = c.active.as_deref() == Some(s.connection.id.as_str());
                    view! {
                        <option value=s.connection.id.clone() selected=selected>
                            {label}
                        </option>
                    }
                })
                .collect_view();
            view! {
                <div class="field connection">
                    <label for="active-connection">{t("sendTo")}</label>
                    <select
                        id="active-connection"
                        data-testid="active-connection"
                        on:change=move |ev| {
                            app.ask_status(background::set_active_connection(event_target_value(&ev)))
                        }
                    >
                        {options}
                    </select>
                </div>
                {signed_out
                    .then(|| {
                        view! {
                            <div class="notice" role="status" data-testid="signed-out">
                                <p>{t("signedOut")}</p>
                                <button type="button" data-testid="open-settings" on:click=open_settings>
                                    {t("openSettings")}
                                </button>
                            </div>
                        }
                    })}
            }
            .into_any()
        }
    }
}
