//! `Application::build(config)`: the whole API, bound to a port (0 in tests), ready to serve.

use crate::auth::jwt::JwtKeys;
use crate::auth::wechat_login::WechatLogin;
use crate::config::{ApiConfig, Exposure};
use crate::envelope::Envelope;
use crate::error::ApiError;
use crate::metrics::{self, Metrics};
use crate::state::AppState;
use crate::temporal::TemporalHandle;
use crate::{db, routes};
use anyhow::Context;
use axum::Extension;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use sqlx::MySqlPool;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;
use utoipa_swagger_ui::SwaggerUi;

pub struct Application {
    listener: TcpListener,
    /// the public router, and the private metrics router when `API_METRICS_ADDR` is set
    routers: (Router, Option<Router>),
    metrics_listener: Option<TcpListener>,
    pool: MySqlPool,
}

/// A pool that connects lazily, so the API starts (and reports 503) while MySQL is down.
pub fn pool(config: &ApiConfig) -> anyhow::Result<MySqlPool> {
    platform::database::pool(config.common.database_url.expose(), 20)
        .context("DATABASE_URL is not a valid MySQL URL")
}

impl Application {
    /// Builds the app on `config.api_addr`; with port 0 the OS picks one (see [`Self::port`]).
    /// Ensures the bootstrap admin when the database answers.
    pub async fn build(config: ApiConfig) -> anyhow::Result<Self> {
        let pool = pool(&config)?;
        Self::build_with_pool(config, pool).await
    }

    pub async fn build_with_pool(config: ApiConfig, pool: MySqlPool) -> anyhow::Result<Self> {
        if config.wechat.enabled() {
            tracing::info!("WeChat login and messages enabled");
        } else {
            tracing::warn!(
                "WECHAT_APPID/WECHAT_SECRET not set: WeChat disabled, parents log in with DEV CODES (development only)"
            );
        }
        if let Err(e) = db::users::bootstrap_admin(
            &pool,
            &config.admin_username,
            config.admin_password.expose(),
        )
        .await
        {
            tracing::warn!(error = %e, "could not ensure the bootstrap admin (database down?); admin login fails until restart");
        }
        let config = Arc::new(config);
        let state = AppState {
            temporal: TemporalHandle::new(config.clone()),
            jwt: Arc::new(JwtKeys::new(config.jwt_secret.expose())),
            wechat_login: WechatLogin::new(config.wechat.api_base.clone()),
            pool: pool.clone(),
            config: config.clone(),
            ids: Arc::new(tokio::sync::OnceCell::new()),
            limits: crate::limits::Limits::new(&config.guard),
            updates: Arc::default(),
        };
        let listener = TcpListener::bind(config.api_addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.api_addr))?;
        let metrics_listener = match config.guard.metrics_addr {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot listen on API_METRICS_ADDR {addr}"))?,
            ),
            None => None,
        };
        Ok(Self {
            listener,
            metrics_listener,
            routers: routers(state),
            pool,
        })
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("bound listener has an address")
    }

    pub fn pool(&self) -> MySqlPool {
        self.pool.clone()
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        tracing::info!(addr = %self.local_addr(), "API listening");
        let (public, private) = self.routers;
        if let (Some(router), Some(listener)) = (private, self.metrics_listener) {
            tracing::info!(addr = ?listener.local_addr().ok(), "API metrics listening (private)");
            tokio::spawn(async move { axum::serve(listener, router).await });
        }
        axum::serve(
            self.listener,
            public.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
    }
}

/// The largest non-JSON body (a camp's check-in CSV: thousands of rows).
const OTHER_BODY_LIMIT: usize = 1024 * 1024;

/// The public router and, with `API_METRICS_ADDR`, the private one serving only `/metrics`.
fn routers(state: AppState) -> (Router, Option<Router>) {
    let metrics = Metrics::default();
    let guard = state.config.guard.clone();
    let (api, doc) = crate::openapi::split(routes::router());
    let api = api
        .fallback(|| async { ApiError::not_found("接口") })
        // JSON bodies are held to `API_BODY_LIMIT_BYTES` by `ApiJson`; this outer bound is
        // for the few other bodies (a camp's check-in CSV).
        .layer(DefaultBodyLimit::max(
            OTHER_BODY_LIMIT.max(guard.body_limit_bytes),
        ))
        .with_state(state.clone());
    let mut pages = crate::console::router(&state.config.console.dir);
    if guard.docs == Exposure::Public {
        pages = pages.merge(
            SwaggerUi::new("/docs")
                .external_url_unchecked("/api-docs/openapi.json", crate::openapi::to_json(&doc)),
        );
    }
    let mut public = Router::new()
        .merge(api)
        .merge(security_headers::pages(pages));
    let staff_only = match guard.metrics {
        Exposure::Public => Some(get(crate::business_metrics::public)),
        Exposure::Admin => Some(get(crate::business_metrics::for_staff)),
        Exposure::Off => None,
    };
    if let Some(endpoint) = staff_only {
        public = public.route(
            "/metrics",
            endpoint
                .with_state(state.clone())
                .layer(Extension(metrics.clone())),
        );
    }
    let private = guard.metrics_addr.map(|_| {
        Router::new()
            .route("/metrics", get(crate::business_metrics::public))
            .with_state(state)
            .layer(Extension(metrics.clone()))
    });
    let public = security_headers::every_answer(public)
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            metrics::track,
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let route = req
                    .extensions()
                    .get::<axum::extract::MatchedPath>()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default();
                tracing::info_span!("http", method = %req.method(), uri = %req.uri().path(), %route)
            }),
        )
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                axum::Json(Envelope {
                    code: crate::error::codes::INTERNAL,
                    message: "服务器内部错误".to_string(),
                    data: serde_json::Value::Null,
                }),
            )
                .into_response()
        }));
    (public, private)
}

/// Response headers that keep browsers from sniffing, framing or leaking (issue 15).
mod security_headers {
    use axum::Router;
    use axum::http::HeaderValue;
    use axum::http::header::{
        CONTENT_SECURITY_POLICY, HeaderName, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
        X_FRAME_OPTIONS,
    };
    use tower_http::set_header::SetResponseHeaderLayer;

    /// The console's and the docs' policy: their own scripts only, never inside a frame.
    pub const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; \
        style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
        connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; \
        form-action 'self'";

    fn header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    }

    /// On every answer: no MIME sniffing, no referrer.
    pub fn every_answer(router: Router) -> Router {
        router
            .layer(header(X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .layer(header(REFERRER_POLICY, "no-referrer"))
    }

    /// On the console and the docs pages.
    pub fn pages<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
        router
            .layer(header(CONTENT_SECURITY_POLICY, PAGE_POLICY))
            .layer(header(X_FRAME_OPTIONS, "DENY"))
    }
}
