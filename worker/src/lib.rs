//! The Temporal worker: every workflow and activity of the service on one task queue. Workers
//! are stateless; run as many replicas as needed. SIGTERM drains in-flight tasks.

use activities::{OfferActivities, WaitlistActivities};
use anyhow::Context;
use sqlx::MySqlPool;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use temporalio_client::Client;
use temporalio_common::telemetry::metrics::CoreMeter;
use temporalio_common::telemetry::{
    PrometheusExporterOptions, TelemetryOptions, start_prometheus_metric_exporter,
};
use temporalio_sdk::runtime::RuntimeOptions;
use temporalio_sdk::{Runtime, Worker, WorkerOptions};
use tracing::info;
use workflows::config::Config;
use workflows::{WaitlistCutoffWorkflow, WaitlistOfferWorkflow};

/// How long a stopping worker lets running activities finish.
pub const GRACEFUL_SHUTDOWN: Duration = Duration::from_secs(30);

/// Everything a worker process needs besides its configuration.
pub struct WorkerDeps {
    pub client: Client,
    pub pool: MySqlPool,
}

/// Builds the SDK runtime on the current tokio runtime; with `metrics_addr`, exposes the SDK's
/// Prometheus metrics there (`/metrics`).
pub fn runtime(metrics_addr: Option<SocketAddr>) -> anyhow::Result<Runtime> {
    let meter: Option<Arc<dyn CoreMeter>> = match metrics_addr {
        Some(addr) => {
            let exporter = start_prometheus_metric_exporter(
                PrometheusExporterOptions::builder()
                    .socket_addr(addr)
                    .build(),
            )
            .with_context(|| format!("cannot serve worker metrics on {addr}"))?;
            info!(addr = %exporter.bound_addr, "worker metrics at /metrics");
            Some(exporter.meter)
        }
        None => None,
    };
    let options = RuntimeOptions::builder()
        .telemetry_options(TelemetryOptions::builder().maybe_metrics(meter).build())
        .build()
        .map_err(anyhow::Error::msg)?;
    Runtime::from_current_tokio(options).context("temporal runtime")
}

/// Runs a worker on `config.task_queue` until `shutdown` resolves, then drains.
///
/// The returned future is not `Send` (the SDK's worker is not): await it on the main task or on
/// a thread of its own.
pub async fn run(
    config: &Config,
    runtime: &Runtime,
    deps: WorkerDeps,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let options = WorkerOptions::new(config.task_queue.clone())
        .register_workflow::<WaitlistCutoffWorkflow>()?
        .register_workflow::<WaitlistOfferWorkflow>()?
        .register_activities(WaitlistActivities::new(deps.pool.clone(), config.club_tz))
        .register_activities(OfferActivities::new(deps.pool, config.club_tz))
        .graceful_shutdown_period(GRACEFUL_SHUTDOWN)
        .build();
    let mut worker = Worker::new(runtime, deps.client, options).context("worker")?;
    let stop = worker.shutdown_handle();
    info!(task_queue = %config.task_queue, "worker polling");
    let running = worker.run();
    tokio::pin!(running);
    tokio::select! {
        result = &mut running => result.context("worker stopped")?,
        () = shutdown => {
            info!("shutting down: draining in-flight tasks");
            stop();
            running.await.context("worker drain")?;
        }
    }
    info!("worker stopped");
    Ok(())
}
