//! `GET /api/v1/admin/settings`: every ★ setting layer with the value in force (defaults →
//! course type → course), and the data-retention setting; `PUT /api/v1/admin/retention`
//! (owner only) changes how long messages and delivery records are kept.

use crate::auth::extract::{Admin, Owner};
use crate::db;
use crate::envelope::{Envelope, Reply};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::admin::audit::{self, Action};
use crate::state::AppState;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeSet;
use utoipa::ToSchema;
use workflows::settings::{ClassSettings, SettingsOverride};

#[derive(Debug, Serialize, ToSchema)]
pub struct TypeSettings {
    pub course_type: String,
    #[schema(value_type = Object)]
    pub overrides: SettingsOverride,
    #[schema(value_type = Object)]
    pub effective: ClassSettings,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseSettings {
    pub course_id: i64,
    pub course_name: String,
    pub course_type: String,
    #[schema(value_type = Object)]
    pub overrides: SettingsOverride,
    #[schema(value_type = Object)]
    pub effective: ClassSettings,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Retention {
    /// in-app messages and offer delivery records older than this are deleted (1–3650)
    pub max_age_days: u32,
    /// rows per batch (10–10000)
    pub batch_size: u32,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsView {
    #[schema(value_type = Object)]
    pub defaults: ClassSettings,
    pub course_types: Vec<TypeSettings>,
    pub courses: Vec<CourseSettings>,
    pub retention: Retention,
}

#[utoipa::path(get, path = "/api/v1/admin/settings", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Envelope<SettingsView>)))]
pub async fn show(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Reply<SettingsView>, ApiError> {
    let layers = db::settings::all_layers(&state.pool).await?;
    let (by_type, by_course) = (&layers.by_type, &layers.by_course);
    let courses = db::courses::list_courses(&state.pool).await?;
    let types: BTreeSet<String> = by_type
        .keys()
        .cloned()
        .chain(courses.iter().map(|c| c.course_type.clone()))
        .collect();
    let layer = |t: &str| by_type.get(t).copied().unwrap_or_default();
    let (max_age_days, batch_size) = db::retention_setting(&state.pool).await?;
    Ok(Reply::ok(SettingsView {
        defaults: ClassSettings::default(),
        course_types: types
            .iter()
            .map(|t| TypeSettings {
                course_type: t.clone(),
                overrides: layer(t),
                effective: ClassSettings::resolve(&layer(t), &SettingsOverride::default()),
            })
            .collect(),
        courses: courses
            .into_iter()
            .map(|c| {
                let own = by_course.get(&c.id).copied().unwrap_or_default();
                CourseSettings {
                    effective: ClassSettings::resolve(&layer(&c.course_type), &own),
                    overrides: own,
                    course_id: c.id,
                    course_name: c.name,
                    course_type: c.course_type,
                }
            })
            .collect(),
        retention: Retention {
            max_age_days,
            batch_size,
            reason: None,
        },
    }))
}

#[utoipa::path(put, path = "/api/v1/admin/retention", tag = "admin", security(("bearer" = [])), request_body = Retention,
    responses((status = 200, body = Envelope<Retention>), (status = 400, description = "out of range"), (status = 403, description = "not an owner")))]
pub async fn set_retention(
    State(state): State<AppState>,
    Owner(owner): Owner,
    ApiJson(input): ApiJson<Retention>,
) -> Result<Reply<Retention>, ApiError> {
    if !(1..=3650).contains(&input.max_age_days) {
        return Err(ApiError::invalid("max_age_days", "保留天数应为1–3650"));
    }
    if !(10..=10_000).contains(&input.batch_size) {
        return Err(ApiError::invalid("batch_size", "每批条数应为10–10000"));
    }
    let reason = audit::reason(input.reason.as_deref(), false)?;
    let mut tx = state.pool.begin().await?;
    sqlx::query(
        "INSERT INTO retention_setting (id, max_age_days, batch_size) VALUES (1, ?, ?)
         ON DUPLICATE KEY UPDATE max_age_days = VALUES(max_age_days), batch_size = VALUES(batch_size)",
    )
    .bind(input.max_age_days)
    .bind(input.batch_size)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        owner,
        Action {
            action: "settings.retention",
            target_type: "retention",
            target_id: "1".into(),
            reason: reason.as_deref(),
            details: json!({"max_age_days": input.max_age_days, "batch_size": input.batch_size}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Reply::ok(input).message("保留设置已保存"))
}
