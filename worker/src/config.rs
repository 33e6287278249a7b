//! The worker's configuration: what both processes share ([`CommonConfig`]) plus what only the
//! worker uses — its metrics address and the WeChat sending settings, including the layout of
//! each subscribe-message template. It needs none of the API's secrets (JWT, admin password).

use activities::wechat::layout::Layout;
use platform::{CommonConfig, ConfigError, Env, Secret, WechatApp};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use url::Url;
use workflows::notice::NoticeType;

/// WeChat Pay, merchant side (`WECHATPAY_*`): the merchant private key lives here only.
#[derive(Debug, Clone)]
pub struct WechatPayConfig {
    pub api_base: Url,
    pub mchid: String,
    pub appid: String,
    pub merchant_serial: String,
    pub merchant_key_pem: Secret,
    pub platform_serial: String,
    pub platform_public_key_pem: String,
    pub notify_url: Url,
}

/// The community platform's check-in API (`COMMUNITY_*`).
#[derive(Debug, Clone)]
pub struct CommunityConfig {
    pub api_base: Url,
    pub access_token: Secret,
}

/// The repository's test keys (tests/fixtures/wechatpay) carry this in their file names.
const TEST_ONLY_MARK: &str = "TEST_ONLY";

/// In production a key file must not be one of the repository's test keys.
fn not_a_test_key(
    env: &Env<'_>,
    production: bool,
    key: &str,
    path: Option<String>,
) -> Option<String> {
    let path = path?;
    if production && path.contains(TEST_ONLY_MARK) {
        env.problem(format!(
            "{key}: {path:?} is a test key of the repository; production needs the merchant's own"
        ));
        return None;
    }
    Some(path)
}

fn read_file(env: &Env<'_>, key: &str, path: Option<String>) -> Option<String> {
    let path = path?;
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            env.problem(format!("{key}: cannot read {path:?} ({e})"));
            None
        }
    }
}

impl WechatPayConfig {
    /// `None` when `WECHATPAY_MCHID` is unset (payments then fail for good, loudly); with
    /// it, every other value is required.
    fn read(env: &Env<'_>, wechat: &WechatApp, production: bool) -> Option<Self> {
        let mchid = env.get("WECHATPAY_MCHID")?;
        let need = |key: &str, value: Option<String>| {
            value.or_else(|| {
                env.problem(format!("{key}: required with WECHATPAY_MCHID"));
                None
            })
        };
        let appid = env
            .get("WECHATPAY_APPID")
            .or_else(|| wechat.credentials.as_ref().map(|c| c.appid.clone()))
            .or_else(|| need("WECHATPAY_APPID", None));
        let merchant_serial = need(
            "WECHATPAY_MERCHANT_SERIAL",
            env.get("WECHATPAY_MERCHANT_SERIAL"),
        );
        let platform_serial = need(
            "WECHATPAY_PLATFORM_SERIAL",
            env.get("WECHATPAY_PLATFORM_SERIAL"),
        );
        let notify_url =
            need("WECHATPAY_NOTIFY_URL", env.get("WECHATPAY_NOTIFY_URL")).and_then(|u| {
                Url::parse(&u)
                    .map_err(|e| {
                        env.problem(format!("WECHATPAY_NOTIFY_URL: {u:?} is not a URL ({e})"))
                    })
                    .ok()
            });
        let key_path = need(
            "WECHATPAY_MERCHANT_KEY_FILE",
            env.get("WECHATPAY_MERCHANT_KEY_FILE"),
        );
        let key_path = not_a_test_key(env, production, "WECHATPAY_MERCHANT_KEY_FILE", key_path);
        let key = read_file(env, "WECHATPAY_MERCHANT_KEY_FILE", key_path);
        let platform_path = need(
            "WECHATPAY_PLATFORM_PUBLIC_KEY_FILE",
            env.get("WECHATPAY_PLATFORM_PUBLIC_KEY_FILE"),
        );
        let platform_path = not_a_test_key(
            env,
            production,
            "WECHATPAY_PLATFORM_PUBLIC_KEY_FILE",
            platform_path,
        );
        let platform = read_file(env, "WECHATPAY_PLATFORM_PUBLIC_KEY_FILE", platform_path);
        let api_base = env.url("WECHATPAY_API_BASE", "https://api.mch.weixin.qq.com/");
        Some(Self {
            api_base,
            mchid,
            appid: appid?,
            merchant_serial: merchant_serial?,
            merchant_key_pem: Secret::new(key?),
            platform_serial: platform_serial?,
            platform_public_key_pem: platform?,
            notify_url: notify_url?,
        })
    }
}

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
    /// How often the maintenance workflow gives back seats of dead offers and tells parents
    /// who moved up (`MAINTENANCE_INTERVAL_SECONDS`, default 60).
    pub maintenance_interval_seconds: u32,
    /// An open offer younger than this is not checked for a dead run
    /// (`MAINTENANCE_REAP_AFTER_SECONDS`, default 30).
    pub maintenance_reap_after_seconds: u32,
    /// Template id and keyword layout per notification type (`WECHAT_TEMPLATE_<TYPE>` and
    /// `WECHAT_TEMPLATE_<TYPE>_FIELDS`); a type without one is in-app only.
    pub wechat_layouts: BTreeMap<NoticeType, Layout>,
    /// WeChat Pay (`WECHATPAY_*`); `None` when not configured.
    pub wechat_pay: Option<WechatPayConfig>,
    /// The community platform (`COMMUNITY_API_BASE`, `COMMUNITY_ACCESS_TOKEN`); `None` when
    /// no token is set (check-ins then come by CSV import only).
    pub community: Option<CommunityConfig>,
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
        let wechat = WechatApp::read(&env, production);
        let community = env
            .get("COMMUNITY_ACCESS_TOKEN")
            .map(|token| CommunityConfig {
                api_base: env.url("COMMUNITY_API_BASE", "https://api.zsxq.com/"),
                access_token: Secret::new(token),
            });
        let config = Self {
            metrics_addr: env.socket("WORKER_METRICS_ADDR", "127.0.0.1:9464"),
            wechat_layouts: template_layouts(&env, &wechat.template_ids),
            wechat_pay: WechatPayConfig::read(&env, &wechat, production),
            community,
            wechat,
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
            maintenance_interval_seconds: env.parse(
                "MAINTENANCE_INTERVAL_SECONDS",
                60,
                "seconds between housekeeping rounds (1–86400)",
            ),
            maintenance_reap_after_seconds: env.parse(
                "MAINTENANCE_REAP_AFTER_SECONDS",
                30,
                "seconds (1–86400)",
            ),
            common,
        };
        if !(1..=86_400).contains(&config.maintenance_interval_seconds) {
            env.problem("MAINTENANCE_INTERVAL_SECONDS: expected 1–86400");
        }
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

/// The layout variable of a notification type, e.g. `WECHAT_TEMPLATE_SPOT_AVAILABLE_FIELDS`.
pub fn fields_variable(kind: NoticeType) -> String {
    format!("WECHAT_TEMPLATE_{}_FIELDS", kind.env_suffix())
}

/// Every type's layout. A layout is checked whenever it is set; it is required whenever the
/// type's template id is set (without one the type stays in-app only).
fn template_layouts(
    env: &Env<'_>,
    template_ids: &BTreeMap<NoticeType, String>,
) -> BTreeMap<NoticeType, Layout> {
    let mut layouts = BTreeMap::new();
    for kind in NoticeType::ALL {
        let variable = fields_variable(kind);
        let id = template_ids.get(&kind);
        match (env.get(&variable), id) {
            (Some(spec), id) => match Layout::parse(kind, id.map_or("", String::as_str), &spec) {
                Ok(layout) if id.is_some() => {
                    layouts.insert(kind, layout);
                }
                Ok(_) => {}
                Err(e) => env.problem(format!("{variable}: {e}")),
            },
            (None, Some(_)) => env.problem(format!(
                "{variable}: required because WECHAT_TEMPLATE_{} is set: the template's keywords \
                 and the fact each shows, e.g. thing1=course,time2=class_time,thing3=note \
                 (docs/wechat-templates.md)",
                kind.env_suffix()
            )),
            (None, None) => {}
        }
    }
    layouts
}

#[cfg(test)]
mod tests {
    use super::*;

    mod keys {
        include!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/wechatpay/keys.rs"
        ));
    }
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
    fn wechat_pay_needs_every_merchant_setting_once_a_merchant_id_is_set() {
        let err = from(&[
            ("APP_ENV", "development"),
            ("WECHATPAY_MCHID", "1900000109"),
        ])
        .unwrap_err();
        for key in [
            "WECHATPAY_APPID",
            "WECHATPAY_MERCHANT_SERIAL",
            "WECHATPAY_PLATFORM_SERIAL",
            "WECHATPAY_NOTIFY_URL",
            "WECHATPAY_MERCHANT_KEY_FILE",
            "WECHATPAY_PLATFORM_PUBLIC_KEY_FILE",
        ] {
            assert!(err.0.iter().any(|p| p.starts_with(key)), "{key}: {err}");
        }
        let c = with_test_pay(&[("APP_ENV", "development")]).unwrap();
        let pay = c.wechat_pay.expect("configured");
        assert!(
            !format!("{pay:?}").contains("PRIVATE KEY"),
            "the key is redacted"
        );
        assert_eq!(pay.api_base.as_str(), "https://api.mch.weixin.qq.com/");
        assert!(
            from(&[("APP_ENV", "development")])
                .unwrap()
                .wechat_pay
                .is_none()
        );
    }

    /// `base` and a complete WeChat Pay configuration with the repository's TEST-ONLY keys.
    fn with_test_pay(base: &[(&str, &str)]) -> Result<WorkerConfig, ConfigError> {
        let fixtures = keys::dir(env!("CARGO_MANIFEST_DIR")).display().to_string();
        let key = format!("{fixtures}/TEST_ONLY_merchant_private_key.pem");
        let public = format!("{fixtures}/TEST_ONLY_platform_public_key.pem");
        let mut pairs = base.to_vec();
        pairs.extend([
            ("WECHATPAY_MCHID", "1900000109"),
            ("WECHATPAY_APPID", "wxTESTONLYAPPID01"),
            ("WECHATPAY_MERCHANT_SERIAL", "S1"),
            ("WECHATPAY_PLATFORM_SERIAL", "P1"),
            (
                "WECHATPAY_NOTIFY_URL",
                "https://club.example/api/v1/pay/wechat/notify",
            ),
            ("WECHATPAY_MERCHANT_KEY_FILE", key.as_str()),
            ("WECHATPAY_PLATFORM_PUBLIC_KEY_FILE", public.as_str()),
        ]);
        from(&pairs)
    }

    #[test]
    fn production_refuses_the_repositorys_test_keys() {
        let err = with_test_pay(&[
            ("APP_ENV", "production"),
            ("DATABASE_URL", "mysql://u:p@db/app"),
        ])
        .unwrap_err();
        for name in [
            "WECHATPAY_MERCHANT_KEY_FILE",
            "WECHATPAY_PLATFORM_PUBLIC_KEY_FILE",
        ] {
            assert!(
                err.0
                    .iter()
                    .any(|p| p.starts_with(name) && p.contains("test key")),
                "{name}: {err}"
            );
        }
    }

    #[test]
    fn each_template_id_comes_with_its_layout() {
        let c = from(&[
            ("APP_ENV", "development"),
            ("WECHAT_TEMPLATE_SPOT_AVAILABLE", "tmpl-spot"),
            (
                "WECHAT_TEMPLATE_SPOT_AVAILABLE_FIELDS",
                "thing1=course,time2=class_time,time3=deadline,thing4=note",
            ),
            // A layout waiting for its template id: checked, not used.
            ("WECHAT_TEMPLATE_SEAT_TAKEN_FIELDS", "thing1=course"),
        ])
        .unwrap();
        assert_eq!(c.wechat_layouts.len(), 1);
        let spot = &c.wechat_layouts[&NoticeType::SpotAvailable];
        assert_eq!(spot.template_id, "tmpl-spot");
        assert_eq!(spot.fields.len(), 4);
    }

    #[test]
    fn a_bad_or_missing_layout_stops_the_start_naming_its_variable() {
        let err = from(&[
            ("APP_ENV", "development"),
            ("WECHAT_TEMPLATE_SPOT_AVAILABLE", "tmpl-spot"),
            ("WECHAT_TEMPLATE_SEAT_TAKEN", "tmpl-taken"),
            (
                "WECHAT_TEMPLATE_SEAT_TAKEN_FIELDS",
                "thing1=course,keyword2=note",
            ),
            ("WECHAT_TEMPLATE_HOLD_FOR_YOU_FIELDS", "thing1=colour"),
            ("WECHAT_TEMPLATE_COMPENSATION_EXPIRING", "tmpl-credit"),
            (
                "WECHAT_TEMPLATE_COMPENSATION_EXPIRING_FIELDS",
                "character_string1=deadline",
            ),
            ("WECHAT_TEMPLATE_OFFER_EXPIRED", "tmpl-expired"),
            ("WECHAT_TEMPLATE_OFFER_EXPIRED_FIELDS", "time3=deadline"),
        ])
        .unwrap_err();
        let problem = |var: &str| {
            err.0
                .iter()
                .find(|p| p.starts_with(&format!("{var}:")))
                .unwrap_or_else(|| panic!("no problem for {var}: {err}"))
                .clone()
        };
        assert!(problem("WECHAT_TEMPLATE_SPOT_AVAILABLE_FIELDS").contains("required"));
        assert!(problem("WECHAT_TEMPLATE_SEAT_TAKEN_FIELDS").contains("unknown type \"keyword\""));
        assert!(problem("WECHAT_TEMPLATE_HOLD_FOR_YOU_FIELDS").contains("unknown fact \"colour\""));
        assert!(
            problem("WECHAT_TEMPLATE_COMPENSATION_EXPIRING_FIELDS")
                .contains("deadline cannot be a character_string value")
        );
        assert!(
            problem("WECHAT_TEMPLATE_OFFER_EXPIRED_FIELDS")
                .contains("offer_expired notifications have no deadline")
        );
        assert_eq!(err.0.len(), 5, "{err}");
    }

    /// The worked examples a club copies: every `*_FIELDS` line of `.env.example` is a layout
    /// the worker accepts, one per notification type, the same as `docs/wechat-templates.md`.
    #[test]
    fn the_example_layouts_of_env_example_are_accepted() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../.env.example");
        let text = std::fs::read_to_string(path).unwrap();
        let docs_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/wechat-templates.md");
        let docs = std::fs::read_to_string(docs_path).unwrap();
        let mut pairs: Vec<(String, String)> = vec![("APP_ENV".into(), "development".into())];
        for kind in NoticeType::ALL {
            let variable = fields_variable(kind);
            let line = text
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{variable}=")))
                .unwrap_or_else(|| panic!(".env.example has no {variable}= line"));
            assert!(
                docs.contains(&format!("{variable}={line}")),
                "docs/wechat-templates.md shows {variable}={line}"
            );
            pairs.push((variable, line.to_string()));
            pairs.push((
                format!("WECHAT_TEMPLATE_{}", kind.env_suffix()),
                format!("tmpl-{}", kind.code()),
            ));
        }
        let map: HashMap<String, String> = pairs.into_iter().collect();
        let c = WorkerConfig::from_lookup(|k| map.get(k).cloned()).unwrap();
        assert_eq!(c.wechat_layouts.len(), NoticeType::ALL.len());
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
