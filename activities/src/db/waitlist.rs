//! Waitlist writes done by activities (the session is locked by the caller).

use crate::error::Result;
use chrono::{DateTime, Utc};
use sqlx::MySqlConnection;
use workflows::SessionKey;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActiveEntry {
    pub id: i64,
    pub profile_id: i64,
    pub user_id: i64,
}

/// Active (waiting or notified) entries in queue order, with their parents.
pub async fn active_entries(
    conn: &mut MySqlConnection,
    session: SessionKey,
) -> Result<Vec<ActiveEntry>> {
    Ok(sqlx::query_as::<_, ActiveEntry>(
        "SELECT w.id, w.profile_id, p.user_id
           FROM waitlist w JOIN profile p ON p.id = w.profile_id
          WHERE w.course_schedule_id = ? AND w.booking_date = ?
            AND w.status IN ('waiting', 'notified')
          ORDER BY w.id",
    )
    .bind(session.course_schedule_id)
    .bind(session.booking_date)
    .fetch_all(conn)
    .await?)
}

/// Marks the given entries expired for `reason`; returns how many changed.
pub async fn expire_entries(
    conn: &mut MySqlConnection,
    ids: &[i64],
    reason: &str,
    at: DateTime<Utc>,
) -> Result<u64> {
    let mut changed = 0;
    for id in ids {
        changed += sqlx::query(
            "UPDATE waitlist SET status = 'expired', expiration_reason = ?, ended_at = ?
              WHERE id = ? AND status IN ('waiting', 'notified')",
        )
        .bind(reason)
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(changed)
}

/// An active entry whose position improved since the parent was last told (W4
/// `position_changed`): (entry, parent, profile, session, position now).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MovedUp {
    pub id: i64,
    pub user_id: i64,
    pub profile_id: i64,
    pub course_schedule_id: i64,
    pub booking_date: chrono::NaiveDate,
    pub position: i64,
}

/// Active entries (of sessions not yet started) that moved up since they were last told.
pub async fn moved_up(
    conn: &mut MySqlConnection,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<MovedUp>> {
    Ok(sqlx::query_as(
        "SELECT id, user_id, profile_id, course_schedule_id, booking_date, position FROM (
            SELECT w.id, p.user_id, w.profile_id, w.course_schedule_id, w.booking_date, w.last_told_position,
                   (SELECT COUNT(*) FROM waitlist w2 WHERE w2.course_schedule_id = w.course_schedule_id
                       AND w2.booking_date = w.booking_date AND w2.status IN ('waiting', 'notified') AND w2.id <= w.id) AS position
              FROM waitlist w JOIN profile p ON p.id = w.profile_id
              JOIN class_session s ON s.course_schedule_id = w.course_schedule_id AND s.booking_date = w.booking_date
             WHERE w.status IN ('waiting', 'notified') AND w.last_told_position IS NOT NULL AND s.starts_at > ?
         ) q WHERE position < last_told_position ORDER BY id LIMIT ?",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

pub async fn set_told_position(conn: &mut MySqlConnection, id: i64, position: i64) -> Result<()> {
    sqlx::query("UPDATE waitlist SET last_told_position = ? WHERE id = ?")
        .bind(position)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
