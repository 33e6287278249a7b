//! SQL of the activities, grouped by what it touches. Every seat or queue change runs in a
//! [`SessionTx`]: the transaction's first statement locks the session row, so every count it
//! reads afterwards is read after the lock (never from an older snapshot taken before it).

pub mod credits;
pub mod family;
pub mod makeup;
pub mod notifications;
pub mod offers;
pub mod outcomes;
pub mod retention;
pub mod seats;
pub mod sessions;
pub mod waitlist;

use crate::error::Result;
use chrono::{DateTime, Utc};
use sqlx::{MySql, MySqlPool, Transaction};
use std::sync::Arc;
use tokio::sync::OnceCell;
use workflows::SessionKey;
use workflows::ids::WorkflowIds;

/// Current time as the database stores it (UTC, millisecond precision).
pub fn now_millis() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}

/// The database of the activities and the workflow ids of its instance.
#[derive(Clone)]
pub struct Db {
    pool: MySqlPool,
    ids: Arc<OnceCell<WorkflowIds>>,
}

impl Db {
    pub fn new(pool: MySqlPool) -> Self {
        Self {
            pool,
            ids: Arc::new(OnceCell::new()),
        }
    }

    pub fn pool(&self) -> &MySqlPool {
        &self.pool
    }

    /// The workflow ids of this database (read once).
    pub async fn ids(&self) -> Result<WorkflowIds> {
        Ok(self
            .ids
            .get_or_try_init(|| platform::database::workflow_ids(&self.pool))
            .await?
            .clone())
    }

    /// Begins a transaction whose first statement locks the session row (see the module doc).
    /// `None` when the session has no row yet (nobody booked or joined it).
    pub async fn lock_session(
        &self,
        session: SessionKey,
    ) -> Result<Option<(Transaction<'static, MySql>, seats::LockedSession)>> {
        let mut tx = self.pool.begin().await?;
        match seats::lock(&mut tx, session).await? {
            Some(locked) => Ok(Some((tx, locked))),
            None => Ok(None),
        }
    }
}
