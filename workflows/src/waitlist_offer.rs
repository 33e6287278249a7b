//! `waitlist-offer/{session}/{release}` (design §3, rules O1–O8): one process per released
//! seat (or seats). It releases the seat, broadcasts the offer to everyone waiting, answers
//! `respond` updates synchronously (first valid confirm wins, the seat claim being one DB
//! transaction), protects a parent who began booking (grace), then holds the seat for each
//! person in line in turn, until the seat is taken, the queue is empty or the cutoff comes.

use crate::activities::{
    ClaimOutcome, ClaimRequest, ClaimSeat, CloseOffer, CloseRequest, ExpireHolder, HoldForNext,
    HoldRequest, LapseRequest, NotifyEntries, NotifyRequest, OfferNotice, RecordResponse,
    ReleaseRequest, ReleaseSeats, ResponseRecord,
};
use crate::delivery::deliver_all;
use crate::offer::{
    Action, OfferInput, OfferPhase, OfferStatus, ReleaseOutcome, RespondInput, Verdict,
};
use crate::rules::offer::{grace_until, in_time};
use crate::rules::time::until;
use crate::search_attributes::{OFFER_OUTCOME, OFFER_PHASE, SESSION_KEY};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;
use temporalio_common::RetryPolicy;
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{
    ActivityOptions, CancellableFuture, WorkflowContext, WorkflowContextView, WorkflowResult,
};

pub const WORKFLOW_TYPE: &str = "WaitlistOfferWorkflow";

#[workflow]
#[derive(Default)]
pub struct WaitlistOfferWorkflow {
    workflow_id: String,
    session: Option<crate::SessionKey>,
    settings: crate::settings::ClassSettings,
    phase: OfferPhase,
    release: Option<ReleaseOutcome>,
    seats_open: u32,
    /// Current response deadline: the broadcast deadline, then each hold's.
    deadline: Option<DateTime<Utc>>,
    cutoff_at: Option<DateTime<Utc>>,
    grace_seconds: u32,
    hold_seconds: u32,
    notified: BTreeSet<i64>,
    declined: BTreeSet<i64>,
    graces: BTreeMap<i64, DateTime<Utc>>,
    holder: Option<i64>,
    /// Notification wave of this offer: 1 = the broadcast, then each hold or re-send.
    round: u32,
    winners: Vec<i64>,
    claims_in_flight: u32,
    handlers_running: u32,
    /// Bumped on every change the main loop must re-evaluate (grace, decline, claim).
    epoch: u64,
}

fn db_options() -> ActivityOptions {
    ActivityOptions::with_start_to_close_timeout(Duration::from_secs(15))
        .retry_policy(
            RetryPolicy::builder()
                .initial_interval(Duration::from_millis(200))
                .backoff_coefficient(2.0)
                .maximum_interval(Duration::from_secs(10))
                .build(),
        )
        .build()
}

fn now<W>(ctx: &WorkflowContext<W>) -> DateTime<Utc> {
    ctx.workflow_time().map(Into::into).unwrap_or_else(Utc::now)
}

/// Why a wait ended.
enum Woke {
    Timer,
    Changed,
}

impl WaitlistOfferWorkflow {
    fn set_phase(ctx: &WorkflowContext<Self>, phase: OfferPhase) {
        ctx.state_mut(|s| s.phase = phase);
        ctx.upsert_search_attributes([OFFER_PHASE.value_set(phase.as_str().to_string())]);
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

    /// The broadcast round (O2–O4, O6): ends when every seat is won, or when the deadline and
    /// every grace have passed with no claim still running.
    async fn broadcast(ctx: &WorkflowContext<Self>) {
        loop {
            let (seats, deadline, cutoff, last_grace, claims) = ctx.state(|s| {
                (
                    s.seats_open,
                    s.deadline.unwrap_or_default(),
                    s.cutoff_at.unwrap_or_default(),
                    s.graces.values().max().copied(),
                    s.claims_in_flight,
                )
            });
            if seats == 0 {
                return;
            }
            let wake_at = last_grace.map_or(deadline, |g| g.max(deadline)).min(cutoff);
            if now(ctx) >= wake_at {
                if claims == 0 {
                    return;
                }
                Self::wait_until_or_change(ctx, None).await;
            } else {
                Self::wait_until_or_change(ctx, Some(wake_at)).await;
            }
        }
    }

    /// Hold in turn (O5, O7) while seats remain. Returns the reason it stopped.
    async fn hold_in_turn(
        ctx: &WorkflowContext<Self>,
        session: crate::SessionKey,
    ) -> WorkflowResult<OfferPhase> {
        loop {
            let (seats, cutoff) = ctx.state(|s| (s.seats_open, s.cutoff_at.unwrap_or_default()));
            if seats == 0 {
                return Ok(OfferPhase::Won);
            }
            if now(ctx) >= cutoff {
                return Ok(OfferPhase::Cutoff);
            }
            let round = ctx.state_mut(|s| {
                s.round += 1;
                s.round
            });
            let request = ctx.state(|s| HoldRequest {
                workflow_id: s.workflow_id.clone(),
                session,
                round,
                exclude: s.declined.iter().copied().collect(),
                hold_seconds: s.hold_seconds,
                cutoff_at: cutoff,
            });
            let Some(hold) = ctx
                .execute_activity(HoldForNext, request, db_options())
                .await?
            else {
                return Ok(OfferPhase::Exhausted);
            };
            ctx.state_mut(|s| {
                s.holder = Some(hold.waitlist_id);
                s.deadline = Some(hold.deadline);
                s.graces.clear();
                s.epoch += 1;
            });
            Self::set_phase(ctx, OfferPhase::Hold);
            let (lapsed, ()) = futures::join!(
                Self::hold_ends(ctx, hold.waitlist_id, seats),
                deliver_all(ctx, hold.wechat.clone())
            );
            ctx.state_mut(|s| s.holder = None);
            if lapsed {
                let lapse = ctx.state(|s| LapseRequest {
                    workflow_id: s.workflow_id.clone(),
                    session,
                    round,
                    waitlist_id: hold.waitlist_id,
                });
                let wechat = ctx
                    .execute_activity(ExpireHolder, lapse, db_options())
                    .await?;
                deliver_all(ctx, wechat).await;
            }
        }
    }

    /// Waits for the seat to be won, the holder to decline, or the hold (and its grace) to
    /// lapse; true when it lapsed.
    async fn hold_ends(ctx: &WorkflowContext<Self>, holder: i64, seats: u32) -> bool {
        loop {
            let (seats_now, declined, deadline, grace, claims) = ctx.state(|s| {
                (
                    s.seats_open,
                    s.declined.contains(&holder),
                    s.deadline.unwrap_or_default(),
                    s.graces.get(&holder).copied(),
                    s.claims_in_flight,
                )
            });
            if seats_now < seats || declined {
                return false;
            }
            let wake_at = grace.map_or(deadline, |g| g.max(deadline));
            if now(ctx) >= wake_at {
                if claims == 0 {
                    return true;
                }
                Self::wait_until_or_change(ctx, None).await;
            } else {
                Self::wait_until_or_change(ctx, Some(wake_at)).await;
            }
        }
    }

    /// The verdict for someone who may not confirm now.
    fn refused(s: &Self) -> Verdict {
        if s.seats_open == 0 && !s.winners.is_empty() {
            Verdict::Taken
        } else {
            Verdict::Expired
        }
    }

    /// May `id` act on the seat at `t`? Broadcast: any notified entry in time. Hold: the holder.
    fn may_act(s: &Self, id: i64, t: DateTime<Utc>) -> bool {
        if s.seats_open == 0 || s.declined.contains(&id) {
            return false;
        }
        let deadline = s.deadline.unwrap_or_default();
        match s.phase {
            OfferPhase::Broadcast => {
                s.notified.contains(&id) && in_time(t, deadline, s.graces.get(&id).copied())
            }
            OfferPhase::Hold => {
                s.holder == Some(id) && in_time(t, deadline, s.graces.get(&id).copied())
            }
            _ => false,
        }
    }
}

#[workflow_methods]
impl WaitlistOfferWorkflow {
    #[run(name = "WaitlistOfferWorkflow")]
    pub async fn run(
        ctx: &mut WorkflowContext<Self>,
        input: OfferInput,
    ) -> WorkflowResult<OfferStatus> {
        let workflow_id = ctx.workflow_id().to_string();
        ctx.state_mut(|s| {
            s.workflow_id = workflow_id.clone();
            s.session = Some(input.session);
            s.settings = input.settings;
        });
        ctx.upsert_search_attributes([SESSION_KEY.value_set(input.session.to_string())]);
        let request = ReleaseRequest {
            workflow_id: workflow_id.clone(),
            session: input.session,
            release: input.release.clone(),
            settings: input.settings,
            starts_at: input.starts_at,
        };
        let outcome = ctx
            .execute_activity(ReleaseSeats, request, db_options())
            .await?;
        let offer = outcome.offer.clone();
        ctx.state_mut(|s| {
            s.release = Some(outcome.clone());
            s.seats_open = if offer.is_some() { outcome.seats } else { 0 };
        });

        let final_phase = match offer {
            None if outcome.refusal.is_some() => OfferPhase::NothingReleased,
            None if outcome.no_offer_reason.as_deref() == Some("cutoff") => OfferPhase::Cutoff,
            None => OfferPhase::Exhausted,
            Some(opened) => {
                ctx.state_mut(|s| {
                    s.deadline = Some(opened.deadline);
                    s.cutoff_at = Some(opened.cutoff_at);
                    s.grace_seconds = opened.grace_seconds;
                    s.hold_seconds = opened.hold_seconds;
                    s.notified = opened.notified.iter().copied().collect();
                    s.round = 1;
                });
                Self::set_phase(ctx, OfferPhase::Broadcast);
                futures::join!(
                    Self::broadcast(ctx),
                    deliver_all(ctx, outcome.wechat.clone())
                );
                let phase = if ctx.state(|s| s.seats_open) == 0 {
                    OfferPhase::Won
                } else {
                    Self::hold_in_turn(ctx, input.session).await?
                };
                if phase == OfferPhase::Won {
                    // O4: everyone else who was told about this seat learns it is gone.
                    let others: Vec<i64> = ctx.state(|s| {
                        s.notified
                            .iter()
                            .copied()
                            .filter(|id| !s.winners.contains(id))
                            .collect()
                    });
                    if !others.is_empty() {
                        let notice = NotifyRequest {
                            workflow_id: workflow_id.clone(),
                            session: input.session,
                            round: 1,
                            notice: OfferNotice::SeatTaken,
                            waitlist_ids: others,
                            deadline: None,
                        };
                        let sent = ctx
                            .execute_activity(NotifyEntries, notice, db_options())
                            .await?;
                        deliver_all(ctx, sent.wechat).await;
                    }
                }
                let reason = match phase {
                    OfferPhase::Won => None,
                    OfferPhase::Cutoff => Some("cutoff".to_string()),
                    _ => Some("queue_empty".to_string()),
                };
                let close = CloseRequest {
                    workflow_id: workflow_id.clone(),
                    session: input.session,
                    phase,
                    reason,
                };
                ctx.execute_activity(CloseOffer, close, db_options())
                    .await?;
                phase
            }
        };
        Self::set_phase(ctx, final_phase);
        ctx.upsert_search_attributes([OFFER_OUTCOME.value_set(final_phase.as_str().to_string())]);
        // Let running update handlers answer before the workflow completes.
        let _ = ctx.wait_condition(|s| s.handlers_running == 0).await;
        Ok(ctx.state(|s| OfferStatus {
            phase: s.phase,
            seats_open: s.seats_open,
            deadline: s.deadline,
            holder: s.holder,
            winners: s.winners.clone(),
            notified: s.notified.len(),
        }))
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
        if input.waitlist_id <= 0 {
            return Err("invalid waitlist id".into());
        }
        match self.phase {
            OfferPhase::Won => Err("taken".into()),
            OfferPhase::Exhausted | OfferPhase::Cutoff | OfferPhase::NothingReleased => {
                Err("expired".into())
            }
            _ => Ok(()),
        }
    }

    /// O4–O7: `begin` (grace), `confirm` (seat claim) or `decline`, answered synchronously.
    #[update(name = "respond")]
    pub async fn respond(ctx: &mut WorkflowContext<Self>, input: RespondInput) -> Verdict {
        ctx.state_mut(|s| s.handlers_running += 1);
        let verdict = Self::handle_respond(ctx, input).await;
        ctx.state_mut(|s| {
            s.handlers_running -= 1;
            s.epoch += 1;
        });
        verdict
    }

    /// Ops: send the current round again (`POST /api/v1/waitlist/notify`); returns the
    /// number of new in-app messages. Nothing is sent once the offer has closed.
    #[update(name = "resend")]
    pub async fn resend(ctx: &mut WorkflowContext<Self>) -> u32 {
        let Some(request) = ctx.state_mut(|s| {
            if !s.phase.is_open() || s.seats_open == 0 {
                return None;
            }
            s.round += 1;
            let (notice, ids) = match (s.phase, s.holder) {
                (OfferPhase::Hold, Some(holder)) => (OfferNotice::HoldForYou, vec![holder]),
                _ => (
                    OfferNotice::SpotAvailable,
                    s.notified
                        .iter()
                        .copied()
                        .filter(|id| !s.declined.contains(id) && !s.winners.contains(id))
                        .collect(),
                ),
            };
            s.handlers_running += 1;
            Some(NotifyRequest {
                workflow_id: s.workflow_id.clone(),
                session: s
                    .session
                    .unwrap_or(crate::SessionKey::new(0, chrono::NaiveDate::MIN)),
                round: s.round,
                notice,
                waitlist_ids: ids,
                deadline: s.deadline,
            })
        }) else {
            return 0;
        };
        let outcome = ctx
            .execute_activity(NotifyEntries, request, db_options())
            .await
            .unwrap_or_default();
        deliver_all(ctx, outcome.wechat).await;
        ctx.state_mut(|s| s.handlers_running -= 1);
        outcome.written
    }

    #[query(name = "status")]
    pub fn status(&self, _ctx: &WorkflowContextView) -> OfferStatus {
        OfferStatus {
            phase: self.phase,
            seats_open: self.seats_open,
            deadline: self.deadline,
            holder: self.holder,
            winners: self.winners.clone(),
            notified: self.notified.len(),
        }
    }
}

impl WaitlistOfferWorkflow {
    /// M3: a seat won from a pending makeup's waitlist entry is that makeup; its own
    /// `MakeupBookingWorkflow` takes it over (cancellation, class end, the credit).
    async fn adopt_makeup(ctx: &WorkflowContext<Self>, m: crate::activities::AdoptedMakeup) {
        let (session, settings) = ctx.state(|s| (s.session, s.settings));
        let Some(session) = session else { return };
        let request = crate::makeup::MakeupRequest {
            pending_id: m.pending_id,
            session,
            accept_shorter: true,
            use_compensation: false,
            settings,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            adopt: Some(m.booked),
        };
        let options = temporalio_sdk::ChildWorkflowOptions::builder()
            .workflow_id(crate::makeup::makeup_workflow_id(m.pending_id, session))
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
        let offered = ctx.state(|s| s.notified.contains(&id) || s.holder == Some(id));
        if !offered {
            return ctx.state(|s| {
                if s.phase.is_open() {
                    Verdict::NotOffered
                } else {
                    Self::refused(s)
                }
            });
        }
        if !ctx.state(|s| Self::may_act(s, id, t)) {
            return ctx.state(Self::refused);
        }
        let workflow_id = ctx.state(|s| s.workflow_id.clone());
        match input.action {
            Action::Begin => {
                let until_at = ctx.state_mut(|s| {
                    let deadline = s.deadline.unwrap_or(t);
                    let g = *s.graces.entry(id).or_insert_with(|| {
                        grace_until(
                            t,
                            deadline,
                            s.grace_seconds,
                            s.cutoff_at.unwrap_or(deadline),
                        )
                    });
                    s.epoch += 1;
                    g
                });
                let record = ResponseRecord {
                    workflow_id,
                    waitlist_id: id,
                    action: Action::Begin,
                    at: t,
                    grace_until: Some(until_at),
                };
                // The grace holds in the workflow whether or not the record lands first.
                let _ = ctx
                    .execute_activity(RecordResponse, record, db_options())
                    .await;
                Verdict::Began {
                    grace_until: until_at,
                }
            }
            Action::Decline => {
                ctx.state_mut(|s| {
                    s.declined.insert(id);
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
                    .execute_activity(RecordResponse, record, db_options())
                    .await;
                Verdict::Declined
            }
            Action::Confirm => {
                ctx.state_mut(|s| s.claims_in_flight += 1);
                let claim = ClaimRequest {
                    workflow_id,
                    session: ctx.state(|s| {
                        s.session
                            .unwrap_or(crate::SessionKey::new(0, chrono::NaiveDate::MIN))
                    }),
                    waitlist_id: id,
                    settings: ctx.state(|s| s.settings),
                };
                let outcome = ctx.execute_activity(ClaimSeat, claim, db_options()).await;
                let adopted = match &outcome {
                    Ok(ClaimOutcome::Won {
                        makeup: Some(m), ..
                    }) => Some(m.clone()),
                    _ => None,
                };
                let verdict = ctx.state_mut(|s| {
                    s.claims_in_flight -= 1;
                    s.epoch += 1;
                    match outcome {
                        Ok(ClaimOutcome::Won {
                            booking_id,
                            seats_left,
                            ..
                        }) => {
                            s.seats_open = seats_left;
                            s.winners.push(id);
                            Verdict::Won { booking_id }
                        }
                        Ok(ClaimOutcome::NoSeat) => {
                            s.seats_open = 0;
                            Verdict::Taken
                        }
                        Ok(ClaimOutcome::NotActive) | Err(_) => Verdict::Expired,
                    }
                });
                if let Some(m) = adopted {
                    Self::adopt_makeup(ctx, m).await;
                }
                verdict
            }
        }
    }
}
