//! A whole camp through the real workflows: publish → members enrol and pay → nightly
//! check-in syncs from the (fake) community platform with matching → the reminder → the
//! refund list after the end → staff fix a match by hand and import a missing day as CSV →
//! batch review → deposits back through `RefundWorkflow`s. Days are 4 seconds long.

use crate::helpers::{CampSpec, PROJECT, spawn_pay_app};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use workflows::refund::RefundState;

#[tokio::test]
async fn a_member_enrols_pays_checks_in_and_gets_the_deposit_back() {
    let app = spawn_pay_app(&[]).await;
    let day = 4;
    let (camp, starts_at) = app
        .camp(CampSpec {
            days: 3,
            day_seconds: day,
            starts_in: Duration::seconds(4),
            required_days: 2,
            capacity: 10,
            ..Default::default()
        })
        .await;
    let at = |d: i64, ms: i64| {
        starts_at + Duration::seconds(d * i64::from(day)) + Duration::milliseconds(ms)
    };

    let (a, a_no, a_id) = app
        .enrol_and_pay(
            "a",
            camp,
            json!({"community_user_id": "2001", "community_nickname": "阿甲"}),
        )
        .await;
    let (b, _, b_id) = app
        .enrol_and_pay("b", camp, json!({"community_nickname": "跑步的猫"}))
        .await;
    let (c, _, c_id) = app
        .enrol_and_pay("c", camp, json!({"wechat_nickname": "老王"}))
        .await;
    let (_, _, d_id) = app
        .enrol_and_pay("d", camp, json!({"community_user_id": "2004"}))
        .await;

    // The community platform's check-ins, on camp days (and one before the start).
    let c_ = &app.community;
    c_.checkin(PROJECT, 2001, "阿甲", at(-1, 0)); // before day 1: ignored
    for d in 0..3 {
        c_.checkin(PROJECT, 2001, "阿甲", at(d, 500));
    }
    c_.checkin(PROJECT, 2001, "阿甲", at(0, 900)); // twice on day 1: counted once
    c_.checkin(PROJECT, 2002, "跑步的猫", at(0, 700));
    c_.checkin(PROJECT, 2002, "跑步的猫", at(2, 700));
    c_.checkin(PROJECT, 2003, "王大哥", at(1, 300));
    c_.checkin(PROJECT, 2003, "王大哥", at(2, 300));
    c_.checkin(PROJECT, 2004, "丁", at(0, 100));

    let list = app.camp_result(camp).await;
    assert_eq!(
        (list.eligible, list.not_eligible, list.unmatched),
        (2, 1, 1),
        "{list:?}"
    );
    assert!(
        app.notification_types(&a.token)
            .await
            .contains(&"camp_ending".to_string())
    );

    let admin = app.admin().await;
    let (_, refunds) = app
        .get(&format!("/api/v1/admin/camps/{camp}/refunds"), &admin)
        .await;
    let by_id = |v: &Value, id: i64| {
        v["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} in {v}"))
    };
    let ea = by_id(&refunds, a_id);
    assert_eq!(
        (
            ea["verdict"].as_str(),
            ea["checkin_days"].as_i64(),
            ea["match_confidence"].as_i64()
        ),
        (Some("eligible"), Some(3), Some(100))
    );
    let eb = by_id(&refunds, b_id);
    assert_eq!(
        (eb["verdict"].as_str(), eb["match_confidence"].as_i64()),
        (Some("eligible"), Some(66))
    );
    assert_eq!(by_id(&refunds, c_id)["verdict"], "unmatched");
    assert_eq!(by_id(&refunds, d_id)["verdict"], "not_eligible");
    assert!(
        refunds["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["review"] == "pending")
    );

    // Staff match 老王 by hand, and import 丁's missing day (the CSV fallback).
    let (status, matched) = app
        .put(
            &format!("/api/v1/admin/camps/{camp}/enrolments/{c_id}/match"),
            &admin,
            json!({"community_user_id": "2003"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{matched}");
    assert_eq!(
        (
            matched["data"]["verdict"].as_str(),
            matched["data"]["match_method"].as_str()
        ),
        (Some("eligible"), Some("manual"))
    );
    let csv = format!(
        "community_user_id,nickname,checked_at\n2004,丁,{}\n2004,丁,{}\n",
        at(1, 200).to_rfc3339(),
        at(7, 0).to_rfc3339()
    );
    let res = app
        .http
        .post(format!(
            "{}/api/v1/admin/camps/{camp}/checkins/import",
            app.address
        ))
        .bearer_auth(&admin)
        .header("Content-Type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    let imported: Value = res.json().await.unwrap();
    assert_eq!(
        (
            imported["data"]["stored"].as_i64(),
            imported["data"]["outside"].as_i64()
        ),
        (Some(1), Some(1)),
        "{imported}"
    );
    let (_, d) = app
        .get(
            &format!("/api/v1/admin/camps/{camp}/refunds?verdict=eligible"),
            &admin,
        )
        .await;
    assert_eq!(d["data"]["items"].as_array().unwrap().len(), 4, "{d}");

    // Batch review: three approved, one rejected.
    let (_, approved) = app
        .post(
            &format!("/api/v1/admin/camps/{camp}/refunds/review"),
            &admin,
            json!({"enrolment_ids": [a_id, b_id, c_id], "decision": "approve"}),
        )
        .await;
    let started: Vec<String> = approved["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            assert_eq!(i["result"], "refund_started", "{approved}");
            i["out_refund_no"].as_str().unwrap().to_string()
        })
        .collect();
    let (_, rejected) = app
        .post(
            &format!("/api/v1/admin/camps/{camp}/refunds/review"),
            &admin,
            json!({"enrolment_ids": [d_id], "decision": "reject"}),
        )
        .await;
    assert_eq!(rejected["data"]["items"][0]["result"], "rejected");
    let (_, again) = app
        .post(
            &format!("/api/v1/admin/camps/{camp}/refunds/review"),
            &admin,
            json!({"enrolment_ids": [d_id], "decision": "approve"}),
        )
        .await;
    assert_eq!(again["data"]["items"][0]["reason"], "rejected");

    for no in &started {
        assert_eq!(app.refund_result(no).await, RefundState::Success);
    }
    assert_eq!(app.payment_row(&a_no).await, ("paid".into(), 9900, 9900));
    for member in [&a, &b, &c] {
        let (_, me) = app
            .get(&format!("/api/v1/camps/{camp}/me"), &member.token)
            .await;
        assert_eq!(me["data"]["refund_state"], "success", "{me}");
        assert_eq!(me["data"]["days_elapsed"], 3);
    }
    assert_eq!(app.pay.refunds().len(), 3);

    // Every step is findable by the camp in the Temporal UI.
    let ids = app
        .listed(&format!("CampId={camp}"), &format!("refund/{}", started[2]))
        .await;
    assert!(ids.contains(&format!("camp/{camp}")), "{ids:?}");
    assert_eq!(
        ids.iter().filter(|i| i.starts_with("pay/")).count(),
        4,
        "{ids:?}"
    );
    assert_eq!(
        ids.iter().filter(|i| i.starts_with("refund/")).count(),
        3,
        "{ids:?}"
    );
}

/// Starts a workflow through the raw gRPC API with the server's per-workflow time skipping
/// (not in the SDK's start options; the test server runs with
/// `frontend.WorkflowTimeSkippingEnabled=true`).
async fn start_time_skipping<T: serde::Serialize>(
    app: &crate::helpers::PayApp,
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
async fn a_real_two_day_camp_runs_its_nightly_timers_through_server_time_skipping() {
    let app = spawn_pay_app(&[]).await;
    // Real days: 01:00 syncs, the 10:00 reminder, the 02:00 refund list, starting in 2 h.
    let (camp, starts_at) = app
        .camp(CampSpec {
            days: 2,
            starts_in: Duration::hours(2),
            required_days: 2,
            ..Default::default()
        })
        .await;
    let (p, _, _) = app
        .enrol_and_pay("m1", camp, json!({"community_user_id": "3001"}))
        .await;
    for d in 0..2 {
        app.community.checkin(
            PROJECT,
            3001,
            "夜跑",
            starts_at + Duration::days(d) + Duration::hours(20),
        );
    }
    let input = workflows::camp::CampInput {
        camp_id: camp,
        timing: workflows::rules::camp::CampTiming::daily(starts_at, 2),
        required_days: 2,
    };
    let workflow_id = format!("camp-time-skipped/{camp}");
    let started = std::time::Instant::now();
    start_time_skipping(&app, "CampWorkflow", &workflow_id, &input).await;
    let list = app
        .temporal
        .get_workflow_handle::<workflows::CampWorkflow>(workflow_id)
        .get_result(temporalio_client::WorkflowGetResultOptions::default())
        .await
        .expect("the time-skipped camp completes");
    eprintln!(
        "a 2-day camp (2 syncs, reminder, refund list) ran in {:?}",
        started.elapsed()
    );
    assert_eq!(list.eligible, 1, "{list:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    assert!(
        app.notification_types(&p.token)
            .await
            .contains(&"camp_ending".to_string())
    );
    let (_, me) = app.get(&format!("/api/v1/camps/{camp}/me"), &p.token).await;
    assert_eq!(
        (
            me["data"]["verdict"].as_str(),
            me["data"]["checkin_days"].as_i64()
        ),
        (Some("eligible"), Some(2))
    );
}

#[tokio::test]
async fn when_the_community_platform_is_down_the_camp_goes_on_and_staff_import_a_csv() {
    let app = spawn_pay_app(&[]).await;
    let (camp, starts_at) = app
        .camp(CampSpec {
            days: 1,
            day_seconds: 3,
            starts_in: Duration::seconds(2),
            required_days: 1,
            ..Default::default()
        })
        .await;
    let (p, _, id) = app
        .enrol_and_pay("m1", camp, json!({"community_user_id": "4001"}))
        .await;
    app.community.set_down(true);
    // Both syncs (after the day, and the settlement's) fail after their retry budget.
    let list = app.camp_result(camp).await;
    assert_eq!(list.unmatched, 1, "{list:?}");
    let status = app
        .temporal
        .get_workflow_handle::<workflows::CampWorkflow>(format!("camp/{camp}"))
        .query(workflows::CampWorkflow::status, (), Default::default())
        .await
        .expect("status");
    assert_eq!(
        (status.syncs_done, status.syncs_failed),
        (0, 2),
        "{status:?}"
    );
    assert!(
        app.community
            .requests
            .load(std::sync::atomic::Ordering::SeqCst)
            > 2,
        "retried"
    );

    // The seed's fallback: staff import the check-ins as CSV; the verdict follows.
    let admin = app.admin().await;
    let csv = format!(
        "4001,夜跑者,{}\n",
        (starts_at + Duration::seconds(1)).to_rfc3339()
    );
    let res = app
        .http
        .post(format!(
            "{}/api/v1/admin/camps/{camp}/checkins/import",
            app.address
        ))
        .bearer_auth(&admin)
        .header("Content-Type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let (_, me) = app.get(&format!("/api/v1/camps/{camp}/me"), &p.token).await;
    assert_eq!(
        (
            me["data"]["verdict"].as_str(),
            me["data"]["checkin_days"].as_i64(),
            me["data"]["matched"].as_bool()
        ),
        (Some("eligible"), Some(1), Some(true)),
        "{me}"
    );
    let bad = app
        .http
        .post(format!(
            "{}/api/v1/admin/camps/{camp}/checkins/import",
            app.address
        ))
        .bearer_auth(&admin)
        .body("only,two")
        .send()
        .await
        .unwrap();
    assert_eq!(
        bad.status(),
        StatusCode::BAD_REQUEST,
        "a malformed line is named, nothing stored"
    );
    let (_, list) = app
        .get(
            &format!("/api/v1/admin/camps/{camp}/refunds?verdict=eligible"),
            &admin,
        )
        .await;
    assert_eq!(list["data"]["items"][0]["id"], id);
}
