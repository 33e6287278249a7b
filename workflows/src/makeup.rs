//! The vocabulary of makeup bookings and minute credits (M1–M7).

use crate::ids::{SessionKey, WorkflowIds};
use crate::rules::makeup::CompletionType;
use crate::settings::ClassSettings;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MakeupRequest {
    pub pending_id: i64,
    pub session: SessionKey,
    pub accept_shorter: bool,
    pub use_compensation: bool,
    /// The ★ settings of the makeup session's course.
    pub settings: ClassSettings,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Set when the seat was already booked as this makeup (a won waitlist offer, M3): the
    /// workflow adopts it instead of booking.
    #[serde(default)]
    pub adopt: Option<MakeupBooked>,
    /// The ids of this database (credit and offer workflows it starts).
    #[serde(default)]
    pub ids: WorkflowIds,
}

/// Why a makeup booking was refused (M2, M3, M6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum MakeupRefusal {
    /// The pending makeup is not open (already booked or closed).
    NotOpen,
    /// Another course type, or a higher level.
    NotEligible,
    Started,
    Full,
    Clash,
    NeedsAcceptShorter {
        makeup_minutes: u32,
        missing_minutes: u32,
    },
    Insufficient {
        needed: u32,
        available: u32,
    },
    /// The booking step failed for good (the database did not answer): nothing was booked.
    Unavailable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditTiming {
    pub credit_id: i64,
    pub profile_id: i64,
    pub expires_at: DateTime<Utc>,
    pub remind_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MakeupBooked {
    pub makeup_booking_id: i64,
    pub booking_id: i64,
    pub profile_id: i64,
    pub duration_difference: i64,
    pub completion_type: CompletionType,
    pub compensation_created: u32,
    pub compensation_used: u32,
    pub remaining_compensation: u32,
    pub created_credit: Option<CreditTiming>,
    /// `makeup_booked` notifications waiting for WeChat delivery.
    #[serde(default)]
    pub wechat: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum BookingOutcome {
    Booked(MakeupBooked),
    Refused(MakeupRefusal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CancelOutcome {
    Cancelled {
        restored_minutes: u32,
        revoked_minutes: u32,
    },
    /// Past the cancel cutoff (class start − cancel cutoff ★).
    TooLate { cutoff_at: DateTime<Utc> },
    /// Already cancelled, completed, or never booked.
    NotCancellable,
    /// The cancel step failed for good: the makeup stays booked; try again.
    Unavailable,
}

/// `MakeupState` search attribute and the `status` query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MakeupState {
    #[default]
    Booking,
    Booked,
    Cancelled,
    Completed,
    NoShow,
    Refused,
    /// A step failed for good; the flow is marked so ops find it.
    Failed,
}

impl MakeupState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booking => "booking",
            Self::Booked => "booked",
            Self::Cancelled => "cancelled",
            Self::Completed => "completed",
            Self::NoShow => "no_show",
            Self::Refused => "refused",
            Self::Failed => "failed",
        }
    }
}

/// What the makeup cancel activity did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unbooked {
    pub booking_id: i64,
    pub restored_minutes: u32,
    pub revoked_minutes: u32,
    /// false when it was already cancelled (a retry)
    pub changed: bool,
    /// `makeup_cancelled` notifications waiting for WeChat delivery.
    #[serde(default)]
    pub wechat: Vec<String>,
}

/// `CreditState` search attribute and the credit's `status` query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditState {
    #[default]
    Active,
    Reminded,
    Expired,
    Closed,
    /// The expiry step failed for good; ops find it by this state.
    Failed,
}

impl CreditState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Reminded => "reminded",
            Self::Expired => "expired",
            Self::Closed => "closed",
            Self::Failed => "failed",
        }
    }
}

/// A movement of credit minutes (`compensation_ledger.kind`, M7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    Created,
    Used,
    Restored,
    Expired,
    Revoked,
    /// A staff correction; its minutes carry their sign.
    Adjusted,
}

impl LedgerKind {
    pub const ALL: [LedgerKind; 6] = [
        LedgerKind::Created,
        LedgerKind::Used,
        LedgerKind::Restored,
        LedgerKind::Expired,
        LedgerKind::Revoked,
        LedgerKind::Adjusted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LedgerKind::Created => "created",
            LedgerKind::Used => "used",
            LedgerKind::Restored => "restored",
            LedgerKind::Expired => "expired",
            LedgerKind::Revoked => "revoked",
            LedgerKind::Adjusted => "adjusted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// M7: what a row of `minutes` does to the balance.
    pub fn effect(self, minutes: i64) -> i64 {
        match self {
            LedgerKind::Created | LedgerKind::Restored | LedgerKind::Adjusted => minutes,
            LedgerKind::Used | LedgerKind::Expired | LedgerKind::Revoked => -minutes,
        }
    }
}
