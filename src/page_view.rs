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
//! A huge page's view stops once it holds [`ENOUGH_UNITS`], at the end of a whole piece (an element
//! copied whole, a tag, a text): the extractor parses only the first [`MAX_PARSE_BYTES`] of the
//! view once pruned, and pruning is a left-to-right scan, so what it makes of a view cut between
//! two pieces is the start of what it makes of the whole view. When that start is longer than
//! [`MAX_PARSE_BYTES`], the Profile is the whole view's; the page's rest costs neither the copy,
//! nor the trip to the popup, nor the pruning. Two exceptions: a view made mostly of what pruning
//! drops (comments) is parsed whole and warned about ([`crate::page_read::extract_view`]), and a
//! view beyond [`MAX_INPUT_BYTES`] is no longer said to be (the parse's warning already says that
//! only the start was read).
//!
//! The view keeps every attribute and class: the extractor drops those no layer reads itself
//! ([`crate::extract::extract_view`]), after that cut, so the reader's walk stays a few DOM calls
//! and this count is the count the cut makes.
//!
//! [`prune_html`]: crate::extract::prune_html
//! [`MAX_PARSE_BYTES`]: crate::extract::MAX_PARSE_BYTES
//! [`MAX_INPUT_BYTES`]: crate::extract::MAX_INPUT_BYTES

/// Elements left out of the view with their content (see the module header).
pub const LEFT_OUT: &str = "script:not([type*='ld+json' i]), style, svg, template, iframe, code";

/// How much of the view the reader copies before it stops, in UTF-16 units: what the extractor
/// parses (every unit is at least one byte), and an eighth more for what pruning still drops from
/// a view (comments, which the view keeps inside elements copied whole).
pub const ENOUGH_UNITS: u32 = (crate::extract::MAX_PARSE_BYTES + crate::extract::MAX_PARSE_BYTES / 8) as u32;

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
/// DOM, and whether it was cut ([`ENOUGH_UNITS`]): the tests check that it gives the same Profile
/// as the page.
pub fn reduce(html: &str) -> (String, bool) {
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
    let (mut units, mut counted) = (0, 0);
    while let Some(step) = stack.pop() {
        units += out[counted..].encode_utf16().count();
        counted = out.len();
        if units >= ENOUGH_UNITS as usize {
            return (out, true);
        }
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
    (out, false)
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
            reduce(page).0,
            "<!DOCTYPE html><html lang=\"en\"><head><title>A &amp; B</title>\n            \
             <script type=\"application/ld+json\">{\"@type\":\"Person\"}</script></head>\n            \
             <body class=\"a&quot;b\"><div id=\"card\"><p>Jane&nbsp;Doe &lt;3</p>\n            \
             <code>{\"publicIdentifier\":\"jane\"}</code></div><p>whole</p></body></html>"
        );
        // A page without a doctype was parsed in quirks mode: its view must be too.
        assert_eq!(
            reduce("<p>x<script></script>").0,
            "<html><head></head><body><p>x</p></body></html>"
        );
    }

    #[test]
    fn a_huge_view_stops_once_it_has_what_the_extractor_parses_and_reads_as_the_whole_page() {
        let url = "https://tomasz.example/";
        let card = r#"<!DOCTYPE html><html><head><title>Tomasz</title><meta property="og:title" content="Tomasz Wierciński"></head>
            <body><div class="h-card"><span class="p-name">Tomasz Wierciński</span> <span class="p-job-title">Platform engineer</span>
            <a class="u-email" href="mailto:tomasz@example.com">mail</a><!-- a comment --></div><div id="feed">"#;
        // Each item has something left out inside (so the walk opens it) and a comment (kept).
        let item = r#"<div class="item"><span class="badge"><svg viewBox="0 0 16 16"><path d="M1 2.5A2.5 2.5 0 0 1 3.5 0h8.75"></path></svg></span><div class="body"><!-- item --><a href="/repo">Created 3 commits in tomasz/repo</a> &amp; more</div></div>
"#;
        let items = 2 * ENOUGH_UNITS as usize / item.len();
        let page = format!("{card}{}</div><p>the end</p></body></html>", item.repeat(items));
        let (view, cut) = reduce(&page);
        assert!(cut);
        let units = view.encode_utf16().count();
        assert!(units >= ENOUGH_UNITS as usize && units < ENOUGH_UNITS as usize + item.len());
        let whole = crate::extract::extract(&page, url);
        assert_eq!(whole.to_candidate().first_name, "Tomasz");
        assert!(
            whole
                .warnings
                .contains(&crate::extract::only_the_start_was_parsed())
        );
        assert_eq!(crate::extract::extract_view(&view, url), whole);
    }
}
