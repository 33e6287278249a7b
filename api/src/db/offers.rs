//! Reads of offers (`waitlist_flow`, `waitlist_notification`) for parents and ops.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{MySqlConnection, MySqlPool};
use workflows::SessionKey;

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
    crate::db::count("held seats", n.unwrap_or(0))
}

/// Open offers of a session, oldest first.
pub async fn open_offers(pool: &MySqlPool, key: SessionKey) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT workflow_id FROM waitlist_flow
          WHERE course_schedule_id = ? AND booking_date = ? AND phase IN ('broadcast', 'hold') ORDER BY id",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Phase of the latest offer that told this entry anything: "won" means the seat went to
/// someone (or to this entry), anything else that the offer moved on.
pub async fn last_offer_phase_for(
    pool: &MySqlPool,
    waitlist_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT CAST(f.phase AS CHAR) FROM waitlist_notification n JOIN waitlist_flow f ON f.workflow_id = n.offer_workflow_id
          WHERE n.waitlist_id = ? ORDER BY n.id DESC LIMIT 1",
    )
    .bind(waitlist_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.0))
}

/// The open offer an active entry may act on: kind, deadline and its own grace.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenOfferRow {
    pub waitlist_id: i64,
    pub workflow_id: String,
    pub kind: String,
    pub deadline: Option<DateTime<Utc>>,
    pub grace_until: Option<DateTime<Utc>>,
}

pub async fn open_offers_of_parent(
    pool: &MySqlPool,
    user_id: i64,
) -> Result<Vec<OpenOfferRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT w.id AS waitlist_id, f.workflow_id, CAST(f.phase AS CHAR) AS kind, f.response_deadline AS deadline,
                (SELECT MAX(n2.grace_until) FROM waitlist_notification n2
                  WHERE n2.offer_workflow_id = f.workflow_id AND n2.waitlist_id = w.id) AS grace_until
           FROM waitlist w
           JOIN profile p ON p.id = w.profile_id
           JOIN waitlist_flow f ON f.course_schedule_id = w.course_schedule_id AND f.booking_date = w.booking_date
          WHERE p.user_id = ? AND w.status IN ('waiting', 'notified') AND f.phase IN ('broadcast', 'hold')
            AND f.seats_open > 0
            AND ((f.phase = 'broadcast' AND EXISTS (SELECT 1 FROM waitlist_notification n
                    WHERE n.offer_workflow_id = f.workflow_id AND n.waitlist_id = w.id
                      AND n.notification_type = 'spot_available' AND (n.response IS NULL OR n.response = 'begin')))
              OR (f.phase = 'hold' AND f.holder_waitlist_id = w.id))
          ORDER BY f.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub round: i32,
    pub sent_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub response: Option<String>,
    pub status: String,
    pub message: Option<String>,
    pub offer_workflow_id: Option<String>,
}

pub async fn notifications_of_entry(
    pool: &MySqlPool,
    waitlist_id: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, CAST(notification_type AS CHAR) AS kind, notification_round AS round, sent_time AS sent_at,
                response_deadline AS deadline, CAST(response AS CHAR) AS response, CAST(status AS CHAR) AS status,
                message_content AS message, offer_workflow_id
           FROM waitlist_notification WHERE waitlist_id = ? ORDER BY id DESC",
    )
    .bind(waitlist_id)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FlowRow {
    pub workflow_id: String,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub release_reason: String,
    pub seats: i32,
    pub seats_open: i32,
    pub phase: String,
    pub flow_start_time: DateTime<Utc>,
    pub response_deadline: Option<DateTime<Utc>>,
    pub flow_completion_time: Option<DateTime<Utc>>,
    pub expiration_reason: Option<String>,
    pub winner_waitlist_id: Option<i64>,
    pub holder_waitlist_id: Option<i64>,
}

pub async fn flows(
    pool: &MySqlPool,
    phase: Option<&str>,
    session: Option<SessionKey>,
) -> Result<Vec<FlowRow>, sqlx::Error> {
    let mut sql = String::from(
        "SELECT workflow_id, course_schedule_id, booking_date, CAST(release_reason AS CHAR) AS release_reason, seats,
                seats_open, CAST(phase AS CHAR) AS phase, flow_start_time, response_deadline, flow_completion_time,
                CAST(expiration_reason AS CHAR) AS expiration_reason, winner_waitlist_id, holder_waitlist_id
           FROM waitlist_flow WHERE 1 = 1",
    );
    if phase.is_some() {
        sql.push_str(" AND phase = ?");
    }
    if session.is_some() {
        sql.push_str(" AND course_schedule_id = ? AND booking_date = ?");
    }
    sql.push_str(" ORDER BY id DESC LIMIT 200");
    let mut q = sqlx::query_as(&sql);
    if let Some(p) = phase {
        q = q.bind(p);
    }
    if let Some(k) = session {
        q = q.bind(k.course_schedule_id).bind(k.booking_date);
    }
    q.fetch_all(pool).await
}

/// Open offers (broadcast or hold) of sessions in `[from, to]`.
pub async fn open_flows_between(
    pool: &MySqlPool,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<FlowRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT workflow_id, course_schedule_id, booking_date, CAST(release_reason AS CHAR) AS release_reason, seats,
                seats_open, CAST(phase AS CHAR) AS phase, flow_start_time, response_deadline, flow_completion_time,
                CAST(expiration_reason AS CHAR) AS expiration_reason, winner_waitlist_id, holder_waitlist_id
           FROM waitlist_flow WHERE phase IN ('broadcast', 'hold') AND booking_date BETWEEN ? AND ? ORDER BY id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionNoticeRow {
    pub id: i64,
    pub waitlist_id: i64,
    pub profile_name: String,
    pub kind: String,
    pub round: i32,
    pub sent_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub response: Option<String>,
    pub status: String,
    pub offer_workflow_id: Option<String>,
}

/// Every offer notice sent to the session's queue, newest first.
pub async fn notices_of_session(
    pool: &MySqlPool,
    key: SessionKey,
) -> Result<Vec<SessionNoticeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, n.waitlist_id, p.name AS profile_name, CAST(n.notification_type AS CHAR) AS kind,
                n.notification_round AS round, n.sent_time AS sent_at, n.response_deadline AS deadline,
                CAST(n.response AS CHAR) AS response, CAST(n.status AS CHAR) AS status, n.offer_workflow_id
           FROM waitlist_notification n JOIN waitlist w ON w.id = n.waitlist_id JOIN profile p ON p.id = w.profile_id
          WHERE w.course_schedule_id = ? AND w.booking_date = ? ORDER BY n.id DESC LIMIT 500",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionBookingRow {
    pub id: i64,
    pub profile_id: i64,
    pub profile_name: String,
    pub user_id: i64,
    pub status: String,
    pub source: String,
    pub created_at: DateTime<Utc>,
}

/// The session's bookings: seats held first, then the rest, in booking order.
pub async fn bookings_of_session(
    pool: &MySqlPool,
    key: SessionKey,
) -> Result<Vec<SessionBookingRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.id, b.profile_id, p.name AS profile_name, p.user_id, CAST(b.status AS CHAR) AS status,
                CAST(b.source AS CHAR) AS source, b.created_at
           FROM booking b JOIN profile p ON p.id = b.profile_id
          WHERE b.course_schedule_id = ? AND b.booking_date = ?
          ORDER BY b.status = 'booked' DESC, b.id",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_all(pool)
    .await
}
