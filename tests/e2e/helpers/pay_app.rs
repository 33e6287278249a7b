//! `spawn_pay_app()`: the usual test app plus the fake WeChat Pay and the fake community
//! platform, wired through the real `WECHATPAY_*` / `COMMUNITY_*` settings, and typed helpers
//! for camps, enrolments, notices and the payment core's workflows.

use super::fake_community::{self, FakeCommunity};
use super::fake_wechatpay::{self, FakeWechatPay};
use super::{TestApp, spawn_app_with};
use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::ops::Deref;
use temporalio_client::WorkflowGetResultOptions;
use workflows::payment::{PaymentOutcome, PaymentWorkflow};
use workflows::refund::{RefundState, RefundWorkflow};

pub struct PayApp {
    pub app: TestApp,
    /// The settings that point at the fakes (for worker processes a test starts itself).
    pub env: HashMap<&'static str, String>,
    pub pay: FakeWechatPay,
    pub community: FakeCommunity,
}

impl Deref for PayApp {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.app
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The settings that point the API and the worker at the fakes, with the TEST-ONLY keys.
pub fn pay_env(
    pay: &FakeWechatPay,
    community: &FakeCommunity,
    api_port: u16,
) -> HashMap<&'static str, String> {
    let f = |name: &str| fake_wechatpay::fixtures().join(name).display().to_string();
    HashMap::from([
        ("API_ADDR", format!("127.0.0.1:{api_port}")),
        ("WECHATPAY_API_BASE", pay.base.clone()),
        ("WECHATPAY_MCHID", fake_wechatpay::MCHID.to_string()),
        ("WECHATPAY_APPID", fake_wechatpay::APPID.to_string()),
        (
            "WECHATPAY_MERCHANT_SERIAL",
            fake_wechatpay::MERCHANT_SERIAL.to_string(),
        ),
        (
            "WECHATPAY_PLATFORM_SERIAL",
            fake_wechatpay::PLATFORM_SERIAL.to_string(),
        ),
        (
            "WECHATPAY_MERCHANT_KEY_FILE",
            f("TEST_ONLY_merchant_private_key.pem"),
        ),
        (
            "WECHATPAY_PLATFORM_PUBLIC_KEY_FILE",
            f("TEST_ONLY_platform_public_key.pem"),
        ),
        ("WECHATPAY_APIV3_KEY_FILE", f("TEST_ONLY_apiv3_key.txt")),
        (
            "WECHATPAY_NOTIFY_URL",
            format!("http://127.0.0.1:{api_port}/api/v1/pay/wechat/notify"),
        ),
        ("COMMUNITY_API_BASE", community.base.clone()),
        (
            "COMMUNITY_ACCESS_TOKEN",
            fake_community::ACCESS_TOKEN.to_string(),
        ),
    ])
}

/// API + in-process worker + both fakes; `extra` adds settings (e.g. `PAY_DEADLINE_SECONDS`).
pub async fn spawn_pay_app(extra: &[(&'static str, &str)]) -> PayApp {
    spawn_pay_app_with(extra, true).await
}

pub async fn spawn_pay_app_with(extra: &[(&'static str, &str)], with_worker: bool) -> PayApp {
    let pay = FakeWechatPay::start(0).await;
    let community = FakeCommunity::start(0).await;
    let mut env = pay_env(&pay, &community, free_port());
    env.insert("REFUND_QUERY_UNIT_MS", "200".into());
    for (k, v) in extra {
        env.insert(k, v.to_string());
    }
    let app = spawn_app_with(env.clone(), with_worker).await;
    PayApp {
        app,
        env,
        pay,
        community,
    }
}

/// A camp as tests lay it out: `days` days of `day_seconds` each, starting `starts_in` from
/// now, `capacity` seats, deposit ¥99.
#[derive(Debug, Clone)]
pub struct CampSpec {
    pub days: u32,
    pub day_seconds: u32,
    pub starts_in: Duration,
    pub capacity: u32,
    pub required_days: u32,
    pub deposit_cents: i64,
}

impl Default for CampSpec {
    fn default() -> Self {
        Self {
            days: 7,
            day_seconds: 86_400,
            starts_in: Duration::days(3),
            capacity: 30,
            required_days: 5,
            deposit_cents: 9900,
        }
    }
}

pub const PROJECT: &str = "51122858222424/4848";

impl PayApp {
    /// Creates and publishes a camp; returns (id, day 1's start).
    pub async fn camp(&self, spec: CampSpec) -> (i64, DateTime<Utc>) {
        let admin = self.admin().await;
        let starts_at = Utc::now() + spec.starts_in;
        let start_date = starts_at
            .with_timezone(&self.config.common.club_tz)
            .date_naive();
        // Short days in a test still span `days` calendar days on paper.
        let end_date = start_date + Duration::days(i64::from(spec.days) - 1);
        let mut timing = json!({"starts_at": starts_at, "day_seconds": spec.day_seconds});
        if spec.day_seconds < 86_400 {
            // 01:00 / 10:00 / 02:00 scaled to the short day.
            let d = f64::from(spec.day_seconds);
            timing["sync_offset_seconds"] = json!(0);
            timing["reminder_offset_seconds"] = json!((d * 0.4) as u32);
            timing["settle_offset_seconds"] = json!((d * 0.1).ceil() as u32);
        }
        let (status, body) = self
            .post(
                "/api/v1/admin/camps",
                &admin,
                json!({"name": "21天晨跑训练营", "start_date": start_date, "end_date": end_date,
                       "deposit_cents": spec.deposit_cents, "capacity": spec.capacity,
                       "required_days": spec.required_days,
                       "group_qr_url": "https://club.example/qr/camp.png",
                       "community_project_id": PROJECT, "timing": timing}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = body["data"]["id"].as_i64().expect("camp id");
        let (status, body) = self
            .post(
                &format!("/api/v1/admin/camps/{id}/publish"),
                &admin,
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        (id, starts_at)
    }

    /// Waits for `camp/{id}` to draw up its refund list.
    pub async fn camp_result(&self, camp: i64) -> workflows::camp::RefundList {
        self.temporal
            .get_workflow_handle::<workflows::CampWorkflow>(format!("camp/{camp}"))
            .get_result(WorkflowGetResultOptions::default())
            .await
            .expect("the camp workflow completes")
    }

    /// A member enrols and pays (notice delivered); returns (parent, out_trade_no, enrolment id).
    pub async fn enrol_and_pay(
        &self,
        code: &str,
        camp: i64,
        who: Value,
    ) -> (super::Parent, String, i64) {
        let p = self.parent(code).await;
        let (status, body) = self.enrol(&p.token, camp, who).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let no = body["data"]["out_trade_no"].as_str().unwrap().to_string();
        self.pay
            .pay_with(
                &body["data"]["payment"],
                super::fake_wechatpay::NoticeMode::Deliver,
            )
            .await
            .expect("paid");
        assert_eq!(
            self.payment_result(&no).await.state,
            workflows::payment::PayState::Paid
        );
        (p, no, body["data"]["enrolment_id"].as_i64().unwrap())
    }

    pub async fn enrol(&self, token: &str, camp: i64, who: Value) -> (StatusCode, Value) {
        self.post(&format!("/api/v1/camps/{camp}/enrol"), token, who)
            .await
    }

    /// Posts a notice to our notice route as WeChat would; returns the HTTP status.
    pub async fn post_notice(&self, headers: &[(String, String)], body: &str) -> StatusCode {
        let mut req = self
            .http
            .post(format!("{}/api/v1/pay/wechat/notify", self.address))
            .body(body.to_string());
        for (k, v) in headers {
            req = req.header(k, v);
        }
        req.send().await.expect("notice reaches the API").status()
    }

    /// Waits for `pay/{no}` to finish (no polling: the workflow's result).
    pub async fn payment_result(&self, out_trade_no: &str) -> PaymentOutcome {
        self.temporal
            .get_workflow_handle::<PaymentWorkflow>(format!("pay/{out_trade_no}"))
            .get_result(WorkflowGetResultOptions::default())
            .await
            .expect("the payment workflow completes")
    }

    pub async fn refund_result(&self, out_refund_no: &str) -> RefundState {
        self.temporal
            .get_workflow_handle::<RefundWorkflow>(format!("refund/{out_refund_no}"))
            .get_result(WorkflowGetResultOptions::default())
            .await
            .expect("the refund workflow completes")
    }

    /// (state, paid_cents, refunded_cents) of a payment row.
    pub async fn payment_row(&self, out_trade_no: &str) -> (String, i64, i64) {
        sqlx::query_as(
            "SELECT CAST(state AS CHAR), paid_cents, refunded_cents FROM payment WHERE out_trade_no = ?",
        )
        .bind(out_trade_no)
        .fetch_one(&self.pool)
        .await
        .expect("payment row")
    }

    pub async fn enrolment_status(&self, out_trade_no: &str) -> String {
        let (s,): (String,) = sqlx::query_as(
            "SELECT CAST(status AS CHAR) FROM camp_enrolment WHERE out_trade_no = ?",
        )
        .bind(out_trade_no)
        .fetch_one(&self.pool)
        .await
        .expect("enrolment row");
        s
    }

    pub async fn notification_types(&self, token: &str) -> Vec<String> {
        let (_, body) = self.get("/api/v1/notifications", token).await;
        body["data"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|n| n["type"].as_str().unwrap_or_default().to_string())
            .collect()
    }
}

impl PayApp {
    /// Workflow ids a visibility query returns, asked again until `want` shows (visibility is
    /// eventually consistent; bounded at 10 s).
    pub async fn listed(&self, query: &str, want: &str) -> Vec<String> {
        use futures::StreamExt;
        let started = std::time::Instant::now();
        loop {
            let ids: Vec<String> = self
                .temporal
                .list_workflows(query, temporalio_client::WorkflowListOptions::default())
                .filter_map(|r| async move { r.ok().map(|w| w.id().to_string()) })
                .collect()
                .await;
            if ids.iter().any(|id| id == want)
                || started.elapsed() > std::time::Duration::from_secs(10)
            {
                return ids;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}
