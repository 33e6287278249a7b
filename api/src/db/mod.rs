//! The API's SQL: reads for the parent and ops views, and the single-transaction writes
//! (bookings, queue joins) that need no multi-step process.

pub mod bookings;
pub mod camps;
pub mod courses;
pub mod makeup;
pub mod notifications;
pub mod offers;
pub mod profiles;
pub mod sessions;
pub mod settings;
pub mod users;
pub mod waitlist;

use chrono::{DateTime, Utc};

/// Now, at the database's precision (milliseconds).
pub fn now_millis() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}
