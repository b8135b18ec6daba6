//! The `sprout-relay` binary: check flags and secret, log to stderr, serve until Ctrl-C or SIGTERM.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use sprout_relay::{Config, Relay, SECRET_ENV, serve};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

fn main() -> ExitCode {
    let config = Config::parse();
    let filter: Targets = match std::env::var("SPROUT_RELAY_LOG") {
        Ok(spec) => match spec.parse() {
            Ok(filter) => filter,
            Err(e) => return fail(&format!("SPROUT_RELAY_LOG {spec:?}: {e}")),
        },
        Err(_) => "sprout_relay=info,warn".parse().expect("valid default filter"),
    };
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(std::io::stderr().is_terminal()),
        )
        .with(filter)
        .init();
    let secret = match std::env::var(SECRET_ENV) {
        Ok(secret) => Some(secret),
        Err(std::env::VarError::NotPresent) => None,
        Err(std::env::VarError::NotUnicode(_)) => return fail(&format!("{SECRET_ENV} is not UTF-8")),
    };
    let settings = match config.settings(secret) {
        Ok(settings) => settings,
        Err(e) => return fail(&e),
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => return fail(&e.to_string()),
    };
    let result = runtime.block_on(async {
        let relay = Relay::new(settings)?;
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        tracing::info!(
            "listening on http://{} (token URL {}, {} redirect prefixes)",
            listener.local_addr()?,
            relay.settings.token_url,
            relay.settings.allow.0.len()
        );
        serve(listener, relay, shutdown_signal()).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("sprout-relay: {message}");
    ExitCode::from(2)
}

/// Ctrl-C, or SIGTERM from a container runtime or service manager.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    tracing::info!("shutting down");
}
