//! Staff accounts (owner only): list, create, change role / disable / reset password; and
//! `GET /api/v1/admin/me` for the console (who am I, what may I do, where is Temporal's UI).

use crate::auth::extract::{Admin, Owner};
use crate::auth::password;
use crate::auth::roles::StaffRole;
use crate::db::{self, staff::NewStaff};
use crate::envelope::{Envelope, Items, Reply};
use crate::error::{ApiError, codes, on_unique_violation};
use crate::extract::{ApiJson, ApiPath};
use crate::routes::Created;
use crate::routes::admin::audit::{self, Action};
use crate::routes::sessions::in_club_time;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user_id: i64,
    pub username: String,
    pub role: StaffRole,
    /// `{TEMPORAL_UI_URL}/namespaces/{namespace}/workflows`: append `/{workflow id}`
    pub temporal_ui_workflows: String,
}

#[utoipa::path(operation_id = "staff_me", get, path = "/api/v1/admin/me", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Me>)))]
pub async fn me(State(state): State<AppState>, admin: Admin) -> Result<Reply<Me>, ApiError> {
    let row = db::staff::find(&state.pool, admin.user_id)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(Reply::ok(Me {
        user_id: admin.user_id,
        username: row.username,
        role: admin.role,
        temporal_ui_workflows: format!(
            "{}/namespaces/{}/workflows",
            state.config.console.temporal_ui_url, state.config.common.temporal.namespace
        ),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffView {
    pub id: i64,
    pub username: String,
    pub nickname: Option<String>,
    pub role: StaffRole,
    pub disabled: bool,
    pub created_at: DateTime<FixedOffset>,
}

#[utoipa::path(operation_id = "staff_list", get, path = "/api/v1/admin/staff", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Items<StaffView>>), (status = 403, description = "not an owner")))]
pub async fn list(
    State(state): State<AppState>,
    _owner: Owner,
) -> Result<Reply<Items<StaffView>>, ApiError> {
    let tz = state.config.club_tz();
    let items = db::staff::list(&state.pool)
        .await?
        .into_iter()
        .map(|s| StaffView {
            id: s.id,
            username: s.username,
            nickname: s.nickname,
            role: StaffRole::parse(s.staff_role.as_deref()),
            disabled: s.disabled_at.is_some(),
            created_at: in_club_time(s.created_at, tz),
        })
        .collect();
    Ok(Reply::ok(Items { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaffInput {
    /// 3–32: letters, digits, `.`, `_`, `-`
    #[schema(pattern = "^[A-Za-z0-9._-]{3,32}$", example = "frontdesk")]
    pub username: String,
    /// 10–128 characters
    #[schema(min_length = 10, max_length = 128, example = "a-long-password")]
    pub password: String,
    /// owner | staff
    #[schema(pattern = "^(owner|staff)$", example = "staff")]
    pub role: String,
    #[schema(max_length = 64)]
    pub nickname: Option<String>,
}

fn valid_username(u: &str) -> bool {
    (3..=32).contains(&u.len())
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn check_password(p: &str) -> Result<(), ApiError> {
    if !(10..=128).contains(&p.chars().count()) {
        return Err(ApiError::invalid("password", "密码长度应为10–128个字符"));
    }
    Ok(())
}

fn role_of(input: &str) -> Result<StaffRole, ApiError> {
    StaffRole::from_input(input)
        .ok_or_else(|| ApiError::invalid("role", "role 应为 owner 或 staff"))
}

async fn hash(state: &AppState, password: String) -> Result<String, ApiError> {
    state.limits.hash(move || password::hash(&password)).await
}

#[utoipa::path(operation_id = "staff_create", post, path = "/api/v1/admin/staff", tag = "admin", security(("bearer" = [])), request_body = NewStaffInput,
    responses((status = 201, body = Envelope<Created>), (status = 400, description = "invalid field"),
              (status = 403, description = "not an owner"), (status = 409, description = "username taken")))]
pub async fn create(
    State(state): State<AppState>,
    Owner(owner): Owner,
    ApiJson(input): ApiJson<NewStaffInput>,
) -> Result<Reply<Created>, ApiError> {
    let username = input.username.as_str();
    if !valid_username(username) {
        return Err(ApiError::invalid(
            "username",
            "用户名应为3–32个字母、数字、.、_ 或 -",
        ));
    }
    check_password(&input.password)?;
    let role = role_of(&input.role)?;
    if input
        .nickname
        .as_deref()
        .is_some_and(|n| n.chars().count() > 64)
    {
        return Err(ApiError::invalid("nickname", "昵称最多64个字符"));
    }
    let nickname = input
        .nickname
        .as_deref()
        .map(|n| n.trim_matches(crate::input::BLANKS))
        .filter(|n| !n.is_empty())
        .unwrap_or(username);
    let password_hash = hash(&state, input.password).await?;
    let mut tx = state.pool.begin().await?;
    let id = db::staff::create(
        &mut tx,
        &NewStaff {
            username,
            nickname,
            password_hash: &password_hash,
            role: role.as_str(),
        },
    )
    .await
    .map_err(|e| on_unique_violation(e, ApiError::conflict(codes::CONFLICT, "用户名已存在")))?;
    audit::record(
        &mut tx,
        owner,
        Action {
            action: "staff.create",
            target_type: "user",
            target_id: id.to_string(),
            reason: None,
            details: json!({"username": username, "role": role}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Reply::created(Created { id }).message("账号已创建"))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
/// At least one of `role`, `disabled`, `password` (the document says so: [`crate::openapi`]
/// adds the `anyOf`).
pub struct StaffChange {
    /// owner | staff
    #[schema(pattern = "^(owner|staff)$")]
    pub role: Option<String>,
    pub disabled: Option<bool>,
    /// 10–128 characters
    #[schema(min_length = 10, max_length = 128)]
    pub password: Option<String>,
    #[schema(
        min_length = 2,
        max_length = 500,
        pattern = "[^ \\t\\n\\r\\u00a0\\u3000]"
    )]
    pub reason: Option<String>,
}

#[utoipa::path(put, path = "/api/v1/admin/staff/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = StaffChange,
    responses((status = 200, body = Envelope<Created>), (status = 403, description = "not an owner"),
              (status = 409, description = "would leave no enabled owner")))]
pub async fn update(
    State(state): State<AppState>,
    Owner(owner): Owner,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StaffChange>,
) -> Result<Reply<Created>, ApiError> {
    let role = input.role.as_deref().map(role_of).transpose()?;
    if let Some(p) = &input.password {
        check_password(p)?;
    }
    let reason = audit::reason(input.reason.as_deref(), false)?;
    if role.is_none() && input.disabled.is_none() && input.password.is_none() {
        return Err(ApiError::invalid(
            "role",
            "请至少修改一项：role、disabled 或 password",
        ));
    }
    let target = db::staff::find(&state.pool, id)
        .await?
        .ok_or(ApiError::not_found("账号"))?;
    let password_hash = match input.password {
        Some(p) => Some(hash(&state, p).await?),
        None => None,
    };
    let mut tx = state.pool.begin().await?;
    let demotes_owner = StaffRole::parse(target.staff_role.as_deref()) == StaffRole::Owner
        && (role == Some(StaffRole::Staff) || input.disabled == Some(true));
    if demotes_owner && db::staff::other_owners(&mut tx, id).await? == 0 {
        return Err(ApiError::conflict(
            codes::CONFLICT,
            "至少需要保留一个可用的店主账号",
        ));
    }
    db::staff::update(
        &mut tx,
        id,
        role.map(StaffRole::as_str),
        input.disabled,
        password_hash.as_deref(),
        db::now_millis(),
    )
    .await?;
    audit::record(
        &mut tx,
        owner,
        Action {
            action: "staff.update",
            target_type: "user",
            target_id: id.to_string(),
            reason: reason.as_deref(),
            details: json!({"username": target.username, "role": role, "disabled": input.disabled,
                            "password_changed": password_hash.is_some()}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Reply::ok(Created { id }).message("账号已更新"))
}
