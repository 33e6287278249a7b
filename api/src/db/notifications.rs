//! The in-app notification centre, as parents read it.

use chrono::{DateTime, Utc};
use sqlx::MySqlPool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub data: Option<String>,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// One page of a parent's notifications, newest first.
pub async fn page(
    pool: &MySqlPool,
    user_id: i64,
    offset: u32,
    limit: u32,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, type AS kind, title, body, data, read_at, created_at FROM notification
          WHERE user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
    )
    .bind(user_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

/// (all, unread) notifications of a parent.
pub async fn counts(pool: &MySqlPool, user_id: i64) -> Result<(i64, i64), sqlx::Error> {
    let (total, unread): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), CAST(SUM(read_at IS NULL) AS SIGNED) FROM notification WHERE user_id = ?",
    )
    .bind(user_id)
    .fetch_one(pool)
    .await?;
    Ok((total, unread.unwrap_or(0)))
}

/// Owner of a notification, if it exists.
pub async fn owner(pool: &MySqlPool, id: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT user_id FROM notification WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| r.0))
}

/// Marks one notification read (once; a second call keeps the first time).
pub async fn mark_read(pool: &MySqlPool, id: i64, at: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE notification SET read_at = COALESCE(read_at, ?) WHERE id = ?")
        .bind(at)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Marks every unread notification of a parent read; returns how many changed.
pub async fn mark_all_read(
    pool: &MySqlPool,
    user_id: i64,
    at: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("UPDATE notification SET read_at = ? WHERE user_id = ? AND read_at IS NULL")
            .bind(at)
            .bind(user_id)
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
