//! Extractors whose rejections answer in the envelope (400/422), never axum's plain text.

use crate::error::ApiError;
use axum::extract::{FromRequest, FromRequestParts};

/// JSON body; syntax errors → 422, wrong/missing fields → 400 naming the field.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// Path parameters; a non-numeric id → 400.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// Query string; bad values → 400 naming the parameter.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);
