//! Offer timing rules (O3, O5, O6) as pure functions.

use chrono::{DateTime, Duration, Utc};

/// O3: deadline = min(release + response window, cutoff).
pub fn response_deadline(
    released_at: DateTime<Utc>,
    window_seconds: u32,
    cutoff_at: DateTime<Utc>,
) -> DateTime<Utc> {
    (released_at + Duration::seconds(i64::from(window_seconds))).min(cutoff_at)
}

/// O6: a parent who began before the deadline may confirm until max(deadline, begin + grace);
/// never past the cutoff, when every offer stops.
pub fn grace_until(
    began_at: DateTime<Utc>,
    deadline: DateTime<Utc>,
    grace_seconds: u32,
    cutoff_at: DateTime<Utc>,
) -> DateTime<Utc> {
    (began_at + Duration::seconds(i64::from(grace_seconds)))
        .max(deadline)
        .min(cutoff_at)
}

/// O5: a hold lasts the hold window, cut at the cutoff.
pub fn hold_deadline(
    now: DateTime<Utc>,
    hold_seconds: u32,
    cutoff_at: DateTime<Utc>,
) -> DateTime<Utc> {
    (now + Duration::seconds(i64::from(hold_seconds))).min(cutoff_at)
}

/// O1: whether a release of `seats_freed` seats opens an offer; the reason when it does not.
pub fn no_offer_reason(
    seats_freed: u32,
    now: DateTime<Utc>,
    cutoff_at: DateTime<Utc>,
    waiting: usize,
) -> Option<crate::offer::NoOfferReason> {
    use crate::offer::NoOfferReason as R;
    if seats_freed == 0 {
        Some(R::NoFreeSeat)
    } else if now >= cutoff_at {
        Some(R::Cutoff)
    } else if waiting == 0 {
        Some(R::QueueEmpty)
    } else {
        None
    }
}

/// Whether a confirm at `now` is in time: before the deadline, or within a grace earned by
/// `begin` before it.
pub fn in_time(now: DateTime<Utc>, deadline: DateTime<Utc>, grace: Option<DateTime<Utc>>) -> bool {
    now <= deadline || grace.is_some_and(|g| now <= g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        // Club time 19:00 = 11:00 UTC; these tests use UTC throughout.
        Utc.with_ymd_and_hms(2026, 11, 25, h, m, 0).unwrap()
    }

    #[test]
    fn seed_example_class_at_19_released_at_12_30_confirm_by_12_45() {
        let cutoff = at(13, 0); // 19:00 − 6 h
        assert_eq!(response_deadline(at(12, 30), 15 * 60, cutoff), at(12, 45));
    }

    #[test]
    fn a_release_offers_only_free_seats_before_the_cutoff_to_someone_waiting() {
        use crate::offer::NoOfferReason as R;
        let cutoff = at(13, 0);
        assert_eq!(no_offer_reason(1, at(12, 0), cutoff, 3), None);
        assert_eq!(
            no_offer_reason(0, at(12, 0), cutoff, 3),
            Some(R::NoFreeSeat)
        );
        assert_eq!(no_offer_reason(1, at(13, 0), cutoff, 3), Some(R::Cutoff));
        assert_eq!(
            no_offer_reason(2, at(12, 0), cutoff, 0),
            Some(R::QueueEmpty)
        );
    }

    #[test]
    fn the_deadline_never_passes_the_cutoff() {
        assert_eq!(response_deadline(at(12, 50), 15 * 60, at(13, 0)), at(13, 0));
    }

    #[test]
    fn beginning_a_minute_before_the_deadline_keeps_two_minutes_to_finish() {
        let g = grace_until(at(12, 44), at(12, 45), 120, at(13, 0));
        assert_eq!(g, at(12, 46));
        assert!(in_time(at(12, 46), at(12, 45), Some(g)));
        assert!(
            !in_time(at(12, 46), at(12, 45), None),
            "without begin, 12:46 is late (seed US-5)"
        );
        assert!(!in_time(at(12, 47), at(12, 45), Some(g)));
    }

    #[test]
    fn grace_is_cut_at_the_cutoff_and_holds_too() {
        assert_eq!(
            grace_until(at(12, 59), at(13, 0), 120, at(13, 0)),
            at(13, 0)
        );
        assert_eq!(hold_deadline(at(12, 50), 15 * 60, at(13, 0)), at(13, 0));
        assert_eq!(hold_deadline(at(12, 0), 15 * 60, at(13, 0)), at(12, 15));
    }
}
