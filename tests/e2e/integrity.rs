//! Issue 11: seats, makeups and flows that stay right under retries, races and crashes. Each
//! test names the defect it proves fixed.

use crate::helpers::{
    LOSE_FIRST_ATTEMPT, Parent, SessionSpec, TestApp, Waiter, spawn_app, spawn_app_with,
};
use crate::makeup::{balance, book as book_makeup, leave_from, ledger_balances, spec};
use crate::offers::{cancel, eventually, notification_types, respond, windows};
use crate::wechat_delivery::{grant, wechat_app};
use activities::notify::templates::NoticeType;
use chrono::{Duration as Days, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;
use workflows::SessionKey;

const LIMIT: Duration = Duration::from_secs(20);

async fn seats_left(app: &TestApp, p: &Parent, schedule: i64, date: NaiveDate) -> i64 {
    let (_, list) = app
        .get(
            &format!("/api/v1/sessions?date_from={date}&date_to={date}"),
            &p.token,
        )
        .await;
    list["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["course_schedule_id"] == schedule)
        .map(|s| s["seats_left"].as_i64().unwrap())
        .expect("the session is listed")
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&app.pool).await.unwrap();
    n
}

/// Seen running: with more than 30 waiting, the delivery fan-out used `join_all`'s
/// `FuturesOrdered` (TMPRL1100) and the offer never moved. 100 parents wait on one seat.
#[tokio::test]
async fn a_hundred_waiting_parents_are_all_told_and_exactly_one_of_them_wins() {
    let app = wechat_app().await;
    app.set_type_settings("group", json!({"waitlist_capacity": 100}))
        .await;
    let (schedule, date, holders, waiters) = app.full_with_queue(1, 100).await;
    for w in &waiters {
        grant(
            &app,
            &w.parent,
            &[NoticeType::SpotAvailable, NoticeType::SeatTaken],
        )
        .await;
    }
    let (status, body) = cancel(&app, &holders[0]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Every parent's message is recorded by the time the cancel answers (the release step).
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM notification WHERE type = 'spot_available'"
        )
        .await,
        100
    );
    let answers =
        futures::future::join_all(waiters.iter().map(|w| respond(&app, w, "confirm"))).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|(s, _)| *s).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1);
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        99,
        "{statuses:?}"
    );
    let sent = app.wechat.wait_for_accepted(100 + 99, LIMIT).await;
    assert_eq!(
        sent.iter()
            .filter(|s| s.template_id
                == crate::helpers::wechat_double::template_id(NoticeType::SeatTaken))
            .count(),
        99
    );
    assert_eq!(
        crate::offers::booked(&app, schedule, date).await,
        1,
        "never over capacity"
    );
}

/// Seen running: ids built from database ids alone met the runs of another database on the
/// same Temporal namespace (a reset dev database): the second family's cancel answered 409.
#[tokio::test]
async fn two_databases_on_one_temporal_namespace_never_share_a_workflow() {
    let first = spawn_app().await;
    let namespace = first.config.common.temporal.namespace.clone();
    let second = spawn_app_with(HashMap::from([("TEMPORAL_NAMESPACE", namespace)]), true).await;
    let mut makeup_ids = Vec::new();
    for app in [&first, &second] {
        let p = app.parent("parent").await;
        let child = app.child(&p, "小明", 2).await;
        let pending = leave_from(app, &p, child, 90, 3).await;
        let target = app.session(spec("group", 2, 90, 6, 4)).await;
        let (status, booked) = book_makeup(app, &p, pending, target, json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{booked}");
        let id = booked["data"]["makeup_booking_id"].as_i64().unwrap();
        let (status, body) = app
            .delete(&format!("/api/v1/makeup/{id}/cancel"), &p.token)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        makeup_ids.push(
            app.ids()
                .await
                .makeup(pending, SessionKey::new(target.0, target.1)),
        );
    }
    assert_ne!(makeup_ids[0], makeup_ids[1]);
}

/// Follows from the code: the makeup booking read its idempotency record before locking the
/// session, so its seat counts came from a snapshot older than the lock and a booking
/// committed while it waited was invisible to it. Forced interleaving on two connections.
#[tokio::test]
async fn a_booking_committed_while_a_makeup_waited_for_the_lock_is_counted() {
    use sqlx::Connection;
    let app = spawn_app().await;
    let p = app.parent("parent").await;
    let child = app.child(&p, "小明", 2).await;
    let pending = leave_from(&app, &p, child, 90, 3).await;
    let (schedule, date) = app.session(spec("group", 2, 90, 1, 4)).await;
    let other = app.parent("other").await;
    let other_child = app.child(&other, "小红", 2).await;
    let session = SessionKey::new(schedule, date);
    let starts_at = Utc::now() + Days::days(4);
    sqlx::query(
        "INSERT INTO class_session (course_schedule_id, booking_date, starts_at) VALUES (?, ?, ?)",
    )
    .bind(schedule)
    .bind(date)
    .bind(starts_at)
    .execute(&app.pool)
    .await
    .unwrap();

    // Connection A takes the session lock and the last seat, and holds them.
    let url = app.worker_config.common.database_url.expose().to_string();
    let mut a = sqlx::MySqlConnection::connect(&url).await.unwrap();
    let mut tx = a.begin().await.unwrap();
    sqlx::query(
        "SELECT id FROM class_session WHERE course_schedule_id = ? AND booking_date = ? FOR UPDATE",
    )
    .bind(schedule)
    .bind(date)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO booking (profile_id, course_schedule_id, booking_date, status) VALUES (?, ?, ?, 'booked')",
    )
    .bind(other_child)
    .bind(schedule)
    .bind(date)
    .execute(&mut *tx)
    .await
    .unwrap();

    // B: the makeup booking activity, started while A holds the lock.
    let db = activities::Db::new(app.pool.clone());
    let notices = activities::Notices {
        club_tz: app.config.common.club_tz,
        drafts: activities::notify::drafts::WechatDrafts::disabled(),
    };
    let request = workflows::makeup::MakeupRequest {
        pending_id: pending,
        session,
        accept_shorter: false,
        use_compensation: false,
        settings: Default::default(),
        starts_at,
        ends_at: starts_at + Days::minutes(90),
        adopt: None,
        ids: app.ids().await,
    };
    let b = tokio::spawn(async move {
        activities::makeup_activities::book(
            &db,
            &notices,
            workflows::activities::BookMakeup {
                workflow_id: "makeup-booking/interleaving".into(),
                request,
            },
        )
        .await
    });
    // Wait until InnoDB shows B waiting for A's lock. Seen on a loaded machine: the wait was
    // not visible within the limit (flaky in 2 of 3 full runs); then A commits anyway, and the
    // outcome below must still count A's seat.
    let started = std::time::Instant::now();
    loop {
        assert!(!b.is_finished(), "B did not wait for the lock");
        let waiting = count(
            &app,
            "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'",
        )
        .await
            > 0;
        if waiting {
            break;
        }
        if started.elapsed() > LIMIT {
            eprintln!("B's lock wait was not seen within {LIMIT:?}: A commits anyway");
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tx.commit().await.unwrap();
    let outcome = b.await.unwrap().expect("the activity answers");
    assert_eq!(
        outcome,
        workflows::makeup::BookingOutcome::Refused(workflows::makeup::MakeupRefusal::Full),
        "the seat A took is counted"
    );
    assert_eq!(crate::offers::booked(&app, schedule, date).await, 1);
}

/// Follows from the code: a retry after the commit returned `created_credit: None`, so a credit
/// whose first attempt's result was lost never got its `CompensationCreditWorkflow` (never
/// reminded, never expired). The first attempt of the booking is lost after its commit.
#[tokio::test]
async fn a_booking_retried_after_its_commit_still_starts_the_credit_it_created() {
    let app = spawn_app_with(
        HashMap::from([(LOSE_FIRST_ATTEMPT, "makeup.book".to_string())]),
        true,
    )
    .await;
    let p = app.parent("parent").await;
    let child = app.child(&p, "小明", 2).await;
    let pending = leave_from(&app, &p, child, 120, 3).await;
    let target = app.session(spec("group", 2, 90, 6, 4)).await;
    let (status, booked) =
        book_makeup(&app, &p, pending, target, json!({"accept_shorter": true})).await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    assert_eq!(booked["data"]["compensation_created"], 30);
    let (credit_id,): (i64,) = sqlx::query_as("SELECT id FROM class_credit_compensation")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let workflow_id = app.ids().await.credit(credit_id);
    let handle = app
        .temporal
        .get_workflow_handle::<workflows::CompensationCreditWorkflow>(workflow_id.clone());
    eventually("the credit's workflow runs", LIMIT, || async {
        handle
            .describe(Default::default())
            .await
            .is_ok_and(|d| d.raw_description.workflow_execution_info.is_some())
    })
    .await;
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM class_credit_compensation").await,
        1,
        "the retry created nothing twice"
    );
    ledger_balances(&app, &p).await;
}

/// The claim's first attempt is lost after its commit: the retry must return the adopted
/// makeup, or the won seat never gets its `MakeupBookingWorkflow` (cancel then answers 409).
#[tokio::test]
async fn a_seat_won_as_a_makeup_and_retried_after_its_commit_is_still_a_cancellable_makeup() {
    let app = spawn_app_with(
        HashMap::from([(LOSE_FIRST_ATTEMPT, "offer.claim".to_string())]),
        true,
    )
    .await;
    let (waiter, holding, _, _) = waiting_as_a_makeup(&app, 90, 90).await;
    let p = waiter.parent.clone();
    assert_eq!(cancel(&app, &holding).await.0, StatusCode::OK);
    let (status, body) = respond(&app, &waiter, "confirm").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, mine) = app.get("/api/v1/makeup/my", &p.token).await;
    let id = mine["data"]["items"][0]["makeup_booking_id"]
        .as_i64()
        .expect("the seat is a makeup");
    let mut answer = (StatusCode::CONFLICT, Value::Null);
    let started = std::time::Instant::now();
    while answer.0 != StatusCode::OK && started.elapsed() < LIMIT {
        answer = app
            .delete(&format!("/api/v1/makeup/{id}/cancel"), &p.token)
            .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
}

/// A child with a pending makeup of an `original`-minute class waits, as that makeup, for a
/// full `target`-minute class of one seat; returns (the waiter, the holder of the seat, the
/// session, the child).
async fn waiting_as_a_makeup(
    app: &TestApp,
    original: u32,
    target: u32,
) -> (Waiter, (Parent, i64), (i64, NaiveDate), i64) {
    let p = app.parent("parent").await;
    let child = app.child(&p, "小明", 2).await;
    let pending = leave_from(app, &p, child, original, 3).await;
    let (schedule, date) = app.session(spec("group", 2, target, 1, 4)).await;
    let holder = app.parent("holder").await;
    let hc = app.child(&holder, "占位", 2).await;
    let (_, held) = app.book(&holder, hc, schedule, date).await;
    let (status, joined) = app
        .post(
            "/api/v1/waitlist/join",
            &p.token,
            json!({"profile_id": child, "course_schedule_id": schedule, "booking_date": date,
                   "pending_id": pending, "accept_shorter": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{joined}");
    let waiter = Waiter {
        parent: p,
        entry: joined["data"]["waitlist_id"].as_i64().unwrap(),
    };
    let holding = (holder, held["data"]["booking_id"].as_i64().unwrap());
    (waiter, holding, (schedule, date), child)
}

/// Lock waits are bounded below every timeout (InnoDB waits 50 s by default) and a lock that
/// cannot be had is a "try again" (503), never a 500 or a hang.
#[tokio::test]
async fn a_session_locked_too_long_answers_busy_quickly_instead_of_hanging() {
    use sqlx::Connection;
    let app = spawn_app_with(HashMap::new(), false).await;
    let pool =
        platform::database::pool(app.worker_config.common.database_url.expose(), 1).expect("pool");
    let (timeout,): (u64,) = sqlx::query_as("SELECT @@innodb_lock_wait_timeout")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(timeout, u64::from(platform::database::LOCK_WAIT_SECONDS));

    let (schedule, date) = app.session(SessionSpec::default()).await;
    let p = app.parent("parent").await;
    let child = app.child(&p, "小明", 2).await;
    let other = app.child(&p, "小红", 2).await;
    assert_eq!(
        app.book(&p, other, schedule, date).await.0,
        StatusCode::CREATED
    );
    let url = app.worker_config.common.database_url.expose().to_string();
    let mut a = sqlx::MySqlConnection::connect(&url).await.unwrap();
    let mut tx = a.begin().await.unwrap();
    sqlx::query(
        "SELECT id FROM class_session WHERE course_schedule_id = ? AND booking_date = ? FOR UPDATE",
    )
    .bind(schedule)
    .bind(date)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let (status, body) = app.book(&p, child, schedule, date).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["message"], "系统繁忙，请稍后重试");
    tx.rollback().await.unwrap();
    assert_eq!(
        app.book(&p, child, schedule, date).await.0,
        StatusCode::CREATED
    );
}

/// Follows from the code: a claim that kept failing retried forever and froze the offer. Now a
/// claim that fails for good answers "try again" at once and the offer goes on.
#[tokio::test]
async fn a_claim_that_fails_for_good_answers_503_and_the_offer_goes_on() {
    let app = spawn_app().await;
    app.set_type_settings("group", windows(60, 60, 0)).await;
    let (_, _, holders, waiters) = app.full_with_queue(1, 2).await;
    assert_eq!(cancel(&app, &holders[0]).await.0, StatusCode::OK);
    sqlx::query("RENAME TABLE activity_outcome TO activity_outcome_away")
        .execute(&app.pool)
        .await
        .unwrap();
    let (status, body) = respond(&app, &waiters[0], "confirm").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    sqlx::query("RENAME TABLE activity_outcome_away TO activity_outcome")
        .execute(&app.pool)
        .await
        .unwrap();
    let (status, body) = respond(&app, &waiters[1], "confirm").await;
    assert_eq!(status, StatusCode::OK, "the seat is still on offer: {body}");
}

/// A seat held by an offer whose workflow was terminated from the Temporal UI is given back
/// by the maintenance job.
#[tokio::test]
async fn a_seat_held_by_a_terminated_offer_goes_back_to_the_session() {
    let app = spawn_app().await;
    app.set_type_settings("group", windows(600, 600, 0)).await;
    let (schedule, date, holders, waiters) = app.full_with_queue(1, 1).await;
    assert_eq!(cancel(&app, &holders[0]).await.0, StatusCode::OK);
    let browser = app.parent("browser").await;
    assert_eq!(seats_left(&app, &browser, schedule, date).await, 0);
    let admin = app.admin().await;
    let (_, offers) = app.get("/api/v1/admin/offers", &admin).await;
    let workflow_id = offers["data"]["items"][0]["workflow_id"]
        .as_str()
        .unwrap()
        .to_string();
    app.temporal
        .get_workflow_handle::<workflows::WaitlistOfferWorkflow>(workflow_id.clone())
        .terminate(Default::default())
        .await
        .expect("terminated from the UI");
    eventually("the seat comes back", LIMIT, || async {
        seats_left(&app, &browser, schedule, date).await == 1
    })
    .await;
    let (_, offers) = app.get("/api/v1/admin/offers", &admin).await;
    assert_eq!(offers["data"]["items"][0]["phase"], "failed");
    let (status, _) = respond(&app, &waiters[0], "confirm").await;
    assert_ne!(status, StatusCode::OK, "a dead offer gives no seat");
}

/// Number of respond updates the offer's history has accepted.
async fn accepted_updates(app: &TestApp, workflow_id: &str) -> usize {
    let history = app
        .temporal
        .get_workflow_handle::<workflows::WaitlistOfferWorkflow>(workflow_id.to_string())
        .fetch_history(Default::default());
    let json = history.to_json().await.unwrap();
    String::from_utf8_lossy(&json)
        .matches("WorkflowExecutionUpdateAcceptedEventAttributes")
        .count()
}

/// Follows from the code: the validator accepted any answer while the offer was open, so a
/// declined or never-offered entry still wrote every call into the run's history.
#[tokio::test]
async fn declined_and_never_offered_answers_never_reach_the_offers_history() {
    let app = spawn_app().await;
    app.set_type_settings("group", windows(600, 600, 60)).await;
    let (schedule, date, holders, waiters) = app.full_with_queue(1, 2).await;
    assert_eq!(cancel(&app, &holders[0]).await.0, StatusCode::OK);
    let offer = crate::offers::only_offer(&app).await;
    let late = app.parent("late").await;
    let late_child = app.child(&late, "晚到", 2).await;
    let (status, joined) = app.join(&late, late_child, schedule, date).await;
    assert_eq!(status, StatusCode::CREATED, "{joined}");
    let latecomer = Waiter {
        parent: late,
        entry: joined["data"]["waitlist_id"].as_i64().unwrap(),
    };
    assert_eq!(
        respond(&app, &waiters[0], "decline").await.0,
        StatusCode::OK
    );
    let before = accepted_updates(&app, &offer).await;
    for _ in 0..10 {
        assert_eq!(
            respond(&app, &waiters[0], "confirm").await.0,
            StatusCode::CONFLICT
        );
        assert_eq!(
            respond(&app, &latecomer, "confirm").await.0,
            StatusCode::CONFLICT
        );
    }
    assert_eq!(accepted_updates(&app, &offer).await, before);
    // And an offered entry cannot answer without end.
    let mut last = StatusCode::OK;
    for _ in 0..12 {
        last = respond(&app, &waiters[1], "begin").await.0;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

/// A parent who holds the seat and leaves the queue passes the hold on at once (not after the
/// hold window).
#[tokio::test]
async fn a_holder_who_leaves_the_queue_passes_the_hold_on_at_once() {
    let app = spawn_app().await;
    app.set_type_settings("group", windows(1, 600, 0)).await;
    let (_, _, holders, waiters) = app.full_with_queue(1, 2).await;
    assert_eq!(cancel(&app, &holders[0]).await.0, StatusCode::OK);
    let held = |p: Parent| {
        let app = &app;
        async move {
            notification_types(app, &p)
                .await
                .contains(&"hold_for_you".to_string())
        }
    };
    eventually("the first in line is held for", LIMIT, || {
        held(waiters[0].parent.clone())
    })
    .await;
    let (status, body) = app
        .delete(
            &format!("/api/v1/waitlist/{}", waiters[0].entry),
            &waiters[0].parent.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    eventually("the hold passes to the second", LIMIT, || {
        held(waiters[1].parent.clone())
    })
    .await;
    assert_eq!(
        respond(&app, &waiters[1], "confirm").await.0,
        StatusCode::OK
    );
}

/// An offer of two seats holds for two people at once; two offers never hold the same entry.
#[tokio::test]
async fn two_seats_are_held_for_two_people_at_once_and_never_twice_for_one() {
    let app = spawn_app().await;
    app.set_type_settings("group", windows(1, 600, 0)).await;
    let (schedule, date, holders, waiters) = app.full_with_queue(2, 3).await;
    // Two cancellations: two offers of one seat each.
    for h in &holders {
        assert_eq!(cancel(&app, h).await.0, StatusCode::OK);
    }
    eventually("two holds", LIMIT, || async {
        count(
            &app,
            "SELECT COUNT(*) FROM offer_hold WHERE ended_at IS NULL",
        )
        .await
            == 2
    })
    .await;
    let held: Vec<(i64,)> = sqlx::query_as(
        "SELECT waitlist_id FROM offer_hold WHERE ended_at IS NULL ORDER BY waitlist_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        held.iter().map(|h| h.0).collect::<Vec<_>>(),
        vec![waiters[0].entry, waiters[1].entry],
        "the first two in line, one each"
    );
    // One offer of two seats (capacity raised by two): two holders of the same offer.
    let admin = app.admin().await;
    for w in &waiters[..2] {
        assert_eq!(respond(&app, w, "confirm").await.0, StatusCode::OK);
    }
    let more = (0..2).map(|i| format!("more-{i}"));
    let mut extra = Vec::new();
    for code in more {
        let p = app.parent(&code).await;
        let c = app.child(&p, "候补", 2).await;
        let (status, joined) = app.join(&p, c, schedule, date).await;
        assert_eq!(status, StatusCode::CREATED, "{joined}");
        extra.push(joined["data"]["waitlist_id"].as_i64().unwrap());
    }
    let (status, body) = app
        .put(
            &format!("/api/v1/admin/sessions/{schedule}/{date}/capacity"),
            &admin,
            json!({"capacity": 4}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let offer = body["data"]["offer_workflow_id"]
        .as_str()
        .unwrap()
        .to_string();
    eventually("the capacity offer holds for two", LIMIT, || async {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM offer_hold WHERE workflow_id = ? AND ended_at IS NULL",
        )
        .bind(&offer)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        n == 2
    })
    .await;
}

/// M3: a seat won from a makeup's waitlist entry is refused when the child has another class
/// at that time; the seat stays with the offer for the others.
#[tokio::test]
async fn a_makeup_seat_won_from_a_queue_is_refused_on_a_time_clash_and_stays_on_offer() {
    let app = spawn_app().await;
    app.set_type_settings("group", windows(600, 600, 0)).await;
    let (waiter, holding, (schedule, date), child) = waiting_as_a_makeup(&app, 90, 90).await;
    let p = waiter.parent.clone();
    let other = app.parent("other").await;
    let oc = app.child(&other, "小红", 2).await;
    let (_, other_joined) = app.join(&other, oc, schedule, date).await;
    let other_waiter = Waiter {
        parent: other,
        entry: other_joined["data"]["waitlist_id"].as_i64().unwrap(),
    };
    // The same child meanwhile books another class at the same time.
    let clash = app.session(spec("vip", 2, 60, 6, 4)).await;
    assert_eq!(
        app.book(&p, child, clash.0, clash.1).await.0,
        StatusCode::CREATED
    );
    assert_eq!(cancel(&app, &holding).await.0, StatusCode::OK);
    let (status, body) = respond(&app, &waiter, "confirm").await;
    assert_eq!(
        (status, body["code"].as_i64()),
        (StatusCode::CONFLICT, Some(40910)),
        "{body}"
    );
    let (status, body) = respond(&app, &other_waiter, "confirm").await;
    assert_eq!(status, StatusCode::OK, "the seat stayed on offer: {body}");
}

/// M4: with `extra_requires_compensation`, a longer makeup won from a queue is paid from
/// credits; without enough, the claim is refused with the numbers.
#[tokio::test]
async fn a_longer_makeup_won_from_a_queue_must_be_paid_from_credits_where_the_club_says_so() {
    let app = spawn_app().await;
    app.set_type_settings(
        "group",
        json!({"response_window_seconds": 600, "hold_window_seconds": 600,
               "extra_requires_compensation": true}),
    )
    .await;
    let (waiter, holding, _, _) = waiting_as_a_makeup(&app, 60, 90).await;
    assert_eq!(cancel(&app, &holding).await.0, StatusCode::OK);
    let (status, body) = respond(&app, &waiter, "confirm").await;
    assert_eq!(
        (status, body["code"].as_i64()),
        (StatusCode::CONFLICT, Some(40909)),
        "{body}"
    );
    assert_eq!(body["message"], "补偿时长不足，需要30分钟，可用0分钟");
}

/// Follows from the code: a credit revoked (its makeup cancelled) came back to life when a
/// later cancel restored minutes another makeup had spent from it.
#[tokio::test]
async fn a_revoked_credit_stays_revoked_when_a_later_cancel_restores_its_minutes() {
    let app = spawn_app().await;
    let p = app.parent("parent").await;
    let child = app.child(&p, "小明", 2).await;
    // Makeup A: 120 → 90 minutes creates a 30-minute credit.
    let first = leave_from(&app, &p, child, 120, 3).await;
    let a_target = app.session(spec("group", 2, 90, 6, 4)).await;
    let (status, a) = book_makeup(&app, &p, first, a_target, json!({"accept_shorter": true})).await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    // Makeup B: 80 → 90 minutes spends 10 of them.
    let second = leave_from(&app, &p, child, 80, 5).await;
    let b_target = app.session(spec("group", 2, 90, 6, 6)).await;
    let (status, b) = book_makeup(
        &app,
        &p,
        second,
        b_target,
        json!({"use_compensation": true}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    assert_eq!(balance(&app, &p).await, 20);
    let cancel_makeup = |body: Value| {
        let app = &app;
        let p = &p;
        async move {
            let id = body["data"]["makeup_booking_id"].as_i64().unwrap();
            app.delete(&format!("/api/v1/makeup/{id}/cancel"), &p.token)
                .await
        }
    };
    let (status, body) = cancel_makeup(a).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["revoked_minutes"], 20);
    let (status, body) = cancel_makeup(b).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["restored_minutes"], 10);
    assert_eq!(
        balance(&app, &p).await,
        0,
        "the revoked credit stays revoked"
    );
    let (status,): (String,) =
        sqlx::query_as("SELECT CAST(status AS CHAR) FROM class_credit_compensation")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(status, "revoked");
    ledger_balances(&app, &p).await;
}

/// Extreme dates answer 400, not 500.
#[tokio::test]
async fn extreme_dates_are_refused_with_400() {
    let app = spawn_app_with(HashMap::new(), false).await;
    let (schedule, _) = app.session(SessionSpec::default()).await;
    let p = app.parent("parent").await;
    let child = app.child(&p, "小明", 2).await;
    for date in ["+10000-01-06", "9999-12-27", "0001-01-01", "1900-01-01"] {
        let (status, body) = app
            .post(
                "/api/v1/bookings",
                &p.token,
                json!({"profile_id": child, "course_schedule_id": schedule, "booking_date": date}),
            )
            .await;
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{date}: {status} {body}"
        );
        let (status, body) = app
            .get(
                &format!("/api/v1/sessions?date_from={date}&date_to={date}"),
                &p.token,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{date}: {body}");
    }
}

/// A failed migration stops the process (the API must not serve a schema that does not match
/// its code); only an unreachable server is waited for.
#[tokio::test]
async fn a_migration_that_fails_is_an_error_not_a_warning() {
    let server = crate::helpers::db_server_url();
    let name = format!("e2e_badschema_{}", std::process::id());
    let admin = sqlx::MySqlPool::connect(&server).await.unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS `{name}`"))
        .execute(&admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE `{name}`"))
        .execute(&admin)
        .await
        .unwrap();
    let url = format!("{}/{name}", server.trim_end_matches('/'));
    let db = sqlx::MySqlPool::connect(&url).await.unwrap();
    // A table of the first migration already there, by someone else's hand.
    sqlx::query("CREATE TABLE `user` (id INT PRIMARY KEY)")
        .execute(&db)
        .await
        .unwrap();
    let err = api::migrate(&url)
        .await
        .expect_err("the first migration cannot apply");
    assert!(!api::is_unreachable(&err), "{err:#}");
    let down = api::migrate("mysql://root@127.0.0.1:9/nothing")
        .await
        .unwrap_err();
    assert!(api::is_unreachable(&down), "{down:#}");
    sqlx::query(&format!("DROP DATABASE `{name}`"))
        .execute(&admin)
        .await
        .unwrap();
}
