//! `maintenance/{instance}`: the database's housekeeping process, started by every worker
//! (the first start wins; the others find it running). It wakes every `interval_seconds` and
//! gives back the seats of offers whose run ended without closing them (a step that failed
//! for good, or a run terminated from the Temporal UI), and tells parents who moved up in a
//! queue (`position_changed`, at most once a round). It continues as new every
//! `rounds_per_run` rounds so its history stays short.

use crate::activities::{NotifyPositions, ReapOffers};
use crate::delivery::deliver_all;
use crate::options;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{WorkflowContext, WorkflowContextView, WorkflowResult};

pub const WORKFLOW_TYPE: &str = "MaintenanceWorkflow";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceInput {
    pub interval_seconds: u32,
    pub rounds_per_run: u32,
    /// An open offer younger than this is not checked (its run may not be visible yet).
    #[serde(default = "default_reap_after")]
    pub reap_after_seconds: u32,
}

fn default_reap_after() -> u32 {
    30
}

impl Default for MaintenanceInput {
    fn default() -> Self {
        Self {
            interval_seconds: 60,
            rounds_per_run: 500,
            reap_after_seconds: default_reap_after(),
        }
    }
}

#[workflow]
pub struct MaintenanceWorkflow {
    input: MaintenanceInput,
    rounds: u32,
    offers_closed: u64,
}

#[workflow_methods]
impl MaintenanceWorkflow {
    #[init]
    pub fn new(_ctx: &WorkflowContextView, input: MaintenanceInput) -> Self {
        Self {
            input,
            rounds: 0,
            offers_closed: 0,
        }
    }

    #[run(name = "MaintenanceWorkflow")]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<()> {
        let input = ctx.state(|s| s.input);
        let interval = Duration::from_secs(u64::from(input.interval_seconds.max(1)));
        loop {
            ctx.timer(interval).await;
            if let Ok(report) = ctx
                .execute_activity(ReapOffers, input.reap_after_seconds, options::db())
                .await
            {
                ctx.state_mut(|s| s.offers_closed += report.closed_offers.len() as u64);
            }
            if let Ok(wechat) = ctx
                .execute_activity(NotifyPositions, (), options::db())
                .await
            {
                deliver_all(ctx, wechat).await;
            }
            let rounds = ctx.state_mut(|s| {
                s.rounds += 1;
                s.rounds
            });
            if rounds >= input.rounds_per_run || ctx.continue_as_new_suggested() {
                return match ctx.continue_as_new(input, Default::default()) {
                    Err(termination) => Err(termination),
                    Ok(never) => match never {},
                };
            }
        }
    }

    /// Rounds run and offers closed in this run.
    #[query(name = "status")]
    pub fn status(&self, _ctx: &WorkflowContextView) -> (u32, u64) {
        (self.rounds, self.offers_closed)
    }
}
