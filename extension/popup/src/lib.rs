//! The extension's Leptos pages, a library: each page's wasm is a thin cdylib over it that exports
//! that page's entry point (extension/popup-wasm, extension/options), so the popup's wasm links none
//! of the options page. Not a cdylib itself: built as cdylib and rlib at once, its wasm was 50 KB
//! bigger gzipped (402 against 352 KB) than built as a cdylib alone.

mod background;
mod browser;
mod i18n;
mod options;
mod popup;
mod reasons;

/// Mounts the popup; called by extension/popup-wasm. `page_read`: the page read popup.js started,
/// and had extracted, before this wasm loaded (see `browser::read_tab`).
pub fn mount_popup(page_read: js_sys::Promise) {
    console_error_panic_hook::set_once();
    sprout::url_parse::use_host_to_ascii(sprout_webext::url::host_to_ascii);
    leptos::mount::mount_to_body(move || leptos::view! { <popup::Popup page_read /> });
}

/// Mounts the options page; called by extension/options, the options page's own wasm.
pub fn mount_options() {
    console_error_panic_hook::set_once();
    sprout::url_parse::use_host_to_ascii(sprout_webext::url::host_to_ascii);
    // The tab's title is the one word of the page the HTML holds; it is said in the locale too.
    leptos::prelude::document().set_title(&i18n::t("optionsPageTitle"));
    leptos::mount::mount_to_body(options::Options);
}
