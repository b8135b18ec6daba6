//! The reduced page view: what the reader injected into the recruiter's tab copies out of the page
//! for the popup to extract from, so that the page runs no parser and no extractor.
//!
//! The view is the page's HTML without the elements the extractor never reads: [`prune_html`]'s
//! list (scripts other than JSON-LD, styles, SVG, templates, iframes, `<code>` other than
//! LinkedIn's profile data), decided on the live DOM instead of on text. Everything the layers do
//! read stays, with its ancestors: head metadata, JSON-LD, microdata, RDFa and microformats
//! regions, the site adapters' selectors, every link, and the unmarked text the shape and nobody
//! layers read (which is why the view is not a list of selected regions: a person block or an error
//! page has no selector, and the sidebar checks need each element's ancestors).
//!
//! The walk, the same in the browser and natively ([`reduce`], for the tests): an element that is
//! left out is skipped (a kept `<code>` is copied whole); an element with nothing left out inside
//! is copied whole (one `outerHTML`); any other element is written as its start tag, then its
//! children walked, then its end tag. The reader finds what is left out with one selector query
//! for the page and opens exactly those elements' ancestors, so the page costs a few DOM calls per
//! element on the way to something left out, and the copy's size is what the extractor would read
//! anyway.
//!
//! [`prune_html`]: crate::extract::prune_html

/// Elements left out of the view with their content (see the module header).
pub const LEFT_OUT: &str = "script:not([type*='ld+json' i]), style, svg, template, iframe, code";

/// A `<code>` whose text holds this is LinkedIn's profile data: copied whole, not left out.
pub const KEPT_CODE_MARK: &str = "publicIdentifier";

/// True when a left-out element (`tag`, its lower-case local name) is copied whole after all;
/// `text_has` tells whether its text contains a string.
pub fn keeps_left_out(tag: &str, text_has: impl FnOnce(&str) -> bool) -> bool {
    tag == "code" && text_has(KEPT_CODE_MARK)
}

/// What opens the view: the doctype when the page has one (no-quirks mode), so that the popup parses
/// the copy as the browser parsed the page (quirks mode changes how tables and paragraphs nest).
pub fn doctype(quirks: bool) -> &'static str {
    if quirks { "" } else { "<!DOCTYPE html>" }
}

/// Writes `<name a="v" ...>` as the HTML serializer does.
pub fn start_tag<'a>(out: &mut String, name: &str, attrs: impl IntoIterator<Item = (&'a str, &'a str)>) {
    out.push('<');
    out.push_str(name);
    for (attr, value) in attrs {
        out.push(' ');
        out.push_str(attr);
        out.push_str("=\"");
        escape(out, value, true);
        out.push('"');
    }
    out.push('>');
}

/// Writes `</name>`.
pub fn end_tag(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// Writes a text node's data as the HTML serializer does (the walk never enters raw-text elements:
/// they have no element children).
pub fn text(out: &mut String, data: &str) {
    escape(out, data, false);
}

fn escape(out: &mut String, s: &str, attribute: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            '"' if attribute => out.push_str("&quot;"),
            '<' if !attribute => out.push_str("&lt;"),
            '>' if !attribute => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// The view of a whole page, built natively with scraper exactly as the reader builds it from the
/// DOM: the tests check that it gives the same Profile as the page.
pub fn reduce(html: &str) -> String {
    use scraper::{ElementRef, Html, Node, Selector};
    let doc = Html::parse_document(html);
    let left_out = Selector::parse(LEFT_OUT).expect("LEFT_OUT parses");
    let mut out = doctype(doc.quirks_mode == markup5ever::interface::QuirksMode::Quirks).to_owned();
    // An explicit stack: pages nest deeper than the native stack allows recursion.
    enum Step<'a> {
        Visit(ElementRef<'a>),
        Text(&'a str),
        Close(&'a str),
    }
    let mut stack = vec![Step::Visit(doc.root_element())];
    while let Some(step) = stack.pop() {
        let el = match step {
            Step::Close(name) => {
                end_tag(&mut out, name);
                continue;
            }
            Step::Text(data) => {
                text(&mut out, data);
                continue;
            }
            Step::Visit(el) => el,
        };
        let name = el.value().name();
        if left_out.matches(&el) {
            if keeps_left_out(name, |mark| el.text().collect::<String>().contains(mark)) {
                out.push_str(&el.html());
            }
            continue;
        }
        if !el.select(&left_out).any(|d| d.id() != el.id()) {
            out.push_str(&el.html());
            continue;
        }
        start_tag(&mut out, name, el.value().attrs());
        stack.push(Step::Close(name));
        for child in el.children().rev() {
            match child.value() {
                Node::Element(_) => stack.push(Step::Visit(ElementRef::wrap(child).expect("element"))),
                Node::Text(t) => stack.push(Step::Text(t)),
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_leaves_out_what_the_extractor_never_reads_and_keeps_the_rest_whole() {
        let page = r#"<!DOCTYPE html><html lang="en"><head><title>A &amp; B</title><style>p{}</style>
            <script type="application/ld+json">{"@type":"Person"}</script><script>x()</script></head>
            <body class="a&quot;b"><div id="card"><svg><path/></svg><p>Jane&nbsp;Doe &lt;3</p>
            <code>{"x":1}</code><code>{"publicIdentifier":"jane"}</code></div><p>whole</p></body></html>"#;
        assert_eq!(
            reduce(page),
            "<!DOCTYPE html><html lang=\"en\"><head><title>A &amp; B</title>\n            \
             <script type=\"application/ld+json\">{\"@type\":\"Person\"}</script></head>\n            \
             <body class=\"a&quot;b\"><div id=\"card\"><p>Jane&nbsp;Doe &lt;3</p>\n            \
             <code>{\"publicIdentifier\":\"jane\"}</code></div><p>whole</p></body></html>"
        );
        // A page without a doctype was parsed in quirks mode: its view must be too.
        assert_eq!(
            reduce("<p>x<script></script>"),
            "<html><head></head><body><p>x</p></body></html>"
        );
    }
}
