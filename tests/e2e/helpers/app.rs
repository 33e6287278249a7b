//! `spawn_app()`: API on port 0 + in-process worker on a unique task queue + fresh database +
//! the strict WeChat double, and typed helpers for the routes.

use super::wechat_double::{WechatDouble, openid_for_code};
use super::{db, temporal_server};
use api::config::ApiConfig;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::MySqlPool;
use std::collections::HashMap;
use std::sync::Once;
use temporalio_client::Client;
use tokio::sync::oneshot;
use worker::config::WorkerConfig;

pub struct TestApp {
    pub address: String,
    pub http: reqwest::Client,
    /// The test's own database.
    pub pool: MySqlPool,
    /// WeChat's servers (a wiremock server underneath: a test may mount its own mocks, which
    /// take precedence).
    pub wechat: WechatDouble,
    pub temporal: Client,
    pub config: ApiConfig,
    pub worker_config: WorkerConfig,
    admin_token: tokio::sync::OnceCell<String>,
    _api_stop: oneshot::Sender<()>,
    _worker_stop: Option<oneshot::Sender<()>>,
}

/// A signed-in parent.
#[derive(Debug, Clone)]
pub struct Parent {
    pub token: String,
    #[allow(dead_code)]
    pub user_id: i64,
    /// The login code (with WeChat configured, the double answers `openid-<code>`).
    pub code: String,
}

impl Parent {
    /// The parent's openid when they logged in through WeChat.
    #[allow(dead_code)]
    pub fn openid(&self) -> String {
        openid_for_code(&self.code)
    }
}

/// A parent waiting in a queue, with their entry.
#[derive(Debug, Clone)]
pub struct Waiter {
    pub parent: Parent,
    pub entry: i64,
}

/// How a test session is laid out.
#[derive(Debug, Clone)]
pub struct SessionSpec {
    pub course_type: &'static str,
    pub capacity: u32,
    pub duration_minutes: u32,
    pub level: u8,
    /// class start, from now
    pub starts_in: Duration,
}

impl Default for SessionSpec {
    fn default() -> Self {
        Self {
            course_type: "group",
            capacity: 2,
            duration_minutes: 90,
            level: 2,
            starts_in: Duration::days(3),
        }
    }
}

fn init_logs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var("TEST_LOG").is_ok() {
            platform::telemetry::init_telemetry(platform::LogFormat::Pretty, "info,sqlx=warn");
        }
    });
}

fn unique_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_string()
}

/// `spawn_app_with` key (not a configuration variable): comma-separated activity types whose
/// first attempt fails right after it ran, as if the worker died before reporting.
pub const LOSE_FIRST_ATTEMPT: &str = "TEST_LOSE_FIRST_ATTEMPT";

pub async fn spawn_app() -> TestApp {
    spawn_app_with(HashMap::new(), true).await
}

/// `overrides` replace configuration values (e.g. a `DATABASE_URL` through a proxy);
/// `with_worker = false` runs the API alone.
pub async fn spawn_app_with(
    overrides: HashMap<&'static str, String>,
    with_worker: bool,
) -> TestApp {
    init_logs();
    let id = unique_id();
    let temporal_address = temporal_server::address().to_string();
    let database_url = db::fresh_database(&id).await;
    let credential = |key: &str, default: &str| {
        overrides
            .get(key)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    };
    let wechat = WechatDouble::start(
        &credential("WECHAT_APPID", "wx-e2e"),
        &credential("WECHAT_SECRET", "wx-e2e-secret"),
    )
    .await;
    let via = overrides.get("DATABASE_VIA").cloned();
    // Test hook, not configuration: activity types whose first attempt is lost after it ran.
    let lose_first: Vec<String> = overrides
        .get(LOSE_FIRST_ATTEMPT)
        .map(|v| v.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let api_database_url = match via {
        // Reach the same database through another host:port (a proxy the test controls).
        Some(host_port) => {
            let mut u = url::Url::parse(&database_url).expect("database url");
            let (host, port) = host_port.split_once(':').expect("host:port");
            u.set_host(Some(host)).expect("host");
            u.set_port(Some(port.parse().expect("port"))).expect("port");
            u.to_string()
        }
        None => database_url.clone(),
    };
    let mut env: HashMap<&'static str, String> = HashMap::from([
        ("APP_ENV", "development".into()),
        ("DATABASE_URL", api_database_url),
        ("TEMPORAL_ADDRESS", temporal_address),
        ("TEMPORAL_TASK_QUEUE", format!("e2e-{id}")),
        ("TEMPORAL_NAMESPACE", temporal_server::next_namespace()),
        ("API_ADDR", "127.0.0.1:0".into()),
        ("JWT_SECRET", "e2e-secret-0123456789abcdef0123456789".into()),
        ("ADMIN_USERNAME", "admin".into()),
        ("ADMIN_PASSWORD", "admin-password".into()),
        ("WECHAT_API_BASE", wechat.uri()),
        ("CLUB_TZ", "Asia/Shanghai".into()),
        // Housekeeping every second, so tests see dead offers reaped and moves told quickly.
        ("MAINTENANCE_INTERVAL_SECONDS", "1".into()),
        ("MAINTENANCE_REAP_AFTER_SECONDS", "2".into()),
        // Tests log in hundreds of parents from one address: no limits unless a test sets them.
        ("RATE_LIMIT_PARENT_LOGIN_PER_MINUTE", "0".into()),
        ("RATE_LIMIT_ADMIN_LOGIN_PER_MINUTE", "0".into()),
        ("RATE_LIMIT_RESPOND_PER_MINUTE", "0".into()),
    ]);
    env.extend(
        overrides
            .into_iter()
            .filter(|(k, _)| *k != "DATABASE_VIA" && *k != LOSE_FIRST_ATTEMPT),
    );
    let config =
        ApiConfig::from_lookup(|k| env.get(k).cloned()).expect("test API configuration is valid");
    // The worker always reaches the database directly, whatever way the API was given.
    let mut worker_env = env.clone();
    worker_env.insert("DATABASE_URL", database_url.clone());
    if !with_worker {
        // An API-only app (its tests may set template ids for the API alone): no worker runs,
        // so no template layout is needed; a worker started with ids and no layouts refuses.
        worker_env.retain(|k, _| !k.starts_with("WECHAT_TEMPLATE_"));
    }
    let worker_config = WorkerConfig::from_lookup(|k| worker_env.get(k).cloned())
        .expect("test worker configuration is valid");
    let pool = MySqlPool::connect(&database_url).await.expect("test pool");

    let app = api::Application::build(config.clone())
        .await
        .expect("API builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let (api_stop, api_stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = api_stopped.await;
    }));

    let worker_stop = with_worker.then(|| start_worker(worker_config.clone(), lose_first));
    // The test's own client always talks to the real server, whatever the API was given.
    let mut client_config = config.common.temporal.clone();
    client_config.address =
        url::Url::parse(&format!("http://{}", temporal_server::address())).expect("url");
    let temporal = platform::temporal::connect(&client_config, "e2e-test")
        .await
        .expect("test Temporal client");

    TestApp {
        address,
        http: reqwest::Client::new(),
        pool,
        wechat,
        temporal,
        config,
        worker_config,
        admin_token: tokio::sync::OnceCell::new(),
        _api_stop: api_stop,
        _worker_stop: worker_stop,
    }
}

/// The worker on a thread of its own (the SDK's worker future is not `Send`); it drains and
/// stops when the returned sender is dropped.
fn start_worker(config: WorkerConfig, lose_first: Vec<String>) -> oneshot::Sender<()> {
    let (stop, stopped) = oneshot::channel::<()>();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("worker runtime");
        rt.block_on(async move {
            let pool = platform::database::pool(config.common.database_url.expose(), 10)
                .expect("worker pool");
            let client = platform::temporal::connect(&config.common.temporal, "e2e-worker")
                .await
                .expect("worker client");
            let runtime = worker::runtime(None).expect("worker runtime");
            let mut deps = worker::WorkerDeps::new(client, pool);
            deps.fail_first_attempt_after_commit = lose_first;
            worker::run(&config, &runtime, deps, async {
                let _ = stopped.await;
            })
            .await
            .expect("worker runs");
        });
    });
    stop
}

impl TestApp {
    /// The workflow ids of this test's database.
    pub async fn ids(&self) -> workflows::ids::WorkflowIds {
        platform::database::workflow_ids(&self.pool)
            .await
            .expect("the migrated database has an instance id")
    }

    /// Any route; returns the status and the whole envelope.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.address));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request reaches the API");
        let status = res.status();
        let text = res.text().await.expect("body");
        let value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("non-JSON answer {status}: {text}"));
        (status, value)
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    pub async fn admin(&self) -> String {
        self.admin_token
            .get_or_init(|| async {
                let (status, body) = self
                    .call(
                        Method::POST,
                        "/api/v1/admin/login",
                        None,
                        Some(json!({"username": "admin", "password": "admin-password"})),
                    )
                    .await;
                assert_eq!(status, StatusCode::OK, "{body}");
                body["data"]["token"].as_str().expect("token").to_string()
            })
            .await
            .clone()
    }

    /// A parent through the dev login (no WeChat credentials in tests unless configured).
    pub async fn parent(&self, code: &str) -> Parent {
        let (status, body) = self
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"code": code})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        Parent {
            token: body["data"]["token"].as_str().expect("token").to_string(),
            user_id: body["data"]["user_id"].as_i64().expect("user id"),
            code: code.to_string(),
        }
    }

    pub async fn child(&self, parent: &Parent, name: &str, level: u8) -> i64 {
        let (status, body) = self
            .post(
                "/api/v1/profiles",
                &parent.token,
                json!({"name": name, "level": level}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["data"]["id"].as_i64().expect("profile id")
    }

    /// A course with one weekly schedule; returns (schedule id, the session's date).
    pub async fn session(&self, spec: SessionSpec) -> (i64, NaiveDate) {
        let admin = self.admin().await;
        let (status, body) = self
            .post(
                "/api/v1/admin/courses",
                &admin,
                json!({"name": format!("{}课", spec.course_type), "course_type": spec.course_type,
                       "level": spec.level, "duration_minutes": spec.duration_minutes,
                       "price": 180, "capacity": spec.capacity}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let course_id = body["data"]["id"].as_i64().expect("course id");
        let start: DateTime<Utc> = Utc::now() + spec.starts_in;
        let local = start.with_timezone(&self.config.common.club_tz);
        let (status, body) = self
            .post(
                "/api/v1/admin/schedules",
                &admin,
                json!({"course_id": course_id, "weekday": local.weekday().number_from_monday(),
                       "start_time": local.format("%H:%M:%S").to_string(), "coach": "王教练", "location": "浦东馆"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        (
            body["data"]["id"].as_i64().expect("schedule id"),
            local.date_naive(),
        )
    }

    pub async fn set_type_settings(&self, course_type: &str, settings: Value) {
        let admin = self.admin().await;
        let (status, body) = self
            .put(
                &format!("/api/v1/admin/course-types/{course_type}/settings"),
                &admin,
                settings,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    pub async fn book(
        &self,
        parent: &Parent,
        profile_id: i64,
        schedule: i64,
        date: NaiveDate,
    ) -> (StatusCode, Value) {
        self.post(
            "/api/v1/bookings",
            &parent.token,
            json!({"profile_id": profile_id, "course_schedule_id": schedule, "booking_date": date}),
        )
        .await
    }

    /// Fills the session with `seats` bookings by fresh parents.
    pub async fn fill(&self, schedule: i64, date: NaiveDate, seats: u32) {
        for i in 0..seats {
            let p = self.parent(&format!("filler-{schedule}-{i}")).await;
            let child = self.child(&p, "占位", 2).await;
            let (status, body) = self.book(&p, child, schedule, date).await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
    }

    pub async fn join(
        &self,
        parent: &Parent,
        profile_id: i64,
        schedule: i64,
        date: NaiveDate,
    ) -> (StatusCode, Value) {
        self.post(
            "/api/v1/waitlist/join",
            &parent.token,
            json!({"profile_id": profile_id, "course_schedule_id": schedule, "booking_date": date}),
        )
        .await
    }

    /// A session of `capacity` seats (3 days ahead) filled by holders (parent, booking id;
    /// they can cancel).
    pub async fn full_session(&self, capacity: u32) -> (i64, NaiveDate, Vec<(Parent, i64)>) {
        let (schedule, date) = self
            .session(SessionSpec {
                capacity,
                ..Default::default()
            })
            .await;
        let mut holders = Vec::new();
        for i in 0..capacity {
            let p = self.parent(&format!("holder-{i}")).await;
            let child = self.child(&p, "占位", 2).await;
            let (status, body) = self.book(&p, child, schedule, date).await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            holders.push((p, body["data"]["booking_id"].as_i64().unwrap()));
        }
        (schedule, date, holders)
    }

    /// [`Self::full_session`] with `waiting` parents in its queue, in order.
    pub async fn full_with_queue(
        &self,
        capacity: u32,
        waiting: usize,
    ) -> (i64, NaiveDate, Vec<(Parent, i64)>, Vec<Waiter>) {
        let (schedule, date, holders) = self.full_session(capacity).await;
        let mut waiters = Vec::new();
        for i in 0..waiting {
            let p = self.parent(&format!("waiter-{i}")).await;
            let child = self.child(&p, &format!("候补{i}"), 2).await;
            let (status, body) = self.join(&p, child, schedule, date).await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            waiters.push(Waiter {
                entry: body["data"]["waitlist_id"].as_i64().unwrap(),
                parent: p,
            });
        }
        (schedule, date, holders, waiters)
    }

    /// `(waitlist id, position)` of the session's active entries, in queue order, as the API
    /// reports them to their owners.
    pub async fn positions(&self, parents: &[&Parent]) -> Vec<(i64, i64)> {
        let mut all = Vec::new();
        for p in parents {
            let (_, body) = self.get("/api/v1/waitlist/my", &p.token).await;
            for e in body["data"]["items"].as_array().expect("items") {
                if let Some(pos) = e["position"].as_i64() {
                    all.push((e["waitlist_id"].as_i64().expect("id"), pos));
                }
            }
        }
        all.sort_by_key(|(_, pos)| *pos);
        all
    }
}
