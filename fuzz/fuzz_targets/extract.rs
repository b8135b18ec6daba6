//! Fuzzes `extract_bytes` over (page URL, HTML bytes): the first line of the input is the URL,
//! the rest the page. Any panic, hang or overflow is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().take(256).position(|b| *b == b'\n');
    let (url, html) = match split {
        Some(i) => (String::from_utf8_lossy(&data[..i]).into_owned(), &data[i + 1..]),
        None => (String::from("https://www.linkedin.com/in/jane-doe"), data),
    };
    if let Ok(profile) = sprout::extract::extract_bytes(html, &url) {
        let candidate = profile.to_candidate();
        // Serialising is part of what the extension does with every result.
        let _ = serde_json_round_trip(&profile, &candidate);
    }
});

fn serde_json_round_trip(
    profile: &sprout::extract::Profile,
    candidate: &sprout::candidate::PartnerCandidate,
) -> Option<()> {
    let p = serde_json::to_string(profile).ok()?;
    let back: sprout::extract::Profile = serde_json::from_str(&p).ok()?;
    assert_eq!(&back.to_candidate(), candidate);
    Some(())
}
