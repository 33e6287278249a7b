//! `camp/{id}` (seed 004): a training camp from publish to its refund list. It walks the
//! camp's timeline ([`crate::rules::camp::timeline`]): a check-in sync from the community
//! platform after each day (01:00 club time), the reminder on the eve of the last day, and at
//! 02:00 after the end a final sync and the refund list (eligible / not eligible / unmatched,
//! each pending review). Staff approvals then start one `RefundWorkflow` per member (the API,
//! `refund/{out_refund_no}`), so each refund is its own durable process.

use crate::clock::now;
use crate::payment::contract;
use crate::rules::camp::{CampEvent, CampTiming, timeline};
use crate::rules::time::until;
use crate::search_attributes::CAMP_ID;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use temporalio_common::RetryPolicy;
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{ActivityOptions, WorkflowContext, WorkflowContextView, WorkflowResult};

/// `camp/{id}`.
pub fn camp_workflow_id(camp_id: i64) -> String {
    format!("camp/{camp_id}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampInput {
    pub camp_id: i64,
    pub timing: CampTiming,
    pub required_days: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampState {
    /// Published, not started.
    #[default]
    Open,
    /// Days running; syncing check-ins nightly.
    Running,
    /// The refund list is drawn up.
    Settling,
    /// The refund list waits for staff review.
    Review,
}

impl CampState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Running => "running",
            Self::Settling => "settling",
            Self::Review => "review",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRequest {
    pub camp_id: i64,
    pub timing: CampTiming,
    /// The camp day just ended (0-based).
    pub through_day: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncOutcome {
    /// Check-ins fetched (all days so far; stored once each).
    pub fetched: u32,
    /// New check-ins stored.
    pub stored: u32,
    /// Paid enrolments matched to a community member.
    pub matched: u32,
}

contract!(
    /// Fetches the camp's check-ins from the community platform (知识星球), stores each once,
    /// matches members (community id, then nicknames; manual matches kept) and recounts each
    /// enrolment's check-in days. Idempotent.
    SyncCheckins = "camp.sync",
    SyncRequest => SyncOutcome
);

contract!(
    /// "The camp ends tomorrow": one in-app message per paid member, with their progress.
    RemindMembers = "camp.remind",
    i64 => u32
);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundList {
    pub eligible: u32,
    pub not_eligible: u32,
    pub unmatched: u32,
}

contract!(
    /// The refund list: each paid enrolment's verdict (eligible / not eligible / unmatched),
    /// pending review; the camp moves to review. Idempotent (reviewed ones keep their review).
    DrawRefundList = "camp.settle",
    i64 => RefundList
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampStatus {
    pub state: CampState,
    pub next_step: Option<(DateTime<Utc>, CampEvent)>,
    pub syncs_done: u32,
    pub syncs_failed: u32,
    pub refund_list: Option<RefundList>,
}

#[workflow]
#[derive(Default)]
pub struct CampWorkflow {
    state: CampState,
    next_step: Option<(DateTime<Utc>, CampEvent)>,
    syncs_done: u32,
    syncs_failed: u32,
    refund_list: Option<RefundList>,
}

/// The community platform may be down for a while: retry for at most `total` (then the day
/// is counted as a failed sync; the next night's sync, or staff's CSV import, catches up).
fn sync_options(total: Duration) -> ActivityOptions {
    ActivityOptions::with_close_timeouts(
        temporalio_common::ActivityCloseTimeouts::ScheduleAndStartToClose {
            schedule_to_close: total,
            start_to_close: Duration::from_secs(60),
        },
    )
    .retry_policy(
        RetryPolicy::builder()
            .initial_interval(Duration::from_secs(1))
            .backoff_coefficient(2.0)
            .maximum_interval(Duration::from_secs(300))
            .build(),
    )
    .build()
}

/// The camp's state is in its `status` query (no search attribute of its own: the SQL
/// visibility stores' ten Keyword attributes are taken).
fn set_state(ctx: &WorkflowContext<CampWorkflow>, state: CampState) {
    ctx.state_mut(|s| s.state = state);
}

#[workflow_methods]
impl CampWorkflow {
    #[run(name = "CampWorkflow")]
    pub async fn run(
        ctx: &mut WorkflowContext<Self>,
        input: CampInput,
    ) -> WorkflowResult<RefundList> {
        ctx.upsert_search_attributes([CAMP_ID.value_set(input.camp_id)]);
        set_state(ctx, CampState::Open);
        let to_start = until(now(ctx), input.timing.starts_at);
        if !to_start.is_zero() {
            ctx.timer(to_start).await;
        }
        set_state(ctx, CampState::Running);
        // A sync may run for up to half a day before it counts as failed.
        let sync_budget = Duration::from_secs(u64::from(input.timing.day_seconds / 2).max(10));
        for (at, event) in timeline(&input.timing) {
            ctx.state_mut(|s| s.next_step = Some((at, event)));
            let wait = until(now(ctx), at);
            if !wait.is_zero() {
                ctx.timer(wait).await;
            }
            match event {
                CampEvent::Sync { day } => {
                    Self::sync(ctx, &input, day, sync_budget).await;
                }
                CampEvent::Remind => {
                    ctx.execute_activity(
                        RemindMembers,
                        input.camp_id,
                        crate::options::db_patient(),
                    )
                    .await?;
                }
                CampEvent::Settle => {
                    set_state(ctx, CampState::Settling);
                    Self::sync(
                        ctx,
                        &input,
                        input.timing.days.saturating_sub(1),
                        sync_budget,
                    )
                    .await;
                    let list = ctx
                        .execute_activity(
                            DrawRefundList,
                            input.camp_id,
                            crate::options::db_patient(),
                        )
                        .await?;
                    ctx.state_mut(|s| {
                        s.refund_list = Some(list);
                        s.next_step = None;
                    });
                }
            }
        }
        set_state(ctx, CampState::Review);
        Ok(ctx.state(|s| s.refund_list.unwrap_or_default()))
    }

    #[query(name = "status")]
    pub fn status(&self, _ctx: &WorkflowContextView) -> CampStatus {
        CampStatus {
            state: self.state,
            next_step: self.next_step,
            syncs_done: self.syncs_done,
            syncs_failed: self.syncs_failed,
            refund_list: self.refund_list,
        }
    }
}

impl CampWorkflow {
    async fn sync(ctx: &WorkflowContext<Self>, input: &CampInput, day: u32, budget: Duration) {
        let request = SyncRequest {
            camp_id: input.camp_id,
            timing: input.timing,
            through_day: day,
        };
        match ctx
            .execute_activity(SyncCheckins, request, sync_options(budget))
            .await
        {
            Ok(_) => ctx.state_mut(|s| s.syncs_done += 1),
            Err(_) => ctx.state_mut(|s| s.syncs_failed += 1),
        }
    }
}
