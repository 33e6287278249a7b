//! The staff console under `/console`: the Vite build of `console/` served as static files
//! (same origin as the API, so it uses the admin JWT with no CORS). Without a build the API
//! still starts and `/console` says how to make one.

use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

pub const BUILD_HINT: &str = "cd console && npm ci && npm run build";

pub fn router<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let index = dir.join("index.html");
    let redirect = get(|| async { Redirect::permanent("/console/") });
    if index.is_file() {
        tracing::info!(dir = %dir.display(), "staff console at /console/");
        let files = ServeDir::new(dir).fallback(ServeFile::new(index));
        Router::new()
            .route("/console", redirect)
            .nest_service("/console/", files)
    } else {
        tracing::warn!(dir = %dir.display(), "staff console not built: `{BUILD_HINT}` (or set CONSOLE_DIR)");
        Router::new()
            .route("/console", redirect)
            .route("/console/", get(not_built))
            .route("/console/{*rest}", get(not_built))
    }
}

async fn not_built() -> impl IntoResponse {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html(format!(
            "<!doctype html><meta charset=utf-8><title>运营控制台未构建</title>\
             <h1>运营控制台尚未构建</h1><p>在仓库根目录运行：<code>{BUILD_HINT}</code>，\
             或设置 <code>CONSOLE_DIR</code> 指向构建目录，然后重启 API。</p>"
        )),
    )
}
