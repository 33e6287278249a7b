//! Staff messages over WeChat: with the staff-message template configured they go out through
//! `StaffNoticeWorkflow` and the same rate-limited `notify.wechat` activity as every message —
//! to parents who granted the template only; the in-app centre always has them. The strict
//! WeChat double checks the template's keywords, value types and the page.

use crate::admin_common::staff_token;
use crate::helpers::{Parent, TestApp, spawn_app_with};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashMap;
use std::time::Duration;
use temporalio_client::WorkflowGetResultOptions;
use workflows::StaffNoticeWorkflow;
use workflows::staff_notice::staff_notice_workflow_id;

const TEMPLATE: &str = "tmpl-staff-message";

async fn wechat_app() -> TestApp {
    let app = spawn_app_with(
        HashMap::from([
            ("WECHAT_APPID", "wx-e2e".to_string()),
            ("WECHAT_SECRET", "wx-e2e-secret".to_string()),
            ("WECHAT_TEMPLATE_STAFF_MESSAGE", TEMPLATE.to_string()),
        ]),
        true,
    )
    .await;
    // The club's staff-message template as the MP console lists it.
    app.wechat
        .template(TEMPLATE, &["thing1", "time2", "thing3"]);
    app
}

/// The parent accepts the template in the mini-program: WeChat records it, the app reports it.
async fn grant(app: &TestApp, p: &Parent) {
    app.wechat.grant(&p.openid(), TEMPLATE);
    let (status, body) = app
        .post(
            "/api/v1/notifications/grants",
            &p.token,
            json!({"results": {TEMPLATE: "accept"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Waits for the action's delivery workflow to finish.
async fn delivered(app: &TestApp, audit_id: i64) -> u32 {
    app.temporal
        .get_workflow_handle::<StaffNoticeWorkflow>(staff_notice_workflow_id(
            &app.ids().await,
            audit_id,
        ))
        .get_result(WorkflowGetResultOptions::default())
        .await
        .expect("the staff notice workflow completes")
}

async fn status_of(app: &TestApp, user_id: i64) -> String {
    let (s,): (String,) = sqlx::query_as(
        "SELECT CAST(wechat_status AS CHAR) FROM notification WHERE type = 'staff_message' AND user_id = ?",
    )
    .bind(user_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    s
}

#[tokio::test]
async fn a_queue_message_goes_over_wechat_to_the_parents_who_granted_it() {
    let app = wechat_app().await;
    let (schedule, date, _, waiters) = app.full_with_queue(1, 2).await;
    let granted = &waiters[0].parent;
    grant(&app, granted).await;
    let staff = staff_token(&app, "desk.wx", "staff").await;
    let (status, sent) = app
        .post(
            &format!("/api/v1/admin/sessions/{schedule}/{date}/messages"),
            &staff,
            json!({"title": "场地变更", "body": "改到2号馆"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(
        sent["data"]["wechat"], 2,
        "both have a WeChat part; the grant decides"
    );
    assert_eq!(
        delivered(&app, sent["data"]["audit_id"].as_i64().unwrap()).await,
        2
    );

    let got = app
        .wechat
        .wait_for_accepted(1, Duration::from_secs(10))
        .await;
    assert_eq!(got.len(), 1, "only the granted parent: {got:?}");
    assert_eq!(got[0].template_id, TEMPLATE);
    assert_eq!(got[0].touser, granted.openid());
    assert_eq!(got[0].data["thing3"], "改到2号馆");
    assert_eq!(got[0].page, "pages/notifications/index");
    assert_eq!(status_of(&app, granted.user_id).await, "sent");
    assert_eq!(status_of(&app, waiters[1].parent.user_id).await, "no_grant");
}

#[tokio::test]
async fn a_long_message_is_not_cut_on_wechat_it_points_to_the_in_app_centre() {
    let app = wechat_app().await;
    let p = app.parent("long").await;
    grant(&app, &p).await;
    let staff = staff_token(&app, "desk.long", "staff").await;
    let body = "本周六的课程因场馆维修改到周日同一时间，请家长提前安排好接送，谢谢配合。";
    let (status, sent) = app
        .post(
            &format!("/api/v1/admin/families/{}/messages", p.user_id),
            &staff,
            json!({"body": body}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    delivered(&app, sent["data"]["audit_id"].as_i64().unwrap()).await;
    let got = app
        .wechat
        .wait_for_accepted(1, Duration::from_secs(10))
        .await;
    assert_eq!(got[0].data["thing3"], "运营消息，请在小程序内查看");
    let (_, inbox) = app.get("/api/v1/notifications", &p.token).await;
    assert_eq!(
        inbox["data"]["items"][0]["body"], body,
        "the in-app centre has the whole text"
    );
}
