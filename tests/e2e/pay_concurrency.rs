//! Money and seats under parallel requests and a killed worker.

use crate::helpers::fake_wechatpay::NoticeMode;
use crate::helpers::{CampSpec, PayApp, spawn_pay_app, spawn_pay_app_with};
use reqwest::StatusCode;
use serde_json::json;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use workflows::payment::{PayState, PaymentWorkflow};

#[tokio::test]
async fn a_hundred_members_racing_for_the_last_five_seats_never_oversell() {
    let app = spawn_pay_app(&[]).await;
    let (camp, _) = app
        .camp(CampSpec {
            capacity: 8,
            ..Default::default()
        })
        .await;
    // Three seats already taken (paid), five left.
    for i in 0..3 {
        app.enrol_and_pay(
            &format!("early-{i}"),
            camp,
            json!({"wechat_nickname": "早"}),
        )
        .await;
    }
    let mut parents = Vec::new();
    for i in 0..100 {
        parents.push(app.parent(&format!("racer-{i}")).await);
    }
    let started = Instant::now();
    let answers = futures::future::join_all(
        parents
            .iter()
            .map(|p| app.enrol(&p.token, camp, json!({"community_nickname": "抢"}))),
    )
    .await;
    let took = started.elapsed();
    let won: Vec<_> = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .collect();
    let full = answers
        .iter()
        .filter(|(s, b)| *s == StatusCode::CONFLICT && b["code"] == 40920)
        .count();
    eprintln!(
        "100 concurrent enrolments answered in {took:?}: {} won, {full} full",
        won.len()
    );
    assert_eq!(won.len(), 5, "{answers:?}");
    assert_eq!(full, 95);
    let (held,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM camp_enrolment WHERE camp_id = ? AND status IN ('reserved', 'paid')",
    )
    .bind(camp)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(held, 8);
    assert_eq!(app.pay.orders().len(), 8, "only winners reach WeChat");
    let (payments,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM payment")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(payments, 8);
    let (_, view) = app
        .get(&format!("/api/v1/camps/{camp}"), &parents[0].token)
        .await;
    assert_eq!(view["data"]["seats_left"], 0);
}

/// A worker process on the app's queue with the app's settings; returns once it polls.
async fn worker_process(app: &PayApp) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_e2e-worker"));
    cmd.env("APP_ENV", "development")
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
        .env("RUST_LOG", "info")
        .env("LOG_FORMAT", "json");
    for (k, v) in &app.env {
        cmd.env(k, v);
    }
    let mut child = cmd
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
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    child
}

#[tokio::test]
async fn killing_the_worker_mid_payment_hands_the_payment_to_another_worker() {
    let app = spawn_pay_app_with(&[], false).await;
    let mut first = worker_process(&app).await;
    let (camp, _) = app.camp(CampSpec::default()).await;
    let p = app.parent("m1").await;
    let (status, body) = app
        .enrol(&p.token, camp, json!({"community_user_id": "88"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let no = body["data"]["out_trade_no"].as_str().unwrap().to_string();
    // The payment waits on the first worker (cached, sticky) for the notice.
    let _second = worker_process(&app).await;
    first
        .kill()
        .await
        .expect("kill -9 the worker running the payment");

    let started = Instant::now();
    app.pay
        .pay_with(&body["data"]["payment"], NoticeMode::Deliver)
        .await
        .unwrap();
    let outcome = app.payment_result(&no).await;
    let took = started.elapsed();
    eprintln!("payment settled by the surviving worker {took:?} after the notice");
    assert_eq!(outcome.state, PayState::Paid);
    assert!(took < Duration::from_secs(15), "{took:?}");
    assert_eq!(app.payment_row(&no).await, ("paid".into(), 9900, 0));
    assert_eq!(app.enrolment_status(&no).await, "paid");
    // The history has exactly one reserve and one prepay: nothing was done twice.
    let history = app
        .temporal
        .get_workflow_handle::<PaymentWorkflow>(format!("pay/{no}"))
        .fetch_history(temporalio_client::WorkflowFetchHistoryOptions::default());
    let json = String::from_utf8(history.to_json().await.expect("history as JSON")).unwrap();
    assert_eq!(json.matches("\"pay.reserve\"").count(), 1);
    assert_eq!(json.matches("\"pay.prepay\"").count(), 1);
    assert_eq!(app.pay.orders().len(), 1);
}

/// The reservation transaction itself, without Temporal in between: 60 transactions at once,
/// each starting with a plain read (as `pay.reserve` does) before it takes the camp lock, for
/// the last 5 seats. A count that read the transaction's early snapshot would oversell here.
#[tokio::test]
async fn the_seat_reservation_transaction_never_oversells_under_contention() {
    use activities::camp::seat;
    use workflows::rules::camp::EnrolmentIdentity;
    use workflows::rules::payment::OutTradeNo;
    let app = spawn_pay_app(&[]).await;
    let (camp, _) = app
        .camp(CampSpec {
            capacity: 5,
            ..Default::default()
        })
        .await;
    let mut users = Vec::new();
    for i in 0..60 {
        let r = sqlx::query("INSERT INTO user (role, openid) VALUES ('parent', ?)")
            .bind(format!("race-{i}"))
            .execute(&app.pool)
            .await
            .unwrap();
        users.push(r.last_insert_id() as i64);
    }
    let results = futures::future::join_all(users.iter().map(|&user| {
        let pool = app.pool.clone();
        async move {
            let mut tx = pool.begin().await.unwrap();
            let _ = activities::pay::db::payment(&mut tx, "CAMP0U0N0", false)
                .await
                .unwrap();
            let seat = seat::reserve(
                &mut tx,
                camp,
                user,
                &EnrolmentIdentity::default(),
                &OutTradeNo::for_camp(camp, user, 1),
                chrono::Utc::now(),
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            seat.is_ok()
        }
    }))
    .await;
    assert_eq!(results.iter().filter(|ok| **ok).count(), 5);
    let (held,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM camp_enrolment WHERE camp_id = ? AND status = 'reserved'",
    )
    .bind(camp)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(held, 5);
}
