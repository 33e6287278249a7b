//! Business metrics on `/metrics` (issue 14), computed from MySQL (and Temporal) at each
//! scrape so an alert sees the truth, not a counter that drifted: open offers by phase,
//! offers past their deadline, stuck flows, recent WeChat deliveries by result, queue fill
//! ratio of upcoming sessions, credit anomalies. `deploy/alerts.yml` alerts on them.

use crate::auth::extract::Parent;
use crate::metrics::Metrics;
use crate::routes::admin::problems::{
    LATE_OFFER_SECONDS, OVERDUE_CREDIT_SECONDS, STALE_DELIVERY_SECONDS, stuck_flows,
};
use crate::routes::sessions::session_items;
use crate::state::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use chrono::{Duration, Utc};
use std::fmt::Write;

/// Upcoming days whose queues count for the fill ratio.
const QUEUE_DAYS: i64 = 7;

pub async fn endpoint(State((metrics, state)): State<(Metrics, AppState)>) -> impl IntoResponse {
    let mut out = metrics.render();
    match business(&state).await {
        Ok(text) => out.push_str(&text),
        Err(e) => {
            tracing::warn!(error = %e, "business metrics unavailable (database down?)");
            out.push_str("# business metrics unavailable\nwaitlist_metrics_up 0\n");
        }
    }
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        out,
    )
}

fn gauge(out: &mut String, name: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
}

/// Label values are ours (codes and keys), but escape them all the same.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', " ")
}

async fn business(state: &AppState) -> Result<String, crate::error::ApiError> {
    let pool = &state.pool;
    let now = Utc::now();
    let mut out = String::new();
    gauge(
        &mut out,
        "waitlist_metrics_up",
        "1 when the business metrics below could be read.",
    );
    out.push_str("waitlist_metrics_up 1\n");

    let phases: Vec<(String, i64)> = sqlx::query_as(
        "SELECT CAST(phase AS CHAR), COUNT(*) FROM waitlist_flow WHERE phase IN ('broadcast', 'hold') GROUP BY phase",
    )
    .fetch_all(pool)
    .await?;
    gauge(
        &mut out,
        "waitlist_open_offers",
        "Open offers (released seats offered to a queue) by phase.",
    );
    for phase in ["broadcast", "hold"] {
        let n = phases.iter().find(|p| p.0 == phase).map_or(0, |p| p.1);
        let _ = writeln!(out, "waitlist_open_offers{{phase=\"{phase}\"}} {n}");
    }
    let late = crate::db::problems::late_offers(pool, now, LATE_OFFER_SECONDS).await?;
    gauge(
        &mut out,
        "waitlist_offers_past_deadline",
        "Open offers whose deadline passed over a minute ago (stuck).",
    );
    let _ = writeln!(out, "waitlist_offers_past_deadline {}", late.len());

    gauge(
        &mut out,
        "waitlist_stuck_workflows",
        "Running workflows Temporal reports problems for (TemporalReportedProblems); -1 when Temporal cannot be asked.",
    );
    let stuck = stuck_flows(state, 1000).await;
    let _ = writeln!(
        out,
        "waitlist_stuck_workflows {}",
        stuck.map_or(-1, |s| i64::try_from(s.len()).unwrap_or(i64::MAX))
    );

    let recent: Vec<(String, i64)> = sqlx::query_as(
        "SELECT CAST(wechat_status AS CHAR), COUNT(*) FROM notification
          WHERE created_at >= ? - INTERVAL 1 HOUR GROUP BY wechat_status",
    )
    .bind(now)
    .fetch_all(pool)
    .await?;
    gauge(
        &mut out,
        "notification_deliveries_last_hour",
        "Messages written in the last hour: channel in_app (all), wechat by result.",
    );
    let in_app: i64 = recent.iter().map(|r| r.1).sum();
    let _ = writeln!(
        out,
        "notification_deliveries_last_hour{{channel=\"in_app\",result=\"delivered\"}} {in_app}"
    );
    for result in ["pending", "sending", "sent", "no_grant", "failed"] {
        let n = recent.iter().find(|r| r.0 == result).map_or(0, |r| r.1);
        let _ = writeln!(
            out,
            "notification_deliveries_last_hour{{channel=\"wechat\",result=\"{result}\"}} {n}"
        );
    }
    let stale = crate::db::problems::bad_deliveries(pool, now, STALE_DELIVERY_SECONDS)
        .await?
        .iter()
        .filter(|d| d.wechat_status != "failed")
        .count();
    gauge(
        &mut out,
        "notification_wechat_stuck",
        "WeChat sends still pending/sending after 10 minutes.",
    );
    let _ = writeln!(out, "notification_wechat_stuck {stale}");

    let tz = state.config.club_tz();
    let today = now.with_timezone(&tz).date_naive();
    let sessions = session_items(
        state,
        Parent { user_id: 0 },
        today,
        today + Duration::days(QUEUE_DAYS),
        None,
    )
    .await?;
    gauge(
        &mut out,
        "waitlist_queue_fill_ratio",
        "Queue length / waitlist capacity of upcoming sessions (next 7 days) that have a queue.",
    );
    let mut full = 0;
    for s in sessions
        .iter()
        .filter(|s| s.waitlist_count > 0 && s.starts_at.with_timezone(&Utc) > now)
    {
        let ratio = if s.waitlist_capacity == 0 {
            1.0
        } else {
            f64::from(s.waitlist_count) / f64::from(s.waitlist_capacity)
        };
        if ratio >= 1.0 {
            full += 1;
        }
        let _ = writeln!(
            out,
            "waitlist_queue_fill_ratio{{session=\"{}-{}\",course=\"{}\",course_type=\"{}\"}} {ratio:.3}",
            s.course_schedule_id,
            s.booking_date,
            label(&s.course_name),
            label(&s.course_type)
        );
    }
    gauge(
        &mut out,
        "waitlist_full_queues",
        "Upcoming sessions whose queue is at its capacity (候补队列满员).",
    );
    let _ = writeln!(out, "waitlist_full_queues {full}");

    let unbalanced = crate::db::problems::unbalanced_credits(pool).await?.len();
    let overdue = crate::db::problems::overdue_credits(pool, now, OVERDUE_CREDIT_SECONDS)
        .await?
        .len();
    gauge(
        &mut out,
        "credit_anomalies",
        "Credits whose ledger does not add up to their balance (ledger), or still spendable past expiry (overdue).",
    );
    let _ = writeln!(out, "credit_anomalies{{kind=\"ledger\"}} {unbalanced}");
    let _ = writeln!(out, "credit_anomalies{{kind=\"overdue\"}} {overdue}");
    Ok(out)
}
