//! The console's operations views and jobs: the day overview, statistics over a range,
//! the problems list, business metrics, the settings view, and the retention job.

use crate::admin_common::{audit, staff_token};
use crate::helpers::{spawn_app, spawn_app_with};
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashMap;
use temporalio_client::{WorkflowGetResultOptions, WorkflowStartOptions};
use workflows::RetentionWorkflow;
use workflows::retention::RetentionInput;

#[tokio::test]
async fn the_overview_shows_a_full_session_with_its_queue_and_open_offer() {
    let app = spawn_app().await;
    app.set_type_settings("group", json!({"response_window_seconds": 600}))
        .await;
    let (schedule, date, holders, _) = app.full_with_queue(1, 2).await;
    let staff = staff_token(&app, "desk.he", "staff").await;
    let (_, before) = app
        .get(
            &format!("/api/v1/admin/overview?date_from={date}&date_to={date}"),
            &staff,
        )
        .await;
    let s = before["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["course_schedule_id"] == schedule)
        .unwrap()
        .clone();
    assert_eq!(
        (s["booked"].as_i64(), s["capacity"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(s["waitlist_count"], 2);
    assert_eq!(s["is_full"], true);
    let (holder, booking) = &holders[0];
    let (status, _) = app
        .post(
            &format!("/api/v1/bookings/{booking}/cancel"),
            &holder.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, after) = app
        .get(
            &format!("/api/v1/admin/overview?date_from={date}&date_to={date}"),
            &staff,
        )
        .await;
    let s = after["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["course_schedule_id"] == schedule)
        .unwrap()
        .clone();
    assert_eq!(s["offers"][0]["phase"], "broadcast");
    assert!(
        s["offers"][0]["workflow_id"]
            .as_str()
            .unwrap()
            .starts_with("waitlist-offer/")
    );
    assert!(s["offers"][0]["deadline"].is_string());
    // 手动通知发送: the open offer sends its round again, audited.
    let (status, resent) = app
        .post(
            &format!("/api/v1/admin/sessions/{schedule}/{date}/resend-offers"),
            &staff,
            json!({"reason": "家长说没收到"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{resent}");
    assert_eq!(resent["data"]["messages"], 2);
    let entries = audit(&app, "offer.resend").await;
    assert_eq!(entries[0]["reason"], "家长说没收到");
    assert_eq!(entries[0]["details"]["messages"], 2);
    let (status, body) = app
        .get(
            &format!(
                "/api/v1/admin/overview?date_from={date}&date_to={}",
                date - Duration::days(1)
            ),
            &staff,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["data"]["field"], "date_to");
}

#[tokio::test]
async fn statistics_filter_by_range_and_course_and_refuse_bad_input() {
    let app = spawn_app().await;
    let (_, _, holders, _) = app.full_with_queue(1, 1).await;
    let (holder, booking) = &holders[0];
    app.post(
        &format!("/api/v1/bookings/{booking}/cancel"),
        &holder.token,
        json!({}),
    )
    .await;
    let staff = staff_token(&app, "desk.ma", "staff").await;
    let today = Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    let (status, stats) = app
        .get(
            &format!("/api/v1/admin/stats?date_from={today}&date_to={today}&course_type=group"),
            &staff,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    assert_eq!(stats["data"]["offers"]["releases"], 1);
    assert_eq!(stats["data"]["by_course"][0]["releases"], 1);
    assert_eq!(stats["data"]["daily"][0]["date"], today.to_string());
    assert!(stats["data"]["notifications"][0]["count"].as_i64().unwrap() >= 1);
    // Another course type, or a range before today, has nothing.
    let (_, vip) = app.get("/api/v1/admin/stats?course_type=vip", &staff).await;
    assert_eq!(vip["data"]["offers"]["releases"], 0);
    let yesterday = today - Duration::days(1);
    let (_, past) = app
        .get(
            &format!("/api/v1/admin/stats?date_from={yesterday}&date_to={yesterday}"),
            &staff,
        )
        .await;
    assert_eq!(past["data"]["offers"]["releases"], 0);
    for (query, field) in [
        (format!("date_from={today}&date_to={yesterday}"), "date_to"),
        ("course_type=VIP!".to_string(), "course_type"),
        ("date_from=tomorrow".to_string(), "date_from"),
    ] {
        let (status, body) = app
            .get(&format!("/api/v1/admin/stats?{query}"), &staff)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["data"]["field"], field, "{query}");
    }
}

#[tokio::test]
async fn problems_and_metrics_report_failed_deliveries_and_unbalanced_credits() {
    let app = spawn_app().await;
    let p = app.parent("problem-family").await;
    let child = app.child(&p, "问题", 2).await;
    sqlx::query(
        "INSERT INTO notification (user_id, profile_id, type, title, body, dedupe_key, wechat_status, wechat_errcode)
         VALUES (?, ?, 'spot_available', '候补有名额', '…', 'test/failed', 'failed', 40003)",
    )
    .bind(p.user_id)
    .bind(child)
    .execute(&app.pool)
    .await
    .unwrap();
    // A credit whose ledger says 30 but whose balance says 50.
    let staff = staff_token(&app, "desk.lin", "staff").await;
    let (status, added) = app
        .post(
            &format!("/api/v1/admin/profiles/{child}/credits/adjust"),
            &staff,
            json!({"minutes": 30, "reason": "测试"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    let credit = added["data"]["changes"][0][0].as_i64().unwrap();
    sqlx::query("UPDATE class_credit_compensation SET remaining_minutes = 50 WHERE id = ?")
        .bind(credit)
        .execute(&app.pool)
        .await
        .unwrap();

    let (status, problems) = app.get("/api/v1/admin/problems", &staff).await;
    assert_eq!(status, StatusCode::OK, "{problems}");
    let d = &problems["data"];
    assert_eq!(d["temporal_reachable"], true);
    assert_eq!(d["failed_deliveries"]["items"][0]["errcode"], 40003);
    assert_eq!(d["unbalanced_credits"]["items"][0]["credit_id"], credit);
    assert_eq!(d["unbalanced_credits"]["items"][0]["ledger_balance"], 30);
    for section in [
        "stuck_flows",
        "late_offers",
        "failed_deliveries",
        "unbalanced_credits",
        "overdue_credits",
    ] {
        assert!(
            !d[section]["hint"].as_str().unwrap().is_empty(),
            "{section} says what to do"
        );
    }

    let metrics = app
        .http
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "waitlist_metrics_up 1",
        "waitlist_open_offers{phase=\"broadcast\"} 0",
        "waitlist_offers_past_deadline 0",
        "notification_deliveries_last_hour{channel=\"wechat\",result=\"failed\"} 1",
        "credit_anomalies{kind=\"ledger\"} 1",
        "waitlist_full_queues 0",
    ] {
        assert!(
            metrics.lines().any(|l| l == line),
            "missing `{line}` in:\n{metrics}"
        );
    }
}

#[tokio::test]
async fn a_full_queue_shows_in_the_metrics() {
    let app = spawn_app().await;
    app.set_type_settings("group", json!({"waitlist_capacity": 2}))
        .await;
    let (schedule, date, _, _) = app.full_with_queue(1, 2).await;
    let metrics = app
        .http
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.lines().any(|l| l == "waitlist_full_queues 1"),
        "{metrics}"
    );
    assert!(
        metrics.lines().any(|l| l.starts_with(&format!(
            "waitlist_queue_fill_ratio{{session=\"{schedule}-{date}\""
        )) && l.ends_with(" 1.000")),
        "{metrics}"
    );
}

#[tokio::test]
async fn the_settings_view_shows_effective_values_and_checks_changes() {
    let app = spawn_app().await;
    let owner = app.admin().await;
    app.session(Default::default()).await;
    let (status, body) = app
        .put(
            "/api/v1/admin/course-types/group/settings",
            &owner,
            json!({"grace_seconds": 99999}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["data"]["field"], "grace_seconds");
    app.set_type_settings("group", json!({"waitlist_capacity": 4}))
        .await;
    let (_, view) = app.get("/api/v1/admin/settings", &owner).await;
    let group = view["data"]["course_types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["course_type"] == "group")
        .unwrap()
        .clone();
    assert_eq!(group["overrides"]["waitlist_capacity"], 4);
    assert_eq!(group["effective"]["waitlist_capacity"], 4);
    assert_eq!(
        group["effective"]["response_window_seconds"], 900,
        "inherited default"
    );
    assert_eq!(
        view["data"]["courses"][0]["effective"]["waitlist_capacity"],
        4
    );
    assert_eq!(view["data"]["retention"]["max_age_days"], 180);
    let (status, body) = app
        .put(
            "/api/v1/admin/retention",
            &owner,
            json!({"max_age_days": 0, "batch_size": 100}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["data"]["field"], "max_age_days");
    let (status, _) = app
        .put(
            "/api/v1/admin/retention",
            &owner,
            json!({"max_age_days": 90, "batch_size": 100, "reason": "合规要求"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        audit(&app, "settings.retention").await[0]["details"]["max_age_days"],
        90
    );
}

#[tokio::test]
async fn retention_deletes_old_messages_in_batches_and_never_touches_the_ledger() {
    // The worker's own job stays off, so only the run below deletes anything.
    let app = spawn_app_with(
        HashMap::from([("RETENTION_INTERVAL_SECONDS", "0".to_string())]),
        true,
    )
    .await;
    let p = app.parent("old-family").await;
    let child = app.child(&p, "旧", 2).await;
    let staff = staff_token(&app, "desk.old", "staff").await;
    app.post(
        &format!("/api/v1/admin/profiles/{child}/credits/adjust"),
        &staff,
        json!({"minutes": 30, "reason": "测试"}),
    )
    .await;
    let old = Utc::now() - Duration::days(400);
    for i in 0..5 {
        sqlx::query(
            "INSERT INTO notification (user_id, type, title, body, dedupe_key, wechat_status, created_at)
             VALUES (?, 'staff_message', '旧消息', '…', ?, ?, ?)",
        )
        .bind(p.user_id)
        .bind(format!("old/{i}"))
        .bind(if i == 4 { "pending" } else { "sent" })
        .bind(old)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    // The ledger row is old too: it must stay.
    sqlx::query("UPDATE compensation_ledger SET at = ?")
        .bind(old)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE retention_setting SET max_age_days = 30, batch_size = 2")
        .execute(&app.pool)
        .await
        .unwrap();
    let count = |sql: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_as::<_, (i64,)>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
                .0
        }
    };
    let recent_before =
        count("SELECT COUNT(*) FROM notification WHERE created_at > NOW() - INTERVAL 1 DAY").await;
    let ledger_before = count("SELECT COUNT(*) FROM compensation_ledger").await;

    let started = std::time::Instant::now();
    let handle = app
        .temporal
        .start_workflow(
            RetentionWorkflow::run,
            RetentionInput {
                interval_seconds: 1,
                max_cycles: Some(1),
                cycles_done: 0,
            },
            WorkflowStartOptions::new(
                app.config.common.temporal.task_queue.clone(),
                "retention/test-run".to_string(),
            )
            .build(),
        )
        .await
        .expect("the retention job starts");
    let status = handle
        .get_result(WorkflowGetResultOptions::default())
        .await
        .expect("one cycle completes");
    // 4 deletable old rows in batches of 2: 2, 2, then 0 → three batches; the pending one stays.
    assert_eq!(status.notifications_deleted, 4, "{status:?}");
    assert_eq!(status.batches, 3, "{status:?}");
    assert_eq!(status.cycles_done, 1);
    assert_eq!(
        count("SELECT COUNT(*) FROM notification WHERE created_at < NOW() - INTERVAL 30 DAY").await,
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM notification WHERE created_at > NOW() - INTERVAL 1 DAY").await,
        recent_before
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM compensation_ledger").await,
        ledger_before
    );
    eprintln!("retention cycle of 3 batches took {:?}", started.elapsed());
}
