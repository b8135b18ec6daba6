//! `cargo bench --bench extract`: the whole engine (prune, parse, layers, merge) on generated
//! LinkedIn-shaped signed-in pages of 200 KB, 1 MB and 5 MB, plus the pre-pass alone.

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

criterion_group!(benches, bench);
criterion_main!(benches);
