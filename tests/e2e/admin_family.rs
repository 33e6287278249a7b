//! A family from the console: staff book a makeup on the family's behalf through the same
//! route, rules and workflow as the parent, adjust credit minutes with a reason (the ledger
//! still balances), and write to or re-send a message to a parent.

use crate::admin_common::{audit, inbox, ledger_holds, staff_token};
use crate::helpers::{Parent, SessionSpec, TestApp, spawn_app};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn spec(minutes: u32, days: i64) -> SessionSpec {
    SessionSpec {
        course_type: "group",
        capacity: 2,
        duration_minutes: minutes,
        level: 3,
        starts_in: Duration::days(days) + Duration::hours(1),
    }
}

/// A parent with a child who took a leave from a 90-minute class: (parent, child, pending).
async fn family_with_pending(app: &TestApp) -> (Parent, i64, i64) {
    let p = app.parent("family-chen").await;
    let child = app.child(&p, "陈小宝", 3).await;
    let (schedule, date) = app.session(spec(90, 2)).await;
    let (_, booked) = app.book(&p, child, schedule, date).await;
    let id = booked["data"]["booking_id"].as_i64().unwrap();
    let (status, left) = app
        .post(&format!("/api/v1/bookings/{id}/leave"), &p.token, json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{left}");
    (
        p,
        child,
        left["data"]["pending_makeup_id"].as_i64().unwrap(),
    )
}

async fn balance(app: &TestApp, p: &Parent) -> i64 {
    let (_, b) = app.get("/api/v1/compensation/balance", &p.token).await;
    b["data"]["total_minutes"].as_i64().unwrap()
}

#[tokio::test]
async fn staff_book_a_makeup_for_a_family_under_the_parents_rules_and_are_recorded() {
    let app = spawn_app().await;
    let staff = staff_token(&app, "desk.sun", "staff").await;
    let (p, _child, pending) = family_with_pending(&app).await;
    let (schedule, date) = app.session(spec(60, 3)).await;

    let (status, found) = app.get("/api/v1/admin/families?q=陈小宝", &staff).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["data"]["items"][0]["user_id"], p.user_id);
    let (status, candidates) = app
        .get(
            &format!(
                "/api/v1/admin/families/{}/makeup/available?pending_id={pending}",
                p.user_id
            ),
            &staff,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{candidates}");
    assert!(
        candidates["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["course_schedule_id"] == schedule)
    );

    let body = json!({"pending_id": pending, "course_schedule_id": schedule, "booking_date": date, "reason": "家长来电"});
    let path = format!("/api/v1/admin/families/{}/makeup", p.user_id);
    // The parent's rule: a shorter makeup needs accept_shorter.
    let (status, refused) = app.post(&path, &staff, body.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["code"], 40908);
    let mut accepted = body.clone();
    accepted["accept_shorter"] = json!(true);
    let (status, booked) = app.post(&path, &staff, accepted).await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    assert_eq!(booked["data"]["completion_type"], "partial");
    assert_eq!(booked["data"]["compensation_created"], 30);
    let makeup_id = booked["data"]["makeup_booking_id"].as_i64().unwrap();

    // The parent sees it as their own makeup, with its workflow.
    let (_, mine) = app.get("/api/v1/makeup/my", &p.token).await;
    assert_eq!(mine["data"]["items"][0]["makeup_booking_id"], makeup_id);
    let workflow = mine["data"]["items"][0]["workflow_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(workflow.starts_with("makeup-booking/"), "{workflow}");
    let entries = audit(&app, "makeup.book").await;
    assert_eq!(
        entries.len(),
        1,
        "only the booking that happened is recorded"
    );
    assert_eq!(entries[0]["staff_username"], "desk.sun");
    assert_eq!(entries[0]["details"]["makeup_booking_id"], makeup_id);
    assert_eq!(entries[0]["reason"], "家长来电");
    // The family view shows it.
    let (_, family) = app
        .get(&format!("/api/v1/admin/families/{}", p.user_id), &staff)
        .await;
    assert_eq!(family["data"]["makeups"][0]["makeup_booking_id"], makeup_id);
    assert_eq!(family["data"]["credits"][0]["remaining_minutes"], 30);
    assert_eq!(family["data"]["credits"][0]["balanced"], true);

    // Another family's pending makeup cannot be booked through this family.
    let other = app.parent("family-other").await;
    app.child(&other, "别人家", 3).await;
    let (status, _) = app
        .post(
            &format!("/api/v1/admin/families/{}/makeup", other.user_id),
            &staff,
            body,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    ledger_holds(&app).await;
}

#[tokio::test]
async fn credit_adjustments_need_a_reason_never_go_below_zero_and_keep_the_ledger_balanced() {
    let app = spawn_app().await;
    let staff = staff_token(&app, "desk.zhou", "staff").await;
    let p = app.parent("family-adjust").await;
    let child = app.child(&p, "周周", 3).await;
    let path = format!("/api/v1/admin/profiles/{child}/credits/adjust");

    let invalid: [(Value, &str); 3] = [
        (json!({"minutes": 30}), "reason"),
        (json!({"minutes": 0, "reason": "测试"}), "minutes"),
        (json!({"minutes": 6001, "reason": "测试"}), "minutes"),
    ];
    for (body, field) in invalid {
        let (status, answer) = app.post(&path, &staff, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert_eq!(answer["data"]["field"], field);
    }
    let (status, answer) = app
        .post(&path, &staff, json!({"minutes": -10, "reason": "多记了"}))
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "nothing to take off: {answer}"
    );

    let (status, added) = app
        .post(
            &path,
            &staff,
            json!({"minutes": 45, "reason": "教练缺席补偿"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    assert_eq!(added["data"]["balance_minutes"], 45);
    assert_eq!(balance(&app, &p).await, 45);
    let (status, taken) = app
        .post(
            &path,
            &staff,
            json!({"minutes": -20, "reason": "重复补偿，扣回"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{taken}");
    assert_eq!(balance(&app, &p).await, 25);
    let (status, _) = app
        .post(&path, &staff, json!({"minutes": -26, "reason": "超过余额"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(balance(&app, &p).await, 25);

    // The parent's ledger shows both adjustments, signed; the family view agrees.
    let (_, history) = app.get("/api/v1/compensation/history", &p.token).await;
    let adjusted: Vec<i64> = history["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "adjusted")
        .map(|e| e["minutes"].as_i64().unwrap())
        .collect();
    assert_eq!(adjusted, vec![-20, 45]);
    ledger_holds(&app).await;
    let entries = audit(&app, "credit.adjust").await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["reason"], "重复补偿，扣回");
    assert_eq!(entries[1]["details"]["minutes"], 45);
    // The new credit expires through its own CompensationCreditWorkflow.
    let credit = added["data"]["changes"][0][0].as_i64().unwrap();
    let described = app
        .temporal
        .get_workflow_handle::<workflows::CompensationCreditWorkflow>(
            app.ids().await.credit(credit),
        )
        .describe(Default::default())
        .await;
    assert!(
        described.is_ok(),
        "the credit's workflow runs: {described:?}"
    );
    assert_eq!(inbox(&app, &p.token).await[0]["type"], "credit_adjusted");
    // The statistics count the adjusted minutes.
    let (_, stats) = app.get("/api/v1/admin/stats", &staff).await;
    assert_eq!(stats["data"]["credit_minutes"]["adjusted"], 25);
}

#[tokio::test]
async fn staff_write_to_a_parent_and_resend_a_message() {
    let app = spawn_app().await;
    let staff = staff_token(&app, "desk.wu", "staff").await;
    let p = app.parent("family-msg").await;
    let child = app.child(&p, "吴吴", 2).await;
    let path = format!("/api/v1/admin/families/{}/messages", p.user_id);
    let (status, body) = app
        .post(&path, &staff, json!({"body": "x".repeat(501)}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["data"]["field"], "body");
    let (status, body) = app
        .post(
            &path,
            &staff,
            json!({"body": "孩子的鞋落在馆里了", "profile_id": child}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let messages = inbox(&app, &p.token).await;
    assert_eq!(messages[0]["type"], "staff_message");
    let id = messages[0]["id"].as_i64().unwrap();
    let (status, body) = app
        .post(
            &format!("/api/v1/admin/notifications/{id}/resend"),
            &staff,
            json!({"reason": "家长说没收到"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let messages = inbox(&app, &p.token).await;
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["body"], "孩子的鞋落在馆里了");
    assert_eq!(
        audit(&app, "notification.resend").await[0]["reason"],
        "家长说没收到"
    );
    assert_eq!(
        audit(&app, "message.family").await[0]["details"]["profile_id"],
        child
    );
    let (status, _) = app
        .post(
            &format!("/api/v1/admin/families/{}/messages", 999_999),
            &staff,
            json!({"body": "你好"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
