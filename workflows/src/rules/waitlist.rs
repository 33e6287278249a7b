//! Waitlist rules W1–W4: who may join, and the texts the parent sees.

use chrono::{DateTime, Utc};
use thiserror::Error;

/// Why a join is refused, with the parent-facing message of design §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum JoinRefusal {
    /// W1: seats are still free.
    #[error("课程未满员，请直接预约")]
    NotFull,
    /// W1: the cutoff has passed.
    #[error("候补已截止")]
    PastCutoff,
    /// W2, F1: the queue holds `waitlist_capacity` waiting children (a family counts each).
    #[error("候补队列已满，请选择其他课程")]
    QueueFull,
    /// W3: this child already waits for this session.
    #[error("您已在候补队列中")]
    AlreadyWaiting,
    /// W3: this child already has a seat in this session.
    #[error("您已预约该课程")]
    AlreadyBooked,
}

/// What the join transaction sees of the session under its row lock.
#[derive(Debug, Clone, Copy)]
pub struct QueueSnapshot {
    pub now: DateTime<Utc>,
    pub cutoff_at: DateTime<Utc>,
    /// W1: full means no seat free for a direct booking (held seats count as taken).
    pub seats: crate::rules::seats::SeatCount,
    /// F1: children in the active entries (a family entry counts each of its children).
    pub waiting_children: u32,
    /// F1: children this join would add (1, or the family's size).
    pub children: u32,
    pub waitlist_capacity: u32,
    pub profile_is_waiting: bool,
    pub profile_is_booked: bool,
}

/// W1–W3, checked in the order a parent would find most useful.
pub fn check_join(s: &QueueSnapshot) -> Result<(), JoinRefusal> {
    if s.profile_is_booked {
        return Err(JoinRefusal::AlreadyBooked);
    }
    if s.profile_is_waiting {
        return Err(JoinRefusal::AlreadyWaiting);
    }
    if s.now >= s.cutoff_at {
        return Err(JoinRefusal::PastCutoff);
    }
    if !s.seats.is_full() {
        return Err(JoinRefusal::NotFull);
    }
    if !crate::rules::family::queue_has_room(s.waiting_children, s.children, s.waitlist_capacity) {
        return Err(JoinRefusal::QueueFull);
    }
    Ok(())
}

/// W4: the answer to a successful join.
pub fn position_message(position: u32) -> String {
    format!("您是第{position}位候补")
}

/// W4: `候补: X/Y人` as shown on a session.
pub fn queue_label(waiting: u32, capacity: u32) -> String {
    format!("候补: {waiting}/{capacity}人")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn full_session() -> QueueSnapshot {
        let now = Utc::now();
        QueueSnapshot {
            now,
            cutoff_at: now + Duration::hours(10),
            seats: crate::rules::seats::SeatCount {
                capacity: 6,
                booked: 6,
                held: 0,
            },
            waiting_children: 3,
            children: 1,
            waitlist_capacity: 8,
            profile_is_waiting: false,
            profile_is_booked: false,
        }
    }

    #[test]
    fn a_full_session_with_room_in_the_queue_accepts_the_join() {
        assert_eq!(check_join(&full_session()), Ok(()));
        assert_eq!(position_message(4), "您是第4位候补");
    }

    #[test]
    fn each_refusal_carries_the_seed_message() {
        let mut s = full_session();
        s.seats.booked = 5;
        assert_eq!(
            check_join(&s).unwrap_err().to_string(),
            "课程未满员，请直接预约"
        );
        s.seats.held = 1;
        assert_eq!(
            check_join(&s),
            Ok(()),
            "a seat held by an offer belongs to the queue"
        );
        let s = QueueSnapshot {
            cutoff_at: full_session().now,
            ..full_session()
        };
        assert_eq!(check_join(&s).unwrap_err().to_string(), "候补已截止");
        let s = QueueSnapshot {
            waiting_children: 8,
            ..full_session()
        };
        assert_eq!(
            check_join(&s).unwrap_err().to_string(),
            "候补队列已满，请选择其他课程"
        );
        let s = QueueSnapshot {
            profile_is_waiting: true,
            ..full_session()
        };
        assert_eq!(check_join(&s).unwrap_err().to_string(), "您已在候补队列中");
        let s = QueueSnapshot {
            profile_is_booked: true,
            ..full_session()
        };
        assert_eq!(check_join(&s), Err(JoinRefusal::AlreadyBooked));
    }

    #[test]
    fn vip_queue_of_five_shows_as_x_of_five() {
        assert_eq!(queue_label(2, 5), "候补: 2/5人");
        let s = QueueSnapshot {
            waiting_children: 5,
            waitlist_capacity: 5,
            ..full_session()
        };
        assert_eq!(check_join(&s), Err(JoinRefusal::QueueFull));
    }

    #[test]
    fn a_family_needs_room_in_the_queue_for_each_child() {
        let s = QueueSnapshot {
            waiting_children: 6,
            children: 2,
            ..full_session()
        };
        assert_eq!(check_join(&s), Ok(()));
        let s = QueueSnapshot {
            waiting_children: 7,
            children: 2,
            ..full_session()
        };
        assert_eq!(check_join(&s), Err(JoinRefusal::QueueFull));
    }
}
