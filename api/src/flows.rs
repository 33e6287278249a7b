//! Starting workflows from the API: deterministic ids, search attributes set at start so a
//! flow is findable in the Temporal UI from its first second.

use crate::error::ApiError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use temporalio_client::errors::WorkflowStartError;
use temporalio_client::{WorkflowIdConflictPolicy, WorkflowStartOptions};
use temporalio_common::search_attributes::SearchAttributes;
use workflows::search_attributes::{CUTOFF_STATE, SESSION_KEY};
use workflows::waitlist_cutoff::CutoffState;
use workflows::{CutoffInput, SessionKey, WaitlistCutoffWorkflow};

/// W6: makes sure `waitlist-cutoff/{session}` runs (idempotent: an existing run is kept).
/// Called before the first queue write, so no entry can exist without its cutoff process.
pub async fn ensure_cutoff_workflow(
    state: &AppState,
    session: SessionKey,
    cutoff_at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let client = state.temporal.client().await?;
    let options = WorkflowStartOptions::new(
        state.temporal.task_queue().to_string(),
        session.cutoff_workflow_id(),
    )
    .id_conflict_policy(WorkflowIdConflictPolicy::UseExisting)
    .search_attributes(SearchAttributes::new([
        SESSION_KEY.value_set(session.to_string()),
        CUTOFF_STATE.value_set(CutoffState::Waiting.as_str().to_string()),
    ]))
    .build();
    let input = CutoffInput { session, cutoff_at };
    match client
        .start_workflow(WaitlistCutoffWorkflow::run, input, options)
        .await
    {
        Ok(_) | Err(WorkflowStartError::AlreadyStarted { .. }) => Ok(()),
        Err(e) => {
            tracing::warn!(%session, error = %e, "cannot start the cutoff workflow");
            Err(ApiError::Unavailable("Temporal"))
        }
    }
}
