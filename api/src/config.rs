//! The API's configuration: what both processes share ([`CommonConfig`]) plus what only the
//! API uses — its listen address, the JWT secret and the bootstrap admin. The worker never
//! sees these secrets.

use platform::{CommonConfig, ConfigError, Env, Secret, WechatApp};
use std::net::SocketAddr;

/// Verifying WeChat Pay notices (`WECHATPAY_APIV3_KEY_FILE`, `WECHATPAY_PLATFORM_SERIAL`,
/// `WECHATPAY_PLATFORM_PUBLIC_KEY_FILE`): the API holds no merchant private key.
#[derive(Debug, Clone)]
pub struct PayNoticeConfig {
    pub apiv3_key: Secret,
    pub platform_serial: String,
    pub platform_public_key_pem: String,
    /// Notices whose `Wechatpay-Timestamp` is further than this from now are rejected.
    pub max_skew_seconds: i64,
}

/// Payment timing (`PAY_*`, `REFUND_QUERY_UNIT_MS`), passed to each workflow.
#[derive(Debug, Clone, Copy)]
pub struct PayTiming {
    pub settings: workflows::payment::PaySettings,
}

fn read_file(env: &Env<'_>, key: &str, path: Option<String>) -> Option<String> {
    let path = path?;
    std::fs::read_to_string(&path)
        .map_err(|e| env.problem(format!("{key}: cannot read {path:?} ({e})")))
        .ok()
}

impl PayNoticeConfig {
    fn read(env: &Env<'_>) -> Option<Self> {
        let key_file = env.get("WECHATPAY_APIV3_KEY_FILE")?;
        let apiv3_key =
            read_file(env, "WECHATPAY_APIV3_KEY_FILE", Some(key_file.clone())).unwrap_or_default();
        if apiv3_key.trim().len() != 32 {
            env.problem(format!(
                "WECHATPAY_APIV3_KEY_FILE: {key_file:?} must hold the 32-character APIv3 key"
            ));
        }
        let platform_serial = env.get("WECHATPAY_PLATFORM_SERIAL").unwrap_or_else(|| {
            env.problem("WECHATPAY_PLATFORM_SERIAL: required with WECHATPAY_APIV3_KEY_FILE");
            String::new()
        });
        let platform_public_key_pem = env.get("WECHATPAY_PLATFORM_PUBLIC_KEY_FILE").map_or_else(
            || {
                env.problem(
                    "WECHATPAY_PLATFORM_PUBLIC_KEY_FILE: required with WECHATPAY_APIV3_KEY_FILE",
                );
                String::new()
            },
            |path| {
                read_file(env, "WECHATPAY_PLATFORM_PUBLIC_KEY_FILE", Some(path)).unwrap_or_default()
            },
        );
        Some(Self {
            apiv3_key: Secret::new(apiv3_key.trim()),
            platform_serial,
            platform_public_key_pem,
            max_skew_seconds: env.parse("WECHATPAY_NOTICE_MAX_SKEW_SECONDS", 300, "seconds"),
        })
    }
}

impl PayTiming {
    fn read(env: &Env<'_>) -> Self {
        let d = workflows::payment::PaySettings::default();
        let deadline_seconds: u32 = env.parse(
            "PAY_DEADLINE_SECONDS",
            d.deadline_seconds,
            "seconds (60–7200)",
        );
        if !(1..=7200).contains(&deadline_seconds) {
            env.problem("PAY_DEADLINE_SECONDS: expected 1–7200 seconds");
        }
        Self {
            settings: workflows::payment::PaySettings {
                deadline_seconds,
                userpaying_retry_seconds: env.parse(
                    "PAY_USERPAYING_RETRY_SECONDS",
                    d.userpaying_retry_seconds,
                    "seconds",
                ),
                userpaying_max_asks: d.userpaying_max_asks,
                refund: workflows::refund::RefundSettings {
                    query_unit_millis: env.parse(
                        "REFUND_QUERY_UNIT_MS",
                        d.refund.query_unit_millis,
                        "milliseconds",
                    ),
                    max_queries: d.refund.max_queries,
                },
            },
        }
    }
}

pub const DEV_JWT_SECRET: &str = "dev-only-jwt-secret-change-me-in-production";

#[derive(Debug, Clone)]
pub struct ApiConfig {
    pub common: CommonConfig,
    pub api_addr: SocketAddr,
    pub jwt_secret: Secret,
    pub admin_username: String,
    pub admin_password: Secret,
    pub wechat: WechatApp,
    /// The staff console (issue 14): where its built files are, and where links to the
    /// Temporal UI and the staff-message template point.
    pub console: ConsoleConfig,
    /// The club's name and front-desk phone, shown in the parent app (`CLUB_NAME`, `CLUB_PHONE`).
    pub club_name: String,
    pub club_phone: Option<String>,
    /// Abuse limits and who may read the docs and metrics (issue 15).
    pub guard: GuardConfig,
    /// `None` when WeChat Pay notices are not configured (the notice route answers 503).
    pub pay_notice: Option<PayNoticeConfig>,
    pub pay: PayTiming,
}

/// Who may read the docs or `/metrics` on the API's own port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exposure {
    Public,
    /// an admin (staff) bearer token
    Admin,
    Off,
}

impl Exposure {
    fn parse(text: &str) -> Self {
        match text {
            "public" => Self::Public,
            "admin" => Self::Admin,
            _ => Self::Off,
        }
    }
}

/// Rate limits, the body size limit, the client address and the exposure of the docs and
/// metrics.
#[derive(Debug, Clone)]
pub struct GuardConfig {
    /// `POST /auth/login` per client address per minute (each costs a WeChat code2Session); 0 = off
    pub parent_login_per_minute: u32,
    /// `POST /admin/login` per client address per minute (each costs an argon2 hash); 0 = off
    pub admin_login_per_minute: u32,
    /// `PUT /waitlist/{id}/respond` per parent per minute; 0 = off
    pub respond_per_minute: u32,
    /// password hashes computed at once (argon2 is CPU- and memory-heavy)
    pub password_hashes_at_once: usize,
    /// largest request body accepted, bytes
    pub body_limit_bytes: usize,
    /// the header a trusted proxy puts the client's address in (e.g. X-Real-IP); unset = the
    /// peer address
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// `/docs` and `/api-docs/openapi.json` on the API port
    pub docs: Exposure,
    /// `/metrics` on the API port
    pub metrics: Exposure,
    /// a second, private listener serving only `/metrics` (for Prometheus)
    pub metrics_addr: Option<SocketAddr>,
}

impl GuardConfig {
    fn read(env: &Env<'_>, production: bool) -> Self {
        let per_minute = |key: &str, default: u32| {
            env.parse(
                key,
                default,
                "a whole number of requests per minute (0 = no limit)",
            )
        };
        let client_ip_header = env.get("API_CLIENT_IP_HEADER").and_then(|h| {
            axum::http::HeaderName::from_bytes(h.trim().as_bytes())
                .map_err(|_| env.problem("API_CLIENT_IP_HEADER: not a header name"))
                .ok()
        });
        let metrics_addr = env.get("API_METRICS_ADDR").and_then(|a| {
            a.parse()
                .map_err(|_| env.problem("API_METRICS_ADDR: expected host:port"))
                .ok()
        });
        let body_limit_bytes: usize =
            env.parse("API_BODY_LIMIT_BYTES", 64 * 1024, "a size in bytes");
        if body_limit_bytes < 1024 {
            env.problem("API_BODY_LIMIT_BYTES: at least 1024");
        }
        // Production shows neither the docs nor the metrics to anyone unless told to.
        let (docs, metrics) = if production {
            ("off", "admin")
        } else {
            ("public", "public")
        };
        Self {
            parent_login_per_minute: per_minute("RATE_LIMIT_PARENT_LOGIN_PER_MINUTE", 30),
            admin_login_per_minute: per_minute("RATE_LIMIT_ADMIN_LOGIN_PER_MINUTE", 10),
            respond_per_minute: per_minute("RATE_LIMIT_RESPOND_PER_MINUTE", 30),
            password_hashes_at_once: env
                .parse(
                    "PASSWORD_HASHES_AT_ONCE",
                    2usize,
                    "a whole number of at least 1",
                )
                .max(1),
            body_limit_bytes,
            client_ip_header,
            docs: Exposure::parse(&env.one_of("API_DOCS", &["public", "off"], docs)),
            metrics: Exposure::parse(&env.one_of(
                "API_METRICS",
                &["public", "admin", "off"],
                metrics,
            )),
            metrics_addr,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ConsoleConfig {
    /// `CONSOLE_DIR` (default `console/dist`): the Vite build served under `/console`.
    pub dir: std::path::PathBuf,
    /// `TEMPORAL_UI_URL` (default `http://127.0.0.1:8233`): workflow links in the console.
    pub temporal_ui_url: String,
    /// `WECHAT_TEMPLATE_STAFF_MESSAGE`: subscribe-message template of staff messages
    /// (fields `thing1` subject, `time2` time, `thing3` note); unset = in-app only.
    pub staff_message_template: Option<String>,
}

impl ApiConfig {
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
        let jwt_secret = match env.get("JWT_SECRET") {
            Some(s) if s.len() < 32 => {
                env.problem("JWT_SECRET: must be at least 32 characters");
                s
            }
            Some(s) => s,
            None if production => {
                env.problem("JWT_SECRET: required in production");
                String::new()
            }
            None => DEV_JWT_SECRET.to_string(),
        };
        let admin_password = match env.get("ADMIN_PASSWORD") {
            Some(p) if production && p.len() < 12 => {
                env.problem("ADMIN_PASSWORD: must be at least 12 characters in production");
                p
            }
            Some(p) => p,
            None if production => {
                env.problem("ADMIN_PASSWORD: required in production");
                String::new()
            }
            None => "admin".into(),
        };
        let config = Self {
            api_addr: env.socket("API_ADDR", "127.0.0.1:8080"),
            jwt_secret: Secret::new(jwt_secret),
            admin_username: env.or("ADMIN_USERNAME", "admin"),
            admin_password: Secret::new(admin_password),
            wechat: WechatApp::read(&env, production),
            console: ConsoleConfig {
                dir: env.or("CONSOLE_DIR", "console/dist").into(),
                temporal_ui_url: env
                    .or("TEMPORAL_UI_URL", "http://127.0.0.1:8233")
                    .trim_end_matches('/')
                    .to_string(),
                staff_message_template: env
                    .get("WECHAT_TEMPLATE_STAFF_MESSAGE")
                    .filter(|t| !t.trim().is_empty()),
            },
            club_name: env.or("CLUB_NAME", "体操馆"),
            club_phone: env.get("CLUB_PHONE"),
            guard: GuardConfig::read(&env, production),
            pay_notice: PayNoticeConfig::read(&env),
            pay: PayTiming::read(&env),
            common,
        };
        env.finish(config)
    }

    pub fn club_tz(&self) -> chrono_tz::Tz {
        self.common.club_tz
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<ApiConfig, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ApiConfig::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn development_gets_the_local_defaults() {
        let c = from(&[("APP_ENV", "development")]).unwrap();
        assert_eq!(c.api_addr.to_string(), "127.0.0.1:8080");
        assert!(!c.wechat.enabled());
        assert_eq!(c.jwt_secret.expose(), DEV_JWT_SECRET);
    }

    #[test]
    fn every_bad_value_is_reported_by_name() {
        let err = from(&[
            ("APP_ENV", "development"),
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
        for key in [
            "JWT_SECRET",
            "ADMIN_PASSWORD",
            "WECHAT_APPID",
            "DATABASE_URL",
        ] {
            assert!(err.0.iter().any(|p| p.starts_with(key)), "{key}: {err}");
        }
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let c = from(&[
            ("APP_ENV", "development"),
            ("JWT_SECRET", "a-very-long-secret-value-0123456789abcdef"),
        ])
        .unwrap();
        let dump = format!("{c:?}");
        assert!(!dump.contains("a-very-long-secret"));
        assert!(!dump.contains("mysql://root"));
    }
}
