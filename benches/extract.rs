//! `cargo bench --bench extract`: the whole engine (prune, parse, layers, merge) on generated
//! LinkedIn-shaped signed-in pages of 200 KB, 1 MB and 5 MB, plus the pre-pass alone; and, as the
//! popup runs it, extraction from the reduced page view (`page_view::reduce`) of the 2 MB page,
//! next to the html5ever parse of that view alone, so the split between parsing and the layers
//! shows. With `SPROUT_BENCH_PAGES=<dir>` the same is measured on every `*.html` in that folder
//! (for example the browser benchmark's pages, written by `tests/e2e/bench/pages.mjs`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[path = "../tests/extract_support/linkedin_page.rs"]
mod linkedin_page;

use linkedin_page::{URL, linkedin_page};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("extract");
    group.sample_size(20).measurement_time(Duration::from_secs(8));
    for (label, size) in [
        ("200KB", 200 * 1024),
        ("1MB", 1024 * 1024),
        ("5MB", 5 * 1024 * 1024),
    ] {
        let html = linkedin_page(size);
        let pruned = sprout::extract::prune_html(&html).len();
        println!("{label}: {} bytes, {pruned} after prune_html", html.len());
        assert_eq!(
            sprout::extract::extract(&html, URL).to_candidate().last_name,
            "Mokoena"
        );
        group.throughput(Throughput::Bytes(html.len() as u64));
        group.bench_with_input(BenchmarkId::new("extract", label), &html, |b, html| {
            b.iter(|| sprout::extract::extract(black_box(html), URL))
        });
        group.bench_with_input(BenchmarkId::new("prune_html", label), &html, |b, html| {
            b.iter(|| sprout::extract::prune_html(black_box(html)))
        });
    }
    group.finish();
}

/// What the popup does with the view the reader sent: `extract` (prune, parse, layers, merge), and
/// the parse of what `extract` parses (the view pruned and cut as it cuts it), with the tree's
/// freeing, alone; the difference is the extractor's own work. The page is served from a local
/// address, as in the browser benchmark.
fn view(c: &mut Criterion, label: &str, html: &str, url: &str) {
    let (view, _) = sprout::page_view::reduce(html);
    println!("{label}: {} bytes, view {} bytes", html.len(), view.len());
    let mut group = c.benchmark_group("view");
    group.sample_size(20).measurement_time(Duration::from_secs(8));
    group.bench_with_input(BenchmarkId::new("extract", label), &view, |b, view| {
        b.iter(|| sprout::extract::extract(black_box(view), url))
    });
    let mut parsed = sprout::extract::prune_html(&view);
    if parsed.len() > sprout::extract::MAX_PARSE_BYTES {
        let cut = (0..=sprout::extract::MAX_PARSE_BYTES)
            .rev()
            .find(|i| parsed.is_char_boundary(*i))
            .unwrap_or(0);
        let cut = parsed[..cut].rfind('<').unwrap_or(cut);
        parsed.truncate(cut);
    }
    let parsed = parsed.as_str();
    group.bench_with_input(BenchmarkId::new("parse", label), parsed, |b, parsed| {
        b.iter(|| scraper::Html::parse_document(black_box(parsed)))
    });
    group.finish();
}

fn views(c: &mut Criterion) {
    view(
        c,
        "linkedin-2MB",
        &linkedin_page(2 * 1024 * 1024),
        "http://127.0.0.1/linkedin.html",
    );
    let Ok(dir) = std::env::var("SPROUT_BENCH_PAGES") else {
        return;
    };
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .expect("SPROUT_BENCH_PAGES is a folder")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    for path in pages {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let html = std::fs::read_to_string(&path).expect("the page reads as UTF-8");
        view(c, &name, &html, &format!("http://127.0.0.1/{name}"));
    }
}

criterion_group!(benches, bench, views);
criterion_main!(benches);
