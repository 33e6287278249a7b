//! A1 through the whole stack: a join refused because the queue is full, or for the cutoff,
//! answers with other sessions of the same type and level to book or wait for instead.

use crate::helpers::{SessionSpec, TestApp, spawn_app};
use chrono::{Duration, NaiveDate};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn join_as_new_parent(
    app: &TestApp,
    code: &str,
    schedule: i64,
    date: NaiveDate,
) -> (StatusCode, Value) {
    let p = app.parent(code).await;
    let child = app.child(&p, "孩子", 2).await;
    app.join(&p, child, schedule, date).await
}

fn offered(body: &Value) -> Vec<(i64, String, String)> {
    body["data"]["alternatives"]
        .as_array()
        .unwrap_or_else(|| panic!("alternatives in {body}"))
        .iter()
        .map(|a| {
            (
                a["course_schedule_id"].as_i64().unwrap(),
                a["booking_date"].as_str().unwrap().to_string(),
                a["action"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_full_queue_answers_with_same_type_and_level_sessions_nearest_first() {
    let app = spawn_app().await;
    app.set_type_settings("group", json!({"waitlist_capacity": 1}))
        .await;
    let spec = SessionSpec {
        capacity: 1,
        ..Default::default()
    };
    let (wanted, date) = app.session(spec.clone()).await;
    app.fill(wanted, date, 1).await;
    let (status, body) = join_as_new_parent(&app, "first", wanted, date).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Another group class of the same level an hour later: full, nobody waiting yet.
    let (near, near_date) = app
        .session(SessionSpec {
            starts_in: spec.starts_in + Duration::hours(1),
            ..spec.clone()
        })
        .await;
    app.fill(near, near_date, 1).await;
    // Free seats, but another level or another type: never offered.
    app.session(SessionSpec {
        level: 3,
        ..spec.clone()
    })
    .await;
    app.session(SessionSpec {
        course_type: "vip",
        ..spec.clone()
    })
    .await;

    let (status, body) = join_as_new_parent(&app, "second", wanted, date).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], 40901);
    assert_eq!(body["message"], "候补队列已满，请选择其他课程");
    let next_week = |d: NaiveDate| (d + Duration::days(7)).to_string();
    assert_eq!(
        offered(&body),
        vec![
            (near, near_date.to_string(), "waitlist".to_string()),
            (wanted, next_week(date), "book".to_string()),
            (near, next_week(near_date), "book".to_string()),
        ]
    );
    let first = &body["data"]["alternatives"][0];
    assert_eq!(first["seats_left"], 0);
    assert_eq!(first["waitlist_count"], 0);
    assert_eq!(first["waitlist_capacity"], 1);
    assert_eq!(first["level"], 2);

    // Other refusals have their own way out and no alternatives.
    let p = app.parent("first").await;
    let (_, mine) = app.get("/api/v1/waitlist/my", &p.token).await;
    let child = mine["data"]["items"][0]["profile_id"].as_i64().unwrap();
    let (status, body) = app.join(&p, child, wanted, date).await;
    assert_eq!(
        (status, body["code"].as_i64()),
        (StatusCode::CONFLICT, Some(40904))
    );
    assert!(body["data"].is_null(), "{body}");
}

#[tokio::test]
async fn a_join_past_the_cutoff_answers_with_next_weeks_free_seat() {
    let app = spawn_app().await;
    // The class starts in three hours: its queue closed at class start − 6 h.
    let (schedule, date) = app
        .session(SessionSpec {
            capacity: 1,
            starts_in: Duration::hours(3),
            ..Default::default()
        })
        .await;
    let (status, body) = join_as_new_parent(&app, "late", schedule, date).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], 40903);
    assert_eq!(body["message"], "候补已截止");
    assert_eq!(
        offered(&body),
        vec![(
            schedule,
            (date + Duration::days(7)).to_string(),
            "book".to_string()
        )]
    );
}
