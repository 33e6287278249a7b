//! One session for ops: its seats and queue; changing its capacity.

use crate::auth::extract::Admin;
use crate::db;
use crate::envelope::{Envelope, Reply};
use crate::error::{ApiError, codes};
use crate::extract::{ApiJson, ApiPath};
use crate::flows;
use crate::routes::admin::audit::{self, Action};
use crate::routes::sessions::in_club_time;
use crate::routes::waitlist::{release_history, wait_estimate};
use crate::session;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use workflows::offer::{Release, ReleaseRefusal};
use workflows::rules::estimate::ReleaseHistory;

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueEntry {
    pub waitlist_id: i64,
    pub profile_id: i64,
    pub profile_name: String,
    #[schema(value_type = String)]
    pub status: workflows::status::EntryStatus,
    pub position: Option<i64>,
    pub joined_at: DateTime<FixedOffset>,
    pub expiration_reason: Option<String>,
    /// E1: what the parent is told (null once the entry left the queue)
    pub estimated_wait_time: Option<String>,
    /// E1: the chance of a seat before the cutoff, 0–100 (null: no history or not waiting)
    #[schema(minimum = 0, maximum = 100)]
    pub chance_percent: Option<u8>,
    /// F1: children in the entry (a family entry is one place for all of them)
    pub party_size: i64,
    /// F2: the family accepts fewer seats than children
    pub accept_partial: bool,
    /// AA1: a released seat is booked at once
    pub auto_accept: bool,
}

/// E1: the figures the waiting estimates of this course are computed from.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReleaseHistoryView {
    /// sessions of the course (class dates from 180 days back on) that had a queue
    pub sessions_with_queue: u32,
    pub seats_released: u32,
    /// seats the queue took (entries confirmed)
    pub seats_won: u32,
    /// seats released by whole days before class, most days first
    pub releases: Vec<ReleaseDayView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReleaseDayView {
    pub days_before_class: u32,
    pub seats: u32,
}

impl From<&ReleaseHistory> for ReleaseHistoryView {
    fn from(h: &ReleaseHistory) -> Self {
        Self {
            sessions_with_queue: h.sessions_with_queue,
            seats_released: h.seats_released(),
            seats_won: h.seats_won,
            releases: h
                .releases
                .iter()
                .map(|r| ReleaseDayView {
                    days_before_class: r.days_before_class,
                    seats: r.seats,
                })
                .collect(),
        }
    }
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
    /// seats open offers hold for the queue
    pub reserved_for_offers: u32,
    pub waitlist_capacity: u32,
    pub waitlist_cutoff_at: DateTime<FixedOffset>,
    /// the session's cutoff workflow in the Temporal UI
    pub cutoff_workflow_id: String,
    pub queue: Vec<QueueEntry>,
    /// E1: the course's release history behind every estimate in `queue`
    pub release_history: ReleaseHistoryView,
}

#[utoipa::path(operation_id = "sessions_show", get, path = "/api/v1/admin/sessions/{schedule_id}/{date}", tag = "admin", security(("bearer" = [])),
    params(("schedule_id" = i64, Path), ("date" = NaiveDate, Path)),
    responses((status = 200, body = Envelope<SessionDetail>)))]
pub async fn show(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath((schedule_id, date)): ApiPath<(i64, NaiveDate)>,
) -> Result<Reply<SessionDetail>, ApiError> {
    let s = session::load(&state, schedule_id, date).await?;
    let tz = state.config.club_tz();
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
    let reserved = db::offers::reserved_seats(&mut conn, s.key).await?;
    drop(conn);
    let history = release_history(&state, s.schedule.course_id).await?;
    let queue = db::waitlist::of_session(&state.pool, s.key)
        .await?
        .into_iter()
        .map(|e| {
            let estimate = e
                .position
                .map(|p| wait_estimate(&history, p, e.party_size, e.starts_at));
            QueueEntry {
                waitlist_id: e.id,
                profile_id: e.profile_id,
                profile_name: e.profile_name,
                status: e.status,
                position: e.position,
                joined_at: in_club_time(e.joined_at, tz),
                expiration_reason: e.expiration_reason,
                estimated_wait_time: estimate.map(|x| x.text()),
                chance_percent: estimate.and_then(|x| x.percent()),
                party_size: i64::from(e.party_size),
                accept_partial: e.accept_partial,
                auto_accept: e.auto_accept,
            }
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
        reserved_for_offers: reserved,
        waitlist_capacity: settings.waitlist_capacity,
        waitlist_cutoff_at: in_club_time(s.cutoff_at(&settings), tz),
        cutoff_workflow_id: state.ids().await?.cutoff(s.key),
        queue,
        release_history: (&history).into(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CapacityInput {
    #[schema(minimum = 1, maximum = 200, example = 8)]
    pub capacity: u32,
    /// why (written to the audit log)
    #[schema(
        min_length = 2,
        max_length = 500,
        pattern = "[^ \\t\\n\\r\\u00a0\\u3000]"
    )]
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CapacityChanged {
    pub capacity: u32,
    pub booked: u32,
    /// seats freed by this change and offered to the waitlist (O1)
    pub released: u32,
    /// the offer workflow in the Temporal UI, when seats were released
    pub offer_workflow_id: Option<String>,
}

fn changed_meanwhile() -> ApiError {
    ApiError::conflict(codes::CONFLICT, "容量已被其他操作修改，请刷新后重试")
}

fn below_booked(booked: u32) -> ApiError {
    ApiError::conflict(
        codes::CONFLICT,
        format!("容量不能小于已预约及候补确认中的人数（{booked}人）"),
    )
}

#[utoipa::path(put, path = "/api/v1/admin/sessions/{schedule_id}/{date}/capacity", tag = "admin", security(("bearer" = [])),
    params(("schedule_id" = i64, Path), ("date" = NaiveDate, Path)), request_body = CapacityInput,
    responses((status = 200, body = Envelope<CapacityChanged>), (status = 409, description = "below the booked seats")))]
pub async fn set_capacity(
    State(state): State<AppState>,
    admin: Admin,
    ApiPath((schedule_id, date)): ApiPath<(i64, NaiveDate)>,
    ApiJson(input): ApiJson<CapacityInput>,
) -> Result<Reply<CapacityChanged>, ApiError> {
    if !(1..=200).contains(&input.capacity) {
        return Err(ApiError::invalid("capacity", "容量应为1–200人"));
    }
    let reason = audit::reason(input.reason.as_deref(), false)?;
    let changed = change_capacity(&state, schedule_id, date, input.capacity).await?;
    audit::record_now(
        &state,
        admin,
        Action {
            action: "session.capacity",
            target_type: "session",
            target_id: workflows::SessionKey::new(schedule_id, date).to_string(),
            reason: reason.as_deref(),
            details: json!({"capacity": changed.capacity, "booked": changed.booked,
                            "released": changed.released, "offer_workflow_id": changed.offer_workflow_id}),
        },
    )
    .await?;
    Ok(Reply::ok(changed).message("容量已更新"))
}

/// The capacity change itself: raising releases seats through the offer workflow (O1),
/// lowering checks the seats taken under the session lock.
async fn change_capacity(
    state: &AppState,
    schedule_id: i64,
    date: NaiveDate,
    capacity: u32,
) -> Result<CapacityChanged, ApiError> {
    let state = state.clone();
    let input = CapacityInput {
        capacity,
        reason: None,
    };
    let s = session::load(&state, schedule_id, date).await?;
    db::sessions::ensure(&state.pool, s.key, s.starts_at).await?;
    let mut conn = state.pool.acquire().await?;
    let settings = s.settings(&mut conn).await?;
    let (capacity_override, version) = db::sessions::capacity_row(&mut conn, s.key).await?;
    let booked = db::sessions::booked_count(&mut conn, s.key).await?;
    drop(conn);
    let before = s.capacity(capacity_override);

    if input.capacity > before {
        // Raising releases seats: through the offer workflow, workflow-first (O1).
        let release = Release::Capacity {
            capacity: input.capacity,
            expected_version: i64::from(version),
        };
        let workflow_id = state.ids().await?.offer_for(s.key, &release);
        let outcome = flows::release_seat(&state, s.key, s.starts_at, settings, release).await?;
        return match outcome.refusal {
            Some(ReleaseRefusal::VersionChanged) => Err(changed_meanwhile()),
            Some(ReleaseRefusal::BelowBooked) => Err(below_booked(booked)),
            Some(ReleaseRefusal::Started) => Err(ApiError::conflict(codes::CONFLICT, "课程已开始")),
            Some(ReleaseRefusal::NotBooked | ReleaseRefusal::MakeupSeat) => {
                Err(changed_meanwhile())
            }
            Some(ReleaseRefusal::Unavailable) => Err(ApiError::Unavailable("数据库")),
            None => {
                tracing::info!(session = %s.key, before, after = input.capacity, released = outcome.seats, "capacity raised");
                Ok(CapacityChanged {
                    capacity: input.capacity,
                    booked,
                    released: outcome.seats,
                    offer_workflow_id: Some(workflow_id),
                })
            }
        };
    }

    let mut tx = state.pool.begin().await?;
    db::sessions::lock(&mut tx, s.key).await?;
    let (_, locked_version) = db::sessions::capacity_row(&mut tx, s.key).await?;
    if locked_version != version {
        return Err(changed_meanwhile());
    }
    let seats = db::sessions::seat_count(&mut tx, s.key, before).await?;
    if seats.freed_by_capacity(input.capacity).is_none() {
        return Err(below_booked(seats.booked + seats.held));
    }
    db::sessions::set_capacity(&mut tx, s.key, input.capacity).await?;
    tx.commit().await?;
    tracing::info!(session = %s.key, before, after = input.capacity, "capacity lowered");
    Ok(CapacityChanged {
        capacity: input.capacity,
        booked,
        released: 0,
        offer_workflow_id: None,
    })
}
