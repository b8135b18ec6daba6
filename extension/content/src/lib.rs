//! The content script's wasm, the page reader: injected on click into the active tab (embedded in
//! content.js, so the page never sees an extension URL), it copies the page's reduced view
//! (`sprout::page_view`) with DOM calls and hands it back as plain data. The popup extracts the
//! person from it. It changes nothing in the page, holds no secret and can send no message.

use js_sys::{Array, JsString, Object, Reflect};
use sprout::page_read::{MAX_HTML_UNITS, MAX_TITLE_UNITS, MAX_URL_UNITS};
use sprout::page_view::{self, ENOUGH_UNITS, LEFT_OUT};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Node};

/// Reads the page this script was injected into: `{type: "page_view", url, title, html, html_len,
/// cut, timings: {serialize_ms}}`, as `sprout::protocol::ContentToPopup` decodes it.
#[wasm_bindgen]
pub fn read_page() -> Result<JsValue, JsValue> {
    let window = web_sys::window().ok_or("no window to read")?;
    let document = window.document().ok_or("no document to read")?;
    let now = || window.performance().map_or(0.0, |p| p.now());
    let started = now();
    let (html, html_len, cut) = match document.document_element() {
        Some(root) => View::new(&document)?.copy(root)?,
        None => (JsString::from(""), 0, false),
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
    set(&read, "cut", &cut.into())?;
    set(&read, "timings", &timings)?;
    Ok(read.into())
}

/// The view as it is copied: JS strings (an `outerHTML` never crosses into wasm), at most
/// [`MAX_HTML_UNITS`] units of them, and no more pieces once it holds [`ENOUGH_UNITS`]. What the
/// walk writes itself (tags, escaped text) gathers in `written` and crosses as one string before
/// the next `outerHTML`: a crossing costs more than the short piece it carries.
struct View {
    pieces: Array,
    units: u32,
    written: String,
    quirks: bool,
    /// The elements [`LEFT_OUT`] matches ([`LEFT`]), and their ancestors ([`OPENED`]): the
    /// elements the walk must open. One selector query for the page, instead of a `matches` and a
    /// subtree query per element, and one lookup per element the walk meets.
    marks: Marks,
    outer_html: JsValue,
}

/// How much the walk writes before it hands it over (and checks the budget).
const WRITTEN_CHUNK: usize = 64 * 1024;

/// The marks of [`View::marks`]; an element without one is copied whole.
const LEFT: u32 = 1;
const OPENED: u32 = 2;

#[wasm_bindgen]
extern "C" {
    /// A JS `Map` from elements to their marks, read as numbers: 0 for none (`undefined` converts
    /// so), in one call where a `JsValue` and its test would be two more.
    #[wasm_bindgen(js_name = Map)]
    type Marks;
    #[wasm_bindgen(constructor, js_class = "Map")]
    fn new() -> Marks;
    #[wasm_bindgen(method, js_class = "Map")]
    fn set(this: &Marks, element: &Node, mark: u32);
    #[wasm_bindgen(method, js_class = "Map", js_name = get)]
    fn mark_of(this: &Marks, element: &Element) -> u32;
}

impl View {
    fn new(document: &Document) -> Result<View, JsValue> {
        let marks = Marks::new();
        let found = document.query_selector_all(LEFT_OUT)?;
        for i in 0..found.length() {
            let Some(el) = found.item(i) else { continue };
            let mut above = el.parent_element();
            marks.set(&el, LEFT);
            // Marked ancestors have theirs opened already: the query answers in document order.
            // A left-out element inside another (a `<style>` in an `<svg>`) leaves it left out.
            while let Some(parent) = above.filter(|p| marks.mark_of(p) == 0) {
                marks.set(&parent, OPENED);
                above = parent.parent_element();
            }
        }
        Ok(View {
            pieces: Array::new(),
            units: 0,
            written: String::new(),
            quirks: document.compat_mode() == "BackCompat",
            marks,
            outer_html: "outerHTML".into(),
        })
    }

    /// Adds `piece` after what was written before it, cut to what is left of the budget; false
    /// once the budget is spent or the view has enough.
    fn push(&mut self, piece: JsString) -> bool {
        self.hand_over() && self.add(piece)
    }

    /// Hands over what was written when there is enough of it; false once the budget is spent or
    /// the view has enough.
    fn wrote(&mut self) -> bool {
        self.written.len() < WRITTEN_CHUNK || self.hand_over()
    }

    fn hand_over(&mut self) -> bool {
        if self.written.is_empty() {
            return true;
        }
        let piece = JsString::from(self.written.as_str());
        self.written.clear();
        self.add(piece)
    }

    fn add(&mut self, piece: JsString) -> bool {
        let left = MAX_HTML_UNITS.saturating_sub(self.units);
        let len = piece.length();
        self.units = self.units.saturating_add(len);
        let kept = if len > left { piece.slice(0, left) } else { piece };
        self.pieces.push(&kept.into());
        len <= left && self.units < ENOUGH_UNITS
    }

    /// The walk of `sprout::page_view` from `root`; the view, its length in UTF-16 units, and
    /// whether it stopped before the page's end.
    fn copy(mut self, root: Element) -> Result<(JsString, u32, bool), JsValue> {
        enum Step {
            Visit(Element),
            Text(String),
            Close(String),
        }
        self.written.push_str(page_view::doctype(self.quirks));
        // An explicit stack: pages nest deeper than recursion should go.
        let mut stack = vec![Step::Visit(root)];
        while let Some(step) = stack.pop() {
            let el = match step {
                Step::Close(name) => {
                    page_view::end_tag(&mut self.written, &name);
                    if !self.wrote() {
                        break;
                    }
                    continue;
                }
                Step::Text(data) => {
                    page_view::text(&mut self.written, &data);
                    if !self.wrote() {
                        break;
                    }
                    continue;
                }
                Step::Visit(el) => el,
            };
            let mark = self.marks.mark_of(&el);
            let whole = if mark == LEFT {
                page_view::keeps_left_out(&el.local_name(), |mark| {
                    Reflect::get(&el, &"textContent".into())
                        .ok()
                        .and_then(|t| t.dyn_into::<JsString>().ok())
                        .is_some_and(|t| t.includes(mark, 0))
                })
            } else if mark != OPENED {
                true
            } else {
                let name = el.local_name();
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
                    &mut self.written,
                    &name,
                    attrs.iter().map(|(n, v)| (n.as_str(), v.as_str())),
                );
                if !self.wrote() {
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
                let outer: JsString = Reflect::get(&el, &self.outer_html)?.unchecked_into();
                if !self.push(outer) {
                    break;
                }
            }
        }
        let cut = !stack.is_empty();
        self.hand_over();
        Ok((self.pieces.join(""), self.units, cut))
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
