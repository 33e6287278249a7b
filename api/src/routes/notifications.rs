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
    let tz = state.config.club_tz;
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
