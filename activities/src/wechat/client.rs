//! The WeChat server API client: a cached access token refreshed ahead of expiry (one refresh
//! at a time however many callers ask), and subscribe-message sending with one forced refresh
//! on a token error. Every request carries a timeout.

use super::errors::{ErrorClass, WechatError};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use url::Url;

/// Refresh this long before WeChat's stated expiry.
const REFRESH_AHEAD: Duration = Duration::from_secs(300);

#[derive(Debug, Clone)]
pub struct WechatSettings {
    pub api_base: Url,
    pub appid: String,
    pub secret: String,
    pub timeout: Duration,
}

#[derive(Debug, Clone)]
struct CachedToken {
    value: String,
    refresh_after: Instant,
}

pub struct WechatClient {
    http: reqwest::Client,
    settings: WechatSettings,
    /// The token, behind an async mutex: holding it while refreshing makes concurrent callers
    /// wait for the one refresh instead of starting their own.
    token: Mutex<Option<CachedToken>>,
}

#[derive(Debug, Deserialize)]
struct TokenReply {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

#[derive(Debug, Deserialize)]
struct PlainReply {
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

/// One subscribe message (`/cgi-bin/message/subscribe/send`).
#[derive(Debug, Clone, PartialEq)]
pub struct SubscribeMessage {
    pub touser: String,
    pub template_id: String,
    pub page: String,
    pub data: Value,
    /// developer | trial | formal
    pub miniprogram_state: String,
    pub lang: String,
}

impl WechatClient {
    pub fn new(settings: WechatSettings) -> Arc<Self> {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(Duration::from_secs(3))
            .build()
            .expect("reqwest client with static settings");
        Arc::new(Self {
            http,
            settings,
            token: Mutex::new(None),
        })
    }

    fn url(&self, path: &str) -> Result<Url, WechatError> {
        self.settings
            .api_base
            .join(path)
            .map_err(|e| WechatError::Transport(format!("bad WECHAT_API_BASE: {e}")))
    }

    /// A valid token. `stale` names a token WeChat just refused: it is replaced (force
    /// refresh) unless another caller already did so.
    pub async fn access_token(&self, stale: Option<&str>) -> Result<String, WechatError> {
        let mut cached = self.token.lock().await;
        if let Some(t) = cached.as_ref() {
            let refused = stale == Some(t.value.as_str());
            if !refused && Instant::now() < t.refresh_after {
                return Ok(t.value.clone());
            }
        }
        let force = stale.is_some();
        let body = json!({
            "grant_type": "client_credential",
            "appid": self.settings.appid,
            "secret": self.settings.secret,
            "force_refresh": force,
        });
        let reply: TokenReply = self
            .post_json(self.url("/cgi-bin/stable_token")?, &body)
            .await?;
        match (reply.errcode, reply.access_token) {
            (0, Some(value)) => {
                let lifetime = Duration::from_secs(reply.expires_in.unwrap_or(7200));
                let refresh_after = Instant::now() + lifetime.saturating_sub(REFRESH_AHEAD);
                tracing::info!(
                    force,
                    expires_in = lifetime.as_secs(),
                    "WeChat access token refreshed"
                );
                *cached = Some(CachedToken {
                    value: value.clone(),
                    refresh_after,
                });
                Ok(value)
            }
            (errcode, _) => Err(WechatError::Api {
                errcode,
                errmsg: reply.errmsg,
            }),
        }
    }

    /// Sends a subscribe message; a token error refreshes the token once and retries.
    pub async fn send_subscribe(&self, msg: &SubscribeMessage) -> Result<(), WechatError> {
        let body = json!({
            "touser": msg.touser,
            "template_id": msg.template_id,
            "page": msg.page,
            "data": msg.data,
            "miniprogram_state": msg.miniprogram_state,
            "lang": msg.lang,
        });
        let token = self.access_token(None).await?;
        match self.send_with(&token, &body).await {
            Err(e) if e.class() == ErrorClass::Token => {
                let fresh = self.access_token(Some(&token)).await?;
                self.send_with(&fresh, &body).await
            }
            other => other,
        }
    }

    async fn send_with(&self, token: &str, body: &Value) -> Result<(), WechatError> {
        let mut url = self.url("/cgi-bin/message/subscribe/send")?;
        url.query_pairs_mut().append_pair("access_token", token);
        let reply: PlainReply = self.post_json(url, body).await?;
        if reply.errcode == 0 {
            Ok(())
        } else {
            Err(WechatError::Api {
                errcode: reply.errcode,
                errmsg: reply.errmsg,
            })
        }
    }

    async fn post_json<T: for<'de> Deserialize<'de>>(
        &self,
        url: Url,
        body: &Value,
    ) -> Result<T, WechatError> {
        // Errors are reported without their URL: the URL carries the access token, and an
        // activity's failure is shown in the Temporal UI and the worker log.
        let response = self.http.post(url).json(body).send().await.map_err(|e| {
            WechatError::Transport(if e.is_timeout() {
                "timeout".into()
            } else {
                e.without_url().to_string()
            })
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(WechatError::Transport(format!("HTTP {status}")));
        }
        response
            .json::<T>()
            .await
            .map_err(|e| WechatError::Transport(format!("unreadable reply: {}", e.without_url())))
    }
}

#[cfg(test)]
mod leak_tests {
    use super::*;

    #[tokio::test]
    async fn a_failed_send_never_shows_the_access_token() {
        let client = WechatClient::new(WechatSettings {
            // nothing listens on port 9 of loopback (discard)
            api_base: Url::parse("http://127.0.0.1:9").unwrap(),
            appid: "wx".into(),
            secret: "s".into(),
            timeout: Duration::from_secs(2),
        });
        let err = client
            .send_with("SECRET-TOKEN-123", &json!({}))
            .await
            .unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains("SECRET-TOKEN-123"), "{text}");
        assert!(matches!(err, WechatError::Transport(_)), "{text}");
    }
}
