//! `Parent` and `Admin` extractors: a valid bearer token of the right role, else 401/403.

use crate::auth::jwt::Role;
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

/// A signed-in staff member.
#[derive(Debug, Clone, Copy)]
pub struct Admin {
    pub user_id: i64,
}

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
        match claims(parts, state)? {
            (user_id, Role::Admin) => Ok(Admin { user_id }),
            _ => Err(ApiError::Forbidden),
        }
    }
}
