//! Waitlist writes done by activities.

use chrono::{DateTime, Utc};
use sqlx::MySqlConnection;
use workflows::SessionKey;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActiveEntry {
    pub id: i64,
    pub profile_id: i64,
    pub user_id: i64,
}

/// Locks the session row: every seat or queue change of a session goes through this lock.
pub async fn lock_session(
    conn: &mut MySqlConnection,
    session: SessionKey,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM class_session WHERE course_schedule_id = ? AND booking_date = ? FOR UPDATE",
    )
    .bind(session.course_schedule_id)
    .bind(session.booking_date)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// Active (waiting or notified) entries in queue order, with their parents.
pub async fn active_entries(
    conn: &mut MySqlConnection,
    session: SessionKey,
) -> Result<Vec<ActiveEntry>, sqlx::Error> {
    sqlx::query_as::<_, ActiveEntry>(
        "SELECT w.id, w.profile_id, p.user_id
           FROM waitlist w JOIN profile p ON p.id = w.profile_id
          WHERE w.course_schedule_id = ? AND w.booking_date = ?
            AND w.status IN ('waiting', 'notified')
          ORDER BY w.id",
    )
    .bind(session.course_schedule_id)
    .bind(session.booking_date)
    .fetch_all(conn)
    .await
}

/// Marks the given entries expired for `reason`; returns how many changed.
pub async fn expire_entries(
    conn: &mut MySqlConnection,
    ids: &[i64],
    reason: &str,
    at: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
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
