//! The popup's entry point, in a wasm that exports nothing else (see sprout-popup's lib.rs for why
//! the pages' library is not a cdylib itself). build.sh names its output pkg/sprout_popup*.

use wasm_bindgen::prelude::*;

/// `page_read`: the page read popup.js started, and had extracted, before this wasm loaded.
#[wasm_bindgen]
pub fn start_popup(page_read: js_sys::Promise) {
    sprout_popup::mount_popup(page_read);
}
