//! N1–N3 end to end against the strict WeChat double: every notification type the service
//! sends reaches granted parents as a subscribe message WeChat accepts (errcode 0) — the
//! club's template and exactly its keywords, values that fit their keyword types, a page
//! registered in `miniprogram/app.json`; grants are consumed one per send; WeChat's refusals
//! are retried or recorded as WeChat defines them.

use crate::helpers::wechat_double::{Fault, Sent, template_id};
use crate::helpers::{Parent, SessionSpec, TestApp, spawn_app_with};
use activities::notify::templates::NoticeType;
use activities::wechat::keyword::{Keyword, check};
use activities::wechat::layout::EXAMPLES;
use chrono::{DateTime, Duration as Days, Utc};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashMap;
use std::time::Duration;
use worker::config::fields_variable;

const LIMIT: Duration = Duration::from_secs(20);

/// The app with WeChat on and the club's template and layout for every type (the layouts of
/// docs/wechat-templates.md; the double holds the templates' keywords independently).
async fn wechat_app_with(layouts: &[(NoticeType, &str)]) -> TestApp {
    let mut env = HashMap::from([
        ("WECHAT_APPID", "wx-e2e".to_string()),
        ("WECHAT_SECRET", "wx-e2e-secret".to_string()),
    ]);
    for (kind, spec) in layouts {
        let id_var: &'static str = format!("WECHAT_TEMPLATE_{}", kind.env_suffix()).leak();
        let fields_var: &'static str = fields_variable(*kind).leak();
        env.insert(id_var, template_id(*kind).to_string());
        env.insert(fields_var, spec.to_string());
    }
    spawn_app_with(env, true).await
}

pub(crate) async fn wechat_app() -> TestApp {
    wechat_app_with(&EXAMPLES).await
}

/// The parent accepts `kinds` in `wx.requestSubscribeMessage`: WeChat records the grants, and
/// the mini-program reports the per-template answers (without WeChat's `errMsg`) to the API.
pub(crate) async fn grant(app: &TestApp, p: &Parent, kinds: &[NoticeType]) {
    let mut results = serde_json::Map::new();
    for kind in kinds {
        app.wechat.grant(&p.openid(), template_id(*kind));
        results.insert(template_id(*kind).to_string(), json!("accept"));
    }
    let (status, body) = app
        .post(
            "/api/v1/notifications/grants",
            &p.token,
            json!({ "results": results }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Our delivery record of the parent's latest `kind` notification, once it settled. The
/// double's answer comes first (awaited); the row is written right after it.
async fn wechat_status(app: &TestApp, user_id: i64, kind: &str) -> (String, Option<i32>) {
    let started = std::time::Instant::now();
    loop {
        let row: Option<(String, Option<i32>)> = sqlx::query_as(
            "SELECT CAST(wechat_status AS CHAR), wechat_errcode FROM notification WHERE user_id = ? AND type = ? ORDER BY id DESC LIMIT 1",
        )
        .bind(user_id)
        .bind(kind)
        .fetch_optional(&app.pool)
        .await
        .unwrap();
        if let Some(r) = row
            && !matches!(r.0.as_str(), "pending" | "sending")
        {
            return r;
        }
        assert!(
            started.elapsed() < LIMIT,
            "delivery of {kind} to {user_id} did not settle"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the double accepted a `kind` message for `p`.
pub(crate) async fn accepted_for(app: &TestApp, p: &Parent, kind: NoticeType) -> Sent {
    let started = std::time::Instant::now();
    let mut n = 1;
    loop {
        let sent = app.wechat.wait_for_accepted(n, LIMIT).await;
        if let Some(s) = sent
            .iter()
            .find(|s| s.touser == p.openid() && s.template_id == template_id(kind))
        {
            return s.clone();
        }
        assert!(started.elapsed() < LIMIT, "no {kind} for {}", p.code);
        n = sent.len() + 1;
    }
}

/// What the strict double already enforced, said once more where a reader looks for it.
fn fits(sent: &Sent) {
    for (key, value) in &sent.data {
        let keyword: Keyword = key.parse().unwrap();
        assert_eq!(check(keyword.kind(), value), Ok(()), "{key}={value:?}");
    }
}

/// An API time (RFC 3339) as WeChat messages show it: `YYYY-MM-DD HH:MM` in the club's zone.
fn club_time(app: &TestApp, t: &str) -> String {
    let t: DateTime<Utc> = t.parse().expect("RFC 3339");
    t.with_timezone(&app.config.common.club_tz)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A full session of capacity 1 with the given parents waiting (joined in order).
async fn full_session_with(app: &TestApp, waiting: &[&Parent]) -> (Parent, i64, Vec<i64>) {
    let (schedule, date) = app
        .session(SessionSpec {
            capacity: 1,
            ..Default::default()
        })
        .await;
    let holder = app.parent("holder").await;
    let child = app.child(&holder, "占位", 2).await;
    let (_, booked) = app.book(&holder, child, schedule, date).await;
    let mut entries = Vec::new();
    for p in waiting {
        let c = app.child(p, "候补", 2).await;
        let (status, body) = app.join(p, c, schedule, date).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        entries.push(body["data"]["waitlist_id"].as_i64().unwrap());
    }
    (
        holder,
        booked["data"]["booking_id"].as_i64().unwrap(),
        entries,
    )
}

async fn cancel(app: &TestApp, holder: &Parent, booking: i64) {
    let (status, body) = app
        .post(
            &format!("/api/v1/bookings/{booking}/cancel"),
            &holder.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_cancellation_sends_each_granted_parent_a_spot_available_message_wechat_accepts() {
    let app = wechat_app().await;
    let parents = [
        app.parent("a").await,
        app.parent("b").await,
        app.parent("c").await,
    ];
    for p in &parents {
        grant(&app, p, &[NoticeType::SpotAvailable]).await;
    }
    let (holder, booking, entries) =
        full_session_with(&app, &parents.iter().collect::<Vec<_>>()).await;
    cancel(&app, &holder, booking).await;

    let got = app.wechat.wait_for_accepted(3, LIMIT).await;
    assert_eq!(got.len(), 3);
    for (p, entry) in parents.iter().zip(&entries) {
        let msg = got
            .iter()
            .find(|m| m.touser == p.openid())
            .expect("a message per parent");
        assert_eq!(msg.template_id, template_id(NoticeType::SpotAvailable));
        assert_eq!(msg.page, format!("pages/waitlist/offer?id={entry}"));
        assert_eq!(msg.data["thing1"], "group课");
        let (_, mine) = app.get("/api/v1/waitlist/my", &p.token).await;
        let item = &mine["data"]["items"][0];
        assert_eq!(
            msg.data["time2"],
            club_time(&app, item["starts_at"].as_str().unwrap())
        );
        assert_eq!(
            msg.data["time3"],
            club_time(&app, item["offer"]["deadline"].as_str().unwrap())
        );
        assert_eq!(msg.data["thing4"], "有名额了，先确认先得");
        assert_eq!(msg.miniprogram_state, "developer");
        assert_eq!(msg.lang, "zh_CN");
        fits(msg);
    }
    for p in &parents {
        assert_eq!(
            wechat_status(&app, p.user_id, "spot_available").await,
            ("sent".to_string(), None)
        );
    }
    assert!(app.wechat.answers().iter().all(|a| a.errcode == Some(0)));
}

#[tokio::test]
async fn the_parents_who_lost_the_seat_get_seat_taken() {
    let app = wechat_app().await;
    let (a, b) = (app.parent("winner").await, app.parent("loser").await);
    for p in [&a, &b] {
        grant(&app, p, &[NoticeType::SpotAvailable, NoticeType::SeatTaken]).await;
    }
    let (holder, booking, entries) = full_session_with(&app, &[&a, &b]).await;
    cancel(&app, &holder, booking).await;
    let (status, body) = app
        .put(
            &format!("/api/v1/waitlist/{}/respond", entries[0]),
            &a.token,
            json!({"action": "confirm"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let taken = accepted_for(&app, &b, NoticeType::SeatTaken).await;
    assert_eq!(
        taken.page,
        format!("pages/waitlist/offer?id={}", entries[1])
    );
    assert_eq!(taken.data["phrase3"], "已被抢占");
    assert_eq!(taken.data["thing1"], "group课");
    fits(&taken);
    assert_eq!(wechat_status(&app, b.user_id, "seat_taken").await.0, "sent");
}

#[tokio::test]
async fn an_unanswered_offer_sends_hold_for_you_and_then_offer_expired() {
    let app = wechat_app().await;
    app.set_type_settings(
        "group",
        json!({"response_window_seconds": 1, "hold_window_seconds": 2, "grace_seconds": 1}),
    )
    .await;
    let p = app.parent("sleepy").await;
    grant(
        &app,
        &p,
        &[
            NoticeType::SpotAvailable,
            NoticeType::HoldForYou,
            NoticeType::OfferExpired,
        ],
    )
    .await;
    let (holder, booking, entries) = full_session_with(&app, &[&p]).await;
    cancel(&app, &holder, booking).await;

    let hold = accepted_for(&app, &p, NoticeType::HoldForYou).await;
    assert_eq!(hold.page, format!("pages/waitlist/offer?id={}", entries[0]));
    assert_eq!(hold.data["thing5"], "名额为您保留，请尽快确认");
    assert_eq!(hold.data["time4"].len(), "2026-11-25 19:00".len());
    fits(&hold);
    let expired = accepted_for(&app, &p, NoticeType::OfferExpired).await;
    assert_eq!(expired.data["phrase3"], "已过期");
    fits(&expired);
    assert_eq!(
        wechat_status(&app, p.user_id, "offer_expired").await.0,
        "sent"
    );
}

#[tokio::test]
async fn the_cutoff_sends_waitlist_expired_with_the_entrys_page() {
    let app = wechat_app().await;
    // Class in 15 s with a 10 s cutoff: the waitlist closes 5 s from now.
    app.set_type_settings("group", json!({"cutoff_seconds": 10}))
        .await;
    let (schedule, date) = app
        .session(SessionSpec {
            capacity: 1,
            starts_in: Days::seconds(15),
            ..Default::default()
        })
        .await;
    app.fill(schedule, date, 1).await;
    let p = app.parent("late").await;
    grant(&app, &p, &[NoticeType::WaitlistExpired]).await;
    let child = app.child(&p, "小B", 2).await;
    let (status, joined) = app.join(&p, child, schedule, date).await;
    assert_eq!(status, StatusCode::CREATED, "{joined}");
    let entry = joined["data"]["waitlist_id"].as_i64().unwrap();

    let sent = accepted_for(&app, &p, NoticeType::WaitlistExpired).await;
    assert_eq!(sent.page, format!("pages/waitlist/detail?id={entry}"));
    assert_eq!(sent.data["phrase1"], "未递补");
    assert_eq!(sent.data["thing2"], "group课");
    fits(&sent);
    assert_eq!(
        wechat_status(&app, p.user_id, "waitlist_expired").await.0,
        "sent"
    );
}

#[tokio::test]
async fn a_credit_about_to_expire_sends_compensation_expiring_with_its_minutes() {
    let app = wechat_app().await;
    app.set_type_settings(
        "group",
        json!({"compensation_valid_seconds": 4, "compensation_reminder_seconds": 2}),
    )
    .await;
    let p = app.parent("credit").await;
    grant(&app, &p, &[NoticeType::CompensationExpiring]).await;
    let child = app.child(&p, "小刚", 2).await;
    let session = |minutes: u32, days: i64| SessionSpec {
        course_type: "group",
        capacity: 6,
        duration_minutes: minutes,
        level: 2,
        starts_in: Days::days(days) + Days::hours(1),
    };
    let (schedule, date) = app.session(session(120, 2)).await;
    let (status, booked) = app.book(&p, child, schedule, date).await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let booking = booked["data"]["booking_id"].as_i64().unwrap();
    let (status, left) = app
        .post(
            &format!("/api/v1/bookings/{booking}/leave"),
            &p.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{left}");
    let pending = left["data"]["pending_makeup_id"].as_i64().unwrap();
    let (schedule, date) = app.session(session(90, 3)).await;
    let (status, body) = app
        .post(
            "/api/v1/makeup/book",
            &p.token,
            json!({"pending_id": pending, "course_schedule_id": schedule, "booking_date": date,
                   "accept_shorter": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let sent = accepted_for(&app, &p, NoticeType::CompensationExpiring).await;
    assert_eq!(sent.page, "pages/makeup/compensation");
    assert_eq!(sent.data["number1"], "30");
    assert_eq!(sent.data["thing3"], "补偿时长即将过期，请尽快使用");
    fits(&sent);
    assert_eq!(
        wechat_status(&app, p.user_id, "compensation_expiring")
            .await
            .0,
        "sent"
    );
}

#[tokio::test]
async fn one_grant_gives_one_wechat_message_and_then_in_app_only() {
    let app = wechat_app().await;
    let p = app.parent("once").await;
    grant(&app, &p, &[NoticeType::SpotAvailable]).await;
    let (holder, booking, _) = full_session_with(&app, &[&p]).await;
    cancel(&app, &holder, booking).await;
    app.wechat.wait_for_accepted(1, LIMIT).await;
    assert_eq!(
        wechat_status(&app, p.user_id, "spot_available").await.0,
        "sent"
    );
    assert_eq!(
        app.wechat
            .grants_left(&p.openid(), template_id(NoticeType::SpotAvailable)),
        0
    );

    // Ops re-send the round: a new in-app message, but no grant is left for WeChat.
    let admin = app.admin().await;
    let (_, offers) = app.get("/api/v1/admin/offers", &admin).await;
    let offer = &offers["data"]["items"][0];
    let (status, body) = app
        .post(
            "/api/v1/waitlist/notify",
            &admin,
            json!({"course_schedule_id": offer["course_schedule_id"], "booking_date": offer["booking_date"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["messages"], 1);
    assert_eq!(
        wechat_status(&app, p.user_id, "spot_available").await.0,
        "no_grant"
    );
    let (_, inbox) = app.get("/api/v1/notifications", &p.token).await;
    assert_eq!(inbox["data"]["items"].as_array().unwrap().len(), 2);
    assert_eq!(app.wechat.answers().len(), 1, "still one WeChat message");
}

#[tokio::test]
async fn a_grant_wechat_does_not_know_is_answered_43101_recorded_and_not_retried() {
    let app = wechat_app().await;
    let p = app.parent("refused").await;
    // The API was told of a grant WeChat never saw (or the parent revoked it since).
    let (status, body) = app
        .post(
            "/api/v1/notifications/grants",
            &p.token,
            json!({"results": {template_id(NoticeType::SpotAvailable): "accept"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (holder, booking, _) = full_session_with(&app, &[&p]).await;
    cancel(&app, &holder, booking).await;
    let answers = app.wechat.wait_for_answers(1, LIMIT).await;
    assert_eq!(answers[0].errcode, Some(43101));
    assert_eq!(
        wechat_status(&app, p.user_id, "spot_available").await,
        ("no_grant".to_string(), Some(43101))
    );
    assert_eq!(
        app.wechat.answers().len(),
        1,
        "a permanent error is not retried"
    );
    let (_, inbox) = app.get("/api/v1/notifications", &p.token).await;
    assert_eq!(inbox["data"]["items"][0]["type"], "spot_available");
}

#[tokio::test]
async fn a_busy_wechat_is_retried_and_the_message_is_sent_once() {
    let app = wechat_app().await;
    let p = app.parent("retry").await;
    grant(&app, &p, &[NoticeType::SpotAvailable]).await;
    app.wechat.inject(&p.openid(), Fault::Errcode(-1), 1);
    let (holder, booking, _) = full_session_with(&app, &[&p]).await;
    cancel(&app, &holder, booking).await;
    app.wechat.wait_for_accepted(1, LIMIT).await;
    assert_eq!(
        wechat_status(&app, p.user_id, "spot_available").await.0,
        "sent"
    );
    let codes: Vec<Option<i64>> = app.wechat.answers().iter().map(|a| a.errcode).collect();
    assert_eq!(
        codes,
        vec![Some(-1), Some(0)],
        "one busy answer, then one accepted send"
    );
    let (attempts,): (i32,) = sqlx::query_as(
        "SELECT wechat_attempts FROM notification WHERE user_id = ? AND type = 'spot_available'",
    )
    .bind(p.user_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(attempts, 2);
}

#[tokio::test]
async fn a_layout_that_leaves_out_a_keyword_of_the_template_is_refused_47003_and_recorded() {
    // Valid for the worker, but the club's spot_available template also has time3.
    let app = wechat_app_with(&[(
        NoticeType::SpotAvailable,
        "thing1=course,time2=class_time,thing4=note",
    )])
    .await;
    let p = app.parent("mislaid").await;
    grant(&app, &p, &[NoticeType::SpotAvailable]).await;
    let (holder, booking, _) = full_session_with(&app, &[&p]).await;
    cancel(&app, &holder, booking).await;
    let answers = app.wechat.wait_for_answers(1, LIMIT).await;
    assert_eq!(answers[0].errcode, Some(47003));
    assert!(
        answers[0].errmsg.contains("data.time3.value"),
        "{answers:?}"
    );
    assert_eq!(
        wechat_status(&app, p.user_id, "spot_available").await,
        ("failed".to_string(), Some(47003))
    );
    assert_eq!(
        app.wechat.answers().len(),
        1,
        "a permanent error is not retried"
    );
}

/// A parent with a pending makeup of a 90-minute class, and a 90-minute class to make it up in.
async fn pending_and_target(app: &TestApp, p: &Parent) -> (i64, (i64, chrono::NaiveDate)) {
    let child = app.child(p, "小美", 2).await;
    let spec = |days: i64| SessionSpec {
        capacity: 6,
        starts_in: Days::days(days) + Days::hours(1),
        ..Default::default()
    };
    let (schedule, date) = app.session(spec(2)).await;
    let (_, booked) = app.book(p, child, schedule, date).await;
    let booking = booked["data"]["booking_id"].as_i64().unwrap();
    let (status, left) = app
        .post(
            &format!("/api/v1/bookings/{booking}/leave"),
            &p.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{left}");
    let pending = left["data"]["pending_makeup_id"].as_i64().unwrap();
    (pending, app.session(spec(3)).await)
}

#[tokio::test]
async fn booking_and_cancelling_a_makeup_send_makeup_booked_and_makeup_cancelled() {
    let app = wechat_app().await;
    let p = app.parent("makeup").await;
    grant(
        &app,
        &p,
        &[NoticeType::MakeupBooked, NoticeType::MakeupCancelled],
    )
    .await;
    let (pending, (schedule, date)) = pending_and_target(&app, &p).await;
    let (status, body) = app
        .post(
            "/api/v1/makeup/book",
            &p.token,
            json!({"pending_id": pending, "course_schedule_id": schedule, "booking_date": date}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let booked = accepted_for(&app, &p, NoticeType::MakeupBooked).await;
    assert_eq!(booked.page, "pages/my-bookings/makeup/index");
    fits(&booked);

    let id = body["data"]["makeup_booking_id"].as_i64().unwrap();
    let (status, body) = app
        .delete(&format!("/api/v1/makeup/{id}/cancel"), &p.token)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cancelled = accepted_for(&app, &p, NoticeType::MakeupCancelled).await;
    assert_eq!(cancelled.page, "pages/makeup/index");
    fits(&cancelled);
    assert_eq!(
        wechat_status(&app, p.user_id, "makeup_cancelled").await.0,
        "sent"
    );
}

#[tokio::test]
async fn moving_up_the_queue_sends_one_position_changed_and_none_for_staying_put() {
    let app = wechat_app().await;
    let (a, b, c) = (
        app.parent("first").await,
        app.parent("second").await,
        app.parent("third").await,
    );
    for p in [&a, &b, &c] {
        grant(&app, p, &[NoticeType::PositionChanged]).await;
    }
    let (_holder, _booking, entries) = full_session_with(&app, &[&a, &b, &c]).await;
    // The first in line leaves: the two behind move up one place each.
    let (status, body) = app
        .delete(&format!("/api/v1/waitlist/{}", entries[0]), &a.token)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let second = accepted_for(&app, &b, NoticeType::PositionChanged).await;
    assert_eq!(
        second.page,
        format!("pages/waitlist/detail?id={}", entries[1])
    );
    fits(&second);
    let third = accepted_for(&app, &c, NoticeType::PositionChanged).await;
    assert!(
        third.data.values().any(|v| v.contains('2')),
        "the third is now second: {:?}",
        third.data
    );
    // Coalesced: one message per move, however many housekeeping rounds pass.
    let (_, inbox) = app.get("/api/v1/notifications", &b.token).await;
    let moves = inbox["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["type"] == "position_changed")
        .count();
    assert_eq!(moves, 1, "{inbox}");
    assert!(
        app.wechat.accepted().iter().all(|s| s.touser != a.openid()),
        "the one who left hears nothing"
    );
}
