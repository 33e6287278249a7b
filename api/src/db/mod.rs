//! The API's SQL: reads for the parent and ops views, and the single-transaction writes
//! (bookings, queue joins) that need no multi-step process.

pub mod adjustments;
pub mod audit;
pub mod bookings;
pub mod camps;
pub mod courses;
pub mod estimates;
pub mod families;
pub mod makeup;
pub mod messages;
pub mod notifications;
pub mod offers;
pub mod problems;
pub mod profiles;
pub mod sessions;
pub mod settings;
pub mod staff;
pub mod stats;
pub mod users;
pub mod waitlist;

use chrono::{DateTime, Utc};

/// Now, at the database's precision (milliseconds).
pub fn now_millis() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}

/// The retention setting (max age in days, batch size); defaults when the row is missing.
pub async fn retention_setting(pool: &sqlx::MySqlPool) -> Result<(u32, u32), sqlx::Error> {
    let row: Option<(i32, i32)> =
        sqlx::query_as("SELECT max_age_days, batch_size FROM retention_setting WHERE id = 1")
            .fetch_optional(pool)
            .await?;
    let (a, b) = row.unwrap_or((180, 500));
    Ok((
        count("retention_setting.max_age_days", a.into())?,
        count("retention_setting.batch_size", b.into())?,
    ))
}

/// A `COUNT(*)` or `SUM(...)` as u32: a negative or huge value is bad data (an error), never a
/// silent clamp.
pub fn count(column: &str, n: i64) -> Result<u32, sqlx::Error> {
    u32::try_from(n)
        .map_err(|_| sqlx::Error::Decode(format!("{column} = {n} is not a count").into()))
}

/// The id MySQL gave an inserted row.
pub fn inserted_id(result: &sqlx::mysql::MySqlQueryResult) -> Result<i64, sqlx::Error> {
    i64::try_from(result.last_insert_id())
        .map_err(|_| sqlx::Error::Decode(format!("insert id {}", result.last_insert_id()).into()))
}
