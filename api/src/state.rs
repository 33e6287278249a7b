//! Shared state of the handlers.

use crate::auth::jwt::JwtKeys;
use crate::auth::wechat_login::WechatLogin;
use crate::config::ApiConfig;
use crate::error::ApiError;
use crate::temporal::TemporalHandle;
use sqlx::MySqlPool;
use std::sync::Arc;
use workflows::ids::WorkflowIds;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<ApiConfig>,
    pub pool: MySqlPool,
    pub temporal: TemporalHandle,
    pub jwt: Arc<JwtKeys>,
    pub wechat_login: WechatLogin,
    /// This database's workflow ids, read once from `service_instance`.
    pub ids: Arc<tokio::sync::OnceCell<WorkflowIds>>,
    /// Rate limits and the password-hash bound (issue 15).
    pub limits: Arc<crate::limits::Limits>,
    /// A few Updates in flight per workflow at once (Temporal's own per-run limit).
    pub updates: Arc<crate::update_gate::UpdateGate>,
}

impl AppState {
    /// The workflow ids of this database; 503 while the database cannot say.
    pub async fn ids(&self) -> Result<WorkflowIds, ApiError> {
        self.ids
            .get_or_try_init(|| async {
                platform::database::workflow_ids(&self.pool)
                    .await
                    .map_err(|e| {
                        tracing::warn!(error = %e, "cannot read the database's instance id");
                        ApiError::Unavailable("数据库")
                    })
            })
            .await
            .cloned()
    }
}
