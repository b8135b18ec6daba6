//! schema.org `Person` in JSON-LD: top-level, in arrays, in `@graph`, as `ProfilePage.mainEntity`
//! (also by `@id` reference); authors and other people mentioned by a node are not the subject.

use serde_json::Value;
use url::Url;

use crate::extract::dom::{Page, selector};
use crate::extract::{Basis, Found, Partial, Source, urls};

/// A JSON-LD block larger than this is not a profile description.
const MAX_BLOCK_BYTES: usize = 1024 * 1024;
/// Nodes visited per page, so a hostile document cannot make the walk expensive.
const MAX_NODES: usize = 5000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    /// Mentioned by another node (knows, colleague, ...): never the subject.
    Mentioned,
    /// The author or creator of an article, post or other work.
    Author,
    TopLevel,
    MainEntity,
}

/// schema.org types of works whose author is who a recruiter on the page wants.
pub(crate) const WORK_TYPES: &[&str] = &[
    "Article",
    "BlogPosting",
    "NewsArticle",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
    "SocialMediaPosting",
    "DiscussionForumPosting",
    "LiveBlogPosting",
    "OpinionNewsArticle",
    "AnalysisNewsArticle",
    "Review",
];

/// schema.org types of organisations (and its kinds that are pages' subjects).
const ORGANISATION_TYPES: &[&str] = &[
    "Organization",
    "Corporation",
    "MusicGroup",
    "PerformingGroup",
    "LocalBusiness",
    "NGO",
    "EducationalOrganization",
    "GovernmentOrganization",
    "SportsTeam",
    "NewsMediaOrganization",
    "OnlineBusiness",
    "ProfessionalService",
];

pub(crate) fn is_work(node: &Value) -> bool {
    WORK_TYPES.iter().any(|t| has_type(node, t))
}

fn is_organisation(node: &Value) -> bool {
    !has_type(node, "Person") && ORGANISATION_TYPES.iter().any(|t| has_type(node, t))
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

/// Every Person (and organisation) node with its role, iteratively (no recursion on hostile depth).
/// Nodes with the role they play on the page.
type Roles<'v> = Vec<(&'v Value, Role)>;

fn people(roots: &[Value]) -> (Roles<'_>, Roles<'_>) {
    let mut by_id: Vec<(&str, &Value)> = Vec::new();
    let mut out: Vec<(&Value, Role)> = Vec::new();
    let mut orgs: Vec<(&Value, Role)> = Vec::new();
    let mut stack: Vec<(&Value, Role)> = roots.iter().map(|v| (v, Role::TopLevel)).collect();
    let mut visited = 0;
    let mut main_refs: Vec<&str> = Vec::new();
    let mut author_refs: Vec<&str> = Vec::new();
    while let Some((v, role)) = stack.pop() {
        visited += 1;
        if visited > MAX_NODES {
            break;
        }
        match v {
            // Reversed onto the stack, so items come off it in the page's order.
            Value::Array(items) => stack.extend(items.iter().rev().map(|i| (i, role))),
            Value::Object(map) => {
                if let Some(id) = map.get("@id").and_then(Value::as_str) {
                    by_id.push((id, v));
                }
                if has_type(v, "Person") {
                    out.push((v, role));
                } else if is_organisation(v) {
                    orgs.push((v, role));
                }
                let is_profile_page = has_type(v, "ProfilePage") || has_type(v, "AboutPage");
                let work = is_work(v);
                for (key, child) in map {
                    let child_role = match key.as_str() {
                        "@graph" => role,
                        "mainEntity" | "about" if is_profile_page => {
                            if let Some(id) = child.get("@id").and_then(Value::as_str) {
                                main_refs.push(id);
                            }
                            Role::MainEntity
                        }
                        "author" | "creator" if work && role != Role::Mentioned => {
                            let refs = match child {
                                Value::Array(items) => items.iter().collect(),
                                one => vec![one],
                            };
                            author_refs.extend(
                                refs.into_iter()
                                    .filter(|r| !has_type(r, "Person"))
                                    .filter_map(|r| r.get("@id").and_then(Value::as_str)),
                            );
                            Role::Author
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
        } else if let Some((_, node)) = by_id.iter().find(|(i, n)| *i == id && is_organisation(n)) {
            orgs.push((node, Role::MainEntity));
        }
    }
    for id in author_refs {
        if let Some((_, node)) = by_id.iter().find(|(i, n)| *i == id && has_type(n, "Person")) {
            out.push((node, Role::Author));
        }
    }
    (out, orgs)
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

/// The first employer whose membership has not ended (LinkedIn lists past ones in `worksFor` too,
/// with `member.endDate`).
fn current_employer(works_for: Option<&Value>) -> Option<String> {
    let items: Vec<&Value> = match works_for? {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    items
        .into_iter()
        .filter(|o| o.is_object())
        .find(|o| o.pointer("/member/endDate").is_none_or(Value::is_null))
        .and_then(|o| first(Some(o)))
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
    p.company = current_employer(person.get("worksFor"))
        .or_else(|| first(person.get("worksFor")))
        .or_else(|| first(person.get("affiliation")));
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
    p.identity = strings(person.get("sameAs"))
        .into_iter()
        .filter_map(resolve)
        .collect();
    p.links = strings(person.get("url"))
        .into_iter()
        .filter_map(resolve)
        .chain(p.identity.iter().cloned())
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
    let (people, orgs) = people(&blocks);
    let authors: Vec<&Value> = people
        .iter()
        .filter(|(_, r)| *r == Role::Author)
        .map(|(p, _)| *p)
        .collect();
    let candidates: Vec<(&Value, Role)> = people
        .iter()
        .filter(|(p, r)| *r != Role::Author && !authors.iter().any(|a| std::ptr::eq(*a, *p)))
        .copied()
        .collect();
    let subject = choose(&candidates, page, &mut found.warnings);
    found.ambiguous = subject.is_none() && !found.warnings.is_empty();
    if let Some((person, confidence)) = subject {
        found.push(person_partial(person, page, Source::JsonLd, confidence));
    }
    for (person, role) in &candidates {
        if subject.is_some_and(|(s, _)| std::ptr::eq(s, *person)) {
            continue;
        }
        let mut p = person_partial(
            person,
            page,
            Source::JsonLd,
            if *role == Role::TopLevel { 0.5 } else { 0.4 },
        );
        p.basis = Basis::Mentioned;
        found.others.push(p);
    }
    for a in authors {
        let mut p = person_partial(a, page, Source::JsonLd, 0.9);
        p.basis = Basis::AuthorOfPage;
        found.authors.push(p);
    }
    // The page's own subject is an organisation (its profile page, or its own home page).
    found.organisation = subject.is_none()
        && orgs.iter().any(|(o, r)| {
            *r == Role::MainEntity || (*r == Role::TopLevel && points_at_page(o, page.url.as_ref(), page))
        });
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
    use crate::url_parse;
    use scraper::Html;

    fn run(html: &str) -> Found {
        let doc = Html::parse_document(html);
        let page = Page::new(&doc, url_parse::parse("https://example.com/jane").ok());
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
    fn article_authors_are_authors_not_the_page_subject() {
        let f = run(
            r##"<script type="application/ld+json">{"@type":"BlogPosting","headline":"Hi","author":[{"@type":"Person","name":"Writer"},{"@id":"#two"}]}</script>
            <script type="application/ld+json">{"@type":"Person","@id":"#two","name":"Second Writer"}</script>"##,
        );
        assert!(f.partials.is_empty());
        let names: Vec<_> = f.authors.iter().filter_map(|a| a.name.as_deref()).collect();
        assert_eq!(names, ["Writer", "Second Writer"]);
    }

    #[test]
    fn an_organisation_profile_page_is_an_organisation() {
        let f = run(
            r#"<script type="application/ld+json">{"@type":"ProfilePage","mainEntity":{"@type":"MusicGroup","name":"The Quiet Hours"}}</script>"#,
        );
        assert!(f.partials.is_empty() && f.organisation);
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
