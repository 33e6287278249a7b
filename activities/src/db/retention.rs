//! Retention deletes: old in-app notifications and old offer delivery records, one bounded
//! batch at a time. Nothing here touches the minute ledger (`compensation_ledger`) or any
//! credit, booking or queue row.

use chrono::{DateTime, Utc};
use sqlx::{MySqlConnection, MySqlPool};

/// The age and batch size in force (`retention_setting`, one row; defaults when missing).
pub async fn setting(pool: &MySqlPool) -> Result<(u32, u32), sqlx::Error> {
    let row: Option<(i32, i32)> =
        sqlx::query_as("SELECT max_age_days, batch_size FROM retention_setting WHERE id = 1")
            .fetch_optional(pool)
            .await?;
    let (age, batch) = row.unwrap_or((180, 500));
    Ok((
        u32::try_from(age).unwrap_or(180).max(1),
        u32::try_from(batch).unwrap_or(500).clamp(1, 10_000),
    ))
}

/// In-app notifications created before `cutoff`, except those whose WeChat send is still
/// under way (`pending`, `sending`): the delivery activity must still find them.
pub async fn delete_notifications(
    conn: &mut MySqlConnection,
    cutoff: DateTime<Utc>,
    limit: u32,
) -> Result<u32, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM notification
          WHERE created_at < ? AND wechat_status NOT IN ('pending', 'sending')
          ORDER BY id LIMIT ?",
    )
    .bind(cutoff)
    .bind(limit)
    .execute(conn)
    .await?;
    Ok(u32::try_from(done.rows_affected()).unwrap_or(u32::MAX))
}

/// Offer delivery records (`waitlist_notification`) created before `cutoff`.
pub async fn delete_deliveries(
    conn: &mut MySqlConnection,
    cutoff: DateTime<Utc>,
    limit: u32,
) -> Result<u32, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM waitlist_notification WHERE created_at < ? ORDER BY id LIMIT ?")
            .bind(cutoff)
            .bind(limit)
            .execute(conn)
            .await?;
    Ok(u32::try_from(done.rows_affected()).unwrap_or(u32::MAX))
}
