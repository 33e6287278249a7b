//! Shared state of the handlers.

use crate::auth::jwt::JwtKeys;
use crate::auth::wechat_login::WechatLogin;
use crate::config::ApiConfig;
use crate::temporal::TemporalHandle;
use sqlx::MySqlPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<ApiConfig>,
    pub pool: MySqlPool,
    pub temporal: TemporalHandle,
    pub jwt: Arc<JwtKeys>,
    pub wechat_login: WechatLogin,
}
