//! The core's Partner API client in the greenhouse dialect against a real `sprout-sandbox
//! --dialect greenhouse` over loopback HTTP: captures built as the popup builds them, stored in
//! Greenhouse's field names, read back by id, errors on the form's fields, and lost answers
//! reported as unknown instead of being looked up or resent.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use sprout::api::{
    ApiError, ApiRequest, Auth, CreateTrackingLink, Created, Dialect, GetCurrentUser, Landed, ListJobs,
    ListProspectPools, Operation, Transport,
};
use sprout::candidate::{
    Attachment, AttachmentType, PartnerCandidate, SocialMediaAddress, TrackingLinkRequest, TypedValue,
};
use sprout::capture::{Capture, Target, attach_url};
use sprout::outbox::LedgerEntry;
use sprout_sandbox::Running;

/// The recruiter: a two-word name, so `full_name` has something to say.
const GRACE: &str = "grace.hopper@sprout.test";
/// From `--docs-examples`: job 12345 "Auror" (public), 147886 "Caretaker" (no live post), pool
/// 123 whose stages are listed out of id order, pool 456 whose first stage is 1962.
const AUROR: u64 = 12345;
const CARETAKER: u64 = 147886;
const POOL: u64 = 123;
const OTHER_POOLS_STAGE: u64 = 1962;
const AUDIT: &str = "Captured by Sprout 0.1.0 from https://github.com/ghopper on 2026-11-30 01:00 UTC";

fn greenhouse(extra: &[&str]) -> Running {
    let mut args = vec!["--docs-examples", "--user", "grace.hopper@sprout.test:admin"];
    args.extend_from_slice(extra);
    sandbox_in("greenhouse", &args)
}

fn gh_client<'a>(sb: &Running, waits: &'a Waits) -> TestClient<'a> {
    client(&sb.api_base(), waits).with_dialect(Dialect::Greenhouse)
}

fn typed(value: &str, kind: &str) -> TypedValue {
    TypedValue {
        value: value.into(),
        kind: Some(kind.into()),
    }
}

fn link(value: &str) -> SocialMediaAddress {
    SocialMediaAddress { value: value.into() }
}

/// A person as the popup confirms her: typed emails and phones (one type Greenhouse has no word
/// for), two network profiles and three sites of her own, and a resume link.
fn grace(external_id: &str) -> PartnerCandidate {
    PartnerCandidate {
        external_id: external_id.into(),
        first_name: "Grace".into(),
        last_name: "Hopper".into(),
        company: Some("US Navy".into()),
        title: Some("Rear Admiral".into()),
        emails: vec![
            typed("grace@navy.example", "work"),
            typed("grace@home.example", "Personal"),
        ],
        phone_numbers: vec![
            typed("+1 202 555 0100", "mobile"),
            typed("+1 202 555 0101", "fax"),
        ],
        social_media_addresses: vec![
            link("https://github.com/ghopper"),
            link("https://grace.dev/"),
            link("https://x.com/ghopper"),
            link("https://grace.dev/blog/cobol"),
            link("https://grace.dev/portfolio"),
        ],
        attachments: vec![attach_url("https://grace.dev/cv.pdf", AttachmentType::Resume).unwrap()],
        ..Default::default()
    }
}

fn capture(person: PartnerCandidate, target: Target) -> Capture {
    Capture {
        connection_id: "c1".into(),
        person,
        target,
        target_label: "Cold Outreach: Referred".into(),
        page_url: "https://github.com/ghopper".into(),
        beside: vec![],
        note: String::new(),
        audit: AUDIT.into(),
    }
}

fn prospect_capture(external_id: &str, owner_id: Option<u64>) -> Capture {
    let mut c = capture(
        grace(external_id),
        Target::Prospect {
            pool_id: POOL,
            stage_id: Some(1958),
            owner_id,
            owner_email: Some(GRACE.into()),
        },
    );
    c.note = " Invented the compiler; open to advising. ".into();
    c.tidy()
}

fn job_capture(external_id: &str, job_id: u64) -> Capture {
    let person = PartnerCandidate {
        external_id: external_id.into(),
        first_name: "Grace".into(),
        last_name: "Hopper".into(),
        emails: vec![typed("grace@navy.example", "work")],
        attachments: vec![attach_url("https://grace.dev/cv.pdf", AttachmentType::Resume).unwrap()],
        ..Default::default()
    };
    capture(
        person,
        Target::Job {
            job_id,
            source_id: None,
            referrer_email: Some("katherine@nasa.example".into()),
            referrer_name: Some("Katherine Coleman Johnson".into()),
        },
    )
    .tidy()
}

/// The records the sandbox stored under `external_id`, with what was sent and what it made of it.
fn stored_under(sb: &Running, external_id: &str) -> Vec<Value> {
    stored(sb)["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["sent"]["external_id"] == external_id)
        .cloned()
        .collect()
}

/// The create answer Greenhouse's docs give, built from what the sandbox stored.
fn created_from(sb: &Running, record: &Value) -> Created {
    let id = record["id"].as_u64().unwrap();
    let application_id = record["application"]["application_id"].as_u64().unwrap();
    Created {
        id,
        application_id: Some(application_id),
        external_id: record["sent"]["external_id"].as_str().unwrap().into(),
        profile_url: Some(format!(
            "{}/people/{id}?application_id={application_id}",
            sb.origin
        )),
    }
}

/// One operation sent as the client would send it, answered raw.
fn raw<O: Operation>(sb: &Running, auth: &Auth, op: &O) -> Value {
    let request: ApiRequest = op.request(Dialect::Greenhouse, &sb.api_base(), auth);
    let response = run(Ureq::new(Duration::from_secs(5)).send(&request)).unwrap();
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).unwrap()
}

fn requests(sb: &Running) -> Vec<(String, String)> {
    stored(sb)["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap().to_owned(),
                r["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_operation_works_in_both_auth_modes() {
    let sb = greenhouse(&[]);
    let waits = Waits::default();
    let c = gh_client(&sb, &waits);
    let tokens = sign_in(&sb, &c, GRACE);
    let state = stored(&sb);
    let grace_id = state["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == GRACE)
        .unwrap()["id"]
        .as_u64();
    assert!(grace_id.is_some());
    for (mode, auth) in [
        ("basic", basic(GRACE)),
        ("bearer", Auth::bearer(&tokens.access_token)),
    ] {
        let me = run(c.call(&auth, &GetCurrentUser)).unwrap();
        assert_eq!(
            (me.id, me.name.as_str(), me.email.as_str()),
            (grace_id, "Grace Hopper", GRACE),
            "{mode}"
        );

        let jobs = run(c.call(&auth, &ListJobs)).unwrap();
        assert_eq!(
            jobs.len() as u64,
            state["jobs"].as_u64().unwrap(),
            "an admin sees all"
        );
        let job = |id: u64| jobs.iter().find(|j| j.id == id).unwrap();
        assert_eq!(
            (job(AUROR).name.as_str(), job(AUROR).public),
            ("Auror", Some(true))
        );
        assert_eq!(
            (job(CARETAKER).name.as_str(), job(CARETAKER).public),
            ("Caretaker", Some(false))
        );
        assert!(jobs.iter().all(|j| j.public.is_some()), "{mode}");
        assert!(jobs.iter().any(|j| j.public == Some(false) && j.id != CARETAKER));

        let pools = run(c.call(&auth, &ListProspectPools)).unwrap();
        let answered = raw(&sb, &auth, &ListProspectPools);
        let ids = |v: &Value| -> Vec<u64> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x["id"].as_u64().unwrap())
                .collect()
        };
        assert_eq!(pools.iter().map(|p| p.id).collect::<Vec<_>>(), ids(&answered));
        for (pool, answer) in pools.iter().zip(answered.as_array().unwrap()) {
            assert_eq!(
                pool.stages.iter().map(|s| s.id).collect::<Vec<_>>(),
                ids(&answer["stages"]),
                "stages in the order given"
            );
        }
        let referred = pools.iter().find(|p| p.id == POOL).unwrap();
        assert_eq!(
            referred
                .stages
                .iter()
                .map(|s| (s.id, s.name.as_str()))
                .collect::<Vec<_>>(),
            [
                (1957, "Not Contacted"),
                (1958, "Contacted"),
                (1959, "1st. Follow Up Sent"),
                (1960, "2nd Follow Up Sent"),
                (1961, "In Discussion"),
                (456, "Sourced"),
            ],
            "not sorted by id"
        );

        // A prospect, made owner of by email, with the audit line and the recruiter's note.
        let prospect_id = format!("sprout:{mode}:prospect");
        let prospect = prospect_capture(&prospect_id, me.id);
        assert_eq!(prospect.check_for(Dialect::Greenhouse.capabilities()), Ok(()));
        let submitted = run(c.create_candidate(&auth, prospect.to_create())).unwrap();
        let landed = stored_under(&sb, &prospect_id);
        assert_eq!(landed.len(), 1);
        assert_eq!(
            landed[0]["sent"],
            json!({
                "prospect": true,
                "first_name": "Grace",
                "last_name": "Hopper",
                "external_id": prospect_id,
                "company": "US Navy",
                "title": "Rear Admiral",
                "prospect_pool_id": 123,
                "prospect_pool_stage_id": 1958,
                "prospect_owner_email": GRACE,
                "emails": [
                    {"email": "grace@navy.example", "type": "work"},
                    {"email": "grace@home.example", "type": "personal"}
                ],
                "phone_numbers": [
                    {"phone_number": "+1 202 555 0100", "type": "mobile"},
                    {"phone_number": "+1 202 555 0101", "type": "other"}
                ],
                "social_media": [
                    {"url": "https://github.com/ghopper"},
                    {"url": "https://x.com/ghopper"}
                ],
                "websites": [
                    {"url": "https://grace.dev/", "type": "personal"},
                    {"url": "https://grace.dev/blog/cobol", "type": "blog"},
                    {"url": "https://grace.dev/portfolio", "type": "portfolio"}
                ],
                "resume": "https://grace.dev/cv.pdf",
                "notes": format!("{AUDIT}\n\nInvented the compiler; open to advising.")
            }),
            "{mode}: exactly what was sent"
        );
        assert_eq!(
            (landed[0]["auth"].as_str(), landed[0]["created_by"].as_str()),
            (Some(mode), Some(GRACE))
        );
        assert_eq!((submitted.landed, submitted.attempts), (Landed::Created, 1));
        assert_eq!(submitted.created, created_from(&sb, &landed[0]));

        // A candidate on a job, referred by someone Greenhouse creates from an email and a name.
        let candidate_id = format!("sprout:{mode}:candidate");
        let candidate = job_capture(&candidate_id, AUROR);
        assert_eq!(candidate.check_for(Dialect::Greenhouse.capabilities()), Ok(()));
        let on_job = run(c.create_candidate(&auth, candidate.to_create())).unwrap();
        let landed_on_job = stored_under(&sb, &candidate_id);
        assert_eq!(landed_on_job.len(), 1);
        assert_eq!(
            landed_on_job[0]["sent"],
            json!({
                "prospect": false,
                "first_name": "Grace",
                "last_name": "Hopper",
                "external_id": candidate_id,
                "job_id": 12345,
                "emails": [{"email": "grace@navy.example", "type": "work"}],
                "referrer": {
                    "email": "katherine@nasa.example",
                    "first_name": "Katherine",
                    "last_name": "Coleman Johnson"
                },
                "resume": "https://grace.dev/cv.pdf",
                "notes": AUDIT
            }),
            "{mode}: exactly what was sent"
        );
        assert_eq!(on_job.created, created_from(&sb, &landed_on_job[0]));
        assert_ne!(on_job.created.id, submitted.created.id);

        // Read back by the ids this browser knows, with where each one stands.
        let known = [submitted.created.id, on_job.created.id];
        let back = run(c.existing(&auth, &prospect_id, &known)).unwrap();
        assert_eq!(back.len(), 2, "{back:?}");
        let (p, j) = (&back[0], &back[1]);
        assert_eq!(
            (p.id, p.name.as_str(), p.external_id.as_str()),
            (submitted.created.id, "Grace Hopper", prospect_id.as_str())
        );
        let pa = &p.applications[0];
        assert_eq!(
            (pa.job.as_deref(), pa.stage.as_deref(), pa.status.as_deref()),
            (None, Some("Contacted"), Some("active")),
            "a prospect on no job, in the stage it was sent to"
        );
        assert_eq!(pa.id, submitted.created.application_id);
        assert_eq!(p.profile_url(), submitted.created.profile_url.as_deref());
        let ja = &j.applications[0];
        assert_eq!(
            (ja.job.as_deref(), ja.stage.as_deref(), ja.status.as_deref()),
            (Some("Auror"), Some("Application Review"), Some("active"))
        );
        assert_eq!(j.profile_url(), on_job.created.profile_url.as_deref());
        let from_server = stored(&sb);
        let stored_stage = from_server["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == p.id)
            .unwrap()["application"]["stage"]
            .clone();
        assert_eq!(stored_stage, "Contacted");

        // What the dialect cannot ask is not asked.
        assert!(run(c.others_under(&auth, &prospect_id, submitted.created.id, &[])).is_empty());
        assert_eq!(
            run(c.find_new(&auth, &prospect_id, &[]))
                .map_err(|e| matches!(e, ApiError::UnknownOutcome { .. })),
            Err(true)
        );

        let link = run(c.call(
            &auth,
            &CreateTrackingLink(TrackingLinkRequest {
                job_id: Some(AUROR),
                source_id: Some(7),
                external_id: Some("ignored".into()),
            }),
        ))
        .unwrap();
        assert!(link.url.starts_with(&format!("{}/t/", sb.origin)), "{}", link.url);
        assert_eq!(link.expires_at, None);
        let links = stored(&sb)["tracking_links"].clone();
        let last = links.as_array().unwrap().last().unwrap();
        assert_eq!(
            (&last["url"], &last["sent"], &last["created_by"]),
            (&json!(link.url), &json!({"job_id": AUROR}), &json!(GRACE)),
            "only job_id is sent"
        );
    }
    let log = requests(&sb);
    assert_eq!(
        log.iter()
            .filter(|(m, p)| m == "GET" && p == "/v1/partner/candidates")
            .count(),
        2,
        "one read-back per mode, nothing by external_id"
    );
    assert_eq!(stored(&sb)["tracking_links"].as_array().unwrap().len(), 2);
}

/// The fields of a refused create, as the popup receives them.
fn refused(c: &TestClient, auth: &Auth, capture: &Capture) -> Vec<String> {
    match run(c.create_candidate(auth, capture.to_create())).unwrap_err() {
        ApiError::Validation { status: 400, fields } => {
            fields.into_iter().map(|f| f.field.unwrap()).collect()
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn refusals_land_on_the_form_fields_the_popup_shows() {
    let sb = greenhouse(&[]);
    let waits = Waits::default();
    let c = gh_client(&sb, &waits);
    let auth = basic(GRACE);

    let mut bad_email = prospect_capture("sprout:x", None);
    bad_email.person.emails[1].value = "grace at home".into();
    assert_eq!(refused(&c, &auth, &bad_email), ["emails[1].value"]);

    let mut foreign_stage = prospect_capture("sprout:x", None);
    foreign_stage.target = Target::Prospect {
        pool_id: POOL,
        stage_id: Some(OTHER_POOLS_STAGE),
        owner_id: None,
        owner_email: None,
    };
    assert_eq!(refused(&c, &auth, &foreign_stage), ["prospect.prospect_stage_id"]);

    let mut no_pool = prospect_capture("sprout:x", None);
    no_pool.target = Target::Prospect {
        pool_id: 999_999,
        stage_id: None,
        owner_id: None,
        owner_email: Some("nobody@sprout.test".into()),
    };
    assert_eq!(
        refused(&c, &auth, &no_pool),
        ["prospect.prospect_pool_id", "prospect.prospect_owner_id"]
    );

    assert_eq!(
        refused(&c, &auth, &job_capture("sprout:x", 999_999)),
        ["application.job_id"]
    );

    let mut bad_referrer = job_capture("sprout:x", AUROR);
    bad_referrer.target = Target::Job {
        job_id: AUROR,
        source_id: None,
        referrer_email: Some("katherine@nasa".into()),
        referrer_name: Some("Katherine Johnson".into()),
    };
    assert_eq!(refused(&c, &auth, &bad_referrer), ["application.referrer.value"]);

    // Links are split into two lists on the wire; a refusal names the row of the form's one list.
    // The blank site is websites[0] on the wire and the fourth link the recruiter sees.
    let mut blank_site = prospect_capture("sprout:x", None);
    blank_site.person.social_media_addresses = vec![
        link("https://github.com/ghopper"),
        link("https://x.com/ghopper"),
        link("https://mastodon.social/@grace"),
        link(" "),
    ];
    blank_site.person.attachments = vec![Attachment {
        kind: Some(AttachmentType::Resume),
        url: Some("ftp://grace.dev/cv.pdf".into()),
        ..Default::default()
    }];
    assert_eq!(
        refused(&c, &auth, &blank_site),
        ["attachments[0]", "social_media_addresses[3].value"]
    );

    assert!(
        stored_under(&sb, "sprout:x").is_empty(),
        "nothing refused was stored"
    );
    assert_eq!(
        requests(&sb).len(),
        6,
        "each refusal came from the server, once: a 400 is not retried"
    );
}

/// A create whose answer is lost in the way `fault` loses it.
fn lost(fault_body: Value) -> (Running, ApiError, Vec<Duration>) {
    let sb = greenhouse(&[]);
    let waits = Waits::default();
    let c = gh_client(&sb, &waits);
    fault(&sb, "POST", "/v1/partner/candidates", 1, fault_body);
    let e = run(c.create_candidate(&basic(GRACE), prospect_capture("sprout:lost", None).to_create()))
        .unwrap_err();
    let slept = waits.0.borrow().clone();
    (sb, e, slept)
}

#[test]
fn a_lost_answer_is_an_unknown_outcome_never_looked_up_or_resent() {
    for (fault_body, landed) in [
        (json!({"type": "drop_after_commit"}), 1),
        (json!({"type": "cut_after_commit"}), 1),
        (json!({"type": "status", "status": 500}), 0),
    ] {
        let (sb, e, slept) = lost(fault_body.clone());
        assert!(
            matches!(e, ApiError::UnknownOutcome { .. }),
            "{fault_body}: {e:?}"
        );
        assert!(!e.recruiter_message().is_empty() && !e.next_step().is_empty());
        assert_eq!(
            requests(&sb),
            [("POST".to_owned(), "/v1/partner/candidates".to_owned())],
            "{fault_body}: one create, no look-up, no resend"
        );
        assert_eq!(stored_under(&sb, "sprout:lost").len(), landed, "{fault_body}");
        assert!(
            slept.is_empty(),
            "{fault_body}: no wait for a look-up it cannot make: {slept:?}"
        );
    }
}

#[test]
fn a_rate_limited_create_is_sent_again_and_lands_once() {
    let sb = greenhouse(&[]);
    let waits = Waits::default();
    let c = gh_client(&sb, &waits);
    fault(
        &sb,
        "POST",
        "/v1/partner/candidates",
        1,
        json!({"type": "rate_limit", "retry_after": 2}),
    );
    let s = run(c.create_candidate(&basic(GRACE), job_capture("sprout:429", AUROR).to_create())).unwrap();
    assert_eq!((s.landed, s.attempts), (Landed::Created, 2));
    assert_eq!(
        waits.0.borrow()[..],
        [Duration::from_secs(2)],
        "Retry-After honoured"
    );
    let landed = stored_under(&sb, "sprout:429");
    assert_eq!(landed.len(), 1);
    assert_eq!(s.created, created_from(&sb, &landed[0]));
    assert_eq!(
        requests(&sb),
        [
            ("POST".to_owned(), "/v1/partner/candidates".to_owned()),
            ("POST".to_owned(), "/v1/partner/candidates".to_owned())
        ]
    );
}

#[test]
fn a_basic_role_creates_on_public_jobs_but_cannot_read_back_or_link() {
    let sb = greenhouse(&[]);
    let waits = Waits::default();
    let c = gh_client(&sb, &waits);
    let bob = basic(BASIC);
    let jobs = run(c.call(&bob, &ListJobs)).unwrap();
    assert!(!jobs.is_empty() && jobs.iter().all(|j| j.public == Some(true)));
    assert!(jobs.iter().any(|j| j.id == AUROR) && !jobs.iter().any(|j| j.id == CARETAKER));
    assert!((jobs.len() as u64) < stored(&sb)["jobs"].as_u64().unwrap());

    let s = run(c.create_candidate(&bob, prospect_capture("sprout:bob", None).to_create())).unwrap();
    let landed = stored_under(&sb, "sprout:bob");
    assert_eq!(landed.len(), 1);
    assert_eq!(
        (landed[0]["created_by"].as_str(), landed[0]["auth"].as_str()),
        (Some(BASIC), Some("basic"))
    );
    assert_eq!(s.created, created_from(&sb, &landed[0]));
    let on_job = run(c.create_candidate(&bob, job_capture("sprout:bob", AUROR).to_create())).unwrap();

    let e = run(c.existing(&bob, "sprout:bob", &[s.created.id, on_job.created.id])).unwrap_err();
    assert!(matches!(e, ApiError::Forbidden { .. }), "{e:?}");
    let e = run(c.call(
        &bob,
        &CreateTrackingLink(TrackingLinkRequest {
            job_id: Some(AUROR),
            ..Default::default()
        }),
    ))
    .unwrap_err();
    assert!(matches!(e, ApiError::Forbidden { .. }), "{e:?}");
    assert_eq!(
        refused(&c, &bob, &job_capture("sprout:bob-private", CARETAKER)),
        ["application.job_id"],
        "a job without a live post is not one a Basic user can see"
    );
    assert!(waits.0.borrow().is_empty(), "403 and 400 are not retried");
}

#[test]
fn records_gone_from_greenhouse_are_left_out_and_marked_gone_in_the_ledger() {
    let sb = greenhouse(&[]);
    let waits = Waits::default();
    let c = gh_client(&sb, &waits);
    let auth = basic(GRACE);
    let external_id = "sprout:ghopper";
    let first = run(c.create_candidate(&auth, prospect_capture(external_id, None).to_create())).unwrap();
    // The recruiter confirmed a second record beside the first.
    let second = run(c.create_candidate_beside(
        &auth,
        job_capture(external_id, AUROR).to_create(),
        &[first.created.id],
    ))
    .unwrap();
    let third = run(c.create_candidate(&auth, job_capture(external_id, AUROR).to_create())).unwrap();
    // A record of the same person that a colleague created: Grace may not see it.
    let colleagues =
        run(c.create_candidate(&basic(ADMIN), job_capture(external_id, AUROR).to_create())).unwrap();

    let moved = admin(
        &sb,
        "POST",
        &format!("/candidates/{}", first.created.id),
        json!({"stage": "In Discussion"}),
    );
    assert_eq!(moved["stage"], "In Discussion");
    let rejected = admin(
        &sb,
        "POST",
        &format!("/candidates/{}", third.created.id),
        json!({"status": "rejected"}),
    );
    assert_eq!(rejected["status"], "rejected");
    let hidden = admin(
        &sb,
        "POST",
        &format!("/candidates/{}", second.created.id),
        json!({"hidden": true}),
    );
    assert_eq!(hidden["hidden"], true);

    let deliveries = [&first, &second, &third, &colleagues];
    let known: Vec<u64> = deliveries.iter().map(|s| s.created.id).collect();
    let found = run(c.existing(&auth, external_id, &known)).unwrap();
    assert_eq!(
        found.iter().map(|r| r.id).collect::<Vec<_>>(),
        [first.created.id, third.created.id],
        "hidden and a colleague's left out"
    );
    assert_eq!(found[0].applications[0].stage.as_deref(), Some("In Discussion"));
    assert_eq!(found[1].applications[0].status.as_deref(), Some("rejected"));

    let ledger: Vec<LedgerEntry> = deliveries
        .iter()
        .zip(1..)
        .map(|(s, at)| LedgerEntry {
            connection_id: "c1".into(),
            external_id: external_id.into(),
            candidate_id: s.created.id,
            name: "Grace Hopper".into(),
            link: s.created.profile_url.clone().unwrap(),
            target_label: "somewhere".into(),
            at_ms: at,
        })
        .collect();
    let fallback = |id: u64| format!("{}/people/{id}", sb.origin);
    let asked_by_id = !c.dialect().capabilities().lookup_by_external_id;
    let merged = sprout::duplicates::merge(ledger, Some(found), asked_by_id, fallback);
    assert_eq!(
        merged
            .iter()
            .map(|m| (m.candidate_id, m.gone, m.from_ledger))
            .collect::<Vec<_>>(),
        [
            (first.created.id, false, true),
            (second.created.id, true, true),
            (third.created.id, false, true),
            (colleagues.created.id, true, true),
        ]
    );
    assert_eq!(Some(&merged[0].link), first.created.profile_url.as_ref());
    assert_eq!(merged[0].applications[0].stage.as_deref(), Some("In Discussion"));
    assert!(merged[1].applications.is_empty());
    assert_eq!(merged[1].link, fallback(second.created.id));

    // Shown again, the hidden record is back.
    admin(
        &sb,
        "POST",
        &format!("/candidates/{}", second.created.id),
        json!({"hidden": false}),
    );
    let again = run(c.existing(&auth, external_id, &known)).unwrap();
    assert_eq!(again.len(), 3);
}
