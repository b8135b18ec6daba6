//! Writes the benchmarks' LinkedIn-shaped page to stdout, so the in-browser benchmark
//! (tests/e2e/bench.mjs) measures the very page `cargo bench --bench extract` does.
//! Usage: cargo run --release --example linkedin-page -- BYTES > page.html

#[path = "../../tests/extract_support/linkedin_page.rs"]
mod linkedin_page;

fn main() {
    let bytes = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2 * 1024 * 1024);
    eprintln!("a {bytes}-byte LinkedIn-shaped page of {}", linkedin_page::URL);
    print!("{}", linkedin_page::linkedin_page(bytes));
}
