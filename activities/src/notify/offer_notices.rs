//! Recording and delivering offer notices to many entries at once: one `waitlist_notification`
//! row (O8) and one in-app message (N2) per entry, both idempotent per (offer, entry, round,
//! type). WeChat delivery joins here with the WeChat issue.

use crate::db::notifications::{NewNotification, insert_once};
use crate::db::sessions::session_info;
use crate::notify::drafts::WechatDrafts;
use crate::notify::templates::{Facts, Lang, NoticeType, render};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
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

/// Writes the notice for each entry: how many in-app messages were new, and the dedupe keys
/// of those to deliver over WeChat.
pub async fn notify(
    conn: &mut MySqlConnection,
    tz: Tz,
    drafts: &WechatDrafts,
    n: &Notice<'_>,
    entry_ids: &[i64],
) -> Result<NoticeOutcome, sqlx::Error> {
    let mut outcome = NoticeOutcome::default();
    if entry_ids.is_empty() {
        return Ok(outcome);
    }
    let info = session_info(&mut *conn, n.session).await?;
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
        let facts = Facts {
            course_name: info
                .as_ref()
                .map(|i| i.course_name.clone())
                .unwrap_or_default(),
            starts_at: info.as_ref().map(|i| i.starts_at),
            deadline: n.deadline,
            position: r.position.and_then(|p| u32::try_from(p).ok()),
            minutes: None,
        };
        let text = render(n.kind, Lang::ZhCn, tz, &facts);
        let page = format!("pages/waitlist/offer/index?id={}", r.id);
        let wechat = drafts.draft(n.kind, &facts, tz, &page);
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
        .bind(&text.body)
        .execute(&mut *conn)
        .await?;
        let message = NewNotification {
            user_id: r.user_id,
            profile_id: Some(r.profile_id),
            kind: n.kind.code(),
            title: text.title,
            body: text.body,
            data: serde_json::json!({
                "waitlist_id": r.id,
                "offer_workflow_id": n.workflow_id,
                "round": n.round,
                "deadline": n.deadline,
                "course_schedule_id": n.session.course_schedule_id,
                "booking_date": n.session.booking_date,
                "page": page,
            }),
            dedupe_key: format!("{}/{}/{}/{}", n.kind.code(), n.workflow_id, n.round, r.id),
            wechat,
        };
        if insert_once(&mut *conn, &message).await? {
            outcome.written += 1;
        }
        if message.wechat.is_some() {
            outcome.wechat.push(message.dedupe_key);
        }
    }
    Ok(outcome)
}
