//! Parent login (WeChat `code2Session`, or dev codes outside production) and admin login.

use crate::auth::jwt::{ADMIN_TOKEN_TTL, PARENT_TOKEN_TTL, Role};
use crate::auth::password;
use crate::db;
use crate::envelope::{Envelope, Reply};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::limits::{ClientIp, refused};
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// The code from `wx.login` (printable ASCII, no spaces).
    #[schema(
        min_length = 1,
        max_length = 60,
        pattern = "^[!-~]+$",
        example = "081Kq0Ga1ExAbc2ZsIGa1Lsy3x3Kq0GK"
    )]
    pub code: String,
}

/// wx.login codes are 32 characters; a dev code becomes the openid `dev:<code>` (64 at most).
const MAX_CODE: usize = 60;

/// `code` as [`LoginRequest`] declares it.
fn valid_code(code: &str) -> bool {
    (1..=MAX_CODE).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_graphic())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginReply {
    pub token: String,
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Envelope<LoginReply>),
              (status = 400, description = "40000: the code is empty or malformed, or WeChat refused it (40029 invalid / 40163 used)"),
              (status = 429, description = "42900: too many logins from this address (RATE_LIMIT_PARENT_LOGIN_PER_MINUTE), or WeChat's own limit"),
              (status = 503, description = "50300: WeChat or the database does not answer")))]
pub async fn parent_login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Reply<LoginReply>, ApiError> {
    state.limits.parent_login.check(&ip).map_err(refused)?;
    let code = req.code.as_str();
    if !valid_code(code) {
        return Err(ApiError::invalid("code", "登录凭证格式不正确"));
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
    #[schema(min_length = 1, max_length = 64, example = "admin")]
    pub username: String,
    #[schema(min_length = 1, max_length = 256, example = "admin")]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminLoginReply {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

#[utoipa::path(post, path = "/api/v1/admin/login", tag = "admin", request_body = AdminLoginRequest,
    responses((status = 200, body = Envelope<AdminLoginReply>),
              (status = 401, description = "40100: wrong username or password, or a disabled account"),
              (status = 429, description = "42900: too many logins from this address (RATE_LIMIT_ADMIN_LOGIN_PER_MINUTE)")))]
pub async fn admin_login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<AdminLoginRequest>,
) -> Result<Reply<AdminLoginReply>, ApiError> {
    state.limits.admin_login.check(&ip).map_err(refused)?;
    let username = req.username.trim();
    if username.is_empty() || username.chars().count() > 64 {
        return Err(ApiError::invalid("username", "请输入用户名"));
    }
    if req.password.is_empty() || req.password.chars().count() > 256 {
        return Err(ApiError::invalid(
            "password",
            "请输入密码（不超过256个字符）",
        ));
    }
    let found = db::users::find_admin(&state.pool, username).await?;
    // Verify against a dummy hash when the user is unknown, so timing does not tell.
    let (user_id, hash) = found.unwrap_or((0, DUMMY_HASH.to_string()));
    let password = req.password;
    let ok = state
        .limits
        .hash(move || password::verify(&password, &hash))
        .await?;
    if !ok || user_id == 0 {
        return Err(ApiError::Unauthorized);
    }
    let (token, expires_at) = state.jwt.issue(user_id, Role::Admin, ADMIN_TOKEN_TTL);
    Ok(Reply::ok(AdminLoginReply { token, expires_at }).message("登录成功"))
}

const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2nI9nuWx0FHxfm9PUE8W3YqzKWsNoWkXIbyG0lB5wXU";
