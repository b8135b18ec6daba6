//! Personal sites, team and speaker pages. A team page link with a fragment (`/team#jane-doe`)
//! points at one person's card: its heading, role and links are the subject. A personal site's
//! `<meta name="author">` names its owner when the page is not an article.

use scraper::ElementRef;

use crate::extract::dom::{self, Page, selector};
use crate::extract::{Adapter, Found, Partial, Source, names};

const SOURCE: Source = Source::SiteAdapter(Adapter::Generic);

fn is_article(page: &Page) -> bool {
    page.meta("og:type")
        .is_some_and(|t| t.eq_ignore_ascii_case("article"))
        || page
            .doc
            .select(selector!(
                "article .h-entry, article.h-entry, [itemtype*=BlogPosting], [itemtype*=Article]"
            ))
            .next()
            .is_some()
}

/// The element the URL's fragment names, widened to the card that holds it.
fn fragment_card<'a>(page: &Page<'a>) -> Option<ElementRef<'a>> {
    let frag = page.url.as_ref()?.fragment()?.to_string();
    if frag.is_empty() {
        return None;
    }
    let target = page
        .doc
        .select(selector!("[id]"))
        .find(|e| e.value().id() == Some(frag.as_str()))?;
    // An anchor on the heading itself: the card is the nearest ancestor with more than a heading.
    if matches!(target.value().name(), "h1" | "h2" | "h3" | "h4" | "a" | "span") {
        return target
            .ancestors()
            .filter_map(ElementRef::wrap)
            .find(|a| a.child_elements().count() > 1);
    }
    Some(target)
}

fn card_partial(card: ElementRef<'_>, page: &Page) -> Partial {
    let mut p = Partial::new(SOURCE, 0.85);
    p.name = card
        .select(selector!(".name, [class*=name], h1, h2, h3, h4, strong"))
        .find_map(dom::clean_text);
    p.title = card
        .select(selector!(
            ".title, .role, .position, .job-title, [class*=role], [class*=title]:not(h1):not(h2):not(h3)"
        ))
        .find_map(dom::clean_text);
    for a in card.select(selector!("a[href]")).take(30) {
        let href = a.attr("href").unwrap_or("").trim();
        let lower = href.to_ascii_lowercase();
        if lower.starts_with("mailto:") {
            p.emails.push((href.to_string(), None));
        } else if lower.starts_with("tel:") {
            p.phones.push((href.to_string(), None));
        } else if let Some(u) = page.resolve(href)
            && page.url.as_ref().is_none_or(|pu| pu.host_str() != u.host_str())
        {
            p.links.push(u);
        }
    }
    p
}

pub(super) fn extract(page: &Page) -> Found {
    let mut found = Found::default();
    if let Some(card) = fragment_card(page) {
        found.push(card_partial(card, page));
    }
    if !is_article(page) {
        let mut p = Partial::new(Source::Heuristic, 0.3);
        // A handle ("@jane", "jdoe") or a site's name is not the owner's name.
        p.name = page
            .meta("author")
            .filter(|a| !names::is_handle(a) && !a.contains("://"));
        found.push(p);
    }
    found
}
