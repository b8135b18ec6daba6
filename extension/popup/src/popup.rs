//! The toolbar popup: for now it proves the wiring, showing the background's answer and what the
//! content script read from the active tab.

use crate::webext;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sprout::protocol::{BackgroundToPopup, ContentToPopup, PopupToBackground};

#[component]
pub fn Popup() -> impl IntoView {
    let background = RwSignal::new(None::<Result<String, String>>);
    let page = RwSignal::new(None::<Result<ContentToPopup, String>>);

    spawn_local(async move {
        let answer = match webext::ask_background(&PopupToBackground::Ping {}).await {
            Ok(BackgroundToPopup::Pong { version }) => Ok(version),
            Ok(BackgroundToPopup::Refused { reason }) => Err(reason),
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
                    Some(Ok(ContentToPopup::PageSeen { url, title, html_len })) => view! {
                        <h2 data-testid="page-title">{title}</h2>
                        <p data-testid="page-url">{url}</p>
                        <p data-testid="page-size">{format!("{html_len} characters of HTML")}</p>
                    }
                    .into_any(),
                    Some(Err(e)) => view! { <p class="error" data-testid="page-error">{e}</p> }.into_any(),
                }}
            </section>
            <button on:click=move |_| read()>"Read the page again"</button>
        </main>
    }
}
