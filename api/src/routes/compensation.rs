//! Minute credits (M6, M7): what a parent's children can spend, and the ledger.

use crate::auth::extract::Parent;
use crate::db;
use crate::envelope::{Envelope, Items, Reply};
use crate::error::ApiError;
use crate::routes::sessions::in_club_time;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct CreditView {
    pub id: i64,
    pub profile_id: i64,
    pub remaining_minutes: i32,
    pub expires_at: DateTime<FixedOffset>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Balance {
    pub total_minutes: i64,
    /// earliest expiry first: the order they are spent in
    pub credits: Vec<CreditView>,
}

#[utoipa::path(get, path = "/api/v1/compensation/balance", tag = "compensation", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Balance>)))]
pub async fn balance(
    State(state): State<AppState>,
    parent: Parent,
) -> Result<Reply<Balance>, ApiError> {
    let tz = state.config.club_tz();
    let credits: Vec<CreditView> =
        db::makeup::credits_of_parent(&state.pool, parent.user_id, Utc::now())
            .await?
            .into_iter()
            .map(|c| CreditView {
                id: c.id,
                profile_id: c.profile_id,
                remaining_minutes: c.remaining_minutes,
                expires_at: in_club_time(c.expiry_time, tz),
            })
            .collect();
    let total_minutes = credits.iter().map(|c| i64::from(c.remaining_minutes)).sum();
    Ok(Reply::ok(Balance {
        total_minutes,
        credits,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerEntry {
    pub credit_id: i64,
    pub profile_id: i64,
    /// created | used | restored | expired | revoked
    pub kind: String,
    pub minutes: i32,
    pub at: DateTime<FixedOffset>,
    pub makeup_booking_id: Option<i64>,
}

#[utoipa::path(operation_id = "compensation_history", get, path = "/api/v1/compensation/history", tag = "compensation", security(("bearer" = [])),
    responses((status = 200, description = "newest first", body = Envelope<Items<LedgerEntry>>)))]
pub async fn history(
    State(state): State<AppState>,
    parent: Parent,
) -> Result<Reply<Items<LedgerEntry>>, ApiError> {
    let tz = state.config.club_tz();
    let items = db::makeup::ledger_of_parent(&state.pool, parent.user_id)
        .await?
        .into_iter()
        .map(|l| LedgerEntry {
            credit_id: l.credit_id,
            profile_id: l.profile_id,
            kind: l.kind,
            minutes: l.minutes,
            at: in_club_time(l.at, tz),
            makeup_booking_id: l.makeup_booking_id,
        })
        .collect();
    Ok(Reply::ok(Items { items }))
}
