//! Messages staff actions write into the in-app centre (N2: it always gets the message),
//! each with the WeChat subscribe message to send when a template fits and WeChat is on.
//! The `notify.wechat` activity sends them (through `StaffNoticeWorkflow`).

use sqlx::MySqlConnection;

#[derive(Debug, Clone)]
pub struct Outgoing {
    pub user_id: i64,
    pub profile_id: Option<i64>,
    /// `staff_message`, `waitlist_removed`, `credit_adjusted`, or a re-sent type
    pub kind: String,
    pub title: String,
    pub body: String,
    pub data: serde_json::Value,
    pub dedupe_key: String,
    pub wechat: Option<WechatPart>,
}

#[derive(Debug, Clone)]
pub struct WechatPart {
    pub template_id: String,
    pub page: String,
    pub payload: serde_json::Value,
}

/// Writes the message once per dedupe key; true when it is new.
pub async fn insert(conn: &mut MySqlConnection, m: &Outgoing) -> Result<bool, sqlx::Error> {
    let w = m.wechat.as_ref();
    let done = sqlx::query(
        "INSERT INTO notification (user_id, profile_id, type, title, body, data, dedupe_key,
                                   wechat_status, wechat_template_id, wechat_page, wechat_payload)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id",
    )
    .bind(m.user_id)
    .bind(m.profile_id)
    .bind(&m.kind)
    .bind(&m.title)
    .bind(&m.body)
    .bind(m.data.to_string())
    .bind(&m.dedupe_key)
    .bind(if w.is_some() { "pending" } else { "disabled" })
    .bind(w.map(|w| w.template_id.as_str()))
    .bind(w.map(|w| w.page.as_str()))
    .bind(w.map(|w| w.payload.to_string()))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The stored WeChat part of a notification (to re-send it as it was).
pub async fn wechat_part_of(
    conn: &mut MySqlConnection,
    id: i64,
) -> Result<
    Option<(
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    )>,
    sqlx::Error,
> {
    sqlx::query_as(
        "SELECT wechat_template_id, wechat_page, wechat_payload, data FROM notification WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The parents (and children) of a session's active queue, in queue order.
pub async fn queue_recipients(
    conn: &mut MySqlConnection,
    key: workflows::SessionKey,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT w.id, p.user_id, p.id FROM waitlist w JOIN profile p ON p.id = w.profile_id
          WHERE w.course_schedule_id = ? AND w.booking_date = ? AND w.status IN ('waiting', 'notified')
          ORDER BY w.id",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_all(conn)
    .await
}
