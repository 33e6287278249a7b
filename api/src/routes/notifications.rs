//! The in-app notification centre (N2).

use crate::auth::extract::Parent;
use crate::envelope::{Envelope, Items, Reply};
use crate::error::ApiError;
use crate::routes::sessions::in_club_time;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationItem {
    pub id: i64,
    /// one of design N1: spot_available, seat_taken, hold_for_you, offer_expired,
    /// waitlist_expired, position_changed, makeup_booked, makeup_cancelled, compensation_expiring
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub body: String,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub read: bool,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    title: String,
    body: String,
    data: Option<String>,
    read_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, description = "newest first", body = Envelope<Items<NotificationItem>>)))]
pub async fn list(
    State(state): State<AppState>,
    parent: Parent,
) -> Result<Reply<Items<NotificationItem>>, ApiError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, type AS kind, title, body, data, read_at, created_at FROM notification
          WHERE user_id = ? ORDER BY id DESC LIMIT 100",
    )
    .bind(parent.user_id)
    .fetch_all(&state.pool)
    .await?;
    let tz = state.config.club_tz();
    let items = rows
        .into_iter()
        .map(|r| NotificationItem {
            id: r.id,
            kind: r.kind,
            title: r.title,
            body: r.body,
            data: r
                .data
                .and_then(|d| serde_json::from_str(&d).ok())
                .unwrap_or(serde_json::Value::Null),
            read: r.read_at.is_some(),
            created_at: in_club_time(r.created_at, tz),
        })
        .collect();
    Ok(Reply::ok(Items { items }))
}

#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct GrantsBody {
    /// exactly what `wx.requestSubscribeMessage` returned: template id → accept | reject | ban | filter
    #[schema(value_type = Object)]
    pub results: std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantsRecorded {
    /// templates recorded
    pub recorded: usize,
    /// one-time grants now left per accepted template
    #[schema(value_type = Object)]
    pub remaining: std::collections::BTreeMap<String, i32>,
}

fn valid_template_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[utoipa::path(post, path = "/api/v1/notifications/grants", tag = "notifications", security(("bearer" = [])),
    request_body = GrantsBody, responses((status = 200, body = Envelope<GrantsRecorded>), (status = 400, description = "bad template id or result")))]
pub async fn record_grants(
    State(state): State<AppState>,
    parent: Parent,
    crate::extract::ApiJson(body): crate::extract::ApiJson<GrantsBody>,
) -> Result<Reply<GrantsRecorded>, ApiError> {
    // `errMsg` comes along when the client forwards the whole result object.
    let results: Vec<(String, String)> = body
        .results
        .into_iter()
        .filter(|(k, _)| k != "errMsg")
        .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string()))
        .collect();
    if results.is_empty() || results.len() > 20 {
        return Err(ApiError::invalid("results", "results 应包含1–20个模板结果"));
    }
    for (template, result) in &results {
        if !valid_template_id(template) {
            return Err(ApiError::invalid(
                "results",
                format!("模板ID无效：{template}"),
            ));
        }
        if !["accept", "reject", "ban", "filter"].contains(&result.as_str()) {
            return Err(ApiError::invalid(
                "results",
                format!("订阅结果无效：{result}"),
            ));
        }
    }
    let mut tx = state.pool.begin().await?;
    let mut remaining = std::collections::BTreeMap::new();
    for (template, result) in &results {
        // accept adds one one-time grant; ban withdraws all; reject/filter change nothing.
        sqlx::query(
            "INSERT INTO subscription_grant (user_id, template_id, last_result, remaining)
             VALUES (?, ?, ?, IF(? = 'accept', 1, 0))
             ON DUPLICATE KEY UPDATE last_result = VALUES(last_result),
               remaining = CASE VALUES(last_result) WHEN 'accept' THEN remaining + 1 WHEN 'ban' THEN 0 ELSE remaining END",
        )
        .bind(parent.user_id)
        .bind(template)
        .bind(result)
        .bind(result)
        .execute(&mut *tx)
        .await?;
        let (left,): (i32,) = sqlx::query_as(
            "SELECT remaining FROM subscription_grant WHERE user_id = ? AND template_id = ?",
        )
        .bind(parent.user_id)
        .bind(template)
        .fetch_one(&mut *tx)
        .await?;
        remaining.insert(template.clone(), left);
    }
    tx.commit().await?;
    Ok(Reply::ok(GrantsRecorded {
        recorded: results.len(),
        remaining,
    })
    .message("订阅结果已记录"))
}
