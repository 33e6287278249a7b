//! The payment core end to end against the strict fake WeChat Pay: enrol → prepay →
//! `wx.requestPayment` parameters → notice → paid; and every way a notice or a payment can go
//! wrong (tampered, stale, duplicated, lost, never paid, paid wrong, paid after the close).

use crate::helpers::fake_wechatpay::{MCHID, NoticeMode};
use crate::helpers::{CampSpec, PayApp, spawn_pay_app};
use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use workflows::payment::{PayState, PaymentWorkflow};

async fn enrolled(app: &PayApp, code: &str, camp: i64) -> (crate::helpers::Parent, Value) {
    let p = app.parent(code).await;
    let (status, body) = app
        .enrol(
            &p.token,
            camp,
            json!({"community_nickname": format!("昵称{code}")}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (p, body["data"].clone())
}

fn no_of(data: &Value) -> String {
    data["out_trade_no"]
        .as_str()
        .expect("out_trade_no")
        .to_string()
}

#[tokio::test]
async fn a_member_enrols_pays_and_the_verified_notice_settles_the_payment() {
    let app = spawn_pay_app(&[]).await;
    let (camp, _) = app.camp(CampSpec::default()).await;
    // The first prepay attempt meets a WeChat hiccup: retried with the same order.
    app.pay.fail_next("prepay", 1);
    let (p, data) = enrolled(&app, "m1", camp).await;
    let no = no_of(&data);
    assert_eq!(data["amount_cents"], 9900);
    let pay = &data["payment"];
    assert_eq!(pay["signType"], "RSA");
    assert!(pay["package"].as_str().unwrap().starts_with("prepay_id=wx"));

    // What WeChat was asked: our merchant, 15 minutes to pay, the notice route.
    let order = app.pay.order(&no).expect("the order reached WeChat");
    assert_eq!(order.body["mchid"], MCHID);
    assert_eq!(order.body["amount"]["total"], 9900);
    let expire: DateTime<Utc> = order.time_expire.with_timezone(&Utc);
    let left = expire - Utc::now();
    assert!(
        left > Duration::minutes(14) && left <= Duration::minutes(15),
        "{left}"
    );
    assert!(order.notify_url.ends_with("/api/v1/pay/wechat/notify"));
    let prepays: Vec<u16> = app
        .pay
        .calls()
        .iter()
        .filter(|c| c.path == "/v3/pay/transactions/jsapi")
        .map(|c| c.status)
        .collect();
    assert_eq!(prepays, vec![500, 200]);

    // Not paid yet: no group QR code.
    let (_, progress) = app.get(&format!("/api/v1/camps/{camp}/me"), &p.token).await;
    assert_eq!(progress["data"]["status"], "reserved");
    assert!(progress["data"]["group_qr_url"].is_null());

    // The payer pays with exactly those parameters (paySign checked by the fake).
    app.pay
        .pay_with(pay, NoticeMode::Deliver)
        .await
        .expect("paid");
    let outcome = app.payment_result(&no).await;
    assert_eq!(outcome.state, PayState::Paid);
    assert_eq!(app.payment_row(&no).await, ("paid".into(), 9900, 0));
    assert_eq!(app.enrolment_status(&no).await, "paid");
    let notices = app.pay.notices();
    assert_eq!(notices.len(), 1);
    assert_eq!(
        notices[0].status, 204,
        "answered once Temporal had the signal"
    );

    let (_, progress) = app.get(&format!("/api/v1/camps/{camp}/me"), &p.token).await;
    assert_eq!(progress["data"]["status"], "paid");
    assert_eq!(
        progress["data"]["group_qr_url"],
        "https://club.example/qr/camp.png"
    );
    let (status, order) = app.get(&format!("/api/v1/pay/orders/{no}"), &p.token).await;
    assert_eq!(
        (status, order["data"]["state"].as_str()),
        (StatusCode::OK, Some("paid"))
    );
    let other = app.parent("someone-else").await;
    assert_eq!(
        app.get(&format!("/api/v1/pay/orders/{no}"), &other.token)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert!(
        app.notification_types(&p.token)
            .await
            .contains(&"camp_enrolled".to_string())
    );

    // Enrolling again is refused; the Temporal UI finds the payment by its attributes.
    let (status, body) = app
        .enrol(&p.token, camp, json!({"community_nickname": "x"}))
        .await;
    assert_eq!(
        (status, body["code"].as_u64()),
        (StatusCode::CONFLICT, Some(40921))
    );
    let id = format!("pay/{no}");
    let found = app
        .listed(
            &format!("OrderNo=\"{no}\" AND PayState=\"paid\" AND CampId={camp}"),
            &id,
        )
        .await;
    assert_eq!(found, vec![id]);
}

#[tokio::test]
async fn a_tampered_or_unknown_key_notice_is_refused_with_401_and_changes_nothing() {
    let app = spawn_pay_app(&[]).await;
    let (camp, _) = app.camp(CampSpec::default()).await;
    let (_, data) = enrolled(&app, "m1", camp).await;
    let no = no_of(&data);
    // Paid at WeChat, notice lost in the network: we post the notices ourselves.
    app.pay
        .pay_with(&data["payment"], NoticeMode::Lose)
        .await
        .unwrap();
    let (headers, body) = app.pay.payment_notice(&no);

    let tampered = body.replace("\"summary\":\"", "\"summary\":\"!");
    assert_eq!(
        app.post_notice(&headers, &tampered).await,
        StatusCode::UNAUTHORIZED
    );
    let mut other_serial = headers.clone();
    other_serial
        .iter_mut()
        .find(|(k, _)| k == "Wechatpay-Serial")
        .unwrap()
        .1 = "PUB_KEY_ID_OTHER".into();
    assert_eq!(
        app.post_notice(&other_serial, &body).await,
        StatusCode::UNAUTHORIZED
    );
    let unsigned: Vec<_> = headers
        .iter()
        .filter(|(k, _)| k != "Wechatpay-Signature")
        .cloned()
        .collect();
    assert_eq!(
        app.post_notice(&unsigned, &body).await,
        StatusCode::UNAUTHORIZED
    );
    // A ciphertext that does not decrypt under our APIv3 key, correctly signed around it.
    let mut resource: Value = serde_json::from_str(&body).unwrap();
    resource["resource"]["associated_data"] = json!("refund");
    let (h2, b2) = resign(&app, &resource);
    assert_eq!(app.post_notice(&h2, &b2).await, StatusCode::UNAUTHORIZED);

    // Nothing changed: still waiting for the payment.
    let handle = app
        .temporal
        .get_workflow_handle::<PaymentWorkflow>(format!("pay/{no}"));
    let state = handle
        .query(PaymentWorkflow::status, (), Default::default())
        .await
        .expect("status");
    assert_eq!(state, PayState::AwaitingPayment);
    assert_eq!(app.payment_row(&no).await.0, "reserved");

    // The genuine one is accepted.
    assert_eq!(
        app.post_notice(&headers, &body).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.payment_result(&no).await.state, PayState::Paid);
}

/// The same body, signed again by the (fake) platform key with the raw body as is.
fn resign(app: &PayApp, envelope: &Value) -> (Vec<(String, String)>, String) {
    use activities::pay::crypto::{Signer, message, nonce};
    let key = std::fs::read_to_string(
        crate::helpers::fake_wechatpay::fixtures().join("TEST_ONLY_platform_private_key.pem"),
    )
    .unwrap();
    let body = envelope.to_string();
    let ts = Utc::now().timestamp().to_string();
    let n = nonce(16);
    let sig = Signer::from_pem(&key)
        .unwrap()
        .sign(&message(&[&ts, &n, &body]))
        .unwrap();
    let _ = app;
    (
        vec![
            ("Wechatpay-Timestamp".into(), ts),
            ("Wechatpay-Nonce".into(), n),
            ("Wechatpay-Signature".into(), sig),
            (
                "Wechatpay-Serial".into(),
                crate::helpers::fake_wechatpay::PLATFORM_SERIAL.into(),
            ),
        ],
        body,
    )
}

#[tokio::test]
async fn a_stale_notice_is_refused_and_the_fresh_one_accepted() {
    let app = spawn_pay_app(&[]).await;
    let (camp, _) = app.camp(CampSpec::default()).await;
    let (_, data) = enrolled(&app, "m1", camp).await;
    let no = no_of(&data);
    // WeChat's own delivery of a notice signed 10 minutes ago: refused, nothing paid yet.
    app.pay
        .pay_with(&data["payment"], NoticeMode::Stale)
        .await
        .unwrap();
    let order = app.pay.order(&no).unwrap();
    let resource = json!({"appid": order.body["appid"], "mchid": MCHID, "out_trade_no": no,
        "transaction_id": order.transaction_id, "trade_state": "SUCCESS", "success_time": order.success_time,
        "payer": {"openid": order.openid}, "amount": {"total": 9900, "currency": "CNY"}});
    let (old_headers, old_body) = app.pay.signed_notice(
        "TRANSACTION.SUCCESS",
        "transaction",
        &resource,
        Duration::minutes(6),
    );
    assert_eq!(
        app.post_notice(&old_headers, &old_body).await,
        StatusCode::UNAUTHORIZED
    );
    let (future_headers, future_body) = app.pay.signed_notice(
        "TRANSACTION.SUCCESS",
        "transaction",
        &resource,
        Duration::minutes(-6),
    );
    assert_eq!(
        app.post_notice(&future_headers, &future_body).await,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        app.pay.notices().iter().all(|n| n.status == 401),
        "{:?}",
        app.pay.notices()
    );
    assert_eq!(app.payment_row(&no).await.0, "reserved");
    let (headers, body) = app.pay.payment_notice(&no);
    assert_eq!(
        app.post_notice(&headers, &body).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.payment_result(&no).await.state, PayState::Paid);
}

#[tokio::test]
async fn duplicate_notices_are_harmless_before_and_after_the_workflow_closed() {
    let app = spawn_pay_app(&[]).await;
    let (camp, _) = app.camp(CampSpec::default()).await;
    let (_, data) = enrolled(&app, "m1", camp).await;
    let no = no_of(&data);
    app.pay
        .pay_with(&data["payment"], NoticeMode::Duplicate(3))
        .await
        .unwrap();
    assert_eq!(app.payment_result(&no).await.state, PayState::Paid);
    let delivered = app.pay.notices();
    assert!(
        delivered.iter().all(|n| n.key == no && n.status == 204),
        "{delivered:?}"
    );
    // Once more after the workflow has completed (WeChat retries for a day).
    let (headers, body) = app.pay.payment_notice(&no);
    assert_eq!(
        app.post_notice(&headers, &body).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.post_notice(&headers, &body).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.payment_row(&no).await, ("paid".into(), 9900, 0));
    let (refunds,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM payment_refund")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(refunds, 0, "a duplicate never starts a refund");
    let (notes,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM notification WHERE type = 'camp_enrolled'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(notes, 1);
}

#[tokio::test]
async fn a_lost_notice_is_still_a_payment_found_by_the_deadline_query() {
    let app = spawn_pay_app(&[("PAY_DEADLINE_SECONDS", "3")]).await;
    let (camp, _) = app.camp(CampSpec::default()).await;
    let (_, data) = enrolled(&app, "m1", camp).await;
    let no = no_of(&data);
    app.pay
        .pay_with(&data["payment"], NoticeMode::Lose)
        .await
        .unwrap();
    assert_eq!(app.payment_result(&no).await.state, PayState::Paid);
    let (via,): (Option<String>,) =
        sqlx::query_as("SELECT paid_via FROM payment WHERE out_trade_no = ?")
            .bind(&no)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(via.as_deref(), Some("query"));
    assert_eq!(app.enrolment_status(&no).await, "paid");
    assert!(
        app.pay
            .calls()
            .iter()
            .all(|c| !(c.method == "POST" && c.path.ends_with("/close"))),
        "a paid order is never closed"
    );
}

#[tokio::test]
async fn an_unpaid_order_is_closed_and_its_seat_released_for_a_new_attempt() {
    let app = spawn_pay_app(&[("PAY_DEADLINE_SECONDS", "2")]).await;
    let (camp, _) = app
        .camp(CampSpec {
            capacity: 1,
            ..Default::default()
        })
        .await;
    let (p, data) = enrolled(&app, "m1", camp).await;
    let no = no_of(&data);
    // The only seat is held meanwhile.
    let (_, other) = {
        let q = app.parent("m2").await;
        let r = app
            .enrol(&q.token, camp, json!({"wechat_nickname": "二号"}))
            .await;
        (q, r)
    };
    assert_eq!(
        (other.0, other.1["code"].as_u64()),
        (StatusCode::CONFLICT, Some(40920))
    );

    assert_eq!(app.payment_result(&no).await.state, PayState::Closed);
    assert_eq!(app.pay.order(&no).unwrap().trade_state, "CLOSED");
    assert_eq!(app.payment_row(&no).await.0, "closed");
    assert_eq!(app.enrolment_status(&no).await, "released");
    assert!(
        app.notification_types(&p.token)
            .await
            .contains(&"camp_payment_closed".to_string())
    );
    // Paying the closed order is impossible at WeChat.
    assert!(app.pay.pay(&no, None, NoticeMode::Deliver).await.is_err());

    // The member tries again: a new order number, the seat reserved again.
    let (status, again) = app
        .enrol(&p.token, camp, json!({"community_nickname": "小明"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    let second = no_of(&again["data"]);
    assert_ne!(second, no);
    assert!(second.ends_with("N2"), "{second}");
    app.pay
        .pay_with(&again["data"]["payment"], NoticeMode::Deliver)
        .await
        .unwrap();
    assert_eq!(app.payment_result(&second).await.state, PayState::Paid);
}

#[tokio::test]
async fn a_payment_that_does_not_match_the_order_is_an_anomaly_for_ops_not_a_success() {
    let app = spawn_pay_app(&[]).await;
    let (camp, _) = app.camp(CampSpec::default()).await;
    let (_, data) = enrolled(&app, "m1", camp).await;
    let no = no_of(&data);
    app.pay
        .pay(&no, Some(1), NoticeMode::Deliver)
        .await
        .unwrap();
    assert_eq!(app.payment_result(&no).await.state, PayState::Anomaly);
    assert_eq!(app.payment_row(&no).await.0, "anomaly");
    assert_eq!(
        app.enrolment_status(&no).await,
        "anomaly",
        "held for ops, not paid"
    );
    let admin = app.admin().await;
    let (_, list) = app.get("/api/v1/admin/pay/anomalies", &admin).await;
    let item = &list["data"]["items"][0];
    assert_eq!(
        (item["out_trade_no"].as_str(), item["kind"].as_str()),
        (Some(no.as_str()), Some("mismatch"))
    );
    assert!(
        item["detail"]
            .as_str()
            .unwrap()
            .contains("\"expected\":9900"),
        "{item}"
    );
}

#[tokio::test]
async fn money_that_arrives_for_a_closed_order_goes_back_through_a_refund() {
    let app = spawn_pay_app(&[("PAY_DEADLINE_SECONDS", "2")]).await;
    let (camp, _) = app.camp(CampSpec::default()).await;
    let (_, data) = enrolled(&app, "m1", camp).await;
    let no = no_of(&data);
    assert_eq!(app.payment_result(&no).await.state, PayState::Closed);
    // WeChat's books say paid after all; its notice reaches a closed payment.
    let (headers, body) = app.pay.force_paid(&no);
    assert_eq!(
        app.post_notice(&headers, &body).await,
        StatusCode::NO_CONTENT
    );
    let state = app.refund_result(&format!("{no}-LATE")).await;
    assert_eq!(state, workflows::refund::RefundState::Success);
    let refunds = app.pay.refunds();
    assert_eq!((refunds.len(), refunds[0].amount), (1, 9900));
    assert_eq!(app.payment_row(&no).await, ("closed".into(), 9900, 9900));
    assert_eq!(
        app.enrolment_status(&no).await,
        "released",
        "the seat stays released"
    );
    let admin = app.admin().await;
    let (_, list) = app.get("/api/v1/admin/pay/anomalies", &admin).await;
    assert_eq!(list["data"]["items"][0]["kind"], "late_payment");
    // The same late notice again: no second refund.
    assert_eq!(
        app.post_notice(&headers, &body).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.refund_result(&format!("{no}-LATE")).await,
        workflows::refund::RefundState::Success
    );
    assert_eq!(app.pay.refunds().len(), 1);
}

#[tokio::test]
async fn when_wechat_pay_stays_down_past_the_deadline_the_seat_is_released_and_503_answered() {
    let app = spawn_pay_app(&[("PAY_DEADLINE_SECONDS", "3")]).await;
    let (camp, _) = app.camp(CampSpec::default()).await;
    app.pay.fail_next("prepay", 1000);
    let p = app.parent("m1").await;
    let (status, body) = app
        .enrol(&p.token, camp, json!({"community_nickname": "小明"}))
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    let first = format!("CAMP{camp}U{}N1", p.user_id);
    assert_eq!(app.payment_result(&first).await.state, PayState::Failed);
    assert_eq!(app.enrolment_status(&first).await, "released");
    let attempts = app
        .pay
        .calls()
        .iter()
        .filter(|c| c.path == "/v3/pay/transactions/jsapi")
        .count();
    assert!(attempts >= 2, "retried: {attempts}");
    // WeChat Pay is back: the member's next try is a new order.
    app.pay.fail_next("prepay", 0);
    let (status, again) = app
        .enrol(&p.token, camp, json!({"community_nickname": "小明"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert!(no_of(&again["data"]).ends_with("N2"));
}
