//! Activities of `CompensationCreditWorkflow` (M6): the reminder before expiry and the expiry
//! itself, both recorded (in-app notification, ledger row).

use crate::db::credits::{self, LedgerRow};
use crate::db::notifications::{NewNotification, insert_once};
use crate::db::now_millis;
use crate::notify::drafts::WechatDrafts;
use crate::notify::templates::{Facts, Lang, NoticeType, render};
use chrono_tz::Tz;
use sqlx::MySqlPool;
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use tracing::info;

pub struct CreditActivities {
    pool: MySqlPool,
    club_tz: Tz,
    drafts: WechatDrafts,
}

impl CreditActivities {
    pub fn new(pool: MySqlPool, club_tz: Tz, drafts: WechatDrafts) -> Self {
        Self {
            pool,
            club_tz,
            drafts,
        }
    }
}

#[activities]
impl CreditActivities {
    #[activity(definition = workflows::activities::RemindCredit)]
    pub async fn remind(
        self: Arc<Self>,
        _ctx: ActivityContext,
        credit_id: i64,
    ) -> Result<Vec<String>, ActivityError> {
        let mut tx = self.pool.begin().await?;
        let Some(credit) = credits::lock(&mut tx, credit_id).await? else {
            return Ok(Vec::new());
        };
        let left = u32::try_from(credit.remaining_minutes).unwrap_or(0);
        if credit.status != "available" || left == 0 {
            return Ok(Vec::new());
        }
        let (user_id,): (i64,) = sqlx::query_as("SELECT user_id FROM profile WHERE id = ?")
            .bind(credit.profile_id)
            .fetch_one(&mut *tx)
            .await?;
        let facts = Facts {
            deadline: Some(credit.expiry_time),
            minutes: Some(left),
            ..Default::default()
        };
        let text = render(
            NoticeType::CompensationExpiring,
            Lang::ZhCn,
            self.club_tz,
            &facts,
        );
        let page = "pages/makeup/compensation/index";
        let n = NewNotification {
            user_id,
            profile_id: Some(credit.profile_id),
            kind: NoticeType::CompensationExpiring.code(),
            title: text.title,
            body: text.body,
            data: serde_json::json!({"credit_id": credit_id, "minutes": left, "expires_at": credit.expiry_time, "page": page}),
            dedupe_key: format!("compensation_expiring/{credit_id}"),
            wechat: self
                .drafts
                .draft(NoticeType::CompensationExpiring, &facts, self.club_tz, page),
        };
        insert_once(&mut tx, &n).await?;
        tx.commit().await?;
        Ok(if n.wechat.is_some() {
            vec![n.dedupe_key]
        } else {
            Vec::new()
        })
    }

    #[activity(definition = workflows::activities::ExpireCredit)]
    pub async fn expire(
        self: Arc<Self>,
        _ctx: ActivityContext,
        credit_id: i64,
    ) -> Result<u32, ActivityError> {
        let now = now_millis();
        let mut tx = self.pool.begin().await?;
        let Some(credit) = credits::lock(&mut tx, credit_id).await? else {
            return Ok(0);
        };
        let left = u32::try_from(credit.remaining_minutes).unwrap_or(0);
        if credit.status != "available" || left == 0 {
            return Ok(0);
        }
        credits::ledger(
            &mut tx,
            LedgerRow {
                profile_id: credit.profile_id,
                credit_id,
                kind: "expired",
                minutes: left,
                makeup_booking_id: None,
                key: format!("expired/{credit_id}"),
                at: now,
            },
        )
        .await?;
        sqlx::query("UPDATE class_credit_compensation SET remaining_minutes = 0, status = 'expired' WHERE id = ?")
            .bind(credit_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        info!(credit_id, minutes = left, "credit expired");
        Ok(left)
    }
}
