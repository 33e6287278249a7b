//! The Temporal UI / CLI queries of the README and the runbook find the flows they should.

use crate::helpers::{SessionSpec, TestApp, spawn_app};
use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::json;
use std::time::{Duration, Instant};
use temporalio_client::WorkflowListOptions;
use workflows::SessionKey;

/// Workflow ids the visibility query returns, polled until `want` shows up (visibility is
/// eventually consistent).
async fn listed(app: &TestApp, query: &str, want: &str) -> Vec<String> {
    let started = Instant::now();
    loop {
        let ids: Vec<String> = app
            .temporal
            .list_workflows(query, WorkflowListOptions::default())
            .filter_map(|r| async move { r.ok().map(|w| w.id().to_string()) })
            .collect()
            .await;
        if ids.iter().any(|id| id == want) || started.elapsed() > Duration::from_secs(10) {
            return ids;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_documented_queries_find_open_offers_and_waiting_cutoffs() {
    let app = spawn_app().await;
    app.set_type_settings("group", json!({"response_window_seconds": 300}))
        .await;
    let (schedule, date) = app
        .session(SessionSpec {
            capacity: 1,
            ..Default::default()
        })
        .await;
    let holder = app.parent("holder").await;
    let child = app.child(&holder, "占位", 2).await;
    let (_, booked) = app.book(&holder, child, schedule, date).await;
    let p = app.parent("waiter").await;
    let c = app.child(&p, "候补", 2).await;
    assert_eq!(app.join(&p, c, schedule, date).await.0, StatusCode::CREATED);
    let booking = booked["data"]["booking_id"].as_i64().unwrap();
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
    let session = SessionKey::new(schedule, date);
    let offer = app
        .ids()
        .await
        .offer(session, &format!("booking-{booking}"));
    let cutoff = app.ids().await.cutoff(session);

    let broadcasting = listed(
        &app,
        r#"WorkflowType="WaitlistOfferWorkflow" AND OfferPhase="broadcast""#,
        &offer,
    )
    .await;
    assert_eq!(broadcasting, vec![offer.clone()]);
    let waiting = listed(
        &app,
        r#"WorkflowType="WaitlistCutoffWorkflow" AND CutoffState="waiting""#,
        &cutoff,
    )
    .await;
    assert_eq!(waiting, vec![cutoff.clone()]);
    let running = listed(
        &app,
        r#"ExecutionStatus="Running" AND WorkflowType="WaitlistOfferWorkflow""#,
        &offer,
    )
    .await;
    assert_eq!(running, vec![offer.clone()]);
    let mut by_session = listed(&app, &format!(r#"SessionKey="{session}""#), &offer).await;
    by_session.sort();
    assert_eq!(by_session, {
        let mut both = vec![offer.clone(), cutoff.clone()];
        both.sort();
        both
    });
    // Nothing is on hold yet.
    assert!(
        listed(
            &app,
            r#"WorkflowType="WaitlistOfferWorkflow" AND OfferPhase="hold""#,
            "none"
        )
        .await
        .is_empty()
    );
}

#[tokio::test]
async fn a_makeup_whose_booking_step_fails_for_good_ends_failed_and_the_documented_query_finds_it()
{
    let app = spawn_app().await;
    let p = app.parent("parent").await;
    let child = app.child(&p, "小明", 2).await;
    let (schedule, date) = app.session(SessionSpec::default()).await;
    let (_, booked) = app.book(&p, child, schedule, date).await;
    let booking = booked["data"]["booking_id"].as_i64().unwrap();
    let (_, left) = app
        .post(
            &format!("/api/v1/bookings/{booking}/leave"),
            &p.token,
            json!({}),
        )
        .await;
    let pending = left["data"]["pending_makeup_id"].as_i64().unwrap();
    let (target, target_date) = app
        .session(SessionSpec {
            starts_in: chrono::Duration::days(4),
            ..Default::default()
        })
        .await;
    let book = || {
        app.post(
            "/api/v1/makeup/book",
            &p.token,
            json!({"pending_id": pending, "course_schedule_id": target, "booking_date": target_date}),
        )
    };

    // The booking activity cannot write its table (a schema that does not match the code):
    // no retry can fix that, so the step fails at once, nothing is booked, the parent is told
    // to try again, and the flow ends `failed` where ops look for it.
    sqlx::query("RENAME TABLE makeup_booking TO makeup_booking_away")
        .execute(&app.pool)
        .await
        .unwrap();
    let (status, body) = book().await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    let workflow_id = app
        .ids()
        .await
        .makeup(pending, SessionKey::new(target, target_date));
    let failed = listed(
        &app,
        r#"WorkflowType="MakeupBookingWorkflow" AND MakeupState="failed""#,
        &workflow_id,
    )
    .await;
    assert_eq!(failed, vec![workflow_id.clone()]);

    // Fixed: booking again runs the same id anew and goes through.
    sqlx::query("RENAME TABLE makeup_booking_away TO makeup_booking")
        .execute(&app.pool)
        .await
        .unwrap();
    let (status, body) = book().await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let booked = listed(
        &app,
        r#"WorkflowType="MakeupBookingWorkflow" AND MakeupState="booked""#,
        &workflow_id,
    )
    .await;
    assert_eq!(booked, vec![workflow_id]);
}
