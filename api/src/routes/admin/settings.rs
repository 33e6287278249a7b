//! The ★ settings per course type and per course (any subset of fields).

use crate::auth::extract::Owner;
use crate::db::{self, settings::Scope};
use crate::envelope::{Envelope, Reply};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath};
use crate::routes::admin::audit::{self, Action};
use crate::routes::admin::courses::valid_course_type;
use crate::state::AppState;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use workflows::settings::SettingsOverride;

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsInput {
    pub waitlist_capacity: Option<u32>,
    pub response_window_seconds: Option<u32>,
    pub hold_window_seconds: Option<u32>,
    pub grace_seconds: Option<u32>,
    pub cutoff_seconds: Option<u32>,
    pub compensation_valid_days: Option<u32>,
    pub makeup_cancel_cutoff_seconds: Option<u32>,
    pub extra_requires_compensation: Option<bool>,
    /// credit validity in seconds (finer than `compensation_valid_days`, wins over it)
    pub compensation_valid_seconds: Option<u32>,
    /// reminder lead before a credit expires, seconds (default 2 days)
    pub compensation_reminder_seconds: Option<u32>,
    /// why (written to the audit log)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

const DAY: u32 = 24 * 3600;

impl SettingsInput {
    fn validate(&self) -> Result<SettingsOverride, ApiError> {
        let check = |field: &str, v: Option<u32>, min: u32, max: u32| match v {
            Some(x) if !(min..=max).contains(&x) => Err(ApiError::invalid(
                field,
                format!("{field} 应在 {min}–{max} 之间"),
            )),
            _ => Ok(v),
        };
        Ok(SettingsOverride {
            waitlist_capacity: check("waitlist_capacity", self.waitlist_capacity, 0, 200)?,
            response_window_seconds: check(
                "response_window_seconds",
                self.response_window_seconds,
                1,
                DAY,
            )?,
            hold_window_seconds: check("hold_window_seconds", self.hold_window_seconds, 1, DAY)?,
            grace_seconds: check("grace_seconds", self.grace_seconds, 0, 3600)?,
            cutoff_seconds: check("cutoff_seconds", self.cutoff_seconds, 0, 7 * DAY)?,
            compensation_valid_days: check(
                "compensation_valid_days",
                self.compensation_valid_days,
                1,
                366,
            )?,
            makeup_cancel_cutoff_seconds: check(
                "makeup_cancel_cutoff_seconds",
                self.makeup_cancel_cutoff_seconds,
                0,
                7 * DAY,
            )?,
            extra_requires_compensation: self.extra_requires_compensation,
            compensation_valid_seconds: check(
                "compensation_valid_seconds",
                self.compensation_valid_seconds,
                1,
                366 * DAY,
            )?,
            compensation_reminder_seconds: check(
                "compensation_reminder_seconds",
                self.compensation_reminder_seconds,
                0,
                30 * DAY,
            )?,
        })
    }
}

#[utoipa::path(put, path = "/api/v1/admin/course-types/{course_type}/settings", tag = "admin", security(("bearer" = [])),
    params(("course_type" = String, Path)), request_body = SettingsInput,
    responses((status = 200, body = Envelope<SettingsInput>), (status = 400, description = "value out of range")))]
pub async fn for_course_type(
    State(state): State<AppState>,
    Owner(owner): Owner,
    ApiPath(course_type): ApiPath<String>,
    ApiJson(input): ApiJson<SettingsInput>,
) -> Result<Reply<SettingsInput>, ApiError> {
    if !valid_course_type(&course_type) {
        return Err(ApiError::invalid(
            "course_type",
            "课程类型应为小写字母、数字、_ 或 -",
        ));
    }
    let o = input.validate()?;
    let reason = audit::reason(input.reason.as_deref(), false)?;
    db::settings::upsert(&state.pool, Scope::CourseType(&course_type), &o).await?;
    audit::record_now(
        &state,
        owner,
        Action {
            action: "settings.course_type",
            target_type: "course_type",
            target_id: course_type.clone(),
            reason: reason.as_deref(),
            details: serde_json::to_value(o).unwrap_or_default(),
        },
    )
    .await?;
    tracing::info!(%course_type, ?o, "course-type settings changed");
    Ok(Reply::ok(input).message("设置已保存"))
}

#[utoipa::path(put, path = "/api/v1/admin/courses/{id}/settings", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = SettingsInput,
    responses((status = 200, body = Envelope<SettingsInput>), (status = 404, description = "unknown course")))]
pub async fn for_course(
    State(state): State<AppState>,
    Owner(owner): Owner,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<SettingsInput>,
) -> Result<Reply<SettingsInput>, ApiError> {
    let o = input.validate()?;
    if !db::courses::course_exists(&state.pool, id).await? {
        return Err(ApiError::not_found("课程"));
    }
    let reason = audit::reason(input.reason.as_deref(), false)?;
    db::settings::upsert(&state.pool, Scope::Course(id), &o).await?;
    audit::record_now(
        &state,
        owner,
        Action {
            action: "settings.course",
            target_type: "course",
            target_id: id.to_string(),
            reason: reason.as_deref(),
            details: serde_json::to_value(o).unwrap_or_default(),
        },
    )
    .await?;
    tracing::info!(course_id = id, ?o, "course settings changed");
    Ok(Reply::ok(input).message("设置已保存"))
}
