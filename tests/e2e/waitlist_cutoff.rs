//! W6 through the whole stack: the API starts `waitlist-cutoff/{session}` at the first join,
//! the worker's timer fires at class start − cutoff, the activity expires the queue in MySQL
//! and writes each parent an in-app notification.

use crate::helpers::{SessionSpec, spawn_app};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;
use temporalio_client::WorkflowGetResultOptions;
use workflows::{SessionKey, WaitlistCutoffWorkflow};

#[tokio::test]
async fn waiting_entries_expire_at_the_cutoff_and_each_parent_is_told() {
    let app = spawn_app().await;
    // Class in 15 s with a 10 s cutoff: the waitlist closes 5 s from now.
    app.set_type_settings("group", json!({"cutoff_seconds": 10}))
        .await;
    let (schedule, date) = app
        .session(SessionSpec {
            capacity: 1,
            starts_in: Duration::seconds(15),
            ..Default::default()
        })
        .await;
    app.fill(schedule, date, 1).await;

    let (b, c) = (app.parent("b").await, app.parent("c").await);
    let (b_child, c_child) = (app.child(&b, "小B", 2).await, app.child(&c, "小C", 2).await);
    let (status, joined_b) = app.join(&b, b_child, schedule, date).await;
    assert_eq!(status, StatusCode::CREATED, "{joined_b}");
    let (status, joined_c) = app.join(&c, c_child, schedule, date).await;
    assert_eq!(status, StatusCode::CREATED, "{joined_c}");
    // C leaves before the cutoff: only B is still waiting when it comes.
    let c_entry = joined_c["data"]["waitlist_id"].as_i64().unwrap();
    let (status, _) = app
        .delete(&format!("/api/v1/waitlist/{c_entry}"), &c.token)
        .await;
    assert_eq!(status, StatusCode::OK);

    let session = SessionKey::new(schedule, date);
    let outcome = app
        .temporal
        .get_workflow_handle::<WaitlistCutoffWorkflow>(app.ids().await.cutoff(session))
        .get_result(WorkflowGetResultOptions::default())
        .await
        .expect("the cutoff workflow completes");
    assert_eq!(outcome.expired_entries, 1);

    let (_, mine) = app.get("/api/v1/waitlist/my", &b.token).await;
    let entry = &mine["data"]["items"][0];
    assert_eq!(entry["status"], "expired", "{mine}");
    assert_eq!(entry["expiration_reason"], "cutoff");
    assert!(entry["position"].is_null());

    let (_, notes) = app.get("/api/v1/notifications", &b.token).await;
    let items = notes["data"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{notes}");
    assert_eq!(items[0]["type"], "waitlist_expired");
    assert!(items[0]["body"].as_str().unwrap().contains("候补截止"));

    // C had left: no expiry, no message.
    let (_, c_notes) = app.get("/api/v1/notifications", &c.token).await;
    assert!(c_notes["data"]["items"].as_array().unwrap().is_empty());
    let (_, c_mine) = app.get("/api/v1/waitlist/my", &c.token).await;
    assert_eq!(c_mine["data"]["items"][0]["status"], "cancelled");

    // And the queue is closed now.
    let d = app.parent("d").await;
    let d_child = app.child(&d, "小D", 2).await;
    let (status, body) = app.join(&d, d_child, schedule, date).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["message"], "候补已截止");
    assert_eq!(body["code"], 40903);
}

#[tokio::test]
async fn the_cutoff_workflow_is_findable_by_its_session_key() {
    let app = spawn_app().await;
    let (schedule, date) = app
        .session(SessionSpec {
            capacity: 1,
            ..Default::default()
        })
        .await;
    app.fill(schedule, date, 1).await;
    let p = app.parent("p").await;
    let child = app.child(&p, "小P", 2).await;
    assert_eq!(
        app.join(&p, child, schedule, date).await.0,
        StatusCode::CREATED
    );
    // A second join reuses the running cutoff workflow instead of failing.
    let q = app.parent("q").await;
    let q_child = app.child(&q, "小Q", 2).await;
    assert_eq!(
        app.join(&q, q_child, schedule, date).await.0,
        StatusCode::CREATED
    );

    let session = SessionKey::new(schedule, date);
    let handle = app
        .temporal
        .get_workflow_handle::<WaitlistCutoffWorkflow>(app.ids().await.cutoff(session));
    let description = handle
        .describe(Default::default())
        .await
        .expect("the cutoff workflow exists");
    let attrs = description.search_attributes();
    assert_eq!(
        attrs
            .get(&workflows::search_attributes::SESSION_KEY)
            .as_deref(),
        Some(session.to_string().as_str())
    );
}
