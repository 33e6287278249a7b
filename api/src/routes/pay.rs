//! The payment core's HTTP side (docs/payments.md):
//!
//! - `POST /api/v1/pay/wechat/notify` (no JWT): WeChat Pay's notices. The
//!   `WECHATPAY2-SHA256-RSA2048` signature over `timestamp\nnonce\nbody\n` is verified with
//!   the key named by `Wechatpay-Serial` (stale timestamps rejected), the AES-256-GCM
//!   `resource` decrypted with the APIv3 key, and the workflow signalled; success is answered
//!   only once Temporal accepted the signal, so WeChat retries otherwise. A payment notice for
//!   a payment whose workflow has closed unpaid starts a refund.
//! - `GET /api/v1/pay/orders/{out_trade_no}`: the payer's view of one payment.
//! - starting `PaymentWorkflow` (update-with-start `checkout`) and `RefundWorkflow`.
//!
//! The verification here is the API's own (the API never links activity code); the worker's
//! client and the fake WeChat Pay share `activities::pay::crypto`, and the tests run both
//! against each other.

use crate::auth::extract::{Admin, Parent};
use crate::envelope::{Envelope, Items, Reply};
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::time::Duration;
use temporalio_client::errors::{WorkflowInteractionError, WorkflowStartError};
use temporalio_client::{
    WorkflowIdConflictPolicy, WorkflowIdReusePolicy, WorkflowSignalOptions, WorkflowStartOptions,
    WorkflowUpdateWithStartOptions,
};
use temporalio_common::search_attributes::SearchAttributes;
use utoipa::{IntoParams, ToSchema};
use workflows::payment::{Checkout, PaidNotice, PaymentInput, PaymentWorkflow};
use workflows::refund::{RefundInput, RefundNotice, RefundWorkflow};
use workflows::rules::payment::{OutRefundNo, OutTradeNo, PaidFacts, RefundStatus, TradeState};
use workflows::search_attributes::{CAMP_ID, ORDER_NO, PAY_STATE, REFUND_STATE};

// ---------------------------------------------------------------- notice verification

/// Why a notice is refused (401: WeChat retries, nothing changes).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NoticeError {
    #[error("missing header {0}")]
    MissingHeader(&'static str),
    #[error("unknown Wechatpay-Serial {0}")]
    UnknownSerial(String),
    #[error("stale timestamp")]
    Stale,
    #[error("bad signature")]
    BadSignature,
    #[error("the resource does not decrypt")]
    Decrypt,
    #[error("unreadable notice: {0}")]
    Malformed(String),
}

/// The API's verifier of WeChat Pay notices.
pub struct NoticeVerifier {
    serial: String,
    public_key: Vec<u8>,
    apiv3_key: [u8; 32],
    max_skew_seconds: i64,
}

fn pem_der(pem: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin)? + begin.len();
    let stop = pem[start..].find(&end)? + start;
    let body: String = pem[start..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    B64.decode(body).ok()
}

/// SPKI → the PKCS#1 RSAPublicKey `ring` verifies with: the BIT STRING after the algorithm.
fn spki_to_pkcs1(der: &[u8]) -> Option<Vec<u8>> {
    fn element(d: &[u8]) -> Option<(u8, &[u8], &[u8])> {
        let (&tag, rest) = d.split_first()?;
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || rest.len() < n {
                return None;
            }
            let len = rest[..n]
                .iter()
                .fold(0usize, |a, b| (a << 8) | usize::from(*b));
            (len, &rest[n..])
        };
        (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
    }
    let (0x30, spki, _) = element(der)? else {
        return None;
    };
    let (0x30, _algorithm, rest) = element(spki)? else {
        return None;
    };
    let (0x03, bits, _) = element(rest)? else {
        return None;
    };
    match bits.split_first() {
        Some((0, key)) => Some(key.to_vec()),
        _ => None,
    }
}

/// What a verified notice said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Paid {
        out_trade_no: String,
        notice: PaidNotice,
    },
    Refund {
        out_refund_no: String,
        notice: RefundNotice,
    },
    /// An event this service does not act on (acknowledged).
    Other(String),
}

#[derive(Deserialize)]
struct Envelope3 {
    id: String,
    event_type: String,
    resource: Resource,
}

#[derive(Deserialize)]
struct Resource {
    algorithm: String,
    ciphertext: String,
    #[serde(default)]
    associated_data: String,
    nonce: String,
}

#[derive(Deserialize)]
struct TransactionResource {
    appid: String,
    mchid: String,
    out_trade_no: String,
    transaction_id: String,
    trade_state: TradeState,
    success_time: Option<String>,
    payer: Option<PayerResource>,
    amount: AmountResource,
}

#[derive(Deserialize)]
struct PayerResource {
    openid: Option<String>,
}

#[derive(Deserialize)]
struct AmountResource {
    total: u64,
    currency: Option<String>,
}

#[derive(Deserialize)]
struct RefundResource {
    out_refund_no: String,
    refund_id: String,
    refund_status: RefundStatus,
}

impl NoticeVerifier {
    pub fn new(config: &crate::config::PayNoticeConfig) -> Result<Self, String> {
        let der = pem_der(&config.platform_public_key_pem, "PUBLIC KEY")
            .ok_or("WECHATPAY_PLATFORM_PUBLIC_KEY_FILE: not a PUBLIC KEY PEM")?;
        let public_key =
            spki_to_pkcs1(&der).ok_or("WECHATPAY_PLATFORM_PUBLIC_KEY_FILE: not RSA")?;
        let apiv3_key: [u8; 32] = config
            .apiv3_key
            .expose()
            .as_bytes()
            .try_into()
            .map_err(|_| "WECHATPAY_APIV3_KEY_FILE: 32 characters expected")?;
        Ok(Self {
            serial: config.platform_serial.clone(),
            public_key,
            apiv3_key,
            max_skew_seconds: config.max_skew_seconds,
        })
    }

    /// Verifies and decrypts one notice as received at `now`.
    pub fn open(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Notice, NoticeError> {
        let header = |name: &'static str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .ok_or(NoticeError::MissingHeader(name))
        };
        let serial = header("Wechatpay-Serial")?;
        let timestamp = header("Wechatpay-Timestamp")?;
        let nonce = header("Wechatpay-Nonce")?;
        let signature = header("Wechatpay-Signature")?;
        if serial != self.serial {
            return Err(NoticeError::UnknownSerial(serial.to_string()));
        }
        let ts: i64 = timestamp.parse().map_err(|_| NoticeError::Stale)?;
        if (now.timestamp() - ts).abs() > self.max_skew_seconds {
            return Err(NoticeError::Stale);
        }
        let body_text = std::str::from_utf8(body).map_err(|_| NoticeError::BadSignature)?;
        let message = format!("{timestamp}\n{nonce}\n{body_text}\n");
        let sig = B64
            .decode(signature)
            .map_err(|_| NoticeError::BadSignature)?;
        ring::signature::UnparsedPublicKey::new(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            &self.public_key,
        )
        .verify(message.as_bytes(), &sig)
        .map_err(|_| NoticeError::BadSignature)?;

        let envelope: Envelope3 =
            serde_json::from_slice(body).map_err(|e| NoticeError::Malformed(e.to_string()))?;
        if envelope.resource.algorithm != "AEAD_AES_256_GCM" {
            return Err(NoticeError::Malformed(envelope.resource.algorithm));
        }
        let plain = self.decrypt(&envelope.resource)?;
        match envelope.event_type.as_str() {
            "TRANSACTION.SUCCESS" => {
                let t: TransactionResource = serde_json::from_slice(&plain)
                    .map_err(|e| NoticeError::Malformed(e.to_string()))?;
                Ok(Notice::Paid {
                    out_trade_no: t.out_trade_no,
                    notice: PaidNotice {
                        notice_id: envelope.id,
                        trade_state: t.trade_state,
                        facts: PaidFacts {
                            transaction_id: t.transaction_id,
                            appid: t.appid,
                            mchid: t.mchid,
                            total_cents: t.amount.total,
                            currency: t.amount.currency.unwrap_or_else(|| "CNY".into()),
                            payer_openid: t.payer.and_then(|p| p.openid),
                            success_time: t.success_time,
                        },
                    },
                })
            }
            "REFUND.SUCCESS" | "REFUND.ABNORMAL" | "REFUND.CLOSED" => {
                let r: RefundResource = serde_json::from_slice(&plain)
                    .map_err(|e| NoticeError::Malformed(e.to_string()))?;
                Ok(Notice::Refund {
                    out_refund_no: r.out_refund_no,
                    notice: RefundNotice {
                        notice_id: envelope.id,
                        status: r.refund_status,
                        refund_id: r.refund_id,
                    },
                })
            }
            other => Ok(Notice::Other(other.to_string())),
        }
    }

    fn decrypt(&self, r: &Resource) -> Result<Vec<u8>, NoticeError> {
        use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
        let key = LessSafeKey::new(
            UnboundKey::new(&AES_256_GCM, &self.apiv3_key).map_err(|_| NoticeError::Decrypt)?,
        );
        let nonce = Nonce::try_assume_unique_for_key(r.nonce.as_bytes())
            .map_err(|_| NoticeError::Decrypt)?;
        let mut data = B64
            .decode(&r.ciphertext)
            .map_err(|_| NoticeError::Decrypt)?;
        let plain = key
            .open_in_place(nonce, Aad::from(r.associated_data.as_bytes()), &mut data)
            .map_err(|_| NoticeError::Decrypt)?;
        Ok(plain.to_vec())
    }
}

// ---------------------------------------------------------------- the notice route

/// WeChat's answer format: 200/204 accepted; 4xx/5xx with `{code: "FAIL", message}` retried.
/// What the notice route answers WeChat Pay when it refuses (WeChat Pay's own shape, not the
/// envelope: it retries on anything but 2xx).
#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // a schema only: `answer` writes it
pub struct WechatPayAnswer {
    /// always FAIL
    code: String,
    message: String,
}

fn answer(status: StatusCode, message: &str) -> Response {
    if status.is_success() {
        return StatusCode::NO_CONTENT.into_response();
    }
    (
        status,
        axum::Json(json!({"code": "FAIL", "message": message})),
    )
        .into_response()
}

const SIGNAL_TIMEOUT: Duration = Duration::from_secs(5);

#[utoipa::path(post, path = "/api/v1/pay/wechat/notify", tag = "pay",
    request_body(content = String, description = "WeChat Pay v3 notice (signed; resource AES-256-GCM encrypted)"),
    responses((status = 204, description = "accepted (Temporal has the signal)"),
              (status = 401, description = "signature, serial or timestamp refused: nothing changed", body = WechatPayAnswer),
              (status = 503, description = "Temporal did not take the signal, or notices are not configured: WeChat retries", body = WechatPayAnswer)))]
pub async fn notify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(config) = state.config.pay_notice.as_ref() else {
        tracing::warn!("a WeChat Pay notice arrived but WECHATPAY_APIV3_KEY_FILE is not set");
        return answer(StatusCode::SERVICE_UNAVAILABLE, "not configured");
    };
    // Parsed per notice (microseconds), so the API's state carries nothing of WeChat Pay.
    let verifier = match NoticeVerifier::new(config) {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = %e, "WeChat Pay notice keys unusable");
            return answer(StatusCode::SERVICE_UNAVAILABLE, "not configured");
        }
    };
    let notice = match verifier.open(&headers, &body, Utc::now()) {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(error = %e, "WeChat Pay notice refused");
            return answer(StatusCode::UNAUTHORIZED, "验签失败");
        }
    };
    match deliver(&state, notice).await {
        Ok(()) => answer(StatusCode::NO_CONTENT, ""),
        Err(e) => {
            tracing::warn!(error = %e, "WeChat Pay notice not delivered; WeChat will retry");
            answer(StatusCode::SERVICE_UNAVAILABLE, "稍后重试")
        }
    }
}

/// Signals the notice's workflow; a notice for a workflow that has closed is checked against
/// the database (a duplicate is fine; money for a closed order is refunded).
async fn deliver(state: &AppState, notice: Notice) -> Result<(), ApiError> {
    let client = state.temporal.client().await?;
    let options = || {
        WorkflowSignalOptions::builder()
            .rpc_options(
                temporalio_client::RpcOptions::builder()
                    .timeout(SIGNAL_TIMEOUT)
                    .build(),
            )
            .build()
    };
    match notice {
        Notice::Paid {
            out_trade_no,
            notice,
        } => {
            let no = OutTradeNo::parse(out_trade_no.clone())
                .map_err(|_| ApiError::invalid("out_trade_no", "unknown order"))?;
            let handle = client.get_workflow_handle::<PaymentWorkflow>(no.workflow_id());
            match handle
                .signal(PaymentWorkflow::notice, notice.clone(), options())
                .await
            {
                Ok(()) => {
                    tracing::info!(%no, notice = %notice.notice_id, "payment notice signalled");
                    Ok(())
                }
                Err(WorkflowInteractionError::NotFound(_)) => after_close(state, no, notice).await,
                Err(e) => Err(ApiError::internal(anyhow::anyhow!("{e}"))),
            }
        }
        Notice::Refund {
            out_refund_no,
            notice,
        } => {
            let no = OutRefundNo::parse(out_refund_no)
                .map_err(|_| ApiError::invalid("out_refund_no", "unknown refund"))?;
            let handle = client.get_workflow_handle::<RefundWorkflow>(no.workflow_id());
            match handle
                .signal(RefundWorkflow::notice, notice, options())
                .await
            {
                Ok(()) => Ok(()),
                // The refund's workflow has finished: its end is recorded already.
                Err(WorkflowInteractionError::NotFound(_)) => Ok(()),
                Err(e) => Err(ApiError::internal(anyhow::anyhow!("{e}"))),
            }
        }
        Notice::Other(event) => {
            tracing::info!(%event, "WeChat Pay notice acknowledged (not acted on)");
            Ok(())
        }
    }
}

/// A payment notice whose workflow has closed: a duplicate of a counted payment is fine;
/// money for an order that was closed (or never ours to keep) goes back through a refund.
async fn after_close(state: &AppState, no: OutTradeNo, notice: PaidNotice) -> Result<(), ApiError> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT CAST(state AS CHAR), transaction_id FROM payment WHERE out_trade_no = ?",
    )
    .bind(no.as_str())
    .fetch_optional(&state.pool)
    .await?;
    match row {
        Some((payment_state, Some(tx)))
            if tx == notice.facts.transaction_id
                && (payment_state == "paid" || payment_state == "anomaly") =>
        {
            tracing::info!(%no, "duplicate payment notice (already settled)");
            Ok(())
        }
        Some(_) => {
            tracing::warn!(%no, "money for a closed order: refunding it");
            start_refund(
                state,
                RefundInput::late_payment(no, notice.facts, state.config.pay.settings.refund),
                None,
            )
            .await
        }
        None => {
            tracing::warn!(%no, "a payment notice for an order this service never made: ignored");
            Ok(())
        }
    }
}

// ---------------------------------------------------------------- starting the workflows

/// How long a member waits for the checkout before a 503.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(20);

/// Starts (or joins) `pay/{out_trade_no}` and waits for its checkout.
pub async fn checkout(state: &AppState, input: PaymentInput) -> Result<Checkout, ApiError> {
    let client = state.temporal.client().await?;
    let id = input.out_trade_no.workflow_id();
    let mut attributes = vec![
        ORDER_NO.value_set(input.out_trade_no.to_string()),
        PAY_STATE.value_set("reserving".to_string()),
    ];
    if let Some(camp) = input.purpose.camp_id() {
        attributes.push(CAMP_ID.value_set(camp));
    }
    let options = WorkflowUpdateWithStartOptions::new(
        state.temporal.task_queue().to_string(),
        id.clone(),
        WorkflowIdConflictPolicy::UseExisting,
    )
    // A finished payment is never run again under its number.
    .id_reuse_policy(WorkflowIdReusePolicy::RejectDuplicate)
    .search_attributes(SearchAttributes::new(attributes))
    .build();
    let call = client.execute_update_with_start_workflow(
        PaymentWorkflow::run,
        input,
        PaymentWorkflow::checkout,
        (),
        options,
    );
    match tokio::time::timeout(CHECKOUT_TIMEOUT, call).await {
        Ok(Ok(checkout)) => Ok(checkout),
        Ok(Err(e)) => {
            tracing::warn!(workflow_id = %id, error = %e, "checkout through the payment workflow failed");
            Err(ApiError::Unavailable("Temporal"))
        }
        Err(_) => {
            tracing::warn!(workflow_id = %id, "checkout did not answer in time (no worker? WeChat Pay down?)");
            Err(ApiError::Unavailable("微信支付"))
        }
    }
}

/// Starts `refund/{out_refund_no}` (an existing one is kept: same refund, same number).
pub async fn start_refund(
    state: &AppState,
    input: RefundInput,
    camp_id: Option<i64>,
) -> Result<(), ApiError> {
    let client = state.temporal.client().await?;
    let id = input.out_refund_no.workflow_id();
    let mut attributes = vec![
        ORDER_NO.value_set(input.out_trade_no.to_string()),
        REFUND_STATE.value_set("reserving".to_string()),
    ];
    if let Some(camp) = camp_id {
        attributes.push(CAMP_ID.value_set(camp));
    }
    let options = WorkflowStartOptions::new(state.temporal.task_queue().to_string(), id.clone())
        .id_conflict_policy(WorkflowIdConflictPolicy::UseExisting)
        // One refund per number, ever: a finished one is not run again.
        .id_reuse_policy(WorkflowIdReusePolicy::RejectDuplicate)
        .search_attributes(SearchAttributes::new(attributes))
        .build();
    match client
        .start_workflow(RefundWorkflow::run, input, options)
        .await
    {
        Ok(_) | Err(WorkflowStartError::AlreadyStarted { .. }) => Ok(()),
        Err(e) => {
            tracing::warn!(workflow_id = %id, error = %e, "cannot start the refund workflow");
            Err(ApiError::Unavailable("Temporal"))
        }
    }
}

// ---------------------------------------------------------------- reads

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct PaymentView {
    pub out_trade_no: String,
    /// reserved | paid | closed | anomaly
    pub state: String,
    pub amount_cents: i64,
    pub paid_cents: i64,
    pub refunded_cents: i64,
    pub expires_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub workflow_id: String,
}

const PAYMENT_VIEW: &str =
    "SELECT out_trade_no, CAST(state AS CHAR) AS state, amount_cents, paid_cents,
        refunded_cents, expires_at, paid_at, workflow_id FROM payment";

#[utoipa::path(get, path = "/api/v1/pay/orders/{out_trade_no}", tag = "pay", security(("bearer" = [])),
    params(("out_trade_no" = String, Path)),
    responses((status = 200, body = Envelope<PaymentView>), (status = 404), (status = 403)))]
pub async fn order(
    State(state): State<AppState>,
    parent: Parent,
    ApiPath(no): ApiPath<String>,
) -> Result<Reply<PaymentView>, ApiError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT user_id FROM payment WHERE out_trade_no = ?")
        .bind(&no)
        .fetch_optional(&state.pool)
        .await?;
    match row {
        None => Err(ApiError::not_found("支付订单")),
        Some((owner,)) if owner != parent.user_id => Err(ApiError::Forbidden),
        Some(_) => {
            let view: PaymentView =
                sqlx::query_as(&format!("{PAYMENT_VIEW} WHERE out_trade_no = ?"))
                    .bind(&no)
                    .fetch_one(&state.pool)
                    .await?;
            Ok(Reply::ok(view))
        }
    }
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct AnomalyView {
    pub id: i64,
    pub out_trade_no: String,
    /// mismatch | late_payment | refund_abnormal
    pub kind: String,
    pub detail: String,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnomalyQuery {
    /// include resolved ones
    #[serde(default)]
    pub all: bool,
}

#[utoipa::path(get, path = "/api/v1/admin/pay/anomalies", tag = "admin", security(("bearer" = [])),
    params(AnomalyQuery), responses((status = 200, body = Envelope<Items<AnomalyView>>)))]
pub async fn anomalies(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(q): ApiQuery<AnomalyQuery>,
) -> Result<Reply<Items<AnomalyView>>, ApiError> {
    let items = sqlx::query_as(&format!(
        "SELECT id, out_trade_no, kind, detail, created_at, resolved_at FROM payment_anomaly {} ORDER BY id DESC LIMIT 500",
        if q.all { "" } else { "WHERE resolved_at IS NULL" }
    ))
    .fetch_all(&state.pool)
    .await?;
    Ok(Reply::ok(Items { items }))
}
