//! Activity contracts: name, input and output of every activity the workflows call. The
//! implementations live in the `activities` crate and bind to these with
//! `#[activity(definition = …)]`, which checks the types at compile time; the API never links
//! them.

use crate::ids::SessionKey;
use serde::{Deserialize, Serialize};
use temporalio_common::ActivityDefinition;

macro_rules! activity_contract {
    ($(#[$doc:meta])* $marker:ident = $name:literal, $input:ty => $output:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $marker;

        impl $marker {
            pub const NAME: &'static str = $name;
        }

        impl ActivityDefinition for $marker {
            type Input = $input;
            type Output = $output;
            fn name(&self) -> &str {
                $name
            }
        }
    };
}

/// Result of expiring a session's queue at its cutoff.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CutoffExpiry {
    /// Entries that were still waiting and are now expired (reason `cutoff`).
    pub expired_entries: u32,
    /// In-app notifications written (one per expired entry, idempotent).
    pub notifications: u32,
    /// Notifications waiting for WeChat delivery (their dedupe keys).
    #[serde(default)]
    pub wechat: Vec<String>,
}

activity_contract!(
    /// W6: expire every still-waiting entry of the session and tell each parent
    /// (`waitlist_expired`). One transaction; a retry finds nothing left to expire.
    ExpireWaitlistAtCutoff = "waitlist.expire_at_cutoff",
    SessionKey => CutoffExpiry
);

use crate::offer::{Release, ReleaseOutcome};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseRequest {
    pub workflow_id: String,
    pub session: SessionKey,
    pub release: Release,
    pub settings: crate::settings::ClassSettings,
    pub starts_at: DateTime<Utc>,
}

activity_contract!(
    /// O1–O3 in one transaction under the session lock: release the seat(s), open the offer
    /// (`waitlist_flow`), record round 1 and tell every waiting parent `spot_available`.
    /// Idempotent per workflow id (a retry returns the recorded outcome).
    ReleaseSeats = "offer.release",
    ReleaseRequest => ReleaseOutcome
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRequest {
    pub workflow_id: String,
    pub session: SessionKey,
    pub waitlist_id: i64,
    /// The session's settings (credit validity when the seat becomes a makeup, M3).
    #[serde(default)]
    pub settings: crate::settings::ClassSettings,
}

/// A won seat that was waited for from a pending makeup (M3): it is booked as that makeup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdoptedMakeup {
    pub pending_id: i64,
    pub booked: crate::makeup::MakeupBooked,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The answers the parent gave when joining (M3, M4), applied to the won seat.
    #[serde(default)]
    pub accept_shorter: bool,
    #[serde(default)]
    pub use_compensation: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ClaimOutcome {
    Won {
        booking_id: i64,
        seats_left: u32,
        #[serde(default)]
        makeup: Option<AdoptedMakeup>,
    },
    /// The offer has no seat left (someone was faster, or ops lowered capacity).
    NoSeat,
    /// F2: seats are left, but fewer than the family needs (and a partial booking was not
    /// allowed): nothing was booked, the seats stay offered to others.
    TooFew { seats_left: u32 },
    /// The entry is no longer waiting (left, expired, or the child got a seat otherwise).
    NotActive,
    /// The entry waits for this seat as a makeup, and the makeup rules refuse it (M3 time
    /// clash, M4 not enough credit for a longer class): nothing was booked.
    Refused {
        refusal: crate::makeup::MakeupRefusal,
    },
}

activity_contract!(
    /// O4: the seat claim. One transaction re-checks the offer's seats and the session's
    /// capacity, creates the booking and confirms the entry; N seats → at most N winners.
    ClaimSeat = "offer.claim",
    ClaimRequest => ClaimOutcome
);

/// Notification types an offer sends after round 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferNotice {
    SpotAvailable,
    SeatTaken,
    HoldForYou,
    OfferExpired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyRequest {
    pub workflow_id: String,
    pub session: SessionKey,
    pub round: u32,
    pub notice: OfferNotice,
    pub waitlist_ids: Vec<i64>,
    pub deadline: Option<DateTime<Utc>>,
}

activity_contract!(
    /// Records one notice for many entries (waitlist_notification + in-app). Idempotent per (offer, entry, round, type).
    NotifyEntries = "offer.notify",
    NotifyRequest => NoticeOutcome
);

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NoticeOutcome {
    /// New in-app notifications.
    pub written: u32,
    /// Those waiting for WeChat delivery (dedupe keys).
    pub wechat: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldRequest {
    pub workflow_id: String,
    pub session: SessionKey,
    pub round: u32,
    /// Entries that declined this offer (they keep their place in the queue, O7).
    pub exclude: Vec<i64>,
    pub hold_seconds: u32,
    pub cutoff_at: DateTime<Utc>,
    /// F2: who the offer holds seats for now; their holds' seats are not free to hold again
    /// (a hold the offer already ended — a decline, a leave — may not be closed in the
    /// database yet, so the database alone cannot say).
    #[serde(default)]
    pub holders: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    pub waitlist_id: i64,
    pub deadline: DateTime<Utc>,
    /// Notifications waiting for WeChat delivery.
    #[serde(default)]
    pub wechat: Vec<String>,
}

activity_contract!(
    /// O5: hold the seat for the first in line (not excluded), record it and tell them
    /// `hold_for_you`. `None` when nobody is left or the seat is gone.
    HoldForNext = "offer.hold_next",
    HoldRequest => Option<Hold>
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LapseRequest {
    pub workflow_id: String,
    pub session: SessionKey,
    pub round: u32,
    pub waitlist_id: i64,
}

activity_contract!(
    /// O7: a hold that lapsed unanswered expires that entry (reason `timeout`) and tells the
    /// parent `offer_expired`; positions of the others move up.
    ExpireHolder = "offer.expire_holder",
    LapseRequest => Vec<String>
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseRecord {
    pub workflow_id: String,
    pub waitlist_id: i64,
    pub action: crate::offer::Action,
    pub at: DateTime<Utc>,
    pub grace_until: Option<DateTime<Utc>>,
}

activity_contract!(
    /// O8: records a parent's `begin`/`decline` on their latest notification of this offer.
    RecordResponse = "offer.record_response",
    ResponseRecord => ()
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloseRequest {
    pub workflow_id: String,
    pub session: SessionKey,
    pub phase: crate::offer::OfferPhase,
    /// `waitlist_flow.expiration_reason` when not won: timeout, cutoff, queue_empty
    pub reason: Option<String>,
}

activity_contract!(
    /// Ends the offer in `waitlist_flow` (phase, completion time); seats it still held go back
    /// to the session's free seats.
    CloseOffer = "offer.close",
    CloseRequest => ()
);

/// What became of one WeChat delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "delivery", rename_all = "snake_case")]
pub enum WechatDelivery {
    Sent,
    /// No grant left for the template (or WeChat said 43101): in-app only.
    NoGrant,
    /// WeChat refused for good; recorded with its errcode.
    Failed {
        errcode: i64,
    },
    /// WeChat is not configured, or the notification has no WeChat part.
    Skipped,
}

activity_contract!(
    /// N2/N3: sends the subscribe message of one in-app notification (by dedupe key) when
    /// the parent has a grant left; consumes one grant; transient errors retry, permanent
    /// ones are recorded. Never sends a message WeChat already accepted for this key.
    DeliverWechat = "notify.wechat",
    String => WechatDelivery
);

use crate::makeup::{BookingOutcome, MakeupRequest, Unbooked};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookMakeup {
    pub workflow_id: String,
    pub request: MakeupRequest,
}

activity_contract!(
    /// M3–M6 in one transaction under the target session's lock: eligibility, seat, time
    /// clash, duration difference, credits spent (earliest expiry first) or created; the
    /// booking, the makeup record and the ledger rows. Idempotent per workflow id.
    BookMakeupSeat = "makeup.book",
    BookMakeup => BookingOutcome
);

activity_contract!(
    /// M5: cancel the makeup: reopen the pending makeup, restore consumed credit minutes
    /// (original expiry), revoke the unused minutes this booking created. The seat itself is
    /// released by the offer workflow started next.
    CancelMakeup = "makeup.cancel",
    i64 => Unbooked
);

activity_contract!(
    /// At class end: completed, or no-show when attendance says so.
    CompleteMakeup = "makeup.complete",
    i64 => String
);

activity_contract!(
    /// M6: `compensation_expiring` when minutes remain; returns WeChat deliveries due.
    RemindCredit = "credit.remind",
    i64 => Vec<String>
);

activity_contract!(
    /// M6: the remaining minutes expire (ledger `expired`, never deleted); returns them.
    ExpireCredit = "credit.expire",
    i64 => u32
);

/// What the housekeeping step found and fixed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReapReport {
    /// Open offers whose run had ended (failed, terminated from the UI, timed out): closed as
    /// `failed`, their seats given back, their entries waiting again.
    pub closed_offers: Vec<String>,
}

activity_contract!(
    /// Finds open offers (`waitlist_flow` in broadcast/hold) older than the given seconds whose
    /// workflow no longer runs and gives their seats back. Asks Temporal for each candidate.
    ReapOffers = "offer.reap",
    u32 => ReapReport
);

activity_contract!(
    /// W4 `position_changed`, coalesced: every active entry whose position improved since its
    /// parent was last told gets one message with the new position (never for a move down).
    /// Returns the WeChat deliveries due.
    NotifyPositions = "waitlist.notify_positions",
    () => Vec<String>
);
