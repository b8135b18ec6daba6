//! The sandbox in `--dialect greenhouse` over real HTTP, held to Greenhouse's published Candidate
//! Ingestion docs: their example create body, each validation rule with its field, batch creates,
//! read-back by candidate_ids with invisible records left out, roles, scopes and every GET's shape.

mod common;

use base64::Engine;
use common::*;
use serde_json::{Value, json};

/// Another admin, whose records the first one may not read back.
const COLLEAGUE: &str = "carol@sprout.test";

fn greenhouse(extra: &[&str]) -> sprout_sandbox::Running {
    let mut args = vec!["--user", "carol@sprout.test:admin"];
    args.extend_from_slice(extra);
    sandbox_in("greenhouse", &args)
}

enum As<'a> {
    Basic(&'a str),
    Bearer(&'a str),
}

/// One request to the Partner API; the status and the JSON answer (null when empty).
fn call(
    sb: &sprout_sandbox::Running,
    who: &As,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}{path}", sb.api_base());
    let (authorization, on_behalf_of) = match who {
        As::Basic(email) => (
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:"))
            ),
            Some(*email),
        ),
        As::Bearer(token) => (format!("Bearer {token}"), None),
    };
    let mut response = if method == "GET" {
        let mut r = agent.get(&url).header("Authorization", &authorization);
        if let Some(email) = on_behalf_of {
            r = r.header("On-Behalf-Of", email);
        }
        r.call()
    } else {
        let mut r = agent
            .post(&url)
            .header("Authorization", &authorization)
            .header("Content-Type", "application/json");
        if let Some(email) = on_behalf_of {
            r = r.header("On-Behalf-Of", email);
        }
        r.send(body.expect("a body to post").to_string().as_bytes())
    }
    .expect("sandbox answers");
    let text = response.body_mut().read_to_string().unwrap();
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    };
    (response.status().as_u16(), json)
}

fn post(sb: &sprout_sandbox::Running, who: &As, path: &str, body: &Value) -> (u16, Value) {
    call(sb, who, "POST", path, Some(body))
}

fn get(sb: &sprout_sandbox::Running, who: &As, path: &str) -> (u16, Value) {
    call(sb, who, "GET", path, None)
}

/// The `field` of each error in a refusal.
fn fields(answer: &Value) -> Vec<&str> {
    answer["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {answer}"))
        .iter()
        .map(|e| {
            assert!(e["message"].is_string(), "{e}");
            e["field"].as_str().unwrap_or("")
        })
        .collect()
}

fn keys(v: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn stored_candidates(sb: &sprout_sandbox::Running) -> Vec<Value> {
    stored(sb)["candidates"].as_array().unwrap().clone()
}

/// The example request body of "Post Candidates" in _candidates.md, as published.
fn docs_example() -> Value {
    json!({
        "prospect": "true",
        "first_name": "Harry",
        "last_name": "Potter",
        "company": "Hogwarts",
        "title": "Student",
        "resume": "https://hogwarts.com/resume",
        "phone_numbers": [
            {
                "phone_number": "123-456-7890",
                "type": "home"
            }
        ],
        "emails": [
            {
                "email": "hpotter@hogwarts.edu",
                "type": "other"
            }
        ],
        "social_media": [
            {
                "url": "https://twitter.com/hp"
            }
        ],
        "websites": [
            {
                "url": "https://harrypotter.com",
                "type": "blog"
            }
        ],
        "addresses": [
            {
                "address": "4 Privet Dr",
                "type": "home"
            }
        ],
        "job_id": 12345,
        "external_id": "24680",
        "notes": "Good at Quiddich",
        "prospect_pool_id": 123,
        "prospect_pool_stage_id": 456,
        "prospect_owner_email": "prospect_owners_email@example.com"
    })
}

/// A minimal valid person: a prospect on no job.
fn prospect(external_id: &str) -> Value {
    json!({"first_name": "Ada", "last_name": "Lovelace", "external_id": external_id})
}

#[test]
fn the_docs_example_body_is_accepted_and_answered_in_the_docs_shape() {
    let sb = greenhouse(&["--docs-examples"]);
    let (status, answer) = post(&sb, &As::Basic(ADMIN), "/candidates", &docs_example());
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        keys(&answer),
        ["application_id", "external_id", "id", "profile_url"]
    );
    assert_eq!(answer["external_id"], "24680");
    let id = answer["id"].as_u64().unwrap();
    let application_id = answer["application_id"].as_u64().unwrap();
    assert_eq!(
        answer["profile_url"],
        format!("{}/people/{id}?application_id={application_id}", sb.origin)
    );
    let page = ureq::get(answer["profile_url"].as_str().unwrap())
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(
        page.contains("Harry Potter") && page.contains("Good at Quiddich") && page.contains("Auror"),
        "{page}"
    );

    let state = stored(&sb);
    assert_eq!(state["dialect"], "greenhouse");
    let records = state["candidates"].as_array().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["sent"], docs_example(), "stored exactly as sent");
    assert_eq!(records[0]["created_by"], ADMIN);

    let (status, found) = get(&sb, &As::Basic(ADMIN), &format!("/candidates?candidate_ids={id}"));
    assert_eq!(status, 200);
    assert_eq!(
        found,
        json!([{
            "id": id,
            "name": "Harry Potter",
            "external_id": "24680",
            "applications": [{
                "id": application_id,
                "job": "Auror",
                "status": "active",
                "stage": "Sourced",
                "profile_url": answer["profile_url"],
            }],
        }])
    );
}

#[test]
fn wrong_field_names_and_foreign_stages_are_refused_with_their_field() {
    let sb = greenhouse(&["--docs-examples"]);
    let refuse = |body: Value| {
        let (status, answer) = post(&sb, &As::Basic(ADMIN), "/candidates", &body);
        assert_eq!(status, 400, "{answer}");
        fields(&answer).into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let mut seed_emails = docs_example();
    seed_emails["emails"] = json!([{"value": "hpotter@hogwarts.edu", "type": "other"}]);
    let refused = refuse(seed_emails);
    assert!(refused.contains(&"emails[0].email".to_owned()), "{refused:?}");
    assert!(refused.contains(&"emails[0].value".to_owned()), "{refused:?}");

    let mut foreign_stage = docs_example();
    foreign_stage["prospect_pool_stage_id"] = json!(1962); // a stage of pool 456
    assert_eq!(refuse(foreign_stage), ["prospect_pool_stage_id"]);

    let mut stage_alone = docs_example();
    stage_alone.as_object_mut().unwrap().remove("prospect_pool_id");
    assert_eq!(refuse(stage_alone), ["prospect_pool_id"]);

    let mut unknown_owner = docs_example();
    unknown_owner["prospect_owner_email"] = json!("nobody@example.com");
    assert_eq!(refuse(unknown_owner), ["prospect_owner_email"]);

    let with = |extra: Value| {
        let mut body = prospect("sprout:x");
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    assert_eq!(refuse(with(json!({"prospect": false}))), ["job_id"]);
    assert_eq!(
        refuse(with(json!({"prospect": "false", "prospect_pool_id": 123}))),
        ["job_id", "prospect_pool_id"]
    );
    assert_eq!(refuse(with(json!({"prospect": "yes"}))), ["prospect"]);
    assert_eq!(refuse(with(json!({"job_id": 999}))), ["job_id"]);
    assert_eq!(
        refuse(with(
            json!({"phone_numbers": [{"phone_number": "1", "type": "fax"}]})
        )),
        ["phone_numbers[0].type"]
    );
    assert_eq!(
        refuse(with(
            json!({"websites": [{"url": "https://a.io", "type": "social"}]})
        )),
        ["websites[0].type"]
    );
    assert_eq!(
        refuse(with(json!({"addresses": [{"address": "x", "type": "moon"}]}))),
        ["addresses[0].type"]
    );
    assert_eq!(
        refuse(with(json!({"social_media": [{"value": "https://x.io"}]}))),
        ["social_media[0].value", "social_media[0].url"]
    );
    assert_eq!(
        refuse(with(json!({"referrer": {"email": "r@x.io", "first_name": "R"}}))),
        ["referrer.last_name"]
    );
    assert_eq!(refuse(with(json!({"resume": "file:///cv.pdf"}))), ["resume"]);
    assert_eq!(
        refuse(with(json!({"application": {"job_id": 12345}}))),
        ["application"]
    );
    assert_eq!(
        refuse(json!({"first_name": " ", "external_id": 7})),
        ["first_name", "last_name", "external_id"]
    );
    assert!(stored_candidates(&sb).is_empty(), "nothing refused was stored");

    // Everything the docs' table allows, in its own names, is taken.
    let full = with(json!({
        "prospect": false, "job_id": 150050, "company": "Hogwarts", "title": "Student", "notes": "n",
        "resume": "https://hogwarts.com/resume",
        "phone_numbers": [{"phone_number": "1", "type": "mobile"}],
        "emails": [{"email": "a@b.io", "type": "personal"}],
        "addresses": [{"address": "4 Privet Dr\nLittle Whinging", "type": "other"}],
        "social_media": [{"url": "https://github.com/ada"}],
        "websites": [{"url": "https://ada.dev", "type": "portfolio"}],
        "referrer": {"email": "r@x.io", "first_name": "R", "last_name": "S"},
    }));
    let (status, answer) = post(&sb, &As::Basic(ADMIN), "/candidates", &full);
    assert_eq!(status, 200, "{answer}");
    let (_, found) = get(
        &sb,
        &As::Basic(ADMIN),
        &format!("/candidates?candidate_ids={}", answer["id"]),
    );
    let application = &found[0]["applications"][0];
    assert_eq!(
        (&application["job"], &application["stage"]),
        (&json!("Professor"), &json!("Application Review"))
    );
}

#[test]
fn an_array_is_answered_with_an_array_and_lands_whole_or_not_at_all() {
    let sb = greenhouse(&[]);
    let (status, answer) = post(
        &sb,
        &As::Basic(ADMIN),
        "/candidates",
        &json!([prospect("sprout:a"), prospect("sprout:b")]),
    );
    assert_eq!(status, 200, "{answer}");
    let answers = answer.as_array().expect("an array for an array");
    assert_eq!(answers.len(), 2);
    assert_eq!(
        (&answers[0]["external_id"], &answers[1]["external_id"]),
        (&json!("sprout:a"), &json!("sprout:b"))
    );
    assert_ne!(answers[0]["id"], answers[1]["id"]);
    assert_ne!(answers[0]["application_id"], answers[1]["application_id"]);
    for a in answers {
        assert_eq!(keys(a), ["application_id", "external_id", "id", "profile_url"]);
    }
    let (status, answer) = post(
        &sb,
        &As::Basic(ADMIN),
        "/candidates",
        &json!([prospect("sprout:one")]),
    );
    assert_eq!((status, answer.as_array().map(Vec::len)), (200, Some(1)));

    let (status, answer) = post(
        &sb,
        &As::Basic(ADMIN),
        "/candidates",
        &json!([prospect("sprout:c"), {"first_name": "B", "last_name": "C", "external_id": "d", "prospect": false}]),
    );
    assert_eq!(status, 400);
    assert_eq!(fields(&answer), ["[1].job_id"]);
    let (status, _) = post(&sb, &As::Basic(ADMIN), "/candidates", &json!([]));
    assert_eq!(status, 400);
    assert_eq!(
        stored_candidates(&sb).len(),
        3,
        "the refused batch left nothing behind"
    );
}

#[test]
fn candidates_are_read_back_by_id_only_and_invisible_records_are_left_out() {
    let sb = greenhouse(&["--pools", "2"]);
    let (_, pools) = get(&sb, &As::Basic(ADMIN), "/prospect_pools");
    let pool = &pools[1];
    let mut mine = prospect("sprout:mine");
    mine["prospect_pool_id"] = pool["id"].clone();
    let (_, mine) = post(&sb, &As::Basic(ADMIN), "/candidates", &mine);
    let (_, theirs) = post(
        &sb,
        &As::Basic(COLLEAGUE),
        "/candidates",
        &prospect("sprout:theirs"),
    );
    let (_, gone) = post(&sb, &As::Basic(ADMIN), "/candidates", &prospect("sprout:gone"));
    let read = |ids: String| {
        get(
            &sb,
            &As::Basic(ADMIN),
            &format!("/candidates?candidate_ids={ids}"),
        )
    };

    let (status, found) = read(format!("{},{},{},1", mine["id"], theirs["id"], gone["id"]));
    assert_eq!(status, 200);
    let ids: Vec<&Value> = found.as_array().unwrap().iter().map(|c| &c["id"]).collect();
    assert_eq!(
        ids,
        [&mine["id"], &gone["id"]],
        "a colleague's record and an unknown id are left out"
    );
    let application = &found[0]["applications"][0];
    assert_eq!(application["job"], Value::Null, "a prospect on no job");
    assert_eq!(
        application["stage"], pool["stages"][0]["name"],
        "a pool without a stage starts at its first"
    );
    assert_eq!(
        read(theirs["id"].to_string()),
        (200, json!([])),
        "one invisible id: []"
    );

    // What a recruiter does in Greenhouse afterwards shows; a deleted or merged record disappears.
    let change = |id: &Value, body: Value| admin(&sb, "POST", &format!("/candidates/{id}"), body);
    change(&mine["id"], json!({"status": "rejected", "stage": "Not Now"}));
    change(&gone["id"], json!({"hidden": true}));
    let (_, found) = read(format!("{},%20{}", mine["id"], gone["id"]));
    assert_eq!(
        read(format!("{}%2C{}", mine["id"], gone["id"])).1,
        found,
        "an encoded comma separates too"
    );
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(
        (
            &found[0]["applications"][0]["status"],
            &found[0]["applications"][0]["stage"]
        ),
        (&json!("rejected"), &json!("Not Now"))
    );

    // Colleague sees their own.
    let (_, found) = get(
        &sb,
        &As::Basic(COLLEAGUE),
        &format!("/candidates?candidate_ids={}", theirs["id"]),
    );
    assert_eq!(found[0]["external_id"], "sprout:theirs");

    for (query, field) in [
        ("", "candidate_ids"),
        ("?candidate_ids=", "candidate_ids"),
        ("?candidate_ids=1,x", "candidate_ids"),
        ("?candidate_ids=1,,2", "candidate_ids"),
        ("?external_ids=sprout:mine", "external_ids"),
        ("?candidate_ids=1&external_ids=sprout:mine", "external_ids"),
    ] {
        let (status, answer) = get(&sb, &As::Basic(ADMIN), &format!("/candidates{query}"));
        assert_eq!((status, fields(&answer)), (400, vec![field]), "{query}");
    }
}

#[test]
fn a_basic_user_creates_and_lists_public_jobs_but_reads_nothing_back() {
    let sb = greenhouse(&[]);
    let (_, admin_jobs) = get(&sb, &As::Basic(ADMIN), "/jobs");
    let (status, basic_jobs) = get(&sb, &As::Basic(BASIC), "/jobs");
    assert_eq!(status, 200);
    let public: Vec<&Value> = admin_jobs
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["public"] == true)
        .collect();
    assert!(public.len() < admin_jobs.as_array().unwrap().len());
    assert_eq!(basic_jobs.as_array().unwrap().iter().collect::<Vec<_>>(), public);

    let private_job = admin_jobs
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["public"] == false)
        .unwrap();
    let mut on_private = prospect("sprout:b");
    on_private["prospect"] = json!(false);
    on_private["job_id"] = private_job["id"].clone();
    let (status, answer) = post(&sb, &As::Basic(BASIC), "/candidates", &on_private);
    assert_eq!((status, fields(&answer)), (400, vec!["job_id"]));
    on_private["job_id"] = public[0]["id"].clone();
    let (status, created) = post(&sb, &As::Basic(BASIC), "/candidates", &on_private);
    assert_eq!(status, 200, "{created}");

    let (status, _) = get(
        &sb,
        &As::Basic(BASIC),
        &format!("/candidates?candidate_ids={}", created["id"]),
    );
    assert_eq!(status, 403);
    let (status, answer) = post(
        &sb,
        &As::Basic(BASIC),
        "/tracking_link",
        &json!({"job_id": public[0]["id"]}),
    );
    assert_eq!(status, 403);
    assert!(answer["errors"][0]["message"].is_string());
    assert_eq!(get(&sb, &As::Basic(BASIC), "/current_user").0, 200);
    assert_eq!(get(&sb, &As::Basic(BASIC), "/prospect_pools").0, 200);
    let (status, _) = get(&sb, &As::Basic("nobody@sprout.test"), "/current_user");
    assert_eq!(status, 401);
}

/// Signs `email` in through the consent page asking for `scope` (none: the parameter left out)
/// and exchanges the code; the access token and the scope the token endpoint reports.
fn token_with(sb: &sprout_sandbox::Running, email: &str, scope: Option<&str>) -> (String, String) {
    let mut authorize = sprout::url_parse::parse(&format!("{}/oauth/authorize", sb.origin)).unwrap();
    authorize
        .query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", CLIENT_ID)
        .append_pair("redirect_uri", REDIRECT)
        .append_pair("state", "s");
    if let Some(scope) = scope {
        authorize.query_pairs_mut().append_pair("scope", scope);
    }
    let location = consent(authorize.as_str(), email, "allow");
    let code = sprout::url_parse::parse(&location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("a code");
    let mut answer = ureq::post(format!("{}/oauth/token", sb.origin))
        .send_form([
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
            ("client_id", CLIENT_ID),
        ])
        .unwrap();
    let tokens: Value = serde_json::from_str(&answer.body_mut().read_to_string().unwrap()).unwrap();
    (
        tokens["access_token"].as_str().unwrap().to_owned(),
        tokens["scope"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn bearer_tokens_do_only_what_their_scopes_allow() {
    let sb = greenhouse(&[]);
    let (create_only, scope) = token_with(&sb, ADMIN, Some("candidates.create"));
    assert_eq!(scope, "candidates.create");
    let who = As::Bearer(&create_only);
    let (status, created) = post(&sb, &who, "/candidates", &prospect("sprout:scoped"));
    assert_eq!(status, 200, "{created}");
    let read_back = format!("/candidates?candidate_ids={}", created["id"]);
    let (status, answer) = get(&sb, &who, &read_back);
    assert_eq!(status, 403, "no candidates.view");
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("candidates.view")
    );
    assert_eq!(get(&sb, &who, "/jobs").0, 403, "no jobs.view");
    assert_eq!(get(&sb, &who, "/prospect_pools").0, 403, "no prospect_pools.view");
    // Neither page names a scope: any token may ask who it is and make a tracking link.
    assert_eq!(get(&sb, &who, "/current_user").0, 200);
    let (_, jobs) = get(&sb, &As::Basic(ADMIN), "/jobs");
    let (status, _) = post(&sb, &who, "/tracking_link", &json!({"job_id": jobs[0]["id"]}));
    assert_eq!(status, 200);

    let (view_only, _) = token_with(&sb, ADMIN, Some("candidates.view jobs.view"));
    let who = As::Bearer(&view_only);
    assert_eq!(get(&sb, &who, &read_back).0, 200);
    assert_eq!(get(&sb, &who, "/jobs").0, 200);
    assert_eq!(post(&sb, &who, "/candidates", &prospect("sprout:no")).0, 403);

    // No scope asked for: all four, the Partner API's whole set.
    let (everything, scope) = token_with(&sb, ADMIN, None);
    assert_eq!(
        scope,
        "candidates.create candidates.view jobs.view prospect_pools.view"
    );
    let who = As::Bearer(&everything);
    for path in [read_back.as_str(), "/jobs", "/prospect_pools", "/current_user"] {
        assert_eq!(get(&sb, &who, path).0, 200, "{path}");
    }
}

#[test]
fn every_get_and_the_tracking_link_answer_in_the_docs_shape() {
    let sb = greenhouse(&["--user", "hermione.granger@hogwarts.edu:admin", "--pools", "3"]);
    let me = As::Basic("hermione.granger@hogwarts.edu");
    let (status, user) = get(&sb, &me, "/current_user");
    assert_eq!(status, 200);
    assert_eq!(
        keys(&user),
        ["email", "first_name", "full_name", "id", "last_name"]
    );
    assert_eq!(
        (&user["full_name"], &user["first_name"], &user["last_name"]),
        (&json!("Hermione Granger"), &json!("Hermione"), &json!("Granger"))
    );
    assert_eq!(user["email"], "hermione.granger@hogwarts.edu");
    assert!(user["id"].is_u64());

    let (status, jobs) = get(&sb, &me, "/jobs");
    assert_eq!(status, 200);
    assert_eq!(jobs.as_array().unwrap().len(), 12);
    for job in jobs.as_array().unwrap() {
        assert_eq!(keys(job), ["id", "name", "public", "status"]);
        assert!(job["id"].is_u64() && job["name"].is_string() && job["public"].is_boolean());
        assert_eq!(job["status"], "open");
    }

    let (status, pools) = get(&sb, &me, "/prospect_pools");
    assert_eq!(status, 200);
    assert_eq!(pools.as_array().unwrap().len(), 3);
    for pool in pools.as_array().unwrap() {
        assert_eq!(keys(pool), ["id", "name", "stages"]);
        let stages = pool["stages"].as_array().unwrap();
        assert!(stages.len() >= 3);
        for stage in stages {
            assert_eq!(keys(stage), ["id", "name"]);
        }
    }
    // The configured order is the seed's stage order: Sourced, Contacted, Replied, ...
    let names: Vec<&Value> = pools[0]["stages"].as_array().unwrap()[..3]
        .iter()
        .map(|s| &s["name"])
        .collect();
    assert_eq!(names, [&json!("Sourced"), &json!("Contacted"), &json!("Replied")]);

    let (status, link) = post(&sb, &me, "/tracking_link", &json!({"job_id": jobs[2]["id"]}));
    assert_eq!(status, 200, "{link}");
    assert_eq!(keys(&link), ["job", "referrer", "source", "tracking_link"]);
    assert_eq!(link["job"], jobs[2]["name"]);
    assert_eq!(link["referrer"], "Hermione Granger");
    assert_eq!(link["source"], "Sprout");
    assert!(link["tracking_link"].as_str().unwrap().starts_with(&sb.origin));
    let stored_links = stored(&sb)["tracking_links"].clone();
    assert_eq!(stored_links[0]["sent"], json!({"job_id": jobs[2]["id"]}));
    for (body, field) in [
        (json!({}), "job_id"),
        (json!({"job_id": "1"}), "job_id"),
        (json!({"job_id": 1}), "job_id"),
        (json!({"job_id": jobs[2]["id"], "source_id": 1}), "source_id"),
    ] {
        let (status, answer) = post(&sb, &me, "/tracking_link", &body);
        assert_eq!((status, fields(&answer)), (400, vec![field]), "{body}");
    }
}

#[test]
fn a_state_file_keeps_greenhouse_records_and_their_changes_between_runs() {
    let file = std::env::temp_dir().join(format!("sprout-sandbox-gh-state-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let path = file.to_str().unwrap();
    let created = {
        let sb = greenhouse(&["--state", path]);
        let (_, created) = post(&sb, &As::Basic(ADMIN), "/candidates", &prospect("sprout:kept"));
        admin(
            &sb,
            "POST",
            &format!("/candidates/{}", created["id"]),
            json!({"status": "hired"}),
        );
        created
    };
    let sb = greenhouse(&["--state", path]);
    let (_, found) = get(
        &sb,
        &As::Basic(ADMIN),
        &format!("/candidates?candidate_ids={}", created["id"]),
    );
    assert_eq!(found[0]["applications"][0]["status"], "hired");
    assert_eq!(
        found[0]["applications"][0]["profile_url"],
        format!(
            "{}/people/{}?application_id={}",
            sb.origin, created["id"], created["application_id"]
        )
    );
    let (_, next) = post(&sb, &As::Basic(ADMIN), "/candidates", &prospect("sprout:next"));
    assert!(next["id"].as_u64() > created["id"].as_u64());
    assert!(next["application_id"].as_u64() > created["application_id"].as_u64());
    std::fs::remove_file(&file).unwrap();
}

#[test]
fn faults_hit_greenhouse_paths_as_they_do_seed_ones() {
    let sb = greenhouse(&[]);
    fault(
        &sb,
        "POST",
        "/v1/partner/candidates",
        1,
        json!({"type": "status", "status": 503}),
    );
    let (status, answer) = post(&sb, &As::Basic(ADMIN), "/candidates", &prospect("sprout:503"));
    assert_eq!(status, 503);
    assert!(answer["errors"][0]["message"].is_string());
    assert!(
        stored_candidates(&sb).is_empty(),
        "an injected 5xx stores nothing"
    );

    // Processed, then the connection closes without an answer: the record is there all the same.
    fault(
        &sb,
        "POST",
        "/v1/partner/candidates",
        1,
        json!({"type": "drop_after_commit"}),
    );
    let sent = ureq::post(format!("{}/candidates", sb.api_base()))
        .header(
            "Authorization",
            &format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:"))
            ),
        )
        .header("On-Behalf-Of", ADMIN)
        .header("Content-Type", "application/json")
        .send(prospect("sprout:lost").to_string().as_bytes());
    assert!(sent.is_err(), "no answer: {sent:?}");
    let records = stored_candidates(&sb);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["sent"], prospect("sprout:lost"));
    let (status, found) = get(
        &sb,
        &As::Basic(ADMIN),
        &format!("/candidates?candidate_ids={}", records[0]["id"]),
    );
    assert_eq!(
        (status, found[0]["external_id"].as_str()),
        (200, Some("sprout:lost"))
    );
    assert_eq!(seen(&sb, "POST", "/v1/partner/candidates"), 2);
}
