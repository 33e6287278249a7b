//! The stored states of bookings, queue entries, pending makeups, makeups and credits, as
//! closed types. The database keeps them as MySQL ENUMs; the API and the activities read them
//! through `TryFrom<String>` (sqlx `#[sqlx(try_from = "String")]`), so an unknown value is a
//! decode error, never a silent default.

use serde::{Deserialize, Serialize};

/// Defines a stored state: variants, their stored names, `TryFrom<String>`, `Display`.
macro_rules! stored_state {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored (and serialized) name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = UnknownState;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or(UnknownState { kind: stringify!($name), value: s })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}")]
pub struct UnknownState {
    pub kind: &'static str,
    pub value: String,
}

stored_state!(
    /// `booking.status`
    BookingStatus {
        Booked = "booked",
        Cancelled = "cancelled",
        Leave = "leave",
        Attended = "attended",
        NoShow = "no_show",
    }
);

stored_state!(
    /// `waitlist.status`
    EntryStatus {
        Waiting = "waiting",
        Notified = "notified",
        Confirmed = "confirmed",
        Expired = "expired",
        Cancelled = "cancelled",
    }
);

impl EntryStatus {
    /// Still in the queue (W4 positions count these).
    pub fn is_active(self) -> bool {
        matches!(self, EntryStatus::Waiting | EntryStatus::Notified)
    }
}

stored_state!(
    /// `pending_makeup.status`
    PendingStatus {
        Open = "open",
        Booked = "booked",
        Closed = "closed",
    }
);

stored_state!(
    /// `makeup_booking.status`
    MakeupStatus {
        Pending = "pending",
        Confirmed = "confirmed",
        Completed = "completed",
        Cancelled = "cancelled",
        NoShow = "no_show",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_and_unknown_ones_are_errors() {
        for s in BookingStatus::ALL {
            assert_eq!(BookingStatus::try_from(s.as_str().to_string()), Ok(*s));
        }
        for s in EntryStatus::ALL {
            assert_eq!(EntryStatus::try_from(s.as_str().to_string()), Ok(*s));
        }
        assert!(MakeupStatus::try_from("booked".to_string()).is_err());
        assert_eq!(
            serde_json::to_value(BookingStatus::NoShow).unwrap(),
            serde_json::json!("no_show")
        );
        assert!(EntryStatus::Notified.is_active() && !EntryStatus::Confirmed.is_active());
    }
}
