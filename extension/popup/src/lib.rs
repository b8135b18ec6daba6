//! The extension's Leptos pages. The popup's entry point is exported here; the options page's is
//! exported by its own wasm (extension/options), so the popup's wasm links none of that page.

mod background;
mod browser;
mod i18n;
mod options;
mod popup;
mod reasons;

use wasm_bindgen::prelude::*;

/// `page_read`: the page read popup.js started, and had extracted, before this wasm loaded (see
/// `browser::read_tab`).
#[wasm_bindgen]
pub fn start_popup(page_read: js_sys::Promise) {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(move || leptos::view! { <popup::Popup page_read /> });
}

/// Mounts the options page; called by extension/options, the options page's own wasm.
pub fn mount_options() {
    console_error_panic_hook::set_once();
    // The tab's title is the one word of the page the HTML holds; it is said in the locale too.
    leptos::prelude::document().set_title(&i18n::t("optionsPageTitle"));
    leptos::mount::mount_to_body(options::Options);
}
