//! Extractors whose rejections answer in the envelope (400/413/422), never axum's plain text.

use crate::error::{ApiError, field_of_serde_message};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{Number, Value};

/// JSON body: not JSON (or not sent as JSON) → 422, larger than `API_BODY_LIMIT_BYTES` →
/// 413, a wrong or missing field → 400 naming it. A whole number written as a float (`3.0`)
/// is the integer it is, as JSON Schema's `integer` says.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::Unprocessable(
                "请求体必须是 JSON（Content-Type: application/json）".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::Unprocessable("请求体读取失败".into())
            }
        })?;
        if bytes.len() > state.config.guard.body_limit_bytes {
            return Err(ApiError::PayloadTooLarge);
        }
        let mut value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::Unprocessable(format!("请求体无法解析：{e}")))?;
        whole_numbers_as_integers(&mut value);
        serde_path_to_error::deserialize(value)
            .map(ApiJson)
            .map_err(|e| {
                let detail = e.inner().to_string();
                let path = e.path().to_string();
                let field = if path == "." {
                    field_of_serde_message(&detail)
                } else {
                    path
                };
                ApiError::invalid(&field, format!("参数错误：{field}: {detail}"))
            })
    }
}

/// `application/json` or a `+json` type, parameters aside.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(mime) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = mime.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        || (essence.len() > 5
            && essence.starts_with("application/")
            && essence.to_ascii_lowercase().ends_with("+json"))
}

/// Floats with no fraction that an `i64` holds exactly become integers, everywhere in `v`.
fn whole_numbers_as_integers(v: &mut Value) {
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64() {
                // 2^53: beyond it a float no longer names one integer
                if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
                    #[allow(clippy::cast_possible_truncation)] // whole and within ±2^53
                    let whole = f as i64;
                    *n = Number::from(whole);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

/// Path parameters; a non-numeric id → 400.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// Query string; bad values → 400 naming the parameter.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whole_floats_become_integers_and_others_stay() {
        let mut v = json!({"level": 3.0, "price": 180.5, "ids": [1.0, -2.0], "big": 1e300, "n": 7});
        whole_numbers_as_integers(&mut v);
        assert_eq!(
            v,
            json!({"level": 3, "price": 180.5, "ids": [1, -2], "big": 1e300, "n": 7})
        );
        assert!(v["level"].is_i64());
    }

    #[test]
    fn json_content_types() {
        let with = |t: &str| {
            let mut h = HeaderMap::new();
            h.insert(CONTENT_TYPE, t.parse().unwrap());
            is_json(&h)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(with("application/merge-patch+json"));
        assert!(!with("text/plain"));
        assert!(!with("application/jsonx"));
        assert!(!is_json(&HeaderMap::new()));
    }
}
