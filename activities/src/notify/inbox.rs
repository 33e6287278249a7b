//! One message to one parent: the in-app centre always gets it (N2), written once per dedupe
//! key; its WeChat subscribe message is drafted with it when WeChat is on and a template
//! exists, and delivered later by `notify.wechat`.

use crate::db::notifications::{NewNotification, insert_once};
use crate::error::Result;
use crate::notify::drafts::WechatDrafts;
use crate::notify::pages::{self, Page};
use crate::notify::templates::{Facts, Lang, NoticeType, render};
use chrono_tz::Tz;
use sqlx::MySqlConnection;

/// How messages are written: the club's zone and the WeChat drafts.
#[derive(Debug, Clone)]
pub struct Notices {
    pub club_tz: Tz,
    pub drafts: WechatDrafts,
}

pub struct Letter<'a> {
    pub user_id: i64,
    pub profile_id: Option<i64>,
    pub kind: NoticeType,
    pub facts: &'a Facts,
    /// The mini-program page the message opens (registered in app.json), with its query.
    pub page: Page,
    /// Ids the app needs; `page` is added.
    pub data: serde_json::Value,
    pub dedupe_key: String,
}

/// What writing a letter did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The in-app message is new (not a retry's).
    pub new: bool,
    /// The dedupe key, when a WeChat message waits for delivery.
    pub wechat: Option<String>,
    /// The in-app text.
    pub body: String,
}

impl Notices {
    pub async fn send(&self, conn: &mut MySqlConnection, letter: Letter<'_>) -> Result<Sent> {
        let mut facts = letter.facts.clone();
        if facts.child_name.is_none()
            && let Some(profile_id) = letter.profile_id
        {
            facts.child_name = child_name(&mut *conn, profile_id).await?;
        }
        let text = render(letter.kind, Lang::ZhCn, self.club_tz, &facts);
        let mut data = letter.data;
        let leave = leave_page(letter.kind, &data);
        if let Some(map) = data.as_object_mut() {
            map.insert("page".into(), serde_json::json!(letter.page.as_str()));
            if let Some(leave) = leave {
                map.insert("leave_page".into(), serde_json::json!(leave.as_str()));
            }
        }
        let message = NewNotification {
            user_id: letter.user_id,
            profile_id: letter.profile_id,
            kind: letter.kind.code(),
            title: text.title,
            body: text.body.clone(),
            data,
            wechat: self
                .drafts
                .draft(letter.kind, &facts, self.club_tz, &letter.page),
            dedupe_key: letter.dedupe_key,
        };
        let new = insert_once(conn, &message).await?;
        Ok(Sent {
            new,
            wechat: message.wechat.is_some().then_some(message.dedupe_key),
            body: text.body,
        })
    }
}

/// L1: the way out of the queue a waitlist notice carries (its entry is `data.waitlist_id`).
fn leave_page(kind: NoticeType, data: &serde_json::Value) -> Option<Page> {
    let waitlist_id = data.get("waitlist_id")?.as_i64()?;
    kind.offers_leave()
        .then(|| pages::leave_waitlist(waitlist_id))
}

async fn child_name(conn: &mut MySqlConnection, profile_id: i64) -> Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT name FROM profile WHERE id = ?")
        .bind(profile_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_waitlist_notice_of_a_waiting_entry_links_its_leave_page() {
        let data = json!({"waitlist_id": 7});
        assert_eq!(
            leave_page(NoticeType::SpotAvailable, &data).map(String::from),
            Some("pages/waitlist/leave?id=7".to_string())
        );
        assert_eq!(leave_page(NoticeType::WaitlistExpired, &data), None);
        assert_eq!(leave_page(NoticeType::MakeupBooked, &json!({})), None);
    }
}
