//! Prometheus metrics of the API: requests by route and status, and their latency.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(Default)]
struct Series {
    count: u64,
    seconds_sum: f64,
}

/// (method, route, status)
type SeriesKey = (String, String, u16);

/// Counters keyed by (method, route, status).
#[derive(Clone, Default)]
pub struct Metrics {
    inner: Arc<Mutex<BTreeMap<SeriesKey, Series>>>,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let s = map
            .entry((method.to_string(), route.to_string(), status))
            .or_default();
        s.count += 1;
        s.seconds_sum += seconds;
    }

    pub fn render(&self) -> String {
        let map = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::from(
            "# HELP api_requests_total HTTP requests by route and status.\n# TYPE api_requests_total counter\n",
        );
        for ((m, r, s), v) in map.iter() {
            let _ = writeln!(
                out,
                "api_requests_total{{method=\"{m}\",route=\"{r}\",status=\"{s}\"}} {}",
                v.count
            );
        }
        out.push_str("# HELP api_request_duration_seconds_sum Total time spent answering, by route.\n# TYPE api_request_duration_seconds_sum counter\n");
        for ((m, r, s), v) in map.iter() {
            let _ = writeln!(
                out,
                "api_request_duration_seconds_sum{{method=\"{m}\",route=\"{r}\",status=\"{s}\"}} {:.6}",
                v.seconds_sum
            );
        }
        out
    }
}

pub async fn track(State(metrics): State<Metrics>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let response = next.run(req).await;
    metrics.observe(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

pub async fn endpoint(State(metrics): State<Metrics>) -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        metrics.render(),
    )
}
