//! Starts the retention job (`retention/{instance}`) when a worker starts, unless it runs
//! already; any replica may do it, the first one wins.

use crate::config::WorkerConfig;
use activities::Db;
use temporalio_client::errors::WorkflowStartError;
use temporalio_client::{Client, WorkflowIdConflictPolicy, WorkflowStartOptions};
use tracing::{info, warn};
use workflows::RetentionWorkflow;
use workflows::retention::{RetentionInput, retention_workflow_id};

pub async fn ensure_started(client: &Client, db: &Db, config: &WorkerConfig) {
    if config.retention_interval_seconds == 0 {
        info!("RETENTION_INTERVAL_SECONDS=0: the retention job is not started by this worker");
        return;
    }
    let ids = match db.ids().await {
        Ok(ids) => ids,
        Err(e) => {
            warn!(error = %e, "retention job not started (database instance unknown)");
            return;
        }
    };
    let task_queue = config.task_queue().to_string();
    let input = RetentionInput {
        interval_seconds: config.retention_interval_seconds,
        max_cycles: None,
        cycles_done: 0,
    };
    let id = retention_workflow_id(&ids);
    let options = WorkflowStartOptions::new(task_queue, id.clone())
        .id_conflict_policy(WorkflowIdConflictPolicy::UseExisting)
        .build();
    match client
        .start_workflow(RetentionWorkflow::run, input, options)
        .await
    {
        Ok(_) | Err(WorkflowStartError::AlreadyStarted { .. }) => {
            info!(workflow_id = %id, "retention job running");
        }
        Err(e) => warn!(workflow_id = %id, error = %e, "cannot start the retention job"),
    }
}
