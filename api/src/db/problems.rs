//! What needs a person: offers past their deadline, WeChat deliveries that failed or never
//! left, credits whose ledger does not add up to their balance, credits past expiry that
//! are still spendable. The same queries feed the business metrics.

use crate::db::families::LEDGER_SIGNED_SUM;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::MySqlPool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LateOffer {
    pub workflow_id: String,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub phase: String,
    pub response_deadline: Option<DateTime<Utc>>,
    pub seats_open: i32,
}

/// Open offers whose deadline passed more than `grace_seconds` ago.
pub async fn late_offers(
    pool: &MySqlPool,
    now: DateTime<Utc>,
    grace_seconds: i64,
) -> Result<Vec<LateOffer>, sqlx::Error> {
    sqlx::query_as(
        "SELECT workflow_id, course_schedule_id, booking_date, CAST(phase AS CHAR) AS phase, response_deadline, seats_open
           FROM waitlist_flow
          WHERE phase IN ('broadcast', 'hold') AND response_deadline < ? - INTERVAL ? SECOND
          ORDER BY response_deadline LIMIT 200",
    )
    .bind(now)
    .bind(grace_seconds)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BadDelivery {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub title: String,
    pub wechat_status: String,
    pub wechat_errcode: Option<i32>,
    pub created_at: DateTime<Utc>,
}

/// WeChat deliveries that failed, or are still pending/sending after `stale_seconds`.
pub async fn bad_deliveries(
    pool: &MySqlPool,
    now: DateTime<Utc>,
    stale_seconds: i64,
) -> Result<Vec<BadDelivery>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, user_id, type AS kind, title, CAST(wechat_status AS CHAR) AS wechat_status, wechat_errcode, created_at
           FROM notification
          WHERE wechat_status = 'failed'
             OR (wechat_status IN ('pending', 'sending') AND created_at < ? - INTERVAL ? SECOND)
          ORDER BY id DESC LIMIT 200",
    )
    .bind(now)
    .bind(stale_seconds)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CreditAnomaly {
    pub credit_id: i64,
    pub profile_id: i64,
    pub user_id: i64,
    pub status: String,
    pub remaining_minutes: i32,
    pub ledger_balance: i64,
    pub expiry_time: DateTime<Utc>,
}

const ANOMALY_SELECT: &str = "SELECT c.id AS credit_id, c.profile_id, p.user_id, CAST(c.status AS CHAR) AS status,
        c.remaining_minutes, c.expiry_time, CAST(COALESCE(lb.balance, 0) AS SIGNED) AS ledger_balance
   FROM class_credit_compensation c
   JOIN profile p ON p.id = c.profile_id
   LEFT JOIN (SELECT l.compensation_id, {SUM} AS balance FROM compensation_ledger l GROUP BY l.compensation_id) lb
          ON lb.compensation_id = c.id";

/// Credits whose ledger does not add up to their remaining minutes (M7 broken).
pub async fn unbalanced_credits(pool: &MySqlPool) -> Result<Vec<CreditAnomaly>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{} WHERE COALESCE(lb.balance, 0) <> c.remaining_minutes ORDER BY c.id LIMIT 200",
        ANOMALY_SELECT.replace("{SUM}", LEDGER_SIGNED_SUM)
    ))
    .fetch_all(pool)
    .await
}

/// Credits still spendable more than `grace_seconds` after their expiry (their expiry
/// workflow did not run).
pub async fn overdue_credits(
    pool: &MySqlPool,
    now: DateTime<Utc>,
    grace_seconds: i64,
) -> Result<Vec<CreditAnomaly>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{} WHERE c.status = 'available' AND c.remaining_minutes > 0 AND c.expiry_time < ? - INTERVAL ? SECOND
          ORDER BY c.expiry_time LIMIT 200",
        ANOMALY_SELECT.replace("{SUM}", LEDGER_SIGNED_SUM)
    ))
    .bind(now)
    .bind(grace_seconds)
    .fetch_all(pool)
    .await
}
