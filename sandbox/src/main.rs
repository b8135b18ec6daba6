//! The `sprout-sandbox` binary: parse flags, bind 127.0.0.1, print what a client needs, serve until Ctrl-C.

use clap::Parser;
use sprout_sandbox::{Config, banner, bind, router, serve};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let config = Config::parse();
    let (listener, shared) = bind(&config).await?;
    print!("{}", banner(&config, &shared));
    let app = router(shared, !config.no_admin);
    serve(listener, app, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
