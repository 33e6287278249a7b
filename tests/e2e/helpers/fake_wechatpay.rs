//! A strict fake WeChat Pay v3 (JSAPI orders, close, query, refunds) for the end-to-end tests
//! and `./scripts/dev` (`tests/bin/fake_wechatpay.rs` runs this same code).
//!
//! Strict like the real one: every request's `Authorization` signature is verified with the
//! TEST-ONLY merchant public key (mchid, serial, timestamp and nonce checked; 401 `SIGN_ERROR`
//! otherwise), fields are validated (appid/mchid, `out_trade_no` charset and length,
//! `time_expire` format, amounts, openid), answers are signed with the TEST-ONLY platform key,
//! and notices are signed and AES-256-GCM encrypted with the APIv3 key. On request it loses,
//! duplicates, delays or corrupts notices, fails calls with `SYSTEM_ERROR`, and ends refunds
//! as SUCCESS, ABNORMAL or CLOSED.

use activities::pay::crypto::{Apiv3Key, Signer, Verifier, message, nonce};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Duration as ChronoDuration, FixedOffset, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const MCHID: &str = "1900000109";
pub const APPID: &str = "wxTESTONLYAPPID01";
pub const MERCHANT_SERIAL: &str = "TESTONLYMERCHANTSERIAL0001";
pub const PLATFORM_SERIAL: &str = "PUB_KEY_ID_TESTONLY0001";

/// The fixtures folder (`tests/fixtures/wechatpay`).
pub fn fixtures() -> std::path::PathBuf {
    keys::dir(env!("CARGO_MANIFEST_DIR"))
}

#[path = "../../fixtures/wechatpay/keys.rs"]
mod keys;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).expect(name)
}

/// What happens to a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeMode {
    Deliver,
    /// Never sent (the workflow must find the payment by querying).
    Lose,
    /// Sent this many times.
    Duplicate(u32),
    /// Sent after this long.
    Delay(Duration),
    /// The body changed after signing (must be refused: 401).
    Tampered,
    /// Signed with a timestamp 10 minutes old (must be refused: 401).
    Stale,
}

/// How refunds end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundPlan {
    pub outcome: &'static str,
    /// Queries that still answer PROCESSING before the outcome shows.
    pub processing_queries: u32,
    /// Send the outcome as a notice (else only queries tell).
    pub notify: bool,
}

impl Default for RefundPlan {
    fn default() -> Self {
        Self {
            outcome: "SUCCESS",
            processing_queries: 0,
            notify: true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Order {
    pub out_trade_no: String,
    pub body: Value,
    pub prepay_id: String,
    pub trade_state: &'static str,
    pub transaction_id: Option<String>,
    pub amount: u64,
    pub paid_amount: u64,
    pub openid: String,
    pub notify_url: String,
    pub time_expire: DateTime<FixedOffset>,
    pub success_time: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RefundRec {
    pub out_refund_no: String,
    pub out_trade_no: String,
    pub refund_id: String,
    pub amount: u64,
    pub status: &'static str,
    pub queries: u32,
    pub notify_url: Option<String>,
    pub body: Value,
}

/// One request as the fake saw it.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub body: Value,
}

/// One notice attempt and the answer our API gave.
#[derive(Debug, Clone)]
pub struct NoticeAttempt {
    pub event_type: String,
    pub key: String,
    pub status: u16,
}

#[derive(Default)]
struct Inner {
    orders: HashMap<String, Order>,
    refunds: HashMap<String, RefundRec>,
    calls: Vec<Call>,
    notices: Vec<NoticeAttempt>,
    /// route kind → this many SYSTEM_ERROR answers
    fail_next: HashMap<&'static str, u32>,
    /// accept the next refund, then answer 500 (the answer is lost, not the refund)
    lose_next_refund_answer: bool,
    refund_plan: RefundPlan,
    seq: u64,
}

struct Keys {
    merchant: Verifier,
    platform: Signer,
    apiv3: Apiv3Key,
}

#[derive(Clone)]
pub struct FakeWechatPay {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
    keys: Arc<Keys>,
    http: reqwest::Client,
}

fn china_now() -> String {
    let china = FixedOffset::east_opt(8 * 3600).expect("offset");
    Utc::now()
        .with_timezone(&china)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

fn error(status: StatusCode, code: &str, message: &str) -> (StatusCode, Value) {
    (status, json!({"code": code, "message": message}))
}

fn valid_trade_no(s: &str) -> bool {
    (6..=32).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-|*".contains(c))
}

fn valid_refund_no(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-|*@".contains(c))
}

impl FakeWechatPay {
    /// Starts on 127.0.0.1 (port 0 = any) with the TEST-ONLY fixtures.
    pub async fn start(port: u16) -> Self {
        let keys = Keys {
            merchant: Verifier::from_pem(&fixture("TEST_ONLY_merchant_public_key.pem"))
                .expect("merchant public key"),
            platform: Signer::from_pem(&fixture("TEST_ONLY_platform_private_key.pem"))
                .expect("platform private key"),
            apiv3: Apiv3Key::new(&fixture("TEST_ONLY_apiv3_key.txt")).expect("APIv3 key"),
        };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the fake WeChat Pay");
        let base = format!("http://{}/", listener.local_addr().expect("addr"));
        let fake = Self {
            base,
            inner: Arc::new(Mutex::new(Inner::default())),
            keys: Arc::new(keys),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("client"),
        };
        let app = Router::new()
            .route("/v3/pay/transactions/jsapi", post(handle))
            .route("/v3/pay/transactions/out-trade-no/{no}", get(handle))
            .route("/v3/pay/transactions/out-trade-no/{no}/close", post(handle))
            .route("/v3/refund/domestic/refunds", post(handle))
            .route("/v3/refund/domestic/refunds/{no}", get(handle))
            .route("/fake/orders/{no}/pay", post(control_pay))
            .route("/fake/orders", get(control_orders))
            .with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        fake
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().expect("fake state")
    }

    pub fn order(&self, out_trade_no: &str) -> Option<Order> {
        self.lock().orders.get(out_trade_no).cloned()
    }

    pub fn orders(&self) -> Vec<Order> {
        self.lock().orders.values().cloned().collect()
    }

    pub fn refunds(&self) -> Vec<RefundRec> {
        self.lock().refunds.values().cloned().collect()
    }

    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    pub fn notices(&self) -> Vec<NoticeAttempt> {
        self.lock().notices.clone()
    }

    /// The next `n` calls of a kind (`prepay`, `query`, `close`, `refund`, `refund_query`)
    /// answer 500 `SYSTEM_ERROR`.
    pub fn fail_next(&self, kind: &'static str, n: u32) {
        self.lock().fail_next.insert(kind, n);
    }

    /// The next refund is made, but its answer is lost (500): the retry must not refund twice.
    pub fn lose_next_refund_answer(&self) {
        self.lock().lose_next_refund_answer = true;
    }

    pub fn plan_refunds(&self, plan: RefundPlan) {
        self.lock().refund_plan = plan;
    }

    /// The payer pays with the parameters our API handed to `wx.requestPayment` (their
    /// `paySign` is checked like the mini-program's WeChat client does); the notice then goes
    /// out as `mode` says. Returns the transaction id.
    pub async fn pay_with(
        &self,
        request_payment: &Value,
        mode: NoticeMode,
    ) -> Result<String, String> {
        let field = |k: &str| request_payment[k].as_str().unwrap_or_default().to_string();
        let (ts, nonce_str, package, sign_type, pay_sign) = (
            field("timeStamp"),
            field("nonceStr"),
            field("package"),
            field("signType"),
            field("paySign"),
        );
        if sign_type != "RSA" {
            return Err(format!("signType {sign_type:?}"));
        }
        if !self
            .keys
            .merchant
            .verify(&message(&[APPID, &ts, &nonce_str, &package]), &pay_sign)
        {
            return Err("paySign does not verify".into());
        }
        let prepay_id = package
            .strip_prefix("prepay_id=")
            .ok_or("package is not prepay_id=…")?;
        let no = self
            .lock()
            .orders
            .values()
            .find(|o| o.prepay_id == prepay_id)
            .map(|o| o.out_trade_no.clone())
            .ok_or("unknown prepay_id")?;
        self.pay(&no, None, mode).await
    }

    /// The payer pays order `no` (optionally another amount, which a real payer cannot, to
    /// test the mismatch check).
    pub async fn pay(
        &self,
        no: &str,
        amount: Option<u64>,
        mode: NoticeMode,
    ) -> Result<String, String> {
        let order = {
            let mut inner = self.lock();
            inner.seq += 1;
            let seq = inner.seq;
            let order = inner.orders.get_mut(no).ok_or("no such order")?;
            if order.trade_state != "NOTPAY" {
                return Err(format!("order is {}", order.trade_state));
            }
            if Utc::now() >= order.time_expire {
                return Err("the order has expired (time_expire)".into());
            }
            order.trade_state = "SUCCESS";
            order.transaction_id = Some(format!("4200000{seq:020}"));
            order.paid_amount = amount.unwrap_or(order.amount);
            order.success_time = Some(china_now());
            order.clone()
        };
        let resource = self.transaction_json(&order);
        self.send_notice(
            "TRANSACTION.SUCCESS",
            "transaction",
            no,
            &order.notify_url,
            resource,
            mode,
        );
        Ok(order.transaction_id.unwrap_or_default())
    }

    /// WeChat's side says paid whatever our side did (money that arrives after we closed the
    /// order, as a late bank confirmation can); returns the signed notice of it.
    pub fn force_paid(&self, no: &str) -> (Vec<(String, String)>, String) {
        {
            let mut inner = self.lock();
            inner.seq += 1;
            let seq = inner.seq;
            let o = inner.orders.get_mut(no).expect("order");
            o.trade_state = "SUCCESS";
            o.transaction_id = Some(format!("4200000{seq:020}"));
            o.paid_amount = o.amount;
            o.success_time = Some(china_now());
        }
        self.payment_notice(no)
    }

    fn transaction_json(&self, o: &Order) -> Value {
        json!({
            "appid": o.body["appid"], "mchid": o.body["mchid"], "out_trade_no": o.out_trade_no,
            "transaction_id": o.transaction_id, "trade_type": "JSAPI", "trade_state": o.trade_state,
            "trade_state_desc": if o.trade_state == "SUCCESS" { "支付成功" } else { "未支付" },
            "bank_type": "OTHERS", "attach": "", "success_time": o.success_time,
            "payer": {"openid": o.openid},
            "amount": {"total": if o.paid_amount > 0 { o.paid_amount } else { o.amount },
                       "payer_total": o.paid_amount, "currency": "CNY", "payer_currency": "CNY"},
        })
    }

    fn refund_json(&self, r: &RefundRec, o: &Order) -> Value {
        json!({
            "refund_id": r.refund_id, "out_refund_no": r.out_refund_no,
            "transaction_id": o.transaction_id, "out_trade_no": r.out_trade_no,
            "channel": "ORIGINAL", "user_received_account": "支付用户零钱",
            "success_time": if r.status == "SUCCESS" { Some(china_now()) } else { None },
            "create_time": china_now(), "status": r.status, "funds_account": "AVAILABLE",
            "amount": {"total": o.paid_amount, "refund": r.amount, "payer_total": o.paid_amount,
                       "payer_refund": r.amount, "settlement_refund": r.amount,
                       "settlement_total": o.paid_amount, "discount_refund": 0, "currency": "CNY"},
        })
    }

    /// A signed, encrypted notice as WeChat sends it: (headers, body). `age` backdates its
    /// timestamp.
    pub fn signed_notice(
        &self,
        event_type: &str,
        original_type: &str,
        resource: &Value,
        age: ChronoDuration,
    ) -> (Vec<(String, String)>, String) {
        let nonce12 = nonce(12);
        let ciphertext = self
            .keys
            .apiv3
            .encrypt(&nonce12, original_type, resource.to_string().as_bytes())
            .expect("encrypt");
        let body = json!({
            "id": uuid::Uuid::new_v4().to_string(), "create_time": china_now(),
            "resource_type": "encrypt-resource", "event_type": event_type,
            "summary": if event_type == "TRANSACTION.SUCCESS" { "支付成功" } else { "退款结果" },
            "resource": {"original_type": original_type, "algorithm": "AEAD_AES_256_GCM",
                         "ciphertext": ciphertext, "associated_data": original_type, "nonce": nonce12},
        })
        .to_string();
        let ts = (Utc::now() - age).timestamp().to_string();
        let n = nonce(32);
        let sig = self
            .keys
            .platform
            .sign(&message(&[&ts, &n, &body]))
            .expect("sign");
        let headers = vec![
            ("Wechatpay-Timestamp".to_string(), ts),
            ("Wechatpay-Nonce".to_string(), n),
            ("Wechatpay-Signature".to_string(), sig),
            ("Wechatpay-Serial".to_string(), PLATFORM_SERIAL.to_string()),
            ("Content-Type".to_string(), "application/json".to_string()),
        ];
        (headers, body)
    }

    /// The payment notice of a paid order, signed now (for tests that post it themselves).
    pub fn payment_notice(&self, no: &str) -> (Vec<(String, String)>, String) {
        let order = self.order(no).expect("order");
        self.signed_notice(
            "TRANSACTION.SUCCESS",
            "transaction",
            &self.transaction_json(&order),
            ChronoDuration::zero(),
        )
    }

    fn send_notice(
        &self,
        event_type: &'static str,
        original_type: &'static str,
        key: &str,
        url: &str,
        resource: Value,
        mode: NoticeMode,
    ) {
        let (times, delay) = match mode {
            NoticeMode::Lose => return,
            NoticeMode::Duplicate(n) => (n, Duration::ZERO),
            NoticeMode::Delay(d) => (1, d),
            _ => (1, Duration::ZERO),
        };
        let fake = self.clone();
        let (key, url) = (key.to_string(), url.to_string());
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            for _ in 0..times {
                let age = if mode == NoticeMode::Stale {
                    ChronoDuration::minutes(10)
                } else {
                    ChronoDuration::zero()
                };
                let (headers, mut body) =
                    fake.signed_notice(event_type, original_type, &resource, age);
                if mode == NoticeMode::Tampered {
                    body = body.replacen("\"summary\":\"", "\"summary\":\"X", 1);
                }
                // WeChat retries a refused notice (15 s, 15 s, 30 s, …); shortened here.
                for retry in [0u64, 200, 500, 1000, 2000] {
                    tokio::time::sleep(Duration::from_millis(retry)).await;
                    let mut req = fake.http.post(&url).body(body.clone());
                    for (k, v) in &headers {
                        req = req.header(k, v);
                    }
                    let status = req.send().await.map(|r| r.status().as_u16()).unwrap_or(0);
                    fake.lock().notices.push(NoticeAttempt {
                        event_type: event_type.to_string(),
                        key: key.clone(),
                        status,
                    });
                    if (200..300).contains(&status) || (400..500).contains(&status) {
                        break; // accepted, or refused for good (a signature problem)
                    }
                }
            }
        });
    }

    /// Verifies our request's `Authorization` header as WeChat does.
    fn check_auth(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &str,
    ) -> Result<(), String> {
        let auth = headers
            .get("Authorization")
            .and_then(|v| v.to_str().ok())
            .ok_or("no Authorization")?;
        let params = auth
            .strip_prefix("WECHATPAY2-SHA256-RSA2048 ")
            .ok_or("not WECHATPAY2-SHA256-RSA2048")?;
        let mut map = HashMap::new();
        for part in params.split(',') {
            let (k, v) = part.split_once('=').ok_or("malformed Authorization")?;
            map.insert(k.trim(), v.trim().trim_matches('"'));
        }
        let get = |k: &str| map.get(k).copied().ok_or(format!("{k} missing"));
        if get("mchid")? != MCHID {
            return Err("mchid".into());
        }
        if get("serial_no")? != MERCHANT_SERIAL {
            return Err("serial_no".into());
        }
        let ts: i64 = get("timestamp")?.parse().map_err(|_| "timestamp")?;
        if (Utc::now().timestamp() - ts).abs() > 300 {
            return Err("timestamp too far from now".into());
        }
        let nonce_str = get("nonce_str")?;
        if nonce_str.is_empty() || nonce_str.len() > 32 {
            return Err("nonce_str".into());
        }
        let path = uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default();
        let signed = message(&[method.as_str(), &path, &ts.to_string(), nonce_str, body]);
        if !self.keys.merchant.verify(&signed, get("signature")?) {
            return Err("signature".into());
        }
        if headers.get("Accept").and_then(|v| v.to_str().ok()) != Some("application/json") {
            return Err("Accept must be application/json".into());
        }
        Ok(())
    }

    /// A signed answer.
    fn answer(&self, status: StatusCode, body: Option<Value>) -> Response {
        let text = body.map(|b| b.to_string()).unwrap_or_default();
        let ts = Utc::now().timestamp().to_string();
        let n = nonce(32);
        let sig = self
            .keys
            .platform
            .sign(&message(&[&ts, &n, &text]))
            .expect("sign");
        let mut res = (status, text).into_response();
        let h = res.headers_mut();
        for (k, v) in [
            ("Wechatpay-Timestamp", ts),
            ("Wechatpay-Nonce", n),
            ("Wechatpay-Signature", sig),
            ("Wechatpay-Serial", PLATFORM_SERIAL.to_string()),
            ("Request-ID", uuid::Uuid::new_v4().to_string()),
            ("Content-Type", "application/json".to_string()),
        ] {
            h.insert(k, v.parse().expect("header"));
        }
        res
    }

    fn route(
        &self,
        method: &Method,
        path: &str,
        no: Option<&str>,
        body: &Value,
    ) -> (StatusCode, Value, &'static str) {
        let kind = match (method.as_str(), path) {
            ("POST", "/v3/pay/transactions/jsapi") => "prepay",
            ("POST", p) if p.ends_with("/close") => "close",
            ("GET", p) if p.starts_with("/v3/pay/") => "query",
            ("POST", "/v3/refund/domestic/refunds") => "refund",
            _ => "refund_query",
        };
        {
            let mut inner = self.lock();
            if let Some(n) = inner.fail_next.get_mut(kind).filter(|n| **n > 0) {
                *n -= 1;
                let (s, b) = error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "SYSTEM_ERROR",
                    "系统错误",
                );
                return (s, b, kind);
            }
        }
        let (s, b) = match kind {
            "prepay" => self.prepay(body),
            "query" => self.query(no.unwrap_or_default()),
            "close" => self.close(no.unwrap_or_default(), body),
            "refund" => self.refund(body),
            _ => self.query_refund(no.unwrap_or_default()),
        };
        (s, b, kind)
    }

    fn prepay(&self, b: &Value) -> (StatusCode, Value) {
        let bad = |m: &str| error(StatusCode::BAD_REQUEST, "PARAM_ERROR", m);
        if b["appid"] != APPID {
            return bad("appid 与 mchid 不匹配");
        }
        if b["mchid"] != MCHID {
            return bad("mchid 错误");
        }
        let description = b["description"].as_str().unwrap_or_default();
        if description.is_empty() || description.len() > 127 {
            return bad("description 长度须为 1–127 字节");
        }
        let no = b["out_trade_no"].as_str().unwrap_or_default();
        if !valid_trade_no(no) {
            return bad("out_trade_no 格式错误");
        }
        let Some(expire) = b["time_expire"]
            .as_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .filter(|_| b["time_expire"].as_str().is_some_and(|t| t.len() == 25))
        else {
            return bad("time_expire 须为 yyyy-MM-DDTHH:mm:ss+TIMEZONE");
        };
        let notify = b["notify_url"].as_str().unwrap_or_default();
        if !(notify.starts_with("https://") || notify.starts_with("http://"))
            || notify.contains('?')
        {
            return bad("notify_url 须为不带参数的绝对地址");
        }
        let Some(total) = b["amount"]["total"].as_u64().filter(|t| *t > 0) else {
            return bad("amount.total 须为正整数（分）");
        };
        if !b["amount"]["currency"].is_null() && b["amount"]["currency"] != "CNY" {
            return bad("currency 须为 CNY");
        }
        let openid = b["payer"]["openid"].as_str().unwrap_or_default();
        if openid.is_empty() {
            return bad("payer.openid 不能为空");
        }
        let mut inner = self.lock();
        if let Some(existing) = inner.orders.get(no) {
            if existing.trade_state == "CLOSED" {
                return error(StatusCode::BAD_REQUEST, "ORDER_CLOSED", "订单已关闭");
            }
            if existing.body != *b {
                return error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_REQUEST",
                    "商户订单号重复，请核实订单参数",
                );
            }
            return (StatusCode::OK, json!({"prepay_id": existing.prepay_id}));
        }
        inner.seq += 1;
        let prepay_id = format!("wx{}{:010}", Utc::now().format("%d%H%M%S"), inner.seq);
        inner.orders.insert(
            no.to_string(),
            Order {
                out_trade_no: no.to_string(),
                body: b.clone(),
                prepay_id: prepay_id.clone(),
                trade_state: "NOTPAY",
                transaction_id: None,
                amount: total,
                paid_amount: 0,
                openid: openid.to_string(),
                notify_url: notify.to_string(),
                time_expire: expire,
                success_time: None,
            },
        );
        (StatusCode::OK, json!({"prepay_id": prepay_id}))
    }

    fn query(&self, no: &str) -> (StatusCode, Value) {
        match self.order(no) {
            None => error(StatusCode::NOT_FOUND, "ORDER_NOT_EXIST", "订单不存在"),
            Some(o) => (StatusCode::OK, self.transaction_json(&o)),
        }
    }

    fn close(&self, no: &str, b: &Value) -> (StatusCode, Value) {
        if b["mchid"] != MCHID {
            return error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "mchid 错误");
        }
        let mut inner = self.lock();
        match inner.orders.get_mut(no) {
            None => error(StatusCode::NOT_FOUND, "ORDER_NOT_EXIST", "订单不存在"),
            Some(o) if o.trade_state == "SUCCESS" || o.trade_state == "REFUND" => {
                error(StatusCode::BAD_REQUEST, "ORDERPAID", "订单已支付")
            }
            Some(o) => {
                o.trade_state = "CLOSED";
                (StatusCode::NO_CONTENT, Value::Null)
            }
        }
    }

    fn refund(&self, b: &Value) -> (StatusCode, Value) {
        let bad = |m: &str| error(StatusCode::BAD_REQUEST, "PARAM_ERROR", m);
        let no = b["out_refund_no"].as_str().unwrap_or_default();
        if !valid_refund_no(no) {
            return bad("out_refund_no 格式错误");
        }
        let trade = b["out_trade_no"].as_str().unwrap_or_default();
        let (Some(refund), Some(total)) = (
            b["amount"]["refund"].as_u64(),
            b["amount"]["total"].as_u64(),
        ) else {
            return bad("amount.refund / amount.total 须为整数（分）");
        };
        if b["amount"]["currency"] != "CNY" {
            return bad("currency 须为 CNY");
        }
        let mut inner = self.lock();
        let Some(order) = inner.orders.get(trade).cloned() else {
            return error(StatusCode::NOT_FOUND, "RESOURCE_NOT_EXISTS", "订单不存在");
        };
        if !matches!(order.trade_state, "SUCCESS" | "REFUND") {
            return error(
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST",
                "订单未支付，不能退款",
            );
        }
        if let Some(existing) = inner.refunds.get(no) {
            if existing.body != *b {
                return error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_REQUEST",
                    "退款单号重复，请核实退款参数",
                );
            }
            let r = existing.clone();
            drop(inner);
            return (StatusCode::OK, self.refund_json(&r, &order));
        }
        if total != order.paid_amount {
            return bad("amount.total 与订单金额不一致");
        }
        let refunded: u64 = inner
            .refunds
            .values()
            .filter(|r| r.out_trade_no == trade && r.status != "CLOSED")
            .map(|r| r.amount)
            .sum();
        if refund == 0 || refunded + refund > order.paid_amount {
            return error(
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST",
                "申请退款金额超过订单可退金额",
            );
        }
        inner.seq += 1;
        let plan = inner.refund_plan;
        let rec = RefundRec {
            out_refund_no: no.to_string(),
            out_trade_no: trade.to_string(),
            refund_id: format!("50300{:020}", inner.seq),
            amount: refund,
            status: "PROCESSING",
            queries: 0,
            notify_url: b["notify_url"].as_str().map(str::to_string),
            body: b.clone(),
        };
        inner.refunds.insert(no.to_string(), rec.clone());
        if let Some(o) = inner.orders.get_mut(trade) {
            o.trade_state = "REFUND";
        }
        let lose = std::mem::take(&mut inner.lose_next_refund_answer);
        drop(inner);
        if plan.notify && plan.processing_queries == 0 {
            self.finish_refund(no, plan.outcome, true);
        }
        if lose {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "SYSTEM_ERROR",
                "系统错误",
            );
        }
        (StatusCode::OK, self.refund_json(&rec, &order))
    }

    /// The refund reaches its outcome (and the notice goes out when planned).
    fn finish_refund(&self, no: &str, outcome: &'static str, notify: bool) {
        let (rec, order) = {
            let mut inner = self.lock();
            let Some(r) = inner.refunds.get_mut(no) else {
                return;
            };
            r.status = outcome;
            let r = r.clone();
            let o = inner.orders.get(&r.out_trade_no).cloned().expect("order");
            (r, o)
        };
        if let (true, Some(url)) = (notify, rec.notify_url.clone()) {
            let resource = json!({
                "mchid": MCHID, "out_trade_no": rec.out_trade_no, "transaction_id": order.transaction_id,
                "out_refund_no": rec.out_refund_no, "refund_id": rec.refund_id, "refund_status": outcome,
                "success_time": china_now(), "user_received_account": "支付用户零钱",
                "amount": {"total": order.paid_amount, "refund": rec.amount, "payer_total": order.paid_amount, "payer_refund": rec.amount},
            });
            let event = match outcome {
                "SUCCESS" => "REFUND.SUCCESS",
                "ABNORMAL" => "REFUND.ABNORMAL",
                _ => "REFUND.CLOSED",
            };
            self.send_notice(
                event,
                "refund",
                no,
                &url,
                resource,
                NoticeMode::Delay(Duration::from_millis(100)),
            );
        }
    }

    fn query_refund(&self, no: &str) -> (StatusCode, Value) {
        let plan = self.lock().refund_plan;
        let (rec, order) = {
            let mut inner = self.lock();
            let Some(r) = inner.refunds.get_mut(no) else {
                return error(StatusCode::NOT_FOUND, "RESOURCE_NOT_EXISTS", "退款单不存在");
            };
            r.queries += 1;
            if r.status == "PROCESSING" && r.queries > plan.processing_queries {
                r.status = plan.outcome;
            }
            let r = r.clone();
            let o = inner.orders.get(&r.out_trade_no).cloned().expect("order");
            (r, o)
        };
        (StatusCode::OK, self.refund_json(&rec, &order))
    }
}

async fn handle(
    State(fake): State<FakeWechatPay>,
    method: Method,
    uri: Uri,
    path: Option<Path<String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let text = String::from_utf8_lossy(&body).to_string();
    let record = |status: StatusCode, body: &Value| {
        fake.lock().calls.push(Call {
            method: method.to_string(),
            path: uri.path().to_string(),
            status: status.as_u16(),
            body: body.clone(),
        });
    };
    if let Err(why) = fake.check_auth(&method, &uri, &headers, &text) {
        let (s, b) = error(
            StatusCode::UNAUTHORIZED,
            "SIGN_ERROR",
            &format!("签名错误: {why}"),
        );
        record(s, &b);
        return (s, b.to_string()).into_response();
    }
    let parsed: Value = if text.is_empty() {
        Value::Null
    } else {
        match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(_) => {
                let (s, b) = error(
                    StatusCode::BAD_REQUEST,
                    "PARAM_ERROR",
                    "请求体不是合法的 JSON",
                );
                record(s, &b);
                return (s, b.to_string()).into_response();
            }
        }
    };
    if method == Method::POST
        && headers.get("Content-Type").and_then(|v| v.to_str().ok()) != Some("application/json")
    {
        let (s, b) = error(
            StatusCode::BAD_REQUEST,
            "PARAM_ERROR",
            "Content-Type 须为 application/json",
        );
        record(s, &b);
        return (s, b.to_string()).into_response();
    }
    let no = path.map(|Path(p)| p);
    let (status, answer, _) = fake.route(&method, uri.path(), no.as_deref(), &parsed);
    record(status, &parsed);
    if status.is_success() {
        let body = (!answer.is_null()).then_some(answer);
        fake.answer(status, body)
    } else {
        (status, answer.to_string()).into_response()
    }
}

/// `POST /fake/orders/{no}/pay` (the dev server's stand-in for a payer).
async fn control_pay(State(fake): State<FakeWechatPay>, Path(no): Path<String>) -> Response {
    match fake.pay(&no, None, NoticeMode::Deliver).await {
        Ok(tx) => (StatusCode::OK, json!({"transaction_id": tx}).to_string()).into_response(),
        Err(e) => (StatusCode::CONFLICT, json!({"error": e}).to_string()).into_response(),
    }
}

async fn control_orders(State(fake): State<FakeWechatPay>) -> Response {
    let list: Vec<Value> = fake
        .orders()
        .iter()
        .map(|o| json!({"out_trade_no": o.out_trade_no, "trade_state": o.trade_state, "amount": o.amount}))
        .collect();
    (StatusCode::OK, Value::Array(list).to_string()).into_response()
}
