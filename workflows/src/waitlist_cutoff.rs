//! `waitlist-cutoff/{session}` (design §3, rule W6): started when the first parent joins a
//! session's waitlist, sleeps until class start − cutoff, then expires every entry still
//! waiting and tells each parent.

use crate::activities::{CutoffExpiry, ExpireWaitlistAtCutoff};
use crate::ids::SessionKey;
use crate::rules::time::until;
use crate::search_attributes::{CUTOFF_STATE, SESSION_KEY};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use temporalio_common::RetryPolicy;
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{ActivityOptions, WorkflowContext, WorkflowContextView, WorkflowResult};

pub const WORKFLOW_TYPE: &str = "WaitlistCutoffWorkflow";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CutoffInput {
    pub session: SessionKey,
    /// Class start − cutoff, computed by the starter from the settings in force.
    pub cutoff_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CutoffOutcome {
    pub expired_entries: u32,
}

/// What the `status` query answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CutoffState {
    #[default]
    Waiting,
    Expiring,
    Done,
}

impl CutoffState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Expiring => "expiring",
            Self::Done => "done",
        }
    }
}

#[workflow]
#[derive(Default)]
pub struct WaitlistCutoffWorkflow {
    state: CutoffState,
}

fn db_activity_options() -> ActivityOptions {
    ActivityOptions::with_start_to_close_timeout(Duration::from_secs(30))
        .retry_policy(
            RetryPolicy::builder()
                .initial_interval(Duration::from_millis(500))
                .backoff_coefficient(2.0)
                .maximum_interval(Duration::from_secs(60))
                .build(),
        )
        .build()
}

#[workflow_methods]
impl WaitlistCutoffWorkflow {
    #[run(name = "WaitlistCutoffWorkflow")]
    pub async fn run(
        ctx: &mut WorkflowContext<Self>,
        input: CutoffInput,
    ) -> WorkflowResult<CutoffOutcome> {
        // Findable by session however the workflow was started.
        ctx.upsert_search_attributes([
            SESSION_KEY.value_set(input.session.to_string()),
            CUTOFF_STATE.value_set(CutoffState::Waiting.as_str().into()),
        ]);
        let now: DateTime<Utc> = ctx
            .workflow_time()
            .map(Into::into)
            .unwrap_or_else(|| input.cutoff_at);
        let wait = until(now, input.cutoff_at);
        if !wait.is_zero() {
            ctx.timer(wait).await;
        }

        ctx.state_mut(|s| s.state = CutoffState::Expiring);
        ctx.upsert_search_attributes([
            CUTOFF_STATE.value_set(CutoffState::Expiring.as_str().into())
        ]);
        let expiry: CutoffExpiry = ctx
            .execute_activity(ExpireWaitlistAtCutoff, input.session, db_activity_options())
            .await?;
        crate::delivery::deliver_all(ctx, expiry.wechat).await;
        let expired_entries = expiry.expired_entries;

        ctx.state_mut(|s| s.state = CutoffState::Done);
        ctx.upsert_search_attributes([CUTOFF_STATE.value_set(CutoffState::Done.as_str().into())]);
        Ok(CutoffOutcome { expired_entries })
    }

    #[query(name = "status")]
    pub fn status(&self, _ctx: &WorkflowContextView) -> CutoffState {
        self.state
    }
}
