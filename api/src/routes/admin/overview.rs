//! The console's day views: every session of a date range with seats, queue and open offers
//! (`GET /api/v1/admin/overview`), and a session's history — its offers and every message
//! it caused (`GET /api/v1/admin/sessions/{schedule_id}/{date}/history`).

use crate::auth::extract::{Admin, Parent};
use crate::db;
use crate::envelope::{Envelope, Items, Reply};
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery};
use crate::routes::admin::offers::OfferRow;
use crate::routes::sessions::{date_range, in_club_time, session_items};
use crate::session;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use workflows::SessionKey;

#[derive(Debug, Deserialize, IntoParams)]
pub struct OverviewQuery {
    /// default today (club time)
    pub date_from: Option<NaiveDate>,
    /// default date_from + 6
    pub date_to: Option<NaiveDate>,
    pub course_type: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpenOffer {
    pub workflow_id: String,
    /// broadcast | hold
    pub phase: String,
    pub deadline: Option<DateTime<FixedOffset>>,
    pub seats_open: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverviewSession {
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub session_key: String,
    pub course_id: i64,
    pub course_name: String,
    pub course_type: String,
    pub level: i8,
    pub starts_at: DateTime<FixedOffset>,
    pub coach: String,
    pub location: String,
    pub booked: u32,
    pub capacity: u32,
    pub is_full: bool,
    pub waitlist_count: u32,
    pub waitlist_capacity: u32,
    pub waitlist_open: bool,
    pub cutoff_workflow_id: String,
    pub offers: Vec<OpenOffer>,
}

/// No parent has id 0: the session listing without anyone's own status.
const NOBODY: Parent = Parent { user_id: 0 };

#[utoipa::path(get, path = "/api/v1/admin/overview", tag = "admin", security(("bearer" = [])), params(OverviewQuery),
    responses((status = 200, body = Envelope<Items<OverviewSession>>)))]
pub async fn show(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(q): ApiQuery<OverviewQuery>,
) -> Result<Reply<Items<OverviewSession>>, ApiError> {
    let today = chrono::Utc::now()
        .with_timezone(&state.config.club_tz())
        .date_naive();
    let from = q.date_from.unwrap_or(today);
    let to = q.date_to.unwrap_or(from + chrono::Duration::days(6));
    let (from, to) = date_range(&state, Some(from), Some(to))?;
    let tz = state.config.club_tz();
    let mut offers: HashMap<SessionKey, Vec<OpenOffer>> = HashMap::new();
    for f in db::offers::open_flows_between(&state.pool, from, to).await? {
        offers
            .entry(SessionKey::new(f.course_schedule_id, f.booking_date))
            .or_default()
            .push(OpenOffer {
                workflow_id: f.workflow_id,
                phase: f.phase,
                deadline: f.response_deadline.map(|t| in_club_time(t, tz)),
                seats_open: f.seats_open,
            });
    }
    let ids = state.ids().await?;
    let items = session_items(&state, NOBODY, from, to, q.course_type.as_deref())
        .await?
        .into_iter()
        .map(|s| {
            let key = SessionKey::new(s.course_schedule_id, s.booking_date);
            OverviewSession {
                session_key: key.to_string(),
                cutoff_workflow_id: ids.cutoff(key),
                offers: offers.remove(&key).unwrap_or_default(),
                course_schedule_id: s.course_schedule_id,
                booking_date: s.booking_date,
                course_id: s.course_id,
                course_name: s.course_name,
                course_type: s.course_type,
                level: s.level,
                starts_at: s.starts_at,
                coach: s.coach,
                location: s.location,
                booked: s.booked,
                capacity: s.capacity,
                is_full: s.is_full,
                waitlist_count: s.waitlist_count,
                waitlist_capacity: s.waitlist_capacity,
                waitlist_open: s.waitlist_open,
            }
        })
        .collect();
    Ok(Reply::ok(Items { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BookingItem {
    pub booking_id: i64,
    pub profile_id: i64,
    pub profile_name: String,
    pub user_id: i64,
    pub status: String,
    /// direct | waitlist | makeup
    pub source: String,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferNotice {
    pub id: i64,
    pub waitlist_id: i64,
    pub profile_name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub round: i32,
    pub sent_at: DateTime<FixedOffset>,
    pub deadline: Option<DateTime<FixedOffset>>,
    pub response: Option<String>,
    pub status: String,
    pub offer_workflow_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionMessage {
    pub id: i64,
    pub user_id: i64,
    pub profile_id: Option<i64>,
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub body: String,
    pub wechat_status: String,
    pub wechat_errcode: Option<i32>,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionHistory {
    pub session_key: String,
    pub bookings: Vec<BookingItem>,
    /// newest first, with their workflow ids
    pub offers: Vec<OfferRow>,
    /// the offer rounds each entry was sent (O8)
    pub offer_notices: Vec<OfferNotice>,
    /// every in-app message about the session, with its WeChat result
    pub messages: Vec<SessionMessage>,
}

#[utoipa::path(get, path = "/api/v1/admin/sessions/{schedule_id}/{date}/history", tag = "admin", security(("bearer" = [])),
    params(("schedule_id" = i64, Path), ("date" = NaiveDate, Path)),
    responses((status = 200, body = Envelope<SessionHistory>)))]
pub async fn history(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath((schedule_id, date)): ApiPath<(i64, NaiveDate)>,
) -> Result<Reply<SessionHistory>, ApiError> {
    let s = session::load(&state, schedule_id, date).await?;
    let tz = state.config.club_tz();
    let pool = &state.pool;
    let bookings = db::offers::bookings_of_session(pool, s.key)
        .await?
        .into_iter()
        .map(|b| BookingItem {
            booking_id: b.id,
            profile_id: b.profile_id,
            profile_name: b.profile_name,
            user_id: b.user_id,
            status: b.status,
            source: b.source,
            created_at: in_club_time(b.created_at, tz),
        })
        .collect();
    let offers = db::offers::flows(pool, None, Some(s.key))
        .await?
        .into_iter()
        .map(|f| OfferRow {
            session_key: s.key.to_string(),
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
    let offer_notices = db::offers::notices_of_session(pool, s.key)
        .await?
        .into_iter()
        .map(|n| OfferNotice {
            id: n.id,
            waitlist_id: n.waitlist_id,
            profile_name: n.profile_name,
            kind: n.kind,
            round: n.round,
            sent_at: in_club_time(n.sent_at, tz),
            deadline: n.deadline.map(|t| in_club_time(t, tz)),
            response: n.response,
            status: n.status,
            offer_workflow_id: n.offer_workflow_id,
        })
        .collect();
    let messages = db::families::notifications_of_session(pool, s.key)
        .await?
        .into_iter()
        .map(|n| SessionMessage {
            id: n.id,
            user_id: n.user_id,
            profile_id: n.profile_id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            wechat_status: n.wechat_status,
            wechat_errcode: n.wechat_errcode,
            created_at: in_club_time(n.created_at, tz),
        })
        .collect();
    Ok(Reply::ok(SessionHistory {
        session_key: s.key.to_string(),
        bookings,
        offers,
        offer_notices,
        messages,
    }))
}
