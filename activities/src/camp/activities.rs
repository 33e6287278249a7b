//! Activities of `CampWorkflow`: the nightly check-in sync (fetch, store once, match, count),
//! the reminder, and the refund list.

use super::community::CommunityClient;
use super::seat::{self, tell};
use crate::db::now_millis;
use sqlx::{MySqlConnection, MySqlPool};
use std::sync::Arc;
use temporalio_common::error::ApplicationFailure;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use tracing::{info, warn};
use workflows::camp::{RefundList, SyncOutcome, SyncRequest};
use workflows::rules::camp::{
    CommunityMember, EnrolmentIdentity, MatchMethod, match_member, verdict,
};

pub struct CampActivities {
    pool: MySqlPool,
    community: Option<Arc<CommunityClient>>,
}

impl CampActivities {
    pub fn new(pool: MySqlPool, community: Option<Arc<CommunityClient>>) -> Self {
        Self { pool, community }
    }
}

#[derive(Debug, sqlx::FromRow)]
struct Enrolled {
    id: i64,
    community_user_id: Option<String>,
    community_nickname: Option<String>,
    wechat_nickname: Option<String>,
    matched_community_user_id: Option<String>,
    match_method: Option<String>,
}

/// Matches every paid enrolment of the camp (manual matches are kept) and recounts its
/// distinct check-in days; returns how many are matched.
pub async fn rematch(conn: &mut MySqlConnection, camp_id: i64) -> Result<u32, sqlx::Error> {
    let members: Vec<CommunityMember> = sqlx::query_as::<_, (String, String)>(
        "SELECT community_user_id, MAX(nickname) FROM camp_checkin WHERE camp_id = ?
          GROUP BY community_user_id",
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
    let enrolled: Vec<Enrolled> = sqlx::query_as(
        "SELECT id, community_user_id, community_nickname, wechat_nickname,
                matched_community_user_id, match_method
           FROM camp_enrolment WHERE camp_id = ? AND status = 'paid' FOR UPDATE",
    )
    .bind(camp_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut matched = 0;
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
            "SELECT COUNT(DISTINCT day_index) FROM camp_checkin
              WHERE camp_id = ? AND community_user_id = ?",
        )
        .bind(camp_id)
        .bind(id.as_deref().unwrap_or(""))
        .fetch_one(&mut *conn)
        .await?;
        if id.is_some() {
            matched += 1;
        }
        sqlx::query(
            "UPDATE camp_enrolment SET matched_community_user_id = ?, match_method = ?,
                    match_confidence = ?, checkin_days = ? WHERE id = ?",
        )
        .bind(&id)
        .bind(method.map(MatchMethod::as_str))
        .bind(method.map(|m| i16::from(m.confidence())))
        .bind(if id.is_some() { days } else { 0 })
        .bind(e.id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(matched)
}

#[activities]
impl CampActivities {
    #[activity(definition = workflows::camp::SyncCheckins)]
    pub async fn sync(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: SyncRequest,
    ) -> Result<SyncOutcome, ActivityError> {
        let client = self.community.as_deref().ok_or_else(|| {
            ActivityError::from(ApplicationFailure::non_retryable(anyhow::anyhow!(
                "the community platform is not configured (COMMUNITY_*): import check-ins as CSV"
            )))
        })?;
        let project = {
            let mut conn = self.pool.acquire().await?;
            seat::camp(&mut conn, req.camp_id, false)
                .await?
                .map(|c| c.community_project_id)
                .unwrap_or_default()
        };
        let timing = req.timing;
        let fetched = match client
            .checkins(
                &project,
                timing.starts_at,
                timing.day_start(req.through_day + 1),
            )
            .await
        {
            Ok(list) => list,
            Err(e) if e.is_transient() => {
                warn!(camp_id = req.camp_id, error = %e, "check-in sync failed; will retry");
                return Err(anyhow::anyhow!("{e}").into());
            }
            Err(e) => {
                warn!(camp_id = req.camp_id, error = %e, "check-in sync refused");
                return Err(ApplicationFailure::non_retryable(anyhow::anyhow!("{e}")).into());
            }
        };
        let mut tx = self.pool.begin().await?;
        let mut stored = 0;
        for c in &fetched {
            let Some(day) = timing.day_index(c.checked_at) else {
                continue;
            };
            stored += sqlx::query(
                "INSERT INTO camp_checkin (camp_id, community_user_id, nickname, day_index, checked_at, source)
                 VALUES (?, ?, ?, ?, ?, 'api') ON DUPLICATE KEY UPDATE id = id",
            )
            .bind(req.camp_id)
            .bind(&c.community_user_id)
            .bind(&c.nickname)
            .bind(day)
            .bind(c.checked_at)
            .execute(&mut *tx)
            .await?
            .rows_affected() as u32; // an unchanged duplicate counts 0
        }
        let matched = rematch(&mut tx, req.camp_id).await?;
        tx.commit().await?;
        info!(
            camp_id = req.camp_id,
            day = req.through_day,
            fetched = fetched.len(),
            stored,
            matched,
            "check-ins synced"
        );
        Ok(SyncOutcome {
            fetched: fetched.len() as u32,
            stored,
            matched,
        })
    }

    #[activity(definition = workflows::camp::RemindMembers)]
    pub async fn remind(
        self: Arc<Self>,
        _ctx: ActivityContext,
        camp_id: i64,
    ) -> Result<u32, ActivityError> {
        let mut tx = self.pool.begin().await?;
        let Some(camp) = seat::camp(&mut tx, camp_id, false).await? else {
            return Ok(0);
        };
        let rows: Vec<(i64, i64, i32)> = sqlx::query_as(
            "SELECT id, user_id, checkin_days FROM camp_enrolment WHERE camp_id = ? AND status = 'paid'",
        )
        .bind(camp_id)
        .fetch_all(&mut *tx)
        .await?;
        for (id, user_id, days) in &rows {
            tell(
                &mut tx,
                *user_id,
                "camp_ending",
                "训练营明天结束",
                format!(
                    "「{}」明天结束：您已打卡 {days} 天，需 {} 天才能退还押金。",
                    camp.name, camp.required_days
                ),
                serde_json::json!({"camp_id": camp_id, "page": format!("pages/camp/progress?id={camp_id}")}),
                format!("camp_ending/{id}"),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u32)
    }

    #[activity(definition = workflows::camp::DrawRefundList)]
    pub async fn settle(
        self: Arc<Self>,
        _ctx: ActivityContext,
        camp_id: i64,
    ) -> Result<RefundList, ActivityError> {
        let mut tx = self.pool.begin().await?;
        let Some(camp) = seat::camp(&mut tx, camp_id, true).await? else {
            return Ok(RefundList::default());
        };
        let required = u32::try_from(camp.required_days).unwrap_or(0);
        let rows: Vec<(i64, Option<String>, i32)> = sqlx::query_as(
            "SELECT id, matched_community_user_id, checkin_days FROM camp_enrolment
              WHERE camp_id = ? AND status = 'paid' FOR UPDATE",
        )
        .bind(camp_id)
        .fetch_all(&mut *tx)
        .await?;
        let mut list = RefundList::default();
        for (id, matched, days) in rows {
            let v = verdict(
                matched.is_some(),
                u32::try_from(days).unwrap_or(0),
                required,
            );
            match v {
                workflows::rules::camp::Verdict::Eligible => list.eligible += 1,
                workflows::rules::camp::Verdict::NotEligible => list.not_eligible += 1,
                workflows::rules::camp::Verdict::Unmatched => list.unmatched += 1,
            }
            sqlx::query(
                "UPDATE camp_enrolment SET verdict = ?, review = COALESCE(review, 'pending') WHERE id = ?",
            )
            .bind(v.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE camp SET status = 'review' WHERE id = ?")
            .bind(camp_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        info!(camp_id, ?list, at = %now_millis(), "refund list drawn up");
        Ok(list)
    }
}
