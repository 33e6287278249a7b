//! `worker` binary: reads the configuration, connects, runs until SIGTERM/Ctrl-C.

use anyhow::Context;
use worker::WorkerDeps;
use worker::config::WorkerConfig;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = match WorkerConfig::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    platform::telemetry::init_telemetry(config.common.log_format, "info,temporalio_sdk_core=warn");
    let pool = platform::database::pool(config.common.database_url.expose(), 10)
        .context("DATABASE_URL")?;
    let client = platform::temporal::connect(&config.common.temporal, "worker").await?;
    let runtime = worker::runtime(Some(config.metrics_addr))?;
    worker::run(
        &config,
        &runtime,
        WorkerDeps::new(client, pool),
        shutdown_signal(),
    )
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
