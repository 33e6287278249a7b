//! The `{code, message, data}` envelope of every answer.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Envelope<T> {
    /// HTTP status on success, business code on error (docs/api.md).
    pub code: u32,
    pub message: String,
    pub data: T,
}

/// A successful answer: 200 `操作成功` unless said otherwise.
pub struct Reply<T> {
    status: StatusCode,
    message: String,
    data: T,
}

impl<T: Serialize> Reply<T> {
    pub fn ok(data: T) -> Self {
        Self {
            status: StatusCode::OK,
            message: "操作成功".into(),
            data,
        }
    }

    pub fn created(data: T) -> Self {
        Self {
            status: StatusCode::CREATED,
            message: "创建成功".into(),
            data,
        }
    }

    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }
}

impl<T: Serialize> IntoResponse for Reply<T> {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(Envelope {
                code: u32::from(self.status.as_u16()),
                message: self.message,
                data: self.data,
            }),
        )
            .into_response()
    }
}

/// A list under `data.items`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}
