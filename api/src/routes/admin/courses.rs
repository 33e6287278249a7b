//! Courses and weekly schedules.

use crate::auth::extract::Admin;
use crate::db::{self, courses::NewCourse, courses::NewSchedule};
use crate::envelope::{Envelope, Items, Reply};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::Created;
use crate::routes::admin::audit::{self, Action};
use crate::routes::sessions::yuan;
use crate::state::AppState;
use axum::extract::State;
use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct CourseInput {
    pub name: String,
    /// short code: group, vip, private, ...
    pub course_type: String,
    /// 1–10
    pub level: u8,
    pub duration_minutes: u32,
    /// yuan, up to 2 decimals
    pub price: f64,
    pub capacity: u32,
}

/// A course-type code: lower-case letters, digits, `_` or `-`, 1–32 characters.
pub fn valid_course_type(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 32
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

#[utoipa::path(post, path = "/api/v1/admin/courses", tag = "admin", security(("bearer" = [])), request_body = CourseInput,
    responses((status = 201, body = Envelope<Created>), (status = 400, description = "invalid field")))]
pub async fn create(
    State(state): State<AppState>,
    admin: Admin,
    ApiJson(c): ApiJson<CourseInput>,
) -> Result<Reply<Created>, ApiError> {
    let name = c.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::invalid("name", "课程名称长度应为1–100个字符"));
    }
    if !valid_course_type(&c.course_type) {
        return Err(ApiError::invalid(
            "course_type",
            "课程类型应为小写字母、数字、_ 或 -（如 group、vip）",
        ));
    }
    if !(1..=10).contains(&c.level) {
        return Err(ApiError::invalid("level", "等级应为1–10"));
    }
    if !(10..=600).contains(&c.duration_minutes) {
        return Err(ApiError::invalid(
            "duration_minutes",
            "课程时长应为10–600分钟",
        ));
    }
    if !(c.price.is_finite() && (0.0..=100_000.0).contains(&c.price)) {
        return Err(ApiError::invalid("price", "价格应为0–100000元"));
    }
    if !(1..=200).contains(&c.capacity) {
        return Err(ApiError::invalid("capacity", "容量应为1–200人"));
    }
    let price_cents = (c.price * 100.0).round();
    let id = db::courses::create_course(
        &state.pool,
        &NewCourse {
            name,
            course_type: &c.course_type,
            level: c.level,
            duration_minutes: c.duration_minutes,
            // bounded above: 0..=10_000_000
            price_cents: price_cents as u32,
            capacity: c.capacity,
        },
    )
    .await?;
    audit::record_now(
        &state,
        admin,
        Action {
            action: "course.create",
            target_type: "course",
            target_id: id.to_string(),
            reason: None,
            details: json!({"name": name, "course_type": c.course_type, "level": c.level,
                            "duration_minutes": c.duration_minutes, "price": c.price, "capacity": c.capacity}),
        },
    )
    .await?;
    Ok(Reply::created(Created { id }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseView {
    pub id: i64,
    pub name: String,
    pub course_type: String,
    pub level: i8,
    pub duration_minutes: i32,
    pub price: f64,
    pub capacity: i32,
}

#[utoipa::path(get, path = "/api/v1/admin/courses", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Items<CourseView>>)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Reply<Items<CourseView>>, ApiError> {
    let items = db::courses::list_courses(&state.pool)
        .await?
        .into_iter()
        .map(|c| CourseView {
            id: c.id,
            name: c.name,
            course_type: c.course_type,
            level: c.level,
            duration_minutes: c.duration_minutes,
            price: yuan(c.price_cents),
            capacity: c.capacity,
        })
        .collect();
    Ok(Reply::ok(Items { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ScheduleInput {
    pub course_id: i64,
    /// ISO 8601: 1 = Monday … 7 = Sunday
    pub weekday: u8,
    /// "HH:MM:SS", club time zone
    pub start_time: String,
    pub coach: String,
    pub location: String,
}

#[utoipa::path(post, path = "/api/v1/admin/schedules", tag = "admin", security(("bearer" = [])), request_body = ScheduleInput,
    responses((status = 201, body = Envelope<Created>), (status = 404, description = "unknown course")))]
pub async fn create_schedule(
    State(state): State<AppState>,
    admin: Admin,
    ApiJson(s): ApiJson<ScheduleInput>,
) -> Result<Reply<Created>, ApiError> {
    if !(1..=7).contains(&s.weekday) {
        return Err(ApiError::invalid(
            "weekday",
            "weekday 应为1（周一）–7（周日）",
        ));
    }
    let start_time = NaiveTime::parse_from_str(&s.start_time, "%H:%M:%S")
        .map_err(|_| ApiError::invalid("start_time", "上课时间格式应为 HH:MM:SS"))?;
    let coach = s.coach.trim();
    let location = s.location.trim();
    if coach.is_empty() || coach.chars().count() > 64 {
        return Err(ApiError::invalid("coach", "教练名称长度应为1–64个字符"));
    }
    if location.is_empty() || location.chars().count() > 100 {
        return Err(ApiError::invalid("location", "上课地点长度应为1–100个字符"));
    }
    if !db::courses::course_exists(&state.pool, s.course_id).await? {
        return Err(ApiError::not_found("课程"));
    }
    let id = db::courses::create_schedule(
        &state.pool,
        &NewSchedule {
            course_id: s.course_id,
            weekday: s.weekday,
            start_time,
            coach,
            location,
        },
    )
    .await?;
    audit::record_now(
        &state,
        admin,
        Action {
            action: "schedule.create",
            target_type: "schedule",
            target_id: id.to_string(),
            reason: None,
            details: json!({"course_id": s.course_id, "weekday": s.weekday, "start_time": s.start_time,
                            "coach": coach, "location": location}),
        },
    )
    .await?;
    Ok(Reply::created(Created { id }))
}
