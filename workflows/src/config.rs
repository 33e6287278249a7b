//! The service configuration (design §7): one typed struct read from the environment, with
//! defaults for local development and a clear message per bad value. Secrets are wrapped so
//! they never reach a log line.

use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use url::Url;

/// Notification types of N1 that can have a WeChat subscribe-message template.
pub const TEMPLATE_TYPES: [&str; 9] = [
    "spot_available",
    "seat_taken",
    "hold_for_you",
    "offer_expired",
    "waitlist_expired",
    "position_changed",
    "makeup_booked",
    "makeup_cancelled",
    "compensation_expiring",
];

/// A value that must not be logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

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

#[derive(Debug, Clone)]
pub struct WechatConfig {
    pub api_base: Url,
    /// `None` when `WECHAT_APPID`/`WECHAT_SECRET` are unset: WeChat sending is disabled and
    /// login accepts dev codes (never in production).
    pub credentials: Option<WechatCredentials>,
    /// Template id per notification type (`WECHAT_TEMPLATE_<TYPE>`).
    pub templates: BTreeMap<String, String>,
    /// Worker-side limit of subscribe-message sends per second over the whole WeChat task
    /// queue (`WECHAT_SEND_RATE`, default 20).
    pub send_rate_per_second: f64,
    /// `miniprogram_state` of subscribe messages: formal, trial or developer
    /// (`WECHAT_MINIPROGRAM_STATE`; default formal in production, developer otherwise).
    pub miniprogram_state: String,
}

#[derive(Debug, Clone)]
pub struct WechatCredentials {
    pub appid: String,
    pub secret: Secret,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub app_env: AppEnv,
    pub database_url: Secret,
    pub temporal_address: Url,
    pub temporal_namespace: String,
    pub task_queue: String,
    pub api_addr: SocketAddr,
    pub worker_metrics_addr: SocketAddr,
    pub jwt_secret: Secret,
    pub admin_username: String,
    pub admin_password: Secret,
    pub wechat: WechatConfig,
    pub club_tz: Tz,
    pub log_format: LogFormat,
}

/// Every bad value found, one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub Vec<String>);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "invalid configuration:")?;
        for problem in &self.0 {
            writeln!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

pub const DEV_JWT_SECRET: &str = "dev-only-jwt-secret-change-me-in-production";
pub const DEV_DATABASE_URL: &str = "mysql://root@127.0.0.1:3306/gym_waitlist";

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads any key/value source (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut problems = Vec::new();
        let get = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };

        let app_env = match get("APP_ENV").as_deref() {
            None | Some("development") | Some("dev") => AppEnv::Development,
            Some("production") | Some("prod") => AppEnv::Production,
            Some(other) => {
                problems.push(format!(
                    "APP_ENV: expected development or production, got {other:?}"
                ));
                AppEnv::Development
            }
        };
        let production = app_env == AppEnv::Production;

        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEV_DATABASE_URL.to_string());
        if !database_url.starts_with("mysql://") && !database_url.starts_with("mariadb://") {
            problems.push("DATABASE_URL: expected mysql://user:password@host:port/database".into());
        }

        let temporal_raw = get("TEMPORAL_ADDRESS").unwrap_or_else(|| "127.0.0.1:7233".into());
        let temporal_with_scheme = if temporal_raw.contains("://") {
            temporal_raw.clone()
        } else {
            format!("http://{temporal_raw}")
        };
        let temporal_address = Url::parse(&temporal_with_scheme).unwrap_or_else(|e| {
            problems.push(format!(
                "TEMPORAL_ADDRESS: {temporal_raw:?} is not host:port ({e})"
            ));
            Url::parse("http://127.0.0.1:7233").expect("static url")
        });

        let socket = |key: &str, default: &str, problems: &mut Vec<String>| {
            let raw = get(key).unwrap_or_else(|| default.to_string());
            raw.parse::<SocketAddr>().unwrap_or_else(|_| {
                problems.push(format!(
                    "{key}: expected ip:port such as {default}, got {raw:?}"
                ));
                default.parse().expect("static addr")
            })
        };
        let api_addr = socket("API_ADDR", "127.0.0.1:8080", &mut problems);
        let worker_metrics_addr = socket("WORKER_METRICS_ADDR", "127.0.0.1:9464", &mut problems);

        let jwt_secret = match get("JWT_SECRET") {
            Some(s) if s.len() < 32 => {
                problems.push("JWT_SECRET: must be at least 32 characters".into());
                s
            }
            Some(s) => s,
            None if production => {
                problems.push("JWT_SECRET: required in production".into());
                String::new()
            }
            None => DEV_JWT_SECRET.to_string(),
        };

        let admin_username = get("ADMIN_USERNAME").unwrap_or_else(|| "admin".into());
        let admin_password = match get("ADMIN_PASSWORD") {
            Some(p) if production && p.len() < 12 => {
                problems
                    .push("ADMIN_PASSWORD: must be at least 12 characters in production".into());
                p
            }
            Some(p) => p,
            None if production => {
                problems.push("ADMIN_PASSWORD: required in production".into());
                String::new()
            }
            None => "admin".into(),
        };

        let wechat_base_raw =
            get("WECHAT_API_BASE").unwrap_or_else(|| "https://api.weixin.qq.com".into());
        let wechat_api_base = Url::parse(&wechat_base_raw).unwrap_or_else(|e| {
            problems.push(format!(
                "WECHAT_API_BASE: {wechat_base_raw:?} is not a URL ({e})"
            ));
            Url::parse("https://api.weixin.qq.com").expect("static url")
        });
        let credentials = match (get("WECHAT_APPID"), get("WECHAT_SECRET")) {
            (Some(appid), Some(secret)) => Some(WechatCredentials {
                appid,
                secret: Secret::new(secret),
            }),
            (None, None) if production => {
                problems.push("WECHAT_APPID/WECHAT_SECRET: required in production".into());
                None
            }
            (None, None) => None,
            _ => {
                problems.push("WECHAT_APPID and WECHAT_SECRET: set both or neither".into());
                None
            }
        };
        let templates = TEMPLATE_TYPES
            .iter()
            .filter_map(|t| {
                get(&format!("WECHAT_TEMPLATE_{}", t.to_uppercase())).map(|id| (t.to_string(), id))
            })
            .collect();

        let send_rate_per_second = match get("WECHAT_SEND_RATE") {
            None => 20.0,
            Some(raw) => match raw.parse::<f64>() {
                Ok(r) if r > 0.0 && r <= 10_000.0 => r,
                _ => {
                    problems.push(format!(
                        "WECHAT_SEND_RATE: expected sends per second (0–10000], got {raw:?}"
                    ));
                    20.0
                }
            },
        };
        let miniprogram_state = match get("WECHAT_MINIPROGRAM_STATE") {
            None if production => "formal".to_string(),
            None => "developer".to_string(),
            Some(s) if ["formal", "trial", "developer"].contains(&s.as_str()) => s,
            Some(other) => {
                problems.push(format!(
                    "WECHAT_MINIPROGRAM_STATE: expected formal, trial or developer, got {other:?}"
                ));
                "formal".to_string()
            }
        };

        let tz_raw = get("CLUB_TZ").unwrap_or_else(|| "Asia/Shanghai".into());
        let club_tz = tz_raw.parse::<Tz>().unwrap_or_else(|_| {
            problems.push(format!(
                "CLUB_TZ: {tz_raw:?} is not an IANA time zone (e.g. Asia/Shanghai)"
            ));
            chrono_tz::Asia::Shanghai
        });

        let log_format = match get("LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                problems.push(format!(
                    "LOG_FORMAT: expected json or pretty, got {other:?}"
                ));
                LogFormat::Pretty
            }
        };

        let non_empty = |key: &str, default: &str| get(key).unwrap_or_else(|| default.to_string());
        let config = Config {
            app_env,
            database_url: Secret::new(database_url),
            temporal_address,
            temporal_namespace: non_empty("TEMPORAL_NAMESPACE", "default"),
            task_queue: non_empty("TEMPORAL_TASK_QUEUE", "waitlist"),
            api_addr,
            worker_metrics_addr,
            jwt_secret: Secret::new(jwt_secret),
            admin_username,
            admin_password: Secret::new(admin_password),
            wechat: WechatConfig {
                api_base: wechat_api_base,
                credentials,
                templates,
                send_rate_per_second,
                miniprogram_state,
            },
            club_tz,
            log_format,
        };
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError(problems))
        }
    }

    pub fn is_production(&self) -> bool {
        self.app_env == AppEnv::Production
    }

    /// WeChat sending is off (in-app centre only) without credentials.
    pub fn wechat_enabled(&self) -> bool {
        self.wechat.credentials.is_some()
    }

    /// The task queue of WeChat deliveries (rate-limited worker).
    pub fn wechat_task_queue(&self) -> String {
        wechat_task_queue(&self.task_queue)
    }
}

/// `{task_queue}-wechat`: where `notify.wechat` activities run, under the send-rate limit.
pub fn wechat_task_queue(task_queue: &str) -> String {
    format!("{task_queue}-wechat")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn an_empty_environment_gives_the_development_defaults() {
        let c = from(&[]).unwrap();
        assert_eq!(c.api_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.temporal_address.as_str(), "http://127.0.0.1:7233/");
        assert_eq!(c.task_queue, "waitlist");
        assert_eq!(c.club_tz, chrono_tz::Asia::Shanghai);
        assert!(!c.wechat_enabled());
    }

    #[test]
    fn every_bad_value_is_reported_by_name() {
        let err = from(&[
            ("API_ADDR", "nope"),
            ("CLUB_TZ", "Mars/Base"),
            ("JWT_SECRET", "short"),
            ("WECHAT_APPID", "wx1"),
        ])
        .unwrap_err();
        let text = err.to_string();
        for key in [
            "API_ADDR",
            "CLUB_TZ",
            "JWT_SECRET",
            "WECHAT_APPID and WECHAT_SECRET",
        ] {
            assert!(text.contains(key), "{key} missing in {text}");
        }
        assert_eq!(err.0.len(), 4);
    }

    #[test]
    fn production_requires_real_secrets() {
        let err = from(&[("APP_ENV", "production")]).unwrap_err();
        assert!(err.0.iter().any(|p| p.starts_with("JWT_SECRET")));
        assert!(err.0.iter().any(|p| p.starts_with("ADMIN_PASSWORD")));
        assert!(err.0.iter().any(|p| p.starts_with("WECHAT_APPID")));
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let c = from(&[("JWT_SECRET", "a-very-long-secret-value-0123456789abcdef")]).unwrap();
        let dump = format!("{c:?}");
        assert!(!dump.contains("a-very-long-secret"));
        assert!(!dump.contains("mysql://root"));
    }

    #[test]
    fn templates_are_read_per_notification_type() {
        let c = from(&[("WECHAT_TEMPLATE_SPOT_AVAILABLE", "tmpl-1")]).unwrap();
        assert_eq!(
            c.wechat.templates.get("spot_available").map(String::as_str),
            Some("tmpl-1")
        );
    }
}
