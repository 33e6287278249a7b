//! `ApiError`: the one place where failures become HTTP answers — status, stable business
//! code and a Chinese message for the parent. Internals are logged, never returned.

use crate::envelope::Envelope;
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::http::header::RETRY_AFTER;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// Stable business codes: the table in docs/api.md lists exactly these (a test reads both).
pub mod codes {
    pub const INVALID_INPUT: u32 = 40000;
    pub const UNAUTHORIZED: u32 = 40100;
    pub const FORBIDDEN: u32 = 40300;
    pub const NOT_FOUND: u32 = 40400;
    pub const CONFLICT: u32 = 40900;
    pub const WAITLIST_FULL: u32 = 40901;
    pub const SESSION_NOT_FULL: u32 = 40902;
    pub const PAST_CUTOFF: u32 = 40903;
    pub const ALREADY_WAITING: u32 = 40904;
    pub const ALREADY_BOOKED: u32 = 40905;
    pub const SESSION_FULL: u32 = 40906;
    pub const SEAT_TAKEN: u32 = 40907;
    pub const NEEDS_ACCEPT_SHORTER: u32 = 40908;
    pub const INSUFFICIENT_CREDIT: u32 = 40909;
    pub const CLASH: u32 = 40910;
    /// a makeup's seat: released through the makeup's own cancel (M5), not the booking routes
    pub const MAKEUP_SEAT: u32 = 40911;
    /// training camps (docs/payments.md)
    pub const CAMP_FULL: u32 = 40920;
    pub const ALREADY_ENROLLED: u32 = 40921;
    pub const NOT_OPEN: u32 = 40922;
    pub const NO_OPENID: u32 = 40923;
    pub const PAY_REFUSED: u32 = 40924;
    pub const GONE: u32 = 41000;
    pub const PAYLOAD_TOO_LARGE: u32 = 41300;
    pub const UNPROCESSABLE: u32 = 42200;
    pub const RATE_LIMITED: u32 = 42900;
    pub const UNAVAILABLE: u32 = 50300;
    pub const INTERNAL: u32 = 50000;
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: a field is missing or out of range.
    #[error("{message}")]
    InvalidInput { field: String, message: String },
    /// 401
    #[error("请先登录")]
    Unauthorized,
    /// 403
    #[error("无权访问")]
    Forbidden,
    /// 403: a staff member asked for what only an owner may do (settings, accounts).
    #[error("仅店主（owner）可以执行此操作")]
    OwnerOnly,
    /// 404: `what` is the kind of thing (profile, session, ...).
    #[error("{what}不存在")]
    NotFound { what: &'static str },
    /// 409 with a business code and the rule's message.
    #[error("{message}")]
    Conflict { code: u32, message: String },
    /// 422: the body could not be parsed at all.
    #[error("{0}")]
    Unprocessable(String),
    /// 413: the body is larger than `API_BODY_LIMIT_BYTES`.
    #[error("请求内容过大")]
    PayloadTooLarge,
    /// 429, with `Retry-After`.
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after_seconds: u64,
    },
    /// A business answer that is not a success but carries data (an offer verdict:
    /// 409 taken, 410 expired).
    #[error("{message}")]
    Verdict {
        status: StatusCode,
        code: u32,
        message: String,
        data: Value,
    },
    /// 503: the database gave up waiting for a lock (a busy session, a deadlock); the
    /// transaction was rolled back and the request can simply be repeated.
    #[error("系统繁忙，请稍后重试")]
    Busy,
    /// 503: a dependency (数据库 / Temporal / 微信) does not answer.
    #[error("{0}暂时不可用，请稍后再试")]
    Unavailable(&'static str),
    /// 500: logged with its cause, answered without it.
    #[error("服务器内部错误")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.to_string(),
            message: message.into(),
        }
    }

    pub fn conflict(code: u32, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(what: &'static str) -> Self {
        Self::NotFound { what }
    }

    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        Self::Internal(e.into())
    }

    fn status_and_code(&self) -> (StatusCode, u32) {
        match self {
            Self::InvalidInput { .. } => (StatusCode::BAD_REQUEST, codes::INVALID_INPUT),
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, codes::UNAUTHORIZED),
            Self::Forbidden | Self::OwnerOnly => (StatusCode::FORBIDDEN, codes::FORBIDDEN),
            Self::NotFound { .. } => (StatusCode::NOT_FOUND, codes::NOT_FOUND),
            Self::Conflict { code, .. } => (StatusCode::CONFLICT, *code),
            Self::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, codes::UNPROCESSABLE),
            Self::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, codes::PAYLOAD_TOO_LARGE),
            Self::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, codes::RATE_LIMITED),
            Self::Verdict { status, code, .. } => (*status, *code),
            Self::Unavailable(_) | Self::Busy => {
                (StatusCode::SERVICE_UNAVAILABLE, codes::UNAVAILABLE)
            }
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, codes::INTERNAL),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        match &self {
            Self::Internal(cause) => tracing::error!(error = ?cause, "request failed"),
            Self::Unavailable(what) => tracing::warn!(dependency = what, "dependency unavailable"),
            _ => tracing::debug!(%code, message = %self, "request refused"),
        }
        let data = match &self {
            Self::InvalidInput { field, .. } => serde_json::json!({ "field": field }),
            Self::Verdict { data, .. } => data.clone(),
            _ => Value::Null,
        };
        let body = Json(Envelope {
            code,
            message: self.to_string(),
            data,
        });
        match self.retry_after_seconds() {
            Some(seconds) => (status, [(RETRY_AFTER, seconds.to_string())], body).into_response(),
            None => (status, body).into_response(),
        }
    }
}

impl ApiError {
    /// `Retry-After` of an answer that is worth repeating: a limit's wait, a busy session
    /// (its lock is released within a second or so), a dependency that is down.
    fn retry_after_seconds(&self) -> Option<u64> {
        match self {
            Self::RateLimited {
                retry_after_seconds,
                ..
            } => Some(*retry_after_seconds),
            Self::Busy => Some(1),
            Self::Unavailable(_) => Some(5),
            _ => None,
        }
    }
}

/// Database failures: unreachable → 503; unique violations → a generic 409 (callers that
/// know which rule a key enforces map it first, see [`on_unique_violation`]); else 500.
impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Tls(_) => Self::Unavailable("数据库"),
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                Self::conflict(codes::CONFLICT, "记录已存在")
            }
            e if platform::database::is_lock_conflict(e) => Self::Busy,
            _ => Self::Internal(e.into()),
        }
    }
}

/// Maps a unique-key violation to the rule's own conflict; other errors as usual.
pub fn on_unique_violation(e: sqlx::Error, conflict: ApiError) -> ApiError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => conflict,
        _ => e.into(),
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        Self::invalid("path", format!("路径参数错误：{}", r.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        let text = r.body_text();
        let detail = text
            .split_once(": ")
            .map(|(_, d)| d)
            .unwrap_or(&text)
            .to_string();
        Self::invalid(
            &field_of_serde_message(&detail),
            format!("查询参数错误：{detail}"),
        )
    }
}

/// Best effort: `missing field `x``, or a `path: message` prefix.
pub(crate) fn field_of_serde_message(detail: &str) -> String {
    if let Some(rest) = detail.split("missing field `").nth(1) {
        return rest.split('`').next().unwrap_or("body").to_string();
    }
    match detail.split_once(": ") {
        Some((path, _)) if !path.contains(' ') => path.to_string(),
        _ => "body".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// `code → name` of every constant in [`codes`], read from this file.
    fn declared_codes() -> BTreeMap<u32, String> {
        let src = include_str!("error.rs");
        let module = src.split("pub mod codes {").nth(1).unwrap();
        let module = module.split("\n}").next().unwrap();
        module
            .lines()
            .filter_map(|l| l.trim().strip_prefix("pub const "))
            .map(|l| {
                let (name, rest) = l.split_once(": u32 = ").unwrap();
                let code = rest.trim_end_matches(';').parse().unwrap();
                (code, name.to_string())
            })
            .collect()
    }

    /// `code → HTTP status` of every row of docs/api.md's business-code table.
    fn documented_codes() -> BTreeMap<u32, u16> {
        let doc = include_str!("../../docs/api.md");
        let table = doc.split("## Business codes").nth(1).unwrap();
        table
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .filter_map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                Some((cells.get(2)?.parse().ok()?, cells.get(1)?.parse().ok()?))
            })
            .collect()
    }

    #[test]
    fn the_code_table_in_docs_lists_exactly_the_codes_with_their_status() {
        let declared = declared_codes();
        let documented = documented_codes();
        assert!(declared.len() > 20, "{declared:?}");
        let missing: Vec<_> = declared
            .iter()
            .filter(|(c, _)| !documented.contains_key(c))
            .collect();
        let stale: Vec<_> = documented
            .keys()
            .filter(|c| !declared.contains_key(c))
            .collect();
        assert!(missing.is_empty(), "codes not in docs/api.md: {missing:?}");
        assert!(
            stale.is_empty(),
            "docs/api.md lists unknown codes: {stale:?}"
        );
        for (code, status) in documented {
            assert_eq!(
                u32::from(status),
                code / 100,
                "{code} is answered with {}",
                code / 100
            );
        }
    }

    #[test]
    fn field_names_come_out_of_serde_messages() {
        assert_eq!(
            field_of_serde_message("missing field `profile_id` at line 1 column 2"),
            "profile_id"
        );
        assert_eq!(
            field_of_serde_message("level: invalid type: string \"a\", expected u8 at line 1"),
            "level"
        );
        assert_eq!(
            field_of_serde_message("expected value at line 1 column 1"),
            "body"
        );
    }
}
