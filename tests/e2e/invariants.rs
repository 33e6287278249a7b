//! A test that looks for what nobody thought of (issue 11): thousands of mixed operations —
//! direct bookings, cancels, leaves, joins, leaving the queue, answers to offers, capacity
//! changes, makeup bookings and cancels (with credits spent and created) — in parallel against
//! a handful of sessions on the real stack, with worker processes killed and restarted at
//! random moments. After every round the database must satisfy the invariants: booked (and
//! held) ≤ capacity, one active booking / entry per child and session, one pending makeup per
//! leave and each booked one backed by exactly one makeup, M7's minute ledger per profile.
//!
//! `CHAOS_SEED` replays a run; `CHAOS_OPS` sets its length. The short run is part of
//! `./scripts/test`; the long one (`cargo test -p tests --test e2e -- --ignored chaos_long`)
//! runs 10 000 operations.

use crate::helpers::{Parent, SessionSpec, TestApp, spawn_app_with};
use crate::worker_failover::worker_process;
use chrono::{Duration as Days, NaiveDate};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// SplitMix64: a seeded generator small enough to read (the test must replay from its seed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap()).unwrap()
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The world the operations act on.
struct World {
    app: TestApp,
    admin: String,
    /// Each parent with a child, and every third one a second child to join as a family.
    parents: Vec<(Parent, i64, Option<i64>)>,
    /// regular sessions (90 minutes) and makeup targets (60 and 120 minutes)
    sessions: Vec<(i64, NaiveDate)>,
    targets: Vec<(i64, NaiveDate)>,
}

async fn world(parents: usize) -> World {
    let app = spawn_app_with(HashMap::new(), false).await;
    app.set_type_settings(
        "group",
        json!({"response_window_seconds": 1, "hold_window_seconds": 1, "grace_seconds": 1,
               "waitlist_capacity": 6}),
    )
    .await;
    let admin = app.admin().await;
    let spec = |minutes: u32, days: i64| SessionSpec {
        capacity: 2,
        duration_minutes: minutes,
        starts_in: Days::days(days) + Days::hours(2),
        ..Default::default()
    };
    let mut sessions = Vec::new();
    for days in [3, 4, 5] {
        sessions.push(app.session(spec(90, days)).await);
    }
    let mut targets = Vec::new();
    for (minutes, days) in [(60, 6), (60, 7), (120, 8)] {
        targets.push(app.session(spec(minutes, days)).await);
    }
    let mut ps = Vec::new();
    for i in 0..parents {
        let p = app.parent(&format!("chaos-{i}")).await;
        let child = app.child(&p, &format!("孩子{i}"), 2).await;
        let sibling = if i % 3 == 0 {
            Some(app.child(&p, &format!("弟弟{i}"), 2).await)
        } else {
            None
        };
        ps.push((p, child, sibling));
    }
    World {
        app,
        admin,
        parents: ps,
        sessions,
        targets,
    }
}

fn pick<T: Clone>(rng: &mut Rng, items: &[T]) -> Option<T> {
    (!items.is_empty()).then(|| items[rng.below(items.len())].clone())
}

async fn items(app: &TestApp, path: &str, token: &str) -> Vec<Value> {
    let (_, body) = app.get(path, token).await;
    body["data"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// One random operation by one random parent (or ops); its HTTP status.
async fn operate(w: &World, mut rng: Rng) -> (&'static str, StatusCode) {
    let (p, child, sibling) = pick(&mut rng, &w.parents).unwrap();
    let app = &w.app;
    let all: Vec<(i64, NaiveDate)> = w.sessions.iter().chain(&w.targets).copied().collect();
    let session = pick(&mut rng, &all).unwrap();
    let ids = |kind: &str, v: &[Value], key: &str| -> Vec<i64> {
        let _ = kind;
        v.iter().filter_map(|i| i[key].as_i64()).collect()
    };
    match rng.below(10) {
        0 | 1 => ("book", app.book(&p, child, session.0, session.1).await.0),
        2 | 3 => {
            // F1, AA1: a family of two now and then, some partial, some auto-accepting.
            let mut body = json!({"profile_id": child, "course_schedule_id": session.0,
                                  "booking_date": session.1, "auto_accept": rng.chance(30)});
            if let Some(s) = sibling.filter(|_| rng.chance(60)) {
                body["sibling_ids"] = json!([s]);
                body["accept_partial"] = json!(rng.chance(50));
            }
            (
                "join",
                app.post("/api/v1/waitlist/join", &p.token, body).await.0,
            )
        }
        4 => {
            let bookings = items(app, "/api/v1/bookings", &p.token).await;
            let open: Vec<Value> = bookings
                .into_iter()
                .filter(|b| b["can_cancel"] == true)
                .collect();
            let Some(b) = pick(&mut rng, &open) else {
                return ("cancel:none", StatusCode::OK);
            };
            let route = if rng.chance(50) { "cancel" } else { "leave" };
            let id = b["booking_id"].as_i64().unwrap();
            let status = app
                .post(
                    &format!("/api/v1/bookings/{id}/{route}"),
                    &p.token,
                    json!({}),
                )
                .await
                .0;
            (if route == "cancel" { "cancel" } else { "leave" }, status)
        }
        5 => {
            let entries = items(app, "/api/v1/waitlist/my", &p.token).await;
            let active: Vec<Value> = entries
                .into_iter()
                .filter(|e| e["position"].is_i64())
                .collect();
            let Some(e) = pick(&mut rng, &active) else {
                return ("respond:none", StatusCode::OK);
            };
            let id = e["waitlist_id"].as_i64().unwrap();
            if rng.chance(15) {
                return (
                    "leave_queue",
                    app.delete(&format!("/api/v1/waitlist/{id}"), &p.token)
                        .await
                        .0,
                );
            }
            let action = match rng.below(6) {
                0 => "begin",
                1 => "decline",
                _ => "confirm",
            };
            (
                "respond",
                app.put(
                    &format!("/api/v1/waitlist/{id}/respond"),
                    &p.token,
                    json!({"action": action}),
                )
                .await
                .0,
            )
        }
        6 => {
            let (schedule, date) = pick(&mut rng, &w.sessions).unwrap();
            let capacity = 1 + rng.below(4);
            (
                "capacity",
                app.put(
                    &format!("/api/v1/admin/sessions/{schedule}/{date}/capacity"),
                    &w.admin,
                    json!({"capacity": capacity}),
                )
                .await
                .0,
            )
        }
        7 | 8 => {
            let pending = items(app, "/api/v1/makeup/pending", &p.token).await;
            // (pending id, its child): a sibling's leave opens a pending makeup of the sibling
            let open: Vec<(i64, i64)> = pending
                .iter()
                .filter(|x| x["status"] == "open")
                .filter_map(|x| Some((x["pending_id"].as_i64()?, x["profile_id"].as_i64()?)))
                .collect();
            let Some((pending_id, pending_child)) = pick(&mut rng, &open) else {
                return ("makeup:none", StatusCode::OK);
            };
            let target = pick(&mut rng, &w.targets).unwrap();
            let body = json!({"pending_id": pending_id, "course_schedule_id": target.0,
                              "booking_date": target.1, "accept_shorter": rng.chance(90),
                              "use_compensation": rng.chance(30)});
            if rng.chance(25) {
                let mut join = body.clone();
                join["profile_id"] = json!(pending_child);
                return (
                    "makeup_join",
                    app.post("/api/v1/waitlist/join", &p.token, join).await.0,
                );
            }
            (
                "makeup",
                app.post("/api/v1/makeup/book", &p.token, body).await.0,
            )
        }
        _ => {
            let mine = items(app, "/api/v1/makeup/my?status=booked", &p.token).await;
            let Some(id) = pick(&mut rng, &ids("makeup", &mine, "makeup_booking_id")) else {
                return ("makeup_cancel:none", StatusCode::OK);
            };
            (
                "makeup_cancel",
                app.delete(&format!("/api/v1/makeup/{id}/cancel"), &p.token)
                    .await
                    .0,
            )
        }
    }
}

async fn violations(app: &TestApp, quiet: bool) -> Vec<String> {
    let mut found = Vec::new();
    let mut check = |what: &str, rows: Vec<String>| {
        for r in rows {
            found.push(format!("{what}: {r}"));
        }
    };
    let q = |sql: &'static str| {
        let pool = app.pool.clone();
        async move {
            let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
            rows.into_iter().map(|r| r.0).collect::<Vec<_>>()
        }
    };
    check(
        "booked + held > capacity",
        q("SELECT CONCAT(s.course_schedule_id, '/', s.booking_date, ' cap ', COALESCE(s.capacity_override, c.capacity),
                          ' booked ', (SELECT COUNT(*) FROM booking b WHERE b.course_schedule_id = s.course_schedule_id
                                          AND b.booking_date = s.booking_date AND b.status = 'booked'),
                          ' held ', COALESCE((SELECT SUM(f.seats_open) FROM waitlist_flow f WHERE f.course_schedule_id = s.course_schedule_id
                                          AND f.booking_date = s.booking_date AND f.phase IN ('broadcast', 'hold')), 0))
             FROM class_session s JOIN course_schedule cs ON cs.id = s.course_schedule_id JOIN course c ON c.id = cs.course_id
            WHERE (SELECT COUNT(*) FROM booking b WHERE b.course_schedule_id = s.course_schedule_id
                      AND b.booking_date = s.booking_date AND b.status = 'booked')
                + COALESCE((SELECT SUM(f.seats_open) FROM waitlist_flow f WHERE f.course_schedule_id = s.course_schedule_id
                      AND f.booking_date = s.booking_date AND f.phase IN ('broadcast', 'hold')), 0)
                > COALESCE(s.capacity_override, c.capacity)")
        .await,
    );
    check(
        "two active bookings of one child in a session",
        q("SELECT CONCAT(profile_id, '/', course_schedule_id, '/', booking_date) FROM booking WHERE status = 'booked'
            GROUP BY profile_id, course_schedule_id, booking_date HAVING COUNT(*) > 1")
        .await,
    );
    check(
        "two active entries of one child in a queue (alone or in a family)",
        q(
            "SELECT CONCAT(c.profile_id, '/', w.course_schedule_id, '/', w.booking_date)
               FROM (SELECT w.id, w.profile_id FROM waitlist w
                      WHERE NOT EXISTS (SELECT 1 FROM waitlist_member m WHERE m.waitlist_id = w.id)
                     UNION ALL SELECT waitlist_id, profile_id FROM waitlist_member WHERE booking_id IS NULL) c
               JOIN waitlist w ON w.id = c.id
              WHERE w.status IN ('waiting', 'notified')
              GROUP BY c.profile_id, w.course_schedule_id, w.booking_date HAVING COUNT(*) > 1",
        )
        .await,
    );
    check(
        "an active family entry whose size is not its children without a seat",
        q("SELECT CONCAT(w.id) FROM waitlist w
            WHERE w.status IN ('waiting', 'notified') AND EXISTS (SELECT 1 FROM waitlist_member m WHERE m.waitlist_id = w.id)
              AND (SELECT COUNT(*) FROM waitlist_member m WHERE m.waitlist_id = w.id AND m.booking_id IS NULL) <> w.party_size")
        .await,
    );
    check(
        "a family child booked by its entry whose booking is of another session",
        q("SELECT CONCAT(m.waitlist_id, '/', m.profile_id) FROM waitlist_member m
            JOIN waitlist w ON w.id = m.waitlist_id JOIN booking b ON b.id = m.booking_id
            WHERE b.profile_id <> m.profile_id OR b.course_schedule_id <> w.course_schedule_id OR b.booking_date <> w.booking_date")
        .await,
    );
    check(
        "pending makeups ≠ leaves",
        q("SELECT CONCAT(p.id, ' leaves ', (SELECT COUNT(*) FROM booking b WHERE b.profile_id = p.id AND b.status = 'leave'),
                          ' pending ', (SELECT COUNT(*) FROM pending_makeup m WHERE m.profile_id = p.id))
             FROM profile p
            WHERE (SELECT COUNT(*) FROM booking b WHERE b.profile_id = p.id AND b.status = 'leave')
               <> (SELECT COUNT(*) FROM pending_makeup m WHERE m.profile_id = p.id)")
        .await,
    );
    check(
        "a pending makeup's status does not match its makeups",
        q("SELECT CONCAT(pm.id, ' ', pm.status, ' makeups ', (SELECT COUNT(*) FROM makeup_booking mb
                              WHERE mb.pending_makeup_id = pm.id AND mb.status IN ('confirmed', 'completed', 'no_show')))
             FROM pending_makeup pm
            WHERE (pm.status = 'booked') <> ((SELECT COUNT(*) FROM makeup_booking mb WHERE mb.pending_makeup_id = pm.id
                                               AND mb.status IN ('confirmed', 'completed', 'no_show')) = 1)
               OR (SELECT COUNT(*) FROM makeup_booking mb WHERE mb.pending_makeup_id = pm.id
                      AND mb.status IN ('confirmed', 'completed', 'no_show')) > 1")
        .await,
    );
    check(
        "M7 ledger ≠ balance",
        q("SELECT CONCAT(p.id, ' ledger ', COALESCE((SELECT SUM(CASE WHEN l.kind IN ('created', 'restored', 'adjusted')
                                      THEN l.minutes ELSE -l.minutes END) FROM compensation_ledger l WHERE l.profile_id = p.id), 0),
                          ' credits ', COALESCE((SELECT SUM(c.remaining_minutes) FROM class_credit_compensation c
                                      WHERE c.profile_id = p.id AND c.status = 'available'), 0))
             FROM profile p
            WHERE COALESCE((SELECT SUM(CASE WHEN l.kind IN ('created', 'restored', 'adjusted') THEN l.minutes ELSE -l.minutes END)
                              FROM compensation_ledger l WHERE l.profile_id = p.id), 0)
               <> COALESCE((SELECT SUM(c.remaining_minutes) FROM class_credit_compensation c
                              WHERE c.profile_id = p.id AND c.status = 'available'), 0)")
        .await,
    );
    check(
        "a credit's minutes out of range",
        q("SELECT CONCAT(id, ' ', remaining_minutes, '/', compensation_minutes) FROM class_credit_compensation
            WHERE remaining_minutes < 0 OR remaining_minutes > compensation_minutes")
        .await,
    );
    if quiet {
        check(
            "an offer still open after the flows settled",
            q("SELECT workflow_id FROM waitlist_flow WHERE phase IN ('broadcast', 'hold')").await,
        );
        check(
            "a confirmed makeup whose seat is not booked",
            q(
                "SELECT CONCAT(mb.id) FROM makeup_booking mb JOIN booking b ON b.id = mb.booking_id
                WHERE mb.status = 'confirmed' AND b.status <> 'booked'",
            )
            .await,
        );
        check(
            "a cancelled makeup still holding its seat",
            q(
                "SELECT CONCAT(mb.id) FROM makeup_booking mb JOIN booking b ON b.id = mb.booking_id
                WHERE mb.status = 'cancelled' AND b.status = 'booked'",
            )
            .await,
        );
        check(
            "an active hold after the flows settled",
            q("SELECT CONCAT(workflow_id, ' ', waitlist_id) FROM offer_hold WHERE ended_at IS NULL").await,
        );
    }
    found
}

/// Waits until no offer is open (windows are a second long), bounded.
async fn settle(app: &TestApp, limit: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        let (open,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM waitlist_flow WHERE phase IN ('broadcast', 'hold')",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let (pending_cancels,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM makeup_booking mb JOIN booking b ON b.id = mb.booking_id
              WHERE mb.status = 'cancelled' AND b.status = 'booked'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        if open == 0 && pending_cancels == 0 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

async fn chaos(ops: usize) {
    let seed = std::env::var("CHAOS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("chaos: seed {seed} (CHAOS_SEED={seed} replays), {ops} operations");
    let mut rng = Rng(seed);
    let w = world(12).await;
    let mut workers = [worker_process(&w.app).await, worker_process(&w.app).await];
    let mut tally: HashMap<(&'static str, u16), usize> = HashMap::new();
    let mut kills = 0;
    let batch = 8;
    let mut done = 0;
    while done < ops {
        let n = batch.min(ops - done);
        let seeds: Vec<u64> = (0..n).map(|_| rng.next()).collect();
        let results =
            futures::future::join_all(seeds.into_iter().map(|s| operate(&w, Rng(s)))).await;
        for (what, status) in results {
            *tally.entry((what, status.as_u16())).or_default() += 1;
            assert!(
                status != StatusCode::INTERNAL_SERVER_ERROR,
                "{what} answered 500 (seed {seed})"
            );
        }
        done += n;
        if rng.chance(8) {
            // A worker dies mid-flow (SIGKILL, nothing drained) and a new one starts.
            let victim = rng.below(workers.len());
            let _ = workers[victim].start_kill();
            let _ = workers[victim].wait().await;
            workers[victim] = worker_process(&w.app).await;
            kills += 1;
        }
        let found = violations(&w.app, false).await;
        assert!(
            found.is_empty(),
            "after {done} operations (seed {seed}): {found:#?}"
        );
    }
    assert!(
        settle(&w.app, Duration::from_secs(60)).await,
        "flows did not settle (seed {seed})"
    );
    let found = violations(&w.app, true).await;
    let mut summary: Vec<_> = tally.into_iter().collect();
    summary.sort();
    eprintln!("chaos: {done} operations, {kills} worker kills (seed {seed}): {summary:?}");
    assert!(found.is_empty(), "at rest (seed {seed}): {found:#?}");
}

#[tokio::test]
async fn random_operations_with_workers_killed_keep_every_invariant() {
    let ops = std::env::var("CHAOS_OPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(400);
    chaos(ops).await;
}

#[tokio::test]
#[ignore = "long run (10 000 operations): cargo test -p tests --test e2e -- --ignored chaos_long"]
async fn chaos_long() {
    chaos(10_000).await;
}
