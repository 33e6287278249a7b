//! N1–N3 end to end: offers reach granted parents as WeChat subscribe messages through the
//! rate-limited delivery activity, with the right `touser`, template, page and data; grants
//! are consumed one per send; errors are retried or recorded as WeChat defines them.

use crate::helpers::{Parent, SessionSpec, TestApp, spawn_app_with};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;
use wiremock::matchers::{body_partial_json, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

const TEMPLATE: &str = "tmpl-spot-available";

/// `code2Session` that answers `openid-<code>` for any code.
struct EchoOpenid;

impl Respond for EchoOpenid {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let code = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "js_code")
            .map(|(_, v)| v.to_string())
            .unwrap_or_default();
        ResponseTemplate::new(200)
            .set_body_json(json!({"openid": format!("openid-{code}"), "session_key": "sk"}))
    }
}

async fn wechat_app() -> TestApp {
    let app = spawn_app_with(
        HashMap::from([
            ("WECHAT_APPID", "wx-e2e".to_string()),
            ("WECHAT_SECRET", "wx-e2e-secret".to_string()),
            ("WECHAT_TEMPLATE_SPOT_AVAILABLE", TEMPLATE.to_string()),
            ("WECHAT_TEMPLATE_SEAT_TAKEN", "tmpl-seat-taken".to_string()),
        ]),
        true,
    )
    .await;
    Mock::given(path("/sns/jscode2session"))
        .respond_with(EchoOpenid)
        .mount(&app.wechat)
        .await;
    Mock::given(path("/cgi-bin/stable_token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok", "expires_in": 7200})),
        )
        .mount(&app.wechat)
        .await;
    app
}

async fn grant(app: &TestApp, p: &Parent, template: &str) {
    let (status, body) = app
        .post(
            "/api/v1/notifications/grants",
            &p.token,
            json!({"results": {template: "accept", "errMsg": "requestSubscribeMessage:ok"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Subscribe-message requests WeChat received, as JSON bodies.
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

async fn wait_for_sends(app: &TestApp, n: usize) -> Vec<Value> {
    let started = std::time::Instant::now();
    loop {
        let got = sends(app).await;
        if got.len() >= n {
            return got;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "only {} of {n} WeChat sends",
            got.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wechat_status(app: &TestApp, user_id: i64, kind: &str) -> (String, Option<i32>) {
    let started = std::time::Instant::now();
    loop {
        let row: Option<(String, Option<i32>)> = sqlx::query_as(
            "SELECT CAST(wechat_status AS CHAR), wechat_errcode FROM notification WHERE user_id = ? AND type = ? ORDER BY id DESC LIMIT 1",
        )
        .bind(user_id)
        .bind(kind)
        .fetch_optional(&app.pool)
        .await
        .unwrap();
        if let Some(r) = row
            && !matches!(r.0.as_str(), "pending" | "sending")
        {
            return r;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "delivery of {kind} to {user_id} did not settle"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A full session of capacity 1 with the given parents waiting (joined in order).
async fn full_session_with(app: &TestApp, waiting: &[&Parent]) -> (Parent, i64, Vec<i64>) {
    let (schedule, date) = app
        .session(SessionSpec {
            capacity: 1,
            ..Default::default()
        })
        .await;
    let holder = app.parent("holder").await;
    let child = app.child(&holder, "占位", 2).await;
    let (_, booked) = app.book(&holder, child, schedule, date).await;
    let mut entries = Vec::new();
    for p in waiting {
        let c = app.child(p, "候补", 2).await;
        let (status, body) = app.join(p, c, schedule, date).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        entries.push(body["data"]["waitlist_id"].as_i64().unwrap());
    }
    (
        holder,
        booked["data"]["booking_id"].as_i64().unwrap(),
        entries,
    )
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"}))
}

#[tokio::test]
async fn a_cancellation_sends_each_granted_parent_one_subscribe_message_with_the_right_fields() {
    let app = wechat_app().await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .respond_with(ok())
        .mount(&app.wechat)
        .await;
    let parents = [
        app.parent("a").await,
        app.parent("b").await,
        app.parent("c").await,
    ];
    for p in &parents {
        grant(&app, p, TEMPLATE).await;
    }
    let (holder, booking, entries) =
        full_session_with(&app, &parents.iter().collect::<Vec<_>>()).await;
    let (status, body) = app
        .post(
            &format!("/api/v1/bookings/{booking}/cancel"),
            &holder.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let got = wait_for_sends(&app, 3).await;
    assert_eq!(got.len(), 3);
    for (code, entry) in ["a", "b", "c"].iter().zip(&entries) {
        let msg = got
            .iter()
            .find(|m| m["touser"] == format!("openid-{code}"))
            .expect("a message per parent");
        assert_eq!(msg["template_id"], TEMPLATE);
        assert_eq!(msg["page"], format!("pages/waitlist/offer?id={entry}"));
        assert_eq!(msg["data"]["thing1"]["value"], "group课");
        assert!(
            msg["data"]["time3"]["value"].as_str().unwrap().len() == 16,
            "{msg}"
        );
        assert_eq!(msg["miniprogram_state"], "developer");
    }
    for p in &parents {
        assert_eq!(
            wechat_status(&app, p.user_id, "spot_available").await.0,
            "sent"
        );
    }
}

#[tokio::test]
async fn one_grant_gives_one_wechat_message_and_then_in_app_only() {
    let app = wechat_app().await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .respond_with(ok())
        .mount(&app.wechat)
        .await;
    let p = app.parent("once").await;
    grant(&app, &p, TEMPLATE).await;
    let (holder, booking, _) = full_session_with(&app, &[&p]).await;
    app.post(
        &format!("/api/v1/bookings/{booking}/cancel"),
        &holder.token,
        json!({}),
    )
    .await;
    wait_for_sends(&app, 1).await;
    assert_eq!(
        wechat_status(&app, p.user_id, "spot_available").await.0,
        "sent"
    );

    // Ops re-send the round: a new in-app message, but no grant is left for WeChat.
    let admin = app.admin().await;
    let (_, offers) = app.get("/api/v1/admin/offers", &admin).await;
    let offer = &offers["data"]["items"][0];
    let (status, body) = app
        .post(
            "/api/v1/waitlist/notify",
            &admin,
            json!({"course_schedule_id": offer["course_schedule_id"], "booking_date": offer["booking_date"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["messages"], 1);
    assert_eq!(
        wechat_status(&app, p.user_id, "spot_available").await.0,
        "no_grant"
    );
    let (_, inbox) = app.get("/api/v1/notifications", &p.token).await;
    assert_eq!(inbox["data"]["items"].as_array().unwrap().len(), 2);
    assert_eq!(sends(&app).await.len(), 1, "still one WeChat message");
}

#[tokio::test]
async fn errcode_43101_is_recorded_as_no_grant_and_not_retried_while_in_app_stays() {
    let app = wechat_app().await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"errcode": 43101, "errmsg": "user refuse to accept the msg"}),
            ),
        )
        .mount(&app.wechat)
        .await;
    let p = app.parent("refused").await;
    grant(&app, &p, TEMPLATE).await;
    let (holder, booking, _) = full_session_with(&app, &[&p]).await;
    app.post(
        &format!("/api/v1/bookings/{booking}/cancel"),
        &holder.token,
        json!({}),
    )
    .await;
    assert_eq!(
        wechat_status(&app, p.user_id, "spot_available").await,
        ("no_grant".to_string(), Some(43101))
    );
    assert_eq!(
        sends(&app).await.len(),
        1,
        "a permanent error is not retried"
    );
    let (_, inbox) = app.get("/api/v1/notifications", &p.token).await;
    assert_eq!(inbox["data"]["items"][0]["type"], "spot_available");
}

#[tokio::test]
async fn a_busy_wechat_is_retried_and_the_message_is_sent_once() {
    let app = wechat_app().await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errcode": -1, "errmsg": "system busy"})),
        )
        .up_to_n_times(1)
        .mount(&app.wechat)
        .await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .and(body_partial_json(json!({"touser": "openid-retry"})))
        .respond_with(ok())
        .mount(&app.wechat)
        .await;
    let p = app.parent("retry").await;
    grant(&app, &p, TEMPLATE).await;
    let (holder, booking, _) = full_session_with(&app, &[&p]).await;
    app.post(
        &format!("/api/v1/bookings/{booking}/cancel"),
        &holder.token,
        json!({}),
    )
    .await;
    assert_eq!(
        wechat_status(&app, p.user_id, "spot_available").await.0,
        "sent"
    );
    let all = sends(&app).await;
    assert_eq!(all.len(), 2, "one busy answer, then one accepted send");
    let (attempts,): (i32,) = sqlx::query_as(
        "SELECT wechat_attempts FROM notification WHERE user_id = ? AND type = 'spot_available'",
    )
    .bind(p.user_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(attempts, 2);
}
