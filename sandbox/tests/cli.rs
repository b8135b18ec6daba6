//! The `sprout-sandbox` binary as a person meets it: --help, the startup banner, --no-admin,
//! --state persistence and reproducible seeded data.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use clap::Parser;
use common::*;
use sprout::api::{ListJobs, ListProspectPools};
use sprout_sandbox::Config;

const BIN: &str = env!("CARGO_BIN_EXE_sprout-sandbox");

#[test]
fn help_documents_every_flag_and_the_admin_api() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--port",
        "--api-key",
        "--user",
        "--client-id",
        "--client-secret",
        "--redirect-uri",
        "--jobs",
        "--pools",
        "--token-ttl",
        "--seed",
        "--no-admin",
        "--state",
        "--dialect",
        "greenhouse",
        "seed",
        "--docs-examples",
        "/_sandbox/faults",
        "/_sandbox/candidates/ID",
        "drop_after_commit",
        "cut_after_commit",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}");
    }
}

#[test]
fn the_banner_prints_what_a_client_needs() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--dialect", "seed"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let lines: Vec<String> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .take_while(|l| !l.contains("Try: curl"))
        .collect();
    child.kill().unwrap();
    child.wait().unwrap();
    let banner = lines.join("\n");
    for needle in [
        "/v1/partner",
        "sandbox-partner-key",
        "recruiter@sprout.test",
        "basic@sprout.test",
        "role basic",
        "/oauth/authorize",
        "/oauth/token",
        "sprout-extension",
        "https://sprout-sandbox.chromiumapp.org/",
        "https://sprout-sandbox.extensions.allizom.org/",
        "12 jobs, 3 prospect pools",
        "Dialect               seed",
    ] {
        assert!(banner.contains(needle), "banner lacks {needle}:\n{banner}");
    }
}

#[test]
fn no_admin_hides_the_admin_api() {
    let sb = sandbox(&["--no-admin"]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let status = agent
        .get(format!("{}/_sandbox/state", sb.origin))
        .call()
        .unwrap()
        .status();
    assert_eq!(status, 404);
}

#[test]
fn seeded_data_is_reproducible_and_scales() {
    let waits = Waits::default();
    let fetch = |args: &[&str]| {
        let sb = sandbox(args);
        let c = client(&sb.api_base(), &waits);
        (
            run(c.call(&basic(ADMIN), &ListJobs)).unwrap(),
            run(c.call(&basic(ADMIN), &ListProspectPools)).unwrap(),
        )
    };
    let (jobs, pools) = fetch(&["--jobs", "20000", "--pools", "9", "--seed", "7"]);
    assert_eq!(jobs.len(), 20_000);
    assert_eq!(
        (jobs, pools.clone()),
        fetch(&["--jobs", "20000", "--pools", "9", "--seed", "7"])
    );
    for pool in &pools {
        assert!((3..=8).contains(&pool.stages.len()));
        let priorities: Vec<_> = pool.stages.iter().map(|s| s.priority.unwrap()).collect();
        assert!(priorities.windows(2).all(|w| w[0] < w[1]));
    }
    assert_ne!(fetch(&["--pools", "9", "--seed", "8"]).1, pools);
}

#[test]
fn state_file_keeps_candidates_between_runs() {
    let dir = std::env::temp_dir().join(format!("sprout-sandbox-state-{}", std::process::id()));
    let file = dir.with_extension("json");
    let _ = std::fs::remove_file(&file);
    let path = file.to_str().unwrap();
    let waits = Waits::default();
    let person = sprout::candidate::PartnerCandidate {
        external_id: "sprout:kept".into(),
        first_name: "K".into(),
        last_name: "P".into(),
        ..Default::default()
    };
    let id = {
        let sb = sandbox(&["--state", path]);
        run(client(&sb.api_base(), &waits).create_candidate(&basic(ADMIN), &person))
            .unwrap()
            .created
            .id
    };
    let sb = sandbox(&["--state", path]);
    let found = run(client(&sb.api_base(), &waits).call(
        &basic(ADMIN),
        &sprout::api::ListCandidates {
            external_ids: vec!["sprout:kept".into()],
            candidate_ids: vec![],
        },
    ))
    .unwrap();
    assert_eq!(found[0].id, id);
    std::fs::remove_file(&file).unwrap();
    assert!(Config::try_parse_from(["sprout-sandbox", "--user", "x@y.io:owner"]).is_err());
}
