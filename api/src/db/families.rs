//! A family (a parent and their children) as staff see it: search, notifications, every
//! credit with its status and the per-credit ledger sums.

use chrono::{DateTime, Utc};
use sqlx::MySqlPool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FamilyRow {
    pub user_id: i64,
    pub nickname: Option<String>,
    pub openid: Option<String>,
    pub created_at: DateTime<Utc>,
    pub children: Option<String>,
    pub active_entries: i64,
    pub open_pending: i64,
}

const FAMILY_SELECT: &str = "SELECT u.id AS user_id, u.nickname, u.openid, u.created_at,
        (SELECT GROUP_CONCAT(p.name ORDER BY p.id SEPARATOR '、') FROM profile p WHERE p.user_id = u.id) AS children,
        (SELECT COUNT(*) FROM waitlist w JOIN profile p ON p.id = w.profile_id
          WHERE p.user_id = u.id AND w.status IN ('waiting', 'notified')) AS active_entries,
        (SELECT COUNT(*) FROM pending_makeup pm JOIN profile p ON p.id = pm.profile_id
          WHERE p.user_id = u.id AND pm.status = 'open') AS open_pending
   FROM user u WHERE u.role = 'parent'";

/// Parents whose id, nickname, openid or a child's name matches `q` (all when empty).
pub async fn search(pool: &MySqlPool, q: &str) -> Result<Vec<FamilyRow>, sqlx::Error> {
    let q = q.trim();
    if q.is_empty() {
        return sqlx::query_as(&format!("{FAMILY_SELECT} ORDER BY u.id DESC LIMIT 50"))
            .fetch_all(pool)
            .await;
    }
    let like = format!(
        "%{}%",
        q.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let id: i64 = q.parse().unwrap_or(-1);
    sqlx::query_as(&format!(
        "{FAMILY_SELECT} AND (u.id = ? OR u.nickname LIKE ? OR u.openid LIKE ?
            OR EXISTS (SELECT 1 FROM profile p WHERE p.user_id = u.id AND (p.name LIKE ? OR p.id = ?)))
          ORDER BY u.id DESC LIMIT 50"
    ))
    .bind(id)
    .bind(&like)
    .bind(&like)
    .bind(&like)
    .bind(id)
    .fetch_all(pool)
    .await
}

pub async fn find(pool: &MySqlPool, user_id: i64) -> Result<Option<FamilyRow>, sqlx::Error> {
    sqlx::query_as(&format!("{FAMILY_SELECT} AND u.id = ?"))
        .bind(user_id)
        .fetch_optional(pool)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub user_id: i64,
    pub profile_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub wechat_status: String,
    pub wechat_errcode: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    pub dedupe_key: String,
}

const NOTIFICATION_SELECT: &str = "SELECT n.id, n.user_id, n.profile_id, n.type AS kind, n.title, n.body,
        CAST(n.wechat_status AS CHAR) AS wechat_status, n.wechat_errcode, n.created_at, n.read_at, n.dedupe_key
   FROM notification n";

pub async fn notifications_of(
    pool: &MySqlPool,
    user_id: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{NOTIFICATION_SELECT} WHERE n.user_id = ? ORDER BY n.id DESC LIMIT 100"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await
}

pub async fn notification(
    pool: &MySqlPool,
    id: i64,
) -> Result<Option<NotificationRow>, sqlx::Error> {
    sqlx::query_as(&format!("{NOTIFICATION_SELECT} WHERE n.id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Every in-app message about one session (offers, cutoff, staff messages), newest first.
pub async fn notifications_of_session(
    pool: &MySqlPool,
    key: workflows::SessionKey,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{NOTIFICATION_SELECT}
          WHERE JSON_UNQUOTE(JSON_EXTRACT(n.data, '$.course_schedule_id')) = ?
            AND JSON_UNQUOTE(JSON_EXTRACT(n.data, '$.booking_date')) = ?
          ORDER BY n.id DESC LIMIT 500"
    ))
    .bind(key.course_schedule_id.to_string())
    .bind(key.booking_date.to_string())
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CreditRow {
    pub id: i64,
    pub profile_id: i64,
    pub source: String,
    pub compensation_minutes: i32,
    pub remaining_minutes: i32,
    pub status: String,
    pub created_time: DateTime<Utc>,
    pub expiry_time: DateTime<Utc>,
    pub makeup_booking_id: Option<i64>,
    pub workflow_id: Option<String>,
    /// created − used + restored − expired − revoked ± adjusted, from this credit's ledger
    pub ledger_balance: i64,
}

pub const LEDGER_SIGNED_SUM: &str = "CAST(COALESCE(SUM(CASE l.kind
        WHEN 'created' THEN l.minutes WHEN 'restored' THEN l.minutes WHEN 'adjusted' THEN l.minutes
        ELSE -l.minutes END), 0) AS SIGNED)";

/// Every credit of a family's children (any status), with its ledger balance.
pub async fn credits_of(pool: &MySqlPool, user_id: i64) -> Result<Vec<CreditRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT c.id, c.profile_id, CAST(c.source AS CHAR) AS source, c.compensation_minutes, c.remaining_minutes,
                CAST(c.status AS CHAR) AS status, c.created_time, c.expiry_time, c.makeup_booking_id, c.workflow_id,
                (SELECT {LEDGER_SIGNED_SUM} FROM compensation_ledger l WHERE l.compensation_id = c.id) AS ledger_balance
           FROM class_credit_compensation c JOIN profile p ON p.id = c.profile_id
          WHERE p.user_id = ? ORDER BY c.expiry_time DESC, c.id DESC"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChildRow {
    pub id: i64,
    pub name: String,
    pub level: i8,
}

pub async fn children(pool: &MySqlPool, user_id: i64) -> Result<Vec<ChildRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, level FROM profile WHERE user_id = ? ORDER BY id")
        .bind(user_id)
        .fetch_all(pool)
        .await
}

/// The makeup booking a pending makeup has now (the newest one).
pub async fn latest_makeup_of_pending(
    pool: &MySqlPool,
    pending_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM makeup_booking WHERE pending_makeup_id = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(pending_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.0))
}
