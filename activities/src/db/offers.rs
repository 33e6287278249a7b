//! SQL of the offer activities: flows (`waitlist_flow`), holds in turn (`offer_hold`), the
//! booking a release frees, responses. Every function runs inside the caller's transaction,
//! after the session row is locked.

use crate::error::{Result, inserted_id, u32_of};
use chrono::{DateTime, Utc};
use sqlx::MySqlConnection;
use workflows::SessionKey;
use workflows::offer::{OfferPhase, ReleaseOutcome};
use workflows::rules::family::{AfterBooking, Party, after_booking, seats_for};
use workflows::status::{BookingStatus, EntryStatus};

/// The recorded outcome of an earlier attempt of this release, if any.
pub async fn recorded_release(
    conn: &mut MySqlConnection,
    workflow_id: &str,
) -> Result<Option<ReleaseOutcome>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT flow_data FROM waitlist_flow WHERE workflow_id = ?")
            .bind(workflow_id)
            .fetch_optional(conn)
            .await?;
    Ok(row
        .and_then(|r| r.0)
        .map(|json| serde_json::from_str(&json))
        .transpose()?)
}

/// What a booking is to a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingToRelease {
    /// Holds a seat in the session: can be released.
    Booked,
    /// Already cancelled, on leave, or not of this session.
    NotBooked,
    /// The seat of a confirmed makeup: only the makeup's own cancel releases it (M5).
    MakeupSeat,
}

pub async fn booking_to_release(
    conn: &mut MySqlConnection,
    session: SessionKey,
    booking_id: i64,
) -> Result<BookingToRelease> {
    let row: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT CAST(b.status AS CHAR),
                (SELECT mb.id FROM makeup_booking mb WHERE mb.booking_id = b.id AND mb.status = 'confirmed' LIMIT 1)
           FROM booking b WHERE b.id = ? AND b.course_schedule_id = ? AND b.booking_date = ? FOR UPDATE",
    )
    .bind(booking_id)
    .bind(session.course_schedule_id)
    .bind(session.booking_date)
    .fetch_optional(conn)
    .await?;
    let row = row
        .map(|(status, makeup)| {
            BookingStatus::try_from(status)
                .map(|s| (s, makeup))
                .map_err(|e| crate::error::Failure::Data(e.to_string()))
        })
        .transpose()?;
    Ok(match row {
        Some((status, _)) if status != BookingStatus::Booked => BookingToRelease::NotBooked,
        Some((_, Some(_))) => BookingToRelease::MakeupSeat,
        Some((_, None)) => BookingToRelease::Booked,
        None => BookingToRelease::NotBooked,
    })
}

/// Frees the booking's seat: `booked` → `cancelled`/`leave`.
pub async fn release_booking(
    conn: &mut MySqlConnection,
    booking_id: i64,
    leave: bool,
) -> Result<()> {
    sqlx::query("UPDATE booking SET status = ? WHERE id = ? AND status = 'booked'")
        .bind(if leave { "leave" } else { "cancelled" })
        .bind(booking_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// M1: the pending makeup a leave creates, remembering the original course.
pub async fn open_pending_makeup(conn: &mut MySqlConnection, booking_id: i64) -> Result<i64> {
    let result = sqlx::query(
        "INSERT INTO pending_makeup (profile_id, original_booking_id, course_id, course_type, level, duration_minutes, price_cents)
         SELECT b.profile_id, b.id, c.id, c.course_type, c.level, c.duration_minutes, c.price_cents
           FROM booking b JOIN course_schedule cs ON cs.id = b.course_schedule_id JOIN course c ON c.id = cs.course_id
          WHERE b.id = ?
         ON DUPLICATE KEY UPDATE pending_makeup.id = LAST_INSERT_ID(pending_makeup.id)",
    )
    .bind(booking_id)
    .execute(conn)
    .await?;
    inserted_id(&result)
}

pub struct NewFlow<'a> {
    pub workflow_id: &'a str,
    pub session: SessionKey,
    pub release_reason: &'a str,
    pub seats: u32,
    pub seats_open: u32,
    pub phase: OfferPhase,
    pub started_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub expiration_reason: Option<&'a str>,
    pub outcome: &'a ReleaseOutcome,
}

pub async fn insert_flow(conn: &mut MySqlConnection, f: &NewFlow<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO waitlist_flow (workflow_id, course_schedule_id, booking_date, release_reason, seats, seats_open,
                                    phase, flow_start_time, response_deadline, flow_completion_time, expiration_reason, flow_data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(f.workflow_id)
    .bind(f.session.course_schedule_id)
    .bind(f.session.booking_date)
    .bind(f.release_reason)
    .bind(f.seats)
    .bind(f.seats_open)
    .bind(f.phase.as_str())
    .bind(f.started_at)
    .bind(f.deadline)
    .bind(f.completed_at)
    .bind(f.expiration_reason)
    .bind(serde_json::to_string(f.outcome)?)
    .execute(conn)
    .await?;
    Ok(())
}

/// The key a claim of `waitlist_id` on this offer records its outcome under (one claim per
/// entry and offer).
pub fn claim_key(workflow_id: &str, waitlist_id: i64) -> String {
    format!("claim/{workflow_id}/{waitlist_id}")
}

/// O5, F2: the first active entry in queue order that is neither excluded nor held by any
/// offer, nor already won seats of this offer (a partly booked family waits for the next one,
/// F4), and that `free` seats fit, with the seats its hold takes.
pub async fn next_to_hold(
    conn: &mut MySqlConnection,
    workflow_id: &str,
    key: SessionKey,
    exclude: &[i64],
    free: u32,
) -> Result<Option<(i64, u32)>> {
    // `CONCAT('claim/', ?, '/', w.id)` is `claim_key` in SQL.
    let rows: Vec<(i64, i32, bool)> = sqlx::query_as(
        "SELECT w.id, w.party_size, w.accept_partial FROM waitlist w
          WHERE w.course_schedule_id = ? AND w.booking_date = ? AND w.status IN ('waiting', 'notified')
            AND NOT EXISTS (SELECT 1 FROM offer_hold h WHERE h.waitlist_id = w.id AND h.ended_at IS NULL)
            AND NOT EXISTS (SELECT 1 FROM activity_outcome o WHERE o.idempotency_key = CONCAT('claim/', ?, '/', w.id))
          ORDER BY w.id",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .bind(workflow_id)
    .fetch_all(conn)
    .await?;
    for (id, size, accept_partial) in rows {
        if exclude.contains(&id) {
            continue;
        }
        let party = Party {
            children: u32_of("party_size", size)?,
            accept_partial,
        };
        if let Some(seats) = seats_for(party, free) {
            return Ok(Some((id, seats)));
        }
    }
    Ok(None)
}

/// Seats the offer holds for `holders` (F2: a family's hold takes one per child held for).
pub async fn held_by_holds(
    conn: &mut MySqlConnection,
    workflow_id: &str,
    holders: &[i64],
) -> Result<u32> {
    let mut held = 0;
    for id in holders {
        held += hold_seats_of(&mut *conn, workflow_id, *id)
            .await?
            .unwrap_or(0);
    }
    Ok(held)
}

/// The seats the offer holds for this entry now, if it is a holder (O5, F2).
pub async fn hold_seats_of(
    conn: &mut MySqlConnection,
    workflow_id: &str,
    waitlist_id: i64,
) -> Result<Option<u32>> {
    let row: Option<(i32,)> = sqlx::query_as(
        "SELECT seats FROM offer_hold WHERE workflow_id = ? AND waitlist_id = ? AND ended_at IS NULL",
    )
    .bind(workflow_id)
    .bind(waitlist_id)
    .fetch_optional(conn)
    .await?;
    row.map(|(n,)| u32_of("hold seats", n)).transpose()
}

pub async fn mark_notified(
    conn: &mut MySqlConnection,
    ids: &[i64],
    at: DateTime<Utc>,
) -> Result<()> {
    for id in ids {
        sqlx::query(
            "UPDATE waitlist SET status = 'notified', last_notified_at = ? WHERE id = ? AND status IN ('waiting', 'notified')",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct FlowRow {
    pub phase: OfferPhase,
    pub seats_open: u32,
}

impl FlowRow {
    /// The offer still gives seats away.
    pub fn open_with_seats(&self) -> bool {
        self.phase.is_open() && self.seats_open > 0
    }
}

pub async fn lock_flow(conn: &mut MySqlConnection, workflow_id: &str) -> Result<Option<FlowRow>> {
    let row: Option<(String, i32)> = sqlx::query_as(
        "SELECT CAST(phase AS CHAR), seats_open FROM waitlist_flow WHERE workflow_id = ? FOR UPDATE",
    )
    .bind(workflow_id)
    .fetch_optional(conn)
    .await?;
    row.map(|(phase, seats_open)| {
        Ok(FlowRow {
            phase: OfferPhase::parse(&phase)
                .ok_or_else(|| crate::error::Failure::Data(format!("flow phase {phase:?}")))?,
            seats_open: u32_of("seats_open", seats_open)?,
        })
    })
    .transpose()
}

/// `seats` seats of the flow were won by `waitlist_id` (more than one for a family, F3).
pub async fn seat_won(
    conn: &mut MySqlConnection,
    workflow_id: &str,
    waitlist_id: i64,
    seats: u32,
) -> Result<u32> {
    sqlx::query(
        "UPDATE waitlist_flow SET seats_open = seats_open - ?, winner_waitlist_id = ? WHERE workflow_id = ? AND seats_open >= ?",
    )
    .bind(seats)
    .bind(waitlist_id)
    .bind(workflow_id)
    .bind(seats)
    .execute(&mut *conn)
    .await?;
    let (left,): (i32,) =
        sqlx::query_as("SELECT seats_open FROM waitlist_flow WHERE workflow_id = ?")
            .bind(workflow_id)
            .fetch_one(conn)
            .await?;
    u32_of("seats_open", left)
}

/// AA1: an auto-accept entry won seats of the flow.
pub async fn set_winner(
    conn: &mut MySqlConnection,
    workflow_id: &str,
    waitlist_id: i64,
) -> Result<()> {
    sqlx::query("UPDATE waitlist_flow SET winner_waitlist_id = ? WHERE workflow_id = ?")
        .bind(waitlist_id)
        .bind(workflow_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Nothing is left to give (ops lowered the capacity under the offer).
pub async fn no_seats_left(conn: &mut MySqlConnection, workflow_id: &str) -> Result<()> {
    sqlx::query("UPDATE waitlist_flow SET seats_open = 0 WHERE workflow_id = ?")
        .bind(workflow_id)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryState {
    #[sqlx(try_from = "String")]
    pub status: EntryStatus,
    pub profile_id: i64,
    pub booking_id: Option<i64>,
    pub course_schedule_id: i64,
    pub booking_date: chrono::NaiveDate,
    pub pending_makeup_id: Option<i64>,
    pub accept_shorter: bool,
    pub use_compensation: bool,
    pub party_size: i32,
    pub accept_partial: bool,
}

impl EntryState {
    pub fn session(&self) -> SessionKey {
        SessionKey::new(self.course_schedule_id, self.booking_date)
    }

    pub fn is_active(&self) -> bool {
        self.status.is_active()
    }

    /// F2: what the entry asks of an offer.
    pub fn party(&self) -> Party {
        Party {
            children: u32::try_from(self.party_size).unwrap_or(1).max(1),
            accept_partial: self.accept_partial,
        }
    }
}

pub async fn lock_entry(conn: &mut MySqlConnection, id: i64) -> Result<Option<EntryState>> {
    Ok(sqlx::query_as(
        "SELECT CAST(status AS CHAR) AS status, profile_id, booking_id, course_schedule_id, booking_date,
                pending_makeup_id, accept_shorter, use_compensation, party_size, accept_partial
           FROM waitlist WHERE id = ? FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// F4: a family booked for some of its children: the others keep waiting in its place.
pub async fn partly_won(
    conn: &mut MySqlConnection,
    waitlist_id: i64,
    children_left: u32,
) -> Result<()> {
    sqlx::query("UPDATE waitlist SET party_size = ? WHERE id = ?")
        .bind(children_left)
        .bind(waitlist_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// O4, F4: what a won claim does to the entry: confirmed once every child has a seat, else
/// still waiting for the rest.
pub async fn settle_won_entry(
    conn: &mut MySqlConnection,
    entry: &EntryState,
    waitlist_id: i64,
    booking_ids: &[i64],
    at: DateTime<Utc>,
) -> Result<()> {
    let booked = u32::try_from(booking_ids.len()).unwrap_or(u32::MAX);
    match after_booking(entry.party(), booked) {
        AfterBooking::Confirmed => confirm_entry(conn, waitlist_id, booking_ids[0], at).await,
        AfterBooking::StillWaiting { children } => partly_won(conn, waitlist_id, children).await,
    }
}

/// O4: the entry got its seat.
pub async fn confirm_entry(
    conn: &mut MySqlConnection,
    waitlist_id: i64,
    booking_id: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE waitlist SET status = 'confirmed', booking_id = ?, confirmed_at = ?, ended_at = ? WHERE id = ?",
    )
    .bind(booking_id)
    .bind(at)
    .bind(at)
    .bind(waitlist_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// A booking for a won seat (`source` waitlist or makeup); `None` when the child already has
/// a seat in this session (the unique key).
pub async fn insert_booking(
    conn: &mut MySqlConnection,
    profile_id: i64,
    session: SessionKey,
    source: &str,
) -> Result<Option<i64>> {
    let inserted = sqlx::query(
        "INSERT INTO booking (profile_id, course_schedule_id, booking_date, status, source) VALUES (?, ?, ?, 'booked', ?)",
    )
    .bind(profile_id)
    .bind(session.course_schedule_id)
    .bind(session.booking_date)
    .bind(source)
    .execute(conn)
    .await;
    match inserted {
        Ok(r) => Ok(Some(inserted_id(&r)?)),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// One hold in turn (O5): `seats` seats for `waitlist_id` in `round` until `deadline`.
pub struct NewHold<'a> {
    pub workflow_id: &'a str,
    pub waitlist_id: i64,
    pub seats: u32,
    pub round: u32,
    pub deadline: DateTime<Utc>,
    pub at: DateTime<Utc>,
}

/// O5: the seats are held for the entry in its round until the deadline.
pub async fn start_hold(conn: &mut MySqlConnection, h: &NewHold<'_>) -> Result<()> {
    let NewHold {
        workflow_id,
        waitlist_id,
        seats,
        round,
        deadline,
        at,
    } = *h;
    sqlx::query(
        "INSERT INTO offer_hold (workflow_id, waitlist_id, hold_round, deadline, started_at, seats) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(workflow_id)
    .bind(waitlist_id)
    .bind(round)
    .bind(deadline)
    .bind(at)
    .bind(seats)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE waitlist_flow SET phase = 'hold', holder_waitlist_id = ?, hold_round = ?, response_deadline = ?
          WHERE workflow_id = ?",
    )
    .bind(waitlist_id)
    .bind(round)
    .bind(deadline)
    .bind(workflow_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Why a hold ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldEnd {
    Confirmed,
    Declined,
    Lapsed,
    Left,
    Closed,
}

impl HoldEnd {
    fn as_str(self) -> &'static str {
        match self {
            HoldEnd::Confirmed => "confirmed",
            HoldEnd::Declined => "declined",
            HoldEnd::Lapsed => "lapsed",
            HoldEnd::Left => "left",
            HoldEnd::Closed => "closed",
        }
    }
}

/// Ends the active hold of `waitlist_id` by this offer (if any).
pub async fn end_hold(
    conn: &mut MySqlConnection,
    workflow_id: &str,
    waitlist_id: i64,
    end: HoldEnd,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE offer_hold SET ended_at = ?, outcome = ? WHERE workflow_id = ? AND waitlist_id = ? AND ended_at IS NULL",
    )
    .bind(at)
    .bind(end.as_str())
    .bind(workflow_id)
    .bind(waitlist_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends the offer in `waitlist_flow`; seats it still held go back to the session's free seats,
/// and its holds end.
pub async fn close_flow(
    conn: &mut MySqlConnection,
    workflow_id: &str,
    phase: OfferPhase,
    reason: Option<&str>,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE waitlist_flow SET phase = ?, seats_open = 0, holder_waitlist_id = NULL,
                flow_completion_time = COALESCE(flow_completion_time, ?), expiration_reason = ?
          WHERE workflow_id = ?",
    )
    .bind(phase.as_str())
    .bind(at)
    .bind(reason)
    .bind(workflow_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE offer_hold SET ended_at = ?, outcome = 'closed' WHERE workflow_id = ? AND ended_at IS NULL",
    )
    .bind(at)
    .bind(workflow_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE waitlist_notification SET status = 'expired'
          WHERE offer_workflow_id = ? AND status = 'sent' AND notification_type IN ('spot_available', 'hold_for_you')",
    )
    .bind(workflow_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Entries are `notified` only while an offer of their session is open.
pub async fn settle_notified(conn: &mut MySqlConnection, key: SessionKey) -> Result<()> {
    sqlx::query(
        "UPDATE waitlist SET status = 'waiting'
          WHERE course_schedule_id = ? AND booking_date = ? AND status = 'notified'
            AND NOT EXISTS (SELECT 1 FROM waitlist_flow f WHERE f.course_schedule_id = ? AND f.booking_date = ?
                               AND f.phase IN ('broadcast', 'hold'))",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a parent's response on their latest notification of this offer.
pub async fn record_response(
    conn: &mut MySqlConnection,
    workflow_id: &str,
    waitlist_id: i64,
    action: &str,
    at: DateTime<Utc>,
    grace_until: Option<DateTime<Utc>>,
) -> Result<()> {
    sqlx::query(
        "UPDATE waitlist_notification SET response = ?, response_time = ?, status = 'responded',
                grace_until = COALESCE(?, grace_until)
          WHERE offer_workflow_id = ? AND waitlist_id = ?
            AND notification_type IN ('spot_available', 'hold_for_you')
          ORDER BY notification_round DESC LIMIT 1",
    )
    .bind(action)
    .bind(at)
    .bind(grace_until)
    .bind(workflow_id)
    .bind(waitlist_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The hold-for-you notice of a lapsed hold is over.
pub async fn expire_hold_notice(
    conn: &mut MySqlConnection,
    workflow_id: &str,
    waitlist_id: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE waitlist_notification SET status = 'expired'
          WHERE offer_workflow_id = ? AND waitlist_id = ? AND notification_type = 'hold_for_you' AND status = 'sent'",
    )
    .bind(workflow_id)
    .bind(waitlist_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Open offers older than `started_before`: candidates for the maintenance job's check.
pub async fn open_flows_started_before(
    pool: &sqlx::MySqlPool,
    started_before: DateTime<Utc>,
) -> Result<Vec<(String, SessionKey)>> {
    let rows: Vec<(String, i64, chrono::NaiveDate)> = sqlx::query_as(
        "SELECT workflow_id, course_schedule_id, booking_date FROM waitlist_flow
          WHERE phase IN ('broadcast', 'hold') AND flow_start_time < ? ORDER BY id LIMIT 500",
    )
    .bind(started_before)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, s, d)| (id, SessionKey::new(s, d)))
        .collect())
}
