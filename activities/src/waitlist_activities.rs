//! Activities of the waitlist processes: the cutoff (W6) and coalesced position messages (W4).

use crate::db::{Db, now_millis, waitlist};
use crate::error::{Failure, Result, u32_of};
use crate::notify::inbox::{Letter, Notices};
use crate::notify::offer_notices::session_facts;
use crate::notify::pages;
use crate::notify::templates::{Facts, NoticeType};
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use tracing::{info, instrument};
use workflows::SessionKey;
use workflows::activities::CutoffExpiry;

/// Activities that touch the waitlist tables.
pub struct WaitlistActivities {
    db: Db,
    notices: Notices,
}

impl WaitlistActivities {
    pub fn new(db: Db, notices: Notices) -> Self {
        Self { db, notices }
    }
}

#[activities]
impl WaitlistActivities {
    #[activity(definition = workflows::activities::ExpireWaitlistAtCutoff)]
    pub async fn expire_at_cutoff(
        self: Arc<Self>,
        _ctx: ActivityContext,
        session: SessionKey,
    ) -> Result<CutoffExpiry, ActivityError> {
        expire_at_cutoff(&self.db, &self.notices, session)
            .await
            .map_err(Failure::into_activity)
    }

    #[activity(definition = workflows::activities::NotifyPositions)]
    pub async fn notify_positions(
        self: Arc<Self>,
        _ctx: ActivityContext,
        _input: (),
    ) -> Result<Vec<String>, ActivityError> {
        notify_positions(&self.db, &self.notices)
            .await
            .map_err(Failure::into_activity)
    }
}

/// W6, in one transaction under the session lock: expire what still waits, write one
/// `waitlist_expired` notification per entry. A retry after commit finds nothing to expire and
/// still returns the deliveries due.
#[instrument(skip_all, fields(%session))]
pub async fn expire_at_cutoff(
    db: &Db,
    notices: &Notices,
    session: SessionKey,
) -> Result<CutoffExpiry> {
    let Some((mut tx, _locked)) = db.lock_session(session).await? else {
        // No one ever joined: nothing to expire.
        return Ok(CutoffExpiry::default());
    };
    let entries = waitlist::active_entries(&mut tx, session).await?;
    let now = now_millis();
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let expired = waitlist::expire_entries(&mut tx, &ids, "cutoff", now).await?;
    let facts = session_facts(&mut tx, session).await?;
    let mut written = 0;
    for entry in &entries {
        let sent = notices
            .send(
                &mut tx,
                Letter {
                    user_id: entry.user_id,
                    profile_id: Some(entry.profile_id),
                    kind: NoticeType::WaitlistExpired,
                    facts: &facts,
                    page: pages::waitlist_entry(entry.id),
                    data: serde_json::json!({
                        "waitlist_id": entry.id,
                        "course_schedule_id": session.course_schedule_id,
                        "booking_date": session.booking_date,
                    }),
                    dedupe_key: format!("waitlist_expired/{}", entry.id),
                },
            )
            .await?;
        if sent.new {
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
    info!(expired, written, "waitlist expired at cutoff");
    Ok(CutoffExpiry {
        expired_entries: u32_of("expired entries", expired)?,
        notifications: written,
        wechat: wechat.into_iter().map(|k| k.0).collect(),
    })
}

/// How many moves one round tells (the rest wait for the next round).
const POSITIONS_PER_ROUND: u32 = 500;

/// W4: tells every parent who moved up since they were last told, once, with the position
/// now. Each message is keyed by entry and position, so a retry writes nothing twice.
pub async fn notify_positions(db: &Db, notices: &Notices) -> Result<Vec<String>> {
    let mut tx = db.pool().begin().await?;
    let moved = waitlist::moved_up(&mut tx, now_millis(), POSITIONS_PER_ROUND).await?;
    let mut wechat = Vec::new();
    for m in &moved {
        let session = SessionKey::new(m.course_schedule_id, m.booking_date);
        let facts = Facts {
            position: Some(u32_of("position", m.position)?),
            ..session_facts(&mut tx, session).await?
        };
        let sent = notices
            .send(
                &mut tx,
                Letter {
                    user_id: m.user_id,
                    profile_id: Some(m.profile_id),
                    kind: NoticeType::PositionChanged,
                    facts: &facts,
                    page: pages::waitlist_entry(m.id),
                    data: serde_json::json!({
                        "waitlist_id": m.id,
                        "position": m.position,
                        "course_schedule_id": m.course_schedule_id,
                        "booking_date": m.booking_date,
                    }),
                    dedupe_key: format!("position_changed/{}/{}", m.id, m.position),
                },
            )
            .await?;
        waitlist::set_told_position(&mut tx, m.id, m.position).await?;
        wechat.extend(sent.wechat);
    }
    tx.commit().await?;
    if !moved.is_empty() {
        info!(moved = moved.len(), "position changes told");
    }
    Ok(wechat)
}
