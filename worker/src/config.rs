//! The worker's configuration: what both processes share ([`CommonConfig`]) plus what only the
//! worker uses — its metrics address and the WeChat sending settings. It needs none of the
//! API's secrets (JWT, admin password).

use platform::{CommonConfig, ConfigError, Env, WechatApp};
use std::net::SocketAddr;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub common: CommonConfig,
    pub metrics_addr: SocketAddr,
    pub wechat: WechatApp,
    /// Subscribe-message sends per second over the whole WeChat task queue
    /// (`WECHAT_SEND_RATE`, default 20).
    pub send_rate_per_second: f64,
    /// `miniprogram_state` of subscribe messages: formal, trial or developer
    /// (`WECHAT_MINIPROGRAM_STATE`; default formal in production, developer otherwise).
    pub miniprogram_state: String,
    /// Pause between cycles of the retention job (`RETENTION_INTERVAL_SECONDS`, default one
    /// hour; 0 = the worker does not start it). The age kept is a console setting.
    pub retention_interval_seconds: u64,
}

impl WorkerConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::read(Env::process())
    }

    /// Reads any key/value source (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Self::read(Env::new(get))
    }

    fn read(env: Env<'_>) -> Result<Self, ConfigError> {
        let common = CommonConfig::read(&env);
        let production = common.is_production();
        let send_rate_per_second =
            env.parse("WECHAT_SEND_RATE", 20.0_f64, "sends per second (0–10000]");
        if !(send_rate_per_second > 0.0 && send_rate_per_second <= 10_000.0) {
            env.problem(format!(
                "WECHAT_SEND_RATE: expected sends per second (0–10000], got {send_rate_per_second}"
            ));
        }
        let state_default = if production { "formal" } else { "developer" };
        let config = Self {
            metrics_addr: env.socket("WORKER_METRICS_ADDR", "127.0.0.1:9464"),
            wechat: WechatApp::read(&env, production),
            send_rate_per_second,
            miniprogram_state: env.one_of(
                "WECHAT_MINIPROGRAM_STATE",
                &["formal", "trial", "developer"],
                state_default,
            ),
            retention_interval_seconds: env.parse(
                "RETENTION_INTERVAL_SECONDS",
                3600_u64,
                "seconds between retention cycles (0 = off)",
            ),
            common,
        };
        env.finish(config)
    }

    pub fn task_queue(&self) -> &str {
        &self.common.temporal.task_queue
    }

    /// The task queue of WeChat deliveries (rate-limited worker).
    pub fn wechat_task_queue(&self) -> String {
        workflows::delivery::wechat_task_queue(self.task_queue())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<WorkerConfig, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        WorkerConfig::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn the_worker_starts_in_production_without_the_apis_secrets() {
        let c = from(&[
            ("APP_ENV", "production"),
            ("DATABASE_URL", "mysql://app:pw@db:3306/gym"),
            ("WECHAT_APPID", "wx123"),
            ("WECHAT_SECRET", "s3cret"),
        ])
        .expect("no JWT_SECRET or ADMIN_PASSWORD needed");
        assert_eq!(c.miniprogram_state, "formal");
        assert!(c.wechat.enabled());
    }

    #[test]
    fn bad_sending_settings_are_named() {
        let err = from(&[
            ("APP_ENV", "development"),
            ("WECHAT_SEND_RATE", "0"),
            ("WECHAT_MINIPROGRAM_STATE", "live"),
        ])
        .unwrap_err();
        assert!(err.0.iter().any(|p| p.starts_with("WECHAT_SEND_RATE")));
        assert!(
            err.0
                .iter()
                .any(|p| p.starts_with("WECHAT_MINIPROGRAM_STATE"))
        );
    }
}
