//! The audit log: `GET /api/v1/admin/audit`, and the helpers every staff action uses to
//! write its entry (who, when, what, why) in its own transaction.

use crate::auth::extract::Admin;
use crate::db::{self, audit::Filter, audit::NewEntry};
use crate::envelope::{Envelope, Items, Reply};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::routes::sessions::in_club_time;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::MySqlConnection;
use utoipa::{IntoParams, ToSchema};

/// The reason a staff member gives: trimmed, 2–500 characters; `required` actions refuse
/// without one (400 naming `reason`).
pub fn reason(input: Option<&str>, required: bool) -> Result<Option<String>, ApiError> {
    let text = input.map(str::trim).filter(|t| !t.is_empty());
    match text {
        None if required => Err(ApiError::invalid("reason", "请填写操作原因")),
        None => Ok(None),
        Some(t) if t.chars().count() < 2 || t.chars().count() > 500 => {
            Err(ApiError::invalid("reason", "操作原因应为2–500个字符"))
        }
        Some(t) => Ok(Some(t.to_string())),
    }
}

/// What a staff action did, for its audit entry.
pub struct Action<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: String,
    pub reason: Option<&'a str>,
    pub details: Value,
}

/// Writes the entry of `admin`'s action inside the caller's transaction; returns its id.
pub async fn record(
    conn: &mut MySqlConnection,
    admin: Admin,
    a: Action<'_>,
) -> Result<i64, ApiError> {
    Ok(db::audit::write(
        conn,
        &NewEntry {
            staff_user_id: admin.user_id,
            action: a.action,
            target_type: a.target_type,
            target_id: a.target_id,
            reason: a.reason,
            details: a.details,
            at: db::now_millis(),
        },
    )
    .await?)
}

/// Writes one entry in a transaction of its own (actions whose change happened elsewhere,
/// e.g. inside a workflow).
pub async fn record_now(state: &AppState, admin: Admin, a: Action<'_>) -> Result<i64, ApiError> {
    let mut conn = state.pool.acquire().await?;
    record(&mut conn, admin, a).await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    pub staff_user_id: Option<i64>,
    /// e.g. queue.remove, credit.adjust, makeup.book, settings.course_type
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    /// 1–500, default 100
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub staff_user_id: i64,
    pub staff_username: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub reason: Option<String>,
    #[schema(value_type = Object)]
    pub details: Value,
    pub at: DateTime<FixedOffset>,
}

#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, description = "newest first", body = Envelope<Items<AuditEntry>>)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Reply<Items<AuditEntry>>, ApiError> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid("limit", "limit 应为1–500"));
    }
    let tz = state.config.club_tz();
    let (from, to) = db::audit::day_range(q.date_from, q.date_to, tz);
    let filter = Filter {
        staff_user_id: q.staff_user_id,
        action: q.action,
        target_type: q.target_type,
        target_id: q.target_id,
        from,
        to,
        limit,
    };
    let items = db::audit::list(&state.pool, &filter)
        .await?
        .into_iter()
        .map(|e| AuditEntry {
            id: e.id,
            staff_user_id: e.staff_user_id,
            staff_username: e.staff_username,
            action: e.action,
            target_type: e.target_type,
            target_id: e.target_id,
            reason: e.reason,
            details: e
                .details
                .and_then(|d| serde_json::from_str(&d).ok())
                .unwrap_or(Value::Null),
            at: in_club_time(e.at, tz),
        })
        .collect();
    Ok(Reply::ok(Items { items }))
}

#[cfg(test)]
mod tests {
    use super::reason;

    #[test]
    fn a_required_reason_must_be_given_and_fit() {
        assert!(reason(None, true).is_err());
        assert!(reason(Some("  "), true).is_err());
        assert!(reason(Some("x"), true).is_err());
        assert_eq!(
            reason(Some(" 家长来电 "), true).unwrap().as_deref(),
            Some("家长来电")
        );
        assert_eq!(reason(None, false).unwrap(), None);
        assert!(reason(Some(&"长".repeat(501)), false).is_err());
    }
}
