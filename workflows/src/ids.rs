//! Business keys and the deterministic workflow ids built from them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One class on one day: a weekly schedule slot plus a calendar date in the club's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SessionKey {
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
}

impl SessionKey {
    pub fn new(course_schedule_id: i64, booking_date: NaiveDate) -> Self {
        Self {
            course_schedule_id,
            booking_date,
        }
    }

    /// `waitlist-cutoff/{session}`: one cutoff process per session (design §3).
    pub fn cutoff_workflow_id(&self) -> String {
        format!("waitlist-cutoff/{self}")
    }
}

/// `{course_schedule_id}-{booking_date}`, e.g. `12-2026-11-23`: the `{session}` of design §3
/// and the value of the `SessionKey` search attribute.
impl fmt::Display for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.course_schedule_id,
            self.booking_date.format("%Y-%m-%d")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_key_reads_as_schedule_and_date() {
        let key = SessionKey::new(12, NaiveDate::from_ymd_opt(2026, 11, 3).unwrap());
        assert_eq!(key.to_string(), "12-2026-11-03");
        assert_eq!(key.cutoff_workflow_id(), "waitlist-cutoff/12-2026-11-03");
    }
}
