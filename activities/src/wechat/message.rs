//! The `data` of a subscribe message per notification type, within WeChat's field limits
//! (`thing` ≤ 20 characters, `character_string` ≤ 32, `phrase` ≤ 5; `time` as
//! `YYYY-MM-DD HH:MM` in the club's time zone). The field keys (`thing1`, `time2`, ...) are
//! the layout the club's templates must use; docs/wechat-templates.md lists them.

use crate::notify::templates::{Facts, NoticeType};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value, json};

/// WeChat's `thing` limit.
const THING: usize = 20;
const CHARACTER_STRING: usize = 32;

fn cut(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(limit - 1).collect();
        s.push('…');
        s
    }
}

fn time(t: Option<DateTime<Utc>>, tz: Tz) -> String {
    t.map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| "-".to_string())
}

/// The message `data` object for `kind`.
pub fn data(kind: NoticeType, facts: &Facts, tz: Tz) -> Value {
    let course = cut(&facts.course_name, THING);
    let start = time(facts.starts_at, tz);
    let deadline = time(facts.deadline, tz);
    let note = |s: &str| cut(s, THING);
    let fields: Vec<(&str, String)> = match kind {
        NoticeType::SpotAvailable => vec![
            ("thing1", course),
            ("time2", start),
            ("time3", deadline),
            ("thing4", note("有名额了，先确认先得")),
        ],
        NoticeType::HoldForYou => vec![
            ("thing1", course),
            ("time2", start),
            ("time3", deadline),
            ("thing4", note("名额为您保留，请尽快确认")),
        ],
        NoticeType::SeatTaken => vec![
            ("thing1", course),
            ("time2", start),
            ("thing3", note("名额已被抢占，您仍在候补中")),
        ],
        NoticeType::OfferExpired => vec![
            ("thing1", course),
            ("time2", start),
            ("thing3", note("确认已过期，名额已顺位")),
        ],
        NoticeType::WaitlistExpired => vec![
            ("thing1", course),
            ("time2", start),
            ("thing3", note("候补已截止，未能递补")),
        ],
        NoticeType::PositionChanged => vec![
            ("thing1", course),
            ("time2", start),
            (
                "character_string3",
                cut(
                    &facts.position.unwrap_or_default().to_string(),
                    CHARACTER_STRING,
                ),
            ),
        ],
        NoticeType::MakeupBooked => vec![
            ("thing1", course),
            ("time2", start),
            ("thing3", note("补课预约成功")),
        ],
        NoticeType::MakeupCancelled => vec![
            ("thing1", course),
            ("time2", start),
            ("thing3", note("补课已取消")),
        ],
        NoticeType::CompensationExpiring => vec![
            (
                "character_string1",
                format!("{}分钟", facts.minutes.unwrap_or_default()),
            ),
            ("time2", deadline),
            ("thing3", note("课时补偿即将过期")),
        ],
    };
    let mut map = Map::new();
    for (key, value) in fields {
        map.insert(key.to_string(), json!({ "value": value }));
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn long_course_names_are_cut_to_twenty_characters() {
        let facts = Facts {
            course_name: "周末亲子体操启蒙加强班（浦东馆）特别加长的名字".into(),
            starts_at: Some(Utc.with_ymd_and_hms(2026, 11, 25, 11, 0, 0).unwrap()),
            deadline: Some(Utc.with_ymd_and_hms(2026, 11, 25, 4, 45, 0).unwrap()),
            ..Default::default()
        };
        let d = data(NoticeType::SpotAvailable, &facts, chrono_tz::Asia::Shanghai);
        let thing = d["thing1"]["value"].as_str().unwrap();
        assert_eq!(thing.chars().count(), 20);
        assert!(thing.ends_with('…'));
        assert_eq!(d["time2"]["value"], "2026-11-25 19:00");
        assert_eq!(d["time3"]["value"], "2026-11-25 12:45");
    }

    #[test]
    fn every_type_fits_the_limits() {
        let facts = Facts {
            course_name: "x".repeat(40),
            ..Default::default()
        };
        for kind in NoticeType::ALL {
            let d = data(kind, &facts, chrono_tz::Asia::Shanghai);
            for (key, v) in d.as_object().unwrap() {
                let text = v["value"].as_str().unwrap();
                if key.starts_with("thing") {
                    assert!(text.chars().count() <= THING, "{key} of {kind:?}");
                }
            }
        }
    }
}
