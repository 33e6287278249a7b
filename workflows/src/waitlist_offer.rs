//! `waitlist-offer/{instance}/{session}/{release}` (design §3, rules O1–O8): one process per
//! released seat (or seats). It releases the seat, broadcasts the offer to everyone waiting,
//! answers `respond` updates synchronously (first valid confirm wins, the seat claim being one
//! DB transaction), protects a parent who began booking (grace), then holds the seats for the
//! people in line in turn — as many at once as there are seats — until the seats are taken,
//! the queue is empty or the cutoff comes. The decisions are [`OfferBook`]'s; this file adds
//! timers, activities and messages.
//!
//! A step that fails for good ends the offer in phase `failed`: its seats go back to the
//! session and the `OfferPhase` search attribute says so.

use crate::activities::{
    ClaimOutcome, ClaimRequest, ClaimSeat, CloseOffer, CloseRequest, ExpireHolder, HoldForNext,
    HoldRequest, LapseRequest, NotifyEntries, NotifyRequest, OfferNotice, RecordResponse,
    ReleaseRequest, ReleaseSeats, ResponseRecord,
};
use crate::clock::now;
use crate::delivery::deliver_all;
use crate::offer::{
    Action, OfferInput, OfferPhase, OfferStatus, ReleaseOutcome, ReleaseRefusal, RespondInput,
    Verdict,
};
use crate::options;
use crate::rules::offer_flow::{BroadcastStep, ClaimResult, HoldStep, OfferBook};
use crate::rules::time::until;
use crate::search_attributes::{OFFER_OUTCOME, OFFER_PHASE, SESSION_KEY};
use chrono::{DateTime, Utc};
use std::time::Duration;
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{
    CancellableFuture, SyncWorkflowContext, WorkflowContext, WorkflowContextView, WorkflowResult,
};

pub const WORKFLOW_TYPE: &str = "WaitlistOfferWorkflow";

/// Patch: the broadcast also wakes at its deadline when a grace runs longer, so the
/// validator refuses late answers from then on (runs recorded before it replay without).
const WAKE_AT_DEADLINE: &str = "offer-wake-at-deadline-1";

/// Patch: at most one seat claim per open seat runs at once; the other confirms wait for one
/// to settle and hear "taken" without touching the database once the seats are gone (a
/// hundred confirms no longer queue a hundred transactions on one session's lock).
const ONE_CLAIM_PER_SEAT: &str = "offer-one-claim-per-seat-1";

#[workflow]
pub struct WaitlistOfferWorkflow {
    input: OfferInput,
    workflow_id: String,
    book: OfferBook,
    release: Option<ReleaseOutcome>,
    /// Notification wave of this offer: 1 = the broadcast, then each hold or re-send.
    round: u32,
    handlers_running: u32,
    /// Bumped on every change the main loop must re-evaluate (grace, decline, claim, leave).
    epoch: u64,
}

/// Why a wait ended.
enum Woke {
    Timer,
    Changed,
}

/// How the hold phase ended.
enum HoldEnd {
    Phase(OfferPhase),
    /// A step failed for good.
    Failed,
}

impl WaitlistOfferWorkflow {
    fn set_phase(ctx: &WorkflowContext<Self>, phase: OfferPhase) {
        ctx.state_mut(|s| s.book.phase = phase);
        ctx.upsert_search_attributes([OFFER_PHASE.value_set(phase.as_str().to_string())]);
    }

    fn bump(ctx: &WorkflowContext<Self>) {
        ctx.state_mut(|s| s.epoch += 1);
    }

    /// Sleeps until `at` or until the state's epoch moves, whichever first; a timer that loses
    /// is cancelled (see the field notes).
    async fn wait_until_or_change(ctx: &WorkflowContext<Self>, at: Option<DateTime<Utc>>) -> Woke {
        let seen = ctx.state(|s| s.epoch);
        let Some(at) = at else {
            let _ = ctx.wait_condition(|s| s.epoch != seen).await;
            return Woke::Changed;
        };
        let timer = ctx.timer(until(now(ctx), at).max(Duration::from_millis(1)));
        futures::pin_mut!(timer);
        let woke = temporalio_sdk::workflows::select! {
            _ = timer.as_mut() => Woke::Timer,
            _ = ctx.wait_condition(|s| s.epoch != seen) => Woke::Changed,
        };
        if matches!(woke, Woke::Changed) {
            timer.cancel();
        }
        woke
    }

    /// The broadcast round (O2–O4, O6), until [`OfferBook::broadcast_step`] says it is over.
    async fn broadcast(ctx: &WorkflowContext<Self>, wake_at_deadline: bool) {
        loop {
            let t = now(ctx);
            let step = ctx.state_mut(|s| {
                s.book.observe(t);
                s.book.broadcast_step(t, wake_at_deadline)
            });
            match step {
                BroadcastStep::Over => return,
                BroadcastStep::WaitForChange => {
                    Self::wait_until_or_change(ctx, None).await;
                }
                BroadcastStep::WaitUntil(at) => {
                    Self::wait_until_or_change(ctx, Some(at)).await;
                }
            }
        }
    }

    /// O5: holds the open seats for the next people in line, as many as there are seats;
    /// returns the keys of the `hold_for_you` messages to deliver, or `None` when a step failed
    /// for good.
    async fn fill_holds(ctx: &WorkflowContext<Self>) -> Option<Vec<String>> {
        let mut wechat = Vec::new();
        while ctx.state(|s| s.book.holds_wanted()) > 0 {
            let request = ctx.state_mut(|s| {
                s.round += 1;
                HoldRequest {
                    workflow_id: s.workflow_id.clone(),
                    session: s.input.session,
                    round: s.round,
                    exclude: s.book.hold_exclusions(),
                    hold_seconds: s.book.hold_seconds,
                    cutoff_at: s.book.cutoff_at.unwrap_or(s.input.starts_at),
                    holders: s.book.holders.keys().copied().collect(),
                }
            });
            let round = request.round;
            match ctx
                .execute_activity(HoldForNext, request, options::db())
                .await
            {
                Ok(Some(hold)) => {
                    ctx.state_mut(|s| {
                        s.book.hold_started(hold.waitlist_id, hold.deadline, round);
                        s.epoch += 1;
                    });
                    wechat.extend(hold.wechat);
                }
                Ok(None) => break,
                Err(_) => return None,
            }
        }
        Some(wechat)
    }

    /// Hold in turn (O5, O7) while seats remain. Returns the phase it stopped in.
    async fn hold_in_turn(ctx: &WorkflowContext<Self>) -> HoldEnd {
        loop {
            let (seats, cutoff) = ctx.state(|s| (s.book.seats_open, s.book.cutoff_at));
            if seats == 0 {
                return HoldEnd::Phase(OfferPhase::Won);
            }
            if cutoff.is_none_or(|c| now(ctx) >= c) {
                return HoldEnd::Phase(OfferPhase::Cutoff);
            }
            let before = ctx.state(|s| s.book.holders.len());
            let Some(wechat) = Self::fill_holds(ctx).await else {
                return HoldEnd::Failed;
            };
            let held = ctx.state(|s| s.book.holders.len());
            if held == 0 {
                return HoldEnd::Phase(OfferPhase::Exhausted);
            }
            if held > before {
                Self::set_phase(ctx, OfferPhase::Hold);
            }
            let (step, ()) = futures::join!(Self::hold_ends(ctx, held), deliver_all(ctx, wechat));
            match step {
                HoldStep::Released(ids) => ctx.state_mut(|s| {
                    for id in ids {
                        s.book.hold_ended(id);
                    }
                }),
                HoldStep::Lapsed(ids) => {
                    for id in ids {
                        if !Self::lapse(ctx, id).await {
                            return HoldEnd::Failed;
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// O7: a hold that lapsed unanswered expires that entry and tells the parent; false when
    /// the step failed for good.
    async fn lapse(ctx: &WorkflowContext<Self>, id: i64) -> bool {
        let lapse = ctx.state_mut(|s| {
            let round = s.book.holders.get(&id).map_or(s.round, |h| h.round);
            s.book.hold_ended(id);
            LapseRequest {
                workflow_id: s.workflow_id.clone(),
                session: s.input.session,
                round,
                waitlist_id: id,
            }
        });
        match ctx
            .execute_activity(ExpireHolder, lapse, options::db())
            .await
        {
            Ok(wechat) => {
                deliver_all(ctx, wechat).await;
                true
            }
            Err(_) => false,
        }
    }

    /// Waits for what ends the current hold wait ([`OfferBook::hold_step`]).
    async fn hold_ends(ctx: &WorkflowContext<Self>, held_at_start: usize) -> HoldStep {
        loop {
            let t = now(ctx);
            let step = ctx.state(|s| s.book.hold_step(t, held_at_start));
            match step {
                HoldStep::WaitForChange => {
                    Self::wait_until_or_change(ctx, None).await;
                }
                HoldStep::WaitUntil(at) => {
                    Self::wait_until_or_change(ctx, Some(at)).await;
                }
                done => return done,
            }
        }
    }

    /// O4: everyone else who was told about the seat learns it is gone.
    async fn tell_losers(ctx: &WorkflowContext<Self>) -> bool {
        let request = ctx.state(|s| NotifyRequest {
            workflow_id: s.workflow_id.clone(),
            session: s.input.session,
            round: 1,
            notice: OfferNotice::SeatTaken,
            waitlist_ids: s.book.losers(),
            deadline: None,
        });
        if request.waitlist_ids.is_empty() {
            return true;
        }
        match ctx
            .execute_activity(NotifyEntries, request, options::db())
            .await
        {
            Ok(sent) => {
                deliver_all(ctx, sent.wechat).await;
                true
            }
            Err(_) => false,
        }
    }

    /// Runs an opened offer to its end; returns the phase it ends in.
    async fn run_offer(ctx: &WorkflowContext<Self>, wechat: Vec<String>) -> OfferPhase {
        Self::set_phase(ctx, OfferPhase::Broadcast);
        let wake_at_deadline = ctx.patched(WAKE_AT_DEADLINE);
        futures::join!(
            Self::broadcast(ctx, wake_at_deadline),
            deliver_all(ctx, wechat)
        );
        let phase = if ctx.state(|s| s.book.seats_open) == 0 {
            OfferPhase::Won
        } else {
            match Self::hold_in_turn(ctx).await {
                HoldEnd::Phase(p) => p,
                HoldEnd::Failed => OfferPhase::Failed,
            }
        };
        if phase == OfferPhase::Won {
            // The seats are won even if the "taken" messages fail for good.
            let _told = Self::tell_losers(ctx).await;
        }
        phase
    }
}

#[workflow_methods]
impl WaitlistOfferWorkflow {
    #[init]
    pub fn new(ctx: &WorkflowContextView, input: OfferInput) -> Self {
        Self {
            workflow_id: ctx.workflow_id().to_string(),
            book: OfferBook::default(),
            input,
            release: None,
            round: 0,
            handlers_running: 0,
            epoch: 0,
        }
    }

    #[run(name = "WaitlistOfferWorkflow")]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<OfferStatus> {
        let (session, request) = ctx.state(|s| {
            (
                s.input.session,
                ReleaseRequest {
                    workflow_id: s.workflow_id.clone(),
                    session: s.input.session,
                    release: s.input.release.clone(),
                    settings: s.input.settings,
                    starts_at: s.input.starts_at,
                },
            )
        });
        ctx.upsert_search_attributes([SESSION_KEY.value_set(session.to_string())]);
        let release = request.release.clone();
        let outcome = match ctx
            .execute_activity(ReleaseSeats, request, options::db())
            .await
        {
            Ok(outcome) => outcome,
            // One transaction: nothing was released. The caller hears "try again".
            Err(_) => ReleaseOutcome {
                release,
                refusal: Some(ReleaseRefusal::Unavailable),
                seats: 0,
                pending_makeup_id: None,
                offer: None,
                no_offer_reason: None,
                wechat: Vec::new(),
                auto_accepted: Vec::new(),
            },
        };
        let opened = outcome.offer.clone();
        ctx.state_mut(|s| {
            s.release = Some(outcome.clone());
            s.book.seats_open = if opened.is_some() {
                outcome.seats_offered()
            } else {
                0
            };
            // AA1: auto-accept entries won their seats in the release step itself.
            s.book
                .winners
                .extend(outcome.auto_accepted.iter().map(|a| a.waitlist_id));
        });

        let final_phase = match (outcome.closed_phase(), opened) {
            (Some(phase), _) => {
                // AA1: every seat went to auto-accept; its messages still go out. (A release
                // that opened no offer had no messages before auto-accept existed.)
                if !outcome.wechat.is_empty() {
                    deliver_all(ctx, outcome.wechat.clone()).await;
                }
                phase
            }
            (None, None) => OfferPhase::Exhausted,
            (None, Some(opened)) => {
                ctx.state_mut(|s| {
                    s.book.deadline = Some(opened.deadline);
                    s.book.cutoff_at = Some(opened.cutoff_at);
                    s.book.grace_seconds = opened.grace_seconds;
                    s.book.hold_seconds = opened.hold_seconds;
                    s.book.notified = opened.notified.iter().copied().collect();
                    s.round = 1;
                });
                let phase = Self::run_offer(ctx, outcome.wechat.clone()).await;
                let close = ctx.state(|s| CloseRequest {
                    workflow_id: s.workflow_id.clone(),
                    session,
                    phase,
                    reason: match phase {
                        OfferPhase::Won => None,
                        OfferPhase::Cutoff => Some("cutoff".to_string()),
                        OfferPhase::Failed => Some("system_error".to_string()),
                        _ => Some("queue_empty".to_string()),
                    },
                });
                // If even this fails for good, the run fails: the maintenance job finds the
                // open offer of a closed run and gives its seats back.
                ctx.execute_activity(CloseOffer, close, options::db())
                    .await?;
                phase
            }
        };
        Self::set_phase(ctx, final_phase);
        ctx.upsert_search_attributes([OFFER_OUTCOME.value_set(final_phase.as_str().to_string())]);
        // Let running update handlers answer before the workflow completes.
        let _ = ctx.wait_condition(|s| s.handlers_running == 0).await;
        Ok(ctx.state(|s| s.status_now()))
    }

    /// The release step's outcome, once known (the API waits on it through update-with-start).
    #[update(name = "release")]
    pub async fn release(ctx: &mut WorkflowContext<Self>) -> ReleaseOutcome {
        ctx.state_mut(|s| s.handlers_running += 1);
        let _ = ctx.wait_condition(|s| s.release.is_some()).await;
        ctx.state_mut(|s| {
            s.handlers_running -= 1;
            s.release
                .clone()
                .expect("the condition waited for the release")
        })
    }

    #[update_validator(respond)]
    fn validate_respond(
        &self,
        _ctx: &WorkflowContextView,
        input: &RespondInput,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.book.validate(input).map_err(Into::into)
    }

    /// O4–O7: `begin` (grace), `confirm` (seat claim) or `decline`, answered synchronously.
    #[update(name = "respond")]
    pub async fn respond(ctx: &mut WorkflowContext<Self>, input: RespondInput) -> Verdict {
        ctx.state_mut(|s| {
            s.handlers_running += 1;
            s.book.answered(input.waitlist_id);
        });
        let verdict = Self::handle_respond(ctx, input).await;
        ctx.state_mut(|s| {
            s.handlers_running -= 1;
            s.epoch += 1;
        });
        verdict
    }

    /// The entry left the queue (the API tells every open offer of the session): a holder's
    /// seat goes to the next in line at once.
    #[signal(name = "entry_left")]
    pub fn entry_left(&mut self, _ctx: &mut SyncWorkflowContext<Self>, waitlist_id: i64) {
        self.book.entry_left(waitlist_id);
        self.epoch += 1;
    }

    /// Ops: send the current round again (`POST /api/v1/waitlist/notify`); returns the
    /// number of new in-app messages. Nothing is sent once the offer has closed.
    #[update(name = "resend")]
    pub async fn resend(ctx: &mut WorkflowContext<Self>) -> u32 {
        let Some(request) = ctx.state_mut(|s| {
            if !s.book.phase.is_open() || s.book.seats_open == 0 {
                return None;
            }
            s.round += 1;
            let notice = if s.book.phase == OfferPhase::Hold && !s.book.holders.is_empty() {
                OfferNotice::HoldForYou
            } else {
                OfferNotice::SpotAvailable
            };
            s.handlers_running += 1;
            Some(NotifyRequest {
                workflow_id: s.workflow_id.clone(),
                session: s.input.session,
                round: s.round,
                notice,
                waitlist_ids: s.book.resend_targets(),
                deadline: s.book.deadline,
            })
        }) else {
            return 0;
        };
        let outcome = ctx
            .execute_activity(NotifyEntries, request, options::db())
            .await
            .unwrap_or_default();
        deliver_all(ctx, outcome.wechat).await;
        ctx.state_mut(|s| s.handlers_running -= 1);
        outcome.written
    }

    #[query(name = "status")]
    pub fn status(&self, _ctx: &WorkflowContextView) -> OfferStatus {
        self.status_now()
    }
}

impl WaitlistOfferWorkflow {
    fn status_now(&self) -> OfferStatus {
        let holders: Vec<i64> = self.book.holders.keys().copied().collect();
        OfferStatus {
            phase: self.book.phase,
            seats_open: self.book.seats_open,
            deadline: self
                .book
                .holders
                .values()
                .map(|h| h.deadline)
                .min()
                .or(self.book.deadline),
            holder: holders.first().copied(),
            holders,
            winners: self.book.winners.clone(),
            notified: self.book.notified.len(),
        }
    }

    /// M3: a seat won from a pending makeup's waitlist entry is that makeup; its own
    /// `MakeupBookingWorkflow` takes it over (cancellation, class end, the credit).
    async fn adopt_makeup(ctx: &WorkflowContext<Self>, m: crate::activities::AdoptedMakeup) {
        let (session, settings, ids) =
            ctx.state(|s| (s.input.session, s.input.settings, s.input.ids.clone()));
        let request = crate::makeup::MakeupRequest {
            pending_id: m.pending_id,
            session,
            accept_shorter: m.accept_shorter,
            use_compensation: m.use_compensation,
            settings,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            adopt: Some(m.booked),
            ids: ids.clone(),
        };
        let options = temporalio_sdk::ChildWorkflowOptions::builder()
            .workflow_id(ids.makeup(m.pending_id, session))
            .parent_close_policy(temporalio_sdk::ParentClosePolicy::Abandon)
            .build();
        let _ = ctx
            .start_child_workflow(crate::MakeupBookingWorkflow::run, request, options)
            .await;
    }

    async fn handle_respond(ctx: &WorkflowContext<Self>, input: RespondInput) -> Verdict {
        // Wait for the release step, so an update right after start sees the open offer.
        let _ = ctx.wait_condition(|s| s.release.is_some()).await;
        let t = now(ctx);
        let id = input.waitlist_id;
        if let Err(rejection) = ctx.state(|s| s.book.validate(&input)) {
            // Accepted while the release was pending, refused now that it is known.
            return ctx.state(|s| match rejection {
                crate::offer::RespondRejection::NotOffered
                | crate::offer::RespondRejection::Invalid => Verdict::NotOffered,
                _ => s.book.refused(),
            });
        }
        if !ctx.state(|s| s.book.may_act(id, t)) {
            return ctx.state(|s| s.book.refused());
        }
        let workflow_id = ctx.state(|s| s.workflow_id.clone());
        match input.action {
            Action::Begin => {
                let grace_until = ctx.state_mut(|s| {
                    s.epoch += 1;
                    s.book.begin(id, t)
                });
                let record = ResponseRecord {
                    workflow_id,
                    waitlist_id: id,
                    action: Action::Begin,
                    at: t,
                    grace_until: Some(grace_until),
                };
                // The grace holds in the workflow whether or not the record lands first.
                let _ = ctx
                    .execute_activity(RecordResponse, record, options::db())
                    .await;
                Verdict::Began { grace_until }
            }
            Action::Decline => {
                ctx.state_mut(|s| {
                    s.book.decline(id);
                    s.epoch += 1;
                });
                let record = ResponseRecord {
                    workflow_id,
                    waitlist_id: id,
                    action: Action::Decline,
                    at: t,
                    grace_until: None,
                };
                let _ = ctx
                    .execute_activity(RecordResponse, record, options::db())
                    .await;
                Verdict::Declined
            }
            Action::Confirm => Self::confirm(ctx, workflow_id, id).await,
        }
    }

    /// O4: the seat claim, one DB transaction; its result settles the book.
    async fn confirm(ctx: &WorkflowContext<Self>, workflow_id: String, id: i64) -> Verdict {
        if ctx.patched(ONE_CLAIM_PER_SEAT) {
            let _ = ctx.wait_condition(|s| s.book.claim_may_start()).await;
            if ctx.state(|s| s.book.seats_open == 0) {
                return ctx.state(|s| s.book.refused());
            }
        }
        let claim = ctx.state_mut(|s| {
            s.book.claims_in_flight += 1;
            ClaimRequest {
                workflow_id,
                session: s.input.session,
                waitlist_id: id,
                settings: s.input.settings,
            }
        });
        let outcome = ctx.execute_activity(ClaimSeat, claim, options::db()).await;
        let (result, adopted) = match outcome {
            Ok(ClaimOutcome::Won {
                booking_id,
                seats_left,
                makeup,
            }) => (
                ClaimResult::Won {
                    booking_id,
                    seats_left,
                },
                makeup,
            ),
            Ok(ClaimOutcome::NoSeat) => (ClaimResult::NoSeat, None),
            Ok(ClaimOutcome::TooFew { seats_left }) => (ClaimResult::TooFew { seats_left }, None),
            Ok(ClaimOutcome::NotActive) => (ClaimResult::NotActive, None),
            Ok(ClaimOutcome::Refused { refusal }) => (ClaimResult::MakeupRefused(refusal), None),
            Err(_) => (ClaimResult::Failed, None),
        };
        let verdict = ctx.state_mut(|s| {
            s.book.claims_in_flight -= 1;
            s.epoch += 1;
            s.book.claim_settled(id, result)
        });
        if let Some(m) = adopted {
            Self::adopt_makeup(ctx, m).await;
        }
        Self::bump(ctx);
        verdict
    }
}
