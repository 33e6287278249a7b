//! E1: an honest waiting estimate from the club's own history of a course.
//!
//! The history is what really happened to the course's sessions that had a queue: how many
//! seats were released at how many days before class, and how many of them the queue took.
//! From it, for one place in one queue:
//! - releases still to come = the seats released historically at no more days before class
//!   than are left now, per session with a queue (a Poisson rate λ);
//! - seats needed = 1 + the people ahead × the share of released seats the queue took (those
//!   ahead who take a seat use one up; those who let it pass do not);
//! - the chance = P(at least that many releases before the cutoff), and "roughly when" = the
//!   seat-weighted median of the days before class of those remaining releases.
//!
//! No release recorded for the course at all means there is nothing to go on: "暂无足够数据".

use chrono::{DateTime, Utc};

/// Whole days from `at` until `starts_at` (0 once the class started), counted as the history
/// counts them: whole hours ÷ 24.
pub fn whole_days_until(starts_at: DateTime<Utc>, at: DateTime<Utc>) -> u32 {
    u32::try_from((starts_at - at).num_hours().max(0) / 24).unwrap_or(u32::MAX)
}

/// Seats released at one number of whole days before class (summed over the history).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseDay {
    pub days_before_class: u32,
    pub seats: u32,
}

/// A course's release history, as ops see it in the admin session view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReleaseHistory {
    /// sessions of the course that had at least one queue entry
    pub sessions_with_queue: u32,
    pub releases: Vec<ReleaseDay>,
    /// seats the queue took (entries confirmed)
    pub seats_won: u32,
}

impl ReleaseHistory {
    pub fn seats_released(&self) -> u32 {
        self.releases.iter().map(|r| r.seats).sum()
    }

    /// Share of released seats the queue took, 0..=1; `None` without any release.
    pub fn take_rate(&self) -> Option<f64> {
        let released = self.seats_released();
        (released > 0).then(|| (f64::from(self.seats_won) / f64::from(released)).min(1.0))
    }
}

/// What the history says about one place in a queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WaitEstimate {
    /// No release on record for the course.
    NoHistory,
    /// `percent` chance of a seat before the cutoff; releases typically come
    /// `typical_days_before_class` days before class (`None`: none came this late before).
    Chance {
        percent: u8,
        typical_days_before_class: Option<u32>,
    },
}

/// The text shown to a parent when there is nothing to go on.
pub const NO_HISTORY_TEXT: &str = "暂无足够数据";

impl WaitEstimate {
    pub fn percent(&self) -> Option<u8> {
        match self {
            Self::NoHistory => None,
            Self::Chance { percent, .. } => Some(*percent),
        }
    }

    /// The `estimated_wait_time` text.
    pub fn text(&self) -> String {
        match *self {
            Self::NoHistory => NO_HISTORY_TEXT.to_string(),
            Self::Chance { percent: 0, .. }
            | Self::Chance {
                typical_days_before_class: None,
                ..
            } => "根据以往记录，截止前有名额的可能很低".to_string(),
            Self::Chance {
                percent,
                typical_days_before_class: Some(days),
            } => format!(
                "根据以往记录，截止前有名额的可能约{percent}%，名额多在{}空出",
                when_text(days)
            ),
        }
    }
}

fn when_text(days_before_class: u32) -> String {
    match days_before_class {
        0 => "开课当天".to_string(),
        d => format!("开课前{d}天左右"),
    }
}

/// E1: the estimate for `position` (1-based) with `days_until_class` whole days left.
pub fn estimate_wait(
    history: &ReleaseHistory,
    position: u32,
    days_until_class: u32,
) -> WaitEstimate {
    let Some(take_rate) = history.take_rate() else {
        return WaitEstimate::NoHistory;
    };
    let remaining: Vec<ReleaseDay> = history
        .releases
        .iter()
        .copied()
        .filter(|r| r.days_before_class <= days_until_class && r.seats > 0)
        .collect();
    let sessions = f64::from(history.sessions_with_queue.max(1));
    let rate = f64::from(remaining.iter().map(|r| r.seats).sum::<u32>()) / sessions;
    let needed = seats_needed(position, take_rate);
    WaitEstimate::Chance {
        percent: percent(poisson_at_least(rate, needed)),
        typical_days_before_class: weighted_median_day(&remaining),
    }
}

/// Releases needed before one reaches `position`: one for oneself plus the share of those
/// ahead who would take theirs.
fn seats_needed(position: u32, take_rate: f64) -> u32 {
    let ahead = f64::from(position.saturating_sub(1));
    // rounded, non-negative and at most `position - 1`: the cast cannot truncate
    let taken_ahead = (ahead * take_rate).round() as u32;
    1 + taken_ahead
}

/// P(N ≥ k) for N ~ Poisson(λ).
fn poisson_at_least(lambda: f64, k: u32) -> f64 {
    if lambda <= 0.0 {
        return 0.0;
    }
    let mut term = (-lambda).exp();
    let mut below = 0.0;
    for i in 0..k {
        below += term;
        term *= lambda / f64::from(i + 1);
    }
    (1.0 - below).clamp(0.0, 1.0)
}

fn percent(p: f64) -> u8 {
    // clamped to 0..=100 first
    (p * 100.0).round().clamp(0.0, 100.0) as u8
}

/// The day by which half of the remaining released seats had come (counting down to class).
fn weighted_median_day(releases: &[ReleaseDay]) -> Option<u32> {
    let total: u32 = releases.iter().map(|r| r.seats).sum();
    let mut by_day = releases.to_vec();
    by_day.sort_by_key(|r| std::cmp::Reverse(r.days_before_class));
    let mut seen = 0;
    by_day.into_iter().find_map(|r| {
        seen += r.seats;
        (2 * seen >= total && total > 0).then_some(r.days_before_class)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(sessions: u32, releases: &[(u32, u32)], won: u32) -> ReleaseHistory {
        ReleaseHistory {
            sessions_with_queue: sessions,
            releases: releases
                .iter()
                .map(|&(days_before_class, seats)| ReleaseDay {
                    days_before_class,
                    seats,
                })
                .collect(),
            seats_won: won,
        }
    }

    #[test]
    fn without_any_release_there_is_no_estimate_only_the_plain_fallback() {
        for h in [ReleaseHistory::default(), history(5, &[], 0)] {
            let e = estimate_wait(&h, 1, 7);
            assert_eq!(e, WaitEstimate::NoHistory);
            assert_eq!(e.text(), "暂无足够数据");
            assert_eq!(e.percent(), None);
        }
    }

    #[test]
    fn one_seat_taken_in_two_sessions_gives_the_first_in_line_about_forty_percent() {
        // λ = 1 seat / 2 sessions; P(N ≥ 1) = 1 − e^−0.5 ≈ 39 %
        let h = history(2, &[(6, 1)], 1);
        let e = estimate_wait(&h, 1, 13);
        assert_eq!(
            e,
            WaitEstimate::Chance {
                percent: 39,
                typical_days_before_class: Some(6)
            }
        );
        assert_eq!(
            e.text(),
            "根据以往记录，截止前有名额的可能约39%，名额多在开课前6天左右空出"
        );
        // the second in line needs two releases (the first would take one): ≈ 9 %
        assert_eq!(estimate_wait(&h, 2, 13).percent(), Some(9));
    }

    #[test]
    fn places_further_back_never_have_a_better_chance() {
        let h = history(4, &[(10, 2), (5, 3), (1, 4), (0, 1)], 7);
        let chances: Vec<u8> = (1..=8)
            .map(|p| estimate_wait(&h, p, 14).percent().unwrap())
            .collect();
        assert!(chances.windows(2).all(|w| w[0] >= w[1]), "{chances:?}");
        assert!(chances[0] > chances[7]);
    }

    #[test]
    fn seats_nobody_in_front_took_leave_later_places_the_same_chance() {
        // the queue never took a released seat: those ahead do not use any up
        let h = history(2, &[(3, 2)], 0);
        assert_eq!(
            estimate_wait(&h, 1, 7).percent(),
            estimate_wait(&h, 5, 7).percent()
        );
    }

    #[test]
    fn releases_that_came_earlier_than_now_no_longer_count() {
        let h = history(2, &[(9, 2), (2, 2)], 4);
        let early = estimate_wait(&h, 1, 10);
        let late = estimate_wait(&h, 1, 5);
        assert!(early.percent() > late.percent());
        assert_eq!(
            late,
            WaitEstimate::Chance {
                percent: 63,
                typical_days_before_class: Some(2)
            }
        );
        let too_late = estimate_wait(&h, 1, 1);
        assert_eq!(too_late.percent(), Some(0));
        assert_eq!(too_late.text(), "根据以往记录，截止前有名额的可能很低");
    }

    #[test]
    fn roughly_when_is_the_seat_weighted_median_and_the_class_day_reads_as_such() {
        let h = history(1, &[(8, 1), (3, 1), (0, 4)], 6);
        let e = estimate_wait(&h, 1, 10);
        assert!(matches!(
            e,
            WaitEstimate::Chance {
                typical_days_before_class: Some(0),
                ..
            }
        ));
        assert!(e.text().ends_with("名额多在开课当天空出"), "{}", e.text());
    }

    #[test]
    fn days_until_class_are_whole_days_and_never_negative() {
        let start = DateTime::parse_from_rfc3339("2026-12-08T11:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            whole_days_until(start, start - chrono::Duration::hours(47)),
            1
        );
        assert_eq!(
            whole_days_until(start, start - chrono::Duration::hours(48)),
            2
        );
        assert_eq!(
            whole_days_until(start, start + chrono::Duration::hours(1)),
            0
        );
    }

    #[test]
    fn the_take_rate_never_exceeds_one() {
        // more confirmed entries than recorded seats (an old queue, a capacity raise)
        assert_eq!(history(1, &[(1, 1)], 3).take_rate(), Some(1.0));
    }
}
