//! The parent-app contract (docs/parent-app-contract.md): what the mini-program reads beyond
//! the first version — club rules and templates, seats left, bookings with what can be done
//! with them, makeup details, the notification centre's paging and read state.

use crate::helpers::{SessionSpec, spawn_app, spawn_app_with};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashMap;

#[tokio::test]
async fn the_club_route_gives_the_rules_in_force_and_the_templates_to_ask_for() {
    let app = spawn_app_with(
        HashMap::from([
            ("CLUB_PHONE", "021-5555-0100".to_string()),
            ("WECHAT_TEMPLATE_SPOT_AVAILABLE", "tmpl-spot".to_string()),
            ("WECHAT_TEMPLATE_SEAT_TAKEN", "tmpl-taken".to_string()),
            (
                "WECHAT_TEMPLATE_MAKEUP_CANCELLED",
                "tmpl-mk-cancel".to_string(),
            ),
        ]),
        false,
    )
    .await;
    app.session(SessionSpec::default()).await;
    app.set_type_settings("group", json!({"cutoff_seconds": 3 * 3600}))
        .await;
    let p = app.parent("parent").await;
    let (status, body) = app.get("/api/v1/club", &p.token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let club = &body["data"];
    assert_eq!(club["phone"], "021-5555-0100");
    assert_eq!(club["time_zone"], "Asia/Shanghai");
    assert_eq!(club["rules"]["default"]["cutoff_seconds"], 6 * 3600);
    assert_eq!(club["rules"]["default"]["compensation_valid_days"], 14);
    assert_eq!(
        club["rules"]["by_course_type"]["group"]["cutoff_seconds"],
        3 * 3600
    );
    assert_eq!(
        club["rules"]["by_course_type"]["vip"]["waitlist_capacity"],
        5
    );
    assert_eq!(
        club["subscribe"]["moments"]["waitlist_join"],
        json!(["tmpl-spot", "tmpl-taken"])
    );
    assert_eq!(
        club["subscribe"]["moments"]["makeup_book"],
        json!(["tmpl-mk-cancel"])
    );
    assert_eq!(club["subscribe"]["templates"]["seat_taken"], "tmpl-taken");
}

#[tokio::test]
async fn sessions_show_seats_left_with_offer_holds_counted_and_their_rules() {
    let app = spawn_app().await;
    let (schedule, date, holders, _waiters) = app.full_with_queue(2, 1).await;
    // A cancellation opens an offer: the freed seat belongs to the queue, not to a browser.
    let (status, body) = app
        .post(
            &format!("/api/v1/bookings/{}/cancel", holders[0].1),
            &holders[0].0.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let p = app.parent("browser").await;
    let (_, list) = app
        .get(
            &format!("/api/v1/sessions?date_from={date}&date_to={date}"),
            &p.token,
        )
        .await;
    let s = list["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["course_schedule_id"] == schedule)
        .unwrap()
        .clone();
    assert_eq!(
        (s["booked"].as_i64(), s["capacity"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(s["seats_left"], 0, "the held seat is not free: {s}");
    assert_eq!(s["is_full"], true);
    assert_eq!(s["rules"]["cutoff_seconds"], 6 * 3600);
    assert!(s["cutoff_at"].as_str().unwrap().ends_with("+08:00"), "{s}");
}

#[tokio::test]
async fn my_bookings_say_what_can_be_done_and_a_makeup_seat_is_only_released_as_a_makeup() {
    let app = spawn_app().await;
    let p = app.parent("parent").await;
    let child = app.child(&p, "小明", 2).await;
    let original = app
        .session(SessionSpec {
            capacity: 6,
            starts_in: Duration::days(3),
            ..Default::default()
        })
        .await;
    let (_, booked) = app.book(&p, child, original.0, original.1).await;
    let booking = booked["data"]["booking_id"].as_i64().unwrap();
    let (_, left) = app
        .post(
            &format!("/api/v1/bookings/{booking}/leave"),
            &p.token,
            json!({}),
        )
        .await;
    let pending = left["data"]["pending_makeup_id"].as_i64().unwrap();
    let target = app
        .session(SessionSpec {
            capacity: 6,
            starts_in: Duration::days(4),
            ..Default::default()
        })
        .await;
    let (status, made) = app
        .post(
            "/api/v1/makeup/book",
            &p.token,
            json!({"pending_id": pending, "course_schedule_id": target.0, "booking_date": target.1}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let makeup = made["data"]["makeup_booking_id"].as_i64().unwrap();

    let (status, mine) = app.get("/api/v1/bookings", &p.token).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let items = mine["data"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{mine}");
    let leave = &items[0];
    assert_eq!(leave["status"], "leave");
    assert_eq!(leave["profile_name"], "小明");
    assert_eq!(leave["can_cancel"], false);
    assert_eq!(leave["upcoming"], true);
    let seat = &items[1];
    assert_eq!(seat["source"], "makeup");
    assert_eq!(seat["makeup_booking_id"], makeup);
    assert_eq!(
        (seat["can_cancel"].as_bool(), seat["can_leave"].as_bool()),
        (Some(false), Some(false))
    );
    assert_eq!(seat["blocked_reason"], "补课课程请在“我的补课”中取消");
    assert_eq!(seat["coach"], "王教练");
    assert!(seat["ends_at"].as_str().is_some());

    // Releasing the makeup's seat behind the makeup's back is refused, both ways.
    let seat_id = seat["booking_id"].as_i64().unwrap();
    for route in ["leave", "cancel"] {
        let (status, body) = app
            .post(
                &format!("/api/v1/bookings/{seat_id}/{route}"),
                &p.token,
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{route}: {body}");
        assert_eq!(body["code"], 40911);
    }
    let (_, pendings) = app.get("/api/v1/makeup/pending", &p.token).await;
    assert!(
        pendings["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["status"] != "open"),
        "no second free makeup: {pendings}"
    );

    // The makeup itself: filterable list and a detail view.
    let (_, booked_only) = app.get("/api/v1/makeup/my?status=booked", &p.token).await;
    assert_eq!(booked_only["data"]["items"][0]["makeup_booking_id"], makeup);
    let (_, none) = app
        .get("/api/v1/makeup/my?status=cancelled", &p.token)
        .await;
    assert_eq!(none["data"]["items"], json!([]));
    let (status, bad) = app
        .get("/api/v1/makeup/my?status=confirmed", &p.token)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    let (status, detail) = app.get(&format!("/api/v1/makeup/{makeup}"), &p.token).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["data"]["status"], "booked");
    assert_eq!(detail["data"]["original"]["booking_id"], booking);
    assert_eq!(detail["data"]["credit"], json!(null));
    let other = app.parent("other").await;
    let (status, _) = app
        .get(&format!("/api/v1/makeup/{makeup}"), &other.token)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_notification_centre_pages_newest_first_and_counts_down_unread() {
    let app = spawn_app().await;
    let (_schedule, _date, holders, waiters) = app.full_with_queue(2, 1).await;
    for (holder, booking) in &holders {
        let (status, body) = app
            .post(
                &format!("/api/v1/bookings/{booking}/cancel"),
                &holder.token,
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let w = &waiters[0].parent;
    let (status, page) = app
        .get("/api/v1/notifications?page=1&page_size=1", &w.token)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let data = &page["data"];
    assert_eq!(
        (data["total"].as_i64(), data["unread_count"].as_i64()),
        (Some(2), Some(2))
    );
    assert_eq!(data["items"].as_array().unwrap().len(), 1);
    let newest = data["items"][0]["id"].as_i64().unwrap();
    let (_, second) = app
        .get("/api/v1/notifications?page=2&page_size=1", &w.token)
        .await;
    assert!(second["data"]["items"][0]["id"].as_i64().unwrap() < newest);
    assert!(
        data["items"][0]["data"]["page"]
            .as_str()
            .unwrap()
            .starts_with("pages/"),
        "{page}"
    );

    let (status, read) = app
        .post(
            &format!("/api/v1/notifications/{newest}/read"),
            &w.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(read["data"]["unread_count"], 1);
    let (_, again) = app
        .post(
            &format!("/api/v1/notifications/{newest}/read"),
            &w.token,
            json!({}),
        )
        .await;
    assert_eq!(again["data"]["unread_count"], 1, "idempotent");
    let (status, _) = app
        .post(
            &format!("/api/v1/notifications/{newest}/read"),
            &holders[0].0.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, all) = app
        .post("/api/v1/notifications/read-all", &w.token, json!({}))
        .await;
    assert_eq!(
        (
            all["data"]["updated"].as_i64(),
            all["data"]["unread_count"].as_i64()
        ),
        (Some(1), Some(0))
    );
    for bad in ["page=0", "page_size=51", "page_size=x"] {
        let (status, body) = app
            .get(&format!("/api/v1/notifications?{bad}"), &w.token)
            .await;
        assert!(status == StatusCode::BAD_REQUEST, "{bad}: {status} {body}");
    }
}
