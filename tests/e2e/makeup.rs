//! M1–M7 end to end: leave → pending makeup → candidate sessions → booking through
//! `MakeupBookingWorkflow` (shorter, extra, credits) → cancel → credits on their timers.

use crate::helpers::{Parent, SessionSpec, TestApp, spawn_app};
use chrono::{Duration, NaiveDate};
use reqwest::StatusCode;
use serde_json::{Value, json};
use temporalio_client::WorkflowGetResultOptions;
use workflows::CompensationCreditWorkflow;

pub(crate) fn spec(
    course_type: &'static str,
    level: u8,
    minutes: u32,
    capacity: u32,
    days: i64,
) -> SessionSpec {
    SessionSpec {
        course_type,
        capacity,
        duration_minutes: minutes,
        level,
        starts_in: Duration::days(days) + Duration::hours(1),
    }
}

/// Books the child into a new class and takes a leave from it; returns the pending makeup id.
pub(crate) async fn leave_from(
    app: &TestApp,
    p: &Parent,
    child: i64,
    minutes: u32,
    days: i64,
) -> i64 {
    let (schedule, date) = app.session(spec("group", 2, minutes, 6, days)).await;
    let (status, booked) = app.book(p, child, schedule, date).await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let id = booked["data"]["booking_id"].as_i64().unwrap();
    let (status, left) = app
        .post(&format!("/api/v1/bookings/{id}/leave"), &p.token, json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{left}");
    left["data"]["pending_makeup_id"]
        .as_i64()
        .expect("a pending makeup (M1)")
}

pub(crate) async fn book(
    app: &TestApp,
    p: &Parent,
    pending: i64,
    (schedule, date): (i64, NaiveDate),
    extra: Value,
) -> (StatusCode, Value) {
    let mut body =
        json!({"pending_id": pending, "course_schedule_id": schedule, "booking_date": date});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    app.post("/api/v1/makeup/book", &p.token, body).await
}

pub(crate) async fn balance(app: &TestApp, p: &Parent) -> i64 {
    let (_, b) = app.get("/api/v1/compensation/balance", &p.token).await;
    b["data"]["total_minutes"].as_i64().unwrap()
}

/// M7: created − used + restored − expired − revoked = balance.
pub(crate) async fn ledger_balances(app: &TestApp, p: &Parent) {
    let (_, h) = app.get("/api/v1/compensation/history", &p.token).await;
    let sum = h["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .fold(0, |acc, e| {
            let m = e["minutes"].as_i64().unwrap();
            match e["kind"].as_str().unwrap() {
                "created" | "restored" => acc + m,
                _ => acc - m,
            }
        });
    assert_eq!(sum, balance(app, p).await, "ledger: {h}");
}

#[tokio::test]
async fn a_leave_opens_a_pending_makeup_and_only_eligible_sessions_are_offered() {
    let app = spawn_app().await;
    let p = app.parent("parent").await;
    let child = app.child(&p, "小明", 2).await;
    let pending = leave_from(&app, &p, child, 120, 3).await;
    let (_, list) = app.get("/api/v1/makeup/pending", &p.token).await;
    assert_eq!(list["data"]["items"][0]["pending_id"], pending);
    assert_eq!(list["data"]["items"][0]["duration_minutes"], 120);

    let lower = app.session(spec("group", 1, 90, 6, 4)).await;
    let higher = app.session(spec("group", 3, 90, 6, 5)).await;
    let other_type = app.session(spec("vip", 1, 90, 6, 6)).await;
    let full = app.session(spec("group", 2, 90, 1, 7)).await;
    app.fill(full.0, full.1, 1).await;

    let (status, body) = app
        .get(
            &format!("/api/v1/makeup/available?pending_id={pending}"),
            &p.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let items = body["data"]["items"].as_array().unwrap();
    // Sessions are (weekly slot, date) pairs.
    let offered: Vec<(i64, String)> = items
        .iter()
        .map(|i| {
            (
                i["course_schedule_id"].as_i64().unwrap(),
                i["booking_date"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let key = |(s, d): (i64, NaiveDate)| (s, d.to_string());
    assert!(offered.contains(&key(lower)), "{body}");
    for excluded in [higher, other_type] {
        assert!(
            !offered.contains(&key(excluded)),
            "{excluded:?} should not be offered: {body}"
        );
    }
    assert!(
        !offered
            .iter()
            .any(|(s, _)| *s == higher.0 || *s == other_type.0),
        "never a higher level or another type"
    );
    // A full class is listed too, with its waitlist as the action (M3).
    let find = |(s, d): (i64, NaiveDate)| {
        items
            .iter()
            .find(|i| i["course_schedule_id"] == s && i["booking_date"] == d.to_string())
            .unwrap_or_else(|| panic!("{s}/{d} missing: {body}"))
    };
    assert_eq!(find(full)["action"], "waitlist");
    assert_eq!(find(full)["is_full"], true);
    assert_eq!(find(full)["seats_left"], 0);
    let a = find(lower);
    assert_eq!(a["action"], "book");
    assert_eq!(a["match"]["level_difference"], 1);
    assert_eq!(a["match"]["same_coach"], true);
    assert_eq!(
        a["match"]["label"],
        "同类型 · 低1级 · 短30分钟 · 同一教练 · 同一场馆"
    );
    assert_eq!(a["duration_difference"], 30);
    assert_eq!(a["hint"], "补课时长比原课程少30分钟，差额将转为课时补偿");
    assert_eq!(
        (a["original_price"].as_f64(), a["makeup_price"].as_f64()),
        (Some(180.0), Some(0.0))
    );

    // Another parent cannot see or use it.
    let other = app.parent("other").await;
    let (status, _) = app
        .get(
            &format!("/api/v1/makeup/available?pending_id={pending}"),
            &other.token,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn shorter_makeups_create_credits_and_extra_time_spends_the_earliest_first_then_cancel_restores_and_revokes()
 {
    let app = spawn_app().await;
    let p = app.parent("parent").await;
    let child = app.child(&p, "小红", 2).await;
    let p1 = leave_from(&app, &p, child, 120, 2).await;
    let p2 = leave_from(&app, &p, child, 120, 3).await;
    let p3 = leave_from(&app, &p, child, 60, 4).await;
    let a = app.session(spec("group", 2, 90, 1, 5)).await;
    let b = app.session(spec("group", 2, 75, 6, 6)).await;
    let c = app.session(spec("group", 2, 120, 6, 7)).await;

    // M3: shorter needs the parent's yes.
    let (status, body) = book(&app, &p, p1, a, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], 40908);
    assert_eq!(
        body["message"],
        "本课程仅1.5小时，比您原课程少30分钟，是否确认预约？"
    );
    let (status, body) = book(&app, &p, p1, a, json!({"accept_shorter": true})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let booked_a = body["data"].clone();
    assert_eq!(booked_a["duration_difference"], 30);
    assert_eq!(booked_a["completion_type"], "partial");
    assert_eq!(
        (
            booked_a["compensation_created"].as_i64(),
            booked_a["remaining_compensation"].as_i64()
        ),
        (Some(30), Some(30))
    );
    assert_eq!(balance(&app, &p).await, 30);

    let (status, body) = book(&app, &p, p2, b, json!({"accept_shorter": true})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(balance(&app, &p).await, 75);

    // M6: 60 extra minutes from credits: 30 from the earliest, 30 of the 45 (partially).
    let (status, body) = book(&app, &p, p3, c, json!({"use_compensation": true})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["data"]["completion_type"], "extra");
    assert_eq!(body["data"]["compensation_used"], 60);
    assert_eq!(body["data"]["remaining_compensation"], 15);
    let (_, bal) = app.get("/api/v1/compensation/balance", &p.token).await;
    let credits = bal["data"]["credits"].as_array().unwrap();
    assert_eq!(credits.len(), 1, "{bal}");
    assert_eq!(credits[0]["remaining_minutes"], 15);
    ledger_balances(&app, &p).await;

    // Somebody waits for makeup session A (full with our makeup).
    let w = app.parent("waiter").await;
    let wc = app.child(&w, "候补", 2).await;
    assert_eq!(app.join(&w, wc, a.0, a.1).await.0, StatusCode::CREATED);

    // M5: cancelling C gives back all 60 minutes with their original expiry.
    let (_, my) = app.get("/api/v1/makeup/my", &p.token).await;
    let id_of = |schedule: i64| {
        my["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["course_schedule_id"] == schedule)
            .unwrap()["makeup_booking_id"]
            .as_i64()
            .unwrap()
    };
    let (mc, ma) = (id_of(c.0), id_of(a.0));
    let first = &my["data"]["items"][0];
    assert_eq!(first["status"], "booked", "{my}");
    assert!(first["cancellable_until"].is_string(), "{my}");
    let (status, body) = app
        .delete(&format!("/api/v1/makeup/{mc}/cancel"), &p.token)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (
            body["data"]["restored_minutes"].as_i64(),
            body["data"]["revoked_minutes"].as_i64()
        ),
        (Some(60), Some(0))
    );
    assert_eq!(balance(&app, &p).await, 75);

    // Cancelling A revokes the unused 30 it created, reopens its pending makeup, and its seat
    // goes to the waiting parent through an offer.
    let (status, body) = app
        .delete(&format!("/api/v1/makeup/{ma}/cancel"), &p.token)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["revoked_minutes"], 30);
    assert_eq!(balance(&app, &p).await, 45);
    ledger_balances(&app, &p).await;
    let (_, pending) = app.get("/api/v1/makeup/pending", &p.token).await;
    let reopened = pending["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["pending_id"] == p1)
        .unwrap();
    assert_eq!(reopened["status"], "open");
    let started = std::time::Instant::now();
    loop {
        let (_, inbox) = app.get("/api/v1/notifications", &w.token).await;
        if inbox["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["type"] == "spot_available")
        {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "no offer for the waiter"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Cancelling twice is refused.
    let (status, _) = app
        .delete(&format!("/api/v1/makeup/{ma}/cancel"), &p.token)
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn not_enough_credit_is_refused_with_the_numbers() {
    let app = spawn_app().await;
    app.set_type_settings("group", json!({"extra_requires_compensation": true}))
        .await;
    let p = app.parent("parent").await;
    let child = app.child(&p, "小亮", 2).await;
    let pending = leave_from(&app, &p, child, 60, 2).await;
    let longer = app.session(spec("group", 2, 90, 6, 3)).await;
    let (status, body) = book(&app, &p, pending, longer, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], 40909);
    assert_eq!(body["message"], "补偿时长不足，需要30分钟，可用0分钟");
}

#[tokio::test]
async fn a_credit_is_reminded_then_expires_on_its_timer() {
    let app = spawn_app().await;
    app.set_type_settings(
        "group",
        json!({"compensation_valid_seconds": 4, "compensation_reminder_seconds": 2}),
    )
    .await;
    let p = app.parent("parent").await;
    let child = app.child(&p, "小刚", 2).await;
    let pending = leave_from(&app, &p, child, 120, 2).await;
    let shorter = app.session(spec("group", 2, 90, 6, 3)).await;
    let (status, _) = book(&app, &p, pending, shorter, json!({"accept_shorter": true})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, bal) = app.get("/api/v1/compensation/balance", &p.token).await;
    let credit_id = bal["data"]["credits"][0]["id"].as_i64().unwrap();

    // The makeup workflow starts the credit's workflow right after answering the booking.
    let handle = app
        .temporal
        .get_workflow_handle::<CompensationCreditWorkflow>(app.ids().await.credit(credit_id));
    let started = std::time::Instant::now();
    let expired = loop {
        match handle.get_result(WorkflowGetResultOptions::default()).await {
            Ok(minutes) => break minutes,
            Err(e) if started.elapsed() < std::time::Duration::from_secs(10) => {
                tracing::debug!(error = %e, "credit workflow not there yet");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => panic!("the credit workflow ends at expiry: {e}"),
        }
    };
    assert_eq!(expired, 30);
    assert_eq!(balance(&app, &p).await, 0);
    let (_, inbox) = app.get("/api/v1/notifications", &p.token).await;
    let reminder = inbox["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["type"] == "compensation_expiring")
        .expect("a reminder");
    assert!(reminder["body"].as_str().unwrap().contains("30分钟"));
    let (_, history) = app.get("/api/v1/compensation/history", &p.token).await;
    let kinds: Vec<&str> = history["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec!["expired", "created"],
        "expired minutes are recorded, not deleted"
    );
    ledger_balances(&app, &p).await;
}

/// Starts a workflow through the raw gRPC API with the server's per-workflow time skipping
/// (not exposed by the SDK's start options; the dev server runs with
/// `frontend.WorkflowTimeSkippingEnabled=true`).
async fn start_time_skipping<T: serde::Serialize>(
    app: &TestApp,
    workflow_type: &str,
    workflow_id: &str,
    input: &T,
) {
    use std::collections::HashMap;
    use temporalio_common::protos::temporal::api::common::v1::{
        Payload, Payloads, TimeSkippingConfig, WorkflowType,
    };
    use temporalio_common::protos::temporal::api::taskqueue::v1::TaskQueue;
    use temporalio_common::protos::temporal::api::workflowservice::v1::StartWorkflowExecutionRequest;
    let payload = Payload {
        metadata: HashMap::from([("encoding".to_string(), b"json/plain".to_vec())]),
        data: serde_json::to_vec(input).unwrap(),
        ..Default::default()
    };
    let request = StartWorkflowExecutionRequest {
        namespace: app.config.common.temporal.namespace.clone(),
        workflow_id: workflow_id.to_string(),
        workflow_type: Some(WorkflowType {
            name: workflow_type.to_string(),
        }),
        task_queue: Some(TaskQueue {
            name: app.config.common.temporal.task_queue.clone(),
            kind: 1,
            ..Default::default()
        }),
        input: Some(Payloads {
            payloads: vec![payload],
        }),
        request_id: uuid::Uuid::new_v4().to_string(),
        time_skipping_config: Some(TimeSkippingConfig {
            enabled: true,
            ..Default::default()
        }),
        ..Default::default()
    };
    let mut service = app.temporal.connection().workflow_service();
    service
        .start_workflow_execution(temporalio_client::tonic::Request::new(request))
        .await
        .expect("the dev server accepts a time-skipping start");
}

#[tokio::test]
async fn a_real_fourteen_day_credit_is_reminded_and_expires_through_server_time_skipping() {
    let app = spawn_app().await; // default settings: 14 days valid, reminder 2 days before
    let p = app.parent("parent").await;
    let child = app.child(&p, "小天", 2).await;
    let pending = leave_from(&app, &p, child, 120, 2).await;
    let shorter = app.session(spec("group", 2, 90, 6, 3)).await;
    assert_eq!(
        book(&app, &p, pending, shorter, json!({"accept_shorter": true}))
            .await
            .0,
        StatusCode::CREATED
    );
    let (credit_id, expires_at): (i64, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("SELECT id, expiry_time FROM class_credit_compensation")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let lifetime = expires_at - chrono::Utc::now();
    assert!(
        lifetime > Duration::days(13),
        "a real 14-day credit: {lifetime}"
    );

    // The same workflow code over the same credit, with the server skipping through its
    // 12-day and 2-day timers instead of the test waiting for them.
    let timing = workflows::makeup::CreditTiming {
        credit_id,
        profile_id: child,
        expires_at,
        remind_at: expires_at - Duration::days(2),
    };
    let workflow_id = format!("compensation-time-skipped/{credit_id}");
    let started = std::time::Instant::now();
    start_time_skipping(&app, "CompensationCreditWorkflow", &workflow_id, &timing).await;
    let expired = app
        .temporal
        .get_workflow_handle::<CompensationCreditWorkflow>(workflow_id)
        .get_result(WorkflowGetResultOptions::default())
        .await
        .expect("the time-skipped credit workflow completes");
    assert_eq!(expired, 30);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "14 days skipped in {:?}",
        started.elapsed()
    );
    let (_, inbox) = app.get("/api/v1/notifications", &p.token).await;
    assert!(
        inbox["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["type"] == "compensation_expiring")
    );
    assert_eq!(balance(&app, &p).await, 0);
    ledger_balances(&app, &p).await;
}

#[tokio::test]
async fn waiting_for_a_full_makeup_session_books_it_as_the_makeup_when_the_seat_is_won() {
    let app = spawn_app().await;
    let p = app.parent("parent").await;
    let child = app.child(&p, "小月", 2).await;
    let pending = leave_from(&app, &p, child, 120, 2).await;
    let (schedule, date) = app.session(spec("group", 2, 90, 1, 3)).await;
    let holder = app.parent("holder").await;
    let holder_child = app.child(&holder, "占位", 2).await;
    let (_, held) = app.book(&holder, holder_child, schedule, date).await;

    // M3: full → 409 asking to join the waitlist, which keeps the link to the pending makeup.
    let (status, body) = book(
        &app,
        &p,
        pending,
        (schedule, date),
        json!({"accept_shorter": true}),
    )
    .await;
    assert_eq!(
        (status, body["message"].as_str()),
        (StatusCode::CONFLICT, Some("课程已满员，是否加入候补"))
    );
    // M3 before waiting: the class is shorter, so the join asks first.
    let join = |accept: bool| {
        json!({"profile_id": child, "course_schedule_id": schedule, "booking_date": date,
               "pending_id": pending, "accept_shorter": accept})
    };
    let (status, asked) = app
        .post("/api/v1/waitlist/join", &p.token, join(false))
        .await;
    assert_eq!(
        (status, asked["code"].as_i64()),
        (StatusCode::CONFLICT, Some(40908)),
        "{asked}"
    );
    let (status, joined) = app
        .post("/api/v1/waitlist/join", &p.token, join(true))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{joined}");
    let entry = joined["data"]["waitlist_id"].as_i64().unwrap();

    let booking = held["data"]["booking_id"].as_i64().unwrap();
    assert_eq!(
        app.post(
            &format!("/api/v1/bookings/{booking}/cancel"),
            &holder.token,
            json!({})
        )
        .await
        .0,
        StatusCode::OK
    );
    let (status, won) = app
        .put(
            &format!("/api/v1/waitlist/{entry}/respond"),
            &p.token,
            json!({"action": "confirm"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{won}");

    // The won seat is the makeup: pending booked, a makeup record, the 30-minute credit.
    let (_, pendings) = app.get("/api/v1/makeup/pending", &p.token).await;
    assert_eq!(
        pendings["data"]["items"][0]["status"], "booked",
        "{pendings}"
    );
    let (_, my) = app.get("/api/v1/makeup/my", &p.token).await;
    let makeup = &my["data"]["items"][0];
    assert_eq!(
        (
            makeup["status"].as_str(),
            makeup["completion_type"].as_str()
        ),
        (Some("booked"), Some("partial")),
        "{my}"
    );
    assert_eq!(balance(&app, &p).await, 30);
    // And its workflow manages it like any makeup: cancelling reopens the pending makeup.
    let id = makeup["makeup_booking_id"].as_i64().unwrap();
    let (status, body) = app
        .delete(&format!("/api/v1/makeup/{id}/cancel"), &p.token)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["revoked_minutes"], 30);
    ledger_balances(&app, &p).await;
}
