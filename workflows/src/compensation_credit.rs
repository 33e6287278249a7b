//! `compensation/{credit}` (M4, M6): one per minute credit. Reminds the parent before expiry
//! when minutes remain, then expires what is left at its expiry (recorded in the ledger).

use crate::activities::{ExpireCredit, RemindCredit};
use crate::clock::now;
use crate::delivery::deliver_all;
use crate::makeup::{CreditState, CreditTiming};
use crate::options;
use crate::rules::time::until;
use crate::search_attributes::{CREDIT_STATE, PROFILE_ID};
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{WorkflowContext, WorkflowContextView, WorkflowResult};

#[workflow]
#[derive(Default)]
pub struct CompensationCreditWorkflow {
    state: CreditState,
    expired_minutes: u32,
}

fn set_state(ctx: &WorkflowContext<CompensationCreditWorkflow>, state: CreditState) {
    ctx.state_mut(|s| s.state = state);
    ctx.upsert_search_attributes([CREDIT_STATE.value_set(state.as_str().to_string())]);
}

#[workflow_methods]
impl CompensationCreditWorkflow {
    #[run(name = "CompensationCreditWorkflow")]
    pub async fn run(ctx: &mut WorkflowContext<Self>, credit: CreditTiming) -> WorkflowResult<u32> {
        ctx.upsert_search_attributes([PROFILE_ID.value_set(credit.profile_id.to_string())]);
        set_state(ctx, CreditState::Active);
        let to_reminder = until(now(ctx), credit.remind_at);
        if !to_reminder.is_zero() {
            ctx.timer(to_reminder).await;
        }
        if now(ctx) < credit.expires_at {
            // A reminder that fails for good is skipped: the expiry still comes.
            if let Ok(wechat) = ctx
                .execute_activity(RemindCredit, credit.credit_id, options::db_patient())
                .await
            {
                deliver_all(ctx, wechat).await;
                set_state(ctx, CreditState::Reminded);
            }
        }
        let to_expiry = until(now(ctx), credit.expires_at);
        if !to_expiry.is_zero() {
            ctx.timer(to_expiry).await;
        }
        let expired = match ctx
            .execute_activity(ExpireCredit, credit.credit_id, options::db_patient())
            .await
        {
            Ok(minutes) => minutes,
            Err(e) => {
                // The minutes stay unspendable (past expiry) but unrecorded: ops find the run
                // by CreditState = failed and retry it (docs/runbook.md).
                set_state(ctx, CreditState::Failed);
                return Err(e.into());
            }
        };
        ctx.state_mut(|s| s.expired_minutes = expired);
        set_state(
            ctx,
            if expired > 0 {
                CreditState::Expired
            } else {
                CreditState::Closed
            },
        );
        Ok(expired)
    }

    #[query(name = "status")]
    pub fn status(&self, _ctx: &WorkflowContextView) -> CreditState {
        self.state
    }
}
