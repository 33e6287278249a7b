//! Business keys and the deterministic workflow ids built from them.
//!
//! Every id carries the database's [`InstanceId`] (created with the schema): ids built from
//! database ids alone would meet runs of another database on the same Temporal server (a reset
//! dev database, a restored backup) and attach new bookings to old processes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The database's identity (`service_instance.instance_id`): 1–16 lowercase letters or digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InstanceId(String);

impl InstanceId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The instance segment of a workflow id built by [`WorkflowIds`], if it has one.
    pub fn of_workflow_id(workflow_id: &str) -> Option<Self> {
        workflow_id.split('/').nth(1)?.parse().ok()
    }
}

impl fmt::Display for InstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("instance id must be 1–16 lowercase letters or digits, got {0:?}")]
pub struct BadInstanceId(pub String);

impl FromStr for InstanceId {
    type Err = BadInstanceId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = !s.is_empty()
            && s.len() <= 16
            && s.chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase());
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(BadInstanceId(s.to_string()))
        }
    }
}

/// One class on one day: a weekly schedule slot plus a calendar date in the club's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SessionKey {
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
}

impl SessionKey {
    pub fn new(course_schedule_id: i64, booking_date: NaiveDate) -> Self {
        Self {
            course_schedule_id,
            booking_date,
        }
    }
}

/// `{course_schedule_id}-{booking_date}`, e.g. `12-2026-11-23`: the `{session}` of design §3
/// and the value of the `SessionKey` search attribute.
impl fmt::Display for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.course_schedule_id,
            self.booking_date.format("%Y-%m-%d")
        )
    }
}

/// The workflow ids of one database: `{process}/{instance}/{business key}` (design §3 with the
/// instance after the process name, so `WorkflowId STARTS_WITH "waitlist-offer/"` still finds
/// every offer).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WorkflowIds(pub InstanceId);

impl WorkflowIds {
    pub fn new(instance: InstanceId) -> Self {
        Self(instance)
    }

    pub fn instance(&self) -> &InstanceId {
        &self.0
    }

    /// `waitlist-cutoff/{instance}/{session}`: one cutoff process per session (W6).
    pub fn cutoff(&self, session: SessionKey) -> String {
        format!("waitlist-cutoff/{}/{session}", self.0)
    }

    /// `waitlist-offer/{instance}/{session}/{release}`: one process per released seat (O1).
    pub fn offer(&self, session: SessionKey, release_key: &str) -> String {
        format!("waitlist-offer/{}/{session}/{release_key}", self.0)
    }

    /// `makeup-booking/{instance}/{pending}-{session}`: one per pending makeup and target.
    pub fn makeup(&self, pending_id: i64, session: SessionKey) -> String {
        format!("makeup-booking/{}/{pending_id}-{session}", self.0)
    }

    /// `compensation/{instance}/{credit}`.
    pub fn credit(&self, credit_id: i64) -> String {
        format!("compensation/{}/{credit_id}", self.0)
    }

    /// `maintenance/{instance}`: the one housekeeping process of this database.
    pub fn maintenance(&self) -> String {
        format!("maintenance/{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> WorkflowIds {
        WorkflowIds::new("a1b2c3".parse().unwrap())
    }

    #[test]
    fn session_key_reads_as_schedule_and_date() {
        let key = SessionKey::new(12, NaiveDate::from_ymd_opt(2026, 11, 3).unwrap());
        assert_eq!(key.to_string(), "12-2026-11-03");
        assert_eq!(ids().cutoff(key), "waitlist-cutoff/a1b2c3/12-2026-11-03");
        assert_eq!(
            ids().offer(key, "booking-7"),
            "waitlist-offer/a1b2c3/12-2026-11-03/booking-7"
        );
        assert_eq!(
            ids().makeup(4, key),
            "makeup-booking/a1b2c3/4-12-2026-11-03"
        );
        assert_eq!(ids().credit(9), "compensation/a1b2c3/9");
    }

    #[test]
    fn two_databases_never_share_an_id_and_the_instance_reads_back() {
        let other = WorkflowIds::new("ffff".parse().unwrap());
        assert_ne!(ids().credit(1), other.credit(1));
        assert_eq!(
            InstanceId::of_workflow_id(&ids().credit(1)),
            Some("a1b2c3".parse().unwrap())
        );
        for bad in ["", "ABC", "a/b", "0123456789abcdef0"] {
            assert!(bad.parse::<InstanceId>().is_err(), "{bad}");
        }
    }
}
