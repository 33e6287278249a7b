//! Rules of the training camps (seed 004), pure and unit-tested: the camp's timeline (daily
//! check-in sync at 01:00, the reminder the day before the end, the refund list at 02:00 after
//! the end), which camp day a check-in belongs to, matching community members to enrolments,
//! and who gets the deposit back.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// When things happen in a camp. A "day" is `day_seconds` long (86 400 in production; tests
/// use seconds); the offsets are from the start of a day (01:00 = 3 600 s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampTiming {
    /// Midnight (club time) of the first day.
    pub starts_at: DateTime<Utc>,
    pub days: u32,
    pub day_seconds: u32,
    /// The daily check-in sync, after each day (default 01:00 the next day).
    pub sync_offset_seconds: u32,
    /// The reminder, on the day before the last day ends (default 10:00 of the last day's eve).
    pub reminder_offset_seconds: u32,
    /// The refund list, after the end (default 02:00 the day after the last day).
    pub settle_offset_seconds: u32,
}

impl CampTiming {
    /// Production timing: real days, 01:00 sync, 10:00 reminder, 02:00 settlement.
    pub fn daily(starts_at: DateTime<Utc>, days: u32) -> Self {
        Self {
            starts_at,
            days,
            day_seconds: 86_400,
            sync_offset_seconds: 3_600,
            reminder_offset_seconds: 36_000,
            settle_offset_seconds: 7_200,
        }
    }

    fn day(&self) -> Duration {
        Duration::seconds(i64::from(self.day_seconds))
    }

    /// The start of camp day `i` (0-based).
    pub fn day_start(&self, i: u32) -> DateTime<Utc> {
        self.starts_at + self.day() * i as i32
    }

    /// The end of the last day.
    pub fn ends_at(&self) -> DateTime<Utc> {
        self.day_start(self.days)
    }

    /// When the refund list is drawn up (02:00 after the end).
    pub fn settle_at(&self) -> DateTime<Utc> {
        self.ends_at() + Duration::seconds(i64::from(self.settle_offset_seconds))
    }

    /// The camp day (0-based) an instant falls on; `None` before the start or after the end.
    pub fn day_index(&self, at: DateTime<Utc>) -> Option<u32> {
        if at < self.starts_at || at >= self.ends_at() || self.day_seconds == 0 {
            return None;
        }
        let secs = (at - self.starts_at).num_milliseconds() / 1000;
        u32::try_from(secs / i64::from(self.day_seconds)).ok()
    }

    /// Days begun by `now` (0 before the start, `days` after the end).
    pub fn days_elapsed(&self, now: DateTime<Utc>) -> u32 {
        match self.day_index(now) {
            Some(i) => i + 1,
            None if now < self.starts_at => 0,
            None => self.days,
        }
    }
}

/// Enrolment stays open until the end of the camp's first day (a member joining on day one
/// can still make the required days).
pub fn enrolment_open(t: &CampTiming, now: DateTime<Utc>) -> bool {
    now < t.day_start(1.min(t.days))
}

/// One step of a camp's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum CampEvent {
    /// Sync the check-ins of camp day `day` (and every day before: idempotent).
    Sync { day: u32 },
    /// Remind members that the camp ends tomorrow.
    Remind,
    /// Final sync, then the refund list.
    Settle,
}

/// Every step of the camp in time order: a sync after each day, the reminder on the eve of the
/// last day (skipped for a one-day camp), the refund list after the end.
pub fn timeline(t: &CampTiming) -> Vec<(DateTime<Utc>, CampEvent)> {
    let mut out: Vec<(DateTime<Utc>, CampEvent)> = (0..t.days)
        .map(|day| {
            (
                t.day_start(day + 1) + Duration::seconds(i64::from(t.sync_offset_seconds)),
                CampEvent::Sync { day },
            )
        })
        .collect();
    if t.days >= 2 {
        let eve = t.day_start(t.days - 2) + Duration::seconds(i64::from(t.reminder_offset_seconds));
        out.push((eve, CampEvent::Remind));
    }
    // A sync that would come after the settlement is the settlement's own first step.
    out.retain(|(at, _)| *at < t.settle_at());
    out.push((t.settle_at(), CampEvent::Settle));
    out.sort_by_key(|(at, e)| (*at, matches!(e, CampEvent::Settle)));
    out
}

/// A community (知识星球) member as the check-ins show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityMember {
    pub community_user_id: String,
    pub nickname: String,
}

/// What a member told us when enrolling.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentIdentity {
    pub community_user_id: Option<String>,
    pub community_nickname: Option<String>,
    pub wechat_nickname: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchMethod {
    /// The community id given at enrolment appears in the check-ins (100 %).
    CommunityId,
    /// The community nickname matches exactly one member (66 %).
    CommunityNickname,
    /// The WeChat nickname matches exactly one member's nickname (33 %).
    WechatNickname,
    /// Staff matched by hand (100 %; syncs never override it).
    Manual,
}

impl MatchMethod {
    pub fn confidence(self) -> u8 {
        match self {
            Self::CommunityId | Self::Manual => 100,
            Self::CommunityNickname => 66,
            Self::WechatNickname => 33,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CommunityId => "community_id",
            Self::CommunityNickname => "community_nickname",
            Self::WechatNickname => "wechat_nickname",
            Self::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::CommunityId,
            Self::CommunityNickname,
            Self::WechatNickname,
            Self::Manual,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    pub community_user_id: String,
    pub method: MatchMethod,
}

fn normalize(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Matches one enrolment to a community member: community id exact, then the community
/// nickname, then the WeChat nickname; a nickname shared by several members matches nobody
/// (staff decide by hand).
pub fn match_member(who: &EnrolmentIdentity, members: &[CommunityMember]) -> Option<Match> {
    if let Some(id) = who.community_user_id.as_deref().map(str::trim)
        && !id.is_empty()
        && members.iter().any(|m| m.community_user_id == id)
    {
        return Some(Match {
            community_user_id: id.to_string(),
            method: MatchMethod::CommunityId,
        });
    }
    let by_nickname = |name: Option<&str>, method| {
        let name = normalize(name?);
        if name.is_empty() {
            return None;
        }
        let mut ids: Vec<&str> = members
            .iter()
            .filter(|m| normalize(&m.nickname) == name)
            .map(|m| m.community_user_id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        match ids.as_slice() {
            [one] => Some(Match {
                community_user_id: (*one).to_string(),
                method,
            }),
            _ => None,
        }
    };
    by_nickname(
        who.community_nickname.as_deref(),
        MatchMethod::CommunityNickname,
    )
    .or_else(|| by_nickname(who.wechat_nickname.as_deref(), MatchMethod::WechatNickname))
}

/// Where an enrolment stands on the refund list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Eligible,
    NotEligible,
    Unmatched,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eligible => "eligible",
            Self::NotEligible => "not_eligible",
            Self::Unmatched => "unmatched",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Eligible, Self::NotEligible, Self::Unmatched]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// The deposit comes back when the member is matched and checked in on at least
/// `required_days` distinct camp days.
pub fn verdict(matched: bool, checkin_days: u32, required_days: u32) -> Verdict {
    match (matched, checkin_days >= required_days) {
        (false, _) => Verdict::Unmatched,
        (true, true) => Verdict::Eligible,
        (true, false) => Verdict::NotEligible,
    }
}

/// Days still needed to qualify.
pub fn days_missing(checkin_days: u32, required_days: u32) -> u32 {
    required_days.saturating_sub(checkin_days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(days: u32) -> CampTiming {
        CampTiming::daily(Utc.with_ymd_and_hms(2026, 12, 6, 16, 0, 0).unwrap(), days)
    }

    #[test]
    fn a_seven_day_camp_syncs_nightly_reminds_on_the_eve_and_settles_at_two() {
        let timing = t(7); // 2026-12-07 00:00 club time (UTC+8)
        let steps = timeline(&timing);
        assert_eq!(steps.len(), 7 + 1 + 1, "{steps:?}");
        // The first sync: 01:00 on 12-08 club time = 17:00 UTC on 12-07.
        assert_eq!(
            steps[0],
            (
                Utc.with_ymd_and_hms(2026, 12, 7, 17, 0, 0).unwrap(),
                CampEvent::Sync { day: 0 }
            )
        );
        // Reminder: 10:00 on 12-12 (the last day, 12-13, is "tomorrow").
        assert!(steps.contains(&(
            Utc.with_ymd_and_hms(2026, 12, 12, 2, 0, 0).unwrap(),
            CampEvent::Remind
        )));
        // The last day's 01:00 sync, then the 02:00 refund list.
        assert_eq!(
            steps[steps.len() - 2],
            (
                Utc.with_ymd_and_hms(2026, 12, 13, 17, 0, 0).unwrap(),
                CampEvent::Sync { day: 6 }
            )
        );
        assert_eq!(
            steps.last().unwrap(),
            &(
                Utc.with_ymd_and_hms(2026, 12, 13, 18, 0, 0).unwrap(),
                CampEvent::Settle
            )
        );
        assert!(steps.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    #[test]
    fn a_one_day_camp_has_no_reminder() {
        let steps = timeline(&t(1));
        assert!(!steps.iter().any(|(_, e)| *e == CampEvent::Remind));
        assert_eq!(steps.last().unwrap().1, CampEvent::Settle);
    }

    #[test]
    fn check_ins_fall_on_camp_days() {
        let timing = CampTiming {
            day_seconds: 10,
            ..t(3)
        };
        let s = timing.starts_at;
        assert_eq!(timing.day_index(s - Duration::seconds(1)), None);
        assert_eq!(timing.day_index(s), Some(0));
        assert_eq!(timing.day_index(s + Duration::milliseconds(9_999)), Some(0));
        assert_eq!(timing.day_index(s + Duration::seconds(10)), Some(1));
        assert_eq!(timing.day_index(s + Duration::seconds(29)), Some(2));
        assert_eq!(timing.day_index(s + Duration::seconds(30)), None);
        assert_eq!(timing.days_elapsed(s - Duration::seconds(1)), 0);
        assert_eq!(timing.days_elapsed(s + Duration::seconds(15)), 2);
        assert_eq!(timing.days_elapsed(s + Duration::seconds(99)), 3);
        assert!(enrolment_open(&timing, s - Duration::seconds(100)));
        assert!(enrolment_open(&timing, s + Duration::seconds(9)));
        assert!(!enrolment_open(&timing, s + Duration::seconds(10)));
    }

    fn members() -> Vec<CommunityMember> {
        vec![
            CommunityMember {
                community_user_id: "u1".into(),
                nickname: "小明".into(),
            },
            CommunityMember {
                community_user_id: "u2".into(),
                nickname: "Runner".into(),
            },
            CommunityMember {
                community_user_id: "u3".into(),
                nickname: "同名".into(),
            },
            CommunityMember {
                community_user_id: "u4".into(),
                nickname: "同名".into(),
            },
        ]
    }

    fn who(id: Option<&str>, nick: Option<&str>, wx: Option<&str>) -> EnrolmentIdentity {
        EnrolmentIdentity {
            community_user_id: id.map(Into::into),
            community_nickname: nick.map(Into::into),
            wechat_nickname: wx.map(Into::into),
        }
    }

    #[test]
    fn matching_prefers_the_id_then_the_community_nickname_then_the_wechat_nickname() {
        let m = members();
        let by =
            |w: EnrolmentIdentity| match_member(&w, &m).map(|x| (x.community_user_id, x.method));
        assert_eq!(
            by(who(Some("u2"), Some("小明"), None)),
            Some(("u2".into(), MatchMethod::CommunityId))
        );
        // An id nobody checked in with falls back to the nickname.
        assert_eq!(
            by(who(Some("u9"), Some(" 小明 "), None)),
            Some(("u1".into(), MatchMethod::CommunityNickname))
        );
        assert_eq!(
            by(who(None, None, Some("runner"))),
            Some(("u2".into(), MatchMethod::WechatNickname))
        );
        assert_eq!(by(who(None, Some("同名"), None)), None, "ambiguous");
        assert_eq!(by(who(None, Some("nobody"), Some(""))), None);
        assert_eq!(MatchMethod::CommunityId.confidence(), 100);
        assert_eq!(MatchMethod::CommunityNickname.confidence(), 66);
        assert_eq!(MatchMethod::WechatNickname.confidence(), 33);
        for m in [
            MatchMethod::CommunityId,
            MatchMethod::CommunityNickname,
            MatchMethod::WechatNickname,
            MatchMethod::Manual,
        ] {
            assert_eq!(MatchMethod::parse(m.as_str()), Some(m));
        }
    }

    #[test]
    fn the_deposit_comes_back_for_matched_members_with_enough_days() {
        assert_eq!(verdict(true, 5, 5), Verdict::Eligible);
        assert_eq!(verdict(true, 4, 5), Verdict::NotEligible);
        assert_eq!(verdict(false, 7, 5), Verdict::Unmatched);
        assert_eq!(days_missing(3, 5), 2);
        assert_eq!(days_missing(6, 5), 0);
        for v in [Verdict::Eligible, Verdict::NotEligible, Verdict::Unmatched] {
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
        }
    }
}
