//! `retention/{instance}`: the durable clean-up job. Each cycle deletes in-app notifications
//! and offer delivery records older than the configured age (`retention_setting`, changed in
//! the console) in batches, waits `interval_seconds`, then continues as new so its history
//! stays short. It never touches the minute ledger. Visible in the Temporal UI as
//! `WorkflowType="RetentionWorkflow"`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use temporalio_common::{ActivityDefinition, RetryPolicy};
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{
    ActivityOptions, ContinueAsNewOptions, WorkflowContext, WorkflowContextView, WorkflowResult,
};

/// Batches one run may do before it continues as new (bounds the history of a big backlog).
pub const MAX_BATCHES_PER_RUN: u32 = 50;

/// `retention/{instance}`: the one clean-up process of a database.
pub fn retention_workflow_id(ids: &crate::ids::WorkflowIds) -> String {
    format!("retention/{}", ids.instance())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionInput {
    /// pause between cycles
    pub interval_seconds: u64,
    /// stop after this many cycles (tests); `None` runs for ever
    #[serde(default)]
    pub max_cycles: Option<u32>,
    /// cycles done by earlier runs of this chain
    #[serde(default)]
    pub cycles_done: u32,
}

/// What one batch removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PurgeBatch {
    pub notifications: u32,
    pub deliveries: u32,
    /// the batch size in force: a batch that removed less of both is the last
    pub batch_size: u32,
    pub max_age_days: u32,
    pub cutoff: Option<DateTime<Utc>>,
}

impl PurgeBatch {
    /// More old rows may be left when either table filled the batch.
    pub fn more_left(&self) -> bool {
        self.batch_size > 0
            && (self.notifications >= self.batch_size || self.deliveries >= self.batch_size)
    }
}

/// Totals of a chain of runs, for the `status` query and the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RetentionStatus {
    pub cycles_done: u32,
    pub batches: u32,
    pub notifications_deleted: u64,
    pub deliveries_deleted: u64,
}

/// `retention.purge`: one batch of deletes, by age, in one transaction per table.
#[derive(Debug, Clone, Copy, Default)]
pub struct PurgeOldRecords;

impl PurgeOldRecords {
    pub const NAME: &'static str = "retention.purge";
}

impl ActivityDefinition for PurgeOldRecords {
    type Input = ();
    type Output = PurgeBatch;
    fn name(&self) -> &str {
        Self::NAME
    }
}

fn options() -> ActivityOptions {
    ActivityOptions::with_start_to_close_timeout(Duration::from_secs(60))
        .retry_policy(
            RetryPolicy::builder()
                .initial_interval(Duration::from_secs(1))
                .backoff_coefficient(2.0)
                .maximum_interval(Duration::from_secs(300))
                .build(),
        )
        .build()
}

#[workflow]
#[derive(Default)]
pub struct RetentionWorkflow {
    status: RetentionStatus,
}

#[workflow_methods]
impl RetentionWorkflow {
    #[run(name = "RetentionWorkflow")]
    pub async fn run(
        ctx: &mut WorkflowContext<Self>,
        input: RetentionInput,
    ) -> WorkflowResult<RetentionStatus> {
        ctx.state_mut(|s| s.status.cycles_done = input.cycles_done);
        let mut batches = 0;
        loop {
            let batch = ctx.execute_activity(PurgeOldRecords, (), options()).await?;
            batches += 1;
            ctx.state_mut(|s| {
                s.status.batches += 1;
                s.status.notifications_deleted += u64::from(batch.notifications);
                s.status.deliveries_deleted += u64::from(batch.deliveries);
            });
            if !batch.more_left() {
                break;
            }
            if batches >= MAX_BATCHES_PER_RUN {
                // A big backlog: carry on in a fresh run, without waiting.
                ctx.continue_as_new(input, ContinueAsNewOptions::default())?;
            }
        }
        let cycles_done = input.cycles_done + 1;
        ctx.state_mut(|s| s.status.cycles_done = cycles_done);
        if input.max_cycles.is_some_and(|max| cycles_done >= max) {
            return Ok(ctx.state(|s| s.status));
        }
        ctx.timer(Duration::from_secs(input.interval_seconds.max(1)))
            .await;
        ctx.continue_as_new(
            RetentionInput {
                cycles_done,
                ..input
            },
            ContinueAsNewOptions::default(),
        )?;
        Ok(ctx.state(|s| s.status))
    }

    #[query(name = "status")]
    pub fn status(&self, _ctx: &WorkflowContextView) -> RetentionStatus {
        self.status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_batch_means_more_may_be_left() {
        let b = |n, d| PurgeBatch {
            notifications: n,
            deliveries: d,
            batch_size: 10,
            ..Default::default()
        };
        assert!(b(10, 0).more_left());
        assert!(b(0, 10).more_left());
        assert!(!b(9, 9).more_left());
        assert!(
            !PurgeBatch {
                batch_size: 0,
                ..Default::default()
            }
            .more_left()
        );
    }
}
