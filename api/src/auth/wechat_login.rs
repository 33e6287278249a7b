//! `code2Session` (`GET /sns/jscode2session`): the one WeChat call the API makes itself,
//! because a parent waits for it. Errors arrive in HTTP-200 bodies as `errcode`.

use crate::error::ApiError;
use platform::WechatCredentials;
use serde::Deserialize;
use std::time::Duration;
use url::Url;

#[derive(Debug, Deserialize)]
struct Code2SessionReply {
    #[serde(default)]
    openid: Option<String>,
    #[serde(default)]
    session_key: Option<String>,
    #[serde(default)]
    unionid: Option<String>,
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

/// What login keeps; `session_key` stays on the server.
#[derive(Debug, Clone)]
pub struct WechatIdentity {
    pub openid: String,
    pub unionid: Option<String>,
    pub session_key: Option<String>,
}

#[derive(Clone)]
pub struct WechatLogin {
    http: reqwest::Client,
    base: Url,
}

impl WechatLogin {
    pub fn new(base: Url) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(2))
            .build()
            .expect("reqwest client with static settings");
        Self { http, base }
    }

    pub async fn code2session(
        &self,
        creds: &WechatCredentials,
        code: &str,
    ) -> Result<WechatIdentity, ApiError> {
        let mut url = self
            .base
            .join("/sns/jscode2session")
            .map_err(ApiError::internal)?;
        url.query_pairs_mut()
            .append_pair("appid", &creds.appid)
            .append_pair("secret", creds.secret.expose())
            .append_pair("js_code", code)
            .append_pair("grant_type", "authorization_code");
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|_| ApiError::Unavailable("微信登录"))?;
        if !response.status().is_success() {
            return Err(ApiError::Unavailable("微信登录"));
        }
        let reply: Code2SessionReply = response
            .json()
            .await
            .map_err(|_| ApiError::Unavailable("微信登录"))?;
        match (reply.errcode, reply.openid) {
            (0, Some(openid)) => Ok(WechatIdentity {
                openid,
                unionid: reply.unionid,
                session_key: reply.session_key,
            }),
            (40029, _) => Err(ApiError::invalid("code", "登录凭证无效，请重新登录")),
            (40163, _) => Err(ApiError::invalid("code", "登录凭证已使用，请重新登录")),
            (45011, _) => Err(ApiError::RateLimited {
                message: "登录太频繁，请稍后再试".into(),
                retry_after_seconds: 60,
            }),
            (-1, _) => Err(ApiError::Unavailable("微信登录")),
            (code, _) => {
                tracing::warn!(errcode = code, errmsg = %reply.errmsg, "code2Session refused");
                Err(ApiError::invalid("code", "微信登录失败，请重试"))
            }
        }
    }
}
