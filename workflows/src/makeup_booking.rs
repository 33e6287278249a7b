//! `makeup-booking/{pending}-{session}` (M3–M5): books the makeup through one activity and
//! answers the API synchronously (update `booking`), starts the credit workflow of any
//! minutes it created, then lives until class end: `cancel` (before the cancel cutoff)
//! restores credits, reopens the pending makeup and hands the seat to the waitlist through a
//! `WaitlistOfferWorkflow`; at class end it completes.

use crate::activities::{BookMakeup, BookMakeupSeat, CancelMakeup, CompleteMakeup};
use crate::makeup::{
    BookingOutcome, CancelOutcome, MakeupRequest, MakeupState, credit_workflow_id,
};
use crate::offer::{OfferInput, Release, offer_workflow_id};
use crate::rules::time::until;
use crate::search_attributes::{MAKEUP_STATE, PROFILE_ID, SESSION_KEY};
use crate::{CompensationCreditWorkflow, WaitlistOfferWorkflow};
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use std::time::Duration;
use temporalio_common::RetryPolicy;
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{
    ActivityOptions, CancellableFuture, ChildWorkflowOptions, ParentClosePolicy, WorkflowContext,
    WorkflowContextView, WorkflowResult,
};

#[workflow]
#[derive(Default)]
pub struct MakeupBookingWorkflow {
    state: MakeupState,
    outcome: Option<BookingOutcome>,
    cancel_cutoff: Option<DateTime<Utc>>,
    cancel_requested: bool,
    cancel_result: Option<CancelOutcome>,
    /// Update handlers still answering; the run waits for them before it completes.
    handlers_running: u32,
}

fn options() -> ActivityOptions {
    ActivityOptions::with_start_to_close_timeout(Duration::from_secs(30))
        .retry_policy(
            RetryPolicy::builder()
                .initial_interval(Duration::from_millis(200))
                .backoff_coefficient(2.0)
                .maximum_interval(Duration::from_secs(30))
                .build(),
        )
        .build()
}

fn now<W>(ctx: &WorkflowContext<W>) -> DateTime<Utc> {
    ctx.workflow_time().map(Into::into).unwrap_or_else(Utc::now)
}

fn set_state(ctx: &WorkflowContext<MakeupBookingWorkflow>, state: MakeupState) {
    ctx.state_mut(|s| s.state = state);
    ctx.upsert_search_attributes([MAKEUP_STATE.value_set(state.as_str().to_string())]);
}

#[workflow_methods]
impl MakeupBookingWorkflow {
    #[run(name = "MakeupBookingWorkflow")]
    pub async fn run(
        ctx: &mut WorkflowContext<Self>,
        req: MakeupRequest,
    ) -> WorkflowResult<MakeupState> {
        ctx.upsert_search_attributes([SESSION_KEY.value_set(req.session.to_string())]);
        set_state(ctx, MakeupState::Booking);
        let workflow_id = ctx.workflow_id().to_string();
        let outcome = match req.adopt.clone() {
            // A won waitlist offer already booked the seat as this makeup (M3).
            Some(booked) => BookingOutcome::Booked(booked),
            None => {
                let book = BookMakeup {
                    workflow_id,
                    request: req.clone(),
                };
                ctx.execute_activity(BookMakeupSeat, book, options())
                    .await?
            }
        };
        let cancel_cutoff = req.starts_at
            - ChronoDuration::seconds(i64::from(req.settings.makeup_cancel_cutoff_seconds));
        ctx.state_mut(|s| {
            s.outcome = Some(outcome.clone());
            s.cancel_cutoff = Some(cancel_cutoff);
        });
        let booked = match outcome {
            BookingOutcome::Refused(_) => {
                set_state(ctx, MakeupState::Refused);
                let _ = ctx.wait_condition(|s| s.handlers_running == 0).await;
                return Ok(MakeupState::Refused);
            }
            BookingOutcome::Booked(b) => b,
        };
        ctx.upsert_search_attributes([PROFILE_ID.value_set(booked.profile_id.to_string())]);
        set_state(ctx, MakeupState::Booked);
        if let Some(credit) = booked.created_credit {
            ctx.start_child_workflow(
                CompensationCreditWorkflow::run,
                credit,
                ChildWorkflowOptions::builder()
                    .workflow_id(credit_workflow_id(credit.credit_id))
                    .parent_close_policy(ParentClosePolicy::Abandon)
                    .build(),
            )
            .await?;
        }

        // Until class end, or a cancellation.
        let timer = ctx.timer(until(now(ctx), req.ends_at).max(Duration::from_millis(1)));
        futures::pin_mut!(timer);
        let cancelled = temporalio_sdk::workflows::select! {
            _ = timer.as_mut() => false,
            _ = ctx.wait_condition(|s| s.cancel_requested) => true,
        };
        if !cancelled {
            let status = ctx
                .execute_activity(CompleteMakeup, booked.makeup_booking_id, options())
                .await?;
            let state = if status == "no_show" {
                MakeupState::NoShow
            } else {
                MakeupState::Completed
            };
            set_state(ctx, state);
            let _ = ctx.wait_condition(|s| s.handlers_running == 0).await;
            return Ok(state);
        }
        timer.cancel();
        let unbooked = ctx
            .execute_activity(CancelMakeup, booked.makeup_booking_id, options())
            .await?;
        // M5: the seat goes to the waitlist (O1), workflow-first like any release.
        let release = Release::Cancel {
            booking_id: unbooked.booking_id,
        };
        let offer = OfferInput {
            session: req.session,
            release: release.clone(),
            settings: req.settings,
            starts_at: req.starts_at,
        };
        ctx.start_child_workflow(
            WaitlistOfferWorkflow::run,
            offer,
            ChildWorkflowOptions::builder()
                .workflow_id(offer_workflow_id(req.session, &release))
                .parent_close_policy(ParentClosePolicy::Abandon)
                .build(),
        )
        .await?;
        ctx.state_mut(|s| {
            s.cancel_result = Some(CancelOutcome::Cancelled {
                restored_minutes: unbooked.restored_minutes,
                revoked_minutes: unbooked.revoked_minutes,
            })
        });
        set_state(ctx, MakeupState::Cancelled);
        let _ = ctx.wait_condition(|s| s.handlers_running == 0).await;
        Ok(MakeupState::Cancelled)
    }

    /// The booking step's outcome (the API waits on it through update-with-start).
    #[update(name = "booking")]
    pub async fn booking(ctx: &mut WorkflowContext<Self>) -> BookingOutcome {
        ctx.state_mut(|s| s.handlers_running += 1);
        let _ = ctx.wait_condition(|s| s.outcome.is_some()).await;
        ctx.state_mut(|s| {
            s.handlers_running -= 1;
            s.outcome.clone().expect("waited for the outcome")
        })
    }

    /// M5: cancel before class start − cancel cutoff.
    #[update(name = "cancel")]
    pub async fn cancel(ctx: &mut WorkflowContext<Self>) -> CancelOutcome {
        ctx.state_mut(|s| s.handlers_running += 1);
        let answer = Self::handle_cancel(ctx).await;
        ctx.state_mut(|s| s.handlers_running -= 1);
        answer
    }

    #[query(name = "status")]
    pub fn status(&self, _ctx: &WorkflowContextView) -> MakeupState {
        self.state
    }
}

impl MakeupBookingWorkflow {
    async fn handle_cancel(ctx: &WorkflowContext<Self>) -> CancelOutcome {
        let _ = ctx.wait_condition(|s| s.outcome.is_some()).await;
        let t = now(ctx);
        let refused = ctx.state_mut(|s| {
            if s.state != MakeupState::Booked || s.cancel_requested {
                return Some(
                    s.cancel_result
                        .clone()
                        .unwrap_or(CancelOutcome::NotCancellable),
                );
            }
            match s.cancel_cutoff {
                Some(cutoff) if t >= cutoff => Some(CancelOutcome::TooLate { cutoff_at: cutoff }),
                _ => {
                    s.cancel_requested = true;
                    None
                }
            }
        });
        if let Some(answer) = refused {
            if matches!(answer, CancelOutcome::NotCancellable) && ctx.state(|s| s.cancel_requested)
            {
                let _ = ctx.wait_condition(|s| s.cancel_result.is_some()).await;
                return ctx.state(|s| {
                    s.cancel_result
                        .clone()
                        .unwrap_or(CancelOutcome::NotCancellable)
                });
            }
            return answer;
        }
        let _ = ctx.wait_condition(|s| s.cancel_result.is_some()).await;
        ctx.state(|s| {
            s.cancel_result
                .clone()
                .unwrap_or(CancelOutcome::NotCancellable)
        })
    }
}
