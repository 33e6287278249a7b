//! A parent's children.

use crate::auth::extract::Parent;
use crate::db::{self, profiles::ProfileRow};
use crate::envelope::{Envelope, Items, Reply};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::Created;
use crate::state::AppState;
use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;

#[utoipa::path(operation_id = "profiles_list", get, path = "/api/v1/profiles", tag = "profiles", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Items<ProfileRow>>)))]
pub async fn list(
    State(state): State<AppState>,
    parent: Parent,
) -> Result<Reply<Items<ProfileRow>>, ApiError> {
    let items = db::profiles::list(&state.pool, parent.user_id).await?;
    Ok(Reply::ok(Items { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewProfile {
    /// 1–50 characters, not only blanks (trimmed)
    #[schema(
        min_length = 1,
        max_length = 50,
        pattern = "[^ \\t\\n\\r\\u00a0\\u3000]",
        example = "小明"
    )]
    pub name: String,
    /// gymnastics level 1–10
    #[schema(minimum = 1, maximum = 10, example = 2)]
    pub level: u8,
}

#[utoipa::path(operation_id = "profiles_create", post, path = "/api/v1/profiles", tag = "profiles", security(("bearer" = [])),
    request_body = NewProfile, responses((status = 201, body = Envelope<Created>), (status = 400, description = "invalid field")))]
pub async fn create(
    State(state): State<AppState>,
    parent: Parent,
    ApiJson(req): ApiJson<NewProfile>,
) -> Result<Reply<Created>, ApiError> {
    let name = crate::input::name("name", &req.name, 50, "姓名")?;
    if !(1..=10).contains(&req.level) {
        return Err(ApiError::invalid("level", "等级应为1–10"));
    }
    let id = db::profiles::create(&state.pool, parent.user_id, name, req.level).await?;
    Ok(Reply::created(Created { id }))
}

/// 404 for an unknown profile, 403 for another parent's.
pub async fn ensure_owner(
    state: &AppState,
    parent: Parent,
    profile_id: i64,
) -> Result<(), ApiError> {
    match db::profiles::owner(&state.pool, profile_id).await? {
        None => Err(ApiError::not_found("档案")),
        Some(owner) if owner != parent.user_id => Err(ApiError::Forbidden),
        Some(_) => Ok(()),
    }
}
