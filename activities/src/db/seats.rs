//! The session row lock and the counts the seat rule ([`SeatCount`]) decides on. Each query
//! exists once on the activity side.

use crate::error::{Result, u32_of};
use chrono::{DateTime, Utc};
use sqlx::MySqlConnection;
use workflows::SessionKey;
use workflows::rules::seats::SeatCount;

/// The locked session: capacity, its version and start.
#[derive(Debug, Clone)]
pub struct LockedSession {
    pub capacity: u32,
    pub capacity_version: i32,
    pub starts_at: DateTime<Utc>,
}

/// `SELECT … FOR UPDATE` of the session row; every seat or queue change takes it first.
///
/// The lock is a single-table statement on purpose: in a join, MariaDB reads tables found by a
/// unique key equal to constants ("const tables") while planning, without taking the row lock,
/// so `… class_session s JOIN course_schedule … FOR UPDATE` did not serialize anything there
/// (found by `a_booking_committed_while_a_makeup_waited_for_the_lock_is_counted`).
pub async fn lock(conn: &mut MySqlConnection, key: SessionKey) -> Result<Option<LockedSession>> {
    let row: Option<(Option<i32>, i32, DateTime<Utc>)> = sqlx::query_as(
        "SELECT capacity_override, capacity_version, starts_at FROM class_session
          WHERE course_schedule_id = ? AND booking_date = ? FOR UPDATE",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((over, version, starts_at)) = row else {
        return Ok(None);
    };
    let capacity = match over {
        Some(c) => c,
        None => {
            let (course,): (i32,) = sqlx::query_as(
                "SELECT c.capacity FROM course_schedule cs JOIN course c ON c.id = cs.course_id WHERE cs.id = ?",
            )
            .bind(key.course_schedule_id)
            .fetch_one(&mut *conn)
            .await?;
            course
        }
    };
    Ok(Some(LockedSession {
        capacity: u32_of("capacity", capacity)?,
        capacity_version: version,
        starts_at,
    }))
}

/// Bookings holding a seat.
pub async fn booked(conn: &mut MySqlConnection, key: SessionKey) -> Result<u32> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM booking WHERE course_schedule_id = ? AND booking_date = ? AND status = 'booked'",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_one(conn)
    .await?;
    u32_of("booked", n)
}

/// Seats open offers of the session still hold for the queue.
pub async fn held(conn: &mut MySqlConnection, key: SessionKey) -> Result<u32> {
    let (n,): (Option<i64>,) = sqlx::query_as(
        "SELECT CAST(SUM(seats_open) AS SIGNED) FROM waitlist_flow
          WHERE course_schedule_id = ? AND booking_date = ? AND phase IN ('broadcast', 'hold')",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_one(conn)
    .await?;
    u32_of("held seats", n.unwrap_or(0))
}

/// The session's seats, read under its lock.
pub async fn count(
    conn: &mut MySqlConnection,
    key: SessionKey,
    locked: &LockedSession,
) -> Result<SeatCount> {
    Ok(SeatCount {
        capacity: locked.capacity,
        booked: booked(&mut *conn, key).await?,
        held: held(&mut *conn, key).await?,
    })
}

/// Sets the capacity and bumps its version (O1 capacity change).
pub async fn set_capacity(
    conn: &mut MySqlConnection,
    key: SessionKey,
    capacity: u32,
) -> Result<()> {
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
