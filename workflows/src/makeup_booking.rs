//! `makeup-booking/{instance}/{pending}-{session}` (M3–M5): books the makeup through one
//! activity and answers the API synchronously (update `booking`), starts the credit workflow
//! of any minutes it created, then lives until class end: `cancel` (before the cancel cutoff)
//! restores credits, reopens the pending makeup and hands the seat to the waitlist through a
//! `WaitlistOfferWorkflow`; at class end it completes. A step that fails for good ends in a
//! defined state (`refused` with nothing booked, or `failed`, which ops find by `MakeupState`).

use crate::activities::{BookMakeup, BookMakeupSeat, CancelMakeup, CompleteMakeup};
use crate::clock::now;
use crate::delivery::deliver_all;
use crate::makeup::{
    BookingOutcome, CancelOutcome, MakeupBooked, MakeupRefusal, MakeupRequest, MakeupState,
    Unbooked,
};
use crate::offer::{OfferInput, Release};
use crate::options;
use crate::rules::time::until;
use crate::search_attributes::{MAKEUP_STATE, PROFILE_ID, SESSION_KEY};
use crate::{CompensationCreditWorkflow, WaitlistOfferWorkflow};
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use std::time::Duration;
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{
    CancellableFuture, ChildWorkflowOptions, ParentClosePolicy, WorkflowContext,
    WorkflowContextView, WorkflowResult,
};

#[workflow]
pub struct MakeupBookingWorkflow {
    req: MakeupRequest,
    state: MakeupState,
    outcome: Option<BookingOutcome>,
    cancel_cutoff: DateTime<Utc>,
    cancel_requested: bool,
    cancel_result: Option<CancelOutcome>,
    /// Update handlers still answering; the run waits for them before it completes.
    handlers_running: u32,
}

fn set_state(ctx: &WorkflowContext<MakeupBookingWorkflow>, state: MakeupState) {
    ctx.state_mut(|s| s.state = state);
    ctx.upsert_search_attributes([MAKEUP_STATE.value_set(state.as_str().to_string())]);
}

/// How the makeup's life ended.
enum Ending {
    ClassOver,
    Cancelled(Unbooked),
}

#[workflow_methods]
impl MakeupBookingWorkflow {
    #[init]
    pub fn new(_ctx: &WorkflowContextView, req: MakeupRequest) -> Self {
        let cancel_cutoff = req.starts_at
            - ChronoDuration::seconds(i64::from(req.settings.makeup_cancel_cutoff_seconds));
        Self {
            req,
            state: MakeupState::Booking,
            outcome: None,
            cancel_cutoff,
            cancel_requested: false,
            cancel_result: None,
            handlers_running: 0,
        }
    }

    #[run(name = "MakeupBookingWorkflow")]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<MakeupState> {
        let req = ctx.state(|s| s.req.clone());
        ctx.upsert_search_attributes([SESSION_KEY.value_set(req.session.to_string())]);
        set_state(ctx, MakeupState::Booking);
        let outcome = Self::book(ctx, &req).await;
        ctx.state_mut(|s| s.outcome = Some(outcome.clone()));
        let booked = match outcome {
            BookingOutcome::Refused(refusal) => {
                let state = if refusal == MakeupRefusal::Unavailable {
                    MakeupState::Failed
                } else {
                    MakeupState::Refused
                };
                set_state(ctx, state);
                let _ = ctx.wait_condition(|s| s.handlers_running == 0).await;
                return Ok(state);
            }
            BookingOutcome::Booked(b) => b,
        };
        ctx.upsert_search_attributes([PROFILE_ID.value_set(booked.profile_id.to_string())]);
        set_state(ctx, MakeupState::Booked);
        Self::start_credit(ctx, &req, &booked).await;
        deliver_all(ctx, booked.wechat.clone()).await;

        let state = match Self::live_until_end(ctx, &req).await {
            Ending::ClassOver => Self::complete(ctx, booked.makeup_booking_id).await,
            Ending::Cancelled(unbooked) => {
                deliver_all(ctx, unbooked.wechat.clone()).await;
                Self::hand_seat_to_waitlist(ctx, &req, unbooked.booking_id).await;
                ctx.state_mut(|s| {
                    s.cancel_result = Some(CancelOutcome::Cancelled {
                        restored_minutes: unbooked.restored_minutes,
                        revoked_minutes: unbooked.revoked_minutes,
                    })
                });
                MakeupState::Cancelled
            }
        };
        set_state(ctx, state);
        let _ = ctx.wait_condition(|s| s.handlers_running == 0).await;
        Ok(state)
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
    /// M3: the booking activity, or the seat a won offer already booked as this makeup.
    async fn book(ctx: &WorkflowContext<Self>, req: &MakeupRequest) -> BookingOutcome {
        if let Some(booked) = req.adopt.clone() {
            return BookingOutcome::Booked(booked);
        }
        let book = BookMakeup {
            workflow_id: ctx.workflow_id().to_string(),
            request: req.clone(),
        };
        ctx.execute_activity(BookMakeupSeat, book, options::db())
            .await
            // One transaction: nothing was booked. The parent hears "try again".
            .unwrap_or(BookingOutcome::Refused(MakeupRefusal::Unavailable))
    }

    /// M4: the credit of a shorter makeup lives in its own workflow (reminder, expiry).
    async fn start_credit(ctx: &WorkflowContext<Self>, req: &MakeupRequest, booked: &MakeupBooked) {
        let Some(credit) = booked.created_credit else {
            return;
        };
        let started = ctx
            .start_child_workflow(
                CompensationCreditWorkflow::run,
                credit,
                ChildWorkflowOptions::builder()
                    .workflow_id(req.ids.credit(credit.credit_id))
                    .parent_close_policy(ParentClosePolicy::Abandon)
                    .build(),
            )
            .await;
        // Already running (a retry that found it) is as good as started.
        let _ = started;
    }

    /// Until class end or a cancellation that went through.
    async fn live_until_end(ctx: &WorkflowContext<Self>, req: &MakeupRequest) -> Ending {
        loop {
            let timer = ctx.timer(until(now(ctx), req.ends_at).max(Duration::from_millis(1)));
            futures::pin_mut!(timer);
            let cancelled = temporalio_sdk::workflows::select! {
                _ = timer.as_mut() => false,
                _ = ctx.wait_condition(|s| s.cancel_requested) => true,
            };
            if !cancelled {
                return Ending::ClassOver;
            }
            timer.cancel();
            let makeup_booking_id = ctx.state(|s| match &s.outcome {
                Some(BookingOutcome::Booked(b)) => b.makeup_booking_id,
                _ => 0,
            });
            match ctx
                .execute_activity(CancelMakeup, makeup_booking_id, options::db())
                .await
            {
                Ok(unbooked) => return Ending::Cancelled(unbooked),
                // Nothing changed (one transaction): the makeup stays booked.
                Err(_) => ctx.state_mut(|s| {
                    s.cancel_result = Some(CancelOutcome::Unavailable);
                    s.cancel_requested = false;
                }),
            }
        }
    }

    /// At class end: completed, or no-show when attendance says so.
    async fn complete(ctx: &WorkflowContext<Self>, makeup_booking_id: i64) -> MakeupState {
        match ctx
            .execute_activity(CompleteMakeup, makeup_booking_id, options::db_patient())
            .await
        {
            Ok(status) if status == "no_show" => MakeupState::NoShow,
            Ok(_) => MakeupState::Completed,
            Err(_) => MakeupState::Failed,
        }
    }

    /// M5: the seat goes to the waitlist (O1), workflow-first like any release.
    async fn hand_seat_to_waitlist(
        ctx: &WorkflowContext<Self>,
        req: &MakeupRequest,
        booking_id: i64,
    ) {
        let release = Release::Cancel { booking_id };
        let offer = OfferInput {
            session: req.session,
            release: release.clone(),
            settings: req.settings,
            starts_at: req.starts_at,
            ids: req.ids.clone(),
        };
        let _ = ctx
            .start_child_workflow(
                WaitlistOfferWorkflow::run,
                offer,
                ChildWorkflowOptions::builder()
                    .workflow_id(req.ids.offer_for(req.session, &release))
                    .parent_close_policy(ParentClosePolicy::Abandon)
                    .build(),
            )
            .await;
    }

    async fn handle_cancel(ctx: &WorkflowContext<Self>) -> CancelOutcome {
        let _ = ctx.wait_condition(|s| s.outcome.is_some()).await;
        let t = now(ctx);
        let refused = ctx.state_mut(|s| {
            if s.state != MakeupState::Booked {
                return Some(s.cancel_result.unwrap_or(CancelOutcome::NotCancellable));
            }
            if s.cancel_requested {
                // A cancel is already running: this one gets its answer.
                return None;
            }
            if t >= s.cancel_cutoff {
                return Some(CancelOutcome::TooLate {
                    cutoff_at: s.cancel_cutoff,
                });
            }
            s.cancel_result = None;
            s.cancel_requested = true;
            None
        });
        if let Some(answer) = refused {
            return answer;
        }
        let _ = ctx.wait_condition(|s| s.cancel_result.is_some()).await;
        ctx.state(|s| s.cancel_result.unwrap_or(CancelOutcome::NotCancellable))
    }
}
