//! Template layouts: which keyword of a club's subscribe-message template carries which fact.
//!
//! A club picks its templates from WeChat's public library, and each comes with fixed
//! keywords (`thing1`, `time3`, `phrase5`, ...). The worker is told, per notification type,
//! the template id (`WECHAT_TEMPLATE_<TYPE>`) and its layout
//! (`WECHAT_TEMPLATE_<TYPE>_FIELDS=thing1=course,time2=class_time,time3=deadline,thing4=note`).
//! [`Layout::parse`] refuses, before anything is sent, a keyword of an unknown type, an unknown
//! fact, a fact that cannot fit its keyword's type, and a fact the notification type does not
//! carry, so a message is never rendered with a placeholder WeChat would refuse.

use crate::wechat::keyword::{Keyword, KeywordError, KeywordType};
use std::fmt;
use std::str::FromStr;
use workflows::notice::NoticeType;

/// A fact a message can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fact {
    /// The course's name (课程名称).
    Course,
    /// When the class starts (上课时间).
    ClassTime,
    /// Until when: the offer's confirm deadline, or when a credit expires.
    Deadline,
    /// The entry's position in the queue.
    Position,
    /// Minutes of compensation credit.
    Minutes,
    /// Where the class is (上课地点).
    Location,
    /// The child's name (学员姓名).
    Child,
    /// A short status word of the notification type (有空位, 已被抢占, ...).
    Status,
    /// A one-line hint of the notification type (温馨提示).
    Note,
}

impl Fact {
    pub const ALL: [Fact; 9] = [
        Fact::Course,
        Fact::ClassTime,
        Fact::Deadline,
        Fact::Position,
        Fact::Minutes,
        Fact::Location,
        Fact::Child,
        Fact::Status,
        Fact::Note,
    ];

    /// Its name in a layout, e.g. `class_time`.
    pub fn code(self) -> &'static str {
        match self {
            Fact::Course => "course",
            Fact::ClassTime => "class_time",
            Fact::Deadline => "deadline",
            Fact::Position => "position",
            Fact::Minutes => "minutes",
            Fact::Location => "location",
            Fact::Child => "child",
            Fact::Status => "status",
            Fact::Note => "note",
        }
    }

    /// The keyword types it can be rendered into.
    pub fn fits(self) -> &'static [KeywordType] {
        use KeywordType::*;
        match self {
            Fact::Course | Fact::Location | Fact::Note => &[Thing],
            Fact::Child => &[Name, Thing],
            Fact::ClassTime | Fact::Deadline => &[Time, Date],
            Fact::Position | Fact::Minutes => &[Number, CharacterString, Thing],
            Fact::Status => &[Phrase, Thing],
        }
    }

    /// Whether every notification of `kind` carries this fact (the call sites fill it in
    /// `Facts`; `Status` and `Note` come from the type itself).
    pub fn provided_by(self, kind: NoticeType) -> bool {
        use NoticeType::*;
        match self {
            Fact::Course | Fact::ClassTime => kind != CompensationExpiring,
            Fact::Deadline => matches!(kind, SpotAvailable | HoldForYou | CompensationExpiring),
            Fact::Position => kind == PositionChanged,
            Fact::Minutes => kind == CompensationExpiring,
            Fact::Location | Fact::Child => {
                matches!(kind, MakeupBooked | MakeupCancelled | SeatConfirmed)
            }
            Fact::Status | Fact::Note => true,
        }
    }

    /// The facts `kind` carries.
    pub fn provided(kind: NoticeType) -> Vec<Fact> {
        Self::ALL
            .into_iter()
            .filter(|f| f.provided_by(kind))
            .collect()
    }
}

impl fmt::Display for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

fn names(facts: impl IntoIterator<Item = Fact>) -> String {
    facts
        .into_iter()
        .map(Fact::code)
        .collect::<Vec<_>>()
        .join(", ")
}

fn words(types: &[KeywordType]) -> String {
    types
        .iter()
        .map(|t| t.word())
        .collect::<Vec<_>>()
        .join(" or ")
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown fact {0:?}")]
pub struct UnknownFact(pub String);

impl FromStr for Fact {
    type Err = UnknownFact;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.code() == s)
            .ok_or_else(|| UnknownFact(s.to_string()))
    }
}

/// One keyword of the template and the fact it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub keyword: Keyword,
    pub fact: Fact,
}

/// A template id and the fact behind each of its keywords.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub template_id: String,
    pub fields: Vec<Field>,
}

/// Why a layout is refused. Each message names the offending entry; the caller adds the
/// variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    #[error(
        "empty: list every keyword of the template as keyword=fact, e.g. thing1=course,time2=class_time"
    )]
    Empty,
    #[error("{0:?} is not keyword=fact (e.g. thing1=course)")]
    Malformed(String),
    #[error(transparent)]
    Keyword(#[from] KeywordError),
    #[error("{keyword}: unknown fact {fact:?} (known: {known})")]
    UnknownFact {
        keyword: String,
        fact: String,
        known: String,
    },
    #[error("{keyword}: {fact} cannot be a {kind} value ({fact} fits {fits})")]
    DoesNotFit {
        keyword: String,
        fact: Fact,
        kind: KeywordType,
        fits: String,
    },
    #[error("{keyword}: {notice} notifications have no {fact} (they have: {provided})")]
    NotProvided {
        keyword: String,
        fact: Fact,
        notice: NoticeType,
        provided: String,
    },
    #[error("{0}: listed twice")]
    Duplicate(String),
}

impl Layout {
    /// Reads `spec` (`thing1=course,time2=class_time,...`) as the layout of `kind`'s template.
    pub fn parse(kind: NoticeType, template_id: &str, spec: &str) -> Result<Self, LayoutError> {
        let entries: Vec<&str> = spec
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .collect();
        if entries.is_empty() {
            return Err(LayoutError::Empty);
        }
        let mut fields: Vec<Field> = Vec::with_capacity(entries.len());
        for entry in entries {
            let field = parse_field(kind, entry)?;
            if fields.iter().any(|f| f.keyword == field.keyword) {
                return Err(LayoutError::Duplicate(field.keyword.to_string()));
            }
            fields.push(field);
        }
        Ok(Self {
            template_id: template_id.to_string(),
            fields,
        })
    }
}

fn parse_field(kind: NoticeType, entry: &str) -> Result<Field, LayoutError> {
    let (keyword, fact) = entry
        .split_once('=')
        .map(|(k, f)| (k.trim(), f.trim()))
        .ok_or_else(|| LayoutError::Malformed(entry.to_string()))?;
    let keyword: Keyword = keyword.parse()?;
    let fact: Fact = fact.parse().map_err(|_| LayoutError::UnknownFact {
        keyword: keyword.to_string(),
        fact: fact.to_string(),
        known: names(Fact::ALL),
    })?;
    if !fact.fits().contains(&keyword.kind()) {
        return Err(LayoutError::DoesNotFit {
            keyword: keyword.to_string(),
            fact,
            kind: keyword.kind(),
            fits: words(fact.fits()),
        });
    }
    if !fact.provided_by(kind) {
        return Err(LayoutError::NotProvided {
            keyword: keyword.to_string(),
            fact,
            notice: kind,
            provided: names(Fact::provided(kind)),
        });
    }
    Ok(Field { keyword, fact })
}

/// A worked layout per notification type in the style of WeChat's public library, the ones
/// `docs/wechat-templates.md` and `.env.example` show.
pub const EXAMPLES: [(NoticeType, &str); 10] = [
    (
        NoticeType::SpotAvailable,
        "thing1=course,time2=class_time,time3=deadline,thing4=note",
    ),
    (
        NoticeType::SeatTaken,
        "thing1=course,time2=class_time,phrase3=status,thing4=note",
    ),
    (
        NoticeType::HoldForYou,
        "thing1=course,time2=class_time,time4=deadline,thing5=note",
    ),
    (
        NoticeType::OfferExpired,
        "thing1=course,time2=class_time,phrase3=status,thing4=note",
    ),
    (
        NoticeType::WaitlistExpired,
        "phrase1=status,thing2=course,date3=class_time,thing5=note",
    ),
    (
        NoticeType::PositionChanged,
        "thing1=course,time2=class_time,number3=position,thing4=note",
    ),
    (
        NoticeType::MakeupBooked,
        "thing1=course,time2=class_time,thing3=location,name4=child,thing5=note",
    ),
    (
        NoticeType::MakeupCancelled,
        "thing1=course,time2=class_time,name3=child,phrase4=status,thing6=note",
    ),
    (
        NoticeType::CompensationExpiring,
        "number1=minutes,date2=deadline,thing3=note",
    ),
    (
        NoticeType::SeatConfirmed,
        "thing1=course,time2=class_time,thing3=location,thing4=child,thing5=note",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layout_names_each_keyword_and_its_fact() {
        let l = Layout::parse(
            NoticeType::SpotAvailable,
            "tmpl",
            " thing1=course, time2 = class_time,time3=deadline,thing4=note,",
        )
        .unwrap();
        assert_eq!(l.template_id, "tmpl");
        let got: Vec<(String, Fact)> = l
            .fields
            .iter()
            .map(|f| (f.keyword.name().to_string(), f.fact))
            .collect();
        assert_eq!(
            got,
            vec![
                ("thing1".into(), Fact::Course),
                ("time2".into(), Fact::ClassTime),
                ("time3".into(), Fact::Deadline),
                ("thing4".into(), Fact::Note),
            ]
        );
    }

    #[test]
    fn every_example_layout_is_accepted_and_every_type_has_one() {
        for (kind, spec) in EXAMPLES {
            Layout::parse(kind, "tmpl", spec).unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
        for kind in NoticeType::ALL {
            assert!(EXAMPLES.iter().any(|(k, _)| *k == kind), "{kind}");
        }
    }

    #[test]
    fn bad_layouts_are_refused_with_the_reason() {
        use NoticeType::*;
        let cases: [(NoticeType, &str, &str); 9] = [
            (SpotAvailable, "", "empty"),
            (SpotAvailable, "thing1", "is not keyword=fact"),
            (
                SpotAvailable,
                "thing1=colour",
                "thing1: unknown fact \"colour\"",
            ),
            (SpotAvailable, "keyword1=course", "unknown type \"keyword\""),
            (SpotAvailable, "course=thing1", "has no number"),
            (
                CompensationExpiring,
                "character_string1=deadline",
                "character_string1: deadline cannot be a character_string value (deadline fits time or date)",
            ),
            (
                SpotAvailable,
                "phrase1=course",
                "course cannot be a phrase value",
            ),
            (
                SeatTaken,
                "time3=deadline",
                "time3: seat_taken notifications have no deadline",
            ),
            (
                SpotAvailable,
                "thing1=course,thing1=note",
                "thing1: listed twice",
            ),
        ];
        for (kind, spec, message) in cases {
            let err = Layout::parse(kind, "tmpl", spec).unwrap_err().to_string();
            assert!(err.contains(message), "{spec:?}: {err}");
        }
    }

    #[test]
    fn every_fact_fits_at_least_one_type_and_some_notification_carries_it() {
        for fact in Fact::ALL {
            assert!(!fact.fits().is_empty());
            assert!(
                NoticeType::ALL.iter().any(|k| fact.provided_by(*k)),
                "{fact}"
            );
            assert_eq!(fact.code().parse::<Fact>(), Ok(fact));
        }
    }
}
