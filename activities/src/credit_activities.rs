//! Activities of `CompensationCreditWorkflow` (M6): the reminder before expiry and the expiry
//! itself, both recorded (in-app notification, ledger row).

use crate::db::credits::{self, CreditStatus, LedgerRow};
use crate::db::makeup::parent_of;
use crate::db::{Db, now_millis};
use crate::error::{Failure, Result};
use crate::notify::inbox::{Letter, Notices};
use crate::notify::pages;
use crate::notify::templates::{Facts, NoticeType};
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use tracing::{info, instrument};
use workflows::makeup::LedgerKind;

pub struct CreditActivities {
    db: Db,
    notices: Notices,
}

impl CreditActivities {
    pub fn new(db: Db, notices: Notices) -> Self {
        Self { db, notices }
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
        remind(&self.db, &self.notices, credit_id)
            .await
            .map_err(Failure::into_activity)
    }

    #[activity(definition = workflows::activities::ExpireCredit)]
    pub async fn expire(
        self: Arc<Self>,
        _ctx: ActivityContext,
        credit_id: i64,
    ) -> Result<u32, ActivityError> {
        expire(&self.db, credit_id)
            .await
            .map_err(Failure::into_activity)
    }
}

/// M6: `compensation_expiring` when minutes remain; the WeChat deliveries due.
#[instrument(skip_all, fields(credit_id))]
pub async fn remind(db: &Db, notices: &Notices, credit_id: i64) -> Result<Vec<String>> {
    let mut tx = db.pool().begin().await?;
    let Some(credit) = credits::lock(&mut tx, credit_id).await? else {
        return Ok(Vec::new());
    };
    let left = credit.remaining_minutes;
    if credit.status != CreditStatus::Available || left == 0 {
        return Ok(Vec::new());
    }
    let user_id = parent_of(&mut tx, credit.profile_id).await?;
    let facts = Facts {
        deadline: Some(credit.expiry_time),
        minutes: Some(left),
        ..Default::default()
    };
    let sent = notices
        .send(
            &mut tx,
            Letter {
                user_id,
                profile_id: Some(credit.profile_id),
                kind: NoticeType::CompensationExpiring,
                facts: &facts,
                page: pages::compensation(),
                data: serde_json::json!({"credit_id": credit_id, "minutes": left, "expires_at": credit.expiry_time}),
                dedupe_key: format!("compensation_expiring/{credit_id}"),
            },
        )
        .await?;
    tx.commit().await?;
    Ok(sent.wechat.into_iter().collect())
}

/// M6: the remaining minutes expire (ledger `expired`, never deleted); returns them.
#[instrument(skip_all, fields(credit_id))]
pub async fn expire(db: &Db, credit_id: i64) -> Result<u32> {
    let now = now_millis();
    let mut tx = db.pool().begin().await?;
    let Some(credit) = credits::lock(&mut tx, credit_id).await? else {
        return Ok(0);
    };
    let left = credit.remaining_minutes;
    if credit.status != CreditStatus::Available || left == 0 {
        return Ok(0);
    }
    credits::ledger(
        &mut tx,
        LedgerRow {
            profile_id: credit.profile_id,
            credit_id,
            kind: LedgerKind::Expired,
            minutes: left,
            makeup_booking_id: None,
            key: format!("expired/{credit_id}"),
            at: now,
        },
    )
    .await?;
    credits::close(&mut tx, credit_id, CreditStatus::Expired).await?;
    tx.commit().await?;
    info!(minutes = left, "credit expired");
    Ok(left)
}
