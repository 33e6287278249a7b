//! Activities of makeup bookings and minute credits (M3–M7): booking a makeup, the same
//! decision for a makeup seat won from a waitlist, cancelling, completing. Each locks the
//! session first, loads, asks `workflows::rules::makeup::decide`, writes, and records its
//! outcome so a retry after the commit returns it whole (the credit's timing included).

use crate::db::credits::{self, CreditStatus, LedgerRow, NewCredit};
use crate::db::makeup::{self as mdb, NewMakeup, Pending, Target};
use crate::db::{Db, now_millis, outcomes, seats};
use crate::error::{Failure, Result};
use crate::notify::inbox::{Letter, Notices};
use crate::notify::offer_notices::session_facts;
use crate::notify::pages;
use crate::notify::templates::NoticeType;
use chrono::{DateTime, Duration, Utc};
use sqlx::MySqlConnection;
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use tracing::{info, instrument};
use workflows::SessionKey;
use workflows::activities::{AdoptedMakeup, BookMakeup};
use workflows::makeup::{
    BookingOutcome, CreditTiming, LedgerKind, MakeupBooked, MakeupRefusal, MakeupRequest, Unbooked,
};
use workflows::rules::makeup::{Credit, MakeupCase, MakeupPlan, decide};
use workflows::settings::ClassSettings;

pub struct MakeupActivities {
    db: Db,
    notices: Notices,
}

impl MakeupActivities {
    pub fn new(db: Db, notices: Notices) -> Self {
        Self { db, notices }
    }
}

#[activities]
impl MakeupActivities {
    #[activity(definition = workflows::activities::BookMakeupSeat)]
    pub async fn book(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: BookMakeup,
    ) -> Result<BookingOutcome, ActivityError> {
        book(&self.db, &self.notices, input)
            .await
            .map_err(Failure::into_activity)
    }

    #[activity(definition = workflows::activities::CancelMakeup)]
    pub async fn cancel(
        self: Arc<Self>,
        _ctx: ActivityContext,
        makeup_booking_id: i64,
    ) -> Result<Unbooked, ActivityError> {
        cancel(&self.db, &self.notices, makeup_booking_id)
            .await
            .map_err(Failure::into_activity)
    }

    #[activity(definition = workflows::activities::CompleteMakeup)]
    pub async fn complete(
        self: Arc<Self>,
        _ctx: ActivityContext,
        makeup_booking_id: i64,
    ) -> Result<String, ActivityError> {
        complete(&self.db, makeup_booking_id)
            .await
            .map_err(Failure::into_activity)
    }
}

/// What a makeup seat needs to be decided and written, booked directly or won from a queue.
#[derive(Debug, Clone)]
pub struct SeatForMakeup {
    pub pending_id: i64,
    pub session: SessionKey,
    pub starts_at: DateTime<Utc>,
    pub accept_shorter: bool,
    pub use_compensation: bool,
    pub settings: ClassSettings,
}

/// Everything the decision read, kept for the writes.
pub struct Planned {
    pending: Pending,
    target: Target,
    plan: MakeupPlan,
    credits: Vec<credits::CreditRow>,
}

/// Load → decide, under the session lock the caller holds.
async fn plan(
    conn: &mut MySqlConnection,
    seat: &SeatForMakeup,
    seat_free: bool,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Planned, MakeupRefusal>> {
    let Some(pending) = mdb::lock_pending(&mut *conn, seat.pending_id).await? else {
        return Ok(Err(MakeupRefusal::NotOpen));
    };
    let target = mdb::target(&mut *conn, seat.session).await?;
    let clash = mdb::clashes(
        &mut *conn,
        pending.profile_id,
        seat.starts_at,
        target.ends_at(seat.starts_at),
    )
    .await?;
    let credits = credits::spendable(&mut *conn, pending.profile_id, now).await?;
    let pool: Vec<Credit> = credits.iter().map(credits::CreditRow::as_credit).collect();
    let case = MakeupCase {
        pending_open: pending.open,
        original: pending.facts(),
        target: target.facts(),
        started: now >= seat.starts_at,
        seat_free,
        clash,
        accept_shorter: seat.accept_shorter,
        pay_extra_from_credits: seat.use_compensation || seat.settings.extra_requires_compensation,
        credits: &pool,
    };
    Ok(decide(&case).map(|plan| Planned {
        pending,
        target,
        plan,
        credits,
    }))
}

/// The decision for a seat a waitlist entry just won (the claim holds the locks and the seat).
pub async fn plan_won_seat(
    conn: &mut MySqlConnection,
    seat: &SeatForMakeup,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Planned, MakeupRefusal>> {
    plan(conn, seat, true, now).await
}

/// Writes a decided makeup: the record, the credits spent, the credit created, the
/// `makeup_booked` message.
async fn write(
    conn: &mut MySqlConnection,
    db: &Db,
    notices: &Notices,
    seat: &SeatForMakeup,
    p: Planned,
    booking_id: i64,
    now: DateTime<Utc>,
) -> Result<MakeupBooked> {
    let ids = db.ids().await?;
    let profile_id = p.pending.profile_id;
    let makeup_booking_id = mdb::record_makeup(
        &mut *conn,
        &NewMakeup {
            pending_id: seat.pending_id,
            pending: &p.pending,
            booking_id,
            course_id: p.target.course_id,
            session: seat.session,
            makeup_minutes: p.target.duration_minutes,
            difference: p.plan.difference,
            kind: p.plan.kind,
            workflow_id: &ids.makeup(seat.pending_id, seat.session),
        },
    )
    .await?;
    let used = spend(&mut *conn, &p, makeup_booking_id, booking_id, now).await?;
    let created_credit = if p.plan.create_minutes > 0 {
        let expires = now + Duration::seconds(i64::from(seat.settings.compensation_valid_seconds));
        let credit_id = credits::create(
            &mut *conn,
            &NewCredit {
                profile_id,
                original_booking_id: p.pending.original_booking_id,
                makeup_booking_id,
                minutes: p.plan.create_minutes,
                created: now,
                expires,
            },
            &ids,
        )
        .await?;
        Some(credit_timing(
            credit_id,
            profile_id,
            now,
            expires,
            &seat.settings,
        ))
    } else {
        None
    };
    let wechat = tell(
        &mut *conn,
        notices,
        profile_id,
        seat.session,
        NoticeType::MakeupBooked,
        makeup_booking_id,
    )
    .await?;
    Ok(MakeupBooked {
        makeup_booking_id,
        booking_id,
        profile_id,
        duration_difference: p.plan.difference,
        completion_type: p.plan.kind,
        compensation_created: p.plan.create_minutes,
        compensation_used: used,
        remaining_compensation: credits::balance(&mut *conn, profile_id, now).await?,
        created_credit,
        wechat: wechat.into_iter().collect(),
    })
}

/// M6: spend the planned minutes, earliest expiry first, each use recorded.
async fn spend(
    conn: &mut MySqlConnection,
    p: &Planned,
    makeup_booking_id: i64,
    booking_id: i64,
    now: DateTime<Utc>,
) -> Result<u32> {
    let mut used = 0;
    for (credit_id, take) in &p.plan.spend {
        let credit = p
            .credits
            .iter()
            .find(|c| c.id == *credit_id)
            .ok_or_else(|| Failure::Data(format!("planned credit {credit_id} not loaded")))?;
        let left = credit.remaining_minutes - take;
        credits::set_remaining(&mut *conn, *credit_id, left, now).await?;
        credits::record_usage(
            &mut *conn,
            *credit_id,
            makeup_booking_id,
            booking_id,
            *take,
            left,
            now,
        )
        .await?;
        credits::ledger(
            &mut *conn,
            LedgerRow {
                profile_id: p.pending.profile_id,
                credit_id: *credit_id,
                kind: LedgerKind::Used,
                minutes: *take,
                makeup_booking_id: Some(makeup_booking_id),
                key: format!("used/{makeup_booking_id}/{credit_id}"),
                at: now,
            },
        )
        .await?;
        used += take;
    }
    Ok(used)
}

fn credit_timing(
    credit_id: i64,
    profile_id: i64,
    created: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    settings: &ClassSettings,
) -> CreditTiming {
    let remind_at = (expires_at
        - Duration::seconds(i64::from(settings.compensation_reminder_seconds)))
    .max(created);
    CreditTiming {
        credit_id,
        profile_id,
        expires_at,
        remind_at,
    }
}

/// `makeup_booked` / `makeup_cancelled` to the child's parent; the WeChat key when one waits.
async fn tell(
    conn: &mut MySqlConnection,
    notices: &Notices,
    profile_id: i64,
    session: SessionKey,
    kind: NoticeType,
    makeup_booking_id: i64,
) -> Result<Option<String>> {
    let facts = session_facts(&mut *conn, session).await?;
    let user_id = mdb::parent_of(&mut *conn, profile_id).await?;
    let sent = notices
        .send(
            conn,
            Letter {
                user_id,
                profile_id: Some(profile_id),
                kind,
                facts: &facts,
                page: match kind {
                    NoticeType::MakeupCancelled => pages::makeups(),
                    _ => pages::my_makeups(),
                },
                data: serde_json::json!({
                    "makeup_booking_id": makeup_booking_id,
                    "course_schedule_id": session.course_schedule_id,
                    "booking_date": session.booking_date,
                }),
                dedupe_key: format!("{}/{makeup_booking_id}", kind.code()),
            },
        )
        .await?;
    Ok(sent.wechat)
}

/// M3: a seat won from a pending makeup's waitlist entry is booked as that makeup.
pub async fn adopt_won_seat(
    conn: &mut MySqlConnection,
    db: &Db,
    notices: &Notices,
    seat: &SeatForMakeup,
    planned: Planned,
    booking_id: i64,
    now: DateTime<Utc>,
) -> Result<AdoptedMakeup> {
    let ends_at = planned.target.ends_at(seat.starts_at);
    let booked = write(conn, db, notices, seat, planned, booking_id, now).await?;
    Ok(AdoptedMakeup {
        pending_id: seat.pending_id,
        booked,
        starts_at: seat.starts_at,
        ends_at,
        accept_shorter: seat.accept_shorter,
        use_compensation: seat.use_compensation,
    })
}

/// M3–M6 in one transaction under the target session's lock: the decision, the booking, the
/// makeup record and the minutes. Idempotent per workflow id.
#[instrument(skip_all, fields(workflow_id = %input.workflow_id, pending_id = input.request.pending_id, session = %input.request.session))]
pub async fn book(db: &Db, notices: &Notices, input: BookMakeup) -> Result<BookingOutcome> {
    let req: MakeupRequest = input.request;
    let Some((mut tx, locked)) = db.lock_session(req.session).await? else {
        return Ok(BookingOutcome::Refused(MakeupRefusal::NotEligible));
    };
    let key = format!("makeup.book/{}", input.workflow_id);
    if let Some(done) = outcomes::recorded(&mut tx, &key).await? {
        return Ok(done);
    }
    let now = now_millis();
    let seat_free = !seats::count(&mut tx, req.session, &locked).await?.is_full();
    let seat = SeatForMakeup {
        pending_id: req.pending_id,
        session: req.session,
        starts_at: locked.starts_at,
        accept_shorter: req.accept_shorter,
        use_compensation: req.use_compensation,
        settings: req.settings,
    };
    let planned = match plan(&mut tx, &seat, seat_free, now).await? {
        Ok(p) => p,
        Err(refusal) => return Ok(BookingOutcome::Refused(refusal)),
    };
    let Some(booking_id) = crate::db::offers::insert_booking(
        &mut tx,
        planned.pending.profile_id,
        req.session,
        "makeup",
    )
    .await?
    else {
        return Ok(BookingOutcome::Refused(MakeupRefusal::Clash));
    };
    let booked = write(&mut tx, db, notices, &seat, planned, booking_id, now).await?;
    let outcome = BookingOutcome::Booked(booked);
    outcomes::record(&mut tx, &key, &outcome).await?;
    tx.commit().await?;
    info!("makeup booked");
    Ok(outcome)
}

/// M5: cancel the makeup: reopen the pending makeup, restore consumed credit minutes (original
/// expiry; minutes of a credit that expired or was revoked meanwhile go out again at once),
/// revoke the unused minutes this booking created, tell the parent. The seat itself is
/// released by the offer workflow started next.
#[instrument(skip_all, fields(makeup_booking_id))]
pub async fn cancel(db: &Db, notices: &Notices, makeup_booking_id: i64) -> Result<Unbooked> {
    let session = mdb::session_of(&mut *db.pool().acquire().await?, makeup_booking_id)
        .await?
        .ok_or_else(|| Failure::Data(format!("makeup {makeup_booking_id} does not exist")))?;
    let Some((mut tx, _locked)) = db.lock_session(session).await? else {
        return Err(Failure::Data(format!("session {session} has no row")));
    };
    let key = format!("makeup.cancel/{makeup_booking_id}");
    if let Some(done) = outcomes::recorded(&mut tx, &key).await? {
        return Ok(done);
    }
    let mb = mdb::lock_makeup(&mut tx, makeup_booking_id)
        .await?
        .ok_or_else(|| Failure::Data(format!("makeup {makeup_booking_id} vanished")))?;
    if mb.cancelled {
        return Ok(Unbooked {
            booking_id: mb.booking_id,
            restored_minutes: 0,
            revoked_minutes: 0,
            changed: false,
            wechat: Vec::new(),
        });
    }
    let now = now_millis();
    let restored = restore_used(&mut tx, makeup_booking_id, now).await?;
    let revoked = revoke_created(&mut tx, makeup_booking_id, now).await?;
    mdb::set_makeup_status(&mut tx, makeup_booking_id, "cancelled").await?;
    mdb::set_pending_status(&mut tx, mb.pending_makeup_id, "open").await?;
    let wechat = tell(
        &mut tx,
        notices,
        mb.profile_id,
        mb.session,
        NoticeType::MakeupCancelled,
        makeup_booking_id,
    )
    .await?;
    let outcome = Unbooked {
        booking_id: mb.booking_id,
        restored_minutes: restored,
        revoked_minutes: revoked,
        changed: true,
        wechat: wechat.into_iter().collect(),
    };
    outcomes::record(&mut tx, &key, &outcome).await?;
    tx.commit().await?;
    info!(restored, revoked, "makeup cancelled");
    Ok(outcome)
}

/// M5: every minute the makeup consumed comes back to its credit, with the credit's original
/// expiry. A credit that expired meanwhile, or was revoked (its own makeup cancelled), does not
/// come back to life: the restored minutes are recorded and go out again at once.
async fn restore_used(
    conn: &mut MySqlConnection,
    makeup_booking_id: i64,
    now: DateTime<Utc>,
) -> Result<u32> {
    let mut restored = 0;
    for (usage_id, credit_id, minutes) in
        credits::unrestored_usages(&mut *conn, makeup_booking_id).await?
    {
        let credit = credits::lock(&mut *conn, credit_id)
            .await?
            .ok_or_else(|| Failure::Data(format!("usage {usage_id} points at no credit")))?;
        let key = |kind: &str| format!("{kind}/{makeup_booking_id}/{credit_id}");
        let row = |kind: LedgerKind, key: String| LedgerRow {
            profile_id: credit.profile_id,
            credit_id,
            kind,
            minutes,
            makeup_booking_id: Some(makeup_booking_id),
            key,
            at: now,
        };
        credits::ledger(&mut *conn, row(LedgerKind::Restored, key("restored"))).await?;
        let gone_for_good = match credit.status {
            CreditStatus::Revoked => Some(LedgerKind::Revoked),
            _ if credit.expiry_time <= now => Some(LedgerKind::Expired),
            _ => None,
        };
        match gone_for_good {
            None => credits::add_back(&mut *conn, credit_id, minutes).await?,
            Some(kind) => {
                let k = format!("{}-on-restore", kind.as_str());
                credits::ledger(&mut *conn, row(kind, key(&k))).await?;
            }
        }
        credits::mark_restored(&mut *conn, usage_id, now).await?;
        restored += minutes;
    }
    Ok(restored)
}

/// M5: what this booking created and nobody used is revoked.
async fn revoke_created(
    conn: &mut MySqlConnection,
    makeup_booking_id: i64,
    now: DateTime<Utc>,
) -> Result<u32> {
    let Some(credit) = credits::lock_created_by(&mut *conn, makeup_booking_id).await? else {
        return Ok(0);
    };
    let left = credit.remaining_minutes;
    if credit.status != CreditStatus::Available || left == 0 {
        return Ok(0);
    }
    credits::ledger(
        &mut *conn,
        LedgerRow {
            profile_id: credit.profile_id,
            credit_id: credit.id,
            kind: LedgerKind::Revoked,
            minutes: left,
            makeup_booking_id: Some(makeup_booking_id),
            key: format!("revoked/{}", credit.id),
            at: now,
        },
    )
    .await?;
    credits::close(&mut *conn, credit.id, CreditStatus::Revoked).await?;
    Ok(left)
}

/// At class end: completed, or no-show when attendance says so.
pub async fn complete(db: &Db, makeup_booking_id: i64) -> Result<String> {
    sqlx::query(
        "UPDATE makeup_booking mb JOIN booking b ON b.id = mb.booking_id
            SET mb.status = IF(b.status = 'no_show', 'no_show', 'completed')
          WHERE mb.id = ? AND mb.status = 'confirmed'",
    )
    .bind(makeup_booking_id)
    .execute(db.pool())
    .await?;
    let (status,): (String,) =
        sqlx::query_as("SELECT CAST(status AS CHAR) FROM makeup_booking WHERE id = ?")
            .bind(makeup_booking_id)
            .fetch_one(db.pool())
            .await?;
    Ok(status)
}
