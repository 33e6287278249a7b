//! `Application::build(config)`: the whole API, bound to a port (0 in tests), ready to serve.

use crate::auth::jwt::JwtKeys;
use crate::auth::wechat_login::WechatLogin;
use crate::config::ApiConfig;
use crate::envelope::Envelope;
use crate::error::ApiError;
use crate::metrics::{self, Metrics};
use crate::state::AppState;
use crate::temporal::TemporalHandle;
use crate::{db, routes};
use anyhow::Context;
use axum::Router;
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
    router: Router,
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
        };
        let listener = TcpListener::bind(config.api_addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.api_addr))?;
        Ok(Self {
            listener,
            router: router(state),
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
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
    }
}

fn router(state: AppState) -> Router {
    let metrics = Metrics::default();
    let console = crate::console::router(&state.config.console.dir);
    let api = routes::router()
        .fallback(|| async { ApiError::not_found("接口") })
        .with_state(state.clone());
    Router::new()
        .merge(api)
        .merge(console)
        .merge(SwaggerUi::new("/docs").url("/api-docs/openapi.json", crate::openapi::document()))
        .route(
            "/metrics",
            get(crate::business_metrics::endpoint).with_state((metrics.clone(), state)),
        )
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
        }))
}
