//! Workers are stateless and share a task queue: killing the worker that runs an offer hands
//! the offer to another worker, which replays its history and answers the next confirm.

use crate::helpers::{TestApp, spawn_app_with};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant};
use temporalio_client::WorkflowGetResultOptions;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use workflows::WaitlistOfferWorkflow;
use workflows::offer::OfferPhase;

/// A worker process on the app's queue; returns once it reports polling.
pub(crate) async fn worker_process(app: &TestApp) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_e2e-worker"))
        .env("APP_ENV", "development")
        .env(
            "DATABASE_URL",
            app.worker_config.common.database_url.expose(),
        )
        .env(
            "TEMPORAL_ADDRESS",
            app.config.common.temporal.address.as_str(),
        )
        .env("TEMPORAL_NAMESPACE", &app.config.common.temporal.namespace)
        .env(
            "TEMPORAL_TASK_QUEUE",
            &app.config.common.temporal.task_queue,
        )
        .env("CLUB_TZ", "Asia/Shanghai")
        .env("MAINTENANCE_INTERVAL_SECONDS", "1")
        .env("MAINTENANCE_REAP_AFTER_SECONDS", "2")
        .env("RUST_LOG", "info")
        .env("LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start the worker process");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let line = tokio::time::timeout_at(deadline.into(), lines.next_line())
            .await
            .expect("worker reports polling within 20 s")
            .expect("worker output")
            .expect("worker still running");
        if line.contains("worker polling") {
            break;
        }
    }
    // Keep draining its output so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    child
}

#[tokio::test]
async fn killing_the_worker_that_runs_an_offer_hands_it_to_another_worker() {
    let app = spawn_app_with(HashMap::new(), false).await;
    let mut first = worker_process(&app).await;
    app.set_type_settings("group", json!({"response_window_seconds": 120}))
        .await;
    let (_, _, holders, waiters) = app.full_with_queue(1, 3).await;
    let (holder, booking) = &holders[0];
    // The offer starts on the only worker, which keeps it cached (sticky).
    let (status, body) = app
        .post(
            &format!("/api/v1/bookings/{booking}/cancel"),
            &holder.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let _second = worker_process(&app).await;
    first.kill().await.expect("kill -9 the first worker");

    let started = Instant::now();
    let (p, entry) = (&waiters[1].parent, waiters[1].entry);
    let (status, body) = app
        .put(
            &format!("/api/v1/waitlist/{entry}/respond"),
            &p.token,
            json!({"action": "confirm"}),
        )
        .await;
    let took = started.elapsed();
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["verdict"], "won");
    assert!(
        took < Duration::from_secs(10),
        "the surviving worker answered after {took:?}"
    );

    let admin = app.admin().await;
    let (_, offers) = app.get("/api/v1/admin/offers", &admin).await;
    let workflow_id = offers["data"]["items"][0]["workflow_id"]
        .as_str()
        .unwrap()
        .to_string();
    let result = app
        .temporal
        .get_workflow_handle::<WaitlistOfferWorkflow>(workflow_id)
        .get_result(WorkflowGetResultOptions::default())
        .await
        .expect("the offer completes on the surviving worker");
    assert_eq!(result.phase, OfferPhase::Won);
    let (_, others) = app
        .get("/api/v1/notifications", &waiters[0].parent.token)
        .await;
    assert!(
        others["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["type"] == "seat_taken")
    );
}
