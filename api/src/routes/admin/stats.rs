//! `GET /api/v1/admin/stats?date_from&date_to&course_type&course_id`: waitlist conversion,
//! time to fill, notification delivery by channel and result, makeup usage and credit
//! minutes, over a date range (club calendar days; all time when omitted) and optionally one
//! course type or course; with a daily series and a per-course table for the console.

use crate::auth::extract::Admin;
use crate::db::audit::day_range;
use crate::db::stats::{self as q, Filter, MakeupColumn};
use crate::envelope::{Envelope, Reply};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::routes::admin::courses::valid_course_type;
use crate::state::AppState;
use axum::extract::State;
use chrono::{NaiveDate, Offset, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct StatsQuery {
    /// first club day (inclusive)
    pub date_from: Option<NaiveDate>,
    /// last club day (inclusive)
    pub date_to: Option<NaiveDate>,
    pub course_type: Option<String>,
    pub course_id: Option<i64>,
}

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
    /// in_app: delivered; WeChat: pending | sending | sent | no_grant | failed
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
    /// signed sum of staff adjustments
    pub adjusted: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayStats {
    pub date: NaiveDate,
    pub releases: i64,
    pub won: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseStats {
    pub course_id: i64,
    pub course_name: String,
    pub course_type: String,
    pub releases: i64,
    pub offers: i64,
    pub won: i64,
    pub conversion: Option<f64>,
    pub avg_seconds_to_fill: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Stats {
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    pub offers: OfferStats,
    pub waitlist: WaitlistStats,
    pub notifications: Vec<DeliveryRow>,
    /// makeup bookings by status
    pub makeups: Vec<(String, i64)>,
    /// makeup bookings by completion type (full | partial | extra)
    pub makeups_by_completion: Vec<(String, i64)>,
    pub credit_minutes: MinuteStats,
    pub daily: Vec<DayStats>,
    pub by_course: Vec<CourseStats>,
}

/// Conversion: offers won among the offers that have ended (open ones are not decided yet).
pub fn conversion(won: i64, ended: i64) -> Option<f64> {
    (ended > 0).then(|| won as f64 / ended as f64)
}

fn filter(state: &AppState, q: StatsQuery) -> Result<Filter, ApiError> {
    if let (Some(from), Some(to)) = (q.date_from, q.date_to)
        && to < from
    {
        return Err(ApiError::invalid("date_to", "结束日期不能早于开始日期"));
    }
    if let Some(t) = &q.course_type
        && !valid_course_type(t)
    {
        return Err(ApiError::invalid(
            "course_type",
            "课程类型应为小写字母、数字、_ 或 -",
        ));
    }
    let tz = state.config.club_tz();
    let (from, to) = day_range(q.date_from, q.date_to, tz);
    let offset = tz
        .offset_from_utc_datetime(&Utc::now().naive_utc())
        .fix()
        .local_minus_utc();
    Ok(Filter {
        from,
        to,
        course_type: q.course_type,
        course_id: q.course_id,
        day_offset_seconds: i64::from(offset),
    })
}

fn pairs(rows: Vec<q::Counted>) -> Vec<(String, i64)> {
    rows.into_iter().map(|r| (r.key, r.count)).collect()
}

#[utoipa::path(get, path = "/api/v1/admin/stats", tag = "admin", security(("bearer" = [])), params(StatsQuery),
    responses((status = 200, body = Envelope<Stats>), (status = 400, description = "bad range or course type")))]
pub async fn show(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(query): ApiQuery<StatsQuery>,
) -> Result<Reply<Stats>, ApiError> {
    let (date_from, date_to) = (query.date_from, query.date_to);
    let f = filter(&state, query)?;
    let pool = &state.pool;
    let flows = q::flows_by_phase(pool, &f).await?;
    let phase = |p: &str| {
        flows
            .iter()
            .filter(|g| g.phase == p)
            .map(|g| g.flows)
            .sum::<i64>()
    };
    let releases: i64 = flows.iter().map(|g| g.flows).sum();
    let offers = releases - flows.iter().map(|g| g.no_offer).sum::<i64>();
    let (won, open) = (phase("won"), phase("broadcast") + phase("hold"));
    let avg_fill = flows
        .iter()
        .find(|g| g.phase == "won")
        .and_then(|g| g.avg_fill_seconds);
    let queue = pairs(q::queue_by_status(pool, &f).await?);
    let status = |s: &str| queue.iter().filter(|w| w.0 == s).map(|w| w.1).sum::<i64>();
    let deliveries = q::deliveries(pool, &f).await?;
    let mut notifications = vec![DeliveryRow {
        channel: "in_app".into(),
        status: "delivered".into(),
        errcode: None,
        count: deliveries.iter().map(|d| d.count).sum(),
    }];
    notifications.extend(
        deliveries
            .into_iter()
            .filter(|d| d.wechat_status != "disabled")
            .map(|d| DeliveryRow {
                channel: "wechat".into(),
                status: d.wechat_status,
                errcode: d.wechat_errcode,
                count: d.count,
            }),
    );
    let minutes = pairs(q::minutes_by_kind(pool, &f).await?);
    let kind = |k: &str| {
        minutes
            .iter()
            .filter(|m| m.0 == k)
            .map(|m| m.1)
            .sum::<i64>()
    };
    Ok(Reply::ok(Stats {
        date_from,
        date_to,
        offers: OfferStats {
            releases,
            offers,
            won,
            exhausted: phase("exhausted"),
            cutoff: phase("cutoff"),
            open,
            conversion: conversion(won, offers - open),
            avg_seconds_to_fill: avg_fill,
        },
        waitlist: WaitlistStats {
            waiting: status("waiting") + status("notified"),
            confirmed: status("confirmed"),
            expired: status("expired"),
            cancelled: status("cancelled"),
        },
        notifications,
        makeups: pairs(q::makeups_by(pool, &f, MakeupColumn::Status).await?),
        makeups_by_completion: pairs(q::makeups_by(pool, &f, MakeupColumn::CompletionType).await?),
        credit_minutes: MinuteStats {
            created: kind("created"),
            used: kind("used"),
            restored: kind("restored"),
            expired: kind("expired"),
            revoked: kind("revoked"),
            adjusted: kind("adjusted"),
        },
        daily: q::flows_by_day(pool, &f)
            .await?
            .into_iter()
            .map(|d| DayStats {
                date: d.day,
                releases: d.releases,
                won: d.won,
            })
            .collect(),
        by_course: q::flows_by_course(pool, &f)
            .await?
            .into_iter()
            .map(|c| CourseStats {
                conversion: conversion(c.won, c.ended),
                course_id: c.course_id,
                course_name: c.course_name,
                course_type: c.course_type,
                releases: c.releases,
                offers: c.offers,
                won: c.won,
                avg_seconds_to_fill: c.avg_fill_seconds,
            })
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn conversion_counts_ended_offers_only() {
        assert_eq!(super::conversion(0, 0), None);
        assert_eq!(super::conversion(1, 4), Some(0.25));
    }
}
