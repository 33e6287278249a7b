//! Credit adjustments by staff (issue 14), inside the caller's transaction: minutes off the
//! available credits, or a credit of their own, each change a ledger row of kind `adjusted`.

use chrono::{DateTime, Utc};
use sqlx::MySqlConnection;

/// Available credits of a child, earliest expiry first, locked: (id, remaining minutes).
pub async fn lock_available(
    conn: &mut MySqlConnection,
    profile_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, i32)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, remaining_minutes FROM class_credit_compensation
          WHERE profile_id = ? AND status = 'available' AND remaining_minutes > 0 AND expiry_time > ?
          ORDER BY expiry_time, id FOR UPDATE",
    )
    .bind(profile_id)
    .bind(now)
    .fetch_all(conn)
    .await
}

/// Takes `minutes` off one credit (it becomes `used` at zero).
pub async fn take(
    conn: &mut MySqlConnection,
    credit_id: i64,
    minutes: u32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE class_credit_compensation
            SET remaining_minutes = remaining_minutes - ?,
                status = IF(remaining_minutes = 0, 'used', status),
                used_time = IF(remaining_minutes = 0, CURRENT_TIMESTAMP(3), used_time)
          WHERE id = ? AND remaining_minutes >= ?",
    )
    .bind(minutes)
    .bind(credit_id)
    .bind(minutes)
    .execute(conn)
    .await?;
    Ok(())
}

/// A new credit of `minutes` from an adjustment; returns its id.
pub async fn create_credit(
    conn: &mut MySqlConnection,
    ids: &workflows::ids::WorkflowIds,
    profile_id: i64,
    minutes: u32,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO class_credit_compensation
            (profile_id, original_booking_id, compensation_minutes, remaining_minutes, status, created_time, expiry_time, source)
         VALUES (?, NULL, ?, ?, 'available', ?, ?, 'adjustment')",
    )
    .bind(profile_id)
    .bind(minutes)
    .bind(minutes)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    let id = super::inserted_id(&done)?;
    sqlx::query("UPDATE class_credit_compensation SET workflow_id = ? WHERE id = ?")
        .bind(ids.credit(id))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(id)
}

/// The ledger row of one adjustment of one credit (signed minutes).
pub async fn ledger(
    conn: &mut MySqlConnection,
    profile_id: i64,
    credit_id: i64,
    minutes: i64,
    audit_id: i64,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO compensation_ledger (profile_id, compensation_id, kind, minutes, idempotency_key, at, audit_id)
         VALUES (?, ?, 'adjusted', ?, ?, ?, ?)",
    )
    .bind(profile_id)
    .bind(credit_id)
    .bind(minutes)
    .bind(format!("adjusted/{audit_id}/{credit_id}"))
    .bind(at)
    .bind(audit_id)
    .execute(conn)
    .await?;
    Ok(())
}
