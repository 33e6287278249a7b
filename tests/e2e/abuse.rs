//! Holding up to abuse (issue 15): per-client limits on the logins, per-parent on `respond`,
//! 429 with `Retry-After`, a body size limit, security headers, and the docs and metrics off
//! the public port unless asked for.

use crate::helpers::{TestApp, spawn_app_with};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use std::collections::HashMap;

async fn post_from(
    app: &TestApp,
    ip: &str,
    path: &str,
    body: Value,
) -> (StatusCode, HeaderMap, Value) {
    let res = app
        .http
        .post(format!("{}{path}", app.address))
        .header("X-Real-IP", ip)
        .json(&body)
        .send()
        .await
        .expect("request reaches the API");
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.json().await.expect("an envelope"))
}

fn retry_after(headers: &HeaderMap) -> u64 {
    headers
        .get("retry-after")
        .expect("a 429 says when to come back")
        .to_str()
        .unwrap()
        .parse()
        .expect("whole seconds")
}

#[tokio::test]
async fn admin_logins_from_one_address_are_limited_and_another_address_goes_on() {
    let app = spawn_app_with(
        HashMap::from([
            ("RATE_LIMIT_ADMIN_LOGIN_PER_MINUTE", "3".to_string()),
            ("API_CLIENT_IP_HEADER", "X-Real-IP".to_string()),
        ]),
        false,
    )
    .await;
    let wrong = json!({"username": "admin", "password": "guess"});
    for _ in 0..3 {
        let (status, _, body) =
            post_from(&app, "203.0.113.7", "/api/v1/admin/login", wrong.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
    let (status, headers, body) =
        post_from(&app, "203.0.113.7", "/api/v1/admin/login", wrong.clone()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["code"], 42900);
    // three a minute: the next one frees up within twenty seconds
    assert!((1..=20).contains(&retry_after(&headers)), "{headers:?}");
    // even the right password waits: the limit is on attempts, not failures
    let right = json!({"username": "admin", "password": "admin-password"});
    let (status, _, _) = post_from(&app, "203.0.113.7", "/api/v1/admin/login", right.clone()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let (status, _, body) = post_from(&app, "198.51.100.2", "/api/v1/admin/login", right).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn parent_logins_are_limited_per_address() {
    let app = spawn_app_with(
        HashMap::from([
            ("RATE_LIMIT_PARENT_LOGIN_PER_MINUTE", "2".to_string()),
            ("API_CLIENT_IP_HEADER", "X-Real-IP".to_string()),
        ]),
        false,
    )
    .await;
    for i in 0..2 {
        let (status, _, body) = post_from(
            &app,
            "203.0.113.9",
            "/api/v1/auth/login",
            json!({"code": format!("limit-{i}")}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, headers, body) = post_from(
        &app,
        "203.0.113.9",
        "/api/v1/auth/login",
        json!({"code": "limit-3"}),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(retry_after(&headers) >= 1);
    // the refused one never reached WeChat's code2Session: no parent was made of it
    let (parents,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM user WHERE role = 'parent'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(parents, 2);
}

#[tokio::test]
async fn one_parent_answering_too_often_is_limited_without_touching_others() {
    let app = spawn_app_with(
        HashMap::from([("RATE_LIMIT_RESPOND_PER_MINUTE", "2".to_string())]),
        false,
    )
    .await;
    let p = app.parent("chatty").await;
    let other = app.parent("calm").await;
    // No offer is open: each answer is refused on its merits (404, the entry is not theirs
    // or not there) until the limit answers first.
    for _ in 0..2 {
        let (status, body) = app
            .put(
                "/api/v1/waitlist/999999/respond",
                &p.token,
                json!({"action": "confirm"}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }
    let (status, body) = app
        .put(
            "/api/v1/waitlist/999999/respond",
            &p.token,
            json!({"action": "confirm"}),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let (status, _) = app
        .put(
            "/api/v1/waitlist/999999/respond",
            &other.token,
            json!({"action": "confirm"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_in_the_envelope() {
    let app = spawn_app_with(
        HashMap::from([("API_BODY_LIMIT_BYTES", "4096".to_string())]),
        false,
    )
    .await;
    let p = app.parent("big").await;
    let (status, body) = app
        .post(
            "/api/v1/profiles",
            &p.token,
            json!({"name": "x".repeat(5000), "level": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["code"], 41300);
}

#[tokio::test]
async fn pages_carry_security_headers_and_api_answers_are_not_sniffed() {
    let app = spawn_app_with(HashMap::new(), false).await;
    let docs = app
        .http
        .get(format!("{}/docs/", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    let csp = docs.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert_eq!(docs.headers()["x-frame-options"], "DENY");
    let club = app
        .http
        .get(format!("{}/api/v1/club", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(club.headers()["x-content-type-options"], "nosniff");
    assert_eq!(club.headers()["referrer-policy"], "no-referrer");
}

#[tokio::test]
async fn docs_off_and_metrics_for_staff_only_keep_them_off_the_public_port() {
    // a private metrics port, picked free
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let private = free.local_addr().unwrap();
    drop(free);
    let app = spawn_app_with(
        HashMap::from([
            ("API_DOCS", "off".to_string()),
            ("API_METRICS", "admin".to_string()),
            ("API_METRICS_ADDR", private.to_string()),
        ]),
        false,
    )
    .await;
    let get = |url: String, token: Option<String>| {
        let mut req = app.http.get(url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.unwrap().status() }
    };
    assert_eq!(
        get(format!("{}/api-docs/openapi.json", app.address), None).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(format!("{}/docs/", app.address), None).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(format!("{}/metrics", app.address), None).await,
        StatusCode::UNAUTHORIZED
    );
    let parent = app.parent("curious").await;
    assert_eq!(
        get(format!("{}/metrics", app.address), Some(parent.token)).await,
        StatusCode::FORBIDDEN
    );
    let admin = app.admin().await;
    assert_eq!(
        get(format!("{}/metrics", app.address), Some(admin)).await,
        StatusCode::OK
    );
    let scraped = app
        .http
        .get(format!("http://{private}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(scraped.status(), StatusCode::OK);
    assert!(
        scraped
            .text()
            .await
            .unwrap()
            .contains("waitlist_metrics_up")
    );
}
