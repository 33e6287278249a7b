//! `GET /healthz`: 200 only when MySQL and Temporal both answer, else 503 naming the part.

use crate::envelope::Envelope;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// "ok" or what failed
    pub mysql: String,
    pub temporal: String,
}

/// What is wrong with the database, in a word: the driver's own text (addresses, user names,
/// SQL) never leaves the server.
fn db_problem(e: &sqlx::Error) -> &'static str {
    match e {
        sqlx::Error::PoolTimedOut => "timed out",
        sqlx::Error::Io(_) | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => "not reachable",
        sqlx::Error::Database(_) => "refused",
        _ => "error",
    }
}

#[utoipa::path(get, path = "/healthz", tag = "ops",
    responses((status = 200, body = Envelope<Health>), (status = 503, body = Envelope<Health>)))]
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Envelope<Health>>) {
    let mysql = async {
        match tokio::time::timeout(PROBE_TIMEOUT, sqlx::query("SELECT 1").execute(&state.pool))
            .await
        {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(db_problem(&e).to_string()),
            Err(_) => Err("timed out".to_string()),
        }
    };
    let (mysql, temporal) = tokio::join!(mysql, state.temporal.ping(PROBE_TIMEOUT));
    let failing: Vec<&str> = [("MySQL", mysql.is_err()), ("Temporal", temporal.is_err())]
        .into_iter()
        .filter_map(|(name, failed)| failed.then_some(name))
        .collect();
    let show = |r: Result<(), String>| r.err().unwrap_or_else(|| "ok".into());
    let health = Health {
        mysql: show(mysql),
        temporal: show(temporal),
    };
    if failing.is_empty() {
        (
            StatusCode::OK,
            Json(Envelope {
                code: 200,
                message: "ok".into(),
                data: health,
            }),
        )
    } else {
        let message = format!("unavailable: {}", failing.join(", "));
        tracing::warn!(%message, mysql = %health.mysql, temporal = %health.temporal, "health check failed");
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Envelope {
                code: crate::error::codes::UNAVAILABLE,
                message,
                data: health,
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_problems_are_named_without_driver_text() {
        let io = sqlx::Error::Io(std::io::Error::new(
            std::io::ErrorKind::ConnectionRefused,
            "connect to 10.0.0.7:3306 as gym refused",
        ));
        assert_eq!(db_problem(&io), "not reachable");
        assert_eq!(db_problem(&sqlx::Error::PoolTimedOut), "timed out");
    }
}
