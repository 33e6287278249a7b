//! A notice is answered with success only once Temporal has its signal: while Temporal is
//! unreachable the notice route answers 503, so WeChat keeps retrying, and the payment still
//! settles once Temporal is back.

use crate::helpers::fake_wechatpay::NoticeMode;
use crate::helpers::{CampSpec, TcpProxy, spawn_pay_app, temporal_address};
use reqwest::StatusCode;
use serde_json::json;
use std::net::ToSocketAddrs;
use workflows::payment::PayState;

#[tokio::test]
async fn a_notice_is_not_acknowledged_while_temporal_cannot_take_its_signal() {
    let target = temporal_address()
        .to_socket_addrs()
        .expect("address")
        .next()
        .expect("an address");
    let proxy = TcpProxy::start(target).await;
    let via = proxy.addr.to_string();
    let app = spawn_pay_app(&[("TEMPORAL_ADDRESS", via.as_str())]).await;
    let (camp, _) = app.camp(CampSpec::default()).await;
    let p = app.parent("m1").await;
    let (status, body) = app
        .enrol(&p.token, camp, json!({"community_nickname": "小明"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let no = body["data"]["out_trade_no"].as_str().unwrap().to_string();

    proxy.stop();
    // Paid; WeChat's notice (and its quick retries) meet a service whose Temporal is gone.
    app.pay
        .pay_with(&body["data"]["payment"], NoticeMode::Lose)
        .await
        .unwrap();
    let (headers, notice) = app.pay.payment_notice(&no);
    assert_eq!(
        app.post_notice(&headers, &notice).await,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(app.payment_row(&no).await.0, "reserved", "nothing recorded");

    proxy.restore();
    // WeChat's next retry goes through (the API reconnects on its own).
    let mut accepted = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..20 {
        accepted = app.post_notice(&headers, &notice).await;
        if accepted == StatusCode::NO_CONTENT {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert_eq!(accepted, StatusCode::NO_CONTENT);
    assert_eq!(app.payment_result(&no).await.state, PayState::Paid);
}
