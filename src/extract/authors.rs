//! Articles and posts: the recruiter on a blog post wants its author. Authors come from the
//! structured layers (JSON-LD `author`, microdata, RDFa, the h-entry's `p-author`) and from the
//! page itself (`rel=author`, `meta name=author` when it is a name and not a handle, the byline);
//! the same person named several ways is one author, and the first named is preselected.

use scraper::ElementRef;
use serde_json::Value;

use crate::extract::dom::{self, Page, selector};
use crate::extract::{Basis, Partial, Source, contacts, jsonld, names, shape, text, urls};

/// Authors offered for one page.
const MAX_AUTHORS: usize = 10;

/// True when the page is one article or post (not a feed, a home page or a profile).
pub(crate) fn is_article(page: &Page) -> bool {
    let og_article = page
        .meta("og:type")
        .is_some_and(|t| t.eq_ignore_ascii_case("article"));
    let json_ld_work = jsonld::blocks(page).iter().any(|b| {
        let nodes: Vec<&Value> = match b {
            Value::Array(items) => items.iter().collect(),
            one => match one.get("@graph") {
                Some(Value::Array(items)) => items.iter().collect(),
                _ => vec![one],
            },
        };
        nodes.into_iter().any(jsonld::is_work)
    });
    let microdata_work = page
        .doc
        .select(selector!("[itemscope][itemtype]"))
        .take(200)
        .any(|e| {
            e.attr("itemprop").is_none()
                && e.attr("itemtype").is_some_and(|t| {
                    let last = t.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                    jsonld::WORK_TYPES.iter().any(|w| w.eq_ignore_ascii_case(last))
                })
        });
    let one_entry = {
        let mut entries = page.doc.select(selector!(".h-entry")).take(50).filter(|e| {
            !e.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| a.value().classes().any(|c| c == "h-feed" || c == "h-entry"))
        });
        let first = entries.next();
        let permalink = first.is_some_and(|e| {
            // A post page's entry links to itself (or not at all); a home page's entry links away.
            e.select(selector!(".u-url[href]"))
                .next()
                .and_then(|u| page.resolve(u.attr("href")?))
                .is_none_or(|u| {
                    page.url
                        .as_ref()
                        .is_some_and(|p| urls::canonical(p) == urls::canonical(&u))
                })
        });
        permalink && entries.next().is_none() && !has_class(page, "h-feed")
    };
    og_article || json_ld_work || microdata_work || one_entry
}

fn has_class(page: &Page, class: &str) -> bool {
    page.doc
        .select(selector!("[class]"))
        .take(5000)
        .any(|e| e.value().classes().any(|c| c == class))
}

/// "By Jane Doe and John Roe" -> ["Jane Doe", "John Roe"]; only what reads as names.
fn byline_names(line: &str) -> Vec<String> {
    let mut s = line.trim().to_string();
    for prefix in [
        "by ",
        "von ",
        "par ",
        "por ",
        "written by ",
        "posted by ",
        "author: ",
        "autor: ",
    ] {
        if s.to_lowercase().starts_with(prefix) {
            s = s[prefix.len()..].to_string();
            break;
        }
    }
    let mut names = Vec::new();
    for part in s
        .split([',', '&', '·', '|', '\n'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" und "))
        .flat_map(|p| p.split(" et "))
        .flat_map(|p| p.split(" y "))
    {
        let part = part.trim();
        if shape::looks_like_name(part) {
            names.push(part.to_string());
        }
    }
    names
}

fn author_partial(name: String) -> Partial {
    let mut p = Partial::new(Source::Author, 0.7);
    p.name = Some(name);
    p.basis = Basis::AuthorOfPage;
    p
}

/// The page's authors, most trustworthy record first, one partial per person, each with the
/// source "author of this page".
pub(crate) fn extract(page: &Page, from_layers: Vec<Partial>) -> Vec<Partial> {
    let mut found: Vec<Partial> = from_layers;
    // rel=author links: the text is the name, the link is the author's own page.
    for a in page
        .doc
        .select(selector!("a[rel][href]"))
        .take(2000)
        .filter(|a| {
            a.attr("rel")
                .is_some_and(|r| r.split_whitespace().any(|t| t.eq_ignore_ascii_case("author")))
        })
        .take(MAX_AUTHORS)
    {
        let Some(name) = dom::clean_text(a).filter(|n| shape::looks_like_name(n)) else {
            continue;
        };
        let mut p = author_partial(name);
        if let Some(u) = page.resolve(a.attr("href").unwrap_or("")) {
            p.identity.push(u.clone());
            p.links.push(u);
        }
        found.push(p);
    }
    // The byline, and the contact links in it that name its author.
    for el in page
        .doc
        .select(selector!(
            ".byline, .author, .post-author, .entry-author, [class*=byline], [rel=author]"
        ))
        .take(20)
    {
        let Some(line) = dom::clean_text(el) else { continue };
        for name in byline_names(&line) {
            let mut p = author_partial(name.clone());
            for a in el.select(selector!("a[href^='mailto:' i]")).take(5) {
                let href = a.attr("href").unwrap_or("");
                if let Some(addr) = text::email(href)
                    && contacts::local_names(&addr, &[&name])
                {
                    p.emails.push((addr, None));
                }
            }
            found.push(p);
        }
    }
    // meta name=author, when it is a person's name and not a handle or a site.
    if let Some(meta) = page.meta("author") {
        for name in byline_names(&meta) {
            if !names::is_handle(&name) {
                let mut p = author_partial(name);
                p.confidence = 0.6;
                found.push(p);
            }
        }
    }
    group(found)
}

/// One partial per person (by folded name), in the order first named; the structured record of a
/// person leads and the others fill its gaps.
fn group(found: Vec<Partial>) -> Vec<Partial> {
    let key = |p: &Partial| {
        p.name
            .as_deref()
            .and_then(names::strip_decorations)
            .or_else(|| {
                let joined = [p.given.as_deref(), p.family.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                (!joined.is_empty()).then_some(joined)
            })
            .map(|n| contacts::fold(&n))
            .unwrap_or_default()
    };
    let mut out: Vec<Partial> = Vec::new();
    for p in found {
        let k = key(&p);
        if k.is_empty() {
            continue;
        }
        let at = out.iter().position(|o| key(o) == k);
        let room = out.len() < MAX_AUTHORS;
        match at.map(|i| &mut out[i]) {
            Some(o) => {
                o.title = o.title.take().or(p.title);
                o.company = o.company.take().or(p.company);
                o.location = o.location.take().or(p.location);
                o.emails.extend(p.emails);
                o.phones.extend(p.phones);
                o.links.extend(p.links);
                o.identity.extend(p.identity);
            }
            None if room => out.push(p),
            None => {}
        }
    }
    for p in &mut out {
        p.source = Source::Author;
        p.basis = Basis::AuthorOfPage;
        // An author record's own `url` (and `rel=author`'s target) is the page declaring where
        // its author lives: that, not the article, is the person's address.
        if p.identity.is_empty() {
            p.identity.extend(p.links.first().cloned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_name_every_author() {
        assert_eq!(byline_names("By Jane Doe and John Roe"), ["Jane Doe", "John Roe"]);
        assert_eq!(
            byline_names("Von Anna Schmidt, Jonas Weber"),
            ["Anna Schmidt", "Jonas Weber"]
        );
        assert!(byline_names("By staff").is_empty());
    }
}
