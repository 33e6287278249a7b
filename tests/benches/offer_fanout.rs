//! Offer fan-out benchmark: how long from a released seat (a cancellation through the API)
//! until every waiting parent's `spot_available` notification is recorded, as a curve — one
//! seat with 8 / 30 / 100 waiting, and 1 / 10 / 50 / 200 sessions released at once — each next
//! to the floor of the same Temporal server measured in the same run just before it: a
//! workflow doing one no-op activity, run one at a time for the queue curve, and as many
//! started at once as there are sessions in the burst. Prints a table; asserts nothing.
//!
//! `cargo bench -p tests --bench offer_fanout` (uses the e2e harness: its own Temporal dev
//! server with the tuned dynamic config, a fresh MariaDB database, the worker in-process).

#![allow(clippy::print_stdout)] // printing the report is this binary's job

#[path = "../e2e/helpers/mod.rs"]
#[allow(dead_code, unused_imports)]
mod helpers;

use chrono::{Datelike, Duration as ChronoDuration, NaiveDate, Utc};
use futures::StreamExt;
use helpers::{Parent, TestApp, spawn_app};
use serde_json::json;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use temporalio_client::{WorkflowGetResultOptions, WorkflowStartOptions};
use workflows::{CutoffInput, SessionKey, WaitlistCutoffWorkflow};

/// One seat released, `waiting` parents in its queue: (waiting, sequential runs).
const QUEUES: [(usize, usize); 3] = [(8, 20), (30, 10), (100, 10)];
/// Sessions released at once, `BURST_QUEUE` waiting each.
const BURSTS: [usize; 4] = [1, 10, 50, 200];
const BURST_QUEUE: usize = 8;
/// A burst is repeated until it gives at least this many samples.
const BURST_SAMPLES: usize = 10;
/// Setup requests in flight.
const SETUP_CONCURRENCY: usize = 16;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

/// p50, p99, max of `ms`.
fn stats(mut ms: Vec<f64>) -> (usize, f64, f64, f64) {
    ms.sort_by(|a, b| a.total_cmp(b));
    (
        ms.len(),
        percentile(&ms, 0.5),
        percentile(&ms, 0.99),
        ms[ms.len() - 1],
    )
}

fn header() {
    println!(
        "| scenario | n | p50 ms | p99 ms | max ms | floor | floor p50 | floor p99 | p50 / floor | p99 / floor |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
}

fn row(name: &str, measured: Vec<f64>, floor_name: &str, floor: Vec<f64>) {
    if measured.is_empty() {
        println!("| {name} | 0 | | | | {floor_name} | | | | |");
        return;
    }
    let (n, p50, p99, max) = stats(measured);
    let (_, f50, f99, _) = stats(floor);
    println!(
        "| {name} | {n} | {p50:.0} | {p99:.0} | {max:.0} | {floor_name} | {f50:.0} | {f99:.0} | {:.1}x | {:.1}x |",
        p50 / f50,
        p99 / f99
    );
}

fn refusals(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" ({n} cancels refused)")
    }
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
    let ids = futures::stream::iter(0..n)
        .map(|_| {
            let admin = admin.clone();
            async move {
                let (status, s) = app
                    .post(
                        "/api/v1/admin/schedules",
                        &admin,
                        json!({"course_id": course_id, "weekday": start.weekday().number_from_monday(),
                               "start_time": "18:00:00", "coach": "基准", "location": "馆"}),
                    )
                    .await;
                assert!(status.is_success(), "{s}");
                s["data"]["id"].as_i64().unwrap()
            }
        })
        .buffered(SETUP_CONCURRENCY)
        .collect()
        .await;
    (ids, start.date_naive())
}

/// Fills each session with one booking and queues `waiters` behind it; returns the bookings
/// to cancel.
async fn fill_and_queue(
    app: &TestApp,
    schedules: &[i64],
    date: NaiveDate,
    waiters: &[(Parent, i64)],
) -> Vec<(Parent, i64)> {
    let holders = futures::stream::iter(schedules.iter().copied())
        .map(|schedule| async move {
            let p = app.parent(&format!("holder-{schedule}")).await;
            let child = app.child(&p, "占位", 2).await;
            let (status, b) = app.book(&p, child, schedule, date).await;
            assert!(status.is_success(), "{b}");
            (p, b["data"]["booking_id"].as_i64().unwrap())
        })
        .buffered(SETUP_CONCURRENCY)
        .collect()
        .await;
    let joins: Vec<(i64, &(Parent, i64))> = schedules
        .iter()
        .flat_map(|&s| waiters.iter().map(move |w| (s, w)))
        .collect();
    futures::stream::iter(joins)
        .for_each_concurrent(SETUP_CONCURRENCY, |(schedule, (w, c))| async move {
            let (status, body) = app.join(w, *c, schedule, date).await;
            assert!(status.is_success(), "{body}");
        })
        .await;
    holders
}

/// `spot_available` notifications recorded per session of `schedules` on `date`.
async fn notified(app: &TestApp, schedules: &[i64], date: NaiveDate) -> HashMap<i64, usize> {
    let list = schedules
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT w.course_schedule_id, COUNT(*) FROM waitlist_notification n JOIN waitlist w ON w.id = n.waitlist_id
          WHERE w.course_schedule_id IN ({list}) AND w.booking_date = ? AND n.notification_type = 'spot_available'
          GROUP BY w.course_schedule_id"
    ))
    .bind(date)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    rows.into_iter().map(|(s, n)| (s, n as usize)).collect()
}

/// Cancels every holder at once; each session's time from its cancel until all `waiting`
/// notifications of that session are recorded (one poller for all, so polling does not load
/// the database by the burst's size). A cancel the API refuses (e.g. 503 when Temporal does
/// not answer in time) is counted, and its session not waited for.
async fn release_and_measure(
    app: &TestApp,
    holders: &[(Parent, i64)],
    schedules: &[i64],
    date: NaiveDate,
    waiting: usize,
) -> (Vec<f64>, usize) {
    let started = Instant::now();
    // The poller runs while the cancels are still out: a session's time is when its own
    // notifications are all recorded, not when the slowest cancel of the burst answered.
    let refused_at = std::cell::RefCell::new(None::<Vec<i64>>);
    let cancels = async {
        let answers = futures::future::join_all(holders.iter().zip(schedules).map(
            |((p, booking), &schedule)| async move {
                let (status, body) = app
                    .post(
                        &format!("/api/v1/bookings/{booking}/cancel"),
                        &p.token,
                        json!({}),
                    )
                    .await;
                if !status.is_success() {
                    eprintln!("cancel of session {schedule} refused: {status} {body}");
                }
                (schedule, status.is_success())
            },
        ))
        .await;
        *refused_at.borrow_mut() = Some(
            answers
                .iter()
                .filter(|(_, ok)| !*ok)
                .map(|(s, _)| *s)
                .collect(),
        );
    };
    let poller = async {
        let mut done: HashMap<i64, f64> = HashMap::new();
        let deadline = started + Duration::from_secs(120);
        loop {
            if let Some(refused) = refused_at.borrow().as_ref() {
                let released = schedules.iter().filter(|s| !refused.contains(s));
                if released.clone().all(|s| done.contains_key(s)) {
                    return (
                        released.filter_map(|s| done.get(s).copied()).collect(),
                        refused.len(),
                    );
                }
            }
            assert!(Instant::now() < deadline, "fan-out did not finish in 120 s");
            let at = started.elapsed().as_secs_f64() * 1000.0;
            for (s, n) in notified(app, schedules, date).await {
                if n >= waiting {
                    done.entry(s).or_insert(at);
                }
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    };
    let ((), measured) = futures::join!(cancels, poller);
    measured
}

static FLOOR_IDS: AtomicUsize = AtomicUsize::new(0);

/// One floor run: start → result of a workflow that runs one (no-op) activity.
async fn floor_once(app: &TestApp) -> f64 {
    let i = FLOOR_IDS.fetch_add(1, Ordering::SeqCst);
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
    started.elapsed().as_secs_f64() * 1000.0
}

/// `runs` floor workflows one after the other.
async fn floor_sequential(app: &TestApp, runs: usize) -> Vec<f64> {
    let mut out = Vec::new();
    for _ in 0..runs {
        out.push(floor_once(app).await);
    }
    out
}

/// `reps` times: `n` floor workflows started at once.
async fn floor_burst(app: &TestApp, n: usize, reps: usize) -> Vec<f64> {
    let mut out = Vec::new();
    for _ in 0..reps {
        out.extend(futures::future::join_all((0..n).map(|_| floor_once(app))).await);
    }
    out
}

struct Prepared {
    schedules: Vec<i64>,
    date: NaiveDate,
    holders: Vec<(Parent, i64)>,
}

async fn prepare(app: &TestApp, n: usize, waiters: &[(Parent, i64)]) -> Prepared {
    let (schedules, date) = sessions(app, n).await;
    let holders = fill_and_queue(app, &schedules, date, waiters).await;
    Prepared {
        schedules,
        date,
        holders,
    }
}

#[tokio::main]
async fn main() {
    let t0 = Instant::now();
    let app = spawn_app().await;
    let most = QUEUES.iter().map(|(q, _)| *q).max().unwrap();
    // Queues of 30 and 100 need room: the type's queue capacity (default 8) raised.
    app.set_type_settings("group", json!({"waitlist_capacity": most}))
        .await;
    let waiters: Vec<(Parent, i64)> = futures::stream::iter(0..most)
        .map(|i| {
            let app = &app;
            async move {
                let p = app.parent(&format!("bench-waiter-{i}")).await;
                let c = app.child(&p, &format!("候补{i}"), 2).await;
                (p, c)
            }
        })
        .buffered(SETUP_CONCURRENCY)
        .collect()
        .await;
    let mut queues = Vec::new();
    for (waiting, runs) in QUEUES {
        queues.push((waiting, prepare(&app, runs, &waiters[..waiting]).await));
    }
    let mut bursts = Vec::new();
    for n in BURSTS {
        let reps = BURST_SAMPLES.div_ceil(n);
        let mut sets = Vec::new();
        for _ in 0..reps {
            sets.push(prepare(&app, n, &waiters[..BURST_QUEUE]).await);
        }
        bursts.push((n, sets));
    }
    floor_sequential(&app, 5).await; // warm-up
    eprintln!("prepared in {:.0?}", t0.elapsed());

    println!(
        "\nOffer fan-out: release (cancel through the API) → all spot_available notifications of the session recorded; floor = one-activity workflows, same server, measured just before"
    );
    header();
    for (waiting, p) in &queues {
        let floor = floor_sequential(&app, p.schedules.len()).await;
        let (mut measured, mut refused) = (Vec::new(), 0);
        for (holder, &schedule) in p.holders.iter().zip(&p.schedules) {
            let (ms, r) = release_and_measure(
                &app,
                std::slice::from_ref(holder),
                &[schedule],
                p.date,
                *waiting,
            )
            .await;
            measured.extend(ms);
            refused += r;
        }
        row(
            &format!(
                "1 seat, {waiting} waiting (one at a time){}",
                refusals(refused)
            ),
            measured,
            "1 workflow at a time",
            floor,
        );
    }
    for (n, sets) in &bursts {
        let floor = floor_burst(&app, *n, sets.len()).await;
        let (mut measured, mut refused) = (Vec::new(), 0);
        for p in sets {
            let (ms, r) =
                release_and_measure(&app, &p.holders, &p.schedules, p.date, BURST_QUEUE).await;
            measured.extend(ms);
            refused += r;
        }
        row(
            &format!(
                "{n} sessions released at once, {BURST_QUEUE} waiting each{}",
                refusals(refused)
            ),
            measured,
            &format!("{n} workflows at once"),
            floor,
        );
    }
    eprintln!("total {:.0?}", t0.elapsed());
}
