//! Family entries and auto-accept (F1–F4, AA1) as pure functions: how many seats an offer
//! gives an entry of one or more children, who a release tells, and who auto-accept books
//! before the broadcast starts.
//!
//! A family entry is one place in the queue for two or more children of one parent (F1); the
//! queue's capacity counts children. An offer goes to it only when the offer's seats are enough
//! for all of them, or, if the parent allowed it when joining, for as many as are free (F2).

use crate::offer::NoOfferReason;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// F1: children one entry may hold (the child and up to five siblings).
pub const MAX_CHILDREN: usize = 6;

/// What an entry asks of an offer: how many children still wait in it, and whether fewer
/// seats than that will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub children: u32,
    pub accept_partial: bool,
}

impl Party {
    /// One child: every entry before families, and most after.
    pub const SINGLE: Party = Party {
        children: 1,
        accept_partial: false,
    };
}

/// F2: the seats an offer with `free` seats gives this entry — all its children when they
/// fit, else as many as are free if the parent allowed a partial booking — or `None` when the
/// entry is passed over by this offer (it keeps its place).
pub fn seats_for(party: Party, free: u32) -> Option<u32> {
    let children = party.children.max(1);
    if free == 0 {
        None
    } else if children <= free {
        Some(children)
    } else if party.accept_partial {
        Some(free)
    } else {
        None
    }
}

/// An active entry as a release sees it, in queue order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub waitlist_id: i64,
    pub party: Party,
    /// AA1: the parent opted in to be booked at once.
    pub auto_accept: bool,
}

/// AA1: one entry auto-accept books, with how many seats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoPick {
    pub waitlist_id: i64,
    pub seats: u32,
}

/// AA1: the auto-accept entries a release of `seats` books, in queue order, before anyone is
/// told; an entry the remaining seats do not fit (F2) is passed over and keeps its place.
pub fn auto_accept_picks(queue: &[Waiting], seats: u32) -> Vec<AutoPick> {
    let mut left = seats;
    let mut picks = Vec::new();
    for w in queue.iter().filter(|w| w.auto_accept) {
        if let Some(taken) = seats_for(w.party, left) {
            picks.push(AutoPick {
                waitlist_id: w.waitlist_id,
                seats: taken,
            });
            left -= taken;
        }
    }
    picks
}

/// F2: who a broadcast of `seats` seats tells: every entry, in queue order, that the seats
/// would fit.
pub fn broadcast_audience(queue: &[Waiting], seats: u32) -> Vec<i64> {
    queue
        .iter()
        .filter(|w| seats_for(w.party, seats).is_some())
        .map(|w| w.waitlist_id)
        .collect()
}

/// O1, AA1, F2: why a release that may offer opens no broadcast after auto-accept: every seat
/// was auto-accepted, or nobody the seats left fit is waiting.
pub fn no_broadcast_reason(seats_left: u32, audience: usize) -> Option<NoOfferReason> {
    if seats_left == 0 {
        Some(NoOfferReason::AutoAccepted)
    } else if audience == 0 {
        Some(NoOfferReason::QueueEmpty)
    } else {
        None
    }
}

/// F4: what a won claim leaves of the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterBooking {
    /// Every child has a seat: the entry is confirmed and leaves the queue.
    Confirmed,
    /// A partial booking: the children without a seat keep the entry's place in the queue.
    StillWaiting { children: u32 },
}

/// F4: a family booked for `booked` of its children keeps waiting, in its place, for the rest.
pub fn after_booking(party: Party, booked: u32) -> AfterBooking {
    match party.children.max(1).saturating_sub(booked) {
        0 => AfterBooking::Confirmed,
        children => AfterBooking::StillWaiting { children },
    }
}

/// Why a family join is refused before the queue is looked at (400 with this message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum FamilyRefusal {
    #[error("一次最多为6个孩子候补")]
    TooMany,
    #[error("同一个孩子不能重复")]
    Repeated,
    #[error("补课候补只能为一个孩子")]
    WithMakeup,
}

/// F1: the children of one entry, the first being the entry's own child; siblings must be
/// different children, at most [`MAX_CHILDREN`] in all, and a makeup waits for one child only.
pub fn family_children(
    child: i64,
    siblings: &[i64],
    for_makeup: bool,
) -> Result<Vec<i64>, FamilyRefusal> {
    if for_makeup && !siblings.is_empty() {
        return Err(FamilyRefusal::WithMakeup);
    }
    let mut children = vec![child];
    for s in siblings {
        if children.contains(s) {
            return Err(FamilyRefusal::Repeated);
        }
        children.push(*s);
    }
    if children.len() > MAX_CHILDREN {
        return Err(FamilyRefusal::TooMany);
    }
    Ok(children)
}

/// E1, F1: the seats an entry at `position` waits for, as the estimate counts them: one for
/// each entry ahead, then one per child of its own (a family needs a seat for each).
pub fn seats_to_wait_for(position: u32, children: u32) -> u32 {
    position.max(1).saturating_add(children.max(1) - 1)
}

/// F1: a queue holding `waiting_children` children has room for `children` more.
pub fn queue_has_room(waiting_children: u32, children: u32, capacity: u32) -> bool {
    waiting_children.saturating_add(children.max(1)) <= capacity
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family(children: u32, accept_partial: bool) -> Party {
        Party {
            children,
            accept_partial,
        }
    }

    fn waiting(id: i64, children: u32, partial: bool, auto: bool) -> Waiting {
        Waiting {
            waitlist_id: id,
            party: family(children, partial),
            auto_accept: auto,
        }
    }

    #[test]
    fn a_family_is_offered_seats_for_all_its_children_or_none_unless_partial_is_allowed() {
        assert_eq!(seats_for(Party::SINGLE, 1), Some(1));
        assert_eq!(seats_for(Party::SINGLE, 3), Some(1));
        assert_eq!(seats_for(family(2, false), 1), None);
        assert_eq!(seats_for(family(2, false), 2), Some(2));
        assert_eq!(seats_for(family(2, false), 5), Some(2));
        assert_eq!(seats_for(family(3, true), 2), Some(2));
        assert_eq!(seats_for(family(3, true), 0), None);
        assert_eq!(seats_for(Party::SINGLE, 0), None);
    }

    #[test]
    fn a_broadcast_tells_only_the_entries_its_seats_fit_in_queue_order() {
        let queue = [
            waiting(1, 2, false, false),
            waiting(2, 1, false, false),
            waiting(3, 3, true, false),
        ];
        assert_eq!(broadcast_audience(&queue, 1), [2, 3]);
        assert_eq!(broadcast_audience(&queue, 2), [1, 2, 3]);
    }

    #[test]
    fn auto_accept_books_in_queue_order_and_passes_over_who_does_not_fit() {
        let queue = [
            waiting(1, 1, false, false),
            waiting(2, 2, false, true),
            waiting(3, 1, false, true),
            waiting(4, 1, false, true),
        ];
        let picks = auto_accept_picks(&queue, 2);
        assert_eq!(
            picks,
            [AutoPick {
                waitlist_id: 2,
                seats: 2
            }]
        );
        let picks = auto_accept_picks(&queue, 1);
        assert_eq!(
            picks,
            [AutoPick {
                waitlist_id: 3,
                seats: 1
            }],
            "the family of two does not fit one seat; the next auto-accept entry gets it"
        );
        assert!(auto_accept_picks(&queue[..1], 3).is_empty(), "opt-in only");
    }

    #[test]
    fn family_children_start_with_the_child_and_refuse_repeats_too_many_and_makeups() {
        assert_eq!(family_children(7, &[], false), Ok(vec![7]));
        assert_eq!(family_children(7, &[8, 9], false), Ok(vec![7, 8, 9]));
        assert_eq!(
            family_children(7, &[8, 7], false),
            Err(FamilyRefusal::Repeated)
        );
        assert_eq!(
            family_children(7, &[8, 8], false),
            Err(FamilyRefusal::Repeated)
        );
        assert_eq!(
            family_children(1, &[2, 3, 4, 5, 6, 7], false),
            Err(FamilyRefusal::TooMany)
        );
        assert_eq!(
            family_children(1, &[2, 3, 4, 5, 6], false).unwrap().len(),
            6
        );
        assert_eq!(
            family_children(7, &[8], true),
            Err(FamilyRefusal::WithMakeup)
        );
        assert_eq!(family_children(7, &[], true), Ok(vec![7]));
    }

    #[test]
    fn after_auto_accept_a_broadcast_needs_seats_left_and_someone_they_fit() {
        assert_eq!(no_broadcast_reason(0, 3), Some(NoOfferReason::AutoAccepted));
        assert_eq!(no_broadcast_reason(1, 0), Some(NoOfferReason::QueueEmpty));
        assert_eq!(no_broadcast_reason(2, 1), None);
    }

    #[test]
    fn a_family_waits_for_a_seat_per_child_in_the_estimate() {
        assert_eq!(seats_to_wait_for(1, 1), 1);
        assert_eq!(seats_to_wait_for(3, 1), 3);
        assert_eq!(seats_to_wait_for(1, 2), 2);
        assert_eq!(seats_to_wait_for(2, 3), 4);
    }

    #[test]
    fn a_partly_booked_family_keeps_waiting_for_the_rest_in_its_place() {
        assert_eq!(after_booking(Party::SINGLE, 1), AfterBooking::Confirmed);
        assert_eq!(after_booking(family(2, false), 2), AfterBooking::Confirmed);
        assert_eq!(
            after_booking(family(3, true), 1),
            AfterBooking::StillWaiting { children: 2 }
        );
        assert_eq!(
            after_booking(family(2, true), 1),
            AfterBooking::StillWaiting { children: 1 }
        );
    }

    #[test]
    fn the_queue_capacity_counts_children() {
        assert!(queue_has_room(6, 2, 8));
        assert!(!queue_has_room(7, 2, 8));
        assert!(queue_has_room(7, 1, 8));
        assert!(!queue_has_room(8, 1, 8));
    }

    /// Exhaustive over small domains: never more seats than free or than children, and all
    /// children whenever they fit.
    #[test]
    fn seats_for_never_gives_more_than_free_or_wanted() {
        for children in 1..7 {
            for partial in [false, true] {
                for free in 0..8 {
                    match seats_for(family(children, partial), free) {
                        Some(n) => {
                            assert!(n >= 1 && n <= free && n <= children);
                            assert!(n == children || partial);
                        }
                        None => assert!(free == 0 || (children > free && !partial)),
                    }
                }
            }
        }
    }

    /// Every queue of up to six entries of 1–3 children, each opted in or not: auto-accept
    /// never books more seats than released, only opted-in entries, in queue order, and stops
    /// only when no opted-in entry left fits.
    #[test]
    fn auto_accept_never_overbooks_and_keeps_queue_order() {
        let kinds: Vec<(u32, bool, bool)> = (1..4)
            .flat_map(|c| [(c, false, true), (c, true, true), (c, false, false)])
            .collect();
        let mut queues: Vec<Vec<Waiting>> = vec![Vec::new()];
        for len in 1..=4 {
            let mut next = Vec::new();
            for q in queues.iter().filter(|q| q.len() == len - 1) {
                for (c, p, a) in &kinds {
                    let mut q = q.clone();
                    q.push(waiting(len as i64, *c, *p, *a));
                    next.push(q);
                }
            }
            queues.extend(next);
        }
        for queue in &queues {
            for seats in 0..5 {
                let picks = auto_accept_picks(queue, seats);
                let total: u32 = picks.iter().map(|p| p.seats).sum();
                assert!(total <= seats, "{queue:?} {seats}");
                let ids: Vec<i64> = picks.iter().map(|p| p.waitlist_id).collect();
                assert!(ids.windows(2).all(|w| w[0] < w[1]), "queue order");
                for w in queue
                    .iter()
                    .filter(|w| w.auto_accept && !ids.contains(&w.waitlist_id))
                {
                    let left_when_reached = seats
                        - picks
                            .iter()
                            .filter(|p| p.waitlist_id < w.waitlist_id)
                            .map(|p| p.seats)
                            .sum::<u32>();
                    assert_eq!(
                        seats_for(w.party, left_when_reached),
                        None,
                        "{queue:?} {seats}"
                    );
                }
                assert!(picks.iter().all(|p| {
                    queue
                        .iter()
                        .any(|w| w.waitlist_id == p.waitlist_id && w.auto_accept)
                }));
            }
        }
    }
}
