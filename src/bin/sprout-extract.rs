//! `sprout-extract --url URL FILE.html|-`: runs the extraction engine on a saved page and prints
//! `{"candidate": PartnerCandidate, "provenance": {...}}`, so fixtures and bug reports can be
//! checked without a browser.

use std::io::Read;
use std::process::ExitCode;

use sprout::extract;

const USAGE: &str = "usage: sprout-extract --url URL FILE.html   (FILE may be - for stdin)";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("sprout-extract: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<String, String> {
    let mut url = None;
    let mut file = None;
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--url" => url = Some(it.next().ok_or("--url needs a value")?),
            "-h" | "--help" => return Err(USAGE.into()),
            _ if file.is_none() => file = Some(arg),
            _ => return Err(format!("unexpected argument {arg:?}\n{USAGE}")),
        }
    }
    let url = url.ok_or_else(|| format!("missing --url\n{USAGE}"))?;
    let file = file.ok_or_else(|| format!("missing FILE\n{USAGE}"))?;
    let bytes = read_capped(&file)?;
    let profile = extract::extract_bytes(&bytes, &url).map_err(|e| format!("{file}: {e}"))?;
    let out = serde_json::json!({
        "candidate": profile.to_candidate(),
        "provenance": profile.provenance(),
    });
    serde_json::to_string_pretty(&out).map_err(|e| e.to_string())
}

/// Reads at most `MAX_INPUT_BYTES` (+1 to notice a longer input); the engine ignores the rest.
fn read_capped(file: &str) -> Result<Vec<u8>, String> {
    let limit = extract::MAX_INPUT_BYTES as u64 + 1;
    let mut buf = Vec::new();
    let res = if file == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut buf)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(limit).read_to_end(&mut buf))
    };
    res.map_err(|e| format!("{file}: {e}"))?;
    Ok(buf)
}
