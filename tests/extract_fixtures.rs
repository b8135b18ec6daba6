//! Runs the extractor on every page in tests/fixtures/pages and compares the candidate, the
//! source of each field, the basis, the reasons and the other people offered with the expected
//! JSON beside it; prints per-site and per-kind result tables.

#[path = "extract_support/view_and_page.rs"]
mod view_and_page;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sprout::candidate::PartnerCandidate;
use sprout::extract;

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let mut pages: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .flat_map(|site| fs::read_dir(site.unwrap().path()).into_iter().flatten())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    pages
}

/// Field -> source (or list of sources), as `Profile::provenance` reports them.
fn sources(provenance: &Value) -> Value {
    let map = provenance.as_object().unwrap();
    let mut out = serde_json::Map::new();
    for (k, v) in map
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "warnings" | "basis" | "reasons" | "others"))
    {
        let s = match v {
            Value::Array(items) => Value::Array(items.iter().map(|i| i["source"].clone()).collect()),
            one => one["source"].clone(),
        };
        out.insert(k.clone(), s);
    }
    Value::Object(out)
}

#[test]
fn every_fixture_page_gives_its_expected_candidate() {
    let pages = fixtures();
    assert!(pages.len() >= 18, "fixtures missing: {}", pages.len());
    let mut per_site: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut per_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut per_layer: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for page in &pages {
        let site = page
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let case = page.file_stem().unwrap().to_string_lossy().to_string();
        let expected: Value =
            serde_json::from_str(&fs::read_to_string(page.with_extension("json")).unwrap()).unwrap();
        let html = fs::read_to_string(page).unwrap();
        let profile = extract::extract(&html, expected["url"].as_str().unwrap());
        let others: Vec<&str> = profile
            .others
            .iter()
            .filter_map(|o| o.name.as_ref().map(|n| n.value.as_str()))
            .collect();
        let unsure: Vec<&str> = [&profile.emails, &profile.phones]
            .into_iter()
            .flatten()
            .filter(|f| f.unsure)
            .map(|f| f.value.as_str())
            .collect();
        let got = json!({
            "candidate": profile.to_candidate(),
            "sources": sources(&profile.provenance()),
            "basis": profile.basis,
            "reasons": profile.reasons,
            "others": others,
            "note": profile.note.as_ref().map(|n| n.value.as_str()),
            "unsure": unsure,
        });
        let or = |key: &str, default: Value| expected.get(key).cloned().unwrap_or(default);
        let want = json!({
            "candidate": serde_json::from_value::<PartnerCandidate>(expected["candidate"].clone()).unwrap(),
            "sources": expected["sources"],
            "basis": or("basis", json!("profile")),
            "reasons": or("reasons", json!([])),
            "others": or("others", json!([])),
            "note": or("note", Value::Null),
            "unsure": or("unsure", json!([])),
        });
        let layer = expected["sources"]["name"]
            .as_str()
            .unwrap_or("(nobody)")
            .to_string();
        let l = per_layer.entry(layer).or_default();
        l.1 += 1;
        if got == want {
            l.0 += 1;
        }
        let kind = expected["kind"].as_str().unwrap_or("person").to_string();
        let k = per_kind.entry(kind).or_default();
        k.1 += 1;
        if got == want {
            k.0 += 1;
        }
        let entry = per_site.entry(site.clone()).or_default();
        entry.1 += 1;
        if got == want {
            entry.0 += 1;
        } else {
            failures.push(format!(
                "{site}/{case}:\n  want {}\n  got  {}",
                serde_json::to_string(&want).unwrap(),
                serde_json::to_string(&got).unwrap()
            ));
        }
    }
    println!("fixture results per site:");
    for (site, (ok, total)) in &per_site {
        println!("  {site:<14} {ok}/{total}");
    }
    println!("fixture results per layer that named the subject:");
    for (layer, (ok, total)) in &per_layer {
        println!("  {layer:<22} {ok}/{total}");
    }
    println!("fixture results per kind of page:");
    for (kind, (ok, total)) in &per_kind {
        println!("  {kind:<14} {ok}/{total}");
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn url_variants_of_one_profile_share_the_external_id() {
    let html = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages/linkedin/public.html"),
    )
    .unwrap();
    let ids: Vec<String> = [
        "https://de.linkedin.com/in/jana-novak-8b1f2a?trk=public_profile_browsemap",
        "https://www.linkedin.com/in/jana-novak-8b1f2a/",
        "http://m.linkedin.com/in/Jana-Novak-8b1f2a/details/experience/",
    ]
    .iter()
    .map(|u| extract::extract(&html, u).external_id)
    .collect();
    assert!(
        ids.iter().all(|id| id == &ids[0] && id.starts_with("sprout-")),
        "{ids:?}"
    );
    assert_eq!(
        Some(ids[0].clone()),
        extract::external_id("https://www.linkedin.com/in/jana-novak-8b1f2a")
    );
}

#[test]
fn the_signed_in_viewer_and_sidebar_people_are_never_the_subject() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    for (file, url, others) in [
        (
            "linkedin/signed_in.html",
            "https://www.linkedin.com/in/rafael-quintero-salas/",
            &["Priya", "Hugo"][..],
        ),
        (
            "linkedin/public.html",
            "https://de.linkedin.com/in/jana-novak-8b1f2a",
            &["Tomas", "Mila"][..],
        ),
        (
            "x/profile.html",
            "https://x.com/inesmarchetti_ux",
            &["Viewer", "Reply", "Somebody"][..],
        ),
    ] {
        let profile = extract::extract(&fs::read_to_string(root.join(file)).unwrap(), url);
        let text = serde_json::to_string(&profile).unwrap();
        for other in others {
            assert!(!text.contains(other), "{file}: {other} leaked into {text}");
        }
    }
}

#[test]
fn scraped_values_are_plain_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    for page in fixtures() {
        let expected: Value =
            serde_json::from_str(&fs::read_to_string(page.with_extension("json")).unwrap()).unwrap();
        let profile = extract::extract(
            &fs::read_to_string(&page).unwrap(),
            expected["url"].as_str().unwrap(),
        );
        let c = profile.to_candidate();
        for v in [
            Some(&c.first_name),
            Some(&c.last_name),
            c.title.as_ref(),
            c.company.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            assert!(
                !v.contains("</") && !v.contains("<b>") && !v.chars().any(char::is_control),
                "{}: {v:?}",
                page.strip_prefix(&root).unwrap().display()
            );
        }
    }
}

/// Shared inboxes (info@, hello@, press@, ...) never go on a person unless the domain is theirs.
#[test]
fn organisation_inboxes_are_never_a_persons() {
    const SHARED: &[&str] = &[
        "info", "hello", "jobs", "careers", "sales", "press", "contact", "office", "tips", "help",
    ];
    for page in fixtures() {
        let expected: Value =
            serde_json::from_str(&fs::read_to_string(page.with_extension("json")).unwrap()).unwrap();
        let profile = extract::extract(
            &fs::read_to_string(&page).unwrap(),
            expected["url"].as_str().unwrap(),
        );
        for p in std::iter::once(&profile).chain(profile.others.iter()) {
            let surname = p
                .last_name
                .as_ref()
                .map(|l| l.value.to_lowercase().replace(['-', ' '], ""))
                .unwrap_or_default();
            for e in &p.emails {
                let (local, domain) = e.value.split_once('@').unwrap();
                assert!(
                    !SHARED.contains(&local) || (!surname.is_empty() && domain.contains(&surname)),
                    "{}: {} on {:?}",
                    page.display(),
                    e.value,
                    p.name.as_ref().map(|n| &n.value)
                );
            }
        }
    }
}

/// The popup extracts from the reader's reduced view of the page (`sprout::page_view`), not from
/// the page, and drops its unread attributes and classes (`extract_view`): on every fixture the
/// view must give exactly the Profile the whole page gives.
#[test]
fn the_reduced_page_view_gives_the_same_profile_as_the_whole_page() {
    let pages = fixtures().into_iter().map(|page| {
        let expected: Value =
            serde_json::from_str(&fs::read_to_string(page.with_extension("json")).unwrap()).unwrap();
        let url = expected["url"].as_str().unwrap().to_owned();
        (page, url)
    });
    view_and_page::assert_view_gives_the_page_profile(pages, "fixtures");
}

/// tests/fixtures/idn: a page whose links have internationalized hosts (and the hosts around them
/// that must read as before); its links as the url crate read them with its own Unicode tables.
/// tests/e2e/idn.test.mjs asks the same of the shipped extractor's wasm, in each browser.
#[test]
fn links_with_internationalized_hosts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/idn");
    let expected: Value = serde_json::from_str(&fs::read_to_string(dir.join("hosts.json")).unwrap()).unwrap();
    let html = fs::read_to_string(dir.join("hosts.html")).unwrap();
    let profile = extract::extract(&html, expected["url"].as_str().unwrap());
    let links: Vec<&str> = profile.links.iter().map(|l| l.value.as_str()).collect();
    let got = json!({
        "url": expected["url"],
        "profile_url": profile.profile_url,
        "external_id": profile.external_id,
        "links": links,
    });
    assert_eq!(got, expected);
}
