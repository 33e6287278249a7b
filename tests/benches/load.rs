//! Load benchmark: the read path parents hit most (`GET /api/v1/sessions`, `GET
//! /api/v1/waitlist/my`) and the confirm path (`PUT /api/v1/waitlist/{id}/respond` with
//! `confirm`, every waiting parent of a released seat at once) at 50 → 1000 concurrent
//! clients, each beside a bare axum + sqlx handler that runs the same SQL against the same
//! database in the same run (its own pool of the API's size, no auth, no middleware, a small
//! JSON answer). The bare confirm runs the API's reads and then the worker's seat-claim
//! transaction directly — the same SQL without Temporal. Prints a markdown table; asserts
//! nothing.
//!
//! `cargo bench -p tests --bench load` (the e2e harness: its own Temporal dev server, a fresh
//! MariaDB database, API and worker in-process; rate limits off). Everything — clients, API,
//! bare server, worker, MariaDB, Temporal — shares this machine, so read the ratios, not the
//! absolute figures.

#![allow(clippy::print_stdout)] // printing the report is this binary's job

#[path = "../e2e/helpers/mod.rs"]
#[allow(dead_code, unused_imports)]
mod helpers;

use activities::db::Db;
use activities::notify::drafts::WechatDrafts;
use activities::notify::inbox::Notices;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode as AxumStatus;
use axum::routing::{get, put};
use axum::{Json, Router};
use chrono::{Datelike, Duration as ChronoDuration, NaiveDate, Utc};
use chrono_tz::Tz;
use futures::StreamExt;
use helpers::{Parent, TestApp, spawn_app};
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::MySqlPool;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Barrier;
use workflows::activities::{ClaimOutcome, ClaimRequest};
use workflows::settings::ClassSettings;

/// Concurrent clients per step.
const LEVELS: [usize; 5] = [50, 100, 250, 500, 1000];
/// Measured time per (path, level, server) of the read steps.
const READ_STEP: Duration = Duration::from_secs(4);
/// The club's week for the read path: weekly slots, capacity, waiting per full session.
const SCHEDULES: usize = 30;
const CAPACITY: usize = 4;
const QUEUE: usize = 8;
/// Waiting parents per released seat on the confirm path (the default queue capacity).
const CONFIRM_QUEUE: usize = 8;
/// Setup requests in flight.
const SETUP_CONCURRENCY: usize = 16;

// ---------------------------------------------------------------------------------------
// The bare server: the same SQL, nothing else.

#[derive(Clone)]
struct Bare {
    pool: MySqlPool,
    db: Arc<Db>,
    notices: Arc<Notices>,
    tz: Tz,
}

#[derive(Deserialize)]
struct UserQuery {
    user: i64,
}

type BareAnswer = Result<Json<Value>, (AxumStatus, String)>;

fn fail(e: impl std::fmt::Display) -> (AxumStatus, String) {
    (AxumStatus::INTERNAL_SERVER_ERROR, e.to_string())
}

/// `GET /api/v1/sessions`'s queries (default range: today + 13 days).
async fn bare_sessions(State(b): State<Bare>, Query(q): Query<UserQuery>) -> BareAnswer {
    let from = Utc::now().with_timezone(&b.tz).date_naive();
    let to = from + ChronoDuration::days(13);
    let schedules = api::db::sessions::schedules(&b.pool, None)
        .await
        .map_err(fail)?;
    let counts = api::db::sessions::range_counts(&b.pool, from, to)
        .await
        .map_err(fail)?;
    let layers = api::db::settings::all_layers(&b.pool).await.map_err(fail)?;
    let seats = api::db::bookings::parent_seats(&b.pool, q.user, from, to)
        .await
        .map_err(fail)?;
    let offers = api::db::offers::open_offers_of_parent(&b.pool, q.user)
        .await
        .map_err(fail)?;
    let entries = api::db::waitlist::parent_active_in_range(&b.pool, q.user, from, to)
        .await
        .map_err(fail)?;
    Ok(Json(json!({
        "schedules": schedules.len(), "booked": counts.booked.len(), "waiting": counts.waiting.len(),
        "layers": layers.by_type.len() + layers.by_course.len(), "seats": seats.len(),
        "offers": offers.len(), "entries": entries.len(),
    })))
}

/// `GET /api/v1/waitlist/my`'s queries.
async fn bare_mine(State(b): State<Bare>, Query(q): Query<UserQuery>) -> BareAnswer {
    let rows = api::db::waitlist::of_parent(&b.pool, q.user)
        .await
        .map_err(fail)?;
    let offers = api::db::offers::open_offers_of_parent(&b.pool, q.user)
        .await
        .map_err(fail)?;
    let layers = api::db::settings::all_layers(&b.pool).await.map_err(fail)?;
    Ok(Json(json!({
        "entries": rows.iter().map(|e| (e.id, e.position)).collect::<Vec<_>>(),
        "offers": offers.len(), "layers": layers.by_type.len(),
    })))
}

/// The confirm path's SQL: the route's reads (the entry and its owner, the session's open
/// offers), then the seat claim the worker's `ClaimSeat` activity runs, called directly.
async fn bare_confirm(
    State(b): State<Bare>,
    Path(id): Path<i64>,
    Query(q): Query<UserQuery>,
) -> Result<(AxumStatus, Json<Value>), (AxumStatus, String)> {
    let entry = api::db::waitlist::find(&b.pool, id)
        .await
        .map_err(fail)?
        .ok_or((AxumStatus::NOT_FOUND, "no entry".to_string()))?;
    if entry.user_id != q.user {
        return Err((AxumStatus::FORBIDDEN, "not yours".into()));
    }
    for workflow_id in api::db::offers::open_offers(&b.pool, entry.session())
        .await
        .map_err(fail)?
    {
        let req = ClaimRequest {
            workflow_id,
            session: entry.session(),
            waitlist_id: id,
            settings: ClassSettings::default(),
        };
        let outcome = activities::offer_activities::claim(&b.db, &b.notices, req)
            .await
            .map_err(|e| fail(format!("{e:?}")))?;
        if let ClaimOutcome::Won { booking_id, .. } = outcome {
            return Ok((
                AxumStatus::OK,
                Json(json!({"verdict": "won", "booking_id": booking_id})),
            ));
        }
    }
    let last = api::db::offers::last_offer_phase_for(&b.pool, id)
        .await
        .map_err(fail)?;
    Ok((
        AxumStatus::CONFLICT,
        Json(json!({"verdict": "taken", "last": last})),
    ))
}

/// Starts the bare server on a free port against the app's database; returns its address.
async fn start_bare(app: &TestApp) -> String {
    let url = app.config.common.database_url.expose();
    // The API's pool size (api::app::pool).
    let pool = platform::database::pool(url, 20).expect("bare pool");
    let bare = Bare {
        db: Arc::new(Db::new(pool.clone())),
        pool,
        notices: Arc::new(Notices {
            club_tz: app.config.common.club_tz,
            drafts: WechatDrafts::new(false, BTreeMap::new()),
        }),
        tz: app.config.common.club_tz,
    };
    let router = Router::new()
        .route("/sessions", get(bare_sessions))
        .route("/waitlist/my", get(bare_mine))
        .route("/waitlist/{id}/confirm", put(bare_confirm))
        .with_state(bare);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bare port");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

// ---------------------------------------------------------------------------------------
// Load generation and statistics.

/// What a step measured.
struct Measured {
    /// latencies of every answered request, ms
    ms: Vec<f64>,
    /// answers other than the expected ones (or no answer)
    errors: usize,
    elapsed: Duration,
}

impl Measured {
    fn rps(&self) -> f64 {
        self.ms.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn pct(&self, p: f64) -> f64 {
        if self.ms.is_empty() {
            return f64::NAN;
        }
        let idx = ((self.ms.len() as f64 - 1.0) * p).round() as usize;
        self.ms[idx.min(self.ms.len() - 1)]
    }

    fn mean(&self) -> f64 {
        self.ms.iter().sum::<f64>() / self.ms.len().max(1) as f64
    }
}

/// One request of a client; `Ok(status)` when answered.
type Request = Arc<dyn Fn(&reqwest::Client, usize) -> reqwest::RequestBuilder + Send + Sync>;

async fn send(client: &reqwest::Client, req: &Request, i: usize) -> Option<StatusCode> {
    let res = req(client, i).send().await.ok()?;
    let status = res.status();
    res.bytes().await.ok()?;
    Some(status)
}

/// Each client opens its connection (unmeasured, a bounded number at once so the accept queue
/// does not overflow), then all start together.
async fn warm_up(clients: &[reqwest::Client], warm: &Request) {
    futures::stream::iter(clients.iter().enumerate())
        .for_each_concurrent(100, |(i, c)| async move {
            send(c, warm, i).await;
        })
        .await;
}

/// `clients` loop on `req` for `duration` (or once each when `once`), all released together.
async fn drive(
    clients: &[reqwest::Client],
    req: Request,
    ok: fn(StatusCode) -> bool,
    duration: Duration,
    once: bool,
) -> Measured {
    let barrier = Arc::new(Barrier::new(clients.len() + 1));
    let mut tasks = Vec::new();
    for (i, client) in clients.iter().enumerate() {
        let (client, req, barrier) = (client.clone(), req.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            let mut ms = Vec::new();
            let mut errors = 0;
            barrier.wait().await;
            let deadline = Instant::now() + duration;
            loop {
                let t = Instant::now();
                match send(&client, &req, i).await {
                    Some(s) if ok(s) => ms.push(t.elapsed().as_secs_f64() * 1000.0),
                    Some(_) => {
                        ms.push(t.elapsed().as_secs_f64() * 1000.0);
                        errors += 1;
                    }
                    None => errors += 1,
                }
                if once || Instant::now() >= deadline {
                    break;
                }
            }
            (ms, errors)
        }));
    }
    barrier.wait().await;
    let started = Instant::now();
    let mut out = Measured {
        ms: Vec::new(),
        errors: 0,
        elapsed: Duration::ZERO,
    };
    for t in tasks {
        let (ms, errors) = t.await.expect("client task");
        out.ms.extend(ms);
        out.errors += errors;
    }
    out.elapsed = started.elapsed();
    out.ms.sort_by(|a, b| a.total_cmp(b));
    out
}

fn header() {
    println!(
        "| path | clients | req/s | p50 ms | p95 ms | p99 ms | mean ms | errors | bare req/s | bare p50 | bare p95 | bare p99 | req/s ratio | p99 ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
}

fn row(path: &str, clients: usize, svc: &Measured, bare: &Measured) {
    println!(
        "| {path} | {clients} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {:.2} | {:.1} |",
        svc.rps(),
        svc.pct(0.5),
        svc.pct(0.95),
        svc.pct(0.99),
        svc.mean(),
        svc.errors,
        bare.rps(),
        bare.pct(0.5),
        bare.pct(0.95),
        bare.pct(0.99),
        svc.rps() / bare.rps(),
        svc.pct(0.99) / bare.pct(0.99),
    );
}

// ---------------------------------------------------------------------------------------
// Data.

async fn parents(app: &TestApp, n: usize) -> Vec<(Parent, i64)> {
    futures::stream::iter(0..n)
        .map(|i| async move {
            let p = app.parent(&format!("load-{i}")).await;
            let c = app.child(&p, &format!("孩子{i}"), 2).await;
            (p, c)
        })
        .buffered(SETUP_CONCURRENCY)
        .collect()
        .await
}

async fn course(app: &TestApp, capacity: usize) -> i64 {
    let admin = app.admin().await;
    let (status, body) = app
        .post(
            "/api/v1/admin/courses",
            &admin,
            json!({"name": format!("压测课{capacity}"), "course_type": "group", "level": 2,
                   "duration_minutes": 60, "price": 100, "capacity": capacity}),
        )
        .await;
    assert!(status.is_success(), "{body}");
    body["data"]["id"].as_i64().expect("course id")
}

async fn schedules(app: &TestApp, course: i64, slots: &[(u32, String)]) -> Vec<i64> {
    let admin = app.admin().await;
    futures::stream::iter(slots.iter().cloned())
        .map(|(weekday, time)| {
            let admin = admin.clone();
            async move {
                let (status, s) = app
                    .post(
                        "/api/v1/admin/schedules",
                        &admin,
                        json!({"course_id": course, "weekday": weekday, "start_time": time,
                               "coach": "压测", "location": "馆"}),
                    )
                    .await;
                assert!(status.is_success(), "{s}");
                s["data"]["id"].as_i64().expect("schedule id")
            }
        })
        .buffered(SETUP_CONCURRENCY)
        .collect()
        .await
}

/// The first date ≥ today + 3 (club time) on ISO weekday `weekday`.
fn next_on(app: &TestApp, weekday: u32) -> NaiveDate {
    let start = (Utc::now() + ChronoDuration::days(3))
        .with_timezone(&app.config.common.club_tz)
        .date_naive();
    start
        .iter_days()
        .find(|d| d.weekday().number_from_monday() == weekday)
        .expect("a date")
}

async fn book_all(app: &TestApp, jobs: Vec<(Parent, i64, i64, NaiveDate)>) -> Vec<i64> {
    futures::stream::iter(jobs)
        .map(|(p, child, schedule, date)| async move {
            let (status, body) = app.book(&p, child, schedule, date).await;
            assert!(status.is_success(), "{body}");
            body["data"]["booking_id"].as_i64().expect("booking id")
        })
        .buffered(SETUP_CONCURRENCY)
        .collect()
        .await
}

async fn join_all(app: &TestApp, jobs: Vec<(Parent, i64, i64, NaiveDate)>) -> Vec<i64> {
    futures::stream::iter(jobs)
        .map(|(p, child, schedule, date)| async move {
            let (status, body) = app.join(&p, child, schedule, date).await;
            assert!(status.is_success(), "{body}");
            body["data"]["waitlist_id"].as_i64().expect("waitlist id")
        })
        .buffered(SETUP_CONCURRENCY)
        .collect()
        .await
}

/// The read path's club: `SCHEDULES` weekly slots over the week; the next session of each is
/// full (`CAPACITY` seats) with `QUEUE` waiting. Parents `0..` hold the seats, the next ones
/// wait; the rest have nothing yet.
async fn seed_reads(app: &TestApp, pool: &[(Parent, i64)]) {
    let course = course(app, CAPACITY).await;
    let slots: Vec<(u32, String)> = (0..SCHEDULES)
        .map(|i| ((i % 7) as u32 + 1, format!("{:02}:00:00", 9 + i / 7)))
        .collect();
    let ids = schedules(app, course, &slots).await;
    let mut next = pool.iter().cycle();
    let mut bookings = Vec::new();
    let mut joins = Vec::new();
    for (&id, (weekday, _)) in ids.iter().zip(&slots) {
        let date = next_on(app, *weekday);
        for _ in 0..CAPACITY {
            let (p, c) = next.next().expect("parent");
            bookings.push((p.clone(), *c, id, date));
        }
        for _ in 0..QUEUE {
            let (p, c) = next.next().expect("parent");
            joins.push((p.clone(), *c, id, date));
        }
    }
    book_all(app, bookings).await;
    join_all(app, joins).await;
}

/// Sessions of one released seat each with `CONFIRM_QUEUE` of `waiters` notified; returns
/// each waiter's entry, in `waiters`' order.
async fn offered(app: &TestApp, tag: &str, waiters: &[(Parent, i64)]) -> Vec<i64> {
    let n = waiters.len().div_ceil(CONFIRM_QUEUE);
    let course = course(app, 1).await;
    let weekday = (Utc::now() + ChronoDuration::days(3))
        .with_timezone(&app.config.common.club_tz)
        .weekday()
        .number_from_monday();
    let ids = schedules(app, course, &vec![(weekday, "18:00:00".to_string()); n]).await;
    let date = next_on(app, weekday);
    let holders: Vec<(Parent, i64)> = futures::stream::iter(0..n)
        .map(|i| async move {
            let p = app.parent(&format!("holder-{tag}-{i}")).await;
            let c = app.child(&p, "占位", 2).await;
            (p, c)
        })
        .buffered(SETUP_CONCURRENCY)
        .collect()
        .await;
    let bookings = book_all(
        app,
        holders
            .iter()
            .zip(&ids)
            .map(|((p, c), &s)| (p.clone(), *c, s, date))
            .collect(),
    )
    .await;
    let entries = join_all(
        app,
        waiters
            .iter()
            .enumerate()
            .map(|(i, (p, c))| (p.clone(), *c, ids[i / CONFIRM_QUEUE], date))
            .collect(),
    )
    .await;
    futures::stream::iter(holders.iter().zip(bookings))
        .for_each_concurrent(SETUP_CONCURRENCY, |((p, _), booking)| async move {
            let (status, body) = app
                .post(
                    &format!("/api/v1/bookings/{booking}/cancel"),
                    &p.token,
                    json!({}),
                )
                .await;
            assert!(status.is_success(), "{body}");
        })
        .await;
    // Every waiter told (spot_available recorded), so each confirm meets an open offer.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (told,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM waitlist_notification n JOIN waitlist w ON w.id = n.waitlist_id
              WHERE n.notification_type = 'spot_available' AND w.id IN ({})",
            entries
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ))
        .fetch_one(&app.pool)
        .await
        .expect("count notices");
        if told as usize >= entries.len() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{told} of {} waiters told",
            entries.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    entries
}

fn clients(n: usize) -> Vec<reqwest::Client> {
    (0..n)
        .map(|_| {
            reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .tcp_nodelay(true)
                .timeout(Duration::from_secs(60))
                .build()
                .expect("HTTP client")
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let started = Instant::now();
    let max = *LEVELS.iter().max().expect("levels");
    let app = spawn_app().await;
    let bare = start_bare(&app).await;
    let pool = parents(&app, max).await;
    seed_reads(&app, &pool).await;
    let clients = clients(max);
    eprintln!("seeded in {:.0?}", started.elapsed());

    let svc = app.address.clone();
    let users: Arc<Vec<(String, i64)>> = Arc::new(
        pool.iter()
            .map(|(p, _)| (p.token.clone(), p.user_id))
            .collect(),
    );
    let read = |svc_path: &'static str, bare_path: &'static str| -> (Request, Request) {
        let (svc, bare, u1, u2) = (svc.clone(), bare.clone(), users.clone(), users.clone());
        (
            Arc::new(move |c: &reqwest::Client, i: usize| {
                c.get(format!("{svc}{svc_path}")).bearer_auth(&u1[i].0)
            }),
            Arc::new(move |c: &reqwest::Client, i: usize| {
                c.get(format!("{bare}{bare_path}?user={}", u2[i].1))
            }),
        )
    };
    let ok_200 = |s: StatusCode| s == StatusCode::OK;

    let mut rows = Vec::new();
    for (name, svc_path, bare_path) in [
        ("GET /sessions", "/api/v1/sessions", "/sessions"),
        ("GET /waitlist/my", "/api/v1/waitlist/my", "/waitlist/my"),
    ] {
        let (svc_req, bare_req) = read(svc_path, bare_path);
        for &n in &LEVELS {
            let c = &clients[..n];
            warm_up(c, &svc_req).await;
            let s = drive(c, svc_req.clone(), ok_200, READ_STEP, false).await;
            warm_up(c, &bare_req).await;
            let b = drive(c, bare_req.clone(), ok_200, READ_STEP, false).await;
            eprintln!("{name} {n}: {:.0} vs {:.0} req/s", s.rps(), b.rps());
            rows.push((name, n, s, b));
        }
    }

    // Confirm: every waiting parent of released seats confirms once, all at once; one per
    // seat wins (200), the others hear "taken" (409).
    let (warm_svc, warm_bare) = read("/api/v1/waitlist/my", "/waitlist/my");
    let ok_confirm = |s: StatusCode| s == StatusCode::OK || s == StatusCode::CONFLICT;
    for &n in &LEVELS {
        let svc_entries = Arc::new(offered(&app, &format!("s{n}"), &pool[..n]).await);
        let bare_entries = Arc::new(offered(&app, &format!("b{n}"), &pool[..n]).await);
        let c = &clients[..n];
        let (svc, u) = (svc.clone(), users.clone());
        let svc_req: Request = Arc::new(move |c: &reqwest::Client, i: usize| {
            c.put(format!("{svc}/api/v1/waitlist/{}/respond", svc_entries[i]))
                .bearer_auth(&u[i].0)
                .json(&json!({"action": "confirm"}))
        });
        let (bare_addr, u) = (bare.clone(), users.clone());
        let bare_req: Request = Arc::new(move |c: &reqwest::Client, i: usize| {
            c.put(format!(
                "{bare_addr}/waitlist/{}/confirm?user={}",
                bare_entries[i], u[i].1
            ))
        });
        warm_up(c, &warm_svc).await;
        let s = drive(c, svc_req, ok_confirm, Duration::ZERO, true).await;
        // Let the won offers' follow-up (seat_taken notices, closing) pass before the bare run.
        tokio::time::sleep(Duration::from_secs(2)).await;
        warm_up(c, &warm_bare).await;
        let b = drive(c, bare_req, ok_confirm, Duration::ZERO, true).await;
        eprintln!("confirm {n}: {:.0} vs {:.0} req/s", s.rps(), b.rps());
        rows.push(("PUT respond confirm", n, s, b));
    }

    println!(
        "\nLoad: service vs bare axum + sqlx (same SQL, same database, same run); read steps {} s each, confirm = every waiting parent once ({CONFIRM_QUEUE} per released seat)\n",
        READ_STEP.as_secs()
    );
    header();
    for (name, n, s, b) in &rows {
        row(name, *n, s, b);
    }
    let bar = rows
        .iter()
        .filter(|(_, n, _, _)| *n == max)
        .map(|(name, _, s, _)| {
            format!("{name}: mean {:.0} ms, p95 {:.0} ms", s.mean(), s.pct(0.95))
        })
        .collect::<Vec<_>>()
        .join("; ");
    println!("\nAt {max} clients (seed 003's bar: mean < 500 ms, p95 < 1000 ms): {bar}");
    println!("total {:.0?}", started.elapsed());
}
