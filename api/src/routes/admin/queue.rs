//! `POST /api/v1/admin/waitlist/{id}/remove {reason}`: staff take an entry out of a queue.
//! It behaves like the parent leaving (the entry ends, positions close up because they are
//! computed, every open offer of the session is told so a hold passes on), with reason
//! `manual_cancel`, an audit entry, and a message to the parent.

use crate::auth::extract::Admin;
use crate::db::{self, messages::Outgoing};
use crate::envelope::{Envelope, Reply};
use crate::error::{ApiError, codes};
use crate::extract::{ApiJson, ApiPath};
use crate::flows;
use crate::routes::admin::audit::{self, Action};
use crate::routes::admin::messages::{deliver, session_data, wechat_keys, wechat_part};
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::MySqlConnection;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveInput {
    /// why (2–500 characters); the parent is told it
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Removed {
    pub waitlist_id: i64,
    pub status: &'static str,
    pub audit_id: i64,
}

/// Ends an active entry as staff's removal; false when it was no longer active. The same
/// change as the parent's leave (W5), with the staff reason code.
pub async fn end_entry(
    conn: &mut MySqlConnection,
    id: i64,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(&format!(
        "UPDATE waitlist SET status = 'cancelled', expiration_reason = 'manual_cancel', ended_at = ?
          WHERE id = ? AND status IN {}",
        db::waitlist::ACTIVE
    ))
    .bind(at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[utoipa::path(post, path = "/api/v1/admin/waitlist/{id}/remove", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = RemoveInput,
    responses((status = 200, body = Envelope<Removed>), (status = 400, description = "no reason"),
              (status = 404, description = "unknown entry"), (status = 409, description = "no longer waiting")))]
pub async fn remove(
    State(state): State<AppState>,
    admin: Admin,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RemoveInput>,
) -> Result<Reply<Removed>, ApiError> {
    let reason = audit::reason(input.reason.as_deref(), true)?.unwrap_or_default();
    let entry = db::waitlist::find(&state.pool, id)
        .await?
        .ok_or(ApiError::not_found("候补记录"))?;
    let key = entry.session();
    let mut tx = state.pool.begin().await?;
    db::sessions::lock(&mut tx, key).await?;
    if !end_entry(&mut tx, id, db::now_millis()).await? {
        return Err(ApiError::conflict(
            codes::CONFLICT,
            "该候补已结束，无法移出",
        ));
    }
    let audit_id = audit::record(
        &mut tx,
        admin,
        Action {
            action: "queue.remove",
            target_type: "waitlist",
            target_id: id.to_string(),
            reason: Some(&reason),
            details: json!({"session": key.to_string(), "profile_id": entry.profile_id,
                            "profile_name": entry.profile_name, "position": entry.position}),
        },
    )
    .await?;
    let title = "已移出候补队列";
    let body = format!(
        "{}（{}）：{}已被工作人员移出候补队列。原因：{reason}",
        entry.course_name, entry.booking_date, entry.profile_name
    );
    let message = Outgoing {
        user_id: entry.user_id,
        profile_id: Some(entry.profile_id),
        kind: "waitlist_removed".into(),
        title: title.into(),
        wechat: wechat_part(
            &state,
            &entry.course_name,
            Some(entry.starts_at),
            "已被移出候补队列",
        ),
        body,
        data: session_data(key, Some(id), audit_id),
        dedupe_key: format!("waitlist_removed/{id}"),
    };
    db::messages::insert(&mut tx, &message).await?;
    tx.commit().await?;
    tracing::info!(waitlist_id = id, session = %key, audit_id, "staff removed a queue entry");
    // As when the parent leaves: a holder's seat passes on at once, every open offer hears it.
    for workflow_id in db::offers::open_offers(&state.pool, key).await? {
        flows::tell_offer_entry_left(&state, &workflow_id, id).await;
    }
    deliver(
        &state,
        audit_id,
        wechat_keys(std::slice::from_ref(&message)),
    )
    .await;
    Ok(Reply::ok(Removed {
        waitlist_id: id,
        status: "cancelled",
        audit_id,
    })
    .message("已移出候补队列，并已通知家长"))
}
