//! Routes, the request log (method, path, status, time: never a query, which may hold a code),
//! serving until shutdown, and a background-thread runner for tests.

use std::io;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{Next, from_fn};
use axum::response::Response;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::config::Settings;
use crate::{callback, start, token};

/// What every request may use: the settings and one pooled upstream client.
pub struct Relay {
    pub settings: Settings,
    pub http: reqwest::Client,
}

impl Relay {
    pub fn new(settings: Settings) -> io::Result<Relay> {
        let http = reqwest::Client::builder()
            // The secret goes to --token-url and nowhere else, not even where it redirects.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(settings.upstream_timeout)
            .timeout(settings.upstream_timeout)
            .user_agent(concat!("sprout-relay/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(io::Error::other)?;
        Ok(Relay { settings, http })
    }
}

pub fn router(relay: Arc<Relay>) -> Router {
    Router::new()
        .route("/callback", get(callback::callback))
        .route("/token", post(token::token))
        .route("/start", get(start::start))
        .route("/healthz", get(|| async { "ok\n" }))
        .layer(from_fn(log_request))
        .with_state(relay)
}

async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status();
    let elapsed_ms = started.elapsed().as_millis() as u64;
    if status == StatusCode::NOT_FOUND {
        // Scanners probe every path; do not echo what they asked for.
        tracing::debug!(%method, status = status.as_u16(), elapsed_ms, "unknown path");
    } else {
        tracing::info!(%method, path, status = status.as_u16(), elapsed_ms, "request");
    }
    response
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    relay: Relay,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(listener, router(Arc::new(relay)))
        .with_graceful_shutdown(shutdown)
        .await
}

/// A relay serving on its own thread, stopped when dropped.
pub struct Running {
    /// `http://127.0.0.1:PORT`.
    pub origin: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

/// Serves on an already bound listener (so a test can register the relay's callback URL with the
/// upstream before the relay knows the upstream's token URL).
pub fn spawn(listener: std::net::TcpListener, settings: Settings) -> io::Result<Running> {
    let origin = format!("http://{}", listener.local_addr()?);
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let listener = {
        let _entered = runtime.enter();
        TcpListener::from_std(listener)?
    };
    let relay = Relay::new(settings)?;
    let (stop, stopped) = oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        runtime.block_on(serve(listener, relay, async {
            let _ = stopped.await;
        }))
    });
    Ok(Running {
        origin,
        stop: Some(stop),
        thread: Some(thread),
    })
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
