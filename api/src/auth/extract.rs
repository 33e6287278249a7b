//! `Parent`, `Admin` and `Owner` extractors: a valid bearer token of the right role, else
//! 401/403. A staff token is checked against its account on every request, so a disabled
//! account or a changed role takes effect at once.

use crate::auth::jwt::Role;
use crate::auth::roles::StaffRole;
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

/// A signed-in parent.
#[derive(Debug, Clone, Copy)]
pub struct Parent {
    pub user_id: i64,
}

/// A signed-in staff member (owner or staff).
#[derive(Debug, Clone, Copy)]
pub struct Admin {
    pub user_id: i64,
    pub role: StaffRole,
}

/// A signed-in owner: settings and staff accounts (staff get 403).
#[derive(Debug, Clone, Copy)]
pub struct Owner(pub Admin);

fn claims(parts: &Parts, state: &AppState) -> Result<(i64, Role), ApiError> {
    let header = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(ApiError::Unauthorized)?;
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .ok_or(ApiError::Unauthorized)?;
    let claims = state
        .jwt
        .verify(token.trim())
        .ok_or(ApiError::Unauthorized)?;
    Ok((claims.sub, claims.role))
}

impl FromRequestParts<AppState> for Parent {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match claims(parts, state)? {
            (user_id, Role::Parent) => Ok(Parent { user_id }),
            _ => Err(ApiError::Forbidden),
        }
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user_id = match claims(parts, state)? {
            (user_id, Role::Admin) => user_id,
            _ => return Err(ApiError::Forbidden),
        };
        let account = db::staff::find(&state.pool, user_id)
            .await?
            .filter(|a| a.disabled_at.is_none())
            .ok_or(ApiError::Unauthorized)?;
        Ok(Admin {
            user_id,
            role: StaffRole::parse(account.staff_role.as_deref()),
        })
    }
}

impl FromRequestParts<AppState> for Owner {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let admin = Admin::from_request_parts(parts, state).await?;
        match admin.role {
            StaffRole::Owner => Ok(Owner(admin)),
            StaffRole::Staff => Err(ApiError::OwnerOnly),
        }
    }
}
