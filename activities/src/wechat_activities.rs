//! `notify.wechat`: delivers the subscribe message of one in-app notification (N2, N3).
//!
//! Exactly once per notification: the row is locked, a grant is consumed when the send starts
//! (`pending` → `sending`, never twice), and `sent` is recorded as soon as WeChat accepts.
//! Transient errors return `Err` so Temporal retries with backoff; permanent ones are recorded
//! with their errcode and end the delivery (`Ok`), so they are never retried.

use crate::db::now_millis;
use crate::wechat::client::SubscribeMessage;
use crate::wechat::{ErrorClass, WechatClient};
use sqlx::MySqlPool;
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use tracing::{info, warn};
use workflows::activities::WechatDelivery;

pub struct WechatActivities {
    pool: MySqlPool,
    /// `None` when WeChat is not configured.
    client: Option<Arc<WechatClient>>,
    miniprogram_state: String,
}

impl WechatActivities {
    pub fn new(
        pool: MySqlPool,
        client: Option<Arc<WechatClient>>,
        miniprogram_state: String,
    ) -> Self {
        Self {
            pool,
            client,
            miniprogram_state,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
struct Outgoing {
    id: i64,
    user_id: i64,
    status: String,
    template_id: Option<String>,
    page: Option<String>,
    payload: Option<String>,
    openid: Option<String>,
}

async fn set_status(
    pool: &MySqlPool,
    id: i64,
    status: &str,
    errcode: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE notification SET wechat_status = ?, wechat_errcode = ?, wechat_attempts = wechat_attempts + 1,
                wechat_sent_at = IF(? = 'sent', ?, wechat_sent_at)
          WHERE id = ?",
    )
    .bind(status)
    .bind(errcode)
    .bind(status)
    .bind(now_millis())
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

#[activities]
impl WechatActivities {
    #[activity(definition = workflows::activities::DeliverWechat)]
    pub async fn deliver(
        self: Arc<Self>,
        _ctx: ActivityContext,
        dedupe_key: String,
    ) -> Result<WechatDelivery, ActivityError> {
        let Some(client) = self.client.clone() else {
            return Ok(WechatDelivery::Skipped);
        };
        // Claim the send: consume one grant the first time only.
        let mut tx = self.pool.begin().await?;
        // A single-table lock: in a join MariaDB reads a row found by a unique key = constant
        // while planning, without locking it (see activities::db::seats::lock).
        let row: Option<Outgoing> = sqlx::query_as(
            "SELECT n.id, n.user_id, CAST(n.wechat_status AS CHAR) AS status, n.wechat_template_id AS template_id,
                    n.wechat_page AS page, n.wechat_payload AS payload,
                    (SELECT u.openid FROM user u WHERE u.id = n.user_id) AS openid
               FROM notification n
              WHERE n.dedupe_key = ? FOR UPDATE",
        )
        .bind(&dedupe_key)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(n) = row else {
            return Ok(WechatDelivery::Skipped);
        };
        match n.status.as_str() {
            "sent" => return Ok(WechatDelivery::Sent),
            "no_grant" => return Ok(WechatDelivery::NoGrant),
            "disabled" => return Ok(WechatDelivery::Skipped),
            "failed" => return Ok(WechatDelivery::Failed { errcode: 0 }),
            _ => {}
        }
        let (Some(template_id), Some(page), Some(payload)) =
            (n.template_id.clone(), n.page.clone(), n.payload.clone())
        else {
            return Ok(WechatDelivery::Skipped);
        };
        if n.status == "pending" {
            let granted = sqlx::query(
                "UPDATE subscription_grant SET remaining = remaining - 1
                  WHERE user_id = ? AND template_id = ? AND remaining > 0",
            )
            .bind(n.user_id)
            .bind(&template_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            let next = if granted { "sending" } else { "no_grant" };
            sqlx::query("UPDATE notification SET wechat_status = ? WHERE id = ?")
                .bind(next)
                .bind(n.id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            if !granted {
                return Ok(WechatDelivery::NoGrant);
            }
        } else {
            tx.commit().await?;
        }

        let message = SubscribeMessage {
            touser: n.openid.clone().unwrap_or_default(),
            template_id,
            page,
            data: serde_json::from_str(&payload)?,
            miniprogram_state: self.miniprogram_state.clone(),
            lang: "zh_CN".into(),
        };
        match client.send_subscribe(&message).await {
            Ok(()) => {
                set_status(&self.pool, n.id, "sent", None).await?;
                info!(%dedupe_key, "WeChat message sent");
                Ok(WechatDelivery::Sent)
            }
            Err(e) if e.class() == ErrorClass::Permanent => {
                let errcode = e.errcode().unwrap_or_default();
                if errcode == 43101 {
                    // WeChat knows of no grant: ours was stale. Record and stop asking.
                    sqlx::query("UPDATE subscription_grant SET remaining = 0 WHERE user_id = ? AND template_id = ?")
                        .bind(n.user_id)
                        .bind(&message.template_id)
                        .execute(&self.pool)
                        .await?;
                    set_status(&self.pool, n.id, "no_grant", Some(errcode)).await?;
                    warn!(%dedupe_key, errcode, "WeChat: no subscription grant");
                    return Ok(WechatDelivery::NoGrant);
                }
                set_status(&self.pool, n.id, "failed", Some(errcode)).await?;
                warn!(%dedupe_key, errcode, error = %e, "WeChat refused the message for good");
                Ok(WechatDelivery::Failed { errcode })
            }
            Err(e) => {
                sqlx::query("UPDATE notification SET wechat_attempts = wechat_attempts + 1, wechat_errcode = ? WHERE id = ?")
                    .bind(e.errcode())
                    .bind(n.id)
                    .execute(&self.pool)
                    .await?;
                warn!(%dedupe_key, error = %e, "WeChat send failed; will retry");
                Err(anyhow::anyhow!("{e}").into())
            }
        }
    }
}
