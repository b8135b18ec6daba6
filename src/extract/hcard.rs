//! microformats2 `h-card` (with classic `vcard` backcompat) and `rel="me"` links: how personal
//! sites, IndieWeb pages and Mastodon say who they belong to.
//!
//! A subset of the mf2 parsing rules, enough for "who is this person": properties (p-, u-, dt-,
//! e-), nested microformats as property values, the value-class pattern, implied name and url.

use scraper::ElementRef;
use url::Url;

use crate::extract::dom::{self, Page, selector};
use crate::extract::{Basis, Found, Partial, Source, text, urls};

/// How deep nested microformats are parsed for their names; deeper ones give their text.
const MAX_NESTING: usize = 8;
/// Elements visited per card, so one huge card cannot cost much.
const MAX_ELEMENTS: usize = 20_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    P,
    U,
    Dt,
    E,
}

/// A parsed card: property name -> values (nested cards give their name), plus phone types.
#[derive(Default, Debug)]
struct Card {
    props: Vec<(String, String)>,
    tel_types: Vec<(String, String)>,
}

impl Card {
    fn all(&self, name: &str) -> impl Iterator<Item = &String> {
        self.props.iter().filter(move |(n, _)| n == name).map(|(_, v)| v)
    }
    fn first(&self, name: &str) -> Option<&String> {
        self.all(name).next()
    }
    fn has(&self, pred: impl Fn(&str) -> bool) -> bool {
        self.props.iter().any(|(n, _)| pred(n))
    }
}

fn is_mf2_root_class(c: &str) -> bool {
    c.strip_prefix("h-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .split('-')
                .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()))
    })
}

/// Classic microformats' root class names.
const LEGACY_ROOTS: [&str; 7] = ["vcard", "adr", "hentry", "hfeed", "vevent", "hreview", "geo"];

fn is_root(el: ElementRef<'_>) -> bool {
    el.value()
        .classes()
        .any(|c| is_mf2_root_class(c) || LEGACY_ROOTS.contains(&c))
}

/// True when this layer may read the class name `c` (a root or a property, mf2 or classic).
pub(crate) fn reads_class(c: &str) -> bool {
    ["h-", "p-", "u-", "dt-", "e-"].iter().any(|p| c.starts_with(p))
        || LEGACY_ROOTS.contains(&c)
        || backcompat(c).is_some()
}

fn is_mf2(el: ElementRef<'_>) -> bool {
    el.value().classes().any(is_mf2_root_class)
}

/// Classic vCard class names and the mf2 property each stands for.
fn backcompat(class: &str) -> Option<(Kind, &'static str)> {
    Some(match class {
        "fn" => (Kind::P, "name"),
        "given-name" => (Kind::P, "given-name"),
        "family-name" => (Kind::P, "family-name"),
        "additional-name" => (Kind::P, "additional-name"),
        "honorific-prefix" => (Kind::P, "honorific-prefix"),
        "honorific-suffix" => (Kind::P, "honorific-suffix"),
        "nickname" => (Kind::P, "nickname"),
        "org" => (Kind::P, "org"),
        "organization-name" => (Kind::P, "organization-name"),
        "title" => (Kind::P, "job-title"),
        "role" => (Kind::P, "role"),
        "email" => (Kind::U, "email"),
        "tel" => (Kind::P, "tel"),
        "url" => (Kind::U, "url"),
        "uid" => (Kind::U, "uid"),
        "photo" => (Kind::U, "photo"),
        "locality" => (Kind::P, "locality"),
        "region" => (Kind::P, "region"),
        "country-name" => (Kind::P, "country-name"),
        "adr" => (Kind::P, "adr"),
        "note" => (Kind::P, "note"),
        _ => return None,
    })
}

/// The properties an element declares in its card's vocabulary.
fn properties(el: ElementRef<'_>, mf2: bool) -> Vec<(Kind, String)> {
    el.value()
        .classes()
        .filter_map(|c| {
            if mf2 {
                let (kind, name) = if let Some(n) = c.strip_prefix("p-") {
                    (Kind::P, n)
                } else if let Some(n) = c.strip_prefix("u-") {
                    (Kind::U, n)
                } else if let Some(n) = c.strip_prefix("dt-") {
                    (Kind::Dt, n)
                } else if let Some(n) = c.strip_prefix("e-") {
                    (Kind::E, n)
                } else {
                    return None;
                };
                (!name.is_empty()).then(|| (kind, name.to_string()))
            } else {
                backcompat(c).map(|(k, n)| (k, n.to_string()))
            }
        })
        .collect()
}

fn only_child(el: ElementRef<'_>) -> Option<ElementRef<'_>> {
    let mut kids = el.child_elements();
    let only = kids.next()?;
    let has_text = el
        .children()
        .any(|n| n.value().as_text().is_some_and(|t| !t.trim().is_empty()));
    (kids.next().is_none() && !has_text).then_some(only)
}

/// The one `a[href]` or `area[href]` child (`:only-of-type`), not itself a microformat.
fn only_link(el: ElementRef<'_>) -> Option<ElementRef<'_>> {
    ["a", "area"].into_iter().find_map(|tag| {
        let mut of_type = el.child_elements().filter(|c| c.value().name() == tag);
        let one = of_type.next()?;
        (of_type.next().is_none() && one.attr("href").is_some() && !is_root(one)).then_some(one)
    })
}

/// The value-class pattern: the `.value` descendants' values joined, if any.
fn value_class(el: ElementRef<'_>) -> Option<String> {
    let parts: Vec<String> = el
        .select(selector!(".value"))
        .take(16)
        .filter_map(|v| match v.value().name() {
            "img" | "area" => v.attr("alt").map(str::to_string),
            "data" | "input" => v.attr("value").map(str::to_string),
            "abbr" => v.attr("title").map(str::to_string),
            _ => Some(dom::raw_text(v, 1024)),
        })
        .collect();
    (!parts.is_empty()).then(|| parts.concat())
}

fn p_value(el: ElementRef<'_>) -> Option<String> {
    let v = el.value();
    value_class(el)
        .or_else(|| match v.name() {
            "abbr" | "link" => v.attr("title").map(str::to_string),
            "data" | "input" => v.attr("value").map(str::to_string),
            "img" | "area" => v.attr("alt").map(str::to_string),
            _ => None,
        })
        .or_else(|| Some(dom::raw_text(el, 4096)))
}

fn u_value(el: ElementRef<'_>, page: &Page) -> Option<String> {
    let v = el.value();
    let attr = match v.name() {
        "a" | "area" | "link" => v.attr("href"),
        "img" | "audio" | "video" | "source" | "iframe" => v.attr("src"),
        "object" => v.attr("data"),
        _ => None,
    };
    if let Some(href) = attr {
        // mailto:/tel: are not http(s) but are what u-email/u-tel hold.
        let lower = href.trim().to_ascii_lowercase();
        if lower.starts_with("mailto:") || lower.starts_with("tel:") {
            return Some(href.trim().to_string());
        }
        return resolve_href(page, href).map(|u| u.to_string());
    }
    value_class(el)
        .or_else(|| match v.name() {
            "abbr" => v.attr("title").map(str::to_string),
            "data" | "input" => v.attr("value").map(str::to_string),
            _ => None,
        })
        .or_else(|| Some(dom::raw_text(el, 4096)))
}

/// An href by the URL rules: empty means the base URL itself (mf2 relativeurlsempty).
fn resolve_href(page: &Page, href: &str) -> Option<Url> {
    if href.trim().is_empty() {
        page.base.clone()
    } else {
        page.resolve(href)
    }
}

fn parse(root: ElementRef<'_>, page: &Page, depth: usize) -> Card {
    let mf2 = is_mf2(root);
    let mut card = Card::default();
    let mut nested = false;
    let mut stack: Vec<ElementRef<'_>> = root.child_elements().collect();
    stack.reverse();
    let mut visited = 0;
    while let Some(el) = stack.pop() {
        visited += 1;
        if visited > MAX_ELEMENTS {
            break;
        }
        let props = properties(el, mf2);
        if is_root(el) {
            nested = true;
            if !props.is_empty() {
                let nested_name = (depth < MAX_NESTING)
                    .then(|| parse(el, page, depth + 1))
                    .and_then(|c| c.first("name").cloned());
                for (kind, name) in props {
                    let v = match kind {
                        Kind::U => u_value(el, page),
                        _ => nested_name.clone().or_else(|| p_value(el)),
                    };
                    card.props.extend(v.map(|v| (name, v)));
                }
            }
            // A nested microformat's children belong to it, not to this card.
            continue;
        }
        for (kind, name) in props {
            let v = match kind {
                Kind::U => u_value(el, page),
                _ => p_value(el),
            };
            if name == "tel"
                && let (Some(v), Some(t)) = (&v, el.select(selector!(".type")).next())
            {
                card.tel_types.push((v.clone(), dom::raw_text(t, 64)));
            }
            card.props.extend(v.map(|v| (name, v)));
        }
        let mut kids: Vec<ElementRef<'_>> = el.child_elements().collect();
        kids.reverse();
        stack.extend(kids);
    }
    imply(root, page, &mut card, nested);
    card
}

/// The mf2 implied `name` and `url` (also applied to backcompat cards: a vcard holding only a
/// name is still that person, even though strict mf1 parsing implies nothing).
fn imply(root: ElementRef<'_>, page: &Page, card: &mut Card, nested: bool) {
    let has_p_or_e = card.has(|n| n != "url" && n != "email" && n != "photo" && n != "uid" && n != "tel");
    if card.first("name").is_none() && !has_p_or_e && !nested {
        let from = |el: ElementRef<'_>| match el.value().name() {
            "img" | "area" => el.attr("alt").map(str::to_string),
            "abbr" => el.attr("title").map(str::to_string),
            _ => None,
        };
        let name = from(root)
            .or_else(|| only_child(root).filter(|c| !is_root(*c)).and_then(from))
            .or_else(|| {
                only_child(root)
                    .filter(|c| !is_root(*c))
                    .and_then(only_child)
                    .filter(|c| !is_root(*c))
                    .and_then(from)
            })
            .or_else(|| Some(dom::raw_text(root, 4096)));
        card.props.extend(name.map(|n| ("name".to_string(), n)));
    }
    if card.first("url").is_none() {
        let href = |el: ElementRef<'_>| match el.value().name() {
            "a" | "area" => el.attr("href").and_then(|h| resolve_href(page, h)),
            _ => None,
        };
        let url = href(root).or_else(|| only_link(root).and_then(href)).or_else(|| {
            only_child(root)
                .filter(|c| !is_root(*c))
                .and_then(only_link)
                .and_then(href)
        });
        card.props.extend(url.map(|u| ("url".to_string(), u.to_string())));
    }
}

fn is_top_level(el: ElementRef<'_>) -> bool {
    !el.ancestors().filter_map(ElementRef::wrap).any(is_root)
}

/// Every h-card of the page, nested ones (in an h-feed or h-entry) included, first 100.
fn all_cards<'a>(page: &Page<'a>) -> Vec<ElementRef<'a>> {
    page.doc.select(selector!(".h-card, .vcard")).take(100).collect()
}

/// `rel="me"` links of the page, resolved.
fn rel_me(page: &Page) -> Vec<Url> {
    page.doc
        .select(selector!("a[rel][href], link[rel][href], area[rel][href]"))
        .filter(|e| {
            e.attr("rel")
                .is_some_and(|r| r.split_whitespace().any(|t| t.eq_ignore_ascii_case("me")))
        })
        .take(50)
        .filter_map(|e| page.resolve(e.attr("href")?))
        .collect()
}

fn same_name(a: &Card, b: &Card) -> bool {
    let name = |c: &Card| {
        c.first("name")
            .and_then(|n| text::clean(n))
            .map(|n| n.to_lowercase())
    };
    name(a).is_some() && name(a) == name(b)
}

fn canonical_all<'s>(values: impl Iterator<Item = &'s String>) -> Vec<String> {
    values
        .filter_map(|u| urls::resolve(None, u))
        .map(|u| urls::canonical_profile_url(&u).to_string())
        .collect()
}

/// The representative h-card by the mf2 rules (microformats.org/wiki/representative-h-card-parsing):
/// `uid` and `url` both the page; else a card whose `url` is one of the `rel=me` links; else the
/// one card on the page whose `url` is the page. (The caller adds: the only card holding `rel=me`
/// links itself.)
fn representative(cards: &[Card], page_key: &[String], me_keys: &[String]) -> Option<usize> {
    let is_page = |v: &[String]| v.iter().any(|u| page_key.contains(u));
    cards
        .iter()
        .position(|c| is_page(&canonical_all(c.all("uid"))) && is_page(&canonical_all(c.all("url"))))
        .or_else(|| {
            cards
                .iter()
                .position(|c| canonical_all(c.all("url")).iter().any(|u| me_keys.contains(u)))
        })
        .or_else(|| {
            let at_page: Vec<usize> = (0..cards.len())
                .filter(|i| is_page(&canonical_all(cards[*i].all("url"))))
                .collect();
            (at_page.len() == 1).then(|| at_page[0])
        })
}

/// A card for an organisation rather than a person: `p-org` equal to `p-name` (mf1's "fn org").
fn is_organisation(card: &Card) -> bool {
    let norm = |s: &String| text::clean(s).map(|s| s.to_lowercase());
    match (
        card.first("name").and_then(norm),
        card.first("org").and_then(norm),
    ) {
        (Some(n), Some(o)) => n == o,
        _ => false,
    }
}

fn card_partial(card: &Card, page: &Page, source: Source, confidence: f64) -> Partial {
    let mut p = Partial::new(source, confidence);
    p.name = card.first("name").cloned();
    p.given = card.first("given-name").cloned();
    p.family = card.first("family-name").cloned();
    p.title = card.first("job-title").or_else(|| card.first("role")).cloned();
    p.company = card.first("org").cloned();
    p.location = card.first("locality").or_else(|| card.first("label")).cloned();
    p.emails = card.all("email").map(|e| (e.clone(), None)).collect();
    p.phones = card
        .all("tel")
        .map(|t| {
            let label = card
                .tel_types
                .iter()
                .find(|(v, _)| v == t)
                .map(|(_, l)| l.as_str());
            (t.clone(), label.map(|l| text::phone_kind(Some(l)).to_string()))
        })
        .collect();
    p.links = card.all("url").filter_map(|u| page.resolve(u)).collect();
    p
}

/// The authors of the page's one top-level h-entry (`p-author`, an h-card or a plain name).
fn entry_authors(page: &Page, found: &mut Found) {
    let entries: Vec<ElementRef<'_>> = page
        .doc
        .select(selector!(".h-entry, .hentry"))
        .take(50)
        .filter(|e| is_top_level(*e))
        .collect();
    let [entry] = entries.as_slice() else { return };
    for author in entry.select(selector!(".p-author, .author")).take(10) {
        let owner = author
            .ancestors()
            .filter_map(ElementRef::wrap)
            .find(|a| is_root(*a));
        if owner != Some(*entry) {
            continue;
        }
        let mut p = if is_root(author) {
            card_partial(&parse(author, page, 0), page, Source::HCard, 0.85)
        } else {
            let mut p = Partial::new(Source::HCard, 0.8);
            p.name = dom::clean_text(author);
            p
        };
        p.basis = Basis::AuthorOfPage;
        found.authors.push(p);
    }
}

pub(crate) fn extract(page: &Page) -> Found {
    let mut found = Found::default();
    let me = rel_me(page);
    let mut relp = Partial::new(Source::RelMe, 0.8);
    relp.identity = me.clone();
    relp.links = me.clone();
    found.push(relp);
    entry_authors(page, &mut found);

    // The representative h-card is declared (its url is the page or a rel=me link), so it counts
    // wherever it sits (a sidebar card is the norm); the fallbacks skip other people's regions.
    let roots: Vec<ElementRef<'_>> = all_cards(page);
    let cards: Vec<Card> = roots.iter().map(|r| parse(*r, page, 0)).collect();
    let top: Vec<usize> = (0..roots.len())
        .filter(|i| is_top_level(roots[*i]) && !dom::in_other_people_region(roots[*i]))
        .collect();
    let page_key: Vec<String> = page
        .url
        .iter()
        .map(|u| urls::canonical_profile_url(u).to_string())
        .collect();
    let me_keys: Vec<String> = me
        .iter()
        .map(|u| urls::canonical_profile_url(u).to_string())
        .collect();
    let top_cards: Vec<&Card> = top.iter().map(|i| &cards[*i]).collect();
    // The only top-level card that holds rel=me links of its own is the page owner's.
    let with_me: Vec<usize> = top
        .iter()
        .copied()
        .filter(|i| {
            roots[*i].select(selector!("a[rel][href]")).any(|a| {
                a.attr("rel")
                    .is_some_and(|r| r.split_whitespace().any(|t| t.eq_ignore_ascii_case("me")))
            })
        })
        .collect();
    let chosen = representative(&cards, &page_key, &me_keys)
        .map(|i| (i, 0.9))
        .or(match with_me.as_slice() {
            [one] => Some((*one, 0.85)),
            _ => None,
        })
        .or_else(|| match top.as_slice() {
            [only] => Some((*only, 0.85)),
            // A header and a footer card of the same person are still one person.
            [first, rest @ ..] if rest.iter().all(|c| same_name(&cards[*c], &cards[*first])) => {
                Some((*first, 0.8))
            }
            _ => None,
        });
    let others = |found: &mut Found, skip: Option<usize>| {
        for i in top.iter().copied().filter(|i| Some(*i) != skip) {
            if !is_organisation(&cards[i]) {
                let mut p = card_partial(&cards[i], page, Source::HCard, 0.45);
                p.basis = Basis::Mentioned;
                found.others.push(p);
            }
        }
    };
    let Some((chosen, confidence)) = chosen else {
        if top_cards.len() > 1 {
            found.ambiguous = true;
            found.warnings.push(format!(
                "{} h-cards on the page and none is this page's subject",
                top_cards.len()
            ));
        }
        others(&mut found, None);
        return found;
    };
    if is_organisation(&cards[chosen]) {
        found.organisation = true;
        others(&mut found, Some(chosen));
        return found;
    }
    others(&mut found, Some(chosen));
    found.push(card_partial(&cards[chosen], page, Source::HCard, confidence));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_parse;
    use scraper::Html;

    fn run(html: &str) -> Found {
        let doc = Html::parse_document(html);
        let page = Page::new(&doc, url_parse::parse("https://jane.example/").ok());
        extract(&page)
    }

    fn subject(f: &Found) -> Option<&str> {
        f.partials
            .iter()
            .find(|p| p.source == Source::HCard)
            .and_then(|p| p.name.as_deref())
    }

    #[test]
    fn uid_and_url_of_the_page_pick_the_card_among_several() {
        let f = run(
            r#"<div class="h-card"><a class="p-name u-url" href="https://bob.example/">Bob Roe</a></div>
            <div class="h-card"><a class="p-name u-url u-uid" href="/">Jane Doe</a></div>"#,
        );
        assert_eq!(subject(&f), Some("Jane Doe"));
        assert_eq!(f.others.len(), 1);
    }

    #[test]
    fn a_card_nested_in_a_feed_whose_url_is_the_page() {
        let f = run(
            r#"<main class="h-feed"><article class="h-entry"><p class="e-content">Hi</p>
            <a class="p-author h-card" href="https://jane.example/">Jane Doe</a></article></main>"#,
        );
        assert_eq!(subject(&f), Some("Jane Doe"));
    }

    #[test]
    fn the_only_card_holding_rel_me_links() {
        let f = run(
            r#"<div class="h-card"><span class="p-name">Jane Doe</span> <a rel="me" href="https://github.com/jd">GitHub</a></div>
            <div class="h-card"><span class="p-name">Bob Roe</span></div>"#,
        );
        assert_eq!(subject(&f), Some("Jane Doe"));
    }

    #[test]
    fn an_organisation_card_is_no_person() {
        let f = run(r#"<div class="vcard"><a class="fn org url" href="/">Acme Widgets</a></div>"#);
        assert_eq!(subject(&f), None);
        assert!(f.organisation);
    }
}
