//! `RefundWorkflow` end to end: a camp deposit approved by staff goes back through the fake
//! WeChat Pay — by notice, by query on the back-off, retried with the same `out_refund_no`,
//! and ending abnormal or closed, each recorded and told.

use crate::helpers::fake_wechatpay::RefundPlan;
use crate::helpers::{CampSpec, PROJECT, Parent, PayApp, spawn_pay_app};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;
use workflows::refund::RefundState;

/// A one-day camp of 3-second days; one member enrols, pays, checks in; the refund list is
/// drawn up and staff approve. Returns (member, out_trade_no, out_refund_no, camp).
async fn approved_deposit(app: &PayApp) -> (Parent, String, String, i64) {
    let (camp, starts_at) = app
        .camp(CampSpec {
            days: 1,
            day_seconds: 3,
            starts_in: Duration::seconds(2),
            required_days: 1,
            ..Default::default()
        })
        .await;
    let (p, no, enrolment) = app
        .enrol_and_pay("m1", camp, json!({"community_user_id": "1001"}))
        .await;
    app.community.checkin(
        PROJECT,
        1001,
        "跑者",
        starts_at + Duration::milliseconds(1500),
    );
    let list = app.camp_result(camp).await;
    assert_eq!(list.eligible, 1, "{list:?}");
    let admin = app.admin().await;
    let (status, body) = app
        .post(
            &format!("/api/v1/admin/camps/{camp}/refunds/review"),
            &admin,
            json!({"enrolment_ids": [enrolment], "decision": "approve"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let item = &body["data"]["items"][0];
    assert_eq!(item["result"], "refund_started", "{body}");
    let refund_no = item["out_refund_no"].as_str().unwrap().to_string();
    assert_eq!(refund_no, format!("{no}-R"));
    (p, no, refund_no, camp)
}

async fn refund_state_of(app: &PayApp, refund_no: &str) -> String {
    let (s,): (String,) =
        sqlx::query_as("SELECT CAST(state AS CHAR) FROM payment_refund WHERE out_refund_no = ?")
            .bind(refund_no)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    s
}

#[tokio::test]
async fn an_approved_deposit_goes_back_and_the_member_sees_it() {
    let app = spawn_pay_app(&[]).await;
    let (p, no, refund_no, camp) = approved_deposit(&app).await;
    assert_eq!(app.refund_result(&refund_no).await, RefundState::Success);
    assert_eq!(app.payment_row(&no).await, ("paid".into(), 9900, 9900));
    assert_eq!(refund_state_of(&app, &refund_no).await, "success");
    let (_, me) = app.get(&format!("/api/v1/camps/{camp}/me"), &p.token).await;
    assert_eq!(me["data"]["refund_state"], "success", "{me}");
    assert_eq!(me["data"]["review"], "approved");
    assert!(
        app.notification_types(&p.token)
            .await
            .contains(&"camp_refund".to_string())
    );
    let refunds = app.pay.refunds();
    assert_eq!((refunds.len(), refunds[0].amount), (1, 9900));
    let id = format!("refund/{refund_no}");
    let found = app
        .listed(
            &format!("RefundState=\"success\" AND CampId={camp} AND OrderNo=\"{no}\""),
            &id,
        )
        .await;
    assert_eq!(found, vec![id]);
}

#[tokio::test]
async fn a_refund_is_retried_with_the_same_number_and_refunded_once() {
    let app = spawn_pay_app(&[]).await;
    app.pay.fail_next("refund", 2);
    app.pay.lose_next_refund_answer();
    let (_, no, refund_no, _) = approved_deposit(&app).await;
    assert_eq!(app.refund_result(&refund_no).await, RefundState::Success);
    let calls: Vec<(u16, String)> = app
        .pay
        .calls()
        .into_iter()
        .filter(|c| c.path == "/v3/refund/domestic/refunds")
        .map(|c| {
            (
                c.status,
                c.body["out_refund_no"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        calls.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        vec![500, 500, 500, 200],
        "two refused, one made but its answer lost, then the same refund again"
    );
    assert!(calls.iter().all(|(_, n)| *n == refund_no));
    assert_eq!(app.pay.refunds().len(), 1, "one refund at WeChat");
    assert_eq!(app.payment_row(&no).await, ("paid".into(), 9900, 9900));
}

#[tokio::test]
async fn without_a_notice_the_refund_is_found_by_querying_on_the_back_off() {
    let app = spawn_pay_app(&[]).await;
    app.pay.plan_refunds(RefundPlan {
        outcome: "SUCCESS",
        processing_queries: 2,
        notify: false,
    });
    let (_, _, refund_no, _) = approved_deposit(&app).await;
    assert_eq!(app.refund_result(&refund_no).await, RefundState::Success);
    let queries = app
        .pay
        .calls()
        .iter()
        .filter(|c| c.path == format!("/v3/refund/domestic/refunds/{refund_no}"))
        .count();
    assert_eq!(queries, 3, "PROCESSING twice, then SUCCESS");
    assert!(
        !app.pay
            .notices()
            .iter()
            .any(|n| n.event_type.starts_with("REFUND."))
    );
}

#[tokio::test]
async fn an_abnormal_refund_is_recorded_for_ops_and_the_member_told() {
    let app = spawn_pay_app(&[]).await;
    app.pay.plan_refunds(RefundPlan {
        outcome: "ABNORMAL",
        processing_queries: 0,
        notify: true,
    });
    let (p, no, refund_no, camp) = approved_deposit(&app).await;
    assert_eq!(app.refund_result(&refund_no).await, RefundState::Abnormal);
    assert_eq!(refund_state_of(&app, &refund_no).await, "abnormal");
    assert_eq!(
        app.payment_row(&no).await,
        ("paid".into(), 9900, 0),
        "not refunded"
    );
    let admin = app.admin().await;
    let (_, list) = app.get("/api/v1/admin/pay/anomalies", &admin).await;
    assert_eq!(
        list["data"]["items"][0]["kind"], "refund_abnormal",
        "{list}"
    );
    let (_, me) = app.get(&format!("/api/v1/camps/{camp}/me"), &p.token).await;
    assert_eq!(me["data"]["refund_state"], "abnormal");
    assert!(
        app.notification_types(&p.token)
            .await
            .contains(&"camp_refund".to_string())
    );
}

#[tokio::test]
async fn a_closed_refund_frees_the_amount_and_is_told() {
    let app = spawn_pay_app(&[]).await;
    app.pay.plan_refunds(RefundPlan {
        outcome: "CLOSED",
        processing_queries: 1,
        notify: false,
    });
    let (_, no, refund_no, _) = approved_deposit(&app).await;
    assert_eq!(app.refund_result(&refund_no).await, RefundState::Closed);
    assert_eq!(refund_state_of(&app, &refund_no).await, "closed");
    assert_eq!(app.payment_row(&no).await, ("paid".into(), 9900, 0));
    let (in_flight,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM payment_refund WHERE out_trade_no = ? AND state IN ('reserved', 'processing', 'abnormal')",
    )
    .bind(&no)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(in_flight, 0);
}
