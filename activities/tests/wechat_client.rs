//! The WeChat client against wiremock (the real client code runs; WeChat is faked at HTTP).

use activities::wechat::client::SubscribeMessage;
use activities::wechat::{ErrorClass, WechatClient, WechatSettings};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{body_partial_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer, timeout: Duration) -> std::sync::Arc<WechatClient> {
    WechatClient::new(WechatSettings {
        api_base: server.uri().parse().unwrap(),
        appid: "wx-app".into(),
        secret: "wx-secret".into(),
        timeout,
    })
}

fn message(touser: &str) -> SubscribeMessage {
    SubscribeMessage {
        touser: touser.into(),
        template_id: "tmpl-spot".into(),
        page: "pages/waitlist/offer?id=1".into(),
        data: json!({"thing1": {"value": "初级体操"}}),
        miniprogram_state: "developer".into(),
        lang: "zh_CN".into(),
    }
}

fn token(value: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"access_token": value, "expires_in": expires_in}))
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"}))
}

#[tokio::test]
async fn a_hundred_parallel_sends_with_an_expired_token_refresh_it_exactly_once() {
    let server = MockServer::start().await;
    // The first token is already inside the refresh-ahead margin: expired for the client.
    Mock::given(path("/cgi-bin/stable_token"))
        .respond_with(token("old", 60))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/cgi-bin/stable_token"))
        .and(body_partial_json(
            json!({"grant_type": "client_credential", "appid": "wx-app", "secret": "wx-secret"}),
        ))
        .respond_with(token("fresh", 7200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/message/subscribe/send"))
        .and(query_param("access_token", "fresh"))
        .respond_with(ok())
        .expect(100)
        .mount(&server)
        .await;
    let c = client(&server, Duration::from_secs(5));
    assert_eq!(c.access_token(None).await.unwrap(), "old");
    let sends = (0..100).map(|i| {
        let c = c.clone();
        async move { c.send_subscribe(&message(&format!("o-{i}"))).await }
    });
    let results = futures::future::join_all(sends).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    // `expect` counts are verified when the server drops.
}

#[tokio::test]
async fn a_token_error_mid_flight_forces_one_refresh_and_the_message_goes_once() {
    let server = MockServer::start().await;
    Mock::given(path("/cgi-bin/stable_token"))
        .and(body_partial_json(json!({"force_refresh": false})))
        .respond_with(token("revoked", 7200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/cgi-bin/stable_token"))
        .and(body_partial_json(json!({"force_refresh": true})))
        .respond_with(token("renewed", 7200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .and(query_param("access_token", "revoked"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errcode": 40001, "errmsg": "invalid credential"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .and(query_param("access_token", "renewed"))
        .and(body_partial_json(json!({"touser": "o-1", "template_id": "tmpl-spot", "miniprogram_state": "developer", "lang": "zh_CN"})))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    client(&server, Duration::from_secs(5))
        .send_subscribe(&message("o-1"))
        .await
        .unwrap();
}

#[tokio::test]
async fn busy_and_timeouts_are_transient_no_grant_is_permanent() {
    let server = MockServer::start().await;
    Mock::given(path("/cgi-bin/stable_token"))
        .respond_with(token("t", 7200))
        .mount(&server)
        .await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .and(body_partial_json(json!({"touser": "busy"})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errcode": -1, "errmsg": "system busy"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .and(body_partial_json(json!({"touser": "slow"})))
        .respond_with(ok().set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .and(body_partial_json(json!({"touser": "nogrant"})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"errcode": 43101, "errmsg": "user refuse to accept the msg"}),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(path("/cgi-bin/message/subscribe/send"))
        .and(body_partial_json(json!({"touser": "down"})))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let c = client(&server, Duration::from_millis(500));
    let busy = c.send_subscribe(&message("busy")).await.unwrap_err();
    assert_eq!(
        (busy.class(), busy.errcode()),
        (ErrorClass::Transient, Some(-1))
    );
    let slow = c.send_subscribe(&message("slow")).await.unwrap_err();
    assert_eq!(slow.class(), ErrorClass::Transient, "{slow}");
    let down = c.send_subscribe(&message("down")).await.unwrap_err();
    assert_eq!(down.class(), ErrorClass::Transient);
    let refused = c.send_subscribe(&message("nogrant")).await.unwrap_err();
    assert_eq!(
        (refused.class(), refused.errcode()),
        (ErrorClass::Permanent, Some(43101))
    );
}
