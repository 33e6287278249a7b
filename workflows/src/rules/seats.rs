//! Seats of a session (W1, O1, O4, M3): the one rule of what is free. Seats an open offer still
//! holds belong to the waitlist: they are taken for anyone booking directly, joining the queue
//! or booking a makeup, until the offer is won or closes.

/// What decides a session's seats, read under its lock (or, for display, from one snapshot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeatCount {
    pub capacity: u32,
    /// bookings holding a seat (`booked`)
    pub booked: u32,
    /// seats open offers still hold for the queue
    pub held: u32,
}

impl SeatCount {
    /// Seats nobody holds: capacity − booked − held, never below zero.
    pub fn free(self) -> u32 {
        self.capacity
            .saturating_sub(self.booked.saturating_add(self.held))
    }

    /// W1, M3: full for a direct booking, a join or a makeup.
    pub fn is_full(self) -> bool {
        self.free() == 0
    }

    /// O1: how many seats a released booking gives the queue: one, unless the session was
    /// over capacity (ops lowered it) and the release only brings it back to capacity.
    /// `self` is counted after the booking was released.
    pub fn freed_by_release(self) -> u32 {
        u32::from(self.free() > 0)
    }

    /// O1: the seats a capacity change to `new_capacity` gives the queue; `None` when the new
    /// capacity is below the seats already booked or held (refused).
    pub fn freed_by_capacity(self, new_capacity: u32) -> Option<u32> {
        let taken = self.booked.saturating_add(self.held);
        if new_capacity < taken {
            return None;
        }
        Some(new_capacity.saturating_sub(self.capacity.max(taken)))
    }

    /// O4: a claim may still create a booking (ops may have lowered the capacity under an
    /// open offer: then nothing is left to give).
    pub fn claim_fits(self) -> bool {
        self.claimable() > 0
    }

    /// O4, F3: how many bookings claims may still create (capacity − booked; a family's claim
    /// needs one per child it books).
    pub fn claimable(self) -> u32 {
        self.capacity.saturating_sub(self.booked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seats(capacity: u32, booked: u32, held: u32) -> SeatCount {
        SeatCount {
            capacity,
            booked,
            held,
        }
    }

    #[test]
    fn seats_held_by_an_open_offer_are_taken_for_everyone_else() {
        assert_eq!(seats(6, 5, 0).free(), 1);
        assert!(seats(6, 5, 1).is_full());
        assert!(
            seats(6, 7, 0).is_full(),
            "over capacity is full, not negative"
        );
    }

    #[test]
    fn a_release_frees_one_seat_unless_the_session_was_over_capacity() {
        assert_eq!(seats(6, 5, 0).freed_by_release(), 1);
        assert_eq!(seats(6, 6, 0).freed_by_release(), 0);
        assert_eq!(seats(6, 5, 1).freed_by_release(), 0);
    }

    #[test]
    fn raising_capacity_frees_the_difference_and_lowering_below_taken_is_refused() {
        assert_eq!(seats(6, 6, 0).freed_by_capacity(8), Some(2));
        assert_eq!(seats(6, 4, 0).freed_by_capacity(8), Some(2));
        assert_eq!(seats(6, 6, 0).freed_by_capacity(6), Some(0));
        assert_eq!(seats(6, 5, 1).freed_by_capacity(5), None);
        assert_eq!(seats(6, 4, 0).freed_by_capacity(5), Some(0));
        // over capacity after a lowering: only what exceeds the taken seats is new
        assert_eq!(seats(4, 6, 0).freed_by_capacity(7), Some(1));
    }

    #[test]
    fn free_never_exceeds_capacity_and_is_zero_exactly_when_full() {
        for capacity in 0..6 {
            for booked in 0..8 {
                for held in 0..4 {
                    let s = seats(capacity, booked, held);
                    assert!(s.free() <= capacity);
                    assert_eq!(s.is_full(), booked + held >= capacity);
                }
            }
        }
    }
}
