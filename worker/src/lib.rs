//! The Temporal worker: every workflow and activity of the service on one task queue. Workers
//! are stateless; run as many replicas as needed. SIGTERM drains in-flight tasks.

pub mod config;
mod failure_log;

use crate::config::WorkerConfig;
use activities::camp::{CommunityClient, CommunitySettings};
use activities::notify::drafts::WechatDrafts;
use activities::pay::{PaySettings, WechatPayClient};
use activities::wechat::{WechatClient, WechatSettings};
use activities::{
    CampActivities, CreditActivities, Db, MakeupActivities, Notices, OfferActivities,
    PayActivities, RetentionActivities, WaitlistActivities, WechatActivities,
};
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
use workflows::{
    CampWorkflow, CompensationCreditWorkflow, MaintenanceInput, MaintenanceWorkflow,
    MakeupBookingWorkflow, PaymentWorkflow, RefundWorkflow, RetentionWorkflow, StaffNoticeWorkflow,
    WaitlistCutoffWorkflow, WaitlistOfferWorkflow,
};

mod retention;

/// How long a stopping worker lets running activities finish.
pub const GRACEFUL_SHUTDOWN: Duration = Duration::from_secs(30);

/// How long a workflow task waits on a dead worker's sticky queue before any other worker
/// may take it (SDK default 10 s). Kept short so an offer survives a killed worker well
/// within the 10 s notification promise.
pub const STICKY_FAILOVER: Duration = Duration::from_secs(2);

/// Everything a worker process needs besides its configuration.
pub struct WorkerDeps {
    pub client: Client,
    pub pool: MySqlPool,
    /// Test hook: activity types whose first attempt fails right after it ran (committed),
    /// so the retry path after a commit is exercised. Empty in production.
    pub fail_first_attempt_after_commit: Vec<String>,
}

impl WorkerDeps {
    pub fn new(client: Client, pool: MySqlPool) -> Self {
        Self {
            client,
            pool,
            fail_first_attempt_after_commit: Vec::new(),
        }
    }
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

/// The WeChat client when credentials are configured.
fn wechat_client(config: &WorkerConfig) -> Option<Arc<WechatClient>> {
    config.wechat.credentials.as_ref().map(|c| {
        WechatClient::new(WechatSettings {
            api_base: config.wechat.api_base.clone(),
            appid: c.appid.clone(),
            secret: c.secret.expose().to_string(),
            timeout: Duration::from_secs(5),
        })
    })
}

/// The WeChat Pay client when `WECHATPAY_*` is configured (keys checked at start).
fn wechat_pay_client(config: &WorkerConfig) -> anyhow::Result<Option<Arc<WechatPayClient>>> {
    let Some(c) = config.wechat_pay.as_ref() else {
        tracing::warn!(
            "WECHATPAY_MCHID not set: WeChat Pay disabled, payments fail until configured"
        );
        return Ok(None);
    };
    let client = WechatPayClient::new(PaySettings {
        api_base: c.api_base.clone(),
        mchid: c.mchid.clone(),
        appid: c.appid.clone(),
        merchant_serial: c.merchant_serial.clone(),
        merchant_key_pem: c.merchant_key_pem.expose().to_string(),
        platform_serial: c.platform_serial.clone(),
        platform_public_key_pem: c.platform_public_key_pem.clone(),
        notify_url: c.notify_url.clone(),
        timeout: Duration::from_secs(10),
    })
    .context("WECHATPAY_* keys")?;
    info!(api_base = %c.api_base, mchid = %c.mchid, "WeChat Pay enabled");
    Ok(Some(Arc::new(client)))
}

/// The community platform's check-in client when `COMMUNITY_ACCESS_TOKEN` is set.
fn community_client(config: &WorkerConfig) -> Option<Arc<CommunityClient>> {
    config.community.as_ref().map(|c| {
        Arc::new(CommunityClient::new(CommunitySettings {
            api_base: c.api_base.clone(),
            access_token: c.access_token.expose().to_string(),
            timeout: Duration::from_secs(20),
        }))
    })
}

/// Runs the workers until `shutdown` resolves, then drains: the main one on
/// `TEMPORAL_TASK_QUEUE` (workflows and database activities) and the WeChat one on
/// `{task_queue}-wechat`, whose activity rate is limited for the whole queue.
///
/// The returned future is not `Send` (the SDK's worker is not): await it on the main task or on
/// a thread of its own.
pub async fn run(
    config: &WorkerConfig,
    runtime: &Runtime,
    deps: WorkerDeps,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let notices = Notices {
        club_tz: config.common.club_tz,
        drafts: WechatDrafts::new(config.wechat.enabled(), config.wechat_layouts.clone()),
    };
    let db = Db::new(deps.pool.clone());
    let options = WorkerOptions::new(config.task_queue().to_string())
        .register_workflow::<WaitlistCutoffWorkflow>()?
        .register_workflow::<WaitlistOfferWorkflow>()?
        .register_workflow::<MakeupBookingWorkflow>()?
        .register_workflow::<CompensationCreditWorkflow>()?
        .register_workflow::<PaymentWorkflow>()?
        .register_workflow::<RefundWorkflow>()?
        .register_workflow::<CampWorkflow>()?
        .register_activities(PayActivities::new(
            deps.pool.clone(),
            wechat_pay_client(config)?,
        ))
        .register_activities(CampActivities::new(
            deps.pool.clone(),
            community_client(config),
        ))
        .register_workflow::<MaintenanceWorkflow>()?
        .register_workflow::<RetentionWorkflow>()?
        .register_workflow::<StaffNoticeWorkflow>()?
        .register_activities(RetentionActivities::new(deps.pool.clone()))
        .register_activities(MakeupActivities::new(db.clone(), notices.clone()))
        .register_activities(CreditActivities::new(db.clone(), notices.clone()))
        .register_activities(WaitlistActivities::new(db.clone(), notices.clone()))
        .register_activities(OfferActivities::new(
            db.clone(),
            notices,
            Some(deps.client.clone()),
        ))
        .sticky_queue_schedule_to_start_timeout(STICKY_FAILOVER)
        .activity_inbound_interceptor(failure_log::FailureLog::new(
            deps.fail_first_attempt_after_commit.clone(),
        ))
        .graceful_shutdown_period(GRACEFUL_SHUTDOWN)
        .build();
    let mut worker = Worker::new(runtime, deps.client.clone(), options).context("worker")?;

    let wechat_options = WorkerOptions::new(config.wechat_task_queue())
        .register_activities(WechatActivities::new(
            deps.pool,
            wechat_client(config),
            config.miniprogram_state.clone(),
        ))
        .max_task_queue_activities_per_second(config.send_rate_per_second)
        .activity_inbound_interceptor(failure_log::FailureLog::new(Vec::new()))
        .graceful_shutdown_period(GRACEFUL_SHUTDOWN)
        .build();
    let mut wechat_worker =
        Worker::new(runtime, deps.client.clone(), wechat_options).context("WeChat worker")?;

    start_maintenance(&deps.client, &db, config).await;
    retention::ensure_started(&deps.client, &db, config).await;
    let (stop, stop_wechat) = (worker.shutdown_handle(), wechat_worker.shutdown_handle());
    info!(task_queue = %config.task_queue(), wechat_queue = %config.wechat_task_queue(),
          wechat_rate = config.send_rate_per_second, "worker polling");
    let running = async {
        let (main, wechat) = tokio::join!(worker.run(), wechat_worker.run());
        main.context("worker")?;
        wechat.context("WeChat worker")
    };
    tokio::pin!(running);
    tokio::select! {
        result = &mut running => result?,
        () = shutdown => {
            info!("shutting down: draining in-flight tasks");
            stop();
            stop_wechat();
            running.await?;
        }
    }
    info!("worker stopped");
    Ok(())
}

/// Starts this database's maintenance workflow unless it runs already (every worker tries;
/// the first start wins). A database not migrated yet is logged and retried by the next start.
async fn start_maintenance(client: &Client, db: &Db, config: &WorkerConfig) {
    use temporalio_client::{WorkflowIdConflictPolicy, WorkflowStartOptions};
    let ids = match db.ids().await {
        Ok(ids) => ids,
        Err(e) => {
            tracing::warn!(error = %e, "maintenance workflow not started (database instance unknown)");
            return;
        }
    };
    let options = WorkflowStartOptions::new(config.task_queue().to_string(), ids.maintenance())
        .id_conflict_policy(WorkflowIdConflictPolicy::UseExisting)
        .build();
    let input = MaintenanceInput {
        interval_seconds: config.maintenance_interval_seconds,
        reap_after_seconds: config.maintenance_reap_after_seconds,
        ..MaintenanceInput::default()
    };
    if let Err(e) = client
        .start_workflow(MaintenanceWorkflow::run, input, options)
        .await
    {
        tracing::warn!(error = %e, "maintenance workflow not started");
    }
}
