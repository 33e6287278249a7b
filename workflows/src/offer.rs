//! The shared vocabulary of offers: what released a seat, what the release did, the phases an
//! offer goes through and the verdicts a parent gets (design O1–O8).

use crate::ids::{SessionKey, WorkflowIds};
use crate::makeup::MakeupRefusal;
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

impl WorkflowIds {
    /// `waitlist-offer/{instance}/{session}/{release}` (design §3).
    pub fn offer_for(&self, session: SessionKey, release: &Release) -> String {
        self.offer(session, &release.key())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferInput {
    pub session: SessionKey,
    pub release: Release,
    /// The ★ settings in force when the seat was released.
    pub settings: ClassSettings,
    pub starts_at: DateTime<Utc>,
    /// The ids of this database (for the makeup workflow a won seat starts).
    #[serde(default)]
    pub ids: WorkflowIds,
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
    /// The booking is a makeup's seat: only the makeup's own cancel releases it (M5).
    MakeupSeat,
    /// The release step failed for good (the database did not answer): nothing changed.
    Unavailable,
}

/// Why seats were released but no offer was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoOfferReason {
    /// The release left the session full (it was over capacity).
    NoFreeSeat,
    /// O1: a release at or after the cutoff makes no offer.
    Cutoff,
    /// Nobody is waiting (or nobody the seats fit, F2).
    QueueEmpty,
    /// AA1: auto-accept entries took every seat before the broadcast.
    AutoAccepted,
}

/// What a release came to, as one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseResult<'a> {
    Refused(ReleaseRefusal),
    /// Seats freed, no offer (the seats are simply free).
    NoOffer(NoOfferReason),
    Offered(&'a OfferOpened),
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
    /// Set when seats were released but no offer was made.
    pub no_offer_reason: Option<NoOfferReason>,
    /// Round-1 notifications waiting for WeChat delivery.
    #[serde(default)]
    pub wechat: Vec<String>,
    /// AA1: entries booked on the spot before the broadcast, in queue order.
    #[serde(default)]
    pub auto_accepted: Vec<AutoAccepted>,
}

/// AA1: one entry auto-accept booked when the seats were released.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoAccepted {
    pub waitlist_id: i64,
    /// One booking per child booked (F3).
    pub booking_ids: Vec<i64>,
}

impl ReleaseOutcome {
    /// The outcome as one closed type (the fields stay as they are on the wire, so recorded
    /// histories still decode).
    pub fn result(&self) -> ReleaseResult<'_> {
        match (&self.refusal, &self.offer, self.no_offer_reason) {
            (Some(r), _, _) => ReleaseResult::Refused(*r),
            (None, Some(o), _) => ReleaseResult::Offered(o),
            (None, None, reason) => {
                ReleaseResult::NoOffer(reason.unwrap_or(NoOfferReason::QueueEmpty))
            }
        }
    }

    /// The seats the broadcast offers: those released, less what auto-accept took (AA1).
    pub fn seats_offered(&self) -> u32 {
        let taken: usize = self.auto_accepted.iter().map(|a| a.booking_ids.len()).sum();
        self.seats
            .saturating_sub(u32::try_from(taken).unwrap_or(u32::MAX))
    }

    /// The phase an offer that never opened ends in.
    pub fn closed_phase(&self) -> Option<OfferPhase> {
        match self.result() {
            ReleaseResult::Refused(_) => Some(OfferPhase::NothingReleased),
            ReleaseResult::NoOffer(NoOfferReason::Cutoff) => Some(OfferPhase::Cutoff),
            ReleaseResult::NoOffer(NoOfferReason::AutoAccepted) => Some(OfferPhase::Won),
            ReleaseResult::NoOffer(_) => Some(OfferPhase::Exhausted),
            ReleaseResult::Offered(_) => None,
        }
    }
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
    /// A step failed for good (or the run was terminated): the seats went back.
    Failed,
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
            Self::Failed => "failed",
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, Self::Broadcast | Self::Hold)
    }

    /// The stored `waitlist_flow.phase` (a flow row exists for every phase but these).
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Releasing,
            Self::Broadcast,
            Self::Hold,
            Self::Won,
            Self::Exhausted,
            Self::Cutoff,
            Self::NothingReleased,
            Self::Failed,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
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
    /// The seat could not be booked as the makeup the entry waits for (M3/M4): a time clash,
    /// or not enough credit for a longer class. The seat stays with the offer.
    MakeupRefused {
        refusal: MakeupRefusal,
    },
    /// The claim failed for good (the database did not answer): try again.
    Unavailable,
}

/// Why the `respond` validator refuses an update before it reaches the run's history (a
/// refused update leaves nothing there and does not count towards Temporal's limits). Its
/// `Display` is the stable code the caller reads back with `FromStr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RespondRejection {
    /// The seat went to someone.
    Taken,
    /// The offer moved on (deadline, hold in turn, cutoff).
    Expired,
    /// This entry is not part of this offer now.
    NotOffered,
    /// This entry declined this offer (O7).
    Declined,
    /// The entry answered too often (a limit per entry and offer).
    TooMany,
    /// Not a valid entry id.
    Invalid,
}

impl RespondRejection {
    const ALL: [Self; 6] = [
        Self::Taken,
        Self::Expired,
        Self::NotOffered,
        Self::Declined,
        Self::TooMany,
        Self::Invalid,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Taken => "taken",
            Self::Expired => "expired",
            Self::NotOffered => "not_offered",
            Self::Declined => "declined",
            Self::TooMany => "too_many",
            Self::Invalid => "invalid",
        }
    }
}

impl std::fmt::Display for RespondRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::error::Error for RespondRejection {}

impl std::str::FromStr for RespondRejection {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == s.trim())
            .ok_or(())
    }
}

/// What the `status` query answers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OfferStatus {
    pub phase: OfferPhase,
    pub seats_open: u32,
    pub deadline: Option<DateTime<Utc>>,
    /// The first of `holders` (kept for older readers).
    pub holder: Option<i64>,
    /// Entries the seats are held for now (O5: as many as there are open seats).
    #[serde(default)]
    pub holders: Vec<i64>,
    pub winners: Vec<i64>,
    pub notified: usize,
}
