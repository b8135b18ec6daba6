//! The `sprout-relay` binary as an operator runs it: its --help, its refusals to start, and
//! everything it writes to stderr during whole sign-ins at the most verbose log level, which must
//! hold no code, token or secret.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

use common::*;
use sprout::oauth;

const BIN: &str = env!("CARGO_BIN_EXE_sprout-relay");

/// The binary with none of the relay's variables inherited from whoever runs the tests.
fn relay_command() -> Command {
    let mut command = Command::new(BIN);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("SPROUT_RELAY_") {
            command.env_remove(name);
        }
    }
    command
}

#[test]
fn help_explains_each_flag_and_how_to_deploy() {
    let out = relay_command().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for words in [
        "--listen <ADDR>",
        "127.0.0.1:7400",
        "--token-url <URL>",
        "--client-id <ID>",
        "--client-secret-file <FILE>",
        "SPROUT_RELAY_CLIENT_SECRET",
        "never from a flag",
        "--allow-redirect <PREFIX>",
        "--upstream-timeout <SECONDS>",
        "/callback",
        "/token",
        "/healthz",
        "TLS-terminating",
        "relay/Dockerfile",
        "load balancer",
    ] {
        assert!(help.contains(words), "--help lacks {words:?}:\n{help}");
    }
    assert!(!help.contains("--client-secret <"), "no secret flag");
}

#[test]
fn it_refuses_to_start_without_what_it_needs() {
    let base = relay_args("https://api.greenhouse.io/oauth/token", &[]);
    let run = |command: &mut Command| {
        let out = command.output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stderr).unwrap()
    };
    let stderr = run(relay_command().args(&base[1..]));
    assert!(
        stderr.contains("no client secret: set SPROUT_RELAY_CLIENT_SECRET"),
        "{stderr}"
    );
    let stderr = run(relay_command().args(&base[1..]).args(["--client-secret", SECRET]));
    assert!(
        stderr.contains("unexpected argument '--client-secret'"),
        "{stderr}"
    );
    assert!(!stderr.contains(SECRET), "{stderr}");
    let plain = relay_args("http://api.greenhouse.io/oauth/token", &[]);
    let stderr = run(relay_command()
        .args(&plain[1..])
        .env("SPROUT_RELAY_CLIENT_SECRET", SECRET));
    assert!(stderr.contains("must be https"), "{stderr}");
    let stderr = run(relay_command()
        .args(&base[1..])
        .args(["--allow-redirect", "javascript:x"]));
    assert!(stderr.contains("is not https"), "{stderr}");
}

/// A relay binary that is up, with everything it writes to stderr.
struct Process {
    child: Child,
    origin: String,
    lines: mpsc::Receiver<String>,
    log: Vec<String>,
}

impl Process {
    /// Starts the binary and waits for its "listening" line; `Err` with its output if it exited.
    fn start(args: &[String]) -> Result<Process, String> {
        let mut child = relay_command()
            .args(&args[1..])
            .env("SPROUT_RELAY_CLIENT_SECRET", SECRET)
            .env("SPROUT_RELAY_LOG", "trace")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines() {
                if send.send(line.unwrap()).is_err() {
                    break;
                }
            }
        });
        let mut log = Vec::new();
        while let Ok(line) = lines.recv() {
            log.push(line.clone());
            if let Some(at) = line.find("listening on http://") {
                let origin = line[at + "listening on ".len()..]
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .to_owned();
                return Ok(Process {
                    child,
                    origin,
                    lines,
                    log,
                });
            }
        }
        let _ = child.wait();
        Err(log.join("\n"))
    }

    /// SIGTERM, as a container runtime stops it; everything it wrote until it exited.
    fn stop(mut self) -> Vec<String> {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        assert!(self.child.wait().unwrap().success(), "a clean exit on SIGTERM");
        self.log.extend(self.lines.iter());
        self.log
    }
}

#[test]
fn nothing_secret_reaches_the_log_or_an_answer() {
    // The sandbox must know the relay's callback URL before the relay starts, so the relay's port
    // is picked first; if someone takes it in between, the relay says so and we pick another.
    let (sandbox, relay) = (0..5)
        .find_map(|_| {
            let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = free.local_addr().unwrap().to_string();
            drop(free);
            let sandbox = sandbox(&format!("http://{addr}"), &[]);
            let token_url = format!("{}/oauth/token", sandbox.origin);
            match Process::start(&relay_args(&token_url, &["--listen", &addr])) {
                Ok(relay) => Some((sandbox, relay)),
                Err(log) if log.contains("in use") => None,
                Err(log) => panic!("the relay did not start:\n{log}"),
            }
        })
        .expect("a free port within five tries");
    let config = oauth_config(&sandbox.origin, &relay.origin);
    let mut answers = Vec::new();
    let mut secrets = vec![SECRET.to_owned(), VERIFIER.to_owned()];

    for round in 0..2 {
        let started = start(&config, &format!("n0nce{round}"), TARGET);
        let bounced = get(&consent(&started.authorize_url, "allow"));
        let code = oauth::parse_redirect(bounced.header("location").unwrap(), &started.state).unwrap();
        answers.push(bounced);
        let exchange = send(&oauth::authorization_code_request(&config, &code, VERIFIER));
        assert_eq!(exchange.status, 200, "{}", exchange.body);
        let tokens = oauth::interpret_token_response(&exchange.as_api_response(), 0).unwrap();
        let refreshed = send(&oauth::refresh_request(
            &config,
            tokens.refresh_token.as_deref().unwrap(),
        ));
        assert_eq!(refreshed.status, 200, "{}", refreshed.body);
        let renewed = oauth::interpret_token_response(&refreshed.as_api_response(), 0).unwrap();
        // A used code and a rotated refresh token: Greenhouse's refusals pass through the log too.
        let reused = send(&oauth::authorization_code_request(&config, &code, VERIFIER));
        assert_eq!(reused.status, 400);
        let stale = send(&oauth::refresh_request(
            &config,
            tokens.refresh_token.as_deref().unwrap(),
        ));
        assert_eq!(stale.status, 400);
        secrets.extend([code, tokens.access_token, renewed.access_token]);
        secrets.extend(tokens.refresh_token);
        secrets.extend(renewed.refresh_token);
        answers.extend([exchange, refreshed, reused, stale]);
    }
    // A refused callback that carries a code.
    let refused = get(&format!(
        "{}/callback?code=refused-c0de-77&state=n0nce.aHR0cHM6Ly9ldmlsLmV4YW1wbGUv",
        relay.origin
    ));
    assert_eq!(refused.status, 400);
    secrets.push("refused-c0de-77".into());
    answers.push(refused);

    let log = relay.stop();
    let log = log.join("\n");
    println!("{log}");
    for expected in [
        "listening on",
        "/callback",
        "/token",
        "token request forwarded",
        "callback refused",
        "shutting down",
    ] {
        assert!(
            log.contains(expected),
            "the log lacks {expected:?}: the capture works\n{log}"
        );
    }
    for secret in &secrets {
        assert!(!log.contains(secret.as_str()), "{secret:?} is in the log:\n{log}");
    }
    for answer in &answers {
        assert!(!answer.everything().contains(SECRET), "{}", answer.everything());
    }
}
