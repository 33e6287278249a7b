//! The WeChat client and the rendering against the strict WeChat double (the real client code
//! runs; WeChat is played at HTTP by `tests/e2e/helpers/wechat_double.rs`, shared with the
//! end-to-end tests).

#[path = "../../tests/e2e/helpers/wechat_double.rs"]
mod wechat_double;

use activities::notify::drafts::WechatDrafts;
use activities::notify::pages::{self, Page};
use activities::notify::templates::{Facts, NoticeType};
use activities::wechat::client::SubscribeMessage;
use activities::wechat::layout::{EXAMPLES, Layout};
use activities::wechat::{ErrorClass, WechatClient, WechatError, WechatSettings};
use chrono::{TimeZone, Utc};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use wechat_double::{CLUB_TEMPLATES, Fault, WechatDouble, template_id};

const APPID: &str = "wx-app";
const SECRET: &str = "wx-secret";

async fn double() -> WechatDouble {
    WechatDouble::start(APPID, SECRET).await
}

fn client(double: &WechatDouble, timeout: Duration) -> Arc<WechatClient> {
    WechatClient::new(WechatSettings {
        api_base: double.uri().parse().unwrap(),
        appid: APPID.into(),
        secret: SECRET.into(),
        timeout,
    })
}

/// A user the double knows, who granted `template` `grants` times.
fn user(double: &WechatDouble, openid: &str, template: &str, grants: u32) {
    double.user(openid);
    for _ in 0..grants {
        double.grant(openid, template);
    }
}

/// A seat_taken message that fits the club's seat_taken template.
fn message(touser: &str) -> SubscribeMessage {
    SubscribeMessage {
        touser: touser.into(),
        template_id: template_id(NoticeType::SeatTaken).into(),
        page: "pages/waitlist/offer?id=1".into(),
        data: json!({
            "thing1": {"value": "初级体操"},
            "time2": {"value": "2026-11-25 19:00"},
            "phrase3": {"value": "已被抢占"},
            "thing4": {"value": "名额已被抢占，您仍在候补中"},
        }),
        miniprogram_state: "developer".into(),
        lang: "zh_CN".into(),
    }
}

fn errcode(result: Result<(), WechatError>) -> (ErrorClass, Option<i64>) {
    let e = result.unwrap_err();
    (e.class(), e.errcode())
}

#[tokio::test]
async fn a_hundred_parallel_sends_after_the_token_expired_refresh_it_exactly_once() {
    let double = double().await;
    let template = template_id(NoticeType::SeatTaken);
    for i in 0..100 {
        user(&double, &format!("o-{i}"), template, 1);
    }
    let c = client(&double, Duration::from_secs(5));
    let first = c.access_token(None).await.unwrap();
    double.expire_tokens();
    let sends = (0..100).map(|i| {
        let c = c.clone();
        async move { c.send_subscribe(&message(&format!("o-{i}"))).await }
    });
    let results = futures::future::join_all(sends).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(
        double.token_requests(),
        vec![false, true],
        "one token, then one forced refresh for all hundred"
    );
    let accepted = double.accepted();
    assert_eq!(accepted.len(), 100);
    assert!(accepted.iter().all(|s| s.access_token != first));
    assert!(double.answers().iter().any(|a| a.errcode == Some(42001)));
}

#[tokio::test]
async fn a_revoked_token_forces_one_refresh_and_the_message_goes_once() {
    let double = double().await;
    user(&double, "o-1", template_id(NoticeType::SeatTaken), 1);
    let c = client(&double, Duration::from_secs(5));
    c.access_token(None).await.unwrap();
    double.revoke_tokens();
    c.send_subscribe(&message("o-1")).await.unwrap();
    let codes: Vec<Option<i64>> = double.answers().iter().map(|a| a.errcode).collect();
    assert_eq!(codes, vec![Some(40001), Some(0)]);
    assert_eq!(double.token_requests(), vec![false, true]);
    let sent = &double.accepted()[0];
    assert_eq!(
        (
            sent.touser.as_str(),
            sent.miniprogram_state.as_str(),
            sent.lang.as_str()
        ),
        ("o-1", "developer", "zh_CN")
    );
}

#[tokio::test]
async fn wrong_credentials_get_wechats_error_and_no_token() {
    let double = double().await;
    let c = WechatClient::new(WechatSettings {
        api_base: double.uri().parse().unwrap(),
        appid: APPID.into(),
        secret: "reset-in-the-console".into(),
        timeout: Duration::from_secs(5),
    });
    let err = c.access_token(None).await.unwrap_err();
    assert_eq!(
        (err.class(), err.errcode()),
        (ErrorClass::Permanent, Some(40125))
    );
}

#[tokio::test]
async fn busy_rate_limits_timeouts_and_http_errors_are_transient() {
    let double = double().await;
    let template = template_id(NoticeType::SeatTaken);
    for (openid, fault) in [
        ("busy", Fault::Errcode(-1)),
        ("limited", Fault::Errcode(45009)),
        ("down", Fault::Http(502)),
        ("slow", Fault::Delay(Duration::from_secs(3))),
    ] {
        user(&double, openid, template, 1);
        double.inject(openid, fault, 1);
    }
    let c = client(&double, Duration::from_millis(500));
    assert_eq!(
        errcode(c.send_subscribe(&message("busy")).await),
        (ErrorClass::Transient, Some(-1))
    );
    assert_eq!(
        errcode(c.send_subscribe(&message("limited")).await),
        (ErrorClass::Transient, Some(45009))
    );
    assert_eq!(
        errcode(c.send_subscribe(&message("down")).await),
        (ErrorClass::Transient, None)
    );
    assert_eq!(
        errcode(c.send_subscribe(&message("slow")).await),
        (ErrorClass::Transient, None)
    );
    // The fault was for one attempt: the retry goes through.
    c.send_subscribe(&message("busy")).await.unwrap();
}

#[tokio::test]
async fn what_wechat_refuses_comes_back_as_its_permanent_errcode() {
    let double = double().await;
    let template = template_id(NoticeType::SeatTaken);
    user(&double, "o-1", template, 10);
    let c = client(&double, Duration::from_secs(5));
    let with = |edit: &dyn Fn(&mut SubscribeMessage)| {
        let mut m = message("o-1");
        edit(&mut m);
        m
    };
    let cases: Vec<(&str, SubscribeMessage, i64)> = vec![
        ("unknown openid", message("stranger"), 40003),
        (
            "unknown template",
            with(&|m| m.template_id = "tmpl-from-another-app".into()),
            40037,
        ),
        (
            "the old offer page",
            with(&|m| m.page = "pages/waitlist/offer/index?id=1".into()),
            41030,
        ),
        (
            "a leading slash",
            with(&|m| m.page = "/pages/waitlist/offer?id=1".into()),
            41030,
        ),
        (
            "a - placeholder for a time",
            with(&|m| m.data["time2"]["value"] = json!("-")),
            47003,
        ),
        (
            "a phrase of six characters",
            with(&|m| m.data["phrase3"]["value"] = json!("名额已被抢占")),
            47003,
        ),
        (
            "a thing of 21 characters",
            with(&|m| {
                m.data["thing1"]["value"] = json!("一二三四五六七八九十一二三四五六七八九十一")
            }),
            47003,
        ),
        (
            "the old fixed layout thing1/time2/thing3",
            with(&|m| {
                m.data = json!({"thing1": {"value": "初级体操"}, "time2": {"value": "2026-11-25 19:00"},
                                "thing3": {"value": "名额已被抢占，您仍在候补中"}})
            }),
            47003,
        ),
        (
            "a keyword left out",
            with(&|m| {
                m.data.as_object_mut().unwrap().remove("thing4");
            }),
            47003,
        ),
        (
            "an unknown miniprogram_state",
            with(&|m| m.miniprogram_state = "live".into()),
            47003,
        ),
        ("an unknown lang", with(&|m| m.lang = "zh".into()), 47003),
    ];
    for (what, m, want) in cases {
        let got = errcode(c.send_subscribe(&m).await);
        assert_eq!(got, (ErrorClass::Permanent, Some(want)), "{what}");
    }
    assert!(double.accepted().is_empty());
    assert_eq!(
        double.grants_left("o-1", template),
        10,
        "a refused message uses no grant"
    );

    // With no grant left WeChat answers 43101.
    user(&double, "o-2", template, 1);
    c.send_subscribe(&message("o-2")).await.unwrap();
    assert_eq!(
        errcode(c.send_subscribe(&message("o-2")).await),
        (ErrorClass::Permanent, Some(43101))
    );
}

/// The page each type links, as the activities pass it.
fn page_of(kind: NoticeType) -> Page {
    match kind {
        NoticeType::SpotAvailable
        | NoticeType::SeatTaken
        | NoticeType::HoldForYou
        | NoticeType::OfferExpired => pages::offer(12),
        NoticeType::WaitlistExpired | NoticeType::PositionChanged | NoticeType::SeatConfirmed => {
            pages::waitlist_entry(12)
        }
        NoticeType::MakeupBooked => pages::my_makeups(),
        NoticeType::MakeupCancelled => pages::makeups(),
        NoticeType::CompensationExpiring => pages::compensation(),
    }
}

fn full_facts() -> Facts {
    Facts {
        course_name: "周末亲子体操启蒙加强班（浦东馆）".into(),
        starts_at: Some(Utc.with_ymd_and_hms(2026, 11, 25, 11, 0, 0).unwrap()),
        deadline: Some(Utc.with_ymd_and_hms(2026, 11, 25, 4, 45, 0).unwrap()),
        position: Some(3),
        minutes: Some(30),
        location: Some("浦东馆二楼大厅".into()),
        child_name: Some("王小明".into()),
    }
}

#[tokio::test]
async fn every_notification_type_drafted_for_the_example_layouts_is_accepted() {
    let double = double().await;
    let layouts: BTreeMap<NoticeType, Layout> = EXAMPLES
        .iter()
        .map(|(kind, spec)| {
            (
                *kind,
                Layout::parse(*kind, template_id(*kind), spec).unwrap(),
            )
        })
        .collect();
    let drafts = WechatDrafts::new(true, layouts);
    for (_, id, _) in CLUB_TEMPLATES {
        user(&double, "o-parent", id, 1);
    }
    let c = client(&double, Duration::from_secs(5));
    for kind in NoticeType::ALL {
        let draft = drafts
            .draft(
                kind,
                &full_facts(),
                chrono_tz::Asia::Shanghai,
                &page_of(kind),
            )
            .unwrap_or_else(|| panic!("{kind} is drafted"));
        let m = SubscribeMessage {
            touser: "o-parent".into(),
            template_id: draft.template_id,
            page: draft.page,
            data: draft.data,
            miniprogram_state: "formal".into(),
            lang: "zh_CN".into(),
        };
        c.send_subscribe(&m)
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
    }
    let accepted = double.accepted();
    assert_eq!(accepted.len(), NoticeType::ALL.len());
    let spot = &accepted[0];
    assert_eq!(spot.template_id, template_id(NoticeType::SpotAvailable));
    assert_eq!(spot.page, "pages/waitlist/offer?id=12");
    assert_eq!(spot.data["thing1"], "周末亲子体操启蒙加强班（浦东馆）");
    assert_eq!(spot.data["time3"], "2026-11-25 12:45");
    let credit = &accepted[8];
    assert_eq!(credit.data["number1"], "30");
    assert_eq!(credit.page, "pages/makeup/compensation");
    assert_eq!(accepted[6].data["name4"], "王小明");
    let auto = accepted.last().unwrap();
    assert_eq!(auto.template_id, template_id(NoticeType::SeatConfirmed));
    assert_eq!(auto.page, "pages/waitlist/detail?id=12");
    assert_eq!(auto.data["thing4"], "王小明");
    assert_eq!(auto.data["thing5"], "已自动预约，不需要可取消");
}
