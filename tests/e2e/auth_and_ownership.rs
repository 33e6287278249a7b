//! Tokens and ownership: a parent sees and changes only their own children's data.

use crate::helpers::{SessionSpec, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn another_parent_gets_403_on_every_entry_booking_and_profile_route() {
    let app = spawn_app().await;
    let (schedule, date) = app
        .session(SessionSpec {
            capacity: 1,
            ..Default::default()
        })
        .await;
    let owner = app.parent("owner").await;
    let child = app.child(&owner, "小主", 2).await;
    let (_, booked) = app.book(&owner, child, schedule, date).await;
    let booking_id = booked["data"]["booking_id"].as_i64().unwrap();
    let waiter = app.parent("waiter").await;
    let waiter_child = app.child(&waiter, "小候", 2).await;
    let (_, joined) = app.join(&waiter, waiter_child, schedule, date).await;
    let entry = joined["data"]["waitlist_id"].as_i64().unwrap();

    let other = app.parent("other").await;
    let t = other.token.as_str();
    let session = json!({"course_schedule_id": schedule, "booking_date": date});
    let with_profile = |id: i64| {
        let mut b = session.clone();
        b["profile_id"] = json!(id);
        b
    };
    let forbidden = [
        app.post("/api/v1/bookings", t, with_profile(child)).await,
        app.post(
            &format!("/api/v1/bookings/{booking_id}/cancel"),
            t,
            json!({}),
        )
        .await,
        app.post(
            &format!("/api/v1/bookings/{booking_id}/leave"),
            t,
            json!({}),
        )
        .await,
        app.post("/api/v1/waitlist/join", t, with_profile(waiter_child))
            .await,
        app.get(&format!("/api/v1/waitlist/position/{entry}"), t)
            .await,
        app.delete(&format!("/api/v1/waitlist/{entry}"), t).await,
    ];
    for (status, body) in &forbidden {
        assert_eq!(*status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["code"], 40300);
    }
    // Nothing changed for the owners.
    let (_, mine) = app.get("/api/v1/waitlist/my", &waiter.token).await;
    assert_eq!(mine["data"]["items"][0]["status"], "waiting");
    let (_, theirs) = app.get("/api/v1/profiles", t).await;
    assert!(theirs["data"]["items"].as_array().unwrap().is_empty());
    let (_, bookings) = app.get("/api/v1/bookings", &owner.token).await;
    assert_eq!(bookings["data"]["items"][0]["status"], "booked");
}

#[tokio::test]
async fn unknown_ids_are_404_and_missing_or_bad_tokens_are_401() {
    let app = spawn_app().await;
    let p = app.parent("someone").await;
    for (status, body) in [
        app.get("/api/v1/waitlist/position/999999", &p.token).await,
        app.delete("/api/v1/waitlist/999999", &p.token).await,
        app.post("/api/v1/bookings/999999/cancel", &p.token, json!({}))
            .await,
        app.post(
            "/api/v1/waitlist/join",
            &p.token,
            json!({"profile_id": 999999, "course_schedule_id": 1, "booking_date": "2030-01-07"}),
        )
        .await,
    ] {
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["code"], 40400);
    }
    let (status, body) = app
        .call(Method::GET, "/api/v1/waitlist/my", None, None)
        .await;
    assert_eq!(
        (status, body["code"].as_i64()),
        (StatusCode::UNAUTHORIZED, Some(40100))
    );
    let (status, _) = app.get("/api/v1/waitlist/my", "not-a-token").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn admin_routes_need_an_admin_token() {
    let app = spawn_app().await;
    let p = app.parent("parent").await;
    let body = json!({"name": "x", "course_type": "group", "level": 1, "duration_minutes": 60, "price": 1, "capacity": 1});
    let (status, _) = app
        .post("/api/v1/admin/courses", &p.token, body.clone())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .call(Method::POST, "/api/v1/admin/courses", None, Some(body))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .call(
            Method::POST,
            "/api/v1/admin/login",
            None,
            Some(json!({"username": "admin", "password": "wrong"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // An admin token is not a parent token either.
    let admin = app.admin().await;
    assert_eq!(
        app.get("/api/v1/profiles", &admin).await.0,
        StatusCode::FORBIDDEN
    );
}
