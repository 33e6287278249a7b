//! SQL of the activities, grouped by what it touches. Functions take a transaction when they
//! are part of a larger unit of work.

pub mod credits;
pub mod notifications;
pub mod offers;
pub mod retention;
pub mod sessions;
pub mod waitlist;

use chrono::{DateTime, Utc};

/// Current time as the database stores it (UTC, millisecond precision).
pub fn now_millis() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}
