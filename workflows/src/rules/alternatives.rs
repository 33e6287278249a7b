//! A1: never a dead end. A join refused because the queue is full or the cutoff passed comes
//! with other sessions the parent could take instead: the same course type and level (for a
//! makeup, the same or a lower level, M2), still to come, with a seat free or a short queue
//! still open, nearest in time to the refused session first.

use crate::SessionKey;
use crate::rules::makeup::{ClassFacts, eligible};
use crate::rules::waitlist::JoinRefusal;
use chrono::{DateTime, Utc};

/// A queue this short (waiting entries) still counts as a reasonable wait.
pub const SHORT_QUEUE: u32 = 2;

/// At most this many alternatives come with a refusal.
pub const MAX_ALTERNATIVES: usize = 5;

/// Which levels may stand in for the refused session's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelRule {
    /// an ordinary join: the same level
    Same,
    /// a join from a makeup selection: the same or a lower level (M2)
    SameOrLower,
}

/// The refused session as the parent wanted it.
#[derive(Debug, Clone, Copy)]
pub struct Wanted<'a> {
    pub key: SessionKey,
    pub course_type: &'a str,
    pub level: i8,
    pub levels: LevelRule,
}

/// What an alternative offers the parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlternativeAction {
    /// a seat is free: book it
    Book,
    /// full, but its queue is short and open: join it
    Waitlist,
}

/// A session that might stand in, as the listing sees it.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub key: SessionKey,
    pub course_type: &'a str,
    pub level: i8,
    pub starts_at: DateTime<Utc>,
    pub cutoff_at: DateTime<Utc>,
    pub seats_left: u32,
    pub waitlist_count: u32,
    pub waitlist_capacity: u32,
    /// the child already has a seat or a queue entry there
    pub child_is_in: bool,
}

/// A1: whether `c` is an acceptable alternative to `wanted` at `now`, and what to do with it.
pub fn acceptable_alternative(
    wanted: &Wanted<'_>,
    c: &Candidate<'_>,
    now: DateTime<Utc>,
) -> Option<AlternativeAction> {
    if c.key == wanted.key || c.child_is_in || c.course_type != wanted.course_type {
        return None;
    }
    let level_fits = match wanted.levels {
        LevelRule::Same => c.level == wanted.level,
        LevelRule::SameOrLower => eligible(
            &facts(wanted.course_type, wanted.level),
            &facts(c.course_type, c.level),
        ),
    };
    if !level_fits || c.starts_at <= now {
        return None;
    }
    if c.seats_left > 0 {
        return Some(AlternativeAction::Book);
    }
    let short_open_queue = now < c.cutoff_at
        && c.waitlist_count <= SHORT_QUEUE
        && c.waitlist_count < c.waitlist_capacity;
    short_open_queue.then_some(AlternativeAction::Waitlist)
}

fn facts(course_type: &str, level: i8) -> ClassFacts<'_> {
    ClassFacts {
        course_type,
        level,
        duration_minutes: 0,
        coach: "",
        location: "",
    }
}

/// The sort key of "nearest in time to the refused session first": the distance, then the
/// earlier of two equally near.
pub fn nearness(
    wanted_start: DateTime<Utc>,
    start: DateTime<Utc>,
) -> (chrono::Duration, DateTime<Utc>) {
    ((start - wanted_start).abs(), start)
}

/// A1: a join refused for these reasons comes with alternatives (the others have a better
/// way out of their own: book directly, or the child is already in).
pub fn wants_alternatives(refusal: JoinRefusal) -> bool {
    matches!(refusal, JoinRefusal::QueueFull | JoinRefusal::PastCutoff)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()
    }

    fn key(schedule: i64) -> SessionKey {
        SessionKey::new(schedule, NaiveDate::from_ymd_opt(2026, 12, 8).unwrap())
    }

    fn wanted(levels: LevelRule) -> Wanted<'static> {
        Wanted {
            key: key(1),
            course_type: "group",
            level: 3,
            levels,
        }
    }

    fn open_seat() -> Candidate<'static> {
        Candidate {
            key: key(2),
            course_type: "group",
            level: 3,
            starts_at: now() + Duration::days(2),
            cutoff_at: now() + Duration::days(2) - Duration::hours(6),
            seats_left: 1,
            waitlist_count: 0,
            waitlist_capacity: 8,
            child_is_in: false,
        }
    }

    #[test]
    fn a_free_seat_of_the_same_type_and_level_is_offered_to_book() {
        let w = wanted(LevelRule::Same);
        assert_eq!(
            acceptable_alternative(&w, &open_seat(), now()),
            Some(AlternativeAction::Book)
        );
    }

    #[test]
    fn a_full_session_counts_only_with_a_short_open_queue() {
        let w = wanted(LevelRule::Same);
        let full = Candidate {
            seats_left: 0,
            waitlist_count: SHORT_QUEUE,
            ..open_seat()
        };
        assert_eq!(
            acceptable_alternative(&w, &full, now()),
            Some(AlternativeAction::Waitlist)
        );
        let long = Candidate {
            waitlist_count: SHORT_QUEUE + 1,
            ..full
        };
        assert_eq!(acceptable_alternative(&w, &long, now()), None);
        let tiny_and_full = Candidate {
            waitlist_count: 1,
            waitlist_capacity: 1,
            ..full
        };
        assert_eq!(acceptable_alternative(&w, &tiny_and_full, now()), None);
        let past_cutoff = Candidate {
            cutoff_at: now(),
            ..full
        };
        assert_eq!(acceptable_alternative(&w, &past_cutoff, now()), None);
    }

    #[test]
    fn the_refused_session_another_type_or_level_a_past_class_or_one_the_child_is_in_never_count() {
        let w = wanted(LevelRule::Same);
        let refused = Candidate {
            key: w.key,
            ..open_seat()
        };
        let vip = Candidate {
            course_type: "vip",
            ..open_seat()
        };
        let lower = Candidate {
            level: 2,
            ..open_seat()
        };
        let higher = Candidate {
            level: 4,
            ..open_seat()
        };
        let started = Candidate {
            starts_at: now(),
            ..open_seat()
        };
        let mine = Candidate {
            child_is_in: true,
            ..open_seat()
        };
        for c in [refused, vip, lower, higher, started, mine] {
            assert_eq!(acceptable_alternative(&w, &c, now()), None, "{c:?}");
        }
    }

    #[test]
    fn a_makeup_may_take_a_lower_level_but_never_a_higher_one() {
        let w = wanted(LevelRule::SameOrLower);
        let lower = Candidate {
            level: 1,
            ..open_seat()
        };
        let higher = Candidate {
            level: 4,
            ..open_seat()
        };
        assert_eq!(
            acceptable_alternative(&w, &lower, now()),
            Some(AlternativeAction::Book)
        );
        assert_eq!(acceptable_alternative(&w, &higher, now()), None);
    }

    #[test]
    fn nearest_to_the_refused_session_comes_first_earlier_on_a_tie() {
        let at = now() + Duration::days(7);
        let mut starts = [
            (at + Duration::days(7), 3),
            (at + Duration::hours(2), 4),
            (at - Duration::hours(2), 5),
            (at - Duration::days(3), 6),
        ];
        starts.sort_by_key(|(start, _)| nearness(at, *start));
        let order: Vec<i64> = starts.iter().map(|(_, id)| *id).collect();
        assert_eq!(order, vec![5, 4, 6, 3]);
    }

    #[test]
    fn only_a_full_queue_or_the_cutoff_come_with_alternatives() {
        assert!(wants_alternatives(JoinRefusal::QueueFull));
        assert!(wants_alternatives(JoinRefusal::PastCutoff));
        for r in [
            JoinRefusal::NotFull,
            JoinRefusal::AlreadyWaiting,
            JoinRefusal::AlreadyBooked,
        ] {
            assert!(!wants_alternatives(r));
        }
    }
}
