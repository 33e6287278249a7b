//! Club-time arithmetic: a session's start instant and its cutoffs.

use chrono::{DateTime, Duration, Utc};

/// The waitlist cutoff (W1, W6, O1): class start − cutoff (default 6 h).
pub fn waitlist_cutoff(starts_at: DateTime<Utc>, cutoff_seconds: u32) -> DateTime<Utc> {
    starts_at - Duration::seconds(i64::from(cutoff_seconds))
}

/// How long a workflow must sleep from `now` until `at`; zero when `at` has passed.
pub fn until(now: DateTime<Utc>, at: DateTime<Utc>) -> std::time::Duration {
    (at - now).to_std().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn cutoff_is_six_hours_before_class_by_default() {
        // Seed 002 US-5: a 19:00 class (11:00 UTC) closes its waitlist at 13:00 (05:00 UTC).
        let start = Utc.with_ymd_and_hms(2026, 11, 25, 11, 0, 0).unwrap();
        assert_eq!(
            waitlist_cutoff(start, 6 * 3600),
            Utc.with_ymd_and_hms(2026, 11, 25, 5, 0, 0).unwrap()
        );
    }

    #[test]
    fn until_a_past_instant_is_zero() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 11, 0, 0).unwrap();
        assert_eq!(
            until(now, now - Duration::seconds(5)),
            std::time::Duration::ZERO
        );
        assert_eq!(
            until(now, now + Duration::seconds(5)),
            std::time::Duration::from_secs(5)
        );
    }
}
