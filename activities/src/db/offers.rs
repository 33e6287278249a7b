//! SQL of the offer activities: flows, seat claims, holds. Every function runs inside the
//! caller's transaction, after the session row is locked.

use chrono::{DateTime, Utc};
use sqlx::MySqlConnection;
use workflows::SessionKey;

/// The locked session: seats and start.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LockedSession {
    pub capacity_override: Option<i32>,
    pub capacity_version: i32,
    pub course_capacity: i32,
    pub starts_at: DateTime<Utc>,
}

impl LockedSession {
    pub fn capacity(&self) -> u32 {
        u32::try_from(self.capacity_override.unwrap_or(self.course_capacity)).unwrap_or(0)
    }
}

pub async fn lock_session(
    conn: &mut MySqlConnection,
    key: SessionKey,
) -> Result<Option<LockedSession>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.capacity_override, s.capacity_version, c.capacity AS course_capacity, s.starts_at
           FROM class_session s
           JOIN course_schedule cs ON cs.id = s.course_schedule_id
           JOIN course c ON c.id = cs.course_id
          WHERE s.course_schedule_id = ? AND s.booking_date = ? FOR UPDATE",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_optional(conn)
    .await
}

pub async fn booked_count(conn: &mut MySqlConnection, key: SessionKey) -> Result<u32, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM booking WHERE course_schedule_id = ? AND booking_date = ? AND status = 'booked'",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Seats open offers of the session still hold for the queue.
pub async fn reserved_seats(
    conn: &mut MySqlConnection,
    key: SessionKey,
) -> Result<u32, sqlx::Error> {
    let (n,): (Option<i64>,) = sqlx::query_as(
        "SELECT CAST(SUM(seats_open) AS SIGNED) FROM waitlist_flow
          WHERE course_schedule_id = ? AND booking_date = ? AND phase IN ('broadcast', 'hold')",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(n.unwrap_or(0)).unwrap_or(0))
}

/// The recorded outcome of an earlier attempt of this release, if any.
pub async fn recorded_outcome(
    conn: &mut MySqlConnection,
    workflow_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT flow_data FROM waitlist_flow WHERE workflow_id = ?")
            .bind(workflow_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(|r| r.0))
}

pub struct NewFlow<'a> {
    pub workflow_id: &'a str,
    pub session: SessionKey,
    pub release_reason: &'a str,
    pub seats: u32,
    pub seats_open: u32,
    pub phase: &'a str,
    pub started_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub expiration_reason: Option<&'a str>,
    pub flow_data: String,
}

pub async fn insert_flow(conn: &mut MySqlConnection, f: &NewFlow<'_>) -> Result<(), sqlx::Error> {
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
    .bind(f.phase)
    .bind(f.started_at)
    .bind(f.deadline)
    .bind(f.completed_at)
    .bind(f.expiration_reason)
    .bind(&f.flow_data)
    .execute(conn)
    .await?;
    Ok(())
}

/// Active entries (waiting or notified) of the session in queue order.
pub async fn active_entry_ids(
    conn: &mut MySqlConnection,
    key: SessionKey,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM waitlist WHERE course_schedule_id = ? AND booking_date = ?
            AND status IN ('waiting', 'notified') ORDER BY id",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn mark_notified(
    conn: &mut MySqlConnection,
    ids: &[i64],
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
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

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FlowRow {
    pub phase: String,
    pub seats_open: i32,
    pub holder_waitlist_id: Option<i64>,
    pub hold_round: i32,
    pub response_deadline: Option<DateTime<Utc>>,
}

pub async fn lock_flow(
    conn: &mut MySqlConnection,
    workflow_id: &str,
) -> Result<Option<FlowRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT CAST(phase AS CHAR) AS phase, seats_open, holder_waitlist_id, hold_round, response_deadline
           FROM waitlist_flow WHERE workflow_id = ? FOR UPDATE",
    )
    .bind(workflow_id)
    .fetch_optional(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryState {
    pub status: String,
    pub profile_id: i64,
    pub booking_id: Option<i64>,
    pub course_schedule_id: i64,
    pub booking_date: chrono::NaiveDate,
    pub pending_makeup_id: Option<i64>,
}

pub async fn lock_entry(
    conn: &mut MySqlConnection,
    id: i64,
) -> Result<Option<EntryState>, sqlx::Error> {
    sqlx::query_as(
        "SELECT CAST(status AS CHAR) AS status, profile_id, booking_id, course_schedule_id, booking_date,
                pending_makeup_id
           FROM waitlist WHERE id = ? FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Records a parent's response on their latest notification of this offer.
pub async fn record_response(
    conn: &mut MySqlConnection,
    workflow_id: &str,
    waitlist_id: i64,
    action: &str,
    at: DateTime<Utc>,
    grace_until: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
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
