//! Parent login (WeChat `code2Session`, or dev codes outside production) and admin login.

use crate::auth::jwt::{ADMIN_TOKEN_TTL, PARENT_TOKEN_TTL, Role};
use crate::auth::password;
use crate::db;
use crate::envelope::{Envelope, Reply};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// The code from `wx.login`.
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginReply {
    pub token: String,
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Envelope<LoginReply>), (status = 400, description = "invalid code"),
              (status = 429, description = "WeChat rate limit"), (status = 503, description = "WeChat unavailable")))]
pub async fn parent_login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Reply<LoginReply>, ApiError> {
    let code = req.code.trim();
    if code.is_empty() || code.len() > 128 {
        return Err(ApiError::invalid("code", "登录凭证不能为空"));
    }
    let user_id = match &state.config.wechat.credentials {
        Some(creds) => {
            let identity = state.wechat_login.code2session(creds, code).await?;
            db::users::upsert_parent(
                &state.pool,
                &identity.openid,
                identity.unionid.as_deref(),
                identity.session_key.as_deref(),
            )
            .await?
        }
        // Dev login: only reachable outside production (the config refuses production
        // without WeChat credentials). The same code always maps to the same parent.
        None => db::users::upsert_parent(&state.pool, &format!("dev:{code}"), None, None).await?,
    };
    let (token, expires_at) = state.jwt.issue(user_id, Role::Parent, PARENT_TOKEN_TTL);
    Ok(Reply::ok(LoginReply {
        token,
        user_id,
        expires_at,
    })
    .message("登录成功"))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AdminLoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminLoginReply {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

#[utoipa::path(post, path = "/api/v1/admin/login", tag = "admin", request_body = AdminLoginRequest,
    responses((status = 200, body = Envelope<AdminLoginReply>), (status = 401, description = "wrong credentials")))]
pub async fn admin_login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<AdminLoginRequest>,
) -> Result<Reply<AdminLoginReply>, ApiError> {
    let found = db::users::find_admin(&state.pool, req.username.trim()).await?;
    // Verify against a dummy hash when the user is unknown, so timing does not tell.
    let (user_id, hash) = found.unwrap_or((0, DUMMY_HASH.to_string()));
    let ok = tokio::task::spawn_blocking(move || password::verify(&req.password, &hash))
        .await
        .map_err(ApiError::internal)?;
    if !ok || user_id == 0 {
        return Err(ApiError::Unauthorized);
    }
    let (token, expires_at) = state.jwt.issue(user_id, Role::Admin, ADMIN_TOKEN_TTL);
    Ok(Reply::ok(AdminLoginReply { token, expires_at }).message("登录成功"))
}

const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2nI9nuWx0FHxfm9PUE8W3YqzKWsNoWkXIbyG0lB5wXU";
