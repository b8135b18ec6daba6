//! The core's Partner API client against a real sandbox over loopback HTTP: every operation in
//! both auth modes, every error class, retries, and creates whose outcome is unknown.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use sprout::api::{
    ApiError, ApiRequest, Auth, CreateCandidate, CreateTrackingLink, GetCurrentUser, Landed, ListCandidates,
    ListJobs, ListProspectPools, Method, Transport,
};
use sprout::candidate::{
    Application, Attachment, AttachmentType, PartnerCandidate, Prospect, TrackingLinkRequest, TypedValue,
};

fn person(external_id: &str) -> PartnerCandidate {
    PartnerCandidate {
        external_id: external_id.into(),
        first_name: "Grace".into(),
        last_name: "Hopper".into(),
        company: Some("Navy".into()),
        emails: vec![TypedValue {
            value: "grace@example.com".into(),
            kind: Some("work".into()),
        }],
        attachments: vec![Attachment {
            kind: Some(AttachmentType::Resume),
            url: Some("https://example.com/cv.pdf".into()),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn candidates_with(sandbox: &sprout_sandbox::Running, external_id: &str) -> Vec<Value> {
    stored(sandbox)["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["candidate"]["external_id"] == external_id)
        .cloned()
        .collect()
}

#[test]
fn every_operation_works_in_both_auth_modes() {
    let sb = sandbox(&["--jobs", "30", "--pools", "4"]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    let tokens = sign_in(&sb, &c, ADMIN);
    for (mode, auth) in [
        ("basic", basic(ADMIN)),
        ("bearer", Auth::bearer(&tokens.access_token)),
    ] {
        let me = run(c.call(&auth, &GetCurrentUser)).unwrap();
        assert_eq!((me.email.as_str(), me.name.as_str()), (ADMIN, "Ada"), "{mode}");
        let jobs = run(c.call(&auth, &ListJobs)).unwrap();
        assert_eq!(jobs.len(), 30);
        assert!(
            jobs.iter()
                .all(|j| !j.name.is_empty() && !j.departments.is_empty() && !j.offices.is_empty())
        );
        let pools = run(c.call(&auth, &ListProspectPools)).unwrap();
        assert_eq!(pools.len(), 4);
        let (pool, stage) = (&pools[1], &pools[1].stages[2]);

        let mut candidate = person(&format!("sprout:{mode}"));
        candidate.application = Some(Application {
            job_id: Some(jobs[3].id),
            ..Default::default()
        });
        candidate.prospect = Some(Prospect {
            prospect_pool_id: Some(pool.id),
            prospect_stage_id: Some(stage.id),
            prospect_owner_id: me.id,
        });
        let submitted = run(c.create_candidate(&auth, &candidate)).unwrap();
        assert_eq!(submitted.landed, Landed::Created);
        let id = submitted.created.id;

        let by_external = run(c.call(
            &auth,
            &ListCandidates {
                external_ids: vec![candidate.external_id.clone()],
                candidate_ids: vec![],
            },
        ))
        .unwrap();
        let by_id = run(c.call(
            &auth,
            &ListCandidates {
                external_ids: vec![],
                candidate_ids: vec![id, 1],
            },
        ))
        .unwrap();
        assert_eq!(by_external, by_id);
        assert_eq!(by_external.len(), 1);
        assert_eq!(
            (by_external[0].id, by_external[0].name.as_str()),
            (id, "Grace Hopper")
        );

        let link = run(c.call(
            &auth,
            &CreateTrackingLink(TrackingLinkRequest {
                job_id: Some(jobs[0].id),
                ..Default::default()
            }),
        ))
        .unwrap();
        assert!(link.url.starts_with(&sb.origin), "{}", link.url);
        assert!(link.expires_at.is_some());

        let landed = candidates_with(&sb, &candidate.external_id);
        assert_eq!(landed.len(), 1);
        assert_eq!(landed[0]["auth"], mode);
        assert_eq!(landed[0]["created_by"], ADMIN);
        assert_eq!(
            landed[0]["sent"],
            serde_json::to_value(&candidate).unwrap(),
            "exactly what was sent"
        );
    }
    assert_eq!(stored(&sb)["tracking_links"].as_array().unwrap().len(), 2);
}

#[test]
fn authentication_failures_are_unauthenticated() {
    let sb = sandbox(&[]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    for auth in [
        Auth::basic("wrong-key", ADMIN),
        Auth::basic(KEY, "nobody@sprout.test"),
        Auth::basic(KEY, ""),
        Auth::bearer("made-up"),
    ] {
        let e = run(c.call(&auth, &ListJobs)).unwrap_err();
        assert!(matches!(e, ApiError::Unauthenticated { .. }), "{auth:?}: {e:?}");
    }
    assert!(waits.0.borrow().is_empty(), "401 is not retried");
}

#[test]
fn a_basic_role_can_create_but_not_read_back_or_link() {
    let sb = sandbox(&[]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    let bob = basic(BASIC);
    assert_eq!(run(c.call(&bob, &ListJobs)).unwrap().len(), 12);
    run(c.call(&bob, &ListProspectPools)).unwrap();
    assert_eq!(
        run(c.create_candidate(&bob, &person("sprout:bob")))
            .unwrap()
            .landed,
        Landed::Created
    );
    let e = run(c.call(
        &bob,
        &ListCandidates {
            external_ids: vec!["sprout:bob".into()],
            candidate_ids: vec![],
        },
    ))
    .unwrap_err();
    assert!(matches!(e, ApiError::Forbidden { .. }), "{e:?}");
    let e = run(c.call(&bob, &CreateTrackingLink::default())).unwrap_err();
    assert!(matches!(e, ApiError::Forbidden { .. }), "{e:?}");
    assert!(!e.recruiter_message().is_empty() && !e.next_step().is_empty());
}

#[test]
fn invalid_input_is_rejected_with_fields() {
    let sb = sandbox(&["--pools", "2"]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    let auth = basic(ADMIN);
    let pools = run(c.call(&auth, &ListProspectPools)).unwrap();
    let fields = |candidate: PartnerCandidate| -> Vec<String> {
        match run(c.create_candidate(&auth, &candidate)).unwrap_err() {
            ApiError::Validation { status: 422, fields } => {
                fields.into_iter().map(|f| f.field.unwrap()).collect()
            }
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        fields(PartnerCandidate::default()),
        ["external_id", "first_name", "last_name"]
    );
    let mut c1 = person("x");
    c1.application = Some(Application {
        job_id: Some(1),
        ..Default::default()
    });
    assert_eq!(fields(c1), ["application.job_id"]);
    let mut c2 = person("x");
    c2.prospect = Some(Prospect {
        prospect_pool_id: Some(pools[0].id),
        prospect_stage_id: Some(pools[1].stages[0].id),
        prospect_owner_id: None,
    });
    assert_eq!(fields(c2), ["prospect.prospect_stage_id"]);
    let mut c3 = person("x");
    c3.prospect = Some(Prospect {
        prospect_pool_id: Some(999),
        ..Default::default()
    });
    c3.emails[0].value = "not-an-email".into();
    c3.attachments[0].url = Some("no url".into());
    assert_eq!(
        fields(c3),
        [
            "emails[0].value",
            "prospect.prospect_pool_id",
            "attachments[0].url"
        ]
    );
    let e = run(c.call(
        &auth,
        &CreateTrackingLink(TrackingLinkRequest {
            job_id: Some(5),
            ..Default::default()
        }),
    ))
    .unwrap_err();
    assert_eq!(e.field_messages()[0].field.as_deref(), Some("job_id"));

    // What the typed client cannot produce, sent raw: an attachment type outside the enum, bad JSON.
    let raw = |body: &str| {
        let mut request = CreateCandidate::from(&person("raw")).request_for(&sb.api_base(), &auth);
        request.body = Some(body.into());
        let response = run(Ureq::new(Duration::from_secs(5)).send(&request)).unwrap();
        ApiError::from_response(&response)
    };
    let e = raw(
        r#"{"external_id":"r","first_name":"A","last_name":"B","attachments":[{"type":"photo","content":"aGk="}]}"#,
    );
    assert_eq!(
        e.field_messages()[0].field.as_deref(),
        Some("attachments[0].type")
    );
    assert!(matches!(
        raw("{not json"),
        ApiError::Validation { status: 400, .. }
    ));
    assert!(
        candidates_with(&sb, "x").is_empty() && candidates_with(&sb, "r").is_empty(),
        "nothing invalid stored"
    );
}

/// Builds a request without going through the client, for the raw cases above.
trait RequestFor {
    fn request_for(&self, base: &str, auth: &Auth) -> ApiRequest;
}
impl<O: sprout::api::Operation> RequestFor for O {
    fn request_for(&self, base: &str, auth: &Auth) -> ApiRequest {
        self.request(sprout::api::Dialect::Seed, base, auth)
    }
}

#[test]
fn not_found_network_and_malformed_responses_classify() {
    let sb = sandbox(&[]);
    let waits = Waits::default();
    let auth = basic(ADMIN);
    let wrong_path = client(&format!("{}/v2/partner", sb.origin), &waits);
    assert!(matches!(
        run(wrong_path.call(&auth, &ListJobs)),
        Err(ApiError::NotFound { .. })
    ));
    // /t/{token} answers 200 with HTML: not what /current_user promises.
    let html = client(&format!("{}/t", sb.origin), &waits);
    assert!(matches!(
        run(html.call(&auth, &GetCurrentUser)),
        Err(ApiError::MalformedResponse { status: 200, .. })
    ));

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let offline = client(&format!("http://127.0.0.1:{port}/v1/partner"), &waits);
    let before = waits.0.borrow().len();
    assert!(matches!(
        run(offline.call(&auth, &ListJobs)),
        Err(ApiError::Network { .. })
    ));
    assert_eq!(
        waits.0.borrow().len() - before,
        3,
        "retried up to the policy's attempts"
    );
}

#[test]
fn gets_retry_through_429_and_5xx_honouring_retry_after() {
    let sb = sandbox(&[]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    fault(
        &sb,
        "GET",
        "/v1/partner/jobs",
        1,
        json!({"type": "rate_limit", "retry_after": 2}),
    );
    fault(
        &sb,
        "GET",
        "/v1/partner/jobs",
        1,
        json!({"type": "status", "status": 503}),
    );
    fault(
        &sb,
        "GET",
        "/v1/partner/jobs",
        1,
        json!({"type": "status", "status": 500}),
    );
    assert_eq!(run(c.call(&basic(ADMIN), &ListJobs)).unwrap().len(), 12);
    let w = waits.0.borrow().clone();
    assert_eq!(w[0], Duration::from_secs(2), "Retry-After honoured");
    assert!(
        w[1] >= Duration::from_millis(200) && w[1] < Duration::from_millis(400),
        "{w:?}"
    );
    assert!(
        w[2] >= Duration::from_millis(400) && w[2] < Duration::from_millis(800),
        "backoff doubles: {w:?}"
    );
    assert_eq!(seen(&sb, "GET", "/v1/partner/jobs"), 4);
}

#[test]
fn persistent_failures_end_as_rate_limited_or_server_errors() {
    let sb = sandbox(&[]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    fault(
        &sb,
        "GET",
        "/v1/partner/prospect_pools",
        10,
        json!({"type": "rate_limit", "retry_after": 1}),
    );
    let e = run(c.call(&basic(ADMIN), &ListProspectPools)).unwrap_err();
    assert_eq!(
        e,
        ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(1))
        }
    );
    fault(
        &sb,
        "GET",
        "/v1/partner/current_user",
        10,
        json!({"type": "status", "status": 502}),
    );
    assert_eq!(
        run(c.call(&basic(ADMIN), &GetCurrentUser)).unwrap_err(),
        ApiError::Server { status: 502 }
    );
    assert_eq!(seen(&sb, "GET", "/v1/partner/current_user"), 4);
    // Beyond the policy's cap, Retry-After ends the retries at once.
    fault(
        &sb,
        "GET",
        "/v1/partner/jobs",
        1,
        json!({"type": "rate_limit", "retry_after": 600}),
    );
    assert!(matches!(
        run(c.call(&basic(ADMIN), &ListJobs)),
        Err(ApiError::RateLimited { .. })
    ));
    assert_eq!(seen(&sb, "GET", "/v1/partner/jobs"), 1);
}

#[test]
fn a_rate_limited_create_is_sent_again_and_lands_once() {
    let sb = sandbox(&[]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    fault(
        &sb,
        "POST",
        "/v1/partner/candidates",
        1,
        json!({"type": "rate_limit", "retry_after": 1}),
    );
    let s = run(c.create_candidate(&basic(ADMIN), &person("sprout:429"))).unwrap();
    assert_eq!((s.landed, s.attempts), (Landed::Created, 2));
    assert_eq!(candidates_with(&sb, "sprout:429").len(), 1);
}

#[test]
fn a_create_that_landed_without_an_answer_is_found_not_duplicated() {
    let sb = sandbox(&[]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    fault(
        &sb,
        "POST",
        "/v1/partner/candidates",
        1,
        json!({"type": "drop_after_commit"}),
    );
    let s = run(c.create_candidate(&basic(ADMIN), &person("sprout:dropped"))).unwrap();
    assert_eq!((s.landed, s.attempts), (Landed::FoundAfterUnknownOutcome, 1));
    assert!(s.created.id > 0);
    assert_eq!(candidates_with(&sb, "sprout:dropped").len(), 1, "no duplicate");
    assert_eq!(seen(&sb, "POST", "/v1/partner/candidates"), 1, "never re-sent");
    assert_eq!(
        seen(&sb, "GET", "/v1/partner/candidates"),
        2,
        "listed before sending, checked once"
    );
}

#[test]
fn a_create_whose_answer_is_cut_off_is_found_not_duplicated() {
    let sb = sandbox(&[]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    fault(
        &sb,
        "POST",
        "/v1/partner/candidates",
        1,
        json!({"type": "cut_after_commit"}),
    );
    let s = run(c.create_candidate(&basic(ADMIN), &person("sprout:cut"))).unwrap();
    assert_eq!((s.landed, s.attempts), (Landed::FoundAfterUnknownOutcome, 1));
    assert_eq!(candidates_with(&sb, "sprout:cut").len(), 1, "no duplicate");
    assert_eq!(seen(&sb, "POST", "/v1/partner/candidates"), 1, "never re-sent");
}

#[test]
fn a_create_lost_before_processing_is_checked_then_sent_again() {
    let sb = sandbox(&[]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    fault(&sb, "POST", "/v1/partner/candidates", 1, json!({"type": "drop"}));
    fault(
        &sb,
        "POST",
        "/v1/partner/candidates",
        1,
        json!({"type": "status", "status": 500}),
    );
    let s = run(c.create_candidate(&Auth::basic(KEY, ADMIN), &person("sprout:lost"))).unwrap();
    assert_eq!((s.landed, s.attempts), (Landed::Created, 3));
    assert_eq!(candidates_with(&sb, "sprout:lost").len(), 1);
    assert_eq!(
        seen(&sb, "GET", "/v1/partner/candidates"),
        3,
        "listed before sending, then one check per unclear attempt"
    );
}

#[test]
fn an_older_record_under_the_same_external_id_is_never_taken_as_this_submits_outcome() {
    let sb = sandbox(&[]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    // Someone else is stored under this external_id already: a page that links their profile
    // makes a capture carry their id, and nobody confirmed a second record.
    let old = run(c.create_candidate(&basic(ADMIN), &person("sprout:claimed")))
        .unwrap()
        .created
        .id;
    // This create is lost before the server stores it: the look-up finds only the old record,
    // which must not count, so the create is sent again and lands as a record of its own.
    fault(&sb, "POST", "/v1/partner/candidates", 1, json!({"type": "drop"}));
    let s = run(c.create_candidate(&basic(ADMIN), &person("sprout:claimed"))).unwrap();
    assert_eq!(s.landed, Landed::Created);
    assert_ne!(s.created.id, old);
    // And one that lands without an answer is confirmed by its own record, not the old one.
    fault(
        &sb,
        "POST",
        "/v1/partner/candidates",
        1,
        json!({"type": "drop_after_commit"}),
    );
    let t = run(c.create_candidate(&basic(ADMIN), &person("sprout:claimed"))).unwrap();
    assert_eq!(t.landed, Landed::FoundAfterUnknownOutcome);
    assert!(![old, s.created.id].contains(&t.created.id), "{t:?}");
    assert_eq!(candidates_with(&sb, "sprout:claimed").len(), 3);
}

#[test]
fn a_create_that_cannot_be_checked_reports_an_unknown_outcome() {
    let sb = sandbox(&[]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    fault(
        &sb,
        "POST",
        "/v1/partner/candidates",
        1,
        json!({"type": "drop_after_commit"}),
    );
    // A basic user may not read candidates back, so the check is impossible.
    let e = run(c.create_candidate(&basic(BASIC), &person("sprout:unclear"))).unwrap_err();
    assert!(matches!(e, ApiError::UnknownOutcome { .. }), "{e:?}");
    assert!(e.next_step().contains("before submitting again"));
    assert_eq!(
        seen(&sb, "POST", "/v1/partner/candidates"),
        1,
        "not re-sent blindly"
    );
    assert_eq!(candidates_with(&sb, "sprout:unclear").len(), 1);
}

#[test]
fn a_slow_answer_past_the_client_timeout_is_resolved_without_a_duplicate() {
    let sb = sandbox(&[]);
    let waits = Waits::default();
    // The client gives up after 150 ms; the server commits at 300 ms; the check waits the
    // settle delay (40 s, slept as 400 ms by the scaled sleeper) and so sees the commit.
    let policy = sprout::api::RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_secs(60),
        settle_delay: Duration::from_secs(40),
    };
    let impatient = sprout::api::Client::new(
        sb.api_base(),
        Ureq::new(Duration::from_millis(150)),
        SystemClock,
        &waits,
        OsEntropy,
    )
    .with_policy(policy);
    fault(
        &sb,
        "POST",
        "/v1/partner/candidates",
        1,
        json!({"type": "delay", "ms": 300}),
    );
    let s = run(impatient.create_candidate(&basic(ADMIN), &person("sprout:slow"))).unwrap();
    assert_eq!(s.landed, Landed::FoundAfterUnknownOutcome);
    assert_eq!(waits.0.borrow()[0], Duration::from_secs(40));
    assert_eq!(candidates_with(&sb, "sprout:slow").len(), 1);
}

#[test]
fn concurrent_creates_are_all_stored_with_distinct_ids() {
    let sb = sandbox(&[]);
    let base = sb.api_base();
    let ids: Vec<u64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let base = base.clone();
                s.spawn(move || {
                    let waits = Waits::default();
                    let c = client(&base, &waits);
                    run(c.create_candidate(&basic(ADMIN), &person(&format!("sprout:par{i}"))))
                        .unwrap()
                        .created
                        .id
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let distinct: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), 8);
    assert_eq!(stored(&sb)["candidates"].as_array().unwrap().len(), 8);
}

#[test]
fn raw_requests_use_the_contract_headers() {
    // Basic sends the key as username with an empty password, plus On-Behalf-Of: the sandbox
    // accepts exactly that and nothing else.
    let sb = sandbox(&[]);
    let t = Ureq::new(Duration::from_secs(5));
    let mut r = GetCurrentUser.request_for(&sb.api_base(), &basic(ADMIN));
    assert_eq!(run(t.send(&r)).unwrap().status, 200);
    r.headers.retain(|(k, _)| k != "On-Behalf-Of");
    assert_eq!(run(t.send(&r)).unwrap().status, 401);
    assert_eq!(r.method, Method::Get);
}
