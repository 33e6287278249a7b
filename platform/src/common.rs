//! What both processes read: where they run (`APP_ENV`), the database, Temporal, the club's
//! time zone, the log format, and the WeChat mini-program identity.

use crate::env::{Env, Secret};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use url::Url;
use workflows::notice::NoticeType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

pub const DEV_DATABASE_URL: &str = "mysql://root@127.0.0.1:3306/gym_waitlist";

#[derive(Debug, Clone)]
pub struct TemporalConfig {
    pub address: Url,
    pub namespace: String,
    /// Task queue the worker polls and the API starts workflows on.
    pub task_queue: String,
}

#[derive(Debug, Clone)]
pub struct CommonConfig {
    pub app_env: AppEnv,
    pub database_url: Secret,
    pub temporal: TemporalConfig,
    pub club_tz: Tz,
    pub log_format: LogFormat,
}

impl CommonConfig {
    pub fn read(env: &Env<'_>) -> Self {
        let app_env = match env.get("APP_ENV").as_deref() {
            Some("development") | Some("dev") => AppEnv::Development,
            Some("production") | Some("prod") => AppEnv::Production,
            None => {
                env.problem(
                    "APP_ENV: required: production, or development for a local run (./scripts/dev sets it)",
                );
                AppEnv::Production
            }
            Some(other) => {
                env.problem(format!(
                    "APP_ENV: expected development or production, got {other:?}"
                ));
                AppEnv::Production
            }
        };
        let database_url = env.or("DATABASE_URL", DEV_DATABASE_URL);
        if !database_url.starts_with("mysql://") && !database_url.starts_with("mariadb://") {
            env.problem("DATABASE_URL: expected mysql://user:password@host:port/database");
        }
        if app_env == AppEnv::Production && env.get("DATABASE_URL").is_none() {
            env.problem("DATABASE_URL: required in production");
        }
        let tz_raw = env.or("CLUB_TZ", "Asia/Shanghai");
        let club_tz = tz_raw.parse::<Tz>().unwrap_or_else(|_| {
            env.problem(format!(
                "CLUB_TZ: {tz_raw:?} is not an IANA time zone (e.g. Asia/Shanghai)"
            ));
            chrono_tz::Asia::Shanghai
        });
        let log_format = match env
            .one_of("LOG_FORMAT", &["pretty", "json"], "pretty")
            .as_str()
        {
            "json" => LogFormat::Json,
            _ => LogFormat::Pretty,
        };
        Self {
            app_env,
            database_url: Secret::new(database_url),
            temporal: TemporalConfig::read(env),
            club_tz,
            log_format,
        }
    }

    pub fn is_production(&self) -> bool {
        self.app_env == AppEnv::Production
    }
}

impl TemporalConfig {
    fn read(env: &Env<'_>) -> Self {
        let raw = env.or("TEMPORAL_ADDRESS", "127.0.0.1:7233");
        let with_scheme = if raw.contains("://") {
            raw.clone()
        } else {
            format!("http://{raw}")
        };
        let address = Url::parse(&with_scheme).unwrap_or_else(|e| {
            env.problem(format!("TEMPORAL_ADDRESS: {raw:?} is not host:port ({e})"));
            Url::parse("http://127.0.0.1:7233").expect("static url")
        });
        Self {
            address,
            namespace: env.or("TEMPORAL_NAMESPACE", "default"),
            task_queue: env.or("TEMPORAL_TASK_QUEUE", "waitlist"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct WechatCredentials {
    pub appid: String,
    pub secret: Secret,
}

/// The mini-program's WeChat identity: the API logs parents in with it (`code2Session`), the
/// worker sends subscribe messages with it.
#[derive(Debug, Clone)]
pub struct WechatApp {
    pub api_base: Url,
    /// `None` when `WECHAT_APPID`/`WECHAT_SECRET` are unset: WeChat is off (in-app centre only,
    /// dev login codes); refused in production.
    pub credentials: Option<WechatCredentials>,
    /// Template id per notification type (`WECHAT_TEMPLATE_<TYPE>`).
    pub template_ids: BTreeMap<NoticeType, String>,
}

impl WechatApp {
    pub fn read(env: &Env<'_>, production: bool) -> Self {
        let credentials = match (env.get("WECHAT_APPID"), env.get("WECHAT_SECRET")) {
            (Some(appid), Some(secret)) => Some(WechatCredentials {
                appid,
                secret: Secret::new(secret),
            }),
            (None, None) if production => {
                env.problem("WECHAT_APPID/WECHAT_SECRET: required in production");
                None
            }
            (None, None) => None,
            _ => {
                env.problem("WECHAT_APPID and WECHAT_SECRET: set both or neither");
                None
            }
        };
        let template_ids = NoticeType::ALL
            .into_iter()
            .filter_map(|t| {
                env.get(&format!("WECHAT_TEMPLATE_{}", t.env_suffix()))
                    .map(|id| (t, id))
            })
            .collect();
        Self {
            api_base: env.url("WECHAT_API_BASE", "https://api.weixin.qq.com"),
            credentials,
            template_ids,
        }
    }

    pub fn enabled(&self) -> bool {
        self.credentials.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn development_gets_local_defaults() {
        let map = env(&[("APP_ENV", "development")]);
        let e = Env::new(|k| map.get(k).cloned());
        let c = CommonConfig::read(&e);
        e.finish(()).unwrap();
        assert_eq!(c.temporal.address.as_str(), "http://127.0.0.1:7233/");
        assert_eq!(c.temporal.task_queue, "waitlist");
        assert_eq!(c.club_tz, chrono_tz::Asia::Shanghai);
        assert_eq!(c.database_url.expose(), DEV_DATABASE_URL);
    }

    #[test]
    fn app_env_is_required_so_nothing_runs_in_development_mode_by_accident() {
        let e = Env::new(|_| None);
        CommonConfig::read(&e);
        let err = e.finish(()).unwrap_err();
        assert!(err.0.iter().any(|p| p.starts_with("APP_ENV: required")));
    }

    #[test]
    fn templates_are_read_per_notification_type() {
        let map = env(&[("WECHAT_TEMPLATE_SPOT_AVAILABLE", "tmpl-1")]);
        let e = Env::new(|k| map.get(k).cloned());
        let w = WechatApp::read(&e, false);
        assert_eq!(
            w.template_ids
                .get(&NoticeType::SpotAvailable)
                .map(String::as_str),
            Some("tmpl-1")
        );
        assert!(!w.enabled());
    }
}
