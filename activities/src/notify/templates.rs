//! The text of every notification type (N1), zh-CN first with an English catalogue beside
//! it. Times are shown in the club's time zone.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    ZhCn,
    En,
}

pub use workflows::notice::NoticeType;

/// What a message may mention. Which fields a notification type must fill is
/// `wechat::layout::Fact::provided_by` (docs/wechat-templates.md has the table):
/// `course_name` and `starts_at` for every type about a class, `deadline` for spot_available,
/// hold_for_you and compensation_expiring (the credit's expiry), `position` for
/// position_changed, `minutes` for compensation_expiring, `location` and `child_name` for
/// makeup_booked and makeup_cancelled.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub course_name: String,
    pub starts_at: Option<DateTime<Utc>>,
    pub deadline: Option<DateTime<Utc>>,
    pub position: Option<u32>,
    pub minutes: Option<u32>,
    /// Where the class is.
    pub location: Option<String>,
    /// The child the notification is about.
    pub child_name: Option<String>,
}

/// The short status word of a type: WeChat's `phrase` (at most 5 Chinese characters).
pub fn status_word(kind: NoticeType) -> &'static str {
    match kind {
        NoticeType::SpotAvailable => "有空位",
        NoticeType::SeatTaken => "已被抢占",
        NoticeType::HoldForYou => "保留中",
        NoticeType::OfferExpired => "已过期",
        NoticeType::WaitlistExpired => "未递补",
        NoticeType::PositionChanged => "位置更新",
        NoticeType::MakeupBooked => "预约成功",
        NoticeType::MakeupCancelled => "已取消",
        NoticeType::CompensationExpiring => "即将过期",
        NoticeType::SeatConfirmed => "已预约",
    }
}

/// The one-line hint of a type for a subscribe message: WeChat's `thing` (at most 20
/// characters).
pub fn wechat_note(kind: NoticeType) -> &'static str {
    match kind {
        NoticeType::SpotAvailable => "有名额了，先确认先得",
        NoticeType::SeatTaken => "名额已被抢占，您仍在候补中",
        NoticeType::HoldForYou => "名额为您保留，请尽快确认",
        NoticeType::OfferExpired => "确认已过期，名额已顺位",
        NoticeType::WaitlistExpired => "候补已截止，未能递补",
        NoticeType::PositionChanged => "您的候补位置有变化",
        NoticeType::MakeupBooked => "补课预约成功，请准时上课",
        NoticeType::MakeupCancelled => "补课已取消，可重新选择补课",
        NoticeType::CompensationExpiring => "补偿时长即将过期，请尽快使用",
        NoticeType::SeatConfirmed => "已自动预约，不需要可取消",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub title: String,
    pub body: String,
}

fn at(tz: Tz, t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.with_timezone(&tz).format("%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

pub fn render(kind: NoticeType, lang: Lang, tz: Tz, f: &Facts) -> Rendered {
    let course = &f.course_name;
    let start = at(tz, f.starts_at);
    let deadline = at(tz, f.deadline);
    let position = f.position.unwrap_or_default();
    let minutes = f.minutes.unwrap_or_default();
    let child = f.child_name.clone().unwrap_or_default();
    let (title, body) = match lang {
        Lang::ZhCn => match kind {
            NoticeType::SpotAvailable => (
                "候补有名额".to_string(),
                format!("{course}（{start}）有名额了，请在{deadline}前确认预约，先到先得。"),
            ),
            NoticeType::SeatTaken => (
                "名额已被抢占".to_string(),
                format!("{course}（{start}）的名额已被其他候补用户确认，您仍在候补队列中。"),
            ),
            NoticeType::HoldForYou => (
                "名额为您保留".to_string(),
                format!("{course}（{start}）的名额为您保留至{deadline}，请尽快确认。"),
            ),
            NoticeType::OfferExpired => (
                "候补确认已过期".to_string(),
                format!("{course}（{start}）的确认时间已过，名额已顺位给下一位候补用户。"),
            ),
            NoticeType::WaitlistExpired => (
                "候补已截止".to_string(),
                format!("{course}（{start}）已到候补截止时间，本次候补未能递补成功。"),
            ),
            NoticeType::PositionChanged => (
                "候补位置更新".to_string(),
                format!("您在{course}（{start}）的候补位置更新为第{position}位。"),
            ),
            NoticeType::MakeupBooked => (
                "补课预约成功".to_string(),
                format!("已为您预约补课：{course}（{start}）。"),
            ),
            NoticeType::MakeupCancelled => (
                "补课已取消".to_string(),
                format!("补课{course}（{start}）已取消，待补课记录已恢复。"),
            ),
            NoticeType::CompensationExpiring => (
                "课时补偿即将过期".to_string(),
                format!("您有{minutes}分钟课时补偿将于{deadline}过期，请尽快使用。"),
            ),
            NoticeType::SeatConfirmed => (
                "已为您自动预约".to_string(),
                format!(
                    "候补名额已空出，已为{child}自动预约：{course}（{start}）。如不需要，请在候补详情中取消，名额将还给候补队列。"
                ),
            ),
        },
        Lang::En => match kind {
            NoticeType::SpotAvailable => (
                "A seat is free".to_string(),
                format!(
                    "{course} ({start}) has a free seat. Confirm by {deadline}; first come, first served."
                ),
            ),
            NoticeType::SeatTaken => (
                "Seat taken".to_string(),
                format!(
                    "The seat in {course} ({start}) went to another family. You keep your place in the queue."
                ),
            ),
            NoticeType::HoldForYou => (
                "Seat held for you".to_string(),
                format!("The seat in {course} ({start}) is held for you until {deadline}."),
            ),
            NoticeType::OfferExpired => (
                "Offer expired".to_string(),
                format!(
                    "The time to confirm {course} ({start}) has passed; the seat moved to the next family."
                ),
            ),
            NoticeType::WaitlistExpired => (
                "Waitlist closed".to_string(),
                format!("The waitlist of {course} ({start}) has closed without a seat for you."),
            ),
            NoticeType::PositionChanged => (
                "Queue position".to_string(),
                format!("You are now number {position} on the waitlist of {course} ({start})."),
            ),
            NoticeType::MakeupBooked => (
                "Makeup booked".to_string(),
                format!("Your makeup class is booked: {course} ({start})."),
            ),
            NoticeType::MakeupCancelled => (
                "Makeup cancelled".to_string(),
                format!(
                    "The makeup {course} ({start}) is cancelled; the pending makeup is open again."
                ),
            ),
            NoticeType::CompensationExpiring => (
                "Credit expiring".to_string(),
                format!("{minutes} minutes of class credit expire on {deadline}."),
            ),
            NoticeType::SeatConfirmed => (
                "Booked for you".to_string(),
                format!(
                    "A seat came free and was booked for {child}: {course} ({start}). If you no longer need it, cancel it in the waitlist entry and the seat goes back to the queue."
                ),
            ),
        },
    };
    Rendered { title, body }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn spot_available_names_the_course_and_the_deadline_in_club_time() {
        let f = Facts {
            course_name: "初级体操".into(),
            starts_at: Some(Utc.with_ymd_and_hms(2026, 11, 25, 11, 0, 0).unwrap()),
            deadline: Some(Utc.with_ymd_and_hms(2026, 11, 25, 4, 45, 0).unwrap()),
            ..Default::default()
        };
        let r = render(
            NoticeType::SpotAvailable,
            Lang::ZhCn,
            chrono_tz::Asia::Shanghai,
            &f,
        );
        assert_eq!(
            r.body,
            "初级体操（11-25 19:00）有名额了，请在11-25 12:45前确认预约，先到先得。"
        );
    }

    #[test]
    fn every_status_word_is_a_phrase_and_every_note_a_thing() {
        use crate::wechat::keyword::{KeywordType, check};
        for kind in NoticeType::ALL {
            assert_eq!(
                check(KeywordType::Phrase, status_word(kind)),
                Ok(()),
                "{kind}"
            );
            assert_eq!(
                check(KeywordType::Thing, wechat_note(kind)),
                Ok(()),
                "{kind}"
            );
        }
    }

    #[test]
    fn every_type_has_both_languages_and_a_distinct_code() {
        let f = Facts::default();
        let mut codes = std::collections::HashSet::new();
        for kind in NoticeType::ALL {
            for lang in [Lang::ZhCn, Lang::En] {
                let r = render(kind, lang, chrono_tz::Asia::Shanghai, &f);
                assert!(!r.title.is_empty() && !r.body.is_empty());
            }
            assert!(codes.insert(kind.code()));
        }
        assert_eq!(codes.len(), NoticeType::ALL.len());
    }
}
