//! `/healthz` tells which dependency is down, and recovers without a restart.

use crate::helpers::{TcpProxy, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use std::collections::HashMap;
use std::time::Duration;

async fn health(app: &crate::helpers::TestApp) -> (StatusCode, serde_json::Value) {
    app.call(reqwest::Method::GET, "/healthz", None, None).await
}

/// Polls `/healthz` until it answers `want` (bounded), returning the last answer.
async fn health_becomes(
    app: &crate::helpers::TestApp,
    want: StatusCode,
) -> (StatusCode, serde_json::Value) {
    let mut last = health(app).await;
    for _ in 0..60 {
        if last.0 == want {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
        last = health(app).await;
    }
    last
}

#[tokio::test]
async fn healthz_is_ok_when_mysql_and_temporal_answer() {
    let app = spawn_app().await;
    let (status, body) = health(&app).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["mysql"], "ok");
    assert_eq!(body["data"]["temporal"], "ok");
}

#[tokio::test]
async fn healthz_names_mysql_while_it_is_down_and_recovers_without_restart() {
    let db_server = crate::helpers::db_server_addr();
    let proxy = TcpProxy::start(db_server).await;
    let app = spawn_app_with(
        HashMap::from([("DATABASE_VIA", proxy.addr.to_string())]),
        false,
    )
    .await;
    assert_eq!(health(&app).await.0, StatusCode::OK);

    proxy.stop();
    let (status, body) = health_becomes(&app, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("MySQL"),
        "{body}"
    );
    assert_ne!(body["data"]["mysql"], "ok");
    // A word, never the driver's text (addresses, user names).
    assert!(
        ["not reachable", "timed out", "refused", "error"]
            .contains(&body["data"]["mysql"].as_str().unwrap()),
        "{body}"
    );
    assert_eq!(body["data"]["temporal"], "ok");
    assert_eq!(body["code"], 50300);

    proxy.restore();
    let (status, body) = health_becomes(&app, StatusCode::OK).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn healthz_names_temporal_when_it_is_unreachable() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    // nothing listens there once the listener above is dropped
    let app = spawn_app_with(
        HashMap::from([("TEMPORAL_ADDRESS", closed.to_string())]),
        false,
    )
    .await;
    let (status, body) = health(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("Temporal"),
        "{body}"
    );
    assert_eq!(body["data"]["mysql"], "ok");
}
