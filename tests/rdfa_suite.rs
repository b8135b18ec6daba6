//! RDFa conformance as a person extractor sees it: runs the extractor on the W3C RDFa 1.1 test
//! suite's HTML5 cases that describe people (vendored in tests/corpora/rdfa, see its README) and
//! compares what Sprout offers (the subject and the other people) with the suite's expected triples.
//!
//! What is measured, per suite folder:
//! - people: every node the expected graph types as a person (foaf:Person, schema:Person,
//!   vCard Individual/VCard) and names (name, fn, or given and family name) must be offered,
//!   found by its name among the subject and the others;
//! - properties: of those people, the values a candidate can hold (given and family name, job
//!   title, email, phone, links) must be on the profile offered for them.
//!
//! Nodes that are named (foaf:name, schema:name) but not typed as a person are reported on their
//! own line and not scored: RDFa says nothing about whether they are people, and Sprout only
//! offers typed people. Nothing else in the suite (RDFa's triple-generation rules, literals,
//! lists, XML literals) is measured here.

#[path = "extract_support/view_and_page.rs"]
mod view_and_page;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use oxrdf::{NamedOrBlankNode, Term};
use oxttl::TurtleParser;
use sprout::extract::{self, Profile, text};

/// Floors per folder: (people found, properties found), as measured when the test was written;
/// raise them when the engine gets better, never lower them.
const FLOORS: &[(&str, f64, f64)] = &[("rdfa1.1-lite/html5", 1.0, 1.0), ("rdfa1.1/html5", 0.96, 1.0)];

const BASE: &str = "http://rdfa.info/test-suite/test-cases/";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpora/rdfa")
}

/// The local name of a person-vocabulary IRI (schema.org in both schemes, FOAF, vCard).
fn local(iri: &str) -> Option<&str> {
    [
        "http://schema.org/",
        "https://schema.org/",
        "http://xmlns.com/foaf/0.1/",
        "http://www.w3.org/2006/vcard/ns#",
    ]
    .iter()
    .find_map(|ns| iri.strip_prefix(ns))
}

#[derive(Default, Debug)]
struct Node {
    person: bool,
    typed_other: bool,
    name: Option<String>,
    given: Option<String>,
    family: Option<String>,
    titles: Vec<String>,
    emails: Vec<String>,
    phones: Vec<String>,
    links: Vec<String>,
}

fn value(t: &Term) -> String {
    match t {
        Term::NamedNode(n) => n.as_str().to_string(),
        Term::BlankNode(b) => b.as_str().to_string(),
        Term::Literal(l) => l.value().to_string(),
        #[allow(unreachable_patterns)]
        _ => String::new(),
    }
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The expected graph's nodes, with what a person extractor can compare.
fn expected(ttl: &str, base: &str) -> Vec<Node> {
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    let parser = TurtleParser::new().with_base_iri(base).unwrap();
    for triple in parser.for_slice(ttl.as_bytes()) {
        let triple = triple.unwrap();
        let key = match &triple.subject {
            NamedOrBlankNode::NamedNode(n) => n.as_str().to_string(),
            NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
        };
        let node = nodes.entry(key).or_default();
        let p = triple.predicate.as_str();
        let o = value(&triple.object);
        if p == RDF_TYPE {
            match local(&o) {
                Some("Person" | "Individual" | "VCard") => node.person = true,
                _ => node.typed_other = true,
            }
            continue;
        }
        match local(p) {
            Some("name" | "fn") => node.name = node.name.take().or(Some(norm(&o))),
            Some("givenName" | "givenname" | "firstName" | "given-name") => node.given = Some(norm(&o)),
            Some("familyName" | "family_name" | "surname" | "lastName" | "family-name") => {
                node.family = Some(norm(&o))
            }
            Some("jobTitle" | "role") => node.titles.push(norm(&o)),
            Some("title") if !p.contains("foaf") => node.titles.push(norm(&o)),
            Some("email" | "mbox" | "hasEmail") => node.emails.push(o),
            Some("telephone" | "phone" | "tel" | "hasTelephone") => node.phones.push(o),
            Some("url" | "homepage" | "weblog" | "sameAs" | "workplaceHomepage") => node.links.push(o),
            _ => {}
        }
    }
    nodes.into_values().collect()
}

fn offered(profile: &Profile) -> Vec<&Profile> {
    std::iter::once(profile).chain(profile.others.iter()).collect()
}

fn field(f: &Option<extract::Field>) -> Option<String> {
    f.as_ref().map(|f| norm(&f.value))
}

/// The profile offered for `node`, found by name.
fn find<'p>(node: &Node, profiles: &[&'p Profile]) -> Option<&'p Profile> {
    profiles.iter().copied().find(|p| match &node.name {
        Some(n) => field(&p.name).as_deref() == Some(n.as_str()),
        None => {
            (node.given.is_none() || field(&p.first_name) == node.given)
                && (node.family.is_none() || field(&p.last_name) == node.family)
        }
    })
}

/// (properties expected, properties found, what is missing).
fn properties(node: &Node, p: &Profile) -> (usize, usize, Vec<String>) {
    let mut want = 0;
    let mut missing = Vec::new();
    let mut check = |what: &str, ok: bool| {
        want += 1;
        if !ok {
            missing.push(what.to_string());
        }
    };
    if let Some(g) = &node.given {
        check(&format!("given {g}"), field(&p.first_name).as_ref() == Some(g));
    }
    if let Some(f) = &node.family {
        check(&format!("family {f}"), field(&p.last_name).as_ref() == Some(f));
    }
    for t in &node.titles {
        check(&format!("title {t}"), field(&p.title).as_ref() == Some(t));
    }
    for e in node.emails.iter().filter_map(|e| text::email(e)) {
        check(&format!("email {e}"), p.emails.iter().any(|x| x.value == e));
    }
    for t in node.phones.iter().filter_map(|t| text::phone(t)) {
        check(&format!("phone {t}"), p.phones.iter().any(|x| x.value == t));
    }
    let have: Vec<String> = p
        .links
        .iter()
        .filter_map(|l| extract::canonical_profile_url(&l.value))
        .collect();
    for l in node
        .links
        .iter()
        .filter_map(|l| extract::canonical_profile_url(l))
    {
        check(&format!("link {l}"), have.contains(&l));
    }
    let found = want - missing.len();
    (want, found, missing)
}

#[derive(Default)]
struct Tally {
    people: usize,
    people_found: usize,
    props: usize,
    props_found: usize,
    untyped: usize,
    untyped_found: usize,
    failures: Vec<String>,
}

fn rate(found: usize, total: usize) -> f64 {
    if total == 0 {
        1.0
    } else {
        found as f64 / total as f64
    }
}

#[test]
fn rdfa_people_per_folder() {
    let root = corpus();
    let mut report: BTreeMap<&str, Tally> = BTreeMap::new();
    for (folder, ..) in FLOORS {
        let tally = report.entry(folder).or_default();
        let mut cases: Vec<PathBuf> = fs::read_dir(root.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .collect();
        cases.sort();
        assert!(!cases.is_empty(), "no cases in {folder}");
        for case in cases {
            let name = case.file_stem().unwrap().to_string_lossy().to_string();
            let url = format!("{BASE}{folder}/{name}.html");
            let ttl = fs::read_to_string(case.with_extension("ttl")).unwrap();
            let html = fs::read_to_string(&case).unwrap();
            let profile = extract::extract(&html, &url);
            let profiles = offered(&profile);
            for node in expected(&ttl, &url) {
                let named = node.name.is_some() || node.given.is_some() || node.family.is_some();
                if !named {
                    continue;
                }
                if !node.person {
                    if !node.typed_other {
                        tally.untyped += 1;
                        tally.untyped_found += usize::from(find(&node, &profiles).is_some());
                    }
                    continue;
                }
                tally.people += 1;
                let label = node.name.clone().unwrap_or_default();
                let Some(p) = find(&node, &profiles) else {
                    tally
                        .failures
                        .push(format!("{name}: person {label:?} not offered"));
                    continue;
                };
                tally.people_found += 1;
                let (want, found, missing) = properties(&node, p);
                tally.props += want;
                tally.props_found += found;
                if !missing.is_empty() {
                    tally
                        .failures
                        .push(format!("{name}: {label:?} lacks {}", missing.join(", ")));
                }
            }
        }
    }
    println!("RDFa test suite, people and their properties (see the file header for what is measured):");
    let mut below = Vec::new();
    for (folder, people_floor, props_floor) in FLOORS {
        let t = &report[folder];
        let (pr, qr) = (rate(t.people_found, t.people), rate(t.props_found, t.props));
        println!(
            "  {folder:<20} people {}/{} = {:.0}% (floor {:.0}%), properties {}/{} = {:.0}% (floor {:.0}%); named but untyped, not scored: {}/{} offered",
            t.people_found,
            t.people,
            pr * 100.0,
            people_floor * 100.0,
            t.props_found,
            t.props,
            qr * 100.0,
            props_floor * 100.0,
            t.untyped_found,
            t.untyped
        );
        for f in &t.failures {
            println!("      FAIL {f}");
        }
        if pr + 1e-9 < *people_floor || qr + 1e-9 < *props_floor {
            below.push(format!("{folder}: people {pr:.2}, properties {qr:.2}"));
        }
    }
    assert!(below.is_empty(), "below the floors: {below:?}");
}

/// The popup extracts from the reader's reduced view of the page (`sprout::page_view`), and drops
/// every attribute no layer reads before the parse: on every case the view gives the HTML's Profile.
#[test]
fn the_reduced_page_view_gives_the_same_profile_on_every_case() {
    let root = corpus();
    let cases = FLOORS.iter().flat_map(|(folder, ..)| {
        fs::read_dir(root.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .map(move |case| {
                let url = format!("{BASE}{folder}/{}", case.file_name().unwrap().to_string_lossy());
                (case, url)
            })
    });
    view_and_page::assert_view_gives_the_page_profile(cases, "cases");
}
