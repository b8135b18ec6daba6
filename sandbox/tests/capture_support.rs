//! What the end-to-end capture tests rely on: a body with a 5 MB file fits and a larger one is
//! refused in the contract's error shape, /people/{id} shows the stored person as escaped text,
//! and /_sandbox/state gives back each candidate exactly as it was sent.

mod common;

use common::*;
use serde_json::{Value, json};

fn post(url: &str, body: &[u8]) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent
        .post(url)
        .header("Content-Type", "application/json")
        .header(
            "Authorization",
            &format!("Basic {}", base64_of(&format!("{KEY}:"))),
        )
        .header("On-Behalf-Of", ADMIN)
        .send(body)
        .expect("sandbox answers");
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
}

fn base64_of(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn get(url: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent.get(url).call().expect("sandbox answers");
    // The state holds the 5 MB file: read past ureq's default 10 MB limit.
    let body = r
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .unwrap();
    (r.status().as_u16(), body)
}

fn with_file(external_id: &str, bytes: usize) -> Value {
    json!({
        "external_id": external_id, "first_name": "Grace", "last_name": "Hopper",
        "attachments": [{"filename": "cv.pdf", "type": "resume", "content_type": "application/pdf",
                         "content": "A".repeat(bytes / 3 * 4)}]
    })
}

#[test]
fn a_five_megabyte_file_fits_and_a_larger_body_is_refused_with_the_error_shape() {
    let sb = sandbox(&[]);
    let url = format!("{}/candidates", sb.api_base());
    let (status, body) = post(&url, with_file("five-mb", 5 * 1024 * 1024).to_string().as_bytes());
    assert_eq!(status, 201, "{body}");
    let (status, body) = post(
        &url,
        with_file("too-big", 13 * 1024 * 1024).to_string().as_bytes(),
    );
    assert_eq!(status, 413);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body,
        json!({"errors": [{"message": "Request body is larger than 16 MB"}]})
    );
    let state: Value = serde_json::from_str(&get(&format!("{}/_sandbox/state", sb.origin)).1).unwrap();
    let ids: Vec<_> = state["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sent"]["external_id"].clone())
        .collect();
    assert_eq!(ids, [json!("five-mb")]);
}

#[test]
fn state_returns_each_candidate_exactly_as_sent_and_people_pages_show_it_escaped() {
    let sb = sandbox(&["--jobs", "3"]);
    let job = stored(&sb)["jobs"].as_u64().unwrap();
    assert_eq!(job, 3);
    let jobs: Value = {
        let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
        let mut r = agent
            .get(&format!("{}/jobs", sb.api_base()))
            .header(
                "Authorization",
                &format!("Basic {}", base64_of(&format!("{KEY}:"))),
            )
            .header("On-Behalf-Of", ADMIN)
            .call()
            .unwrap();
        serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap()
    };
    // Kept as sent, even a field the contract does not know: the e2e tests compare this JSON.
    let sent = r#"{"last_name":"<b>Hopper</b>","first_name":"Grace & co","external_id":"sprout-1","emails":[{"value":"g@example.com","type":"work"}],"application":{"job_id":JOB},"x_extra":1}"#
        .replace("JOB", &jobs[0]["id"].to_string());
    let (status, answer) = post(&format!("{}/candidates", sb.api_base()), sent.as_bytes());
    assert_eq!(status, 201, "{answer}");
    let id = serde_json::from_str::<Value>(&answer).unwrap()["id"]
        .as_u64()
        .unwrap();
    let state = stored(&sb);
    let record = &state["candidates"][0];
    assert_eq!(record["id"], json!(id));
    assert_eq!(record["sent"], serde_json::from_str::<Value>(&sent).unwrap());

    let (status, page) = get(&format!("{}/people/{id}", sb.origin));
    assert_eq!(status, 200);
    assert!(
        page.contains("<h1 id=name>Grace &amp; co &lt;b&gt;Hopper&lt;/b&gt;</h1>"),
        "{page}"
    );
    assert!(
        page.contains("g@example.com") && !page.contains("<b>Hopper"),
        "{page}"
    );
    let (status, page) = get(&format!("{}/people/{}", sb.origin, id + 1));
    assert_eq!(status, 404);
    assert!(page.contains("No person"), "{page}");
}
