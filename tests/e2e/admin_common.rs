//! Helpers of the staff-console tests: staff accounts, audit entries, the parent's inbox.

use crate::helpers::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Creates a staff account (as the owner) and logs it in; returns its token.
pub async fn staff_token(app: &TestApp, username: &str, role: &str) -> String {
    let owner = app.admin().await;
    let (status, body) = app
        .post(
            "/api/v1/admin/staff",
            &owner,
            json!({"username": username, "password": "long-enough-pw", "role": role}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    login(app, username, "long-enough-pw")
        .await
        .expect("staff logs in")
}

pub async fn login(app: &TestApp, username: &str, password: &str) -> Option<String> {
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/admin/login",
            None,
            Some(json!({"username": username, "password": password})),
        )
        .await;
    (status == StatusCode::OK).then(|| body["data"]["token"].as_str().unwrap().to_string())
}

/// Audit entries of one action, newest first.
pub async fn audit(app: &TestApp, action: &str) -> Vec<Value> {
    let (status, body) = app
        .get(
            &format!("/api/v1/admin/audit?action={action}"),
            &app.admin().await,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["data"]["items"].as_array().unwrap().clone()
}

/// The parent's in-app messages, newest first.
pub async fn inbox(app: &TestApp, token: &str) -> Vec<Value> {
    let (_, body) = app.get("/api/v1/notifications", token).await;
    body["data"]["items"].as_array().unwrap().clone()
}

/// M7 with adjustments, straight from the tables: for every credit, the signed sum of its
/// ledger equals its remaining minutes.
pub async fn ledger_holds(app: &TestApp) {
    let broken: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT c.id, c.remaining_minutes, CAST(COALESCE(SUM(CASE l.kind WHEN 'created' THEN l.minutes
                 WHEN 'restored' THEN l.minutes WHEN 'adjusted' THEN l.minutes ELSE -l.minutes END), 0) AS SIGNED)
           FROM class_credit_compensation c LEFT JOIN compensation_ledger l ON l.compensation_id = c.id
          GROUP BY c.id, c.remaining_minutes HAVING COUNT(l.id) = 0 OR SUM(CASE l.kind WHEN 'created' THEN l.minutes
                 WHEN 'restored' THEN l.minutes WHEN 'adjusted' THEN l.minutes ELSE -l.minutes END) <> c.remaining_minutes",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(
        broken.is_empty(),
        "credits whose ledger does not balance: {broken:?}"
    );
}
