//! E1 through the whole stack: the waiting estimate comes from the course's real release
//! history, and ops see the figures behind it.

use crate::helpers::{Parent, SessionSpec, TestApp, Waiter, spawn_app};
use crate::offers::{cancel, respond};
use chrono::NaiveDate;
use reqwest::StatusCode;
use serde_json::Value;

async fn booked_holder(app: &TestApp, code: &str, schedule: i64, date: NaiveDate) -> (Parent, i64) {
    let p = app.parent(code).await;
    let child = app.child(&p, "占位", 2).await;
    let (status, body) = app.book(&p, child, schedule, date).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (p, body["data"]["booking_id"].as_i64().expect("booking id"))
}

async fn waiter(app: &TestApp, code: &str, schedule: i64, date: NaiveDate) -> (Waiter, Value) {
    let p = app.parent(code).await;
    let child = app.child(&p, "候补", 2).await;
    let (status, body) = app.join(&p, child, schedule, date).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let entry = body["data"]["waitlist_id"].as_i64().expect("waitlist id");
    (Waiter { parent: p, entry }, body)
}

async fn my_estimate(app: &TestApp, w: &Waiter) -> String {
    let (_, mine) = app.get("/api/v1/waitlist/my", &w.parent.token).await;
    mine["data"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|e| e["waitlist_id"] == w.entry)
        .and_then(|e| e["estimated_wait_time"].as_str())
        .expect("an estimate")
        .to_string()
}

/// A one-seat weekly class, full this week and next, with this week's first in line waiting:
/// (schedule, this week, next week, this week's holder, this week's first in line).
async fn two_full_weeks(app: &TestApp) -> (i64, NaiveDate, NaiveDate, (Parent, i64), Waiter) {
    let (schedule, this_week) = app
        .session(SessionSpec {
            capacity: 1,
            ..Default::default()
        })
        .await;
    let next_week = this_week + chrono::Duration::days(7);
    let holder = booked_holder(app, "holder-now", schedule, this_week).await;
    booked_holder(app, "holder-next", schedule, next_week).await;
    let (first_now, _) = waiter(app, "first-now", schedule, this_week).await;
    (schedule, this_week, next_week, holder, first_now)
}

#[tokio::test]
async fn the_estimate_changes_once_the_course_has_a_real_release_taken_by_its_queue() {
    let app = spawn_app().await;
    let (schedule, _, next_week, holder, first_now) = two_full_weeks(&app).await;
    let (first_next, joined) = waiter(&app, "first-next", schedule, next_week).await;
    let (second_next, _) = waiter(&app, "second-next", schedule, next_week).await;

    // No release on record yet: the plain fallback, in the join answer and in my entries.
    assert_eq!(joined["data"]["estimated_wait_time"], "暂无足够数据");
    assert_eq!(my_estimate(&app, &second_next).await, "暂无足够数据");

    // This week's seat is released about two days before class and the queue takes it.
    assert_eq!(cancel(&app, &holder).await.0, StatusCode::OK);
    let (status, body) = respond(&app, &first_now, "confirm").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["verdict"], "won", "{body}");

    // One seat taken in two sessions with a queue: λ = ½, so the first in line has
    // 1 − e^−½ ≈ 39 %, the second (who needs two releases) ≈ 9 %.
    assert_eq!(
        my_estimate(&app, &first_next).await,
        "根据以往记录，截止前有名额的可能约39%，名额多在开课前2天左右空出"
    );
    assert_eq!(
        my_estimate(&app, &second_next).await,
        "根据以往记录，截止前有名额的可能约9%，名额多在开课前2天左右空出"
    );

    // Ops see the figures behind it.
    let admin = app.admin().await;
    let (status, detail) = app
        .get(
            &format!("/api/v1/admin/sessions/{schedule}/{next_week}"),
            &admin,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    let history = &detail["data"]["release_history"];
    assert_eq!(history["sessions_with_queue"], 2, "{history}");
    assert_eq!(history["seats_released"], 1);
    assert_eq!(history["seats_won"], 1);
    assert_eq!(history["releases"][0]["days_before_class"], 2);
    assert_eq!(history["releases"][0]["seats"], 1);
    let queue = &detail["data"]["queue"];
    assert_eq!(queue[0]["chance_percent"], 39, "{queue}");
    assert_eq!(queue[1]["chance_percent"], 9);
    assert_eq!(
        queue[1]["estimated_wait_time"],
        my_estimate(&app, &second_next).await.as_str()
    );
}

#[tokio::test]
async fn a_family_first_in_line_is_estimated_like_a_place_that_needs_a_seat_per_child() {
    let app = spawn_app().await;
    let (schedule, _, next_week, holder, first_now) = two_full_weeks(&app).await;
    assert_eq!(cancel(&app, &holder).await.0, StatusCode::OK);
    assert_eq!(respond(&app, &first_now, "confirm").await.0, StatusCode::OK);

    // Next week: a family of two first in line waits for two seats, as the second single
    // child in line would; a single child first in line needs one.
    let (family, _, joined) = crate::waitlist_family::join_family(
        &app,
        "family",
        2,
        (schedule, next_week),
        serde_json::json!({}),
    )
    .await;
    assert_eq!(joined["data"]["position"], 1);
    let (second, _) = waiter(&app, "second", schedule, next_week).await;
    assert_eq!(
        my_estimate(&app, &family).await,
        "根据以往记录，截止前有名额的可能约9%，名额多在开课前2天左右空出"
    );
    assert_eq!(
        joined["data"]["estimated_wait_time"],
        my_estimate(&app, &family).await.as_str()
    );
    // the single child behind the family waits for a seat per child ahead, and its own
    assert_eq!(
        my_estimate(&app, &second).await,
        "根据以往记录，截止前有名额的可能约9%，名额多在开课前2天左右空出"
    );
}
