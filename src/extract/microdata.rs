//! schema.org `Person` in microdata (`itemscope itemtype=".../Person"`), as GitHub and many
//! team pages mark people up. Only top-level people or a page's `mainEntity` are the subject.

use scraper::ElementRef;

use crate::extract::dom::{self, Page, selector};
use crate::extract::{Basis, Found, Partial, Source, text};

fn has_type(el: ElementRef<'_>, wanted: &[&str]) -> bool {
    el.attr("itemtype").is_some_and(|t| {
        t.split_whitespace().any(|t| {
            t.trim_end_matches('/')
                .rsplit('/')
                .next()
                .is_some_and(|n| wanted.iter().any(|w| n.eq_ignore_ascii_case(w)))
        })
    })
}

fn is_person(el: ElementRef<'_>) -> bool {
    has_type(el, &["Person"])
}

fn is_organisation(el: ElementRef<'_>) -> bool {
    has_type(
        el,
        &[
            "Organization",
            "Corporation",
            "MusicGroup",
            "PerformingGroup",
            "LocalBusiness",
            "NGO",
        ],
    )
}

fn is_main(el: ElementRef<'_>) -> bool {
    let prop = el.attr("itemprop").unwrap_or("").to_ascii_lowercase();
    prop.split_whitespace().any(|p| p == "mainentity" || p == "about")
}

/// The nearest `itemscope` ancestor of `el` (not `el` itself).
fn scope_of(el: ElementRef<'_>) -> Option<ElementRef<'_>> {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.attr("itemscope").is_some())
}

/// A property's value by the microdata rules (`content`, `href`, `src`, `datetime`, else text);
/// a nested item gives its `name`.
fn value(el: ElementRef<'_>, page: &Page) -> Option<String> {
    if el.attr("itemscope").is_some() {
        return el
            .select(selector!("[itemprop~=name]"))
            .next()
            .and_then(|n| value(n, page))
            .or_else(|| dom::clean_text(el));
    }
    if let Some(c) = el.attr("content") {
        return Some(c.to_string());
    }
    let v = el.value();
    match v.name() {
        "a" | "link" | "area"
            if el
                .attr("href")
                .is_some_and(|h| h.contains(':') && !h.contains("//")) =>
        {
            // mailto:/tel: hold the value itself.
            el.attr("href").map(str::to_string)
        }
        "a" | "link" | "area" => el
            .attr("href")
            .and_then(|h| page.resolve(h))
            .map(|u| u.to_string()),
        "img" | "audio" | "video" | "source" => el.attr("src").map(str::to_string),
        "time" => el.attr("datetime").map(str::to_string),
        "meta" => None,
        _ => dom::clean_text(el),
    }
}

fn is_fragment_target(el: ElementRef<'_>, page: &Page) -> bool {
    let frag = page
        .url
        .as_ref()
        .and_then(|u| u.fragment())
        .filter(|f| !f.is_empty());
    frag.is_some_and(|f| el.value().id() == Some(f))
}

pub(crate) fn extract(page: &Page) -> Found {
    let mut found = Found::default();
    let mut main = None;
    let mut top = Vec::new();
    for el in page.doc.select(selector!("[itemscope][itemtype]")).take(200) {
        if !is_person(el) {
            if is_organisation(el) && is_main(el) {
                found.organisation = true;
            }
            continue;
        }
        let scope = scope_of(el);
        let prop = el.attr("itemprop").unwrap_or("").to_ascii_lowercase();
        if is_main(el) {
            main = Some(el);
        } else if scope.is_none() && !dom::in_other_people_region(el) {
            top.push(el);
        } else if let Some(owner) = scope
            && prop.split_whitespace().any(|p| p == "author" || p == "creator")
            && has_type(owner, crate::extract::jsonld::WORK_TYPES)
        {
            let mut p = person(el, page, 0.85);
            p.basis = Basis::AuthorOfPage;
            found.authors.push(p);
        } else {
            let mut p = person(el, page, 0.4);
            p.basis = Basis::Mentioned;
            found.others.push(p);
        }
    }
    if main.is_some() {
        found.organisation = false;
    }
    let (subject, confidence) = match (main, top.as_slice()) {
        (Some(m), _) => (m, 0.9),
        (None, [only]) => (*only, 0.85),
        (None, []) => return found,
        // A team page linked with a fragment (`/team#jane`) names its person.
        (None, many) if many.iter().any(|e| is_fragment_target(*e, page)) => (
            *many
                .iter()
                .find(|e| is_fragment_target(**e, page))
                .expect("checked"),
            0.9,
        ),
        (None, many) => {
            found.ambiguous = true;
            found.warnings.push(format!(
                "{} people marked up with microdata and none is this page's subject",
                many.len()
            ));
            for el in many {
                let mut p = person(*el, page, 0.5);
                p.basis = Basis::Mentioned;
                found.others.push(p);
            }
            return found;
        }
    };
    for el in &top {
        if *el != subject {
            let mut p = person(*el, page, 0.5);
            p.basis = Basis::Mentioned;
            found.others.push(p);
        }
    }
    found.push(person(subject, page, confidence));
    found
}

fn person(person: ElementRef<'_>, page: &Page, confidence: f64) -> Partial {
    let mut p = Partial::new(Source::Microdata, confidence);
    for prop_el in person.select(selector!("[itemprop]")).take(500) {
        if scope_of(prop_el) != Some(person) {
            continue;
        }
        let Some(v) = value(prop_el, page) else { continue };
        for prop in prop_el.attr("itemprop").unwrap_or("").split_whitespace() {
            let v = v.clone();
            match prop {
                "name" => p.name = p.name.or(Some(v)),
                "givenName" => p.given = p.given.or(Some(v)),
                "familyName" => p.family = p.family.or(Some(v)),
                "jobTitle" => p.title = p.title.or(Some(v)),
                "worksFor" | "affiliation" => p.company = p.company.or(Some(v)),
                "homeLocation" | "address" => p.location = p.location.or(Some(v)),
                "email" => p.emails.push((v, None)),
                "telephone" => p.phones.push((v, None)),
                "url" | "sameAs" | "social" => {
                    let same_as = prop == "sameAs";
                    // GitHub wraps the link: <li itemprop="url"><a href=...>.
                    let href = prop_el
                        .select(selector!("a[href]"))
                        .next()
                        .and_then(|a| a.attr("href"))
                        .and_then(|h| page.resolve(h))
                        .or_else(|| page.resolve(&v));
                    if same_as {
                        p.identity.extend(href.clone());
                    }
                    p.links.extend(href);
                }
                _ => {}
            }
        }
    }
    // An itemprop="email" on a wrapper holds the address in a mailto link or its text.
    p.emails.retain(|(e, _)| text::email(e).is_some());
    p
}
