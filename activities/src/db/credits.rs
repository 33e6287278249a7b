//! Minute credits and their ledger (M4–M7). Every change writes a ledger row keyed for
//! idempotency, so `created − used + restored − expired − revoked = balance` holds.

use chrono::{DateTime, Utc};
use sqlx::MySqlConnection;

pub struct LedgerRow<'a> {
    pub profile_id: i64,
    pub credit_id: i64,
    pub kind: &'a str,
    pub minutes: u32,
    pub makeup_booking_id: Option<i64>,
    pub key: String,
    pub at: DateTime<Utc>,
}

pub async fn ledger(conn: &mut MySqlConnection, row: LedgerRow<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO compensation_ledger (profile_id, compensation_id, kind, minutes, makeup_booking_id, idempotency_key, at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id",
    )
    .bind(row.profile_id)
    .bind(row.credit_id)
    .bind(row.kind)
    .bind(row.minutes)
    .bind(row.makeup_booking_id)
    .bind(row.key)
    .bind(row.at)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CreditRow {
    pub id: i64,
    pub profile_id: i64,
    pub remaining_minutes: i32,
    pub compensation_minutes: i32,
    pub status: String,
    pub expiry_time: DateTime<Utc>,
}

/// Spendable credits of a child, locked.
pub async fn spendable(
    conn: &mut MySqlConnection,
    profile_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<CreditRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, profile_id, remaining_minutes, compensation_minutes, CAST(status AS CHAR) AS status, expiry_time
           FROM class_credit_compensation
          WHERE profile_id = ? AND status = 'available' AND remaining_minutes > 0 AND expiry_time > ?
          ORDER BY expiry_time, id FOR UPDATE",
    )
    .bind(profile_id)
    .bind(now)
    .fetch_all(conn)
    .await
}

pub async fn lock(conn: &mut MySqlConnection, id: i64) -> Result<Option<CreditRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, profile_id, remaining_minutes, compensation_minutes, CAST(status AS CHAR) AS status, expiry_time
           FROM class_credit_compensation WHERE id = ? FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Minutes a child can spend now.
pub async fn balance(
    conn: &mut MySqlConnection,
    profile_id: i64,
    now: DateTime<Utc>,
) -> Result<u32, sqlx::Error> {
    let (n,): (Option<i64>,) = sqlx::query_as(
        "SELECT CAST(SUM(remaining_minutes) AS SIGNED) FROM class_credit_compensation
          WHERE profile_id = ? AND status = 'available' AND expiry_time > ?",
    )
    .bind(profile_id)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(n.unwrap_or(0)).unwrap_or(0))
}
