//! Reads of pending makeups, makeup bookings and credits for parents.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::MySqlPool;
use workflows::status::{MakeupStatus, PendingStatus};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingRow {
    pub id: i64,
    pub profile_id: i64,
    pub profile_name: String,
    pub user_id: i64,
    pub original_booking_id: i64,
    pub course_name: String,
    pub course_type: String,
    pub level: i8,
    #[sqlx(try_from = "i32")]
    pub duration_minutes: u32,
    pub price_cents: i32,
    pub leave_date: NaiveDate,
    #[sqlx(try_from = "String")]
    pub status: PendingStatus,
    /// the missed session
    pub course_schedule_id: i64,
    pub original_starts_at: Option<DateTime<Utc>>,
    pub coach: String,
    pub location: String,
}

const PENDING_SELECT: &str =
    "SELECT pm.id, pm.profile_id, p.name AS profile_name, p.user_id, pm.original_booking_id,
        c.name AS course_name, pm.course_type, pm.level, pm.duration_minutes, pm.price_cents,
        b.booking_date AS leave_date, CAST(pm.status AS CHAR) AS status,
        b.course_schedule_id, s.starts_at AS original_starts_at, cs.coach, cs.location
   FROM pending_makeup pm
   JOIN profile p ON p.id = pm.profile_id
   JOIN course c ON c.id = pm.course_id
   JOIN booking b ON b.id = pm.original_booking_id
   JOIN course_schedule cs ON cs.id = b.course_schedule_id
   LEFT JOIN class_session s ON s.course_schedule_id = b.course_schedule_id AND s.booking_date = b.booking_date";

pub async fn pending(pool: &MySqlPool, id: i64) -> Result<Option<PendingRow>, sqlx::Error> {
    sqlx::query_as(&format!("{PENDING_SELECT} WHERE pm.id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn pending_of_parent(
    pool: &MySqlPool,
    user_id: i64,
) -> Result<Vec<PendingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{PENDING_SELECT} WHERE p.user_id = ? AND pm.status IN ('open', 'booked') ORDER BY pm.status = 'open' DESC, pm.id DESC"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MakeupRow {
    pub id: i64,
    pub pending_makeup_id: i64,
    pub profile_id: i64,
    pub user_id: i64,
    pub course_name: String,
    pub course_id: i64,
    pub course_type: String,
    pub makeup_schedule_id: i64,
    pub makeup_date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub makeup_duration: i32,
    pub original_duration: i32,
    #[sqlx(try_from = "String")]
    pub status: MakeupStatus,
    pub completion_type: String,
    pub workflow_id: Option<String>,
    pub profile_name: String,
    pub coach: String,
    pub location: String,
    pub booking_id: Option<i64>,
    pub compensation_created: i64,
    pub compensation_used: i64,
    pub original_booking_id: i64,
    pub original_course_name: String,
    pub original_date: NaiveDate,
    pub original_starts_at: Option<DateTime<Utc>>,
}

const MAKEUP_SELECT: &str = "SELECT mb.id, mb.pending_makeup_id, mb.profile_id, p.user_id, c.name AS course_name,
        c.id AS course_id, c.course_type,
        mb.makeup_schedule_id, mb.makeup_date, s.starts_at, mb.makeup_duration, mb.original_duration,
        CAST(mb.status AS CHAR) AS status, CAST(mb.completion_type AS CHAR) AS completion_type, mb.workflow_id,
        p.name AS profile_name, cs.coach, cs.location, mb.booking_id,
        CAST(COALESCE((SELECT SUM(cc.compensation_minutes) FROM class_credit_compensation cc
                        WHERE cc.makeup_booking_id = mb.id), 0) AS SIGNED) AS compensation_created,
        CAST(COALESCE((SELECT SUM(u.used_minutes) FROM compensation_usage u
                        WHERE u.makeup_booking_id = mb.id), 0) AS SIGNED) AS compensation_used,
        mb.original_booking_id, oc.name AS original_course_name, ob.booking_date AS original_date,
        os.starts_at AS original_starts_at
   FROM makeup_booking mb
   JOIN profile p ON p.id = mb.profile_id
   JOIN course c ON c.id = mb.makeup_class_id
   JOIN course_schedule cs ON cs.id = mb.makeup_schedule_id
   JOIN booking ob ON ob.id = mb.original_booking_id
   JOIN course_schedule ocs ON ocs.id = ob.course_schedule_id
   JOIN course oc ON oc.id = ocs.course_id
   JOIN class_session s ON s.course_schedule_id = mb.makeup_schedule_id AND s.booking_date = mb.makeup_date
   LEFT JOIN class_session os ON os.course_schedule_id = ob.course_schedule_id AND os.booking_date = ob.booking_date";

pub async fn makeup(pool: &MySqlPool, id: i64) -> Result<Option<MakeupRow>, sqlx::Error> {
    sqlx::query_as(&format!("{MAKEUP_SELECT} WHERE mb.id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// A parent's makeups, latest class first; `status` filters on the stored status.
pub async fn makeups_of_parent(
    pool: &MySqlPool,
    user_id: i64,
    status: Option<&str>,
) -> Result<Vec<MakeupRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{MAKEUP_SELECT} WHERE p.user_id = ? AND (? IS NULL OR mb.status = ?)
          ORDER BY mb.makeup_date DESC, mb.id DESC LIMIT 200"
    ))
    .bind(user_id)
    .bind(status)
    .bind(status)
    .fetch_all(pool)
    .await
}

/// The credit a makeup created (a shorter class, M4).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CreatedCreditRow {
    pub id: i64,
    pub compensation_minutes: i32,
    pub remaining_minutes: i32,
    pub expiry_time: DateTime<Utc>,
    pub status: String,
}

pub async fn credit_of_makeup(
    pool: &MySqlPool,
    makeup_booking_id: i64,
) -> Result<Option<CreatedCreditRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, compensation_minutes, remaining_minutes, expiry_time, CAST(status AS CHAR) AS status
           FROM class_credit_compensation WHERE makeup_booking_id = ?",
    )
    .bind(makeup_booking_id)
    .fetch_optional(pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CreditRow {
    pub id: i64,
    pub profile_id: i64,
    pub remaining_minutes: i32,
    pub expiry_time: DateTime<Utc>,
}

/// Spendable credits of a parent's children, earliest expiry first.
pub async fn credits_of_parent(
    pool: &MySqlPool,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<CreditRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.profile_id, c.remaining_minutes, c.expiry_time FROM class_credit_compensation c
           JOIN profile p ON p.id = c.profile_id
          WHERE p.user_id = ? AND c.status = 'available' AND c.remaining_minutes > 0 AND c.expiry_time > ?
          ORDER BY c.expiry_time, c.id",
    )
    .bind(user_id)
    .bind(now)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LedgerRow {
    pub credit_id: i64,
    pub profile_id: i64,
    pub kind: String,
    pub minutes: i32,
    pub at: DateTime<Utc>,
    pub makeup_booking_id: Option<i64>,
}

pub async fn ledger_of_parent(
    pool: &MySqlPool,
    user_id: i64,
) -> Result<Vec<LedgerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.compensation_id AS credit_id, l.profile_id, CAST(l.kind AS CHAR) AS kind, l.minutes, l.at, l.makeup_booking_id
           FROM compensation_ledger l JOIN profile p ON p.id = l.profile_id
          WHERE p.user_id = ? ORDER BY l.at DESC, l.id DESC LIMIT 500",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

impl PendingRow {
    /// What M2 compares: the missed class.
    pub fn facts(&self) -> workflows::rules::makeup::ClassFacts<'_> {
        workflows::rules::makeup::ClassFacts {
            course_type: &self.course_type,
            level: self.level,
            duration_minutes: self.duration_minutes,
            coach: &self.coach,
            location: &self.location,
        }
    }
}
