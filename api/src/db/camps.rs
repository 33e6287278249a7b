//! Camps' SQL on the API side: the camp and enrolment views, staff's single-transaction
//! writes (create, publish, manual match, CSV check-ins), and the recount those need.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{MySqlConnection, MySqlPool};
use utoipa::ToSchema;
use workflows::rules::camp::{
    CampTiming, CommunityMember, EnrolmentIdentity, MatchMethod, match_member,
};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampRow {
    pub id: i64,
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub days: i32,
    pub starts_at: DateTime<Utc>,
    pub day_seconds: i32,
    pub sync_offset_seconds: i32,
    pub reminder_offset_seconds: i32,
    pub settle_offset_seconds: i32,
    pub deposit_cents: i64,
    pub capacity: i32,
    pub required_days: i32,
    pub group_qr_url: String,
    pub community_project_id: String,
    pub status: String,
    /// seats held (reserved, paid, or held for ops)
    pub held: i64,
    pub paid: i64,
}

impl CampRow {
    pub fn timing(&self) -> CampTiming {
        let u = |v: i32| u32::try_from(v).unwrap_or(0);
        CampTiming {
            starts_at: self.starts_at,
            days: u(self.days),
            day_seconds: u(self.day_seconds),
            sync_offset_seconds: u(self.sync_offset_seconds),
            reminder_offset_seconds: u(self.reminder_offset_seconds),
            settle_offset_seconds: u(self.settle_offset_seconds),
        }
    }
}

const CAMP_SELECT: &str = "SELECT c.id, c.name, c.start_date, c.end_date, c.days, c.starts_at, c.day_seconds,
        c.sync_offset_seconds, c.reminder_offset_seconds, c.settle_offset_seconds, c.deposit_cents,
        c.capacity, c.required_days, c.group_qr_url, c.community_project_id,
        CAST(c.status AS CHAR) AS status,
        CAST((SELECT COUNT(*) FROM camp_enrolment e WHERE e.camp_id = c.id AND e.status IN ('reserved', 'paid', 'anomaly')) AS SIGNED) AS held,
        CAST((SELECT COUNT(*) FROM camp_enrolment e WHERE e.camp_id = c.id AND e.status = 'paid') AS SIGNED) AS paid
   FROM camp c";

pub async fn camp(pool: &MySqlPool, id: i64) -> Result<Option<CampRow>, sqlx::Error> {
    sqlx::query_as(&format!("{CAMP_SELECT} WHERE c.id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Published (and reviewing) camps for members; every camp for staff.
pub async fn camps(pool: &MySqlPool, all: bool) -> Result<Vec<CampRow>, sqlx::Error> {
    let filter = if all {
        ""
    } else {
        " WHERE c.status IN ('published', 'review')"
    };
    sqlx::query_as(&format!(
        "{CAMP_SELECT}{filter} ORDER BY c.starts_at DESC, c.id DESC"
    ))
    .fetch_all(pool)
    .await
}

pub struct NewCamp {
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub timing: CampTiming,
    pub deposit_cents: i64,
    pub capacity: i32,
    pub required_days: i32,
    pub group_qr_url: String,
    pub community_project_id: String,
    pub created_by: i64,
}

pub async fn create(pool: &MySqlPool, c: &NewCamp) -> Result<i64, sqlx::Error> {
    let r = sqlx::query(
        "INSERT INTO camp (name, start_date, end_date, days, starts_at, day_seconds, sync_offset_seconds,
                           reminder_offset_seconds, settle_offset_seconds, deposit_cents, capacity,
                           required_days, group_qr_url, community_project_id, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&c.name)
    .bind(c.start_date)
    .bind(c.end_date)
    .bind(c.timing.days)
    .bind(c.timing.starts_at)
    .bind(c.timing.day_seconds)
    .bind(c.timing.sync_offset_seconds)
    .bind(c.timing.reminder_offset_seconds)
    .bind(c.timing.settle_offset_seconds)
    .bind(c.deposit_cents)
    .bind(c.capacity)
    .bind(c.required_days)
    .bind(&c.group_qr_url)
    .bind(&c.community_project_id)
    .bind(c.created_by)
    .execute(pool)
    .await?;
    Ok(r.last_insert_id() as i64)
}

/// draft → published (again is fine); false when the camp is past that.
pub async fn publish(pool: &MySqlPool, id: i64) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE camp SET status = 'published', published_at = COALESCE(published_at, ?)
          WHERE id = ? AND status IN ('draft', 'published')",
    )
    .bind(super::now_millis())
    .bind(id)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1 || {
        let (status,): (String,) =
            sqlx::query_as("SELECT CAST(status AS CHAR) FROM camp WHERE id = ?")
                .bind(id)
                .fetch_one(pool)
                .await?;
        status == "published"
    })
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct EnrolmentRow {
    pub id: i64,
    pub camp_id: i64,
    pub user_id: i64,
    /// reserved | paid | released | anomaly
    pub status: String,
    pub attempt: i32,
    pub out_trade_no: String,
    pub community_user_id: Option<String>,
    pub community_nickname: Option<String>,
    pub wechat_nickname: Option<String>,
    pub paid_at: Option<DateTime<Utc>>,
    pub matched_community_user_id: Option<String>,
    /// community_id | community_nickname | wechat_nickname | manual
    pub match_method: Option<String>,
    /// 100 / 66 / 33
    pub match_confidence: Option<i16>,
    pub checkin_days: i32,
    /// eligible | not_eligible | unmatched (once the refund list is drawn up)
    pub verdict: Option<String>,
    /// pending | approved | rejected
    pub review: Option<String>,
    pub reviewed_by: Option<i64>,
    pub out_refund_no: Option<String>,
    /// reserving | processing | success | closed | abnormal | refused
    pub refund_state: Option<String>,
}

const ENROLMENT_SELECT: &str = "SELECT id, camp_id, user_id, CAST(status AS CHAR) AS status, attempt, out_trade_no,
        community_user_id, community_nickname, wechat_nickname, paid_at, matched_community_user_id,
        match_method, CAST(match_confidence AS SIGNED) AS match_confidence, checkin_days,
        CAST(verdict AS CHAR) AS verdict, CAST(review AS CHAR) AS review, reviewed_by, out_refund_no,
        refund_state
   FROM camp_enrolment";

pub async fn enrolment_of(
    pool: &MySqlPool,
    camp_id: i64,
    user_id: i64,
) -> Result<Option<EnrolmentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{ENROLMENT_SELECT} WHERE camp_id = ? AND user_id = ?"
    ))
    .bind(camp_id)
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

pub async fn enrolment(pool: &MySqlPool, id: i64) -> Result<Option<EnrolmentRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ENROLMENT_SELECT} WHERE id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn enrolments(pool: &MySqlPool, camp_id: i64) -> Result<Vec<EnrolmentRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ENROLMENT_SELECT} WHERE camp_id = ? ORDER BY id"))
        .bind(camp_id)
        .fetch_all(pool)
        .await
}

/// Staff's match (or `None` to undo it), then the recount, in one transaction.
pub async fn set_manual_match(
    pool: &MySqlPool,
    enrolment_id: i64,
    community_user_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let (camp_id,): (i64,) =
        sqlx::query_as("SELECT camp_id FROM camp_enrolment WHERE id = ? FOR UPDATE")
            .bind(enrolment_id)
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query(
        "UPDATE camp_enrolment SET matched_community_user_id = ?, match_method = ?, match_confidence = ?
          WHERE id = ?",
    )
    .bind(community_user_id)
    .bind(community_user_id.map(|_| MatchMethod::Manual.as_str()))
    .bind(community_user_id.map(|_| i16::from(MatchMethod::Manual.confidence())))
    .bind(enrolment_id)
    .execute(&mut *tx)
    .await?;
    rematch(&mut tx, camp_id).await?;
    tx.commit().await
}

/// One check-in of a CSV import.
pub struct CsvCheckin {
    pub community_user_id: String,
    pub nickname: String,
    pub checked_at: DateTime<Utc>,
}

/// Stores the check-ins that fall on camp days (once each), then recounts; returns
/// (stored, outside the camp's days).
pub async fn import_checkins(
    pool: &MySqlPool,
    camp: &CampRow,
    rows: &[CsvCheckin],
) -> Result<(u32, u32), sqlx::Error> {
    let timing = camp.timing();
    let mut tx = pool.begin().await?;
    let (mut stored, mut outside) = (0, 0);
    for r in rows {
        let Some(day) = timing.day_index(r.checked_at) else {
            outside += 1;
            continue;
        };
        stored += sqlx::query(
            "INSERT INTO camp_checkin (camp_id, community_user_id, nickname, day_index, checked_at, source)
             VALUES (?, ?, ?, ?, ?, 'csv') ON DUPLICATE KEY UPDATE id = id",
        )
        .bind(camp.id)
        .bind(&r.community_user_id)
        .bind(&r.nickname)
        .bind(day)
        .bind(r.checked_at)
        .execute(&mut *tx)
        .await?
        .rows_affected() as u32;
    }
    rematch(&mut tx, camp.id).await?;
    tx.commit().await?;
    Ok((stored, outside))
}

#[derive(sqlx::FromRow)]
struct Enrolled {
    id: i64,
    community_user_id: Option<String>,
    community_nickname: Option<String>,
    wechat_nickname: Option<String>,
    matched_community_user_id: Option<String>,
    match_method: Option<String>,
}

/// The same recount as the worker's nightly sync (the rules are shared:
/// `workflows::rules::camp`): match every paid enrolment (manual matches kept), count its
/// distinct check-in days, and re-judge a verdict already on the refund list.
async fn rematch(conn: &mut MySqlConnection, camp_id: i64) -> Result<(), sqlx::Error> {
    let members: Vec<CommunityMember> = sqlx::query_as::<_, (String, String)>(
        "SELECT community_user_id, MAX(nickname) FROM camp_checkin WHERE camp_id = ? GROUP BY community_user_id",
    )
    .bind(camp_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(community_user_id, nickname)| CommunityMember {
        community_user_id,
        nickname,
    })
    .collect();
    let (required,): (i32,) = sqlx::query_as("SELECT required_days FROM camp WHERE id = ?")
        .bind(camp_id)
        .fetch_one(&mut *conn)
        .await?;
    let enrolled: Vec<Enrolled> = sqlx::query_as(
        "SELECT id, community_user_id, community_nickname, wechat_nickname, matched_community_user_id, match_method
           FROM camp_enrolment WHERE camp_id = ? AND status = 'paid' FOR UPDATE",
    )
    .bind(camp_id)
    .fetch_all(&mut *conn)
    .await?;
    for e in enrolled {
        let (id, method) = if e.match_method.as_deref() == Some(MatchMethod::Manual.as_str()) {
            (e.matched_community_user_id, Some(MatchMethod::Manual))
        } else {
            let who = EnrolmentIdentity {
                community_user_id: e.community_user_id,
                community_nickname: e.community_nickname,
                wechat_nickname: e.wechat_nickname,
            };
            match match_member(&who, &members) {
                Some(m) => (Some(m.community_user_id), Some(m.method)),
                None => (None, None),
            }
        };
        let (days,): (i64,) = sqlx::query_as(
            "SELECT COUNT(DISTINCT day_index) FROM camp_checkin WHERE camp_id = ? AND community_user_id = ?",
        )
        .bind(camp_id)
        .bind(id.as_deref().unwrap_or(""))
        .fetch_one(&mut *conn)
        .await?;
        let days = if id.is_some() { days } else { 0 };
        let verdict = workflows::rules::camp::verdict(
            id.is_some(),
            u32::try_from(days).unwrap_or(0),
            u32::try_from(required).unwrap_or(0),
        );
        sqlx::query(
            "UPDATE camp_enrolment SET matched_community_user_id = ?, match_method = ?, match_confidence = ?,
                    checkin_days = ?, verdict = IF(verdict IS NULL, NULL, ?) WHERE id = ?",
        )
        .bind(&id)
        .bind(method.map(MatchMethod::as_str))
        .bind(method.map(|m| i16::from(m.confidence())))
        .bind(days)
        .bind(verdict.as_str())
        .bind(e.id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A review decision on one enrolment of the refund list: rejected (only while pending).
pub async fn reject(pool: &MySqlPool, enrolment_id: i64, admin: i64) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE camp_enrolment SET review = 'rejected', reviewed_by = ?, reviewed_at = ?
          WHERE id = ? AND review = 'pending'",
    )
    .bind(admin)
    .bind(super::now_millis())
    .bind(enrolment_id)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}
