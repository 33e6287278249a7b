//! Starting and talking to workflows from the API: deterministic ids of this database
//! (`state.ids()`), search attributes set at start so a flow is findable in the Temporal UI
//! from its first second, and every Temporal answer turned into a typed result here, once.

use crate::error::ApiError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use std::time::Duration;
use temporalio_client::errors::{
    WorkflowStartError, WorkflowUpdateError, WorkflowUpdateWithStartError,
};
use temporalio_client::{
    RpcOptions, WorkflowExecuteUpdateOptions, WorkflowIdConflictPolicy, WorkflowSignalOptions,
    WorkflowStartOptions, WorkflowUpdateWithStartOptions,
};
use temporalio_common::search_attributes::SearchAttributes;
use workflows::makeup::{BookingOutcome, CancelOutcome, MakeupRequest};
use workflows::offer::{
    OfferInput, Release, ReleaseOutcome, RespondInput, RespondRejection, Verdict,
};
use workflows::search_attributes::{CUTOFF_STATE, OFFER_PHASE, SESSION_KEY};
use workflows::settings::ClassSettings;
use workflows::waitlist_cutoff::CutoffState;
use workflows::{
    CutoffInput, MakeupBookingWorkflow, SessionKey, WaitlistCutoffWorkflow, WaitlistOfferWorkflow,
};

/// How long a parent waits for a workflow's answer before getting a 503.
const UPDATE_TIMEOUT: Duration = Duration::from_secs(20);

fn rpc_options() -> RpcOptions {
    RpcOptions::builder().timeout(UPDATE_TIMEOUT).build()
}

/// W6: makes sure `waitlist-cutoff/{instance}/{session}` runs (idempotent: an existing run is
/// kept). Called before the first queue write, so no entry can exist without its cutoff process.
pub async fn ensure_cutoff_workflow(
    state: &AppState,
    session: SessionKey,
    cutoff_at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let client = state.temporal.client().await?;
    let options = WorkflowStartOptions::new(
        state.temporal.task_queue().to_string(),
        state.ids().await?.cutoff(session),
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

/// O1, workflow-first: starts (or joins) `waitlist-offer/{instance}/{session}/{release}` and
/// waits for its release step. The seat is released by the workflow's first activity, so a
/// crash can never leave a released seat without its offer.
pub async fn release_seat(
    state: &AppState,
    session: SessionKey,
    starts_at: DateTime<Utc>,
    settings: ClassSettings,
    release: Release,
) -> Result<ReleaseOutcome, ApiError> {
    let client = state.temporal.client().await?;
    let ids = state.ids().await?;
    let workflow_id = ids.offer_for(session, &release);
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
        ids,
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
    /// The validator refused before the update reached the run's history.
    Rejected(RespondRejection),
    /// The workflow has closed, or never existed.
    Gone,
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
            // An unknown text would be a version skew: the offer moved on as far as we know.
            Updated::Rejected(reason) => {
                OfferAnswer::Rejected(reason.parse().unwrap_or(RespondRejection::Expired))
            }
            Updated::Gone => OfferAnswer::Gone,
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

/// Tells an open offer that an entry left the queue (a holder's seat passes on at once). Best
/// effort: a hold of an entry that left also lapses on its own, since the entry is no longer
/// active.
pub async fn tell_offer_entry_left(state: &AppState, workflow_id: &str, waitlist_id: i64) {
    let Ok(client) = state.temporal.client().await else {
        return;
    };
    let handle = client.get_workflow_handle::<WaitlistOfferWorkflow>(workflow_id.to_string());
    let sent = tokio::time::timeout(
        UPDATE_TIMEOUT,
        handle.signal(
            WaitlistOfferWorkflow::entry_left,
            waitlist_id,
            WorkflowSignalOptions::default(),
        ),
    )
    .await;
    if !matches!(sent, Ok(Ok(()))) {
        tracing::warn!(%workflow_id, waitlist_id, "could not tell the offer that the entry left");
    }
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
    let answer = tokio::time::timeout(UPDATE_TIMEOUT, async {
        let _turn = state.updates.enter(workflow_id).await;
        handle.execute_update(update, input, options).await
    });
    match answer.await {
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

/// M3, workflow-first: starts (or joins) `makeup-booking/{instance}/{pending}-{session}` and
/// waits for its booking step's verdict.
pub async fn book_makeup(
    state: &AppState,
    mut req: MakeupRequest,
) -> Result<BookingOutcome, ApiError> {
    let client = state.temporal.client().await?;
    req.ids = state.ids().await?;
    let workflow_id = req.ids.makeup(req.pending_id, req.session);
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
