//! Determinism: histories of real runs replay against the current workflow code. The
//! committed histories in `tests/histories/` guard against changes that would break running
//! workflows (guard such changes with `ctx.patched()`); `RECORD_HISTORIES=1` refreshes them.

use crate::helpers::{TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::json;
use std::path::PathBuf;
use temporalio_client::{WorkflowFetchHistoryOptions, WorkflowGetResultOptions, WorkflowHistory};
use temporalio_sdk::workflow_replayer::{WorkflowReplayer, WorkflowReplayerOptions};
use workflows::{
    CompensationCreditWorkflow, MakeupBookingWorkflow, WaitlistCutoffWorkflow,
    WaitlistOfferWorkflow,
};

fn replayer() -> WorkflowReplayer {
    let options = WorkflowReplayerOptions::new()
        .register_workflow::<WaitlistCutoffWorkflow>()
        .and_then(|o| o.register_workflow::<WaitlistOfferWorkflow>())
        .and_then(|o| o.register_workflow::<MakeupBookingWorkflow>())
        .and_then(|o| o.register_workflow::<CompensationCreditWorkflow>())
        .expect("workflows register")
        .build();
    WorkflowReplayer::new(options).expect("replayer")
}

fn histories_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("histories")
}

/// An offer that went through broadcast, a hold that lapsed and a hold that was confirmed.
async fn record_offer(app: &TestApp) -> WorkflowHistory {
    app.set_type_settings(
        "group",
        // a hold long enough for a loaded machine to answer in, short enough to lapse once
        json!({"response_window_seconds": 1, "hold_window_seconds": 5, "grace_seconds": 1}),
    )
    .await;
    let (_, _, holders, entries) = app.full_with_queue(1, 2).await;
    let (holder, booking) = &holders[0];
    assert_eq!(
        app.post(
            &format!("/api/v1/bookings/{booking}/cancel"),
            &holder.token,
            json!({})
        )
        .await
        .0,
        StatusCode::OK
    );
    // Nobody answers the broadcast; the first hold lapses; the second holder confirms.
    let (p, entry) = (&entries[1].parent, entries[1].entry);
    let started = std::time::Instant::now();
    loop {
        let (_, inbox) = app.get("/api/v1/notifications", &p.token).await;
        if inbox["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["type"] == "hold_for_you")
        {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the seat never came to the second in line"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (status, body) = app
        .put(
            &format!("/api/v1/waitlist/{entry}/respond"),
            &p.token,
            json!({"action": "confirm"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let admin = app.admin().await;
    let (_, offers) = app.get("/api/v1/admin/offers", &admin).await;
    let id = offers["data"]["items"][0]["workflow_id"]
        .as_str()
        .unwrap()
        .to_string();
    let handle = app
        .temporal
        .get_workflow_handle::<WaitlistOfferWorkflow>(id);
    handle
        .get_result(WorkflowGetResultOptions::default())
        .await
        .expect("offer completes");
    handle.fetch_history(WorkflowFetchHistoryOptions::default())
}

#[tokio::test]
async fn a_fresh_offer_history_and_the_committed_ones_replay_deterministically() {
    let app = spawn_app().await;
    let fresh = record_offer(&app).await;
    let json = fresh.to_json().await.expect("history to JSON");
    if std::env::var("RECORD_HISTORIES").is_ok() {
        std::fs::write(histories_dir().join("offer-hold-in-turn.json"), &json)
            .expect("write history");
    }
    let replay = replayer();
    replay
        .replay_workflow(WorkflowHistory::from_json(&json).expect("parse"))
        .await
        .expect("a live history replays");
    let mut committed = 0;
    for entry in std::fs::read_dir(histories_dir()).expect("tests/histories") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let bytes = std::fs::read(&path).expect("read history");
            replay
                .replay_workflow(WorkflowHistory::from_json(&bytes).expect("parse"))
                .await
                .unwrap_or_else(|e| panic!("{} no longer replays: {e}", path.display()));
            committed += 1;
        }
    }
    assert!(committed >= 1, "no committed histories in tests/histories");
}

/// An offer of three seats under issue 18's rules: auto-accept books one in the release step,
/// the broadcast tells a family of two and a single child, the single child wins one, the
/// family's confirm finds too few seats left (taken), and the last seat is passed over by the
/// hold for the family and ends exhausted.
async fn record_family_offer(app: &TestApp) -> WorkflowHistory {
    use crate::offers::{offer_result, respond};
    use crate::waitlist_family::{full, join_family, raise_capacity};
    app.set_type_settings(
        "group",
        json!({"response_window_seconds": 2, "hold_window_seconds": 2, "grace_seconds": 1}),
    )
    .await;
    let (schedule, date, _) = full(app, 1).await;
    let session = (schedule, date);
    join_family(app, "auto", 1, session, json!({"auto_accept": true})).await;
    let (family, _, _) = join_family(app, "family", 2, session, json!({})).await;
    let (single, _, _) = join_family(app, "single", 1, session, json!({})).await;
    raise_capacity(app, session, 4).await;
    let (status, body) = respond(app, &single, "confirm").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = respond(app, &family, "confirm").await;
    assert_eq!(status, StatusCode::CONFLICT, "too few seats left: {body}");
    let (id,): (String,) = sqlx::query_as(
        "SELECT workflow_id FROM waitlist_flow WHERE course_schedule_id = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(schedule)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    offer_result(app, &id).await;
    app.temporal
        .get_workflow_handle::<WaitlistOfferWorkflow>(id)
        .fetch_history(WorkflowFetchHistoryOptions::default())
}

#[tokio::test]
async fn a_family_and_auto_accept_offer_history_replays() {
    let app = spawn_app().await;
    let fresh = record_family_offer(&app).await;
    let json = fresh.to_json().await.expect("history to JSON");
    if std::env::var("RECORD_HISTORIES").is_ok() {
        std::fs::write(histories_dir().join("offer-family-auto-accept.json"), &json)
            .expect("write history");
    }
    replayer()
        .replay_workflow(WorkflowHistory::from_json(&json).expect("parse"))
        .await
        .expect("a live history replays");
}
