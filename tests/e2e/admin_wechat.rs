//! Staff messages over WeChat: with the staff-message template configured they go out through
//! `StaffNoticeWorkflow` and the same rate-limited `notify.wechat` activity as every message —
//! to parents who granted the template only; the in-app centre always has them.

use crate::admin_common::staff_token;
use crate::helpers::{TestApp, spawn_app_with};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashMap;
use temporalio_client::WorkflowGetResultOptions;
use wiremock::matchers::path;
use wiremock::{Mock, Request, Respond, ResponseTemplate};
use workflows::StaffNoticeWorkflow;

const TEMPLATE: &str = "tmpl-staff-message";

struct EchoOpenid;

impl Respond for EchoOpenid {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let code = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "js_code")
            .map(|(_, v)| v.to_string())
            .unwrap_or_default();
        ResponseTemplate::new(200).set_body_json(json!({"openid": format!("openid-{code}"), "session_key": "sk"}))
    }
}

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
    Mock::given(path("/sns/jscode2session")).respond_with(EchoOpenid).mount(&app.wechat).await;
    Mock::given(path("/cgi-bin/stable_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "tok", "expires_in": 7200})))
        .mount(&app.wechat)
        .await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"})))
        .mount(&app.wechat)
        .await;
    app
}

async fn sends(app: &TestApp) -> Vec<Value> {
    app.wechat
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == "/cgi-bin/message/subscribe/send")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

/// Waits for the action's delivery workflow to finish (no polling of the mock).
async fn delivered(app: &TestApp, audit_id: i64) -> u32 {
    app.temporal
        .get_workflow_handle::<StaffNoticeWorkflow>(format!("staff-notice/{audit_id}"))
        .get_result(WorkflowGetResultOptions::default())
        .await
        .expect("the staff notice workflow completes")
}

async fn statuses(app: &TestApp, kind: &str) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT user_id, CAST(wechat_status AS CHAR) FROM notification WHERE type = ? ORDER BY user_id")
        .bind(kind)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_queue_message_goes_over_wechat_to_the_parents_who_granted_it() {
    let app = wechat_app().await;
    let (schedule, date, _, waiters) = app.full_with_queue(1, 2).await;
    let granted = &waiters[0].parent;
    let (status, body) = app
        .post(
            "/api/v1/notifications/grants",
            &granted.token,
            json!({"results": {TEMPLATE: "accept"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let staff = staff_token(&app, "desk.wx", "staff").await;
    let (status, sent) = app
        .post(
            &format!("/api/v1/admin/sessions/{schedule}/{date}/messages"),
            &staff,
            json!({"title": "场地变更", "body": "改到2号馆"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["data"]["wechat"], 2, "both have a WeChat part; the grant decides");
    let audit_id = sent["data"]["audit_id"].as_i64().unwrap();
    assert_eq!(delivered(&app, audit_id).await, 2);

    let got = sends(&app).await;
    assert_eq!(got.len(), 1, "only the granted parent: {got:?}");
    assert_eq!(got[0]["template_id"], TEMPLATE);
    assert_eq!(got[0]["touser"], "openid-waiter-0");
    assert_eq!(got[0]["data"]["thing3"]["value"], "改到2号馆");
    assert_eq!(got[0]["page"], "pages/notifications/index");
    let rows = statuses(&app, "staff_message").await;
    let of = |user: i64| rows.iter().find(|r| r.0 == user).map(|r| r.1.clone());
    assert_eq!(of(granted.user_id).as_deref(), Some("sent"));
    assert_eq!(of(waiters[1].parent.user_id).as_deref(), Some("no_grant"));
}

#[tokio::test]
async fn a_long_message_is_not_cut_on_wechat_it_points_to_the_in_app_centre() {
    let app = wechat_app().await;
    let p = app.parent("long").await;
    app.post("/api/v1/notifications/grants", &p.token, json!({"results": {TEMPLATE: "accept"}}))
        .await;
    let staff = staff_token(&app, "desk.long", "staff").await;
    let body = "本周六的课程因场馆维修改到周日同一时间，请家长提前安排好接送，谢谢配合。";
    let (status, sent) = app
        .post(&format!("/api/v1/admin/families/{}/messages", p.user_id), &staff, json!({"body": body}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    delivered(&app, sent["data"]["audit_id"].as_i64().unwrap()).await;
    let got = sends(&app).await;
    assert_eq!(got[0]["data"]["thing3"]["value"], "运营消息，请在小程序内查看");
    let (_, inbox) = app.get("/api/v1/notifications", &p.token).await;
    assert_eq!(inbox["data"]["items"][0]["body"], body, "the in-app centre has the whole text");
}
