//! `GET /api/v1/admin/stats`: waitlist conversion, time to fill, notification delivery by
//! channel and error code, makeup usage and credit minutes.

use crate::auth::extract::Admin;
use crate::envelope::{Envelope, Reply};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use serde::Serialize;
use sqlx::MySqlPool;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferStats {
    /// every release recorded (cancel, leave, capacity)
    pub releases: i64,
    /// releases that made an offer to the queue
    pub offers: i64,
    pub won: i64,
    /// queue ran out (or nobody was waiting) before a confirm
    pub exhausted: i64,
    pub cutoff: i64,
    pub open: i64,
    /// won / offers that have ended
    pub conversion: Option<f64>,
    /// average seconds from release to the winning confirm
    pub avg_seconds_to_fill: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WaitlistStats {
    pub waiting: i64,
    pub confirmed: i64,
    pub expired: i64,
    pub cancelled: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryRow {
    /// in_app | wechat
    pub channel: String,
    /// for WeChat: pending | sending | sent | no_grant | failed | disabled
    pub status: String,
    pub errcode: Option<i32>,
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MinuteStats {
    pub created: i64,
    pub used: i64,
    pub restored: i64,
    pub expired: i64,
    pub revoked: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Stats {
    pub offers: OfferStats,
    pub waitlist: WaitlistStats,
    pub notifications: Vec<DeliveryRow>,
    /// makeup bookings by status
    pub makeups: Vec<(String, i64)>,
    pub credit_minutes: MinuteStats,
}

async fn count(pool: &MySqlPool, sql: &str) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(pool).await?;
    Ok(n)
}

#[utoipa::path(get, path = "/api/v1/admin/stats", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Stats>)))]
pub async fn show(State(state): State<AppState>, _admin: Admin) -> Result<Reply<Stats>, ApiError> {
    let pool = &state.pool;
    let flows: Vec<(String, i64, Option<String>)> = sqlx::query_as(
        "SELECT CAST(phase AS CHAR), COUNT(*), CAST(MAX(expiration_reason) AS CHAR) FROM waitlist_flow GROUP BY phase",
    )
    .fetch_all(pool)
    .await?;
    let phase = |p: &str| flows.iter().filter(|f| f.0 == p).map(|f| f.1).sum::<i64>();
    let releases = flows.iter().map(|f| f.1).sum::<i64>();
    let no_offer = count(
        pool,
        "SELECT COUNT(*) FROM waitlist_flow WHERE response_deadline IS NULL",
    )
    .await?;
    let offers = releases - no_offer;
    let (won, open) = (phase("won"), phase("broadcast") + phase("hold"));
    let ended = offers - open;
    let (avg_fill,): (Option<f64>,) = sqlx::query_as(
        "SELECT CAST(AVG(TIMESTAMPDIFF(MICROSECOND, flow_start_time, flow_completion_time)) / 1000000 AS DOUBLE)
           FROM waitlist_flow WHERE phase = 'won'",
    )
    .fetch_one(pool)
    .await?;
    let waitlist: Vec<(String, i64)> =
        sqlx::query_as("SELECT CAST(status AS CHAR), COUNT(*) FROM waitlist GROUP BY status")
            .fetch_all(pool)
            .await?;
    let status = |s: &str| {
        waitlist
            .iter()
            .filter(|w| w.0 == s)
            .map(|w| w.1)
            .sum::<i64>()
    };
    let mut notifications = vec![DeliveryRow {
        channel: "in_app".into(),
        status: "delivered".into(),
        errcode: None,
        count: count(pool, "SELECT COUNT(*) FROM notification").await?,
    }];
    let wechat: Vec<(String, Option<i32>, i64)> = sqlx::query_as(
        "SELECT CAST(wechat_status AS CHAR), wechat_errcode, COUNT(*) FROM notification
          WHERE wechat_status <> 'disabled' GROUP BY wechat_status, wechat_errcode ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await?;
    notifications.extend(
        wechat
            .into_iter()
            .map(|(status, errcode, count)| DeliveryRow {
                channel: "wechat".into(),
                status,
                errcode,
                count,
            }),
    );
    let makeups: Vec<(String, i64)> =
        sqlx::query_as("SELECT CAST(status AS CHAR), COUNT(*) FROM makeup_booking GROUP BY status")
            .fetch_all(pool)
            .await?;
    let ledger: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT CAST(kind AS CHAR), CAST(SUM(minutes) AS SIGNED) FROM compensation_ledger GROUP BY kind",
    )
    .fetch_all(pool)
    .await?;
    let minutes = |k: &str| {
        ledger
            .iter()
            .filter(|l| l.0 == k)
            .filter_map(|l| l.1)
            .sum::<i64>()
    };
    Ok(Reply::ok(Stats {
        offers: OfferStats {
            releases,
            offers,
            won,
            exhausted: phase("exhausted"),
            cutoff: phase("cutoff"),
            open,
            conversion: (ended > 0).then(|| won as f64 / ended as f64),
            avg_seconds_to_fill: avg_fill,
        },
        waitlist: WaitlistStats {
            waiting: status("waiting") + status("notified"),
            confirmed: status("confirmed"),
            expired: status("expired"),
            cancelled: status("cancelled"),
        },
        notifications,
        makeups,
        credit_minutes: MinuteStats {
            created: minutes("created"),
            used: minutes("used"),
            restored: minutes("restored"),
            expired: minutes("expired"),
            revoked: minutes("revoked"),
        },
    }))
}
