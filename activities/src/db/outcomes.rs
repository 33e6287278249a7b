//! What an activity's attempt committed, keyed by workflow id and step, written in the same
//! transaction as the change: a retry after the commit (the worker died before reporting)
//! returns exactly the first attempt's outcome.

use crate::error::Result;
use serde::{Serialize, de::DeserializeOwned};
use sqlx::MySqlConnection;

/// The outcome recorded under `key`, if any. Read it after the transaction's locks.
pub async fn recorded<T: DeserializeOwned>(
    conn: &mut MySqlConnection,
    key: &str,
) -> Result<Option<T>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT outcome FROM activity_outcome WHERE idempotency_key = ?")
            .bind(key)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(json,)| serde_json::from_str(&json)).transpose()?)
}

/// Records `outcome` under `key` (in the caller's transaction).
pub async fn record<T: Serialize>(
    conn: &mut MySqlConnection,
    key: &str,
    outcome: &T,
) -> Result<()> {
    sqlx::query("INSERT INTO activity_outcome (idempotency_key, outcome) VALUES (?, ?)")
        .bind(key)
        .bind(serde_json::to_string(outcome)?)
        .execute(conn)
        .await?;
    Ok(())
}
