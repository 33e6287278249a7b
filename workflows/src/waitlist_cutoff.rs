//! `waitlist-cutoff/{session}` (design §3, rule W6): started when the first parent joins a
//! session's waitlist, sleeps until class start − cutoff, then expires every entry still
//! waiting and tells each parent.

use crate::activities::{CutoffExpiry, ExpireWaitlistAtCutoff};
use crate::ids::SessionKey;
use crate::rules::time::until;
use crate::search_attributes::{CUTOFF_STATE, SESSION_KEY};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{WorkflowContext, WorkflowContextView, WorkflowResult};

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
        let wait = until(crate::clock::now(ctx), input.cutoff_at);
        if !wait.is_zero() {
            ctx.timer(wait).await;
        }

        ctx.state_mut(|s| s.state = CutoffState::Expiring);
        ctx.upsert_search_attributes([
            CUTOFF_STATE.value_set(CutoffState::Expiring.as_str().into())
        ]);
        let expiry: CutoffExpiry = ctx
            .execute_activity(
                ExpireWaitlistAtCutoff,
                input.session,
                crate::options::db_patient(),
            )
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
