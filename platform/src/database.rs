//! The MySQL pool both binaries use: connects lazily (a process starts, and says what is
//! wrong, while the database is down), and bounds every lock wait below the activity and
//! request timeouts, so a slow attempt never runs beside its own retry (a lock timeout is an
//! error the caller retries, not a wait that outlives it).

use sqlx::mysql::{MySqlPool, MySqlPoolOptions};
use sqlx::{Executor, Row};
use std::time::Duration;
use workflows::ids::{InstanceId, WorkflowIds};

/// `innodb_lock_wait_timeout` of every connection, in seconds (InnoDB's default is 50).
pub const LOCK_WAIT_SECONDS: u32 = 5;

pub fn pool(url: &str, max_connections: u32) -> Result<MySqlPool, sqlx::Error> {
    MySqlPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute(
                    format!("SET SESSION innodb_lock_wait_timeout = {LOCK_WAIT_SECONDS}").as_str(),
                )
                .await?;
                Ok(())
            })
        })
        .connect_lazy(url)
}

/// MySQL/MariaDB error numbers of a lock wait that timed out and of a deadlock: the
/// transaction was rolled back, another attempt may succeed.
pub const LOCK_CONFLICTS: [u16; 2] = [1205, 1213];

/// A lock wait that timed out, or a deadlock.
pub fn is_lock_conflict(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db
            .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
            .is_some_and(|m| LOCK_CONFLICTS.contains(&m.number())),
        _ => false,
    }
}

/// The workflow ids of this database (its `service_instance` row, made by the migrations).
pub async fn workflow_ids(pool: &MySqlPool) -> Result<WorkflowIds, InstanceError> {
    let row = sqlx::query("SELECT instance_id FROM service_instance WHERE id = 1")
        .fetch_optional(pool)
        .await?
        .ok_or(InstanceError::Missing)?;
    let raw: String = row.try_get("instance_id")?;
    let instance: InstanceId = raw.trim().parse()?;
    Ok(WorkflowIds::new(instance))
}

#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    #[error("the database has no service_instance row: run `api migrate`")]
    Missing,
    #[error(transparent)]
    Bad(#[from] workflows::ids::BadInstanceId),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}
