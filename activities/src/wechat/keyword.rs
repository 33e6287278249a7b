//! The keywords of a subscribe-message template and the rule each value must satisfy.
//!
//! A template from WeChat's public library has fixed keywords such as `thing1`, `time3` or
//! `phrase5`: the trailing number is the template's, the word before it is the keyword's
//! *type*, and WeChat refuses (errcode 47003) a value that breaks its type's rule:
//!
//! | type | rule |
//! |---|---|
//! | `thing` | ≤ 20 characters: Chinese, digits, letters, symbols |
//! | `number` | ≤ 32 characters: digits, optionally one decimal point |
//! | `letter` | ≤ 32 letters only |
//! | `symbol` | ≤ 5 symbols only |
//! | `character_string` | ≤ 32 digits, letters or ASCII symbols (no Chinese) |
//! | `time` | a 24-hour time, optionally after a date (`15:01`, `2019-10-01 15:01`, `2019年10月1日 15:01`); a range joined by `~` |
//! | `date` | a date, optionally with a 24-hour time (`2019年10月1日`, `2019-10-01 15:01`); a range joined by `~` |
//! | `amount` | one currency symbol, ≤ 10 digits, optional decimals, may end in `元` |
//! | `phone_number` | ≤ 17 digits and symbols |
//! | `car_number` | ≤ 8 characters; first and last may be Chinese, the rest letters or digits |
//! | `name` | ≤ 10 Chinese characters (letters may mix in), or ≤ 20 letters / symbols |
//! | `phrase` | ≤ 5 Chinese characters only |
//!
//! Every value must also be non-empty. [`check`] is the one place these rules are decided: the
//! production renderer refuses a value it refuses, and the test double answers 47003 for it.
//! Where WeChat's documentation leaves room (which symbols, which date spellings) the rule
//! here is the stricter reading.

use chrono::{NaiveDate, NaiveTime};
use std::fmt;
use std::str::FromStr;

/// The type of a template keyword: the word of `thing1`, `character_string2`, ...
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeywordType {
    Thing,
    Number,
    Letter,
    Symbol,
    CharacterString,
    Time,
    Date,
    Amount,
    PhoneNumber,
    CarNumber,
    Name,
    Phrase,
}

impl KeywordType {
    pub const ALL: [KeywordType; 12] = [
        KeywordType::Thing,
        KeywordType::Number,
        KeywordType::Letter,
        KeywordType::Symbol,
        KeywordType::CharacterString,
        KeywordType::Time,
        KeywordType::Date,
        KeywordType::Amount,
        KeywordType::PhoneNumber,
        KeywordType::CarNumber,
        KeywordType::Name,
        KeywordType::Phrase,
    ];

    /// The word WeChat uses, e.g. `character_string`.
    pub fn word(self) -> &'static str {
        match self {
            KeywordType::Thing => "thing",
            KeywordType::Number => "number",
            KeywordType::Letter => "letter",
            KeywordType::Symbol => "symbol",
            KeywordType::CharacterString => "character_string",
            KeywordType::Time => "time",
            KeywordType::Date => "date",
            KeywordType::Amount => "amount",
            KeywordType::PhoneNumber => "phone_number",
            KeywordType::CarNumber => "car_number",
            KeywordType::Name => "name",
            KeywordType::Phrase => "phrase",
        }
    }
}

impl fmt::Display for KeywordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// One keyword of a template, e.g. `time3`: its name as WeChat spells it and its type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Keyword {
    name: String,
    kind: KeywordType,
}

impl Keyword {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn kind(&self) -> KeywordType {
        self.kind
    }
}

impl fmt::Display for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeywordError {
    #[error("keyword {0:?} has no number (WeChat's keywords look like thing1, time3)")]
    NoNumber(String),
    #[error("keyword {name:?} has unknown type {word:?} (known: {known})")]
    UnknownType {
        name: String,
        word: String,
        known: String,
    },
}

impl FromStr for Keyword {
    type Err = KeywordError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let word = name.trim_end_matches(|c: char| c.is_ascii_digit());
        if word.len() == name.len() || word.is_empty() {
            return Err(KeywordError::NoNumber(name.to_string()));
        }
        let kind = KeywordType::ALL
            .into_iter()
            .find(|k| k.word() == word)
            .ok_or_else(|| KeywordError::UnknownType {
                name: name.to_string(),
                word: word.to_string(),
                known: KeywordType::ALL.map(KeywordType::word).join(", "),
            })?;
        Ok(Keyword {
            name: name.to_string(),
            kind,
        })
    }
}

/// Why a value breaks its keyword's rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    #[error("is empty")]
    Empty,
    #[error("has {got} characters, more than {limit}")]
    TooLong { limit: usize, got: usize },
    #[error("contains {found:?}, but allows only {allowed}")]
    Character { found: char, allowed: &'static str },
    #[error("is not {expected}")]
    Format { expected: &'static str },
}

/// Decides whether `value` fits a keyword of type `kind`.
pub fn check(kind: KeywordType, value: &str) -> Result<(), Violation> {
    if value.trim().is_empty() {
        return Err(Violation::Empty);
    }
    match kind {
        KeywordType::Thing => thing(value),
        KeywordType::Number => number(value),
        KeywordType::Letter => letter(value),
        KeywordType::Symbol => symbol(value),
        KeywordType::CharacterString => character_string(value),
        KeywordType::Time => time(value),
        KeywordType::Date => date(value),
        KeywordType::Amount => amount(value),
        KeywordType::PhoneNumber => phone_number(value),
        KeywordType::CarNumber => car_number(value),
        KeywordType::Name => name(value),
        KeywordType::Phrase => phrase(value),
    }
}

/// `thing`'s limit, the one the renderer cuts to.
pub const THING_LIMIT: usize = 20;
pub const NUMBER_LIMIT: usize = 32;
pub const LETTER_LIMIT: usize = 32;
pub const SYMBOL_LIMIT: usize = 5;
pub const CHARACTER_STRING_LIMIT: usize = 32;
pub const AMOUNT_DIGITS_LIMIT: usize = 10;
pub const PHONE_NUMBER_LIMIT: usize = 17;
pub const CAR_NUMBER_LIMIT: usize = 8;
pub const NAME_CHINESE_LIMIT: usize = 10;
pub const NAME_LATIN_LIMIT: usize = 20;
pub const PHRASE_LIMIT: usize = 5;

/// A Chinese character (CJK ideograph), the unit of `phrase` and Chinese `name`s.
pub fn is_chinese(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'     // CJK Unified Ideographs
        | '\u{3400}'..='\u{4DBF}'   // Extension A
        | '\u{F900}'..='\u{FAFF}'   // Compatibility Ideographs
        | '\u{20000}'..='\u{2EBEF}' // Extensions B–F
    )
}

/// A symbol: neither a letter, a digit, a Chinese character, whitespace nor a control
/// character (`-`, `~`, `¥`, `…`, `，` ...).
pub fn is_symbol(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace() && !c.is_control()
}

fn at_most(value: &str, limit: usize) -> Result<(), Violation> {
    let got = value.chars().count();
    if got > limit {
        Err(Violation::TooLong { limit, got })
    } else {
        Ok(())
    }
}

fn only(value: &str, allowed: &'static str, ok: impl Fn(char) -> bool) -> Result<(), Violation> {
    match value.chars().find(|c| !ok(*c)) {
        Some(found) => Err(Violation::Character { found, allowed }),
        None => Ok(()),
    }
}

fn thing(value: &str) -> Result<(), Violation> {
    at_most(value, THING_LIMIT)?;
    only(value, "characters that are not control characters", |c| {
        !c.is_control()
    })
}

fn number(value: &str) -> Result<(), Violation> {
    at_most(value, NUMBER_LIMIT)?;
    only(value, "digits and a decimal point", |c| {
        c.is_ascii_digit() || c == '.'
    })?;
    let mut parts = value.split('.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    let well_formed =
        !whole.is_empty() && fraction.is_none_or(|f| !f.is_empty()) && parts.next().is_none();
    if well_formed {
        Ok(())
    } else {
        Err(Violation::Format {
            expected: "a number such as 12 or 12.5",
        })
    }
}

fn letter(value: &str) -> Result<(), Violation> {
    at_most(value, LETTER_LIMIT)?;
    only(value, "letters", |c| c.is_ascii_alphabetic())
}

fn symbol(value: &str) -> Result<(), Violation> {
    at_most(value, SYMBOL_LIMIT)?;
    only(value, "symbols", is_symbol)
}

fn character_string(value: &str) -> Result<(), Violation> {
    at_most(value, CHARACTER_STRING_LIMIT)?;
    only(value, "digits, letters and ASCII symbols", |c| {
        c.is_ascii_alphanumeric() || c.is_ascii_punctuation()
    })
}

fn time(value: &str) -> Result<(), Violation> {
    range(value, |point| {
        moment(point).is_some_and(|(_, time)| time.is_some())
    })
    .then_some(())
    .ok_or(Violation::Format {
        expected: "a 24-hour time such as 15:01 or 2019-10-01 15:01 (a range joined by ~)",
    })
}

fn date(value: &str) -> Result<(), Violation> {
    range(value, |point| {
        moment(point).is_some_and(|(date, _)| date.is_some())
    })
    .then_some(())
    .ok_or(Violation::Format {
        expected: "a date such as 2019-10-01 or 2019年10月1日, optionally with a time (a range joined by ~)",
    })
}

/// One point, or two joined by `~`, each accepted by `point`.
fn range(value: &str, point: impl Fn(&str) -> bool) -> bool {
    let points: Vec<&str> = value.split('~').map(str::trim).collect();
    points.len() <= 2 && points.iter().all(|p| point(p))
}

/// `[date] [time]`: a real calendar date and/or a real 24-hour time.
fn moment(text: &str) -> Option<(Option<NaiveDate>, Option<NaiveTime>)> {
    let mut words = text.split_whitespace();
    let first = words.next()?;
    let second = words.next();
    if words.next().is_some() {
        return None;
    }
    match (calendar_date(first), second) {
        (Some(d), None) => Some((Some(d), None)),
        (Some(d), Some(t)) => Some((Some(d), Some(clock_time(t)?))),
        (None, None) => Some((None, Some(clock_time(first)?))),
        (None, Some(_)) => None,
    }
}

/// `2019-10-01`, `2019/10/01` or `2019年10月1日`, a day that exists.
fn calendar_date(text: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = if let Some(rest) = text.strip_suffix('日') {
        let (year, rest) = rest.split_once('年')?;
        let (month, day) = rest.split_once('月')?;
        vec![year, month, day]
    } else if text.contains('-') {
        text.split('-').collect()
    } else {
        text.split('/').collect()
    };
    let [year, month, day] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(year, 4, 4) && digits(month, 1, 2) && digits(day, 1, 2)) {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// `15:01` or `15:01:30`, a time that exists on a 24-hour clock.
fn clock_time(text: &str) -> Option<NaiveTime> {
    let parts: Vec<&str> = text.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let well_formed = parts.iter().enumerate().all(|(i, p)| {
        let len_ok = if i == 0 {
            (1..=2).contains(&p.len())
        } else {
            p.len() == 2
        };
        len_ok && p.bytes().all(|b| b.is_ascii_digit())
    });
    if !well_formed {
        return None;
    }
    let n = |i: usize| parts.get(i).map_or(Some(0), |p| p.parse::<u32>().ok());
    NaiveTime::from_hms_opt(n(0)?, n(1)?, n(2)?)
}

fn amount(value: &str) -> Result<(), Violation> {
    const CURRENCIES: [char; 10] = ['¥', '￥', '$', '€', '£', '₩', '₹', '₽', '฿', '₫'];
    let expected = "a currency symbol and at most 10 digits, e.g. ¥180 or ¥12.50元";
    let bad = Violation::Format { expected };
    let mut chars = value.chars();
    if !chars.next().is_some_and(|c| CURRENCIES.contains(&c)) {
        return Err(bad);
    }
    let rest = chars.as_str();
    let rest = rest.strip_suffix('元').unwrap_or(rest);
    let (whole, fraction) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let ok = digits(whole)
        && whole.len() <= AMOUNT_DIGITS_LIMIT
        && fraction.is_none_or(|f| digits(f) && f.len() <= 2);
    if ok { Ok(()) } else { Err(bad) }
}

fn phone_number(value: &str) -> Result<(), Violation> {
    at_most(value, PHONE_NUMBER_LIMIT)?;
    only(value, "digits and symbols", |c| {
        c.is_ascii_digit() || c.is_ascii_punctuation()
    })?;
    if value.chars().any(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Violation::Format {
            expected: "a phone number such as +86-0766-66888866",
        })
    }
}

fn car_number(value: &str) -> Result<(), Violation> {
    at_most(value, CAR_NUMBER_LIMIT)?;
    let last = value.chars().count() - 1;
    let bad = value.chars().enumerate().find(|(i, c)| {
        let edge = *i == 0 || *i == last;
        !(c.is_ascii_alphanumeric() || (edge && is_chinese(*c)))
    });
    match bad {
        Some((_, found)) => Err(Violation::Character {
            found,
            allowed: "letters and digits, with a Chinese character first or last",
        }),
        None => Ok(()),
    }
}

fn name(value: &str) -> Result<(), Violation> {
    if value.chars().any(is_chinese) {
        at_most(value, NAME_CHINESE_LIMIT)?;
        only(value, "Chinese characters and letters", |c| {
            is_chinese(c) || c.is_ascii_alphabetic() || c == '·'
        })
    } else {
        at_most(value, NAME_LATIN_LIMIT)?;
        only(value, "letters, spaces and symbols", |c| {
            c.is_ascii_alphabetic() || c == ' ' || c.is_ascii_punctuation()
        })
    }
}

fn phrase(value: &str) -> Result<(), Violation> {
    at_most(value, PHRASE_LIMIT)?;
    only(value, "Chinese characters", is_chinese)
}

#[cfg(test)]
mod tests {
    use super::*;
    use KeywordType::*;

    /// (type, value, accepted?) — each row one case of WeChat's table.
    const CASES: &[(KeywordType, &str, bool)] = &[
        (Thing, "初级体操（浦东馆）", true),
        (Thing, "Level 2 体操 #3", true),
        (Thing, "一二三四五六七八九十一二三四五六七八九十", true),
        (Thing, "一二三四五六七八九十一二三四五六七八九十一", false),
        (Thing, "", false),
        (Thing, "   ", false),
        (Thing, "第一行\n第二行", false),
        (Number, "30", true),
        (Number, "12.5", true),
        (Number, "12345678901234567890123456789012", true),
        (Number, "123456789012345678901234567890123", false),
        (Number, "30分钟", false),
        (Number, "-3", false),
        (Number, "1.2.3", false),
        (Number, ".5", false),
        (Number, "5.", false),
        (Number, "1,000", false),
        (Letter, "abcXYZ", true),
        (Letter, "abc1", false),
        (Letter, "中文", false),
        (Symbol, "~-+", true),
        (Symbol, "★¥…", true),
        (Symbol, "!!!!!!", false),
        (Symbol, "a!", false),
        (CharacterString, "A-1024_x", true),
        (CharacterString, "30min", true),
        (CharacterString, "30分钟", false),
        (CharacterString, "No 3", false),
        (CharacterString, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", false),
        (Time, "15:01", true),
        (Time, "2026-11-25 19:00", true),
        (Time, "2026-11-25 19:00:30", true),
        (Time, "2019年10月1日 15:01", true),
        (Time, "2026/11/25 19:00", true),
        (Time, "2026-11-25 19:00~2026-11-25 20:30", true),
        (Time, "19:00 ~ 20:30", true),
        (Time, "-", false),
        (Time, "2026-11-25", false),
        (Time, "25:00", false),
        (Time, "19:60", false),
        (Time, "2026-02-30 19:00", false),
        (Time, "19:00~20:00~21:00", false),
        (Time, "明天 19:00", false),
        (Time, "19点", false),
        (Date, "2019年10月1日", true),
        (Date, "2026-11-25", true),
        (Date, "2026-11-25 19:00", true),
        (Date, "2026-11-25~2026-12-09", true),
        (Date, "-", false),
        (Date, "19:00", false),
        (Date, "2026-13-01", false),
        (Date, "26-11-25", false),
        (Amount, "¥180", true),
        (Amount, "¥0.00", true),
        (Amount, "￥12.5元", true),
        (Amount, "$1234567890", true),
        (Amount, "¥12345678901", false),
        (Amount, "180", false),
        (Amount, "¥12.345", false),
        (Amount, "¥¥1", false),
        (PhoneNumber, "+86-0766-66888866", true),
        (PhoneNumber, "13800138000", true),
        (PhoneNumber, "+86-0766-668888661", false),
        (PhoneNumber, "400 800 8888", false),
        (PhoneNumber, "tel:1", false),
        (CarNumber, "粤A8Z888挂", true),
        (CarNumber, "沪A12345", true),
        (CarNumber, "沪A1234567", false),
        (CarNumber, "沪A中345", false),
        (Name, "王小明", true),
        (Name, "欧阳·娜娜", true),
        (Name, "王Amy", true),
        (Name, "Amy Lee", true),
        (Name, "一二三四五六七八九十一", false),
        (Name, "小明2号", false),
        (Name, "Alexandria Catherine Smith", false),
        (Phrase, "有空位", true),
        (Phrase, "即将过期", true),
        (Phrase, "已被抢占了吧", false),
        (Phrase, "OK", false),
        (Phrase, "已取消!", false),
    ];

    #[test]
    fn every_keyword_type_accepts_and_refuses_as_wechats_table_says() {
        let mut wrong = Vec::new();
        for (kind, value, accepted) in CASES {
            let got = check(*kind, value);
            if got.is_ok() != *accepted {
                wrong.push(format!(
                    "{kind} {value:?}: {got:?}, expected accepted={accepted}"
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        for kind in KeywordType::ALL {
            assert!(
                CASES.iter().any(|(k, _, ok)| *k == kind && *ok)
                    && CASES.iter().any(|(k, _, ok)| *k == kind && !*ok),
                "{kind} has an accepted and a refused case"
            );
        }
    }

    #[test]
    fn violations_say_what_is_wrong() {
        assert_eq!(check(Thing, ""), Err(Violation::Empty));
        assert_eq!(
            check(Phrase, "已被抢占了吧"),
            Err(Violation::TooLong { limit: 5, got: 6 })
        );
        assert_eq!(
            check(CharacterString, "30分钟").unwrap_err().to_string(),
            "contains '分', but allows only digits, letters and ASCII symbols"
        );
    }

    #[test]
    fn keyword_names_carry_their_type_and_number() {
        let cases = [
            ("thing1", Some(Thing)),
            ("time12", Some(Time)),
            ("character_string3", Some(CharacterString)),
            ("phone_number2", Some(PhoneNumber)),
            ("car_number9", Some(CarNumber)),
            ("phrase5", Some(Phrase)),
            ("thing", None),
            ("1", None),
            ("keyword1", None),
            ("Thing1", None),
            ("enum1", None),
        ];
        for (name, kind) in cases {
            let parsed = name.parse::<Keyword>();
            assert_eq!(parsed.as_ref().ok().map(Keyword::kind), kind, "{name}");
            if let Ok(k) = parsed {
                assert_eq!(k.name(), name);
            }
        }
        let err = "keyword1".parse::<Keyword>().unwrap_err().to_string();
        assert!(err.contains("unknown type \"keyword\"") && err.contains("character_string"));
    }
}
