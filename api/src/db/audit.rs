//! The audit log of staff actions: who, when, what (action, target, details) and why. Each
//! entry is written in the same transaction as the change it describes.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sqlx::{MySqlConnection, MySqlPool};

pub struct NewEntry<'a> {
    pub staff_user_id: i64,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: String,
    pub reason: Option<&'a str>,
    pub details: Value,
    pub at: DateTime<Utc>,
}

/// Writes one entry (the staff member's username as it is now); returns its id.
pub async fn write(conn: &mut MySqlConnection, e: &NewEntry<'_>) -> Result<i64, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO staff_audit_log (staff_user_id, staff_username, action, target_type, target_id, reason, details, at)
         SELECT id, COALESCE(username, ''), ?, ?, ?, ?, ?, ? FROM user WHERE id = ?",
    )
    .bind(e.action)
    .bind(e.target_type)
    .bind(&e.target_id)
    .bind(e.reason)
    .bind(e.details.to_string())
    .bind(e.at)
    .bind(e.staff_user_id)
    .execute(conn)
    .await?;
    super::inserted_id(&done)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub staff_user_id: i64,
    pub staff_username: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub reason: Option<String>,
    pub details: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Default)]
pub struct Filter {
    pub staff_user_id: Option<i64>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// `[from, to)` in UTC
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: u32,
}

/// Entries matching the filter, newest first.
pub async fn list(pool: &MySqlPool, f: &Filter) -> Result<Vec<EntryRow>, sqlx::Error> {
    let mut sql = String::from(
        "SELECT id, staff_user_id, staff_username, action, target_type, target_id, reason, details, at
           FROM staff_audit_log WHERE 1 = 1",
    );
    if f.staff_user_id.is_some() {
        sql.push_str(" AND staff_user_id = ?");
    }
    if f.action.is_some() {
        sql.push_str(" AND action = ?");
    }
    if f.target_type.is_some() {
        sql.push_str(" AND target_type = ?");
    }
    if f.target_id.is_some() {
        sql.push_str(" AND target_id = ?");
    }
    if f.from.is_some() {
        sql.push_str(" AND at >= ?");
    }
    if f.to.is_some() {
        sql.push_str(" AND at < ?");
    }
    sql.push_str(" ORDER BY id DESC LIMIT ?");
    let mut q = sqlx::query_as(&sql);
    if let Some(v) = f.staff_user_id {
        q = q.bind(v);
    }
    if let Some(v) = &f.action {
        q = q.bind(v);
    }
    if let Some(v) = &f.target_type {
        q = q.bind(v);
    }
    if let Some(v) = &f.target_id {
        q = q.bind(v);
    }
    if let Some(v) = f.from {
        q = q.bind(v);
    }
    if let Some(v) = f.to {
        q = q.bind(v);
    }
    q.bind(f.limit).fetch_all(pool).await
}

/// `[from 00:00, to+1 00:00)` of club-time dates, as UTC instants.
pub fn day_range(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    tz: chrono_tz::Tz,
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let start = |d: NaiveDate| crate::session::starts_at(d, chrono::NaiveTime::MIN, tz);
    (from.map(start), to.and_then(|d| d.succ_opt()).map(start))
}
