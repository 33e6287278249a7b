//! W1–W5 through the API on a real database: capacity, contiguous positions, races.

use crate::helpers::{Parent, SessionSpec, TestApp, spawn_app};
use chrono::NaiveDate;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashSet;

/// `n` parents with one child each.
async fn families(app: &TestApp, prefix: &str, n: usize) -> Vec<(Parent, i64)> {
    let mut out = Vec::new();
    for i in 0..n {
        let p = app.parent(&format!("{prefix}-{i}")).await;
        let child = app.child(&p, &format!("孩子{i}"), 2).await;
        out.push((p, child));
    }
    out
}

async fn full_session(app: &TestApp, spec: SessionSpec) -> (i64, NaiveDate) {
    let seats = spec.capacity;
    let (schedule, date) = app.session(spec).await;
    app.fill(schedule, date, seats).await;
    (schedule, date)
}

#[tokio::test]
async fn a_full_session_queues_eight_with_contiguous_positions_and_refuses_the_ninth() {
    let app = spawn_app().await;
    let (schedule, date) = full_session(
        &app,
        SessionSpec {
            capacity: 2,
            ..Default::default()
        },
    )
    .await;
    let fams = families(&app, "w", 9).await;
    for (i, (p, child)) in fams.iter().take(8).enumerate() {
        let (status, body) = app.join(p, *child, schedule, date).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["message"], format!("您是第{}位候补", i + 1));
        assert_eq!(body["data"]["position"], i + 1);
        assert_eq!(body["data"]["waitlist_capacity"], 8);
    }
    let (p9, c9) = &fams[8];
    let (status, body) = app.join(p9, *c9, schedule, date).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["message"], "候补队列已满，请选择其他课程");
    assert_eq!(body["code"], 40901);

    // The session shows 候补 8/8 and is full.
    let (_, sessions) = app
        .get(
            &format!("/api/v1/sessions?date_from={date}&date_to={date}"),
            &p9.token,
        )
        .await;
    let s = &sessions["data"]["items"][0];
    assert_eq!(
        (s["booked"].as_i64(), s["capacity"].as_i64()),
        (Some(2), Some(2))
    );
    assert_eq!(s["is_full"], true);
    assert_eq!(
        (
            s["waitlist_count"].as_i64(),
            s["waitlist_capacity"].as_i64()
        ),
        (Some(8), Some(8))
    );
}

#[tokio::test]
async fn a_vip_queue_holds_five_and_raising_the_type_capacity_lets_the_next_in() {
    let app = spawn_app().await;
    let (schedule, date) = full_session(
        &app,
        SessionSpec {
            course_type: "vip",
            capacity: 1,
            ..Default::default()
        },
    )
    .await;
    let fams = families(&app, "v", 6).await;
    for (p, child) in fams.iter().take(5) {
        assert_eq!(
            app.join(p, *child, schedule, date).await.0,
            StatusCode::CREATED
        );
    }
    let (p6, c6) = &fams[5];
    let (status, body) = app.join(p6, *c6, schedule, date).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["message"], "候补队列已满，请选择其他课程");

    app.set_type_settings("vip", json!({"waitlist_capacity": 6}))
        .await;
    let (status, body) = app.join(p6, *c6, schedule, date).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["message"], "您是第6位候补");
}

#[tokio::test]
async fn a_course_setting_overrides_its_course_type() {
    let app = spawn_app().await;
    let (schedule, date) = full_session(
        &app,
        SessionSpec {
            capacity: 1,
            ..Default::default()
        },
    )
    .await;
    let admin = app.admin().await;
    let (_, courses) = app.get("/api/v1/admin/courses", &admin).await;
    let course_id = courses["data"]["items"][0]["id"].as_i64().unwrap();
    let (status, _) = app
        .put(
            &format!("/api/v1/admin/courses/{course_id}/settings"),
            &admin,
            json!({"waitlist_capacity": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let fams = families(&app, "o", 2).await;
    assert_eq!(
        app.join(&fams[0].0, fams[0].1, schedule, date).await.0,
        StatusCode::CREATED
    );
    let (status, body) = app.join(&fams[1].0, fams[1].1, schedule, date).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

#[tokio::test]
async fn thirty_parallel_joins_for_eight_places_make_exactly_eight_contiguous_entries() {
    let app = spawn_app().await;
    let (schedule, date) = full_session(
        &app,
        SessionSpec {
            capacity: 2,
            ..Default::default()
        },
    )
    .await;
    let fams = families(&app, "race", 30).await;
    let joins = fams
        .iter()
        .map(|(p, child)| app.join(p, *child, schedule, date));
    let results = futures::future::join_all(joins).await;

    let created: Vec<_> = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .collect();
    let refused: Vec<_> = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::CONFLICT)
        .collect();
    assert_eq!(created.len(), 8, "{results:?}");
    assert_eq!(refused.len(), 22);
    assert!(refused.iter().all(|(_, b)| b["code"] == 40901));
    let answered: HashSet<i64> = created
        .iter()
        .map(|(_, b)| b["data"]["position"].as_i64().unwrap())
        .collect();
    assert_eq!(answered, (1..=8).collect());

    let parents: Vec<&Parent> = fams.iter().map(|(p, _)| p).collect();
    let positions: Vec<i64> = app
        .positions(&parents)
        .await
        .into_iter()
        .map(|(_, pos)| pos)
        .collect();
    assert_eq!(positions, (1..=8).collect::<Vec<_>>());
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM waitlist WHERE status = 'waiting'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(rows, 8);
}

#[tokio::test]
async fn parallel_duplicate_joins_by_one_child_make_one_entry() {
    let app = spawn_app().await;
    let (schedule, date) = full_session(
        &app,
        SessionSpec {
            capacity: 1,
            ..Default::default()
        },
    )
    .await;
    let p = app.parent("dup").await;
    let child = app.child(&p, "小重", 2).await;
    let results =
        futures::future::join_all((0..10).map(|_| app.join(&p, child, schedule, date))).await;
    let created = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{results:?}");
    for (status, body) in results.iter().filter(|(s, _)| *s != StatusCode::CREATED) {
        assert_eq!(*status, StatusCode::CONFLICT);
        assert_eq!(body["message"], "您已在候补队列中");
    }
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM waitlist")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn leaving_from_position_two_of_five_renumbers_the_rest_one_to_four() {
    let app = spawn_app().await;
    let (schedule, date) = full_session(
        &app,
        SessionSpec {
            capacity: 1,
            ..Default::default()
        },
    )
    .await;
    let fams = families(&app, "leave", 5).await;
    let mut ids = Vec::new();
    for (p, child) in &fams {
        let (_, body) = app.join(p, *child, schedule, date).await;
        ids.push(body["data"]["waitlist_id"].as_i64().unwrap());
    }
    let (second, _) = &fams[1];
    let (status, body) = app
        .delete(&format!("/api/v1/waitlist/{}", ids[1]), &second.token)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let parents: Vec<&Parent> = fams.iter().map(|(p, _)| p).collect();
    let now = app.positions(&parents).await;
    assert_eq!(
        now,
        vec![(ids[0], 1), (ids[2], 2), (ids[3], 3), (ids[4], 4)]
    );
    let (_, pos) = app
        .get(
            &format!("/api/v1/waitlist/position/{}", ids[4]),
            &fams[4].0.token,
        )
        .await;
    assert_eq!(pos["data"]["position"], 4);
    assert_eq!(pos["message"], "您是第4位候补");
    // Leaving twice is a clear conflict, not an error.
    let (status, _) = app
        .delete(&format!("/api/v1/waitlist/{}", ids[1]), &second.token)
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn joins_that_break_a_rule_get_the_rules_message() {
    let app = spawn_app().await;
    let (schedule, date) = app
        .session(SessionSpec {
            capacity: 2,
            ..Default::default()
        })
        .await;
    let p = app.parent("rules").await;
    let child = app.child(&p, "小规", 2).await;

    // W1: not full yet
    let (status, body) = app.join(&p, child, schedule, date).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (StatusCode::CONFLICT, Some("课程未满员，请直接预约"))
    );

    // W3: booked into it already
    assert_eq!(
        app.book(&p, child, schedule, date).await.0,
        StatusCode::CREATED
    );
    app.fill(schedule, date, 1).await;
    let (status, body) = app.join(&p, child, schedule, date).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (StatusCode::CONFLICT, Some("您已预约该课程"))
    );

    // A full session refuses a booking and points at the waitlist.
    let q = app.parent("rules-q").await;
    let q_child = app.child(&q, "小Q", 2).await;
    let (status, body) = app.book(&q, q_child, schedule, date).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (StatusCode::CONFLICT, Some("课程已满员，是否加入候补"))
    );

    // W1: past the cutoff
    let (late_schedule, late_date) = app
        .session(SessionSpec {
            capacity: 1,
            starts_in: chrono::Duration::hours(2),
            ..Default::default()
        })
        .await;
    app.fill(late_schedule, late_date, 1).await;
    let (status, body) = app.join(&q, q_child, late_schedule, late_date).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (StatusCode::CONFLICT, Some("候补已截止"))
    );
}
