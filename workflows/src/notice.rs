//! The notification types of design N1: the `type` the in-app centre stores and the API
//! returns, and the key of each WeChat subscribe-message template.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeType {
    SpotAvailable,
    SeatTaken,
    HoldForYou,
    OfferExpired,
    WaitlistExpired,
    PositionChanged,
    MakeupBooked,
    MakeupCancelled,
    CompensationExpiring,
    /// AA1: auto-accept booked the released seat(s) for the entry.
    SeatConfirmed,
}

impl NoticeType {
    pub const ALL: [NoticeType; 10] = [
        NoticeType::SpotAvailable,
        NoticeType::SeatTaken,
        NoticeType::HoldForYou,
        NoticeType::OfferExpired,
        NoticeType::WaitlistExpired,
        NoticeType::PositionChanged,
        NoticeType::MakeupBooked,
        NoticeType::MakeupCancelled,
        NoticeType::CompensationExpiring,
        NoticeType::SeatConfirmed,
    ];

    /// The stored and returned `type`, e.g. `spot_available`.
    pub fn code(self) -> &'static str {
        match self {
            NoticeType::SpotAvailable => "spot_available",
            NoticeType::SeatTaken => "seat_taken",
            NoticeType::HoldForYou => "hold_for_you",
            NoticeType::OfferExpired => "offer_expired",
            NoticeType::WaitlistExpired => "waitlist_expired",
            NoticeType::PositionChanged => "position_changed",
            NoticeType::MakeupBooked => "makeup_booked",
            NoticeType::MakeupCancelled => "makeup_cancelled",
            NoticeType::CompensationExpiring => "compensation_expiring",
            NoticeType::SeatConfirmed => "seat_confirmed",
        }
    }

    /// L1: a notice about a queue entry that is still waiting after it (an offer, a seat
    /// taken by someone else, a move up) carries the one-tap way to leave the queue. The
    /// cutoff's `waitlist_expired` ends the entry, and the other types are not about a queue.
    pub fn offers_leave(self) -> bool {
        matches!(
            self,
            NoticeType::SpotAvailable
                | NoticeType::SeatTaken
                | NoticeType::HoldForYou
                | NoticeType::OfferExpired
                | NoticeType::PositionChanged
        )
    }

    /// `SPOT_AVAILABLE`: the suffix of its `WECHAT_TEMPLATE_*` variables.
    pub fn env_suffix(self) -> String {
        self.code().to_uppercase()
    }
}

impl fmt::Display for NoticeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for NoticeType {
    type Err = UnknownNoticeType;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.code() == s)
            .ok_or_else(|| UnknownNoticeType(s.to_string()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown notification type {0:?}")]
pub struct UnknownNoticeType(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_reads_back_from_its_code() {
        for t in NoticeType::ALL {
            assert_eq!(t.code().parse::<NoticeType>(), Ok(t));
            assert_eq!(
                serde_json::to_value(t).unwrap(),
                serde_json::json!(t.code())
            );
        }
        assert!("spot".parse::<NoticeType>().is_err());
    }

    #[test]
    fn every_waitlist_notice_of_a_waiting_entry_offers_the_way_out() {
        let leaving: Vec<&str> = NoticeType::ALL
            .into_iter()
            .filter(|t| t.offers_leave())
            .map(NoticeType::code)
            .collect();
        assert_eq!(
            leaving,
            [
                "spot_available",
                "seat_taken",
                "hold_for_you",
                "offer_expired",
                "position_changed"
            ]
        );
    }
}
