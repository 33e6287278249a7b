//! The in-app notification centre (N2: it always gets the message).

use sqlx::MySqlConnection;

/// One message for one parent; `dedupe_key` makes a retried activity write it once.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub user_id: i64,
    pub profile_id: Option<i64>,
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    pub data: serde_json::Value,
    pub dedupe_key: String,
    /// The WeChat subscribe message to send for it, when WeChat is on and a template exists.
    pub wechat: Option<WechatDraft>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WechatDraft {
    pub template_id: String,
    pub page: String,
    pub data: serde_json::Value,
}

/// Inserts the notification unless one with the same key exists; true when inserted.
pub async fn insert_once(
    conn: &mut MySqlConnection,
    n: &NewNotification,
) -> Result<bool, sqlx::Error> {
    let wechat = n.wechat.as_ref();
    let result = sqlx::query(
        "INSERT INTO notification (user_id, profile_id, type, title, body, data, dedupe_key,
                                   wechat_status, wechat_template_id, wechat_page, wechat_payload)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE id = id",
    )
    .bind(n.user_id)
    .bind(n.profile_id)
    .bind(n.kind)
    .bind(&n.title)
    .bind(&n.body)
    .bind(n.data.to_string())
    .bind(&n.dedupe_key)
    .bind(if wechat.is_some() {
        "pending"
    } else {
        "disabled"
    })
    .bind(wechat.map(|w| w.template_id.as_str()))
    .bind(wechat.map(|w| w.page.as_str()))
    .bind(wechat.map(|w| w.data.to_string()))
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}
