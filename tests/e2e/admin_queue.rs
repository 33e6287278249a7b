//! A session's queue from the console: removing an entry behaves like the parent leaving
//! (positions close up), tells the parent, and is audited; a message reaches the whole queue.

use crate::admin_common::{audit, inbox, staff_token};
use crate::helpers::spawn_app;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn staff_remove_a_queue_entry_the_others_move_up_and_the_parent_is_told() {
    let app = spawn_app().await;
    let (schedule, date, _, waiters) = app.full_with_queue(1, 3).await;
    let staff = staff_token(&app, "desk.wang", "staff").await;
    let first = &waiters[0];

    let (status, body) = app
        .post(
            &format!("/api/v1/admin/waitlist/{}/remove", first.entry),
            &staff,
            json!({}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a reason is required: {body}"
    );
    assert_eq!(body["data"]["field"], "reason");
    let (status, body) = app
        .post(
            &format!("/api/v1/admin/waitlist/{}/remove", first.entry),
            &first.parent.token,
            json!({"reason": "家长要求"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    let (status, body) = app
        .post(
            &format!("/api/v1/admin/waitlist/{}/remove", first.entry),
            &staff,
            json!({"reason": "家长电话要求取消"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["status"], "cancelled");

    // Positions close up: the two others are now 1 and 2.
    let others: Vec<_> = waiters[1..].iter().map(|w| &w.parent).collect();
    let positions = app.positions(&others).await;
    assert_eq!(
        positions.iter().map(|p| p.1).collect::<Vec<_>>(),
        vec![1, 2]
    );
    let (_, session) = app
        .get(&format!("/api/v1/admin/sessions/{schedule}/{date}"), &staff)
        .await;
    let removed = session["data"]["queue"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["waitlist_id"] == first.entry)
        .unwrap()
        .clone();
    assert_eq!(removed["status"], "cancelled");
    assert_eq!(removed["expiration_reason"], "manual_cancel");

    // The parent is told, with the reason.
    let messages = inbox(&app, &first.parent.token).await;
    assert_eq!(messages[0]["type"], "waitlist_removed");
    assert!(
        messages[0]["body"]
            .as_str()
            .unwrap()
            .contains("家长电话要求取消")
    );
    // Audited, and in the session's history.
    let entries = audit(&app, "queue.remove").await;
    assert_eq!(entries[0]["staff_username"], "desk.wang");
    assert_eq!(entries[0]["target_id"], first.entry.to_string());
    assert_eq!(entries[0]["reason"], "家长电话要求取消");
    let (_, history) = app
        .get(
            &format!("/api/v1/admin/sessions/{schedule}/{date}/history"),
            &staff,
        )
        .await;
    assert!(
        history["data"]["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["type"] == "waitlist_removed")
    );

    // Twice is a conflict, an unknown entry a 404.
    let again = app
        .post(
            &format!("/api/v1/admin/waitlist/{}/remove", first.entry),
            &staff,
            json!({"reason": "再次移出"}),
        )
        .await;
    assert_eq!(again.0, StatusCode::CONFLICT);
    let unknown = app
        .post(
            "/api/v1/admin/waitlist/999999/remove",
            &staff,
            json!({"reason": "不存在"}),
        )
        .await;
    assert_eq!(unknown.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_message_to_a_session_reaches_every_waiting_parent_and_is_audited() {
    let app = spawn_app().await;
    let (schedule, date, _, waiters) = app.full_with_queue(1, 3).await;
    let staff = staff_token(&app, "desk.zhao", "staff").await;
    let (status, body) = app
        .post(
            &format!("/api/v1/admin/sessions/{schedule}/{date}/messages"),
            &staff,
            json!({"body": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["data"]["field"], "body");
    let (status, body) = app
        .post(
            &format!("/api/v1/admin/sessions/{schedule}/{date}/messages"),
            &staff,
            json!({"title": "场地变更", "body": "本节课改到2号馆上课"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["data"]["messages"], 3);
    assert_eq!(
        body["data"]["wechat"], 0,
        "WeChat is off in tests: in-app only"
    );
    for w in &waiters {
        let messages = inbox(&app, &w.parent.token).await;
        assert_eq!(messages[0]["type"], "staff_message");
        assert!(messages[0]["body"].as_str().unwrap().contains("2号馆"));
    }
    let entries = audit(&app, "message.queue").await;
    assert_eq!(entries[0]["details"]["recipients"], 3);
    assert_eq!(entries[0]["target_id"], format!("{schedule}-{date}"));
}

#[tokio::test]
async fn removing_the_parent_a_seat_is_held_for_passes_the_hold_to_the_next_at_once() {
    let app = spawn_app().await;
    // Nobody answers the 1-second broadcast, so the seat is held for the first in line.
    app.set_type_settings(
        "group",
        json!({"response_window_seconds": 1, "hold_window_seconds": 3600}),
    )
    .await;
    let (_, _, holders, waiters) = app.full_with_queue(1, 2).await;
    let (holder, booking) = &holders[0];
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{booking}/cancel"),
            &holder.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let held = |p: crate::helpers::Parent| {
        let app = &app;
        async move {
            inbox(app, &p.token)
                .await
                .iter()
                .any(|m| m["type"] == "hold_for_you")
        }
    };
    let started = std::time::Instant::now();
    while !held(waiters[0].parent.clone()).await {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "no hold for the first in line"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let staff = staff_token(&app, "desk.hold", "staff").await;
    let (status, body) = app
        .post(
            &format!("/api/v1/admin/waitlist/{}/remove", waiters[0].entry),
            &staff,
            json!({"reason": "家长放弃"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Not after the hour-long hold window: the next parent is held for within seconds.
    let started = std::time::Instant::now();
    while !held(waiters[1].parent.clone()).await {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the hold did not pass on"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
