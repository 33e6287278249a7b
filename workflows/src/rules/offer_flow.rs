//! The offer's state machine (O2–O7) as pure functions: who may act on the seat, what a claim's
//! result does to the seats, when the broadcast round is over, who is held in turn and when a
//! hold lapses. `WaitlistOfferWorkflow` keeps one [`OfferBook`] and asks it; the workflow only
//! adds timers, activities and messages.

use crate::offer::{OfferPhase, RespondInput, RespondRejection, Verdict};
use crate::rules::offer::{grace_until, in_time};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Answers one entry may give to one offer (begin, confirm, decline and a few retries); more
/// are refused before they reach the run's history.
pub const MAX_RESPONSES_PER_ENTRY: u32 = 8;

/// What an offer knows about its seats and the people it told.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferBook {
    pub phase: OfferPhase,
    /// Seats still offered. Only ever goes down within an offer.
    pub seats_open: u32,
    /// The broadcast round's deadline (O3).
    pub deadline: Option<DateTime<Utc>>,
    pub cutoff_at: Option<DateTime<Utc>>,
    pub grace_seconds: u32,
    pub hold_seconds: u32,
    /// Entries told `spot_available` (round 1).
    pub notified: BTreeSet<i64>,
    /// Entries that declined this offer (they keep their place in the queue, O7).
    pub declined: BTreeSet<i64>,
    /// Entries that left the queue while the offer was open.
    pub left: BTreeSet<i64>,
    /// Grace earned with `begin` (O6), per entry.
    pub graces: BTreeMap<i64, DateTime<Utc>>,
    /// Entries the seats are held for now, with each hold's deadline and round (O5).
    pub holders: BTreeMap<i64, Held>,
    pub winners: Vec<i64>,
    pub claims_in_flight: u32,
    /// Accepted answers per entry.
    pub responses: BTreeMap<i64, u32>,
    /// The broadcast deadline has been seen to pass: from then on only a graced entry may
    /// confirm in the broadcast round.
    pub broadcast_over: bool,
    /// A claim found no seat: the seats went to someone — a winner whose own result may
    /// reach the workflow later, or a booking made meanwhile. From then on a refusal says
    /// "taken", never "expired".
    #[serde(default)]
    pub seat_went_elsewhere: bool,
}

/// One hold in turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    pub deadline: DateTime<Utc>,
    /// The notification round of this hold.
    pub round: u32,
}

/// What a claim activity reported, as the book needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimResult {
    Won {
        booking_id: i64,
        seats_left: u32,
    },
    NoSeat,
    /// F2: fewer seats left than the family needs; the rest stay offered.
    TooFew {
        seats_left: u32,
    },
    NotActive,
    MakeupRefused(crate::makeup::MakeupRefusal),
    /// The claim failed for good.
    Failed,
}

/// What the broadcast round should do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BroadcastStep {
    /// Every seat is won, or the deadline and every grace passed with no claim running.
    Over,
    /// Sleep until then (or until something changes).
    WaitUntil(DateTime<Utc>),
    /// A claim is still running past the deadline: wait for it.
    WaitForChange,
}

/// What the hold phase should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldStep {
    /// No seat left.
    Won,
    /// These holders declined or left: their holds end, the seats go to the next in line.
    Released(Vec<i64>),
    /// A holder won a seat: hold for the next in line if seats remain.
    Refill,
    /// These holds (and their graces) passed unanswered (O7).
    Lapsed(Vec<i64>),
    WaitUntil(DateTime<Utc>),
    WaitForChange,
}

impl OfferBook {
    /// The verdict for someone who may not confirm now.
    pub fn refused(&self) -> Verdict {
        if self.seats_open == 0 && self.seats_taken() {
            Verdict::Taken
        } else {
            Verdict::Expired
        }
    }

    /// O4: may another seat claim start now? One claim per open seat runs at once; a confirm
    /// beyond them waits for one to settle. With no seat left it goes on, to be refused.
    pub fn claim_may_start(&self) -> bool {
        self.seats_open == 0 || self.claims_in_flight < self.seats_open
    }

    /// Someone has the seats: a settled winner, or a claim that found none left.
    fn seats_taken(&self) -> bool {
        !self.winners.is_empty() || self.seat_went_elsewhere
    }

    fn was_told(&self, id: i64) -> bool {
        self.notified.contains(&id) || self.holders.contains_key(&id)
    }

    /// The `respond` validator (no clock there): refuses what can be refused from the state
    /// alone, so declined, never-offered, passed-over or chatty entries never reach history.
    pub fn validate(&self, input: &RespondInput) -> Result<(), RespondRejection> {
        let id = input.waitlist_id;
        if id <= 0 {
            return Err(RespondRejection::Invalid);
        }
        match self.phase {
            OfferPhase::Won => return Err(RespondRejection::Taken),
            OfferPhase::Exhausted
            | OfferPhase::Cutoff
            | OfferPhase::NothingReleased
            | OfferPhase::Failed => return Err(RespondRejection::Expired),
            // The release step has not answered yet: the handler waits for it.
            OfferPhase::Releasing => return Ok(()),
            OfferPhase::Broadcast | OfferPhase::Hold => {}
        }
        if !self.was_told(id) || self.left.contains(&id) {
            return Err(RespondRejection::NotOffered);
        }
        if self.responses.get(&id).copied().unwrap_or(0) >= MAX_RESPONSES_PER_ENTRY {
            return Err(RespondRejection::TooMany);
        }
        if self.declined.contains(&id) {
            return Err(RespondRejection::Declined);
        }
        if self.seats_open == 0 {
            return Err(if self.seats_taken() {
                RespondRejection::Taken
            } else {
                RespondRejection::Expired
            });
        }
        let passed_over = match self.phase {
            OfferPhase::Hold => !self.holders.contains_key(&id),
            _ => self.broadcast_over && !self.graces.contains_key(&id),
        };
        if passed_over {
            return Err(RespondRejection::Expired);
        }
        Ok(())
    }

    /// May `id` act on the seat at `t`? Broadcast: any notified entry in time. Hold: a holder
    /// in time. O6: a grace earned with `begin` extends "in time".
    pub fn may_act(&self, id: i64, t: DateTime<Utc>) -> bool {
        if self.seats_open == 0 || self.declined.contains(&id) || self.left.contains(&id) {
            return false;
        }
        let grace = self.graces.get(&id).copied();
        match self.phase {
            OfferPhase::Broadcast => {
                self.notified.contains(&id) && self.deadline.is_some_and(|d| in_time(t, d, grace))
            }
            OfferPhase::Hold => self
                .holders
                .get(&id)
                .is_some_and(|h| in_time(t, h.deadline, grace)),
            _ => false,
        }
    }

    /// Counts an accepted answer of `id`.
    pub fn answered(&mut self, id: i64) {
        *self.responses.entry(id).or_default() += 1;
    }

    /// O6: `begin` at `t` earns (once) a grace of max(deadline, t + grace), cut at the cutoff.
    pub fn begin(&mut self, id: i64, t: DateTime<Utc>) -> DateTime<Utc> {
        let deadline = match self.phase {
            OfferPhase::Hold => self.holders.get(&id).map(|h| h.deadline),
            _ => self.deadline,
        }
        .unwrap_or(t);
        let cutoff = self.cutoff_at.unwrap_or(deadline);
        let grace = self.grace_seconds;
        *self
            .graces
            .entry(id)
            .or_insert_with(|| grace_until(t, deadline, grace, cutoff))
    }

    /// O7: give up this offer, keep the place in the queue.
    pub fn decline(&mut self, id: i64) {
        self.declined.insert(id);
    }

    /// The entry left the queue: it can no longer act, and a hold it had is passed on.
    pub fn entry_left(&mut self, id: i64) {
        self.left.insert(id);
    }

    /// O4: what a claim's result does. Seats only ever go down: a result that arrives after a
    /// later one (claims run in parallel) cannot re-open a seat.
    pub fn claim_settled(&mut self, id: i64, result: ClaimResult) -> Verdict {
        match result {
            ClaimResult::Won {
                booking_id,
                seats_left,
            } => {
                self.seats_open = self.seats_open.saturating_sub(1).min(seats_left);
                self.winners.push(id);
                self.holders.remove(&id);
                Verdict::Won { booking_id }
            }
            ClaimResult::NoSeat => {
                self.seats_open = 0;
                self.seat_went_elsewhere = true;
                Verdict::Taken
            }
            ClaimResult::TooFew { seats_left } => {
                self.seats_open = self.seats_open.min(seats_left);
                Verdict::Taken
            }
            ClaimResult::NotActive => Verdict::Expired,
            ClaimResult::MakeupRefused(refusal) => Verdict::MakeupRefused { refusal },
            ClaimResult::Failed => Verdict::Unavailable,
        }
    }

    fn last_grace(&self) -> Option<DateTime<Utc>> {
        self.graces.values().max().copied()
    }

    /// Notes what time tells: the broadcast deadline has passed.
    pub fn observe(&mut self, now: DateTime<Utc>) {
        if self.deadline.is_some_and(|d| now >= d) {
            self.broadcast_over = true;
        }
    }

    /// The broadcast round (O2–O6): over when every seat is won, or when the deadline and every
    /// grace have passed with no claim still running. With `wake_at_deadline`, it also wakes at
    /// the deadline itself when a grace runs longer, so late answers are refused early.
    pub fn broadcast_step(&self, now: DateTime<Utc>, wake_at_deadline: bool) -> BroadcastStep {
        if self.seats_open == 0 {
            // Every claim still running must settle first: a "no seat" can arrive before the
            // winner's own result, and the winner must not be told the seat is taken.
            return if self.claims_in_flight == 0 {
                BroadcastStep::Over
            } else {
                BroadcastStep::WaitForChange
            };
        }
        let deadline = self.deadline.unwrap_or(now);
        let cutoff = self.cutoff_at.unwrap_or(deadline);
        let end = self
            .last_grace()
            .map_or(deadline, |g| g.max(deadline))
            .min(cutoff);
        if now >= end {
            return if self.claims_in_flight == 0 {
                BroadcastStep::Over
            } else {
                BroadcastStep::WaitForChange
            };
        }
        if wake_at_deadline && now < deadline && deadline < end {
            return BroadcastStep::WaitUntil(deadline);
        }
        BroadcastStep::WaitUntil(end)
    }

    /// How many more people the open seats can be held for.
    pub fn holds_wanted(&self) -> u32 {
        let held = u32::try_from(self.holders.len()).unwrap_or(u32::MAX);
        self.seats_open.saturating_sub(held)
    }

    /// Entries a new hold must not go to: declined, left, or held already.
    pub fn hold_exclusions(&self) -> Vec<i64> {
        let mut out: BTreeSet<i64> = self.declined.union(&self.left).copied().collect();
        out.extend(self.holders.keys().copied());
        out.into_iter().collect()
    }

    /// O5: the seat is now held for `id` until `deadline`; a grace from an earlier round does
    /// not carry over.
    pub fn hold_started(&mut self, id: i64, deadline: DateTime<Utc>, round: u32) {
        self.phase = OfferPhase::Hold;
        self.graces.remove(&id);
        self.holders.insert(id, Held { deadline, round });
    }

    /// A hold ended (lapsed, declined, left): the entry is no longer held.
    pub fn hold_ended(&mut self, id: i64) {
        self.holders.remove(&id);
    }

    /// The hold phase: what ends the current wait. `held_at_start` is how many holders there
    /// were when the wait began (fewer now means one of them won).
    pub fn hold_step(&self, now: DateTime<Utc>, held_at_start: usize) -> HoldStep {
        if self.seats_open == 0 {
            return if self.claims_in_flight == 0 {
                HoldStep::Won
            } else {
                HoldStep::WaitForChange
            };
        }
        let gone: Vec<i64> = self
            .holders
            .keys()
            .copied()
            .filter(|id| self.declined.contains(id) || self.left.contains(id))
            .collect();
        if !gone.is_empty() {
            return HoldStep::Released(gone);
        }
        if self.holders.len() < held_at_start {
            return HoldStep::Refill;
        }
        let ends: Vec<(i64, DateTime<Utc>)> = self
            .holders
            .iter()
            .map(|(id, h)| {
                let end = self
                    .graces
                    .get(id)
                    .map_or(h.deadline, |g| (*g).max(h.deadline));
                (*id, end)
            })
            .collect();
        let lapsed: Vec<i64> = ends
            .iter()
            .filter(|(_, end)| now >= *end)
            .map(|(id, _)| *id)
            .collect();
        if !lapsed.is_empty() {
            return if self.claims_in_flight == 0 {
                HoldStep::Lapsed(lapsed)
            } else {
                HoldStep::WaitForChange
            };
        }
        match ends.iter().map(|(_, end)| *end).min() {
            Some(at) => HoldStep::WaitUntil(at),
            None => HoldStep::WaitForChange,
        }
    }

    /// O4: the people told about the seat who did not get it.
    pub fn losers(&self) -> Vec<i64> {
        self.notified
            .iter()
            .copied()
            .filter(|id| !self.winners.contains(id))
            .collect()
    }

    /// Who a re-send goes to: the holders during a hold, else everyone told who is still in
    /// the race.
    pub fn resend_targets(&self) -> Vec<i64> {
        match self.phase {
            OfferPhase::Hold if !self.holders.is_empty() => self.holders.keys().copied().collect(),
            _ => self
                .notified
                .iter()
                .copied()
                .filter(|id| {
                    !self.declined.contains(id)
                        && !self.left.contains(id)
                        && !self.winners.contains(id)
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offer::Action;
    use chrono::{Duration, TimeZone};

    fn at(m: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 4, 30, 0).unwrap() + Duration::minutes(m)
    }

    /// Released at minute 0: two seats, deadline at 15, cutoff at 30, three told.
    fn broadcast(seats: u32) -> OfferBook {
        OfferBook {
            phase: OfferPhase::Broadcast,
            seats_open: seats,
            deadline: Some(at(15)),
            cutoff_at: Some(at(30)),
            grace_seconds: 120,
            hold_seconds: 300,
            notified: [1, 2, 3].into(),
            ..Default::default()
        }
    }

    fn respond(id: i64) -> RespondInput {
        RespondInput {
            waitlist_id: id,
            action: Action::Confirm,
        }
    }

    #[test]
    fn a_family_too_big_for_the_seats_left_is_told_taken_and_the_seats_stay_offered() {
        let mut book = broadcast(2);
        book.claim_settled(
            1,
            ClaimResult::Won {
                booking_id: 10,
                seats_left: 1,
            },
        );
        assert_eq!(
            book.claim_settled(2, ClaimResult::TooFew { seats_left: 1 }),
            Verdict::Taken
        );
        assert_eq!(
            book.seats_open, 1,
            "one seat is still offered to the others"
        );
        assert!(!book.seat_went_elsewhere);
        assert_eq!(
            book.claim_settled(
                3,
                ClaimResult::Won {
                    booking_id: 11,
                    seats_left: 0
                }
            ),
            Verdict::Won { booking_id: 11 }
        );
        assert_eq!(book.seats_open, 0);
    }

    #[test]
    fn a_family_claim_takes_as_many_seats_as_the_database_says() {
        let mut book = broadcast(3);
        book.claim_settled(
            1,
            ClaimResult::Won {
                booking_id: 10,
                seats_left: 1,
            },
        );
        assert_eq!(book.seats_open, 1, "a family of two took two of three");
    }

    #[test]
    fn the_validator_refuses_the_never_offered_the_declined_and_the_chatty() {
        let mut b = broadcast(1);
        assert_eq!(b.validate(&respond(1)), Ok(()));
        assert_eq!(b.validate(&respond(9)), Err(RespondRejection::NotOffered));
        assert_eq!(b.validate(&respond(0)), Err(RespondRejection::Invalid));
        b.decline(2);
        assert_eq!(b.validate(&respond(2)), Err(RespondRejection::Declined));
        b.entry_left(3);
        assert_eq!(b.validate(&respond(3)), Err(RespondRejection::NotOffered));
        for _ in 0..MAX_RESPONSES_PER_ENTRY {
            b.answered(1);
        }
        assert_eq!(b.validate(&respond(1)), Err(RespondRejection::TooMany));
    }

    #[test]
    fn after_the_deadline_only_a_graced_entry_passes_the_validator() {
        let mut b = broadcast(1);
        b.begin(1, at(14));
        b.observe(at(15));
        assert_eq!(b.validate(&respond(1)), Ok(()));
        assert_eq!(b.validate(&respond(2)), Err(RespondRejection::Expired));
        assert!(b.may_act(1, at(16)) && !b.may_act(1, at(17)) && !b.may_act(2, at(16)));
    }

    #[test]
    fn a_loser_settled_before_the_winner_makes_everyone_after_it_taken_not_expired() {
        // Two claims race for one seat: the winner's commits first, but the loser's "no seat"
        // reaches the workflow first. Whoever asks now must hear "taken".
        let mut b = broadcast(1);
        assert_eq!(b.claim_settled(2, ClaimResult::NoSeat), Verdict::Taken);
        assert!(b.winners.is_empty());
        assert_eq!(b.validate(&respond(3)), Err(RespondRejection::Taken));
        assert_eq!(b.refused(), Verdict::Taken);
    }

    #[test]
    fn one_claim_per_open_seat_runs_at_once_and_the_rest_wait_to_be_told() {
        let mut b = broadcast(2);
        assert!(b.claim_may_start());
        b.claims_in_flight = 2;
        assert!(
            !b.claim_may_start(),
            "two seats, two claims running: the third waits"
        );
        b.claims_in_flight -= 1;
        b.claim_settled(
            1,
            ClaimResult::Won {
                booking_id: 7,
                seats_left: 1,
            },
        );
        assert!(
            !b.claim_may_start(),
            "one seat left, one claim still running"
        );
        b.claims_in_flight -= 1;
        b.claim_settled(2, ClaimResult::NoSeat);
        assert!(
            b.claim_may_start(),
            "no seat left: the waiting confirm goes on"
        );
        assert_eq!(b.refused(), Verdict::Taken);
    }

    #[test]
    fn closed_offers_say_taken_or_expired() {
        let mut b = broadcast(1);
        b.phase = OfferPhase::Won;
        assert_eq!(b.validate(&respond(1)), Err(RespondRejection::Taken));
        b.phase = OfferPhase::Cutoff;
        assert_eq!(b.validate(&respond(1)), Err(RespondRejection::Expired));
        b.phase = OfferPhase::Releasing;
        assert_eq!(
            b.validate(&respond(9)),
            Ok(()),
            "the handler waits for the release"
        );
    }

    #[test]
    fn seats_only_go_down_whatever_order_claim_results_arrive_in() {
        let mut b = broadcast(2);
        // Second claim's result (seats_left 0) arrives before the first's (seats_left 1).
        let v2 = b.claim_settled(
            2,
            ClaimResult::Won {
                booking_id: 20,
                seats_left: 0,
            },
        );
        let v1 = b.claim_settled(
            1,
            ClaimResult::Won {
                booking_id: 10,
                seats_left: 1,
            },
        );
        assert_eq!(
            (v1, v2),
            (
                Verdict::Won { booking_id: 10 },
                Verdict::Won { booking_id: 20 }
            )
        );
        assert_eq!(b.seats_open, 0, "a late result does not re-open a seat");
        assert_eq!(b.refused(), Verdict::Taken);
        assert_eq!(b.losers(), vec![3]);
    }

    #[test]
    fn a_no_seat_that_overtakes_the_winners_result_does_not_end_the_round_early() {
        let mut b = broadcast(1);
        b.claims_in_flight = 2;
        // The loser's "no seat" arrives first...
        b.claims_in_flight -= 1;
        b.claim_settled(2, ClaimResult::NoSeat);
        assert_eq!(b.broadcast_step(at(1), true), BroadcastStep::WaitForChange);
        // ...then the winner's own result: only now is the round over, with the winner known.
        b.claims_in_flight -= 1;
        b.claim_settled(
            1,
            ClaimResult::Won {
                booking_id: 7,
                seats_left: 0,
            },
        );
        assert_eq!(b.broadcast_step(at(1), true), BroadcastStep::Over);
        assert_eq!(b.losers(), vec![2, 3]);
    }

    #[test]
    fn failed_and_refused_claims_leave_the_seat_with_the_offer() {
        let mut b = broadcast(1);
        assert_eq!(
            b.claim_settled(1, ClaimResult::Failed),
            Verdict::Unavailable
        );
        let refusal = crate::makeup::MakeupRefusal::Clash;
        assert_eq!(
            b.claim_settled(2, ClaimResult::MakeupRefused(refusal)),
            Verdict::MakeupRefused { refusal }
        );
        assert_eq!(b.seats_open, 1);
        assert_eq!(b.claim_settled(3, ClaimResult::NoSeat), Verdict::Taken);
        assert_eq!(b.seats_open, 0);
    }

    #[test]
    fn the_broadcast_ends_at_the_deadline_or_the_last_grace_never_past_the_cutoff() {
        let mut b = broadcast(1);
        assert_eq!(
            b.broadcast_step(at(0), true),
            BroadcastStep::WaitUntil(at(15))
        );
        b.begin(1, at(14)); // grace to 16
        assert_eq!(
            b.broadcast_step(at(0), false),
            BroadcastStep::WaitUntil(at(16))
        );
        assert_eq!(
            b.broadcast_step(at(0), true),
            BroadcastStep::WaitUntil(at(15))
        );
        assert_eq!(
            b.broadcast_step(at(15), true),
            BroadcastStep::WaitUntil(at(16))
        );
        assert_eq!(b.broadcast_step(at(16), true), BroadcastStep::Over);
        b.claims_in_flight = 1;
        assert_eq!(b.broadcast_step(at(16), true), BroadcastStep::WaitForChange);
        let mut late = broadcast(1);
        late.graces.insert(1, at(45));
        assert_eq!(
            late.broadcast_step(at(20), false),
            BroadcastStep::WaitUntil(at(30))
        );
        late.seats_open = 0;
        assert_eq!(late.broadcast_step(at(0), false), BroadcastStep::Over);
    }

    #[test]
    fn an_offer_of_two_seats_holds_for_two_people_and_never_the_same_twice() {
        let mut b = broadcast(2);
        b.decline(1);
        assert_eq!(b.holds_wanted(), 2);
        b.hold_started(2, at(20), 2);
        assert_eq!(b.hold_exclusions(), vec![1, 2]);
        b.hold_started(3, at(21), 3);
        assert_eq!(b.holds_wanted(), 0);
        assert_eq!(b.phase, OfferPhase::Hold);
        assert!(b.may_act(2, at(19)) && b.may_act(3, at(21)) && !b.may_act(1, at(19)));
        assert_eq!(b.validate(&respond(1)), Err(RespondRejection::Declined));
        assert_eq!(b.hold_step(at(19), 2), HoldStep::WaitUntil(at(20)));
        assert_eq!(b.hold_step(at(20), 2), HoldStep::Lapsed(vec![2]));
        b.claims_in_flight = 1;
        assert_eq!(b.hold_step(at(20), 2), HoldStep::WaitForChange);
    }

    #[test]
    fn a_holder_who_declines_or_leaves_passes_the_hold_on_at_once_and_a_win_refills() {
        let mut b = broadcast(2);
        b.hold_started(1, at(20), 2);
        b.hold_started(2, at(20), 3);
        b.entry_left(1);
        assert_eq!(b.hold_step(at(16), 2), HoldStep::Released(vec![1]));
        b.hold_ended(1);
        b.claim_settled(
            2,
            ClaimResult::Won {
                booking_id: 5,
                seats_left: 1,
            },
        );
        assert_eq!(b.hold_step(at(16), 1), HoldStep::Refill);
        assert_eq!(b.holds_wanted(), 1);
        b.claim_settled(3, ClaimResult::NoSeat);
        assert_eq!(b.hold_step(at(16), 0), HoldStep::Won);
    }

    #[test]
    fn a_begin_during_a_hold_extends_that_hold_only() {
        let mut b = broadcast(1);
        b.hold_started(2, at(20), 2);
        let g = b.begin(2, at(19));
        assert_eq!(g, at(21));
        assert_eq!(b.hold_step(at(20), 1), HoldStep::WaitUntil(at(21)));
        assert_eq!(b.hold_step(at(21), 1), HoldStep::Lapsed(vec![2]));
        assert_eq!(b.resend_targets(), vec![2]);
    }
}
