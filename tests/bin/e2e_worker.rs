//! A worker process for the end-to-end failover test: configuration from the environment,
//! `worker::run` until SIGTERM/SIGKILL, no metrics endpoint (tests run many at once).

use sqlx::mysql::MySqlPoolOptions;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = worker::config::WorkerConfig::from_env()?;
    platform::telemetry::init_telemetry(config.common.log_format, "info,temporalio_sdk_core=warn");
    let pool = MySqlPoolOptions::new()
        .max_connections(5)
        .connect_lazy(config.common.database_url.expose())?;
    let client = platform::temporal::connect(&config.common.temporal, "e2e-worker-process").await?;
    let runtime = worker::runtime(None)?;
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    worker::run(
        &config,
        &runtime,
        worker::WorkerDeps::new(client, pool),
        stop,
    )
    .await
}
