//! Parent login through WeChat `code2Session` (wiremock plays WeChat; the real client runs).

use crate::helpers::spawn_app_with;
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::collections::HashMap;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

async fn wechat_app() -> crate::helpers::TestApp {
    spawn_app_with(
        HashMap::from([
            ("WECHAT_APPID", "wx-test-app".to_string()),
            ("WECHAT_SECRET", "wx-test-secret".to_string()),
        ]),
        false,
    )
    .await
}

async fn login(app: &crate::helpers::TestApp, code: &str) -> (StatusCode, serde_json::Value) {
    app.call(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"code": code})),
    )
    .await
}

#[tokio::test]
async fn a_code_becomes_a_token_for_the_same_parent_each_time_and_the_session_key_stays_inside() {
    let app = wechat_app().await;
    Mock::given(method("GET"))
        .and(path("/sns/jscode2session"))
        .and(query_param("appid", "wx-test-app"))
        .and(query_param("secret", "wx-test-secret"))
        .and(query_param("grant_type", "authorization_code"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"openid": "o-parent-1", "session_key": "sk-secret"})),
        )
        .expect(2)
        .mount(&app.wechat)
        .await;
    let (status, first) = login(&app, "code-1").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert!(!first.to_string().contains("sk-secret"));
    let (_, second) = login(&app, "code-2").await;
    assert_eq!(first["data"]["user_id"], second["data"]["user_id"]);
    let (stored,): (Option<String>,) =
        sqlx::query_as("SELECT wechat_session_key FROM user WHERE openid = 'o-parent-1'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored.as_deref(), Some("sk-secret"));
    // With WeChat configured, a dev code is not a login.
    let token = first["data"]["token"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/profiles", token).await.0, StatusCode::OK);
}

#[tokio::test]
async fn wechat_errors_become_clear_answers() {
    let app = wechat_app().await;
    for (code, errcode) in [
        ("bad", 40029),
        ("used", 40163),
        ("fast", 45011),
        ("busy", -1),
    ] {
        Mock::given(path("/sns/jscode2session"))
            .and(query_param("js_code", code))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"errcode": errcode, "errmsg": "x"})),
            )
            .mount(&app.wechat)
            .await;
    }
    Mock::given(path("/sns/jscode2session"))
        .and(query_param("js_code", "down"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&app.wechat)
        .await;
    let expect = [
        ("bad", StatusCode::BAD_REQUEST),
        ("used", StatusCode::BAD_REQUEST),
        ("fast", StatusCode::TOO_MANY_REQUESTS),
        ("busy", StatusCode::SERVICE_UNAVAILABLE),
        ("down", StatusCode::SERVICE_UNAVAILABLE),
    ];
    for (code, want) in expect {
        let (status, body) = login(&app, code).await;
        assert_eq!(status, want, "{code}: {body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM user WHERE role = 'parent'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(users, 0, "no parent is created by a failed login");
}
