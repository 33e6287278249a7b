//! Offer notices to many entries at once: one `waitlist_notification` row (O8) and one in-app
//! message (N2) per entry, both idempotent per (offer, entry, round, type).

use crate::db::family;
use crate::db::sessions::session_info;
use crate::error::{Result, u32_of};
use crate::notify::inbox::{Letter, Notices};
use crate::notify::pages;
use crate::notify::templates::{Facts, NoticeType};
use chrono::{DateTime, Utc};
use sqlx::MySqlConnection;
use workflows::SessionKey;
use workflows::activities::NoticeOutcome;

#[derive(Debug, sqlx::FromRow)]
struct Recipient {
    id: i64,
    profile_id: i64,
    user_id: i64,
    position: Option<i64>,
}

pub struct Notice<'a> {
    pub workflow_id: &'a str,
    pub session: SessionKey,
    pub round: u32,
    pub kind: NoticeType,
    pub deadline: Option<DateTime<Utc>>,
    pub at: DateTime<Utc>,
}

/// The facts of a session every message names: its course, start and place.
pub async fn session_facts(conn: &mut MySqlConnection, session: SessionKey) -> Result<Facts> {
    let info = session_info(conn, session).await?;
    Ok(Facts {
        course_name: info
            .as_ref()
            .map(|i| i.course_name.clone())
            .unwrap_or_default(),
        starts_at: info.as_ref().map(|i| i.starts_at),
        location: info.map(|i| i.location),
        ..Default::default()
    })
}

/// Writes the notice for each entry: how many in-app messages were new, and the dedupe keys
/// of those to deliver over WeChat.
pub async fn notify(
    conn: &mut MySqlConnection,
    notices: &Notices,
    n: &Notice<'_>,
    entry_ids: &[i64],
) -> Result<NoticeOutcome> {
    let mut outcome = NoticeOutcome::default();
    if entry_ids.is_empty() {
        return Ok(outcome);
    }
    let base = session_facts(&mut *conn, n.session).await?;
    for id in entry_ids {
        let recipient: Option<Recipient> = sqlx::query_as(
            "SELECT w.id, w.profile_id, p.user_id,
                    CASE WHEN w.status IN ('waiting', 'notified') THEN
                      (SELECT COUNT(*) FROM waitlist w2 WHERE w2.course_schedule_id = w.course_schedule_id
                          AND w2.booking_date = w.booking_date AND w2.status IN ('waiting', 'notified') AND w2.id <= w.id)
                    END AS position
               FROM waitlist w JOIN profile p ON p.id = w.profile_id WHERE w.id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(r) = recipient else { continue };
        let mut facts = Facts {
            deadline: n.deadline,
            position: r.position.map(|p| u32_of("position", p)).transpose()?,
            ..base.clone()
        };
        let mut data = serde_json::json!({
            "waitlist_id": r.id,
            "offer_workflow_id": n.workflow_id,
            "round": n.round,
            "deadline": n.deadline,
            "course_schedule_id": n.session.course_schedule_id,
            "booking_date": n.session.booking_date,
        });
        let page = if n.kind == NoticeType::SeatConfirmed {
            // AA1: the entry's own page, where the booking can be cancelled.
            facts.child_name = Some(family::child_names(&mut *conn, r.id).await?);
            data["booking_ids"] = serde_json::json!(family::booking_ids(&mut *conn, r.id).await?);
            pages::waitlist_entry(r.id)
        } else {
            pages::offer(r.id)
        };
        let sent = notices
            .send(
                &mut *conn,
                Letter {
                    user_id: r.user_id,
                    profile_id: Some(r.profile_id),
                    kind: n.kind,
                    facts: &facts,
                    page,
                    data,
                    dedupe_key: format!("{}/{}/{}/{}", n.kind.code(), n.workflow_id, n.round, r.id),
                },
            )
            .await?;
        sqlx::query(
            "INSERT INTO waitlist_notification (waitlist_id, offer_workflow_id, notification_type, notification_round,
                                                sent_time, response_deadline, status, message_content)
             VALUES (?, ?, ?, ?, ?, ?, 'sent', ?)
             ON DUPLICATE KEY UPDATE id = id",
        )
        .bind(r.id)
        .bind(n.workflow_id)
        .bind(n.kind.code())
        .bind(n.round)
        .bind(n.at)
        .bind(n.deadline)
        .bind(&sent.body)
        .execute(&mut *conn)
        .await?;
        if sent.new {
            outcome.written += 1;
        }
        outcome.wechat.extend(sent.wechat);
    }
    Ok(outcome)
}
