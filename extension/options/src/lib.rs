//! The options page's entry point, in a wasm of its own: exported from sprout-popup, it kept the
//! whole options page in the popup's wasm (29 KB gzipped).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub fn start_options() {
    sprout_popup::mount_options();
}
