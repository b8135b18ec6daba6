//! The content script's wasm, the page reader: injected on click into the active tab (embedded in
//! content.js, so the page never sees an extension URL), it copies the page's reduced view
//! (`sprout::page_view`) with DOM calls and hands it back as plain data. The popup extracts the
//! person from it. It changes nothing in the page, holds no secret and can send no message.

use js_sys::{Array, JsString, Object, Reflect};
use sprout::page_read::{MAX_HTML_UNITS, MAX_TITLE_UNITS, MAX_URL_UNITS};
use sprout::page_view::{self, LEFT_OUT};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Node};

/// Reads the page this script was injected into: `{type: "page_view", url, title, html, html_len,
/// timings: {serialize_ms}}`, as `sprout::protocol::ContentToPopup` decodes it.
#[wasm_bindgen]
pub fn read_page() -> Result<JsValue, JsValue> {
    let window = web_sys::window().ok_or("no window to read")?;
    let document = window.document().ok_or("no document to read")?;
    let now = || window.performance().map_or(0.0, |p| p.now());
    let started = now();
    let (html, html_len) = match document.document_element() {
        Some(root) => View::new(&document).copy(root)?,
        None => (JsString::from(""), 0),
    };
    let serialize_ms = now() - started;

    let timings = Object::new();
    set(&timings, "serialize_ms", &serialize_ms.into())?;
    let read = Object::new();
    set(&read, "type", &"page_view".into())?;
    set(&read, "url", &capped(&document, "URL", MAX_URL_UNITS)?.into())?;
    set(
        &read,
        "title",
        &capped(&document, "title", MAX_TITLE_UNITS)?.into(),
    )?;
    set(&read, "html", &html.into())?;
    set(&read, "html_len", &html_len.into())?;
    set(&read, "timings", &timings)?;
    Ok(read.into())
}

/// The view as it is copied: JS strings (an `outerHTML` never crosses into wasm), at most
/// [`MAX_HTML_UNITS`] units of them.
struct View {
    pieces: Array,
    units: u32,
    quirks: bool,
}

impl View {
    fn new(document: &Document) -> View {
        View {
            pieces: Array::new(),
            units: 0,
            quirks: document.compat_mode() == "BackCompat",
        }
    }

    /// Adds `piece`, cut to what is left of the budget; false once the budget is spent.
    fn push(&mut self, piece: JsString) -> bool {
        let left = MAX_HTML_UNITS.saturating_sub(self.units);
        let len = piece.length();
        self.units = self.units.saturating_add(len);
        let kept = if len > left { piece.slice(0, left) } else { piece };
        self.pieces.push(&kept.into());
        len <= left
    }

    fn push_str(&mut self, piece: &str) -> bool {
        self.push(JsString::from(piece))
    }

    /// The walk of `sprout::page_view` from `root`; the view and its length in UTF-16 units.
    fn copy(mut self, root: Element) -> Result<(JsString, u32), JsValue> {
        enum Step {
            Visit(Element),
            Text(String),
            Close(String),
        }
        self.push_str(page_view::doctype(self.quirks));
        // An explicit stack: pages nest deeper than recursion should go.
        let mut stack = vec![Step::Visit(root)];
        while let Some(step) = stack.pop() {
            let mut written = String::new();
            let el = match step {
                Step::Close(name) => {
                    page_view::end_tag(&mut written, &name);
                    if !self.push_str(&written) {
                        break;
                    }
                    continue;
                }
                Step::Text(data) => {
                    page_view::text(&mut written, &data);
                    if !self.push_str(&written) {
                        break;
                    }
                    continue;
                }
                Step::Visit(el) => el,
            };
            let name = el.local_name();
            let whole = if el.matches(LEFT_OUT)? {
                page_view::keeps_left_out(&name, |mark| {
                    Reflect::get(&el, &"textContent".into())
                        .ok()
                        .and_then(|t| t.dyn_into::<JsString>().ok())
                        .is_some_and(|t| t.includes(mark, 0))
                })
            } else if el.query_selector(LEFT_OUT)?.is_none() {
                true
            } else {
                let names = el.get_attribute_names();
                let attrs: Vec<(String, String)> = names
                    .iter()
                    .filter_map(|n| n.as_string())
                    .map(|n| {
                        let value = el.get_attribute(&n).unwrap_or_default();
                        (n, value)
                    })
                    .collect();
                page_view::start_tag(
                    &mut written,
                    &name,
                    attrs.iter().map(|(n, v)| (n.as_str(), v.as_str())),
                );
                if !self.push_str(&written) {
                    break;
                }
                stack.push(Step::Close(name));
                let children = el.child_nodes();
                for i in (0..children.length()).rev() {
                    let Some(child) = children.item(i) else { continue };
                    match child.node_type() {
                        Node::ELEMENT_NODE => stack.push(Step::Visit(child.unchecked_into())),
                        Node::TEXT_NODE => stack.push(Step::Text(child.node_value().unwrap_or_default())),
                        _ => {}
                    }
                }
                continue;
            };
            if whole {
                let outer: JsString = Reflect::get(&el, &"outerHTML".into())?.unchecked_into();
                if !self.push(outer) {
                    break;
                }
            }
        }
        Ok((self.pieces.join(""), self.units))
    }
}

fn set(object: &Object, key: &str, value: &JsValue) -> Result<(), JsValue> {
    Reflect::set(object, &key.into(), value).map(drop)
}

/// A text property of a DOM object, cut to `max_units` while still a JS string.
fn capped(object: &JsValue, name: &str, max_units: u32) -> Result<JsString, JsValue> {
    let whole: JsString = Reflect::get(object, &name.into())?
        .dyn_into()
        .map_err(|_| JsValue::from_str(&format!("{name} is not text")))?;
    Ok(if whole.length() > max_units {
        whole.slice(0, max_units)
    } else {
        whole
    })
}
