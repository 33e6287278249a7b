//! Activities of the waitlist processes.

use crate::db::{self, notifications::NewNotification};
use crate::notify::drafts::WechatDrafts;
use crate::notify::templates::{self, Facts, Lang, NoticeType};
use chrono_tz::Tz;
use sqlx::MySqlPool;
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use tracing::info;
use workflows::SessionKey;
use workflows::activities::CutoffExpiry;

/// Activities that touch the waitlist tables.
pub struct WaitlistActivities {
    pool: MySqlPool,
    club_tz: Tz,
    drafts: WechatDrafts,
}

impl WaitlistActivities {
    pub fn new(pool: MySqlPool, club_tz: Tz, drafts: WechatDrafts) -> Self {
        Self {
            pool,
            club_tz,
            drafts,
        }
    }
}

#[activities]
impl WaitlistActivities {
    /// W6, in one transaction under the session lock: expire what still waits, write one
    /// `waitlist_expired` notification per entry. A retry after commit finds nothing to do.
    #[activity(definition = workflows::activities::ExpireWaitlistAtCutoff)]
    pub async fn expire_at_cutoff(
        self: Arc<Self>,
        _ctx: ActivityContext,
        session: SessionKey,
    ) -> Result<CutoffExpiry, ActivityError> {
        let mut tx = self.pool.begin().await?;
        if !db::waitlist::lock_session(&mut tx, session).await? {
            // No one ever joined: nothing to expire.
            return Ok(CutoffExpiry::default());
        }
        let entries = db::waitlist::active_entries(&mut tx, session).await?;
        let now = db::now_millis();
        let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
        let expired = db::waitlist::expire_entries(&mut tx, &ids, "cutoff", now).await?;

        let info = db::sessions::session_info(&mut tx, session).await?;
        let facts = Facts {
            course_name: info
                .as_ref()
                .map(|i| i.course_name.clone())
                .unwrap_or_default(),
            starts_at: info.as_ref().map(|i| i.starts_at),
            ..Default::default()
        };
        let text = templates::render(
            NoticeType::WaitlistExpired,
            Lang::ZhCn,
            self.club_tz,
            &facts,
        );
        let mut written = 0;
        for entry in &entries {
            let page = format!("pages/waitlist/detail/index?id={}", entry.id);
            let n = NewNotification {
                user_id: entry.user_id,
                profile_id: Some(entry.profile_id),
                kind: NoticeType::WaitlistExpired.code(),
                title: text.title.clone(),
                body: text.body.clone(),
                data: serde_json::json!({
                    "waitlist_id": entry.id,
                    "course_schedule_id": session.course_schedule_id,
                    "booking_date": session.booking_date,
                    "page": page,
                }),
                dedupe_key: format!("waitlist_expired/{}", entry.id),
                wechat: self
                    .drafts
                    .draft(NoticeType::WaitlistExpired, &facts, self.club_tz, &page),
            };
            if db::notifications::insert_once(&mut tx, &n).await? {
                written += 1;
            }
        }
        // WeChat deliveries still due for this session's cutoff (also after a retry).
        let wechat: Vec<(String,)> = sqlx::query_as(
            "SELECT n.dedupe_key FROM waitlist w
               JOIN notification n ON n.dedupe_key = CONCAT('waitlist_expired/', w.id)
              WHERE w.course_schedule_id = ? AND w.booking_date = ? AND w.expiration_reason = 'cutoff'
                AND n.wechat_status IN ('pending', 'sending')",
        )
        .bind(session.course_schedule_id)
        .bind(session.booking_date)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        info!(%session, expired, written, "waitlist expired at cutoff");
        Ok(CutoffExpiry {
            expired_entries: u32::try_from(expired).unwrap_or(u32::MAX),
            notifications: written,
            wechat: wechat.into_iter().map(|k| k.0).collect(),
        })
    }
}
