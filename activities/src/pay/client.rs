//! A thin WeChat Pay v3 client: signed requests, verified answers, one call per method and no
//! retries of its own (the activities' retry policies are the only retries; see
//! docs/payments.md for why no existing crate is used). The base URL is a setting, so the
//! tests and `./scripts/dev` point it at the fake WeChat Pay.

use super::crypto::{CryptoError, Signer, Verifier, message, nonce};
use chrono::Utc;
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;
use url::Url;
use workflows::payment::RequestPayment;
use workflows::rules::payment::{OutRefundNo, OutTradeNo, PaidFacts, RefundStatus, TradeState};

/// The merchant's identity and keys (the worker's `WECHATPAY_*` settings).
#[derive(Debug, Clone)]
pub struct PaySettings {
    pub api_base: Url,
    pub mchid: String,
    pub appid: String,
    /// Serial number of the merchant API certificate (`serial_no` in our signatures).
    pub merchant_serial: String,
    pub merchant_key_pem: String,
    /// `Wechatpay-Serial` of the WeChat Pay public key that signs answers.
    pub platform_serial: String,
    pub platform_public_key_pem: String,
    /// Where WeChat sends payment and refund notices (our `/api/v1/pay/wechat/notify`).
    pub notify_url: Url,
    pub timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum PayError {
    #[error("WeChat Pay unreachable: {0}")]
    Transport(String),
    #[error("WeChat Pay answered HTTP {status} {code}: {message}")]
    Api {
        status: u16,
        code: String,
        message: String,
    },
    #[error("WeChat Pay's answer is not signed by the configured key ({0})")]
    BadSignature(String),
    #[error("unexpected answer: {0}")]
    Decode(String),
    #[error(transparent)]
    Key(#[from] CryptoError),
}

impl PayError {
    /// Worth another try: network, 5xx, WeChat's transient codes, an answer we could not
    /// verify or read (a proxy's error page).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Transport(_) | Self::BadSignature(_) | Self::Decode(_) => true,
            Self::Api { status, code, .. } => {
                *status >= 500
                    || *status == 429
                    || matches!(
                        code.as_str(),
                        "SYSTEM_ERROR"
                            | "SYSTEMERROR"
                            | "FREQUENCY_LIMITED"
                            | "BANK_ERROR"
                            | "NOT_ENOUGH"
                    )
            }
            Self::Key(_) => false,
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Self::Api { code, .. } => code,
            _ => "",
        }
    }
}

pub struct WechatPayClient {
    http: reqwest::Client,
    settings: PaySettings,
    signer: Signer,
    verifier: Verifier,
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    code: Option<String>,
    message: Option<String>,
}

/// A transaction as WeChat describes it (query answers and `TRANSACTION.SUCCESS` resources).
#[derive(Debug, Clone, Deserialize)]
pub struct Transaction {
    pub appid: String,
    pub mchid: String,
    pub out_trade_no: String,
    pub transaction_id: Option<String>,
    pub trade_state: TradeState,
    pub success_time: Option<String>,
    pub payer: Option<Payer>,
    pub amount: Option<Amount>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Payer {
    pub openid: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Amount {
    pub total: Option<u64>,
    pub currency: Option<String>,
}

impl Transaction {
    /// The facts of a paid transaction (`None` unless paid).
    pub fn paid_facts(&self) -> Option<PaidFacts> {
        if !matches!(self.trade_state, TradeState::Success | TradeState::Refund) {
            return None;
        }
        let amount = self.amount.as_ref();
        Some(PaidFacts {
            transaction_id: self.transaction_id.clone().unwrap_or_default(),
            appid: self.appid.clone(),
            mchid: self.mchid.clone(),
            total_cents: amount.and_then(|a| a.total).unwrap_or_default(),
            currency: amount
                .and_then(|a| a.currency.clone())
                .unwrap_or_else(|| "CNY".into()),
            payer_openid: self.payer.as_ref().and_then(|p| p.openid.clone()),
            success_time: self.success_time.clone(),
        })
    }
}

/// A refund as WeChat describes it.
#[derive(Debug, Clone, Deserialize)]
pub struct Refund {
    pub refund_id: String,
    pub out_refund_no: String,
    pub status: RefundStatus,
}

/// What the order's close came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    Closed,
    AlreadyPaid,
}

impl WechatPayClient {
    pub fn new(settings: PaySettings) -> Result<Self, PayError> {
        let signer = Signer::from_pem(&settings.merchant_key_pem)?;
        let verifier = Verifier::from_pem(&settings.platform_public_key_pem)?;
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .user_agent(concat!("gym-club-pay/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| PayError::Transport(e.to_string()))?;
        Ok(Self {
            http,
            settings,
            signer,
            verifier,
        })
    }

    pub fn settings(&self) -> &PaySettings {
        &self.settings
    }

    /// `Authorization: WECHATPAY2-SHA256-RSA2048 …` for one request.
    fn authorization(&self, method: &Method, path: &str, body: &str) -> Result<String, PayError> {
        let timestamp = Utc::now().timestamp().to_string();
        let nonce_str = nonce(32);
        let signature = self.signer.sign(&message(&[
            method.as_str(),
            path,
            &timestamp,
            &nonce_str,
            body,
        ]))?;
        Ok(format!(
            "WECHATPAY2-SHA256-RSA2048 mchid=\"{}\",nonce_str=\"{nonce_str}\",signature=\"{signature}\",timestamp=\"{timestamp}\",serial_no=\"{}\"",
            self.settings.mchid, self.settings.merchant_serial
        ))
    }

    /// Sends one signed request; a 2xx answer's signature is verified. Returns status + body.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(StatusCode, String), PayError> {
        let text = body.map(Value::to_string).unwrap_or_default();
        let url = self
            .settings
            .api_base
            .join(path.trim_start_matches('/'))
            .map_err(|e| PayError::Decode(e.to_string()))?;
        let mut req = self
            .http
            .request(method.clone(), url)
            .header("Accept", "application/json")
            .header("Authorization", self.authorization(&method, path, &text)?);
        if body.is_some() {
            req = req.header("Content-Type", "application/json").body(text);
        }
        let res = req
            .send()
            .await
            .map_err(|e| PayError::Transport(e.to_string()))?;
        let status = res.status();
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (ts, nonce_h, sig, serial) = (
            header("Wechatpay-Timestamp"),
            header("Wechatpay-Nonce"),
            header("Wechatpay-Signature"),
            header("Wechatpay-Serial"),
        );
        let answer = res
            .text()
            .await
            .map_err(|e| PayError::Transport(e.to_string()))?;
        if status.is_success() {
            let (Some(ts), Some(nonce_h), Some(sig), Some(serial)) = (ts, nonce_h, sig, serial)
            else {
                return Err(PayError::BadSignature("unsigned answer".into()));
            };
            if serial != self.settings.platform_serial {
                return Err(PayError::BadSignature(format!("unknown serial {serial}")));
            }
            if !self
                .verifier
                .verify(&message(&[&ts, &nonce_h, &answer]), &sig)
            {
                return Err(PayError::BadSignature("signature mismatch".into()));
            }
            return Ok((status, answer));
        }
        let err: ErrorBody = serde_json::from_str(&answer).unwrap_or(ErrorBody {
            code: None,
            message: None,
        });
        Err(PayError::Api {
            status: status.as_u16(),
            code: err.code.unwrap_or_default(),
            message: err
                .message
                .unwrap_or_else(|| answer.chars().take(200).collect()),
        })
    }

    fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, PayError> {
        serde_json::from_str(text).map_err(|e| PayError::Decode(e.to_string()))
    }

    /// JSAPI prepay → `prepay_id`.
    pub async fn jsapi_prepay(
        &self,
        out_trade_no: &OutTradeNo,
        description: &str,
        amount_cents: u64,
        openid: &str,
        time_expire: &str,
    ) -> Result<String, PayError> {
        let body = json!({
            "appid": self.settings.appid,
            "mchid": self.settings.mchid,
            "description": description,
            "out_trade_no": out_trade_no.as_str(),
            "time_expire": time_expire,
            "notify_url": self.settings.notify_url.as_str(),
            "amount": {"total": amount_cents, "currency": "CNY"},
            "payer": {"openid": openid},
        });
        let (_, text) = self
            .call(Method::POST, "/v3/pay/transactions/jsapi", Some(&body))
            .await?;
        #[derive(Deserialize)]
        struct Prepay {
            prepay_id: String,
        }
        Ok(Self::decode::<Prepay>(&text)?.prepay_id)
    }

    /// The signed `wx.requestPayment` parameters for a prepay id.
    pub fn request_payment(&self, prepay_id: &str) -> Result<RequestPayment, PayError> {
        let time_stamp = Utc::now().timestamp().to_string();
        let nonce_str = nonce(32);
        let package = format!("prepay_id={prepay_id}");
        let pay_sign = self.signer.sign(&message(&[
            &self.settings.appid,
            &time_stamp,
            &nonce_str,
            &package,
        ]))?;
        Ok(RequestPayment {
            time_stamp,
            nonce_str,
            package,
            sign_type: "RSA".into(),
            pay_sign,
        })
    }

    /// The order, or `None` when WeChat has none (`ORDER_NOT_EXIST`).
    pub async fn query_order(&self, no: &OutTradeNo) -> Result<Option<Transaction>, PayError> {
        let path = format!(
            "/v3/pay/transactions/out-trade-no/{}?mchid={}",
            no.as_str(),
            self.settings.mchid
        );
        match self.call(Method::GET, &path, None).await {
            Ok((_, text)) => Ok(Some(Self::decode(&text)?)),
            Err(PayError::Api { status: 404, .. }) => Ok(None),
            Err(PayError::Api { code, .. }) if code == "ORDER_NOT_EXIST" => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Closes an unpaid order: 204; `ORDERPAID` when it was paid meanwhile.
    pub async fn close_order(&self, no: &OutTradeNo) -> Result<Closed, PayError> {
        let path = format!("/v3/pay/transactions/out-trade-no/{}/close", no.as_str());
        let body = json!({"mchid": self.settings.mchid});
        match self.call(Method::POST, &path, Some(&body)).await {
            Ok(_) => Ok(Closed::Closed),
            Err(PayError::Api { code, .. }) if code == "ORDERPAID" => Ok(Closed::AlreadyPaid),
            Err(PayError::Api { code, .. }) if code == "ORDER_CLOSED" => Ok(Closed::Closed),
            Err(e) => Err(e),
        }
    }

    /// Requests a refund (the same `out_refund_no` on every retry).
    pub async fn refund(
        &self,
        out_trade_no: &OutTradeNo,
        out_refund_no: &OutRefundNo,
        refund_cents: u64,
        total_cents: u64,
        reason: &str,
    ) -> Result<Refund, PayError> {
        let body = json!({
            "out_trade_no": out_trade_no.as_str(),
            "out_refund_no": out_refund_no.as_str(),
            "reason": reason,
            "notify_url": self.settings.notify_url.as_str(),
            "amount": {"refund": refund_cents, "total": total_cents, "currency": "CNY"},
        });
        let (_, text) = self
            .call(Method::POST, "/v3/refund/domestic/refunds", Some(&body))
            .await?;
        Self::decode(&text)
    }

    pub async fn query_refund(&self, no: &OutRefundNo) -> Result<Refund, PayError> {
        let path = format!("/v3/refund/domestic/refunds/{}", no.as_str());
        let (_, text) = self.call(Method::GET, &path, None).await?;
        Self::decode(&text)
    }
}
