//! Routes, the accept loop (which lets a handler drop its own connection for fault injection),
//! the startup banner, and a background-thread runner for tests.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use axum::Router;
use axum::extract::Path;
use axum::middleware::from_fn_with_state;
use axum::response::Html;
use axum::routing::{get, post};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot};
use tower::ServiceExt;

use crate::config::{Config, Dialect};
use crate::faults::{ConnectionKiller, Fault, inject};
use crate::store::Store;
use crate::{admin, dialect, oauth, people};

/// State shared by all connections.
pub struct Shared {
    store: Mutex<Store>,
    /// `http://127.0.0.1:PORT`.
    pub origin: String,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves plain data behind; keep serving.
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Consumes one use of the first pending fault for this method and path.
    pub fn take_fault(&self, method: &str, path: &str) -> Option<Fault> {
        let mut store = self.lock();
        let i = store
            .faults
            .iter()
            .position(|f| f.path == path && f.method.as_deref().is_none_or(|m| m == method))?;
        let fault = store.faults[i].fault.clone();
        store.faults[i].remaining -= 1;
        if store.faults[i].remaining == 0 {
            store.faults.remove(i);
        }
        Some(fault)
    }
}

pub fn router(shared: Arc<Shared>, admin_api: bool) -> Router {
    let partner = dialect::routes(shared.lock().dialect);
    let mut app = Router::new()
        .nest("/v1/partner", partner)
        .route(
            "/oauth/authorize",
            get(oauth::authorize_page).post(oauth::authorize_decision),
        )
        .route("/oauth/token", post(oauth::token))
        .route("/t/{token}", get(tracking_landing))
        .route("/people/{id}", get(people::person_page));
    if admin_api {
        app = app.nest("/_sandbox", admin::routes());
    }
    app.layer(from_fn_with_state(shared.clone(), inject))
        .with_state(shared)
}

async fn tracking_landing(Path(token): Path<String>) -> Html<String> {
    Html(format!(
        "<!doctype html><title>Job posting</title><p>Tracking link {} (sandbox)</p>",
        html_escape::encode_text(&token)
    ))
}

/// Binds 127.0.0.1:`config.port` and builds the shared state.
pub async fn bind(config: &Config) -> io::Result<(TcpListener, Arc<Shared>)> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], config.port))).await?;
    let origin = format!("http://{}", listener.local_addr()?);
    let shared = Arc::new(Shared {
        store: Mutex::new(Store::new(config)?),
        origin,
    });
    Ok((listener, shared))
}

/// Serves until `shutdown` resolves. Each connection carries a [`ConnectionKiller`] so that the
/// drop faults can close it without an answer, as a real network failure would.
pub async fn serve(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) -> io::Result<()> {
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => accepted?,
            () = &mut shutdown => return Ok(()),
        };
        let app = app.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let killer = ConnectionKiller(kill.clone());
            let service =
                hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(killer.clone());
                    app.clone().oneshot(request)
                });
            let connection =
                hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                () = kill.notified() => {}
            }
        });
    }
}

/// Everything a client needs, printed at startup.
pub fn banner(config: &Config, shared: &Shared) -> String {
    let store = shared.lock();
    let origin = &shared.origin;
    let mut out = format!(
        "sprout-sandbox: a local Greenhouse Partner API + OAuth server\n\n  Partner API base URL  {origin}/v1/partner\n  Dialect               {}\n  Partner API key       {} (Basic auth username, empty password)\n  Users (On-Behalf-Of)\n",
        match store.dialect {
            Dialect::Greenhouse => "greenhouse (Greenhouse's published Candidate Ingestion docs)",
            Dialect::Seed => "seed (shared/partner-api.openapi.yml)",
        },
        store.api_key
    );
    for u in &store.users {
        out += &format!("    {:<28} id {:<6} role {}\n", u.email, u.id, u.role.as_str());
    }
    out += &format!(
        "  OAuth authorize URL   {origin}/oauth/authorize\n  OAuth token URL       {origin}/oauth/token\n  Client id             {}\n  Client secret         {}\n  Redirect URIs\n",
        store.client_id,
        store
            .client_secret
            .as_deref()
            .unwrap_or("(none: public client, PKCE S256)")
    );
    for r in &store.redirect_uris {
        out += &format!("    {r}\n");
    }
    out += &format!(
        "  Scopes                candidates.create candidates.view jobs.view prospect_pools.view\n  Access token lifetime {} s\n  Data                  {} jobs, {} prospect pools, seed {}, {} stored candidates\n  Admin API             {}\n\n  Try: curl -u {}: -H 'On-Behalf-Of: {}' {origin}/v1/partner/current_user\n",
        config.token_ttl,
        store.jobs.len(),
        store.pools.len(),
        config.seed,
        store.candidates.len(),
        if config.no_admin {
            "disabled (--no-admin)".to_owned()
        } else {
            format!("{origin}/_sandbox/ (faults, revoke, state)")
        },
        store.api_key,
        store.users.first().map(|u| u.email.as_str()).unwrap_or("EMAIL"),
    );
    out
}

/// A sandbox serving on its own thread, stopped when dropped.
pub struct Running {
    /// `http://127.0.0.1:PORT`.
    pub origin: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl Running {
    /// The Partner API base URL.
    pub fn api_base(&self) -> String {
        format!("{}/v1/partner", self.origin)
    }
}

/// Starts a sandbox on a background thread (port 0 picks a free one).
pub fn spawn(config: Config) -> io::Result<Running> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (listener, shared) = runtime.block_on(bind(&config))?;
    let origin = shared.origin.clone();
    let app = router(shared, !config.no_admin);
    let (stop, stopped) = oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        runtime.block_on(serve(listener, app, async {
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
