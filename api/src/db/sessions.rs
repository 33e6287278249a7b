//! Schedules, concrete sessions and their seat/queue counts.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sqlx::{MySqlConnection, MySqlPool};
use std::collections::HashMap;
use workflows::SessionKey;
use workflows::rules::seats::SeatCount;

/// A weekly slot with its course.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScheduleRow {
    pub course_schedule_id: i64,
    pub weekday: i8,
    pub start_time: NaiveTime,
    pub coach: String,
    pub location: String,
    pub course_id: i64,
    pub course_name: String,
    pub course_type: String,
    pub level: i8,
    #[sqlx(try_from = "i32")]
    pub duration_minutes: u32,
    pub price_cents: i32,
    #[sqlx(try_from = "i32")]
    pub capacity: u32,
}

const SCHEDULE_SELECT: &str =
    "SELECT cs.id AS course_schedule_id, cs.weekday, cs.start_time, cs.coach, cs.location,
        c.id AS course_id, c.name AS course_name, c.course_type, c.level, c.duration_minutes,
        c.price_cents, c.capacity
   FROM course_schedule cs JOIN course c ON c.id = cs.course_id";

pub async fn schedule(pool: &MySqlPool, id: i64) -> Result<Option<ScheduleRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SCHEDULE_SELECT} WHERE cs.id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn schedules(
    pool: &MySqlPool,
    course_type: Option<&str>,
) -> Result<Vec<ScheduleRow>, sqlx::Error> {
    match course_type {
        Some(t) => {
            sqlx::query_as(&format!(
                "{SCHEDULE_SELECT} WHERE c.course_type = ? ORDER BY cs.id"
            ))
            .bind(t)
            .fetch_all(pool)
            .await
        }
        None => {
            sqlx::query_as(&format!("{SCHEDULE_SELECT} ORDER BY cs.id"))
                .fetch_all(pool)
                .await
        }
    }
}

/// Creates the session row if missing (its own statement, outside any transaction, so
/// concurrent first users don't deadlock on the insert).
pub async fn ensure(
    pool: &MySqlPool,
    key: SessionKey,
    starts_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO class_session (course_schedule_id, booking_date, starts_at) VALUES (?, ?, ?)
         ON DUPLICATE KEY UPDATE id = id",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .bind(starts_at)
    .execute(pool)
    .await?;
    Ok(())
}

/// Locks the session row for the transaction; returns the capacity override.
pub async fn lock(conn: &mut MySqlConnection, key: SessionKey) -> Result<Option<i32>, sqlx::Error> {
    let row: (Option<i32>,) = sqlx::query_as(
        "SELECT capacity_override FROM class_session
          WHERE course_schedule_id = ? AND booking_date = ? FOR UPDATE",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_one(conn)
    .await?;
    Ok(row.0)
}

/// `(capacity_override, capacity_version)` of an existing session row.
pub async fn capacity_row(
    conn: &mut MySqlConnection,
    key: SessionKey,
) -> Result<(Option<i32>, i32), sqlx::Error> {
    sqlx::query_as(
        "SELECT capacity_override, capacity_version FROM class_session WHERE course_schedule_id = ? AND booking_date = ?",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_one(conn)
    .await
}

/// Lowers (or sets) the capacity and bumps its version.
pub async fn set_capacity(
    conn: &mut MySqlConnection,
    key: SessionKey,
    capacity: u32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE class_session SET capacity_override = ?, capacity_version = capacity_version + 1
          WHERE course_schedule_id = ? AND booking_date = ?",
    )
    .bind(capacity)
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .execute(conn)
    .await?;
    Ok(())
}

/// Seats taken (`booked`) in the session.
pub async fn booked_count(conn: &mut MySqlConnection, key: SessionKey) -> Result<u32, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM booking WHERE course_schedule_id = ? AND booking_date = ? AND status = 'booked'",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_one(conn)
    .await?;
    crate::db::count("count", n)
}

/// The seats of a locked session ([`SeatCount`], the one seat rule): booked and held by open
/// offers, read under the caller's lock.
pub async fn seat_count(
    conn: &mut MySqlConnection,
    key: SessionKey,
    capacity: u32,
) -> Result<SeatCount, sqlx::Error> {
    Ok(SeatCount {
        capacity,
        booked: booked_count(&mut *conn, key).await?,
        held: crate::db::offers::reserved_seats(&mut *conn, key).await?,
    })
}

/// Counts per session over a date range: booked seats, active queue entries, overrides.
#[derive(Debug, Default)]
pub struct RangeCounts {
    pub booked: HashMap<SessionKey, u32>,
    pub waiting: HashMap<SessionKey, u32>,
    pub capacity_override: HashMap<SessionKey, u32>,
    /// seats open offers hold for the queue
    pub reserved: HashMap<SessionKey, u32>,
}

pub async fn range_counts(
    pool: &MySqlPool,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<RangeCounts, sqlx::Error> {
    let to_map = |rows: Vec<(i64, NaiveDate, i64)>| {
        rows.into_iter()
            .map(|(s, d, n)| Ok((SessionKey::new(s, d), crate::db::count("count", n)?)))
            .collect::<Result<HashMap<_, _>, sqlx::Error>>()
    };
    let booked: Vec<(i64, NaiveDate, i64)> = sqlx::query_as(
        "SELECT course_schedule_id, booking_date, COUNT(*) FROM booking
          WHERE status = 'booked' AND booking_date BETWEEN ? AND ? GROUP BY course_schedule_id, booking_date",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    let waiting: Vec<(i64, NaiveDate, i64)> = sqlx::query_as(
        "SELECT course_schedule_id, booking_date, CAST(SUM(party_size) AS SIGNED) FROM waitlist
          WHERE status IN ('waiting', 'notified') AND booking_date BETWEEN ? AND ?
          GROUP BY course_schedule_id, booking_date",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    let overrides: Vec<(i64, NaiveDate, i64)> = sqlx::query_as(
        "SELECT course_schedule_id, booking_date, CAST(capacity_override AS SIGNED) FROM class_session
          WHERE capacity_override IS NOT NULL AND booking_date BETWEEN ? AND ?",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    let reserved: Vec<(i64, NaiveDate, i64)> = sqlx::query_as(
        "SELECT course_schedule_id, booking_date, CAST(SUM(seats_open) AS SIGNED) FROM waitlist_flow
          WHERE phase IN ('broadcast', 'hold') AND booking_date BETWEEN ? AND ? GROUP BY course_schedule_id, booking_date",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    Ok(RangeCounts {
        reserved: to_map(reserved)?,
        booked: to_map(booked)?,
        waiting: to_map(waiting)?,
        capacity_override: to_map(overrides)?,
    })
}
