//! One session for ops: its seats and queue; changing its capacity.

use crate::auth::extract::Admin;
use crate::db;
use crate::envelope::{Envelope, Reply};
use crate::error::{ApiError, codes};
use crate::extract::{ApiJson, ApiPath};
use crate::routes::sessions::in_club_time;
use crate::session;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueEntry {
    pub waitlist_id: i64,
    pub profile_id: i64,
    pub profile_name: String,
    pub status: String,
    pub position: Option<i64>,
    pub joined_at: DateTime<FixedOffset>,
    pub expiration_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDetail {
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub session_key: String,
    pub course_name: String,
    pub starts_at: DateTime<FixedOffset>,
    pub booked: u32,
    pub capacity: u32,
    pub waitlist_capacity: u32,
    pub waitlist_cutoff_at: DateTime<FixedOffset>,
    /// the session's cutoff workflow in the Temporal UI
    pub cutoff_workflow_id: String,
    pub queue: Vec<QueueEntry>,
}

#[utoipa::path(get, path = "/api/v1/admin/sessions/{schedule_id}/{date}", tag = "admin", security(("bearer" = [])),
    params(("schedule_id" = i64, Path), ("date" = NaiveDate, Path)),
    responses((status = 200, body = Envelope<SessionDetail>)))]
pub async fn show(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath((schedule_id, date)): ApiPath<(i64, NaiveDate)>,
) -> Result<Reply<SessionDetail>, ApiError> {
    let s = session::load(&state, schedule_id, date).await?;
    let tz = state.config.club_tz;
    let mut conn = state.pool.acquire().await?;
    let settings = s.settings(&mut conn).await?;
    let booked = db::sessions::booked_count(&mut conn, s.key).await?;
    let override_row: Option<(Option<i32>,)> = sqlx::query_as(
        "SELECT capacity_override FROM class_session WHERE course_schedule_id = ? AND booking_date = ?",
    )
    .bind(s.key.course_schedule_id)
    .bind(s.key.booking_date)
    .fetch_optional(&mut *conn)
    .await?;
    drop(conn);
    let queue = db::waitlist::of_session(&state.pool, s.key)
        .await?
        .into_iter()
        .map(|e| QueueEntry {
            waitlist_id: e.id,
            profile_id: e.profile_id,
            profile_name: e.profile_name,
            status: e.status,
            position: e.position,
            joined_at: in_club_time(e.joined_at, tz),
            expiration_reason: e.expiration_reason,
        })
        .collect();
    Ok(Reply::ok(SessionDetail {
        course_schedule_id: schedule_id,
        booking_date: date,
        session_key: s.key.to_string(),
        course_name: s.schedule.course_name.clone(),
        starts_at: in_club_time(s.starts_at, tz),
        booked,
        capacity: s.capacity(override_row.and_then(|r| r.0)),
        waitlist_capacity: settings.waitlist_capacity,
        waitlist_cutoff_at: in_club_time(s.cutoff_at(&settings), tz),
        cutoff_workflow_id: s.key.cutoff_workflow_id(),
        queue,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CapacityInput {
    pub capacity: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CapacityChanged {
    pub capacity: u32,
    pub booked: u32,
    /// seats freed by this change
    pub released: u32,
}

#[utoipa::path(put, path = "/api/v1/admin/sessions/{schedule_id}/{date}/capacity", tag = "admin", security(("bearer" = [])),
    params(("schedule_id" = i64, Path), ("date" = NaiveDate, Path)), request_body = CapacityInput,
    responses((status = 200, body = Envelope<CapacityChanged>), (status = 409, description = "below the booked seats")))]
pub async fn set_capacity(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath((schedule_id, date)): ApiPath<(i64, NaiveDate)>,
    ApiJson(input): ApiJson<CapacityInput>,
) -> Result<Reply<CapacityChanged>, ApiError> {
    if !(1..=200).contains(&input.capacity) {
        return Err(ApiError::invalid("capacity", "容量应为1–200人"));
    }
    let s = session::load(&state, schedule_id, date).await?;
    db::sessions::ensure(&state.pool, s.key, s.starts_at).await?;
    let mut tx = state.pool.begin().await?;
    let before = s.capacity(db::sessions::lock(&mut tx, s.key).await?);
    let booked = db::sessions::booked_count(&mut tx, s.key).await?;
    if input.capacity < booked {
        return Err(ApiError::conflict(
            codes::CONFLICT,
            format!("容量不能小于已预约人数（{booked}人）"),
        ));
    }
    db::sessions::set_capacity(&mut tx, s.key, input.capacity).await?;
    tx.commit().await?;
    let released = input.capacity.saturating_sub(before.max(booked));
    tracing::info!(session = %s.key, before, after = input.capacity, released, "session capacity changed");
    Ok(Reply::ok(CapacityChanged {
        capacity: input.capacity,
        booked,
        released,
    })
    .message("容量已更新"))
}
