//! The one error type of the activities, and the one place it becomes a Temporal failure:
//! transient failures (a lock wait timed out, a deadlock, a lost connection) retry with the
//! workflow's bounded back-off; permanent ones (data that breaks an invariant, a bug) fail the
//! step at once so the workflow ends it its defined way instead of retrying for nothing.

use temporalio_sdk::ApplicationFailure;
use temporalio_sdk::activities::ActivityError;

#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// A stored value breaks what the code relies on (a negative count, an unknown status).
    #[error("stored data: {0}")]
    Data(String),
    #[error("recorded outcome: {0}")]
    Json(#[from] serde_json::Error),
    #[error("instance: {0}")]
    Instance(#[from] platform::database::InstanceError),
    #[error("Temporal: {0}")]
    Temporal(String),
}

use platform::database::is_lock_conflict;

/// Errors another attempt cannot fix: a broken constraint (a bug in the activity's reasoning)
/// or a schema that does not match the code (no such table/column, bad SQL). Anything else the
/// server says (too many connections, a read-only replica during failover …) may pass.
fn is_permanent_database_error(e: &dyn sqlx::error::DatabaseError) -> bool {
    use sqlx::error::ErrorKind;
    const SCHEMA_MISMATCH: [u16; 3] = [1146, 1054, 1064];
    if !matches!(e.kind(), ErrorKind::Other) {
        return true;
    }
    e.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
        .is_some_and(|m| SCHEMA_MISMATCH.contains(&m.number()))
}

impl Failure {
    /// True when another attempt may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            Failure::Db(e @ sqlx::Error::Database(db)) => {
                is_lock_conflict(e) || !is_permanent_database_error(db.as_ref())
            }
            Failure::Db(
                sqlx::Error::Io(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Protocol(_)
                | sqlx::Error::WorkerCrashed,
            ) => true,
            Failure::Db(_) => false,
            Failure::Data(_) | Failure::Json(_) => false,
            Failure::Instance(platform::database::InstanceError::Db(_)) => true,
            Failure::Instance(_) => false,
            Failure::Temporal(_) => true,
        }
    }

    /// The activity's answer to Temporal.
    pub fn into_activity(self) -> ActivityError {
        if self.is_transient() {
            ActivityError::application(ApplicationFailure::new(self))
        } else {
            ActivityError::application(ApplicationFailure::non_retryable(self))
        }
    }
}

pub type Result<T, E = Failure> = std::result::Result<T, E>;

/// A count or minutes column as u32; a negative or huge one is bad data, never clamped.
pub fn u32_of(column: &str, value: impl TryInto<u32> + Copy + std::fmt::Debug) -> Result<u32> {
    value
        .try_into()
        .map_err(|_| Failure::Data(format!("{column} = {value:?} is not a count")))
}

/// The id MySQL gave an inserted row.
pub fn inserted_id(result: &sqlx::mysql::MySqlQueryResult) -> Result<i64> {
    i64::try_from(result.last_insert_id())
        .map_err(|_| Failure::Data(format!("insert id {}", result.last_insert_id())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_data_is_permanent_and_a_lost_connection_retries() {
        assert!(!Failure::Data("x".into()).is_transient());
        assert!(Failure::Db(sqlx::Error::PoolTimedOut).is_transient());
        assert!(!Failure::Db(sqlx::Error::RowNotFound).is_transient());
        assert_eq!(u32_of("seats", 3_i64).unwrap(), 3);
        assert!(u32_of("seats", -1_i32).is_err());
    }
}
