//! Seat bookings: book, list, cancel, leave of absence.

use crate::auth::extract::Parent;
use crate::db;
use crate::envelope::{Envelope, Items, Reply};
use crate::error::{ApiError, codes, on_unique_violation};
use crate::extract::{ApiJson, ApiPath};
use crate::flows;
use crate::routes::profiles::ensure_owner;
use crate::routes::sessions::in_club_time;
use crate::session;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use workflows::offer::{Release, ReleaseOutcome, ReleaseRefusal};
use workflows::settings::ClassSettings;
use workflows::status::BookingStatus;

#[derive(Debug, Deserialize, ToSchema)]
pub struct SessionRef {
    pub profile_id: i64,
    pub course_schedule_id: i64,
    /// YYYY-MM-DD, club time zone
    pub booking_date: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Booked {
    pub booking_id: i64,
}

fn full() -> ApiError {
    ApiError::conflict(codes::SESSION_FULL, "课程已满员，是否加入候补")
}

fn already_booked() -> ApiError {
    ApiError::conflict(codes::ALREADY_BOOKED, "您已预约该课程")
}

#[utoipa::path(post, path = "/api/v1/bookings", tag = "bookings", security(("bearer" = [])), request_body = SessionRef,
    responses((status = 201, body = Envelope<Booked>), (status = 409, description = "full / already booked / started")))]
#[tracing::instrument(skip_all, fields(user_id = parent.user_id, profile_id = req.profile_id, schedule = req.course_schedule_id, date = %req.booking_date))]
pub async fn book(
    State(state): State<AppState>,
    parent: Parent,
    ApiJson(req): ApiJson<SessionRef>,
) -> Result<Reply<Booked>, ApiError> {
    ensure_owner(&state, parent, req.profile_id).await?;
    let s = session::load(&state, req.course_schedule_id, req.booking_date).await?;
    if Utc::now() >= s.starts_at {
        return Err(ApiError::conflict(codes::CONFLICT, "课程已开始，无法预约"));
    }
    db::sessions::ensure(&state.pool, s.key, s.starts_at).await?;
    let mut tx = state.pool.begin().await?;
    let capacity = s.capacity(db::sessions::lock(&mut tx, s.key).await?);
    if db::bookings::profile_is_booked(&mut tx, req.profile_id, s.key).await? {
        return Err(already_booked());
    }
    // Seats an open offer holds belong to the waitlist, not to direct bookings.
    if db::sessions::seat_count(&mut tx, s.key, capacity)
        .await?
        .is_full()
    {
        return Err(full());
    }
    let booking_id = db::bookings::insert(&mut tx, req.profile_id, s.key, "direct")
        .await
        .map_err(|e| on_unique_violation(e, already_booked()))?;
    tx.commit().await?;
    tracing::info!(booking_id, session = %s.key, "booked");
    Ok(Reply::created(Booked { booking_id }).message("预约成功"))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyBooking {
    pub booking_id: i64,
    pub profile_id: i64,
    pub profile_name: String,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub course_id: i64,
    pub course_name: String,
    pub course_type: String,
    pub level: i8,
    pub duration_minutes: i32,
    pub coach: String,
    pub location: String,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    /// the class has not started yet
    pub upcoming: bool,
    /// booked | cancelled | leave | attended | no_show
    #[schema(value_type = String)]
    pub status: workflows::status::BookingStatus,
    /// direct | waitlist | makeup
    pub source: String,
    /// set while this seat is a booked makeup (cancel it through `DELETE /makeup/{id}/cancel`)
    pub makeup_booking_id: Option<i64>,
    pub can_cancel: bool,
    pub can_leave: bool,
    /// why cancel / leave are not offered, when they are not
    pub blocked_reason: Option<String>,
}

/// Why a booking cannot be cancelled or turned into a leave now; `None` when it can.
fn release_blocked(b: &db::bookings::MyBookingRow, now: DateTime<Utc>) -> Option<ApiError> {
    if b.status != BookingStatus::Booked {
        Some(already_released())
    } else if b.makeup_booking_id.is_some() {
        Some(makeup_seat())
    } else if now >= b.starts_at {
        Some(started())
    } else {
        None
    }
}

#[utoipa::path(get, path = "/api/v1/bookings", tag = "bookings", security(("bearer" = [])),
    responses((status = 200, description = "soonest first, from 30 days ago", body = Envelope<Items<MyBooking>>)))]
pub async fn mine(
    State(state): State<AppState>,
    parent: Parent,
) -> Result<Reply<Items<MyBooking>>, ApiError> {
    let tz = state.config.club_tz();
    let now = Utc::now();
    let since = (now - Duration::days(30)).with_timezone(&tz).date_naive();
    let items = db::bookings::of_parent(&state.pool, parent.user_id, since)
        .await?
        .into_iter()
        .map(|b| {
            let blocked = release_blocked(&b, now);
            let open = blocked.is_none();
            MyBooking {
                booking_id: b.id,
                profile_id: b.profile_id,
                profile_name: b.profile_name,
                course_schedule_id: b.course_schedule_id,
                booking_date: b.booking_date,
                course_id: b.course_id,
                course_name: b.course_name,
                course_type: b.course_type,
                level: b.level,
                duration_minutes: b.duration_minutes,
                coach: b.coach,
                location: b.location,
                starts_at: in_club_time(b.starts_at, tz),
                ends_at: in_club_time(
                    b.starts_at + Duration::minutes(i64::from(b.duration_minutes)),
                    tz,
                ),
                upcoming: now < b.starts_at,
                status: b.status,
                source: b.source,
                makeup_booking_id: b.makeup_booking_id,
                can_cancel: open,
                can_leave: open,
                blocked_reason: blocked.map(|e| e.to_string()),
            }
        })
        .collect();
    Ok(Reply::ok(Items { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Released {
    pub booking_id: i64,
    /// cancelled | leave
    pub status: &'static str,
    /// set for a leave of absence (M1)
    pub pending_makeup_id: Option<i64>,
}

/// The owner's booking that still holds a seat in a session that has not started, with the
/// session and its settings.
async fn releasable(
    state: &AppState,
    parent: Parent,
    id: i64,
) -> Result<(db::bookings::BookingRow, session::Session, ClassSettings), ApiError> {
    let booking = db::bookings::find(&state.pool, id)
        .await?
        .ok_or(ApiError::not_found("预约"))?;
    if booking.user_id != parent.user_id {
        return Err(ApiError::Forbidden);
    }
    if booking.status != BookingStatus::Booked {
        return Err(already_released());
    }
    if booking.makeup_booking_id.is_some() {
        return Err(makeup_seat());
    }
    let s = session::load(state, booking.course_schedule_id, booking.booking_date).await?;
    if Utc::now() >= s.starts_at {
        return Err(started());
    }
    let settings = s.settings(&mut *state.pool.acquire().await?).await?;
    Ok((booking, s, settings))
}

fn already_released() -> ApiError {
    ApiError::conflict(codes::CONFLICT, "该预约已取消或已请假")
}

/// A makeup's seat goes back through the makeup's own cancel (M5: cutoff, credits restored
/// and revoked, the pending makeup reopened), never behind its back.
fn makeup_seat() -> ApiError {
    ApiError::conflict(codes::MAKEUP_SEAT, "补课课程请在“我的补课”中取消")
}

fn started() -> ApiError {
    ApiError::conflict(codes::CONFLICT, "课程已开始，无法取消或请假")
}

/// Releases through the offer workflow (O1) and turns its refusal into the right answer.
async fn release(
    state: &AppState,
    parent: Parent,
    id: i64,
    leave: bool,
) -> Result<ReleaseOutcome, ApiError> {
    let (booking, s, settings) = releasable(state, parent, id).await?;
    let release = if leave {
        Release::Leave { booking_id: id }
    } else {
        Release::Cancel { booking_id: id }
    };
    let outcome = flows::release_seat(
        state,
        booking.session(),
        s.starts_at,
        settings,
        release.clone(),
    )
    .await?;
    match outcome.refusal {
        Some(ReleaseRefusal::Started) => return Err(started()),
        Some(ReleaseRefusal::MakeupSeat) => return Err(makeup_seat()),
        Some(ReleaseRefusal::Unavailable) => return Err(ApiError::Unavailable("数据库")),
        Some(_) => return Err(already_released()),
        None => {}
    }
    // The same booking released the other way already (cancel vs leave).
    if outcome.release != release {
        return Err(already_released());
    }
    tracing::info!(booking_id = id, session = %booking.session(), leave, seats = outcome.seats,
        offered = outcome.offer.as_ref().map_or(0, |o| o.notified.len()), "seat released");
    Ok(outcome)
}

#[utoipa::path(post, path = "/api/v1/bookings/{id}/cancel", tag = "bookings", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Envelope<Released>), (status = 409, description = "already cancelled / started")))]
#[tracing::instrument(skip_all, fields(user_id = parent.user_id, booking_id = id))]
pub async fn cancel(
    State(state): State<AppState>,
    parent: Parent,
    ApiPath(id): ApiPath<i64>,
) -> Result<Reply<Released>, ApiError> {
    release(&state, parent, id, false).await?;
    Ok(Reply::ok(Released {
        booking_id: id,
        status: "cancelled",
        pending_makeup_id: None,
    })
    .message("已取消预约"))
}

#[utoipa::path(post, path = "/api/v1/bookings/{id}/leave", tag = "bookings", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Envelope<Released>), (status = 409, description = "already cancelled / started")))]
#[tracing::instrument(skip_all, fields(user_id = parent.user_id, booking_id = id))]
pub async fn leave(
    State(state): State<AppState>,
    parent: Parent,
    ApiPath(id): ApiPath<i64>,
) -> Result<Reply<Released>, ApiError> {
    let outcome = release(&state, parent, id, true).await?;
    Ok(Reply::ok(Released {
        booking_id: id,
        status: "leave",
        pending_makeup_id: outcome.pending_makeup_id,
    })
    .message("请假成功，已生成待补课记录"))
}
