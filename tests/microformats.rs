//! microformats h-card conformance: runs the extractor on the public mf2 test suite
//! (../shared/corpora/microformats, or $SPROUT_SHARED/corpora/microformats) and scores, per
//! folder, what a PartnerCandidate can hold against the first top-level h-card (or the `rel=me`
//! links) of the expected parser output, as that folder's README describes.
//!
//! Cases whose expected card has no name at all test mf2 parser rules (strict mf1 parsing implies
//! nothing) rather than "who is this person"; they are reported separately and not scored.
//! A card whose `org` is its `name` is an organisation's: a person extractor passes it by naming
//! nobody and giving the organisation reason.

#[path = "extract_support/view_and_page.rs"]
mod view_and_page;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sprout::extract::{self, Profile, text};

/// Pass-rate floors per folder, as measured when this test was written; the test fails below them.
const FLOORS: &[(&str, f64)] = &[
    ("microformats-v2/h-card", 1.0),
    ("microformats-v1/hcard", 1.0),
    ("microformats-mixed/h-card", 1.0),
    ("microformats-v2/rel", 1.0),
];

const PAGE_URL: &str = "http://example.com/";

fn corpus() -> PathBuf {
    let shared = std::env::var("SPROUT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    shared.join("corpora/microformats")
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A property's first value as text: strings as they are, nested microformats by their value/name.
fn first_text(props: &Value, key: &str) -> Option<String> {
    let v = props.get(key)?.get(0)?;
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o
            .get("value")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| first_text(&o["properties"], "name")),
        _ => None,
    }
    .map(|s| norm(&s))
    .filter(|s| !s.is_empty())
}

fn all_text(props: &Value, key: &str) -> Vec<String> {
    props
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

fn canonical(url: &str) -> Option<String> {
    extract::canonical_profile_url(url)
}

fn links(profile: &Profile) -> Vec<String> {
    profile.links.iter().filter_map(|l| canonical(&l.value)).collect()
}

/// Field-by-field comparison; returns the fields that differ.
fn score_card(props: &Value, profile: &Profile) -> Vec<String> {
    let mut wrong = Vec::new();
    let value = |f: &Option<extract::Field>| f.as_ref().map(|f| norm(&f.value));
    let mut check = |field: &str, want: Option<String>, got: Option<String>| {
        if let Some(want) = want
            && got.as_deref() != Some(want.as_str())
        {
            wrong.push(format!("{field}: want {want:?} got {got:?}"));
        }
    };
    check("name", first_text(props, "name"), value(&profile.name));
    check(
        "given-name",
        first_text(props, "given-name"),
        value(&profile.first_name),
    );
    check(
        "family-name",
        first_text(props, "family-name"),
        value(&profile.last_name),
    );
    check("org", first_text(props, "org"), value(&profile.company));
    check("job-title", first_text(props, "job-title"), value(&profile.title));
    for email in all_text(props, "email") {
        let want = text::email(&email);
        if want.is_some() && !profile.emails.iter().any(|e| Some(&e.value) == want.as_ref()) {
            wrong.push(format!("email: want {want:?}"));
        }
    }
    for tel in all_text(props, "tel") {
        let want = text::phone(&tel);
        if want.is_some() && !profile.phones.iter().any(|p| Some(&p.value) == want.as_ref()) {
            wrong.push(format!("tel: want {want:?}"));
        }
    }
    let have = links(profile);
    for url in all_text(props, "url") {
        if let Some(want) = canonical(&url)
            && !have.contains(&want)
        {
            wrong.push(format!("url: want {want}"));
        }
    }
    wrong
}

/// rel cases: every rel=me URL is a link of the person; no other rel value makes one.
fn score_rels(rels: &Value, profile: &Profile) -> Vec<String> {
    let have = links(profile);
    let mut wrong = Vec::new();
    for (rel, urls) in rels.as_object().into_iter().flatten() {
        for url in urls.as_array().into_iter().flatten().filter_map(Value::as_str) {
            let is_me = rel == "me";
            let present = canonical(url).is_some_and(|c| have.contains(&c));
            let me_too = rels
                .get("me")
                .and_then(Value::as_array)
                .is_some_and(|m| m.iter().any(|u| u.as_str() == Some(url)));
            if is_me && !present {
                wrong.push(format!("rel=me {url} missing"));
            } else if !is_me && !me_too && present {
                wrong.push(format!("rel={rel} {url} taken as the person's link"));
            }
        }
    }
    wrong
}

fn is_root_class(c: &str) -> bool {
    (c.starts_with("h-") && c.len() > 2) || matches!(c, "vcard" | "hentry" | "hfeed" | "vevent" | "adr")
}

/// What to run the extractor on, with the expected card for each: the whole page when it holds
/// one top-level card, else each top-level card on its own (suite pages list many unrelated
/// cards, and Sprout by design names nobody on a page of several different people). The
/// page's `<base>` goes along with each card.
fn units<'v>(html: &str, items: &[&'v Value]) -> Vec<(String, &'v Value)> {
    let cards: Vec<&Value> = items
        .iter()
        .copied()
        .filter(|i| {
            i["type"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t == "h-card"))
        })
        .collect();
    if cards.len() <= 1 || cards.len() != items.len() {
        return cards
            .first()
            .map(|c| vec![(html.to_string(), *c)])
            .unwrap_or_default();
    }
    let doc = scraper::Html::parse_document(html);
    let all = scraper::Selector::parse("*").unwrap();
    let base = scraper::Selector::parse("base").unwrap();
    let base = doc.select(&base).next().map(|b| b.html()).unwrap_or_default();
    let roots: Vec<String> = doc
        .select(&all)
        .filter(|e| e.value().classes().any(is_root_class))
        .filter(|e| {
            !e.ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .any(|a| a.value().classes().any(is_root_class))
        })
        .map(|e| format!("{base}{}", e.html()))
        .collect();
    if roots.len() != cards.len() {
        return vec![(html.to_string(), cards[0])];
    }
    roots.into_iter().zip(cards).collect()
}

/// One folder's result: cases scored and passed, what failed, and the parser-rule cases.
#[derive(Default)]
struct Tally {
    passed: usize,
    scored: usize,
    failures: Vec<String>,
    parser_rules: Vec<String>,
}

#[test]
fn hcard_conformance_per_folder() {
    let root = corpus();
    assert!(
        root.is_dir(),
        "microformats corpus not found at {} (set SPROUT_SHARED)",
        root.display()
    );
    let mut report: BTreeMap<&str, Tally> = BTreeMap::new();
    for (folder, _) in FLOORS {
        let mut cases: Vec<PathBuf> = fs::read_dir(root.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .collect();
        cases.sort();
        let entry = report.entry(folder).or_default();
        for case in cases {
            let name = case.file_stem().unwrap().to_string_lossy().to_string();
            let expected: Value =
                serde_json::from_str(&fs::read_to_string(case.with_extension("json")).unwrap()).unwrap();
            let html = fs::read_to_string(&case).unwrap();
            let items: Vec<&Value> = expected["items"].as_array().unwrap().iter().collect();
            let cards = units(&html, &items);
            if cards.is_empty() {
                let wrong = score_rels(&expected["rels"], &extract::extract(&html, PAGE_URL));
                entry.scored += 1;
                if wrong.is_empty() {
                    entry.passed += 1;
                } else {
                    entry.failures.push(format!("{name}: {}", wrong.join("; ")));
                }
                continue;
            }
            let mut wrong = Vec::new();
            let mut scored = 0;
            for (i, (fragment, card)) in cards.iter().enumerate() {
                let profile = extract::extract(fragment, PAGE_URL);
                if card["properties"].get("name").is_none() {
                    entry.parser_rules.push(format!(
                        "{name}#{i} (expects no name; Sprout says {:?})",
                        profile.name.as_ref().map(|n| &n.value)
                    ));
                    continue;
                }
                scored += 1;
                let props = &card["properties"];
                if first_text(props, "org").is_some() && first_text(props, "org") == first_text(props, "name")
                {
                    if !profile.is_empty() || !profile.reasons.contains(&extract::Reason::OrganisationPage) {
                        wrong.push(format!("#{i} an organisation's card taken as a person"));
                    }
                    continue;
                }
                wrong.extend(
                    score_card(props, &profile)
                        .into_iter()
                        .map(|w| format!("#{i} {w}")),
                );
            }
            if scored == 0 {
                continue;
            }
            entry.scored += 1;
            if wrong.is_empty() {
                entry.passed += 1;
            } else {
                entry.failures.push(format!("{name}: {}", wrong.join("; ")));
            }
        }
    }
    let mut below = Vec::new();
    println!("microformats conformance (page URL {PAGE_URL}):");
    for (folder, floor) in FLOORS {
        let Tally {
            passed: ok,
            scored: total,
            failures,
            parser_rules: rules,
        } = &report[folder];
        let rate = if *total == 0 {
            1.0
        } else {
            *ok as f64 / *total as f64
        };
        println!(
            "  {folder:<28} {ok}/{total} = {:.0}% (floor {:.0}%)",
            rate * 100.0,
            floor * 100.0
        );
        for f in failures {
            println!("      FAIL {f}");
        }
        for r in rules {
            println!("      parser-rule case, not scored: {r}");
        }
        if rate + 1e-9 < *floor {
            below.push(format!(
                "{folder}: {:.0}% < floor {:.0}%",
                rate * 100.0,
                floor * 100.0
            ));
        }
    }
    assert!(below.is_empty(), "pass rate dropped: {below:?}");
}

/// The popup extracts from the reader's reduced view of the page (`sprout::page_view`), and drops
/// its unread attributes and classes (`extract_view`): on every case of the corpus, whole page and
/// each h-card alone, the view gives the Profile the HTML gives.
#[test]
fn the_reduced_page_view_gives_the_same_profile_on_every_case() {
    let root = corpus();
    let cases = FLOORS.iter().flat_map(|(folder, _)| {
        fs::read_dir(root.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .map(|case| (case, PAGE_URL.to_owned()))
    });
    view_and_page::assert_view_gives_the_page_profile(cases, "cases");
}
