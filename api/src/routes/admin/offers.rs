//! `GET /api/v1/admin/offers?state=`: offers with their Temporal workflow ids and phase.

use crate::auth::extract::Admin;
use crate::db;
use crate::envelope::{Envelope, Items, Reply};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::routes::sessions::in_club_time;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use workflows::SessionKey;

const PHASES: [&str; 5] = ["broadcast", "hold", "won", "exhausted", "cutoff"];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OfferQuery {
    /// broadcast | hold | won | exhausted | cutoff
    #[param(pattern = "^(broadcast|hold|won|exhausted|cutoff)$")]
    pub state: Option<String>,
    pub course_schedule_id: Option<i64>,
    pub booking_date: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferRow {
    /// open it in the Temporal UI: /namespaces/<ns>/workflows/<workflow_id>
    pub workflow_id: String,
    pub session_key: String,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    /// cancel | leave | capacity
    pub release_reason: String,
    pub seats: i32,
    pub seats_open: i32,
    pub phase: String,
    pub started_at: DateTime<FixedOffset>,
    pub deadline: Option<DateTime<FixedOffset>>,
    pub completed_at: Option<DateTime<FixedOffset>>,
    pub expiration_reason: Option<String>,
    pub winner_waitlist_id: Option<i64>,
    pub holder_waitlist_id: Option<i64>,
}

#[utoipa::path(operation_id = "offers_list", get, path = "/api/v1/admin/offers", tag = "admin", security(("bearer" = [])), params(OfferQuery),
    responses((status = 200, body = Envelope<Items<OfferRow>>)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(q): ApiQuery<OfferQuery>,
) -> Result<Reply<Items<OfferRow>>, ApiError> {
    if let Some(p) = &q.state
        && !PHASES.contains(&p.as_str())
    {
        return Err(ApiError::invalid(
            "state",
            format!("state 应为 {}", PHASES.join(" | ")),
        ));
    }
    let session = match (q.course_schedule_id, q.booking_date) {
        (Some(id), Some(date)) => Some(SessionKey::new(id, date)),
        (None, None) => None,
        _ => {
            return Err(ApiError::invalid(
                "booking_date",
                "course_schedule_id 与 booking_date 需同时提供",
            ));
        }
    };
    let tz = state.config.club_tz();
    let items = db::offers::flows(&state.pool, q.state.as_deref(), session)
        .await?
        .into_iter()
        .map(|f| OfferRow {
            session_key: SessionKey::new(f.course_schedule_id, f.booking_date).to_string(),
            workflow_id: f.workflow_id,
            course_schedule_id: f.course_schedule_id,
            booking_date: f.booking_date,
            release_reason: f.release_reason,
            seats: f.seats,
            seats_open: f.seats_open,
            phase: f.phase,
            started_at: in_club_time(f.flow_start_time, tz),
            deadline: f.response_deadline.map(|t| in_club_time(t, tz)),
            completed_at: f.flow_completion_time.map(|t| in_club_time(t, tz)),
            expiration_reason: f.expiration_reason,
            winner_waitlist_id: f.winner_waitlist_id,
            holder_waitlist_id: f.holder_waitlist_id,
        })
        .collect();
    Ok(Reply::ok(Items { items }))
}
