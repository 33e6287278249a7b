//! The `data` of a subscribe message: each keyword of the club's template layout gets its
//! fact, rendered to fit the keyword's type, and then checked against that type's rule
//! (`wechat::keyword::check`), so nothing WeChat would refuse (errcode 47003) is ever drafted.
//!
//! How a fact is rendered, per keyword type:
//! - text (course, location, note) as `thing`: control characters become spaces, cut to 20
//!   characters with a trailing `…`;
//! - the child as `name`: only Chinese characters and letters (≤ 10) or letters and symbols
//!   (≤ 20), else as `thing`;
//! - class time and deadline as `time` or `date`: `YYYY-MM-DD HH:MM` in the club's time zone;
//! - position and minutes as `number` (`3`, `30`), `character_string` (`3`, `30min`) or
//!   `thing` (`第3位`, `30分钟`);
//! - the status as `phrase` or `thing`, from the fixed word table of `notify::templates`.
//!
//! A fact the notification lacks is an error, never a placeholder.

use crate::notify::templates::{Facts, NoticeType, status_word, wechat_note};
use crate::wechat::keyword::{
    self, KeywordType, NAME_CHINESE_LIMIT, NAME_LATIN_LIMIT, THING_LIMIT, Violation,
};
use crate::wechat::layout::{Fact, Field, Layout};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("{keyword}: the {kind} notification has no {fact}")]
    Missing {
        keyword: String,
        fact: Fact,
        kind: NoticeType,
    },
    #[error("{keyword}: {value:?} {violation}")]
    Refused {
        keyword: String,
        value: String,
        violation: Violation,
    },
}

/// The message `data` object of `kind` laid out by `layout`.
pub fn data(
    layout: &Layout,
    kind: NoticeType,
    facts: &Facts,
    tz: Tz,
) -> Result<Value, RenderError> {
    let mut map = Map::new();
    for field in &layout.fields {
        let value = value(field, kind, facts, tz)?;
        map.insert(field.keyword.name().to_string(), json!({ "value": value }));
    }
    Ok(Value::Object(map))
}

/// One keyword's value: rendered for its type, then held to its type's rule.
fn value(field: &Field, kind: NoticeType, facts: &Facts, tz: Tz) -> Result<String, RenderError> {
    let keyword = &field.keyword;
    let value = render(field.fact, keyword.kind(), kind, facts, tz).ok_or_else(|| {
        RenderError::Missing {
            keyword: keyword.to_string(),
            fact: field.fact,
            kind,
        }
    })?;
    keyword::check(keyword.kind(), &value).map_err(|violation| RenderError::Refused {
        keyword: keyword.to_string(),
        value: value.clone(),
        violation,
    })?;
    Ok(value)
}

/// `fact` written for a keyword of type `ty`; `None` when the notification lacks it.
fn render(fact: Fact, ty: KeywordType, kind: NoticeType, f: &Facts, tz: Tz) -> Option<String> {
    match fact {
        Fact::Course => present(&f.course_name).map(thing),
        Fact::Location => f.location.as_deref().and_then(present).map(thing),
        Fact::Note => Some(thing(wechat_note(kind))),
        Fact::Child => f
            .child_name
            .as_deref()
            .and_then(present)
            .map(|n| person(n, ty)),
        Fact::ClassTime => f.starts_at.map(|t| moment(t, tz)),
        Fact::Deadline => f.deadline.map(|t| moment(t, tz)),
        Fact::Position => f.position.map(|p| count(p, ty, "第{}位", "")),
        Fact::Minutes => f.minutes.map(|m| count(m, ty, "{}分钟", "min")),
        Fact::Status => Some(status_word(kind).to_string()),
    }
}

fn present(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

/// `text` as a `thing`: one line, at most 20 characters (cut with `…`).
fn thing(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cut(line.trim(), THING_LIMIT, "…")
}

fn cut(text: &str, limit: usize, ellipsis: &str) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let keep = limit - ellipsis.chars().count();
    let mut s: String = text.chars().take(keep).collect();
    s.push_str(ellipsis);
    s
}

/// A person's name for a `name` keyword (its characters filtered and cut to its limit), or a
/// `thing`.
fn person(name: &str, ty: KeywordType) -> String {
    if ty != KeywordType::Name {
        return thing(name);
    }
    if name.chars().any(keyword::is_chinese) {
        let kept: String = name
            .chars()
            .filter(|c| keyword::is_chinese(*c) || c.is_ascii_alphabetic() || *c == '·')
            .collect();
        cut(&kept, NAME_CHINESE_LIMIT, "")
    } else {
        let kept: String = name
            .chars()
            .filter(|c| c.is_ascii_alphabetic() || *c == ' ' || c.is_ascii_punctuation())
            .collect();
        cut(kept.trim(), NAME_LATIN_LIMIT, "").trim().to_string()
    }
}

/// `YYYY-MM-DD HH:MM` in the club's time zone: a valid `time` and `date`.
fn moment(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// A count as a `number` (`3`), a `character_string` (`3` + `ascii_unit`) or a `thing`
/// (`thing_pattern` with `{}` replaced).
fn count(n: u32, ty: KeywordType, thing_pattern: &str, ascii_unit: &str) -> String {
    match ty {
        KeywordType::Number => n.to_string(),
        KeywordType::CharacterString => format!("{n}{ascii_unit}"),
        _ => thing_pattern.replace("{}", &n.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::keyword::Keyword;
    use crate::wechat::layout::EXAMPLES;
    use chrono::TimeZone;

    const TZ: Tz = chrono_tz::Asia::Shanghai;

    /// Everything any type can mention, as a call site fills it.
    fn full_facts() -> Facts {
        Facts {
            course_name: "初级体操".into(),
            starts_at: Some(Utc.with_ymd_and_hms(2026, 11, 25, 11, 0, 0).unwrap()),
            deadline: Some(Utc.with_ymd_and_hms(2026, 11, 25, 4, 45, 0).unwrap()),
            position: Some(2),
            minutes: Some(30),
            location: Some("浦东馆".into()),
            child_name: Some("王小明".into()),
        }
    }

    fn layout(kind: NoticeType, spec: &str) -> Layout {
        Layout::parse(kind, "tmpl", spec).unwrap()
    }

    fn example(kind: NoticeType) -> Layout {
        let spec = EXAMPLES.iter().find(|(k, _)| *k == kind).unwrap().1;
        layout(kind, spec)
    }

    #[test]
    fn every_type_renders_its_example_layout_to_values_wechat_accepts() {
        for kind in NoticeType::ALL {
            let l = example(kind);
            let d = data(&l, kind, &full_facts(), TZ).unwrap_or_else(|e| panic!("{kind}: {e}"));
            let object = d.as_object().unwrap();
            let keys: Vec<&str> = object.keys().map(String::as_str).collect();
            let mut wanted: Vec<&str> = l.fields.iter().map(|f| f.keyword.name()).collect();
            wanted.sort_unstable();
            assert_eq!(keys, wanted, "{kind}: exactly the template's keywords");
            for (key, v) in object {
                let keyword: Keyword = key.parse().unwrap();
                let value = v["value"].as_str().unwrap();
                assert_eq!(
                    keyword::check(keyword.kind(), value),
                    Ok(()),
                    "{kind} {key}={value:?}"
                );
            }
        }
    }

    #[test]
    fn spot_available_shows_course_times_in_club_time_and_the_note() {
        let d = data(
            &example(NoticeType::SpotAvailable),
            NoticeType::SpotAvailable,
            &full_facts(),
            TZ,
        )
        .unwrap();
        assert_eq!(
            d,
            json!({
                "thing1": {"value": "初级体操"},
                "time2": {"value": "2026-11-25 19:00"},
                "time3": {"value": "2026-11-25 12:45"},
                "thing4": {"value": "有名额了，先确认先得"},
            })
        );
    }

    #[test]
    fn long_course_names_are_cut_to_twenty_characters_with_an_ellipsis() {
        let facts = Facts {
            course_name: "周末亲子体操启蒙加强班（浦东馆）特别加长的名字".into(),
            ..full_facts()
        };
        let d = data(
            &example(NoticeType::SeatTaken),
            NoticeType::SeatTaken,
            &facts,
            TZ,
        )
        .unwrap();
        let thing = d["thing1"]["value"].as_str().unwrap();
        assert_eq!(thing.chars().count(), 20);
        assert_eq!(thing, "周末亲子体操启蒙加强班（浦东馆）特别加…");
        assert_eq!(d["phrase3"]["value"], "已被抢占");
    }

    #[test]
    fn counts_are_written_for_their_keyword_type() {
        let kind = NoticeType::CompensationExpiring;
        let cases = [
            ("number1=minutes", "30"),
            ("character_string1=minutes", "30min"),
            ("thing1=minutes", "30分钟"),
        ];
        for (spec, want) in cases {
            let d = data(&layout(kind, spec), kind, &full_facts(), TZ).unwrap();
            let (_, v) = d.as_object().unwrap().iter().next().unwrap();
            assert_eq!(v["value"], want, "{spec}");
        }
        let kind = NoticeType::PositionChanged;
        for (spec, want) in [
            ("number3=position", "2"),
            ("character_string3=position", "2"),
            ("thing3=position", "第2位"),
        ] {
            let d = data(&layout(kind, spec), kind, &full_facts(), TZ).unwrap();
            let (_, v) = d.as_object().unwrap().iter().next().unwrap();
            assert_eq!(v["value"], want, "{spec}");
        }
    }

    #[test]
    fn a_date_keyword_gets_a_real_date_and_control_characters_never_reach_a_thing() {
        let kind = NoticeType::MakeupBooked;
        let facts = Facts {
            location: Some("浦东馆\n二楼".into()),
            ..full_facts()
        };
        let d = data(
            &layout(kind, "date1=class_time,thing2=location"),
            kind,
            &facts,
            TZ,
        )
        .unwrap();
        assert_eq!(d["date1"]["value"], "2026-11-25 19:00");
        assert_eq!(d["thing2"]["value"], "浦东馆 二楼");
    }

    #[test]
    fn a_missing_fact_is_an_error_not_a_placeholder() {
        let kind = NoticeType::SpotAvailable;
        let facts = Facts {
            deadline: None,
            ..full_facts()
        };
        let err = data(&example(kind), kind, &facts, TZ).unwrap_err();
        assert_eq!(
            err,
            RenderError::Missing {
                keyword: "time3".into(),
                fact: Fact::Deadline,
                kind,
            }
        );
        let nameless = Facts {
            course_name: "  ".into(),
            ..full_facts()
        };
        assert!(matches!(
            data(&example(kind), kind, &nameless, TZ),
            Err(RenderError::Missing {
                fact: Fact::Course,
                ..
            })
        ));
    }

    #[test]
    fn names_keep_only_what_a_name_allows_and_refuse_what_cannot_be_one() {
        let kind = NoticeType::MakeupBooked;
        let l = layout(kind, "name4=child");
        let render = |child: &str| {
            let facts = Facts {
                child_name: Some(child.into()),
                ..full_facts()
            };
            data(&l, kind, &facts, TZ).map(|d| d["name4"]["value"].as_str().unwrap().to_string())
        };
        assert_eq!(render("王小明").unwrap(), "王小明");
        assert_eq!(render("小明2号").unwrap(), "小明号");
        assert_eq!(render("Amy Lee").unwrap(), "Amy Lee");
        assert_eq!(
            render("一二三四五六七八九十一二").unwrap(),
            "一二三四五六七八九十"
        );
        assert!(matches!(
            render("2024"),
            Err(RenderError::Refused {
                violation: Violation::Empty,
                ..
            })
        ));
    }
}
