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

use std::time::Duration;
use temporalio_client::errors::{WorkflowUpdateError, WorkflowUpdateWithStartError};
use temporalio_client::{RpcOptions, WorkflowExecuteUpdateOptions, WorkflowUpdateWithStartOptions};
use workflows::WaitlistOfferWorkflow;
use workflows::offer::{
    OfferInput, Release, ReleaseOutcome, RespondInput, Verdict, offer_workflow_id,
};
use workflows::search_attributes::OFFER_PHASE;
use workflows::settings::ClassSettings;

/// How long a parent waits for a workflow's answer before getting a 503.
const UPDATE_TIMEOUT: Duration = Duration::from_secs(20);

fn rpc_options() -> RpcOptions {
    RpcOptions::builder().timeout(UPDATE_TIMEOUT).build()
}

/// O1, workflow-first: starts (or joins) `waitlist-offer/{session}/{release}` and waits for
/// its release step. The seat is released by the workflow's first activity, so a crash can
/// never leave a released seat without its offer.
pub async fn release_seat(
    state: &AppState,
    session: SessionKey,
    starts_at: DateTime<Utc>,
    settings: ClassSettings,
    release: Release,
) -> Result<ReleaseOutcome, ApiError> {
    let client = state.temporal.client().await?;
    let workflow_id = offer_workflow_id(session, &release);
    let options = WorkflowUpdateWithStartOptions::new(
        state.temporal.task_queue().to_string(),
        workflow_id.clone(),
        WorkflowIdConflictPolicy::UseExisting,
    )
    .search_attributes(SearchAttributes::new([
        SESSION_KEY.value_set(session.to_string()),
        OFFER_PHASE.value_set("releasing".to_string()),
    ]))
    .build();
    let input = OfferInput {
        session,
        release,
        settings,
        starts_at,
    };
    let call = client.execute_update_with_start_workflow(
        WaitlistOfferWorkflow::run,
        input,
        WaitlistOfferWorkflow::release,
        (),
        options,
    );
    match tokio::time::timeout(UPDATE_TIMEOUT, call).await {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(e)) => {
            tracing::warn!(%workflow_id, error = %e, "release through the offer workflow failed");
            match e {
                WorkflowUpdateWithStartError::Start(_) | WorkflowUpdateWithStartError::Rpc(_) => {
                    Err(ApiError::Unavailable("Temporal"))
                }
                other => Err(ApiError::internal(anyhow::anyhow!("{other}"))),
            }
        }
        Err(_) => {
            tracing::warn!(%workflow_id, "release did not answer in time (no worker?)");
            Err(ApiError::Unavailable("Temporal"))
        }
    }
}

/// What one offer answered to `respond`.
pub enum OfferAnswer {
    Verdict(Verdict),
    /// The offer had closed: "taken" or "expired" by the validator, or the workflow is gone.
    Closed(Option<&'static str>),
}

pub async fn respond(
    state: &AppState,
    workflow_id: &str,
    input: RespondInput,
) -> Result<OfferAnswer, ApiError> {
    Ok(
        match execute_update::<WaitlistOfferWorkflow, _>(
            state,
            workflow_id,
            WaitlistOfferWorkflow::respond,
            input,
        )
        .await?
        {
            Updated::Answered(verdict) => OfferAnswer::Verdict(verdict),
            Updated::Rejected(reason) => OfferAnswer::Closed(Some(if reason.contains("taken") {
                "taken"
            } else {
                "expired"
            })),
            Updated::Gone => OfferAnswer::Closed(None),
        },
    )
}

/// Asks an open offer to send its current round again; `None` when it has closed.
pub async fn resend(state: &AppState, workflow_id: &str) -> Result<Option<u32>, ApiError> {
    Ok(
        match execute_update::<WaitlistOfferWorkflow, _>(
            state,
            workflow_id,
            WaitlistOfferWorkflow::resend,
            (),
        )
        .await?
        {
            Updated::Answered(n) => Some(n),
            Updated::Rejected(_) | Updated::Gone => None,
        },
    )
}

/// What an Update sent to an existing workflow came to.
enum Updated<T> {
    Answered(T),
    /// The update validator refused it (its message says why).
    Rejected(String),
    /// The workflow has closed, or never existed.
    Gone,
}

/// Sends `update` to the workflow `workflow_id` and waits for its answer (bounded); Temporal
/// errors other than "closed/unknown" become 503.
async fn execute_update<W, U>(
    state: &AppState,
    workflow_id: &str,
    update: U,
    input: U::Input,
) -> Result<Updated<U::Output>, ApiError>
where
    W: temporalio_common::HasWorkflowDefinition,
    U: temporalio_common::UpdateDefinition<Workflow = W::Run>,
    U::Input: Send,
    U::Output: 'static,
{
    let client = state.temporal.client().await?;
    let handle = client.get_workflow_handle::<W>(workflow_id.to_string());
    let options = WorkflowExecuteUpdateOptions::builder()
        .rpc_options(rpc_options())
        .build();
    match tokio::time::timeout(
        UPDATE_TIMEOUT,
        handle.execute_update(update, input, options),
    )
    .await
    {
        Ok(Ok(answer)) => Ok(Updated::Answered(answer)),
        Ok(Err(WorkflowUpdateError::Failed(failure))) => {
            Ok(Updated::Rejected(failure.message.clone()))
        }
        Ok(Err(WorkflowUpdateError::NotFound(_))) => Ok(Updated::Gone),
        Ok(Err(WorkflowUpdateError::Rpc(status)))
            if matches!(
                status.code(),
                temporalio_client::tonic::Code::NotFound
                    | temporalio_client::tonic::Code::FailedPrecondition
            ) =>
        {
            Ok(Updated::Gone)
        }
        Ok(Err(e)) => {
            tracing::warn!(%workflow_id, error = %e, "workflow update failed");
            Err(ApiError::Unavailable("Temporal"))
        }
        Err(_) => {
            tracing::warn!(%workflow_id, "workflow update did not answer in time (no worker?)");
            Err(ApiError::Unavailable("Temporal"))
        }
    }
}

use workflows::MakeupBookingWorkflow;
use workflows::makeup::{BookingOutcome, CancelOutcome, MakeupRequest, makeup_workflow_id};

/// M3, workflow-first: starts (or joins) `makeup-booking/{pending}-{session}` and waits for
/// its booking step's verdict.
pub async fn book_makeup(state: &AppState, req: MakeupRequest) -> Result<BookingOutcome, ApiError> {
    let client = state.temporal.client().await?;
    let workflow_id = makeup_workflow_id(req.pending_id, req.session);
    let options = WorkflowUpdateWithStartOptions::new(
        state.temporal.task_queue().to_string(),
        workflow_id.clone(),
        WorkflowIdConflictPolicy::UseExisting,
    )
    .search_attributes(SearchAttributes::new([
        SESSION_KEY.value_set(req.session.to_string())
    ]))
    .build();
    let call = client.execute_update_with_start_workflow(
        MakeupBookingWorkflow::run,
        req,
        MakeupBookingWorkflow::booking,
        (),
        options,
    );
    match tokio::time::timeout(UPDATE_TIMEOUT, call).await {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(e)) => {
            tracing::warn!(%workflow_id, error = %e, "makeup booking through its workflow failed");
            Err(ApiError::Unavailable("Temporal"))
        }
        Err(_) => Err(ApiError::Unavailable("Temporal")),
    }
}

/// M5: asks the makeup's workflow to cancel it; `None` when it has closed.
pub async fn cancel_makeup(
    state: &AppState,
    workflow_id: &str,
) -> Result<Option<CancelOutcome>, ApiError> {
    Ok(
        match execute_update::<MakeupBookingWorkflow, _>(
            state,
            workflow_id,
            MakeupBookingWorkflow::cancel,
            (),
        )
        .await?
        {
            Updated::Answered(outcome) => Some(outcome),
            Updated::Rejected(_) | Updated::Gone => None,
        },
    )
}
