//! O1–O8 through the whole stack: a released seat becomes a `WaitlistOfferWorkflow`, every
//! waiting parent is told, the first confirm wins, and the rest of the rules play out with
//! windows of seconds.

use crate::helpers::{Parent, TestApp, Waiter, spawn_app};
use chrono::{DateTime, NaiveDate, Utc};
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use temporalio_client::WorkflowGetResultOptions;
use workflows::WaitlistOfferWorkflow;
use workflows::offer::OfferPhase;

pub(crate) async fn cancel(app: &TestApp, holder: &(Parent, i64)) -> (StatusCode, Value) {
    app.post(
        &format!("/api/v1/bookings/{}/cancel", holder.1),
        &holder.0.token,
        json!({}),
    )
    .await
}

pub(crate) async fn respond(app: &TestApp, w: &Waiter, action: &str) -> (StatusCode, Value) {
    app.put(
        &format!("/api/v1/waitlist/{}/respond", w.entry),
        &w.parent.token,
        json!({"action": action}),
    )
    .await
}

pub(crate) async fn notification_types(app: &TestApp, p: &Parent) -> Vec<String> {
    let (_, body) = app.get("/api/v1/notifications", &p.token).await;
    body["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap().to_string())
        .collect()
}

pub(crate) async fn booked(app: &TestApp, schedule: i64, date: NaiveDate) -> i64 {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM booking WHERE course_schedule_id = ? AND booking_date = ? AND status = 'booked'",
    )
    .bind(schedule)
    .bind(date)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    n
}

/// Polls `check` until it holds (bounded): for effects that follow a timer in the workflow.
pub(crate) async fn eventually<F, Fut>(what: &str, limit: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = std::time::Instant::now();
    while !check().await {
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn offer_result(
    app: &TestApp,
    workflow_id: &str,
) -> workflows::offer::OfferStatus {
    app.temporal
        .get_workflow_handle::<WaitlistOfferWorkflow>(workflow_id.to_string())
        .get_result(WorkflowGetResultOptions::default())
        .await
        .expect("the offer completes")
}

pub(crate) async fn only_offer(app: &TestApp) -> String {
    let admin = app.admin().await;
    let (_, offers) = app.get("/api/v1/admin/offers", &admin).await;
    offers["data"]["items"][0]["workflow_id"]
        .as_str()
        .expect("an offer")
        .to_string()
}

pub(crate) fn windows(response: u32, hold: u32, grace: u32) -> Value {
    json!({"response_window_seconds": response, "hold_window_seconds": hold, "grace_seconds": grace})
}

#[tokio::test]
async fn a_cancellation_tells_all_three_waiting_parents_before_the_answer_returns() {
    let app = spawn_app().await;
    let (schedule, date, holders, waiters) = app.full_with_queue(1, 3).await;
    let (status, body) = cancel(&app, &holders[0]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The release step records round 1 in the same transaction that frees the seat.
    for w in &waiters {
        assert_eq!(
            notification_types(&app, &w.parent).await,
            vec!["spot_available"]
        );
        let (_, mine) = app.get("/api/v1/waitlist/my", &w.parent.token).await;
        let offer = &mine["data"]["items"][0]["offer"];
        assert_eq!(offer["kind"], "broadcast", "{mine}");
        assert!(offer["deadline"].is_string());
        let (_, history) = app
            .get(
                &format!("/api/v1/waitlist/{}/notifications", w.entry),
                &w.parent.token,
            )
            .await;
        assert_eq!(history["data"]["items"][0]["type"], "spot_available");
        assert_eq!(history["data"]["items"][0]["round"], 1);
    }
    // The session list shows each waiting child's open offer.
    let (_, listing) = app
        .get(
            &format!("/api/v1/sessions?date_from={date}&date_to={date}"),
            &waiters[0].parent.token,
        )
        .await;
    let session = listing["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["course_schedule_id"] == schedule)
        .unwrap();
    assert_eq!(session["mine"][0]["state"], "offered", "{session}");
    assert_eq!(session["is_full"], true, "the offered seat is the queue's");
    // The seat is the queue's: a direct booking cannot take it.
    let other = app.parent("walk-in").await;
    let child = app.child(&other, "路人", 2).await;
    let (status, body) = app.book(&other, child, schedule, date).await;
    assert_eq!(
        (status, body["code"].as_i64()),
        (StatusCode::CONFLICT, Some(40906))
    );
    // Ops see the offer with its workflow id and phase.
    let admin = app.admin().await;
    let (_, offers) = app
        .get("/api/v1/admin/offers?state=broadcast", &admin)
        .await;
    let row = &offers["data"]["items"][0];
    assert_eq!(row["phase"], "broadcast");
    assert!(
        row["workflow_id"]
            .as_str()
            .unwrap()
            .starts_with("waitlist-offer/")
    );
    // Cancelling twice is a conflict, not a second offer.
    let (status, _) = cancel(&app, &holders[0]).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn eight_parallel_confirms_make_one_winner_and_seven_taken() {
    let app = spawn_app().await;
    let (schedule, date, holders, waiters) = app.full_with_queue(2, 8).await;
    assert_eq!(cancel(&app, &holders[0]).await.0, StatusCode::OK);
    let answers = join_all(waiters.iter().map(|w| respond(&app, w, "confirm"))).await;
    let won: Vec<_> = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::OK)
        .collect();
    let taken: Vec<_> = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CONFLICT)
        .collect();
    assert_eq!(won.len(), 1, "{answers:?}");
    assert_eq!(taken.len(), 7, "{answers:?}");
    assert_eq!(won[0].1["data"]["verdict"], "won");
    assert!(won[0].1["data"]["booking_id"].as_i64().is_some());
    for (_, body) in &taken {
        assert_eq!(body["message"], "名额已被抢占");
        assert_eq!(body["data"]["verdict"], "taken");
    }
    assert_eq!(
        booked(&app, schedule, date).await,
        2,
        "at capacity, never over"
    );

    let result = offer_result(&app, &only_offer(&app).await).await;
    assert_eq!(result.phase, OfferPhase::Won);
    // Everyone else is told, as a message too.
    let winner = answers
        .iter()
        .position(|(s, _)| *s == StatusCode::OK)
        .unwrap();
    for (i, w) in waiters.iter().enumerate() {
        let types = notification_types(&app, &w.parent).await;
        assert_eq!(
            types.contains(&"seat_taken".to_string()),
            i != winner,
            "{i}: {types:?}"
        );
    }
    // The winner left the queue; the other seven are renumbered 1..7.
    let parents: Vec<&Parent> = waiters.iter().map(|w| &w.parent).collect();
    let positions: Vec<i64> = app
        .positions(&parents)
        .await
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    assert_eq!(positions, (1..=7).collect::<Vec<_>>());

    // Ops see the conversion.
    let admin = app.admin().await;
    let (_, stats) = app.get("/api/v1/admin/stats", &admin).await;
    let offers = &stats["data"]["offers"];
    assert_eq!(
        (offers["offers"].as_i64(), offers["won"].as_i64()),
        (Some(1), Some(1)),
        "{stats}"
    );
    assert_eq!(offers["conversion"], 1.0);
    assert!(offers["avg_seconds_to_fill"].as_f64().unwrap() > 0.0);
    assert_eq!(stats["data"]["waitlist"]["confirmed"], 1);
    assert_eq!(stats["data"]["waitlist"]["waiting"], 7);
    let in_app = &stats["data"]["notifications"][0];
    assert_eq!(in_app["channel"], "in_app");
    let (offer_messages,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM notification WHERE type IN ('spot_available', 'seat_taken')",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(offer_messages, 15, "8 offers + 7 seat_taken");
    assert!(
        in_app["count"].as_i64().unwrap() >= 15,
        "and moves up the queue: {stats}"
    );
}

#[tokio::test]
async fn two_seats_released_at_once_make_exactly_two_winners() {
    let app = spawn_app().await;
    let (schedule, date, holders, waiters) = app.full_with_queue(2, 8).await;
    let cancels = join_all(holders.iter().map(|h| cancel(&app, h))).await;
    assert!(
        cancels.iter().all(|(s, _)| *s == StatusCode::OK),
        "{cancels:?}"
    );
    let answers = join_all(waiters.iter().map(|w| respond(&app, w, "confirm"))).await;
    let won = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let taken = answers
        .iter()
        .filter(|(s, b)| *s == StatusCode::CONFLICT && b["data"]["verdict"] == "taken")
        .count();
    assert_eq!((won, taken), (2, 6), "{answers:?}");
    assert_eq!(booked(&app, schedule, date).await, 2);
}

#[tokio::test]
async fn unanswered_offers_are_held_in_turn_and_a_late_confirm_gets_410() {
    let app = spawn_app().await;
    app.set_type_settings("group", windows(1, 4, 1)).await;
    let (schedule, date, holders, waiters) = app.full_with_queue(1, 3).await;
    let (a, b, c) = (&waiters[0], &waiters[1], &waiters[2]);
    assert_eq!(cancel(&app, &holders[0]).await.0, StatusCode::OK);

    // Nobody confirms in the 1 s window: the seat is held for the first in line (O5).
    eventually("hold for A", Duration::from_secs(10), || async {
        notification_types(&app, &a.parent)
            .await
            .contains(&"hold_for_you".to_string())
    })
    .await;
    let (status, body) = respond(&app, b, "confirm").await;
    assert_eq!(status, StatusCode::GONE, "{body}");
    assert_eq!(
        body["message"],
        "候补确认已过期，名额已顺位给下一位候补用户"
    );

    // A lets the hold lapse: A's entry expires (timeout) and the seat moves on to B.
    eventually("hold for B", Duration::from_secs(10), || async {
        notification_types(&app, &b.parent)
            .await
            .contains(&"hold_for_you".to_string())
    })
    .await;
    let (_, a_mine) = app.get("/api/v1/waitlist/my", &a.parent.token).await;
    assert_eq!(a_mine["data"]["items"][0]["status"], "expired");
    assert_eq!(a_mine["data"]["items"][0]["expiration_reason"], "timeout");
    assert!(
        notification_types(&app, &a.parent)
            .await
            .contains(&"offer_expired".to_string())
    );
    let (status, body) = respond(&app, a, "confirm").await;
    assert_eq!(status, StatusCode::GONE, "{body}");

    let (status, body) = respond(&app, b, "confirm").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["verdict"], "won");
    assert_eq!(booked(&app, schedule, date).await, 1);
    // C is now first in line.
    let (_, c_pos) = app
        .get(
            &format!("/api/v1/waitlist/position/{}", c.entry),
            &c.parent.token,
        )
        .await;
    assert_eq!(c_pos["data"]["position"], 1);
}

#[tokio::test]
async fn beginning_before_the_deadline_allows_a_confirm_after_it() {
    let app = spawn_app().await;
    app.set_type_settings("group", windows(2, 30, 5)).await;
    let (_, _, holders, waiters) = app.full_with_queue(1, 2).await;
    let (a, b) = (&waiters[0], &waiters[1]);
    assert_eq!(cancel(&app, &holders[0]).await.0, StatusCode::OK);
    let (status, began) = respond(&app, a, "begin").await;
    assert_eq!(status, StatusCode::OK, "{began}");
    assert_eq!(began["data"]["verdict"], "began");
    let grace_until: DateTime<Utc> = began["data"]["grace_until"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    // Past the 2 s deadline, inside A's grace: B (no begin) is late, A is not (O6).
    let (_, mine) = app.get("/api/v1/waitlist/my", &b.parent.token).await;
    let deadline: DateTime<Utc> = mine["data"]["items"][0]["offer"]["deadline"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let past_deadline =
        (deadline - Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(300);
    tokio::time::sleep(past_deadline).await; // the rule is about time passing
    assert!(Utc::now() < grace_until);
    let (status, body) = respond(&app, b, "confirm").await;
    assert_eq!(status, StatusCode::GONE, "{body}");
    let (status, body) = respond(&app, a, "confirm").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["verdict"], "won");
}

#[tokio::test]
async fn declining_keeps_the_place_in_the_queue() {
    let app = spawn_app().await;
    let (_, _, holders, waiters) = app.full_with_queue(1, 2).await;
    assert_eq!(cancel(&app, &holders[0]).await.0, StatusCode::OK);
    let (status, body) = respond(&app, &waiters[0], "decline").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["verdict"], "declined");
    let (_, pos) = app
        .get(
            &format!("/api/v1/waitlist/position/{}", waiters[0].entry),
            &waiters[0].parent.token,
        )
        .await;
    assert_eq!(pos["data"]["position"], 1);
    // The offer stays open for the others.
    let (status, body) = respond(&app, &waiters[1], "confirm").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, history) = app
        .get(
            &format!("/api/v1/waitlist/{}/notifications", waiters[0].entry),
            &waiters[0].parent.token,
        )
        .await;
    let items = history["data"]["items"].as_array().unwrap();
    let spot = items
        .iter()
        .find(|n| n["type"] == "spot_available")
        .unwrap();
    assert_eq!(spot["response"], "decline");
}

#[tokio::test]
async fn raising_capacity_offers_the_new_seat_to_the_queue() {
    let app = spawn_app().await;
    let (schedule, date, _, waiters) = app.full_with_queue(1, 2).await;
    let admin = app.admin().await;
    let (status, body) = app
        .put(
            &format!("/api/v1/admin/sessions/{schedule}/{date}/capacity"),
            &admin,
            json!({"capacity": 2}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["released"], 1);
    assert!(
        body["data"]["offer_workflow_id"]
            .as_str()
            .unwrap()
            .contains("capacity-v1")
    );
    for w in &waiters {
        assert_eq!(
            notification_types(&app, &w.parent).await,
            vec!["spot_available"]
        );
    }
    let (status, _) = respond(&app, &waiters[1], "confirm").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(booked(&app, schedule, date).await, 2);
    // Lowering below the booked seats is refused.
    let (status, _) = app
        .put(
            &format!("/api/v1/admin/sessions/{schedule}/{date}/capacity"),
            &admin,
            json!({"capacity": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_release_after_the_cutoff_makes_no_offer() {
    let app = spawn_app().await;
    let (_, _, holders, waiters) = app.full_with_queue(1, 1).await;
    // Ops move the cutoff so it has passed for this class (it starts in 3 days).
    app.set_type_settings("group", json!({"cutoff_seconds": 4 * 24 * 3600}))
        .await;
    let (status, body) = cancel(&app, &holders[0]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        notification_types(&app, &waiters[0].parent)
            .await
            .is_empty()
    );
    let admin = app.admin().await;
    let (_, offers) = app.get("/api/v1/admin/offers?state=cutoff", &admin).await;
    assert_eq!(
        offers["data"]["items"].as_array().unwrap().len(),
        1,
        "{offers}"
    );
    // Nothing was offered to confirm.
    let (status, body) = respond(&app, &waiters[0], "confirm").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["data"]["verdict"], "not_offered");
}
