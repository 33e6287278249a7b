//! Replay: live histories of the payment core's workflows (a payment found paid by the
//! deadline query, a refund found by querying on the back-off, a whole camp) and the committed
//! ones in `tests/histories/pay/` replay against the current workflow code, so a change that
//! breaks running payments fails here. `RECORD_HISTORIES=1` rewrites the committed ones.

use crate::helpers::fake_wechatpay::{NoticeMode, RefundPlan};
use crate::helpers::{CampSpec, PROJECT, spawn_pay_app};
use chrono::Duration;
use serde_json::json;
use std::path::PathBuf;
use temporalio_client::{WorkflowFetchHistoryOptions, WorkflowHistory};
use temporalio_sdk::workflow_replayer::{WorkflowReplayer, WorkflowReplayerOptions};
use workflows::{CampWorkflow, PaymentWorkflow, RefundWorkflow};

fn replayer() -> WorkflowReplayer {
    let options = WorkflowReplayerOptions::new()
        .register_workflow::<PaymentWorkflow>()
        .and_then(|o| o.register_workflow::<RefundWorkflow>())
        .and_then(|o| o.register_workflow::<CampWorkflow>())
        .expect("workflows register")
        .build();
    WorkflowReplayer::new(options).expect("replayer")
}

fn histories_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("histories/pay")
}

#[tokio::test]
async fn payment_refund_and_camp_histories_replay_against_the_current_code() {
    let app = spawn_pay_app(&[("PAY_DEADLINE_SECONDS", "2")]).await;
    app.pay.plan_refunds(RefundPlan {
        outcome: "SUCCESS",
        processing_queries: 1,
        notify: false,
    });
    let (camp, starts_at) = app
        .camp(CampSpec {
            days: 1,
            day_seconds: 3,
            starts_in: Duration::seconds(3),
            required_days: 1,
            ..Default::default()
        })
        .await;
    let p = app.parent("m1").await;
    let (_, body) = app
        .enrol(&p.token, camp, json!({"community_user_id": "5001"}))
        .await;
    let no = body["data"]["out_trade_no"].as_str().unwrap().to_string();
    // Paid, notice lost: found by the deadline's query.
    app.pay
        .pay_with(&body["data"]["payment"], NoticeMode::Lose)
        .await
        .unwrap();
    app.payment_result(&no).await;
    app.community
        .checkin(PROJECT, 5001, "回放", starts_at + Duration::seconds(1));
    app.camp_result(camp).await;
    let (enrolment,): (i64,) = sqlx::query_as("SELECT id FROM camp_enrolment")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let admin = app.admin().await;
    app.post(
        &format!("/api/v1/admin/camps/{camp}/refunds/review"),
        &admin,
        json!({"enrolment_ids": [enrolment], "decision": "approve"}),
    )
    .await;
    let refund_no = format!("{no}-R");
    app.refund_result(&refund_no).await;

    let replay = replayer();
    for (name, id) in [
        ("payment-paid-by-query", format!("pay/{no}")),
        ("refund-found-by-query", format!("refund/{refund_no}")),
        ("camp-one-day", format!("camp/{camp}")),
    ] {
        let history = app
            .temporal
            .get_workflow_handle::<PaymentWorkflow>(id.clone())
            .fetch_history(WorkflowFetchHistoryOptions::default());
        let json = history.to_json().await.expect("history as JSON");
        if std::env::var("RECORD_HISTORIES").is_ok() {
            std::fs::write(histories_dir().join(format!("{name}.json")), &json).expect("write");
        }
        replay
            .replay_workflow(WorkflowHistory::from_json(&json).expect("parse"))
            .await
            .unwrap_or_else(|e| panic!("the live {id} history does not replay: {e}"));
    }
    let mut committed = 0;
    for entry in std::fs::read_dir(histories_dir()).expect("tests/histories/pay") {
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
    assert!(
        committed >= 3,
        "committed histories in tests/histories/pay: {committed}"
    );
}
