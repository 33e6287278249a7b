//! A fake community platform (知识星球) check-in API for the tests and `./scripts/dev`: the
//! topics of a check-in project, newest first, paged by `end_time`, behind the access-token
//! cookie (401 without it). Can be taken down (HTTP 500) to test the sync's retries.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, FixedOffset, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

pub const ACCESS_TOKEN: &str = "TEST-ONLY-community-token";

#[derive(Debug, Clone)]
struct Topic {
    user_id: u64,
    name: String,
    at: DateTime<Utc>,
}

#[derive(Clone, Default)]
pub struct FakeCommunity {
    pub base: String,
    /// `group/checkin` → topics
    topics: Arc<Mutex<HashMap<String, Vec<Topic>>>>,
    down: Arc<AtomicBool>,
    pub requests: Arc<AtomicU32>,
}

fn china(t: DateTime<Utc>) -> String {
    t.with_timezone(&FixedOffset::east_opt(8 * 3600).expect("offset"))
        .format("%Y-%m-%dT%H:%M:%S%.3f%z")
        .to_string()
}

#[derive(Deserialize)]
struct PageQuery {
    count: Option<usize>,
    end_time: Option<String>,
    scope: Option<String>,
}

impl FakeCommunity {
    pub async fn start(port: u16) -> Self {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the fake community");
        let fake = Self {
            base: format!("http://{}/", listener.local_addr().expect("addr")),
            ..Default::default()
        };
        let app = Router::new()
            .route("/v2/groups/{group}/checkins/{checkin}/topics", get(topics))
            .route("/fake/checkins/{group}/{checkin}", post(control_checkin))
            .with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        fake
    }

    /// Member `user_id` (`name`) checks in on project `group/checkin` at `at`.
    pub fn checkin(&self, project: &str, user_id: u64, name: &str, at: DateTime<Utc>) {
        self.topics
            .lock()
            .expect("topics")
            .entry(project.to_string())
            .or_default()
            .push(Topic {
                user_id,
                name: name.to_string(),
                at,
            });
    }

    pub fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::SeqCst);
    }
}

async fn topics(
    State(fake): State<FakeCommunity>,
    Path((group, checkin)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    fake.requests.fetch_add(1, Ordering::SeqCst);
    if fake.down.load(Ordering::SeqCst) {
        return (StatusCode::INTERNAL_SERVER_ERROR, "down").into_response();
    }
    let cookie = headers
        .get("Cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if cookie != format!("zsxq_access_token={ACCESS_TOKEN}") {
        return (
            StatusCode::UNAUTHORIZED,
            json!({"succeeded": false, "code": 401}).to_string(),
        )
            .into_response();
    }
    if q.scope.as_deref() != Some("all") {
        return (
            StatusCode::OK,
            json!({"succeeded": false, "code": 1004}).to_string(),
        )
            .into_response();
    }
    let count = q.count.unwrap_or(20).clamp(1, 30);
    let end = q
        .end_time
        .as_deref()
        .and_then(|t| DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.3f%z").ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now);
    let mut list: Vec<Topic> = fake
        .topics
        .lock()
        .expect("topics")
        .get(&format!("{group}/{checkin}"))
        .cloned()
        .unwrap_or_default()
        .into_iter()
        // the platform's end_time is inclusive, at millisecond precision
        .filter(|t| t.at.timestamp_millis() <= end.timestamp_millis())
        .collect();
    list.sort_by_key(|t| std::cmp::Reverse(t.at));
    let page: Vec<Value> = list
        .into_iter()
        .take(count)
        .enumerate()
        .map(|(i, t)| {
            json!({"topic_id": t.at.timestamp_millis() * 100 + i as i64, "type": "talk",
                   "create_time": china(t.at), "owner": {"user_id": t.user_id, "name": t.name}})
        })
        .collect();
    (
        StatusCode::OK,
        json!({"succeeded": true, "resp_data": {"topics": page}}).to_string(),
    )
        .into_response()
}

#[derive(Deserialize)]
struct CheckinBody {
    user_id: u64,
    name: String,
    at: Option<DateTime<Utc>>,
}

/// `POST /fake/checkins/{group}/{checkin}` `{user_id, name, at?}` (for `./scripts/dev`).
async fn control_checkin(
    State(fake): State<FakeCommunity>,
    Path((group, checkin)): Path<(String, String)>,
    axum::Json(b): axum::Json<CheckinBody>,
) -> Response {
    fake.checkin(
        &format!("{group}/{checkin}"),
        b.user_id,
        &b.name,
        b.at.unwrap_or_else(Utc::now),
    );
    StatusCode::NO_CONTENT.into_response()
}
