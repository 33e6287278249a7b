//! The shared vocabulary of offers: what released a seat, what the release did, the phases an
//! offer goes through and the verdicts a parent gets (design O1–O8).

use crate::ids::SessionKey;
use crate::settings::ClassSettings;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What freed the seat(s) (O1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Release {
    /// A booking was cancelled.
    Cancel { booking_id: i64 },
    /// A booking became a leave of absence (M1: also opens a pending makeup).
    Leave { booking_id: i64 },
    /// Ops raised the session's capacity; `expected_version` guards against a concurrent change.
    Capacity {
        capacity: u32,
        expected_version: i64,
    },
}

impl Release {
    /// The `{release}` part of the workflow id: one process per business event.
    pub fn key(&self) -> String {
        match self {
            Release::Cancel { booking_id } | Release::Leave { booking_id } => {
                format!("booking-{booking_id}")
            }
            Release::Capacity {
                expected_version, ..
            } => format!("capacity-v{}", expected_version + 1),
        }
    }

    pub fn reason(&self) -> &'static str {
        match self {
            Release::Cancel { .. } => "cancel",
            Release::Leave { .. } => "leave",
            Release::Capacity { .. } => "capacity",
        }
    }
}

/// `waitlist-offer/{session}/{release}` (design §3).
pub fn offer_workflow_id(session: SessionKey, release: &Release) -> String {
    format!("waitlist-offer/{session}/{}", release.key())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferInput {
    pub session: SessionKey,
    pub release: Release,
    /// The ★ settings in force when the seat was released.
    pub settings: ClassSettings,
    pub starts_at: DateTime<Utc>,
}

/// Why a release did nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseRefusal {
    /// The booking no longer holds a seat (already cancelled or on leave).
    NotBooked,
    /// The class has started.
    Started,
    /// The capacity changed since the caller read it.
    VersionChanged,
    /// The new capacity is below the booked seats.
    BelowBooked,
}

/// The offer a release opened (broadcast round 1 already recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferOpened {
    pub deadline: DateTime<Utc>,
    pub cutoff_at: DateTime<Utc>,
    pub hold_seconds: u32,
    pub grace_seconds: u32,
    /// Entries told `spot_available`, in queue order.
    pub notified: Vec<i64>,
}

/// What the release step did; also the answer to the `release` update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseOutcome {
    pub release: Release,
    pub refusal: Option<ReleaseRefusal>,
    pub seats: u32,
    pub pending_makeup_id: Option<i64>,
    pub offer: Option<OfferOpened>,
    /// Set when seats were released but no offer was made: `cutoff` or `queue_empty`.
    pub no_offer_reason: Option<String>,
    /// Round-1 notifications waiting for WeChat delivery.
    #[serde(default)]
    pub wechat: Vec<String>,
}

/// Phase of an offer; also the `OfferPhase` search attribute and `waitlist_flow.phase`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferPhase {
    #[default]
    Releasing,
    Broadcast,
    Hold,
    Won,
    Exhausted,
    Cutoff,
    /// The release itself was refused: no seat, no offer.
    NothingReleased,
}

impl OfferPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Releasing => "releasing",
            Self::Broadcast => "broadcast",
            Self::Hold => "hold",
            Self::Won => "won",
            Self::Exhausted => "exhausted",
            Self::Cutoff => "cutoff",
            Self::NothingReleased => "nothing_released",
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, Self::Broadcast | Self::Hold)
    }
}

/// `respond` actions (O4–O7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Begin,
    Confirm,
    Decline,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Begin => "begin",
            Self::Confirm => "confirm",
            Self::Decline => "decline",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RespondInput {
    pub waitlist_id: i64,
    pub action: Action,
}

/// The workflow's answer to `respond`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Won {
        booking_id: i64,
    },
    /// `名额已被抢占`
    Taken,
    /// `候补确认已过期，名额已顺位给下一位候补用户`
    Expired,
    Declined,
    Began {
        grace_until: DateTime<Utc>,
    },
    /// This entry was not part of this offer (joined after it, or not the holder).
    NotOffered,
}

/// What the `status` query answers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OfferStatus {
    pub phase: OfferPhase,
    pub seats_open: u32,
    pub deadline: Option<DateTime<Utc>>,
    pub holder: Option<i64>,
    pub winners: Vec<i64>,
    pub notified: usize,
}
