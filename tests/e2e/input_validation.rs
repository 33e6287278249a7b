//! Bad input gets a 400/422 in the envelope naming the problem — never a 500, never a write.

use crate::helpers::{SessionSpec, spawn_app};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn malformed_json_is_422_and_wrong_fields_are_400_naming_the_field() {
    let app = spawn_app().await;
    let p = app.parent("input").await;
    let res = app
        .http
        .post(format!("{}/api/v1/profiles", app.address))
        .bearer_auth(&p.token)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], 42200);

    let (status, body) = app
        .post("/api/v1/profiles", &p.token, json!({"name": "小明"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["data"]["field"], "level");

    let (status, body) = app
        .post(
            "/api/v1/profiles",
            &p.token,
            json!({"name": "小明", "level": "high"}),
        )
        .await;
    assert_eq!(
        (status, body["data"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("level"))
    );

    let (status, body) = app
        .post(
            "/api/v1/profiles",
            &p.token,
            json!({"name": "小明", "level": 11}),
        )
        .await;
    assert_eq!(
        (status, body["data"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("level"))
    );

    let (status, body) = app
        .post(
            "/api/v1/profiles",
            &p.token,
            json!({"name": "  ", "level": 1}),
        )
        .await;
    assert_eq!(
        (status, body["data"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("name"))
    );

    let (_, profiles) = app.get("/api/v1/profiles", &p.token).await;
    assert!(
        profiles["data"]["items"].as_array().unwrap().is_empty(),
        "nothing was written"
    );
}

#[tokio::test]
async fn a_date_that_is_not_the_schedules_weekday_is_400() {
    let app = spawn_app().await;
    let (schedule, date) = app.session(SessionSpec::default()).await;
    let p = app.parent("wd").await;
    let child = app.child(&p, "小周", 2).await;
    let wrong = date + chrono::Duration::days(1);
    let (status, body) = app.book(&p, child, schedule, wrong).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["data"]["field"], "booking_date");
    let (status, body) = app
        .post("/api/v1/bookings", &p.token, json!({"profile_id": child, "course_schedule_id": schedule, "booking_date": "23/11/2026"}))
        .await;
    assert_eq!(
        (status, body["data"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("booking_date"))
    );
    let (status, body) = app.get("/api/v1/waitlist/position/abc", &p.token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn admin_input_is_validated_field_by_field() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let good = json!({"name": "初级", "course_type": "group", "level": 2, "duration_minutes": 90, "price": 180, "capacity": 6});
    for (field, value) in [
        ("course_type", json!("VIP!")),
        ("level", json!(0)),
        ("duration_minutes", json!(0)),
        ("price", json!(-1)),
        ("capacity", json!(0)),
    ] {
        let mut body = good.clone();
        body[field] = value;
        let (status, answer) = app.post("/api/v1/admin/courses", &admin, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {answer}");
        assert_eq!(answer["data"]["field"], field);
    }
    let (status, answer) = app
        .post("/api/v1/admin/schedules", &admin, json!({"course_id": 1, "weekday": 8, "start_time": "19:00:00", "coach": "王", "location": "馆"}))
        .await;
    assert_eq!(
        (status, answer["data"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("weekday"))
    );
    let (status, answer) = app
        .post("/api/v1/admin/schedules", &admin, json!({"course_id": 1, "weekday": 1, "start_time": "7pm", "coach": "王", "location": "馆"}))
        .await;
    assert_eq!(
        (status, answer["data"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("start_time"))
    );
    let (status, _) = app
        .post("/api/v1/admin/schedules", &admin, json!({"course_id": 424242, "weekday": 1, "start_time": "19:00:00", "coach": "王", "location": "馆"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, answer) = app
        .put(
            "/api/v1/admin/course-types/group/settings",
            &admin,
            json!({"waitlist_capacity": 1000}),
        )
        .await;
    assert_eq!(
        (status, answer["data"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("waitlist_capacity"))
    );
}
