//! Offer fan-out benchmark: how long from a released seat (a cancellation through the API)
//! until every waiting parent's `spot_available` notification is recorded — for one session
//! and for 50 sessions released at once — next to the floor of the same Temporal server (a
//! workflow doing one no-op activity). Prints a table; asserts nothing.
//!
//! `cargo bench -p tests --bench offer_fanout` (uses the e2e harness: its own Temporal dev
//! server with the tuned dynamic config, a fresh MariaDB database, the worker in-process).

#![allow(clippy::print_stdout)] // printing the report is this binary's job

#[path = "../e2e/helpers/mod.rs"]
#[allow(dead_code, unused_imports)]
mod helpers;

use chrono::{Datelike, Duration as ChronoDuration, NaiveDate, Utc};
use helpers::{Parent, TestApp, spawn_app};
use serde_json::json;
use std::time::{Duration, Instant};
use temporalio_client::{WorkflowGetResultOptions, WorkflowStartOptions};
use workflows::{CutoffInput, SessionKey, WaitlistCutoffWorkflow};

const WAITING: usize = 8;
const SINGLE_RUNS: usize = 30;
const BURST: usize = 50;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn row(name: &str, mut ms: Vec<f64>) -> (String, f64, f64) {
    ms.sort_by(|a, b| a.total_cmp(b));
    let (p50, p99, max) = (
        percentile(&ms, 0.5),
        percentile(&ms, 0.99),
        ms[ms.len() - 1],
    );
    println!(
        "| {name:<38} | {:>4} | {p50:>8.1} | {p99:>8.1} | {max:>8.1} |",
        ms.len()
    );
    (name.to_string(), p50, p99)
}

/// A course of capacity 1 with `n` weekly slots on the same day 3 days ahead.
async fn sessions(app: &TestApp, n: usize) -> (Vec<i64>, NaiveDate) {
    let admin = app.admin().await;
    let (_, course) = app
        .post(
            "/api/v1/admin/courses",
            &admin,
            json!({"name": "基准课", "course_type": "group", "level": 2, "duration_minutes": 60, "price": 100, "capacity": 1}),
        )
        .await;
    let course_id = course["data"]["id"].as_i64().unwrap();
    let start = (Utc::now() + ChronoDuration::days(3)).with_timezone(&app.config.common.club_tz);
    let mut ids = Vec::new();
    for _ in 0..n {
        let (_, s) = app
            .post(
                "/api/v1/admin/schedules",
                &admin,
                json!({"course_id": course_id, "weekday": start.weekday().number_from_monday(),
                       "start_time": "18:00:00", "coach": "基准", "location": "馆"}),
            )
            .await;
        ids.push(s["data"]["id"].as_i64().unwrap());
    }
    (ids, start.date_naive())
}

/// Fills each session with one booking and queues the same `WAITING` children behind it;
/// returns the bookings to cancel.
async fn fill_and_queue(
    app: &TestApp,
    schedules: &[i64],
    date: NaiveDate,
    waiters: &[(Parent, i64)],
) -> Vec<(Parent, i64)> {
    let mut holders = Vec::new();
    for &schedule in schedules {
        let p = app.parent(&format!("holder-{schedule}")).await;
        let child = app.child(&p, "占位", 2).await;
        let (_, b) = app.book(&p, child, schedule, date).await;
        holders.push((p, b["data"]["booking_id"].as_i64().unwrap()));
        for (w, c) in waiters {
            let (status, body) = app.join(w, *c, schedule, date).await;
            assert!(status.is_success(), "{body}");
        }
    }
    holders
}

async fn notified(app: &TestApp, schedule: i64, date: NaiveDate) -> i64 {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM waitlist_notification n JOIN waitlist w ON w.id = n.waitlist_id
          WHERE w.course_schedule_id = ? AND w.booking_date = ? AND n.notification_type = 'spot_available'",
    )
    .bind(schedule)
    .bind(date)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    n
}

/// Cancels and waits until all `WAITING` notifications of that session are recorded.
async fn release_and_measure(
    app: &TestApp,
    holder: &(Parent, i64),
    schedule: i64,
    date: NaiveDate,
) -> f64 {
    let started = Instant::now();
    let (status, body) = app
        .post(
            &format!("/api/v1/bookings/{}/cancel", holder.1),
            &holder.0.token,
            json!({}),
        )
        .await;
    assert!(status.is_success(), "{body}");
    while notified(app, schedule, date).await < WAITING as i64 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    started.elapsed().as_secs_f64() * 1000.0
}

/// The server's floor: start → result of a workflow that runs one (no-op) activity.
async fn floor(app: &TestApp, runs: usize) -> Vec<f64> {
    let mut out = Vec::new();
    for i in 0..runs {
        let session = SessionKey::new(
            1_000_000 + i as i64,
            NaiveDate::from_ymd_opt(2030, 1, 7).unwrap(),
        );
        let options = WorkflowStartOptions::new(
            app.config.common.temporal.task_queue.clone(),
            format!("floor-{i}"),
        )
        .build();
        let input = CutoffInput {
            session,
            cutoff_at: Utc::now() - ChronoDuration::seconds(1),
        };
        let started = Instant::now();
        let handle = app
            .temporal
            .start_workflow(WaitlistCutoffWorkflow::run, input, options)
            .await
            .unwrap();
        handle
            .get_result(WorkflowGetResultOptions::default())
            .await
            .unwrap();
        out.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    out
}

#[tokio::main]
async fn main() {
    let app = spawn_app().await;
    let mut waiters = Vec::new();
    for i in 0..WAITING {
        let p = app.parent(&format!("bench-waiter-{i}")).await;
        let c = app.child(&p, &format!("候补{i}"), 2).await;
        waiters.push((p, c));
    }
    let (single, date) = sessions(&app, SINGLE_RUNS).await;
    let single_holders = fill_and_queue(&app, &single, date, &waiters).await;
    let (burst, burst_date) = sessions(&app, BURST).await;
    let burst_holders = fill_and_queue(&app, &burst, burst_date, &waiters).await;
    floor(&app, 5).await; // warm-up

    println!(
        "\nOffer fan-out: release (cancel through the API) → all {WAITING} spot_available notifications recorded"
    );
    println!(
        "| {:<38} | {:>4} | {:>8} | {:>8} | {:>8} |",
        "scenario", "n", "p50 ms", "p99 ms", "max ms"
    );
    println!(
        "|{}|------|----------|----------|----------|",
        "-".repeat(40)
    );
    let (_, _, floor_p99) = row(
        "floor: one-activity workflow",
        floor(&app, SINGLE_RUNS).await,
    );
    let mut one = Vec::new();
    for (holder, &schedule) in single_holders.iter().zip(&single) {
        one.push(release_and_measure(&app, holder, schedule, date).await);
    }
    let (_, _, one_p99) = row(&format!("1 session, {WAITING} waiting"), one);
    let all = futures::future::join_all(
        burst_holders
            .iter()
            .zip(&burst)
            .map(|(holder, &schedule)| release_and_measure(&app, holder, schedule, burst_date)),
    )
    .await;
    let (_, _, burst_p99) = row(
        &format!("{BURST} sessions released at once, {WAITING} each"),
        all,
    );
    println!(
        "\np99 / floor p99: 1 session {:.1}x, {BURST} at once {:.1}x (seed promise: 10 000 ms)",
        one_p99 / floor_p99,
        burst_p99 / floor_p99
    );
}
