//! Activities of `WaitlistOfferWorkflow`: release, claim, hold, lapse, notify, record, close,
//! and the maintenance job's reaping of offers whose run ended. Each is a thin wrapper around a
//! plain function (callable from tests) that locks the session first, loads, asks the rule in
//! `workflows::rules`, writes, and records its outcome where a retry must return it.

use crate::db::offers::{self, BookingToRelease, HoldEnd, NewFlow};
use crate::db::{Db, family, now_millis, outcomes, seats};
use crate::error::{Failure, Result};
use crate::makeup_activities::{self, SeatForMakeup};
use crate::notify::inbox::Notices;
use crate::notify::offer_notices::{Notice, notify};
use crate::notify::templates::NoticeType;
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use tracing::{info, instrument};
use workflows::activities::{
    ClaimOutcome, ClaimRequest, CloseRequest, Hold, HoldRequest, LapseRequest, NoticeOutcome,
    NotifyRequest, OfferNotice, ReapReport, ReleaseRequest, ResponseRecord,
};
use workflows::offer::{
    Action, AutoAccepted, NoOfferReason, OfferOpened, OfferPhase, Release, ReleaseOutcome,
    ReleaseRefusal,
};
use workflows::rules::family::{
    Waiting, auto_accept_picks, broadcast_audience, no_broadcast_reason, seats_for,
};
use workflows::rules::offer::{hold_deadline, no_offer_reason, response_deadline};
use workflows::rules::time::waitlist_cutoff;

pub struct OfferActivities {
    db: Db,
    notices: Notices,
    /// Asks Temporal whether an open offer's run still exists (maintenance); `None` in tests
    /// that run the activities without a server.
    temporal: Option<temporalio_client::Client>,
}

impl OfferActivities {
    pub fn new(db: Db, notices: Notices, temporal: Option<temporalio_client::Client>) -> Self {
        Self {
            db,
            notices,
            temporal,
        }
    }
}

fn kind_of(notice: OfferNotice) -> NoticeType {
    match notice {
        OfferNotice::SpotAvailable => NoticeType::SpotAvailable,
        OfferNotice::SeatTaken => NoticeType::SeatTaken,
        OfferNotice::HoldForYou => NoticeType::HoldForYou,
        OfferNotice::OfferExpired => NoticeType::OfferExpired,
    }
}

#[activities]
impl OfferActivities {
    #[activity(definition = workflows::activities::ReleaseSeats)]
    pub async fn release(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: ReleaseRequest,
    ) -> Result<ReleaseOutcome, ActivityError> {
        release(&self.db, &self.notices, req)
            .await
            .map_err(Failure::into_activity)
    }

    #[activity(definition = workflows::activities::ClaimSeat)]
    pub async fn claim(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: ClaimRequest,
    ) -> Result<ClaimOutcome, ActivityError> {
        claim(&self.db, &self.notices, req)
            .await
            .map_err(Failure::into_activity)
    }

    #[activity(definition = workflows::activities::HoldForNext)]
    pub async fn hold_next(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: HoldRequest,
    ) -> Result<Option<Hold>, ActivityError> {
        hold_next(&self.db, &self.notices, req)
            .await
            .map_err(Failure::into_activity)
    }

    #[activity(definition = workflows::activities::ExpireHolder)]
    pub async fn expire_holder(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: LapseRequest,
    ) -> Result<Vec<String>, ActivityError> {
        expire_holder(&self.db, &self.notices, req)
            .await
            .map_err(Failure::into_activity)
    }

    #[activity(definition = workflows::activities::NotifyEntries)]
    pub async fn notify_entries(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: NotifyRequest,
    ) -> Result<NoticeOutcome, ActivityError> {
        notify_entries(&self.db, &self.notices, req)
            .await
            .map_err(Failure::into_activity)
    }

    #[activity(definition = workflows::activities::RecordResponse)]
    pub async fn record_response(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: ResponseRecord,
    ) -> Result<(), ActivityError> {
        record_response(&self.db, req)
            .await
            .map_err(Failure::into_activity)
    }

    #[activity(definition = workflows::activities::CloseOffer)]
    pub async fn close(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: CloseRequest,
    ) -> Result<(), ActivityError> {
        close(&self.db, &req).await.map_err(Failure::into_activity)
    }

    #[activity(definition = workflows::activities::ReapOffers)]
    pub async fn reap(
        self: Arc<Self>,
        _ctx: ActivityContext,
        min_age_seconds: u32,
    ) -> Result<ReapReport, ActivityError> {
        reap(&self.db, self.temporal.as_ref(), min_age_seconds)
            .await
            .map_err(Failure::into_activity)
    }
}

fn refused(req: &ReleaseRequest, refusal: ReleaseRefusal) -> ReleaseOutcome {
    ReleaseOutcome {
        release: req.release.clone(),
        refusal: Some(refusal),
        seats: 0,
        pending_makeup_id: None,
        offer: None,
        no_offer_reason: None,
        wechat: Vec::new(),
        auto_accepted: Vec::new(),
    }
}

/// AA1: books the auto-accept entries `seats` reach, in queue order, and tells each parent
/// `seat_confirmed`; returns what was booked and the messages to deliver over WeChat. An entry
/// one of whose children got a seat some other way is passed over (nothing of it is booked).
async fn auto_accept(
    tx: &mut sqlx::MySqlConnection,
    notices: &Notices,
    req: &ReleaseRequest,
    queue: &[Waiting],
    seats: u32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Vec<AutoAccepted>, Vec<String>)> {
    let mut accepted = Vec::new();
    for pick in auto_accept_picks(queue, seats) {
        let Some(entry) = offers::lock_entry(&mut *tx, pick.waitlist_id).await? else {
            continue;
        };
        let booked = family::book_children(
            &mut *tx,
            pick.waitlist_id,
            entry.profile_id,
            req.session,
            "waitlist",
            pick.seats,
        )
        .await?;
        let Some(booking_ids) = booked else { continue };
        offers::settle_won_entry(&mut *tx, &entry, pick.waitlist_id, &booking_ids, now).await?;
        accepted.push(AutoAccepted {
            waitlist_id: pick.waitlist_id,
            booking_ids,
        });
    }
    let ids: Vec<i64> = accepted.iter().map(|a| a.waitlist_id).collect();
    let notice = Notice {
        workflow_id: &req.workflow_id,
        session: req.session,
        round: 1,
        kind: NoticeType::SeatConfirmed,
        deadline: None,
        at: now,
    };
    let wechat = notify(&mut *tx, notices, &notice, &ids).await?.wechat;
    Ok((accepted, wechat))
}

/// Seats auto-accept booked.
fn seats_booked(accepted: &[AutoAccepted]) -> u32 {
    let n: usize = accepted.iter().map(|a| a.booking_ids.len()).sum();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What a release gives the queue: auto-accept's bookings, then the broadcast's audience for
/// the seats left (or why there is no broadcast).
struct Filled {
    auto_accepted: Vec<AutoAccepted>,
    wechat: Vec<String>,
    seats_left: u32,
    audience: Vec<i64>,
    reason: Option<NoOfferReason>,
}

/// O1, AA1, F2: auto-accept first (when the release may offer at all), then every entry the
/// seats left fit, in queue order.
async fn fill_from_queue(
    tx: &mut sqlx::MySqlConnection,
    notices: &Notices,
    req: &ReleaseRequest,
    seats: u32,
    cutoff_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Filled> {
    let queue = family::queue(&mut *tx, req.session).await?;
    let before = no_offer_reason(seats, now, cutoff_at, queue.len());
    let (auto_accepted, wechat) = match before {
        None => auto_accept(&mut *tx, notices, req, &queue, seats, now).await?,
        Some(_) => (Vec::new(), Vec::new()),
    };
    let seats_left = seats.saturating_sub(seats_booked(&auto_accepted));
    let rest: Vec<Waiting> = queue
        .into_iter()
        .filter(|w| !auto_accepted.iter().any(|a| a.waitlist_id == w.waitlist_id))
        .collect();
    let audience = broadcast_audience(&rest, seats_left);
    let reason = before.or_else(|| no_broadcast_reason(seats_left, audience.len()));
    Ok(Filled {
        auto_accepted,
        wechat,
        seats_left,
        audience,
        reason,
    })
}

/// O1–O3 in one transaction under the session lock: release the seat(s), open the offer,
/// record round 1 and tell every waiting parent. A retry returns the recorded outcome.
#[instrument(skip_all, fields(workflow_id = %req.workflow_id, session = %req.session))]
pub async fn release(db: &Db, notices: &Notices, req: ReleaseRequest) -> Result<ReleaseOutcome> {
    let Some((mut tx, locked)) = db.lock_session(req.session).await? else {
        return Ok(refused(&req, ReleaseRefusal::NotBooked));
    };
    if let Some(done) = offers::recorded_release(&mut tx, &req.workflow_id).await? {
        return Ok(done);
    }
    let now = now_millis();
    if now >= locked.starts_at {
        return Ok(refused(&req, ReleaseRefusal::Started));
    }
    let mut pending_makeup_id = None;
    let seats = match &req.release {
        Release::Cancel { booking_id } | Release::Leave { booking_id } => {
            match offers::booking_to_release(&mut tx, req.session, *booking_id).await? {
                BookingToRelease::NotBooked => {
                    return Ok(refused(&req, ReleaseRefusal::NotBooked));
                }
                BookingToRelease::MakeupSeat => {
                    return Ok(refused(&req, ReleaseRefusal::MakeupSeat));
                }
                BookingToRelease::Booked => {}
            }
            let leave = matches!(req.release, Release::Leave { .. });
            offers::release_booking(&mut tx, *booking_id, leave).await?;
            if leave {
                pending_makeup_id = Some(offers::open_pending_makeup(&mut tx, *booking_id).await?);
            }
            seats::count(&mut tx, req.session, &locked)
                .await?
                .freed_by_release()
        }
        Release::Capacity {
            capacity,
            expected_version,
        } => {
            if i64::from(locked.capacity_version) != *expected_version {
                return Ok(refused(&req, ReleaseRefusal::VersionChanged));
            }
            let count = seats::count(&mut tx, req.session, &locked).await?;
            let Some(freed) = count.freed_by_capacity(*capacity) else {
                return Ok(refused(&req, ReleaseRefusal::BelowBooked));
            };
            seats::set_capacity(&mut tx, req.session, *capacity).await?;
            freed
        }
    };

    let cutoff_at = waitlist_cutoff(locked.starts_at, req.settings.cutoff_seconds);
    let Filled {
        auto_accepted,
        mut wechat,
        seats_left,
        audience: entries,
        reason,
    } = fill_from_queue(&mut tx, notices, &req, seats, cutoff_at, now).await?;
    let offer = reason.is_none().then(|| OfferOpened {
        deadline: response_deadline(now, req.settings.response_window_seconds, cutoff_at),
        cutoff_at,
        hold_seconds: req.settings.hold_window_seconds,
        grace_seconds: req.settings.grace_seconds,
        notified: entries.clone(),
    });
    let mut outcome = ReleaseOutcome {
        release: req.release.clone(),
        refusal: None,
        seats,
        pending_makeup_id,
        offer: offer.clone(),
        no_offer_reason: reason,
        wechat: Vec::new(),
        auto_accepted,
    };
    if let Some(opened) = &offer {
        let notice = Notice {
            workflow_id: &req.workflow_id,
            session: req.session,
            round: 1,
            kind: NoticeType::SpotAvailable,
            deadline: Some(opened.deadline),
            at: now,
        };
        wechat.extend(notify(&mut tx, notices, &notice, &entries).await?.wechat);
        offers::mark_notified(&mut tx, &entries, now).await?;
    }
    outcome.wechat = wechat;
    let closed_phase = outcome.closed_phase();
    offers::insert_flow(
        &mut tx,
        &NewFlow {
            workflow_id: &req.workflow_id,
            session: req.session,
            release_reason: req.release.reason(),
            seats,
            seats_open: if offer.is_some() { seats_left } else { 0 },
            phase: closed_phase.unwrap_or(OfferPhase::Broadcast),
            started_at: now,
            deadline: offer.as_ref().map(|o| o.deadline),
            completed_at: reason.map(|_| now),
            expiration_reason: reason.and_then(|r| match r {
                NoOfferReason::Cutoff => Some("cutoff"),
                NoOfferReason::QueueEmpty | NoOfferReason::NoFreeSeat => Some("queue_empty"),
                NoOfferReason::AutoAccepted => None,
            }),
            outcome: &outcome,
        },
    )
    .await?;
    if let Some(last) = outcome.auto_accepted.last() {
        offers::set_winner(&mut tx, &req.workflow_id, last.waitlist_id).await?;
    }
    tx.commit().await?;
    info!(
        seats,
        auto_accepted = outcome.auto_accepted.len(),
        notified = entries.len(),
        ?reason,
        "seat released"
    );
    Ok(outcome)
}

fn claim_key(req: &ClaimRequest) -> String {
    offers::claim_key(&req.workflow_id, req.waitlist_id)
}

/// O4: the seat claim. One transaction re-checks the offer's seats and the session's
/// capacity, creates the booking and confirms the entry; for an entry that waits as a makeup,
/// the makeup rules decide (M3, M4) and the seat is booked as that makeup. N seats → at most
/// N winners. A retry after commit returns the recorded outcome.
#[instrument(skip_all, fields(workflow_id = %req.workflow_id, waitlist_id = req.waitlist_id))]
pub async fn claim(db: &Db, notices: &Notices, req: ClaimRequest) -> Result<ClaimOutcome> {
    let Some((mut tx, locked)) = db.lock_session(req.session).await? else {
        return Ok(ClaimOutcome::NoSeat);
    };
    let key = claim_key(&req);
    if let Some(done) = outcomes::recorded(&mut tx, &key).await? {
        return Ok(done);
    }
    let Some(flow) = offers::lock_flow(&mut tx, &req.workflow_id).await? else {
        return Ok(ClaimOutcome::NoSeat);
    };
    let Some(entry) = offers::lock_entry(&mut tx, req.waitlist_id).await? else {
        return Ok(ClaimOutcome::NotActive);
    };
    if entry.session() != req.session || !entry.is_active() {
        return Ok(ClaimOutcome::NotActive);
    }
    if !flow.open_with_seats() {
        return Ok(ClaimOutcome::NoSeat);
    }
    let room = seats::count(&mut tx, req.session, &locked)
        .await?
        .claimable();
    if room == 0 {
        // Ops lowered the capacity under the offer: nothing left to give.
        offers::no_seats_left(&mut tx, &req.workflow_id).await?;
        tx.commit().await?;
        return Ok(ClaimOutcome::NoSeat);
    }
    // F2: a holder claims the seats held for it; in the broadcast, what the offer has left.
    let held = offers::hold_seats_of(&mut tx, &req.workflow_id, req.waitlist_id).await?;
    let free = flow.seats_open.min(room).min(held.unwrap_or(u32::MAX));
    let Some(wanted) = seats_for(entry.party(), free) else {
        return Ok(ClaimOutcome::TooFew {
            seats_left: flow.seats_open,
        });
    };
    let now = now_millis();
    let makeup = match entry.pending_makeup_id {
        Some(pending_id) => {
            let seat = SeatForMakeup {
                pending_id,
                session: req.session,
                starts_at: locked.starts_at,
                accept_shorter: entry.accept_shorter,
                use_compensation: entry.use_compensation,
                settings: req.settings,
            };
            match makeup_activities::plan_won_seat(&mut tx, &seat, now).await? {
                Err(refusal) => return Ok(ClaimOutcome::Refused { refusal }),
                Ok(plan) => Some((seat, plan)),
            }
        }
        None => None,
    };
    let source = if makeup.is_some() {
        "makeup"
    } else {
        "waitlist"
    };
    let booked = family::book_children(
        &mut tx,
        req.waitlist_id,
        entry.profile_id,
        req.session,
        source,
        wanted,
    )
    .await?;
    let Some(booking_ids) = booked else {
        // A child got a seat in this session some other way (F3: all or none).
        return Ok(ClaimOutcome::NotActive);
    };
    let booking_id = booking_ids[0];
    let seats = u32::try_from(booking_ids.len()).unwrap_or(wanted);
    offers::settle_won_entry(&mut tx, &entry, req.waitlist_id, &booking_ids, now).await?;
    let seats_left = offers::seat_won(&mut tx, &req.workflow_id, req.waitlist_id, seats).await?;
    offers::end_hold(
        &mut tx,
        &req.workflow_id,
        req.waitlist_id,
        HoldEnd::Confirmed,
        now,
    )
    .await?;
    offers::record_response(
        &mut tx,
        &req.workflow_id,
        req.waitlist_id,
        "confirm",
        now,
        None,
    )
    .await?;
    let adopted = match makeup {
        Some((seat, plan)) => Some(
            makeup_activities::adopt_won_seat(&mut tx, db, notices, &seat, plan, booking_id, now)
                .await?,
        ),
        None => None,
    };
    let outcome = ClaimOutcome::Won {
        booking_id,
        seats_left,
        makeup: adopted,
    };
    outcomes::record(&mut tx, &key, &outcome).await?;
    tx.commit().await?;
    info!(booking_id, seats, seats_left, source, "seat won");
    Ok(outcome)
}

/// O5: hold a seat for the first in line who is not excluded and not held by any offer;
/// record it and tell them `hold_for_you`. `None` when nobody is left or the seat is gone.
#[instrument(skip_all, fields(workflow_id = %req.workflow_id, round = req.round))]
pub async fn hold_next(db: &Db, notices: &Notices, req: HoldRequest) -> Result<Option<Hold>> {
    let Some((mut tx, _locked)) = db.lock_session(req.session).await? else {
        return Ok(None);
    };
    let key = format!("hold/{}/{}", req.workflow_id, req.round);
    if let Some(done) = outcomes::recorded(&mut tx, &key).await? {
        return Ok(done);
    }
    let Some(flow) = offers::lock_flow(&mut tx, &req.workflow_id).await? else {
        return Ok(None);
    };
    if !flow.open_with_seats() {
        return Ok(None);
    }
    let free = flow
        .seats_open
        .saturating_sub(offers::held_by_holds(&mut tx, &req.workflow_id, &req.holders).await?);
    let next =
        offers::next_to_hold(&mut tx, &req.workflow_id, req.session, &req.exclude, free).await?;
    let Some((waitlist_id, seats)) = next else {
        return Ok(None);
    };
    let now = now_millis();
    let deadline = hold_deadline(now, req.hold_seconds, req.cutoff_at);
    let new_hold = offers::NewHold {
        workflow_id: &req.workflow_id,
        waitlist_id,
        seats,
        round: req.round,
        deadline,
        at: now,
    };
    offers::start_hold(&mut tx, &new_hold).await?;
    let notice = Notice {
        workflow_id: &req.workflow_id,
        session: req.session,
        round: req.round,
        kind: NoticeType::HoldForYou,
        deadline: Some(deadline),
        at: now,
    };
    let sent = notify(&mut tx, notices, &notice, &[waitlist_id]).await?;
    offers::mark_notified(&mut tx, &[waitlist_id], now).await?;
    let hold = Some(Hold {
        waitlist_id,
        deadline,
        wechat: sent.wechat,
    });
    outcomes::record(&mut tx, &key, &hold).await?;
    tx.commit().await?;
    info!(waitlist_id, seats, "seat held in turn");
    Ok(hold)
}

/// O7: a hold that lapsed unanswered ends, expires that entry (reason `timeout`) and tells the
/// parent `offer_expired`; positions of the others move up.
#[instrument(skip_all, fields(workflow_id = %req.workflow_id, waitlist_id = req.waitlist_id))]
pub async fn expire_holder(db: &Db, notices: &Notices, req: LapseRequest) -> Result<Vec<String>> {
    let Some((mut tx, _locked)) = db.lock_session(req.session).await? else {
        return Ok(Vec::new());
    };
    let key = format!("lapse/{}/{}", req.workflow_id, req.round);
    if let Some(done) = outcomes::recorded(&mut tx, &key).await? {
        return Ok(done);
    }
    let now = now_millis();
    offers::end_hold(
        &mut tx,
        &req.workflow_id,
        req.waitlist_id,
        HoldEnd::Lapsed,
        now,
    )
    .await?;
    let changed =
        crate::db::waitlist::expire_entries(&mut tx, &[req.waitlist_id], "timeout", now).await?;
    let mut wechat = Vec::new();
    if changed > 0 {
        let notice = Notice {
            workflow_id: &req.workflow_id,
            session: req.session,
            round: req.round,
            kind: NoticeType::OfferExpired,
            deadline: None,
            at: now,
        };
        wechat = notify(&mut tx, notices, &notice, &[req.waitlist_id])
            .await?
            .wechat;
        offers::expire_hold_notice(&mut tx, &req.workflow_id, req.waitlist_id).await?;
    }
    outcomes::record(&mut tx, &key, &wechat).await?;
    tx.commit().await?;
    Ok(wechat)
}

/// Records one notice for many entries (waitlist_notification + in-app); idempotent per
/// (offer, entry, round, type).
pub async fn notify_entries(
    db: &Db,
    notices: &Notices,
    req: NotifyRequest,
) -> Result<NoticeOutcome> {
    let mut tx = db.pool().begin().await?;
    let notice = Notice {
        workflow_id: &req.workflow_id,
        session: req.session,
        round: req.round,
        kind: kind_of(req.notice),
        deadline: req.deadline,
        at: now_millis(),
    };
    let written = notify(&mut tx, notices, &notice, &req.waitlist_ids).await?;
    tx.commit().await?;
    Ok(written)
}

/// O8: a parent's `begin`/`decline` on their latest notification of this offer; a decline
/// also ends a hold they had.
pub async fn record_response(db: &Db, req: ResponseRecord) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    offers::record_response(
        &mut tx,
        &req.workflow_id,
        req.waitlist_id,
        req.action.as_str(),
        req.at,
        req.grace_until,
    )
    .await?;
    if req.action == Action::Decline {
        offers::end_hold(
            &mut tx,
            &req.workflow_id,
            req.waitlist_id,
            HoldEnd::Declined,
            req.at,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Ends the offer: seats it still held go back to the session, its holds end, entries are
/// waiting again unless another offer of the session is open.
#[instrument(skip_all, fields(workflow_id = %req.workflow_id, phase = req.phase.as_str()))]
pub async fn close(db: &Db, req: &CloseRequest) -> Result<()> {
    let Some((mut tx, _locked)) = db.lock_session(req.session).await? else {
        return Ok(());
    };
    let now = now_millis();
    offers::close_flow(
        &mut tx,
        &req.workflow_id,
        req.phase,
        req.reason.as_deref(),
        now,
    )
    .await?;
    offers::settle_notified(&mut tx, req.session).await?;
    tx.commit().await?;
    info!("offer closed");
    Ok(())
}

/// Gives back the seats of open offers whose run no longer runs (failed for good, terminated
/// from the Temporal UI, timed out).
pub async fn reap(
    db: &Db,
    temporal: Option<&temporalio_client::Client>,
    min_age_seconds: u32,
) -> Result<ReapReport> {
    let Some(client) = temporal else {
        return Ok(ReapReport::default());
    };
    let mut report = ReapReport::default();
    for (workflow_id, session) in offers::open_flows_started_before(
        db.pool(),
        now_millis() - chrono::Duration::seconds(i64::from(min_age_seconds)),
    )
    .await?
    {
        if run_is_alive(client, &workflow_id).await? {
            continue;
        }
        close(
            db,
            &CloseRequest {
                workflow_id: workflow_id.clone(),
                session,
                phase: OfferPhase::Failed,
                reason: Some("system_error".into()),
            },
        )
        .await?;
        tracing::warn!(%workflow_id, "open offer without a running workflow: seats given back");
        report.closed_offers.push(workflow_id);
    }
    Ok(report)
}

/// True while the latest run of `workflow_id` is running; false when it ended or never existed.
async fn run_is_alive(client: &temporalio_client::Client, workflow_id: &str) -> Result<bool> {
    use temporalio_client::{WorkflowDescribeOptions, errors::WorkflowInteractionError};
    use temporalio_common::protos::temporal::api::enums::v1::WorkflowExecutionStatus;
    let handle = client.get_workflow_handle::<workflows::WaitlistOfferWorkflow>(workflow_id);
    match handle.describe(WorkflowDescribeOptions::default()).await {
        Ok(d) => Ok(d
            .raw_description
            .workflow_execution_info
            .is_some_and(|i| i.status == WorkflowExecutionStatus::Running as i32)),
        Err(WorkflowInteractionError::NotFound(_)) => Ok(false),
        Err(e) => Err(Failure::Temporal(e.to_string())),
    }
}
