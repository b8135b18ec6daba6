//! schema.org `Person` in JSON-LD: top-level, in arrays, in `@graph`, as `ProfilePage.mainEntity`
//! (also by `@id` reference); authors and other people mentioned by a node are not the subject.

use serde_json::Value;
use url::Url;

use crate::extract::dom::{Page, selector};
use crate::extract::{Found, Partial, Source, urls};

/// A JSON-LD block larger than this is not a profile description.
const MAX_BLOCK_BYTES: usize = 1024 * 1024;
/// Nodes visited per page, so a hostile document cannot make the walk expensive.
const MAX_NODES: usize = 5000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    /// Mentioned by another node (author, knows, colleague, ...): never the subject.
    Mentioned,
    TopLevel,
    MainEntity,
}

fn has_type(node: &Value, wanted: &str) -> bool {
    let matches = |t: &Value| {
        t.as_str().is_some_and(|s| {
            s.rsplit(['/', ':', '#'])
                .next()
                .is_some_and(|last| last.eq_ignore_ascii_case(wanted))
        })
    };
    match node.get("@type") {
        Some(Value::Array(types)) => types.iter().any(matches),
        Some(t) => matches(t),
        None => false,
    }
}

/// All the JSON-LD blocks of the page, parsed.
pub(crate) fn blocks(page: &Page) -> Vec<Value> {
    page.doc
        .select(selector!("script[type]"))
        .filter(|s| {
            s.attr("type")
                .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"))
        })
        .filter_map(|s| {
            let raw: String = s.text().take(64).collect();
            (raw.len() <= MAX_BLOCK_BYTES).then_some(raw)
        })
        .filter_map(|raw| serde_json::from_str(raw.trim().trim_end_matches(';')).ok())
        .collect()
}

/// Every Person node with its role, iteratively (no recursion on hostile depth).
fn people(roots: &[Value]) -> Vec<(&Value, Role)> {
    let mut by_id: Vec<(&str, &Value)> = Vec::new();
    let mut out: Vec<(&Value, Role)> = Vec::new();
    let mut stack: Vec<(&Value, Role)> = roots.iter().map(|v| (v, Role::TopLevel)).collect();
    let mut visited = 0;
    let mut main_refs: Vec<&str> = Vec::new();
    while let Some((v, role)) = stack.pop() {
        visited += 1;
        if visited > MAX_NODES {
            break;
        }
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|i| (i, role))),
            Value::Object(map) => {
                if let Some(id) = map.get("@id").and_then(Value::as_str) {
                    by_id.push((id, v));
                }
                if has_type(v, "Person") {
                    out.push((v, role));
                }
                let is_profile_page = has_type(v, "ProfilePage") || has_type(v, "AboutPage");
                for (key, child) in map {
                    let child_role = match key.as_str() {
                        "@graph" => role,
                        "mainEntity" | "about" if is_profile_page => {
                            if let Some(id) = child.get("@id").and_then(Value::as_str) {
                                main_refs.push(id);
                            }
                            Role::MainEntity
                        }
                        _ => Role::Mentioned,
                    };
                    if child.is_object() || child.is_array() {
                        stack.push((child, child_role));
                    }
                }
            }
            _ => {}
        }
    }
    for id in main_refs {
        if let Some((_, node)) = by_id.iter().find(|(i, n)| *i == id && has_type(n, "Person")) {
            out.push((node, Role::MainEntity));
        }
    }
    out
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items.iter().flat_map(|i| strings(Some(i))).collect(),
        Some(Value::Object(map)) => ["name", "@id", "url", "value"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str))
            .map(|s| vec![s.to_string()])
            .unwrap_or_default(),
        Some(Value::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

fn first(v: Option<&Value>) -> Option<String> {
    strings(v).into_iter().find(|s| !s.trim().is_empty())
}

fn location(person: &Value) -> Option<String> {
    let addr = person.get("address").or_else(|| person.get("homeLocation"));
    let addr = match addr {
        Some(Value::Array(a)) => a.first(),
        other => other,
    }?;
    if let Some(s) = addr.as_str() {
        return Some(s.to_string());
    }
    let addr = addr.get("address").unwrap_or(addr);
    let parts: Vec<String> = ["addressLocality", "addressRegion", "addressCountry"]
        .iter()
        .filter_map(|k| first(addr.get(*k)))
        .collect();
    if parts.is_empty() {
        first(addr.get("name"))
    } else {
        Some(parts.join(", "))
    }
}

pub(crate) fn person_partial(person: &Value, page: &Page, source: Source, confidence: f64) -> Partial {
    let mut p = Partial::new(source, confidence);
    p.name = first(person.get("name"));
    p.given = first(person.get("givenName"));
    p.family = first(person.get("familyName"));
    // Some sites put the whole display name in givenName (X does); treat it as the name.
    if p.family.is_none() && p.given.as_deref().is_some_and(|g| g.trim().contains(' ')) {
        p.name = p.name.or(p.given.take());
        p.given = None;
    }
    p.title = first(person.get("jobTitle")).or_else(|| first(person.get("hasOccupation")));
    p.company = first(person.get("worksFor")).or_else(|| first(person.get("affiliation")));
    p.location = location(person);
    p.emails = strings(person.get("email"))
        .into_iter()
        .map(|e| (e, None))
        .collect();
    p.phones = strings(person.get("telephone"))
        .into_iter()
        .map(|t| (t, None))
        .collect();
    let resolve = |s: String| page.resolve(&s);
    p.links = strings(person.get("url"))
        .into_iter()
        .chain(strings(person.get("sameAs")))
        .filter_map(resolve)
        .collect();
    p
}

fn points_at_page(person: &Value, page_url: Option<&Url>, page: &Page) -> bool {
    let Some(page_url) = page_url else { return false };
    let target = urls::canonical_profile_url(page_url);
    strings(person.get("url"))
        .into_iter()
        .chain(strings(person.get("mainEntityOfPage")))
        .chain(
            strings(person.get("@id"))
                .into_iter()
                .map(|id| id.split('#').next().unwrap_or("").to_string()),
        )
        .filter_map(|s| page.resolve(&s))
        .any(|u| urls::canonical_profile_url(&u) == target)
}

pub(crate) fn extract(page: &Page) -> Found {
    let blocks = blocks(page);
    let mut found = Found::default();
    let people = people(&blocks);
    let subject = choose(&people, page, &mut found.warnings);
    found.ambiguous = subject.is_none() && !found.warnings.is_empty();
    if let Some((person, confidence)) = subject {
        found.push(person_partial(person, page, Source::JsonLd, confidence));
    }
    found
}

fn choose<'v>(
    people: &[(&'v Value, Role)],
    page: &Page,
    warnings: &mut Vec<String>,
) -> Option<(&'v Value, f64)> {
    if let Some((p, _)) = people.iter().find(|(_, r)| *r == Role::MainEntity) {
        return Some((p, 0.95));
    }
    let top: Vec<&Value> = people
        .iter()
        .filter(|(_, r)| *r == Role::TopLevel)
        .map(|(p, _)| *p)
        .collect();
    if let Some(p) = top.iter().find(|p| points_at_page(p, page.url.as_ref(), page)) {
        return Some((p, 0.9));
    }
    match top.as_slice() {
        [only] => Some((only, 0.85)),
        [] => None,
        _ => {
            warnings.push(format!(
                "{} people described in JSON-LD and none is this page's subject",
                top.len()
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn run(html: &str) -> Found {
        let doc = Html::parse_document(html);
        let page = Page::new(&doc, Url::parse("https://example.com/jane").ok());
        extract(&page)
    }

    #[test]
    fn main_entity_by_reference_in_a_graph() {
        let f = run(
            r##"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"ProfilePage","mainEntity":{"@id":"#me"}},
            {"@type":"Person","@id":"#other","name":"Other Person"},
            {"@type":"Person","@id":"#me","name":"Jane Doe","jobTitle":"Engineer","worksFor":[{"@type":"Organization","name":"Acme"}]}]}</script>"##,
        );
        let p = &f.partials[0];
        assert_eq!(p.name.as_deref(), Some("Jane Doe"));
        assert_eq!(p.company.as_deref(), Some("Acme"));
        assert_eq!(p.confidence, 0.95);
    }

    #[test]
    fn article_authors_are_not_the_subject() {
        let f = run(
            r#"<script type="application/ld+json">{"@type":"BlogPosting","headline":"Hi","author":{"@type":"Person","name":"Writer"}}</script>"#,
        );
        assert!(f.partials.is_empty());
    }

    #[test]
    fn two_unrelated_people_give_a_warning_not_a_guess() {
        let f = run(
            r#"<script type="application/ld+json">[{"@type":"Person","name":"A B"},{"@type":"Person","name":"C D"}]</script>"#,
        );
        assert!(f.partials.is_empty());
        assert_eq!(f.warnings.len(), 1);
    }
}
