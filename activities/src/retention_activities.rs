//! The retention job's activity (`retention.purge`): one batch of deletes by age. Deleting
//! is idempotent, so a retried batch just finds less to delete.

use crate::db::{self, retention};
use chrono::Duration;
use sqlx::MySqlPool;
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use tracing::info;
use workflows::retention::PurgeBatch;

pub struct RetentionActivities {
    pool: MySqlPool,
}

impl RetentionActivities {
    pub fn new(pool: MySqlPool) -> Self {
        Self { pool }
    }
}

#[activities]
impl RetentionActivities {
    #[activity(definition = workflows::retention::PurgeOldRecords)]
    pub async fn purge(
        self: Arc<Self>,
        _ctx: ActivityContext,
        _input: (),
    ) -> Result<PurgeBatch, ActivityError> {
        let (max_age_days, batch_size) = retention::setting(&self.pool).await?;
        let cutoff = db::now_millis() - Duration::days(i64::from(max_age_days));
        let mut tx = self.pool.begin().await?;
        let notifications = retention::delete_notifications(&mut tx, cutoff, batch_size).await?;
        tx.commit().await?;
        let mut tx = self.pool.begin().await?;
        let deliveries = retention::delete_deliveries(&mut tx, cutoff, batch_size).await?;
        tx.commit().await?;
        if notifications + deliveries > 0 {
            info!(notifications, deliveries, %cutoff, "retention batch deleted old records");
        }
        Ok(PurgeBatch {
            notifications,
            deliveries,
            batch_size,
            max_age_days,
            cutoff: Some(cutoff),
        })
    }
}
