//! Makeup and credit rules (M2–M7) as pure functions.

use serde::{Deserialize, Serialize};

/// M4: how the makeup compares with the original class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompletionType {
    /// Same length.
    Full,
    /// Shorter: the missing minutes become a credit.
    Partial,
    /// Longer: the family gets the extra time (or pays it from credits).
    Extra,
}

impl CompletionType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Partial => "partial",
            Self::Extra => "extra",
        }
    }
}

/// d = original − makeup minutes, and what it means.
pub fn duration_difference(original: u32, makeup: u32) -> (i64, CompletionType) {
    let d = i64::from(original) - i64::from(makeup);
    let kind = match d {
        0 => CompletionType::Full,
        d if d > 0 => CompletionType::Partial,
        _ => CompletionType::Extra,
    };
    (d, kind)
}

/// `1小时`, `1.5小时`, `45分钟`: durations as the seeds write them.
pub fn minutes_text(minutes: u32) -> String {
    if minutes.is_multiple_of(60) {
        format!("{}小时", minutes / 60)
    } else if minutes.is_multiple_of(30) && minutes > 60 {
        format!("{}小时", f64::from(minutes) / 60.0)
    } else {
        format!("{minutes}分钟")
    }
}

/// M3: the question a shorter makeup needs answered.
pub fn shorter_question(makeup: u32, missing: u32) -> String {
    format!(
        "本课程仅{}，比您原课程少{}，是否确认预约？",
        minutes_text(makeup),
        minutes_text(missing)
    )
}

/// M6: not enough credit minutes.
pub fn insufficient_message(needed: u32, available: u32) -> String {
    format!("补偿时长不足，需要{needed}分钟，可用{available}分钟")
}

/// M2: the hint on a candidate session.
pub fn hint(d: i64) -> String {
    match d {
        0 => "时长与原课程相同".to_string(),
        d if d > 0 => format!("补课时长比原课程少{}分钟，差额将转为课时补偿", d),
        d => format!("补课时长比原课程多{}分钟", -d),
    }
}

/// What M2 compares between the class a child missed and a makeup candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassFacts<'a> {
    pub course_type: &'a str,
    pub level: i8,
    pub duration_minutes: u32,
    pub coach: &'a str,
    pub location: &'a str,
}

/// M2: a makeup must be the same course type and the same or a lower level.
pub fn eligible(original: &ClassFacts<'_>, candidate: &ClassFacts<'_>) -> bool {
    candidate.course_type == original.course_type && candidate.level <= original.level
}

/// How well a candidate fits the missed class (the 匹配度 line of the makeup picker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchInfo {
    pub same_type: bool,
    /// original − candidate level (0 = same level)
    pub level_difference: i32,
    /// original − candidate minutes (positive: shorter)
    pub duration_difference: i64,
    pub same_coach: bool,
    pub same_location: bool,
    /// e.g. `同类型 · 同级别 · 时长相同 · 同一教练`
    pub label: String,
}

pub fn match_info(original: &ClassFacts<'_>, candidate: &ClassFacts<'_>) -> MatchInfo {
    let level_difference = i32::from(original.level) - i32::from(candidate.level);
    let (d, _) = duration_difference(original.duration_minutes, candidate.duration_minutes);
    let same_coach = original.coach == candidate.coach;
    let same_location = original.location == candidate.location;
    let mut parts = vec![if candidate.course_type == original.course_type {
        "同类型".to_string()
    } else {
        "不同类型".to_string()
    }];
    parts.push(match level_difference {
        0 => "同级别".to_string(),
        n if n > 0 => format!("低{n}级"),
        n => format!("高{}级", -n),
    });
    parts.push(match d {
        0 => "时长相同".to_string(),
        d if d > 0 => format!("短{d}分钟"),
        d => format!("长{}分钟", -d),
    });
    if same_coach {
        parts.push("同一教练".to_string());
    }
    if same_location {
        parts.push("同一场馆".to_string());
    }
    MatchInfo {
        same_type: candidate.course_type == original.course_type,
        level_difference,
        duration_difference: d,
        same_coach,
        same_location,
        label: parts.join(" · "),
    }
}

/// What the M3–M6 decision needs, read under the session, pending-makeup and credit locks.
#[derive(Debug, Clone, Copy)]
pub struct MakeupCase<'a> {
    pub pending_open: bool,
    pub original: ClassFacts<'a>,
    pub target: ClassFacts<'a>,
    pub started: bool,
    /// a seat is free for this booking (a won offer's seat is)
    pub seat_free: bool,
    /// another seat of the child overlaps the makeup
    pub clash: bool,
    /// M3: the parent accepted a shorter class
    pub accept_shorter: bool,
    /// M4: extra minutes paid from credits (`use_compensation`, or the ★
    /// `extra_requires_compensation`)
    pub pay_extra_from_credits: bool,
    /// the child's spendable credits
    pub credits: &'a [Credit],
}

/// What a makeup booking writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MakeupPlan {
    /// original − makeup minutes
    pub difference: i64,
    pub kind: CompletionType,
    /// credit minutes spent, earliest expiry first (M6)
    pub spend: Vec<(i64, u32)>,
    /// minutes of the credit this booking creates (M4, shorter class)
    pub create_minutes: u32,
}

/// M2–M6 in the order a parent finds most useful; the one decision behind a makeup booked
/// directly and a makeup seat won from a waitlist.
pub fn decide(c: &MakeupCase<'_>) -> Result<MakeupPlan, crate::makeup::MakeupRefusal> {
    use crate::makeup::MakeupRefusal as R;
    if !c.pending_open {
        return Err(R::NotOpen);
    }
    if !eligible(&c.original, &c.target) {
        return Err(R::NotEligible);
    }
    if c.started {
        return Err(R::Started);
    }
    if !c.seat_free {
        return Err(R::Full);
    }
    if c.clash {
        return Err(R::Clash);
    }
    let (d, kind) = duration_difference(c.original.duration_minutes, c.target.duration_minutes);
    let missing = c
        .original
        .duration_minutes
        .saturating_sub(c.target.duration_minutes);
    if d > 0 && !c.accept_shorter {
        return Err(R::NeedsAcceptShorter {
            makeup_minutes: c.target.duration_minutes,
            missing_minutes: missing,
        });
    }
    let extra = c
        .target
        .duration_minutes
        .saturating_sub(c.original.duration_minutes);
    let spend = if extra > 0 && c.pay_extra_from_credits {
        spend_plan(c.credits, extra).ok_or(R::Insufficient {
            needed: extra,
            available: c.credits.iter().map(|k| k.remaining).sum(),
        })?
    } else {
        Vec::new()
    };
    Ok(MakeupPlan {
        difference: d,
        kind,
        spend,
        create_minutes: missing,
    })
}

/// One credit as the spender sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credit {
    pub id: i64,
    pub remaining: u32,
    /// expiry as a sortable key (e.g. milliseconds)
    pub expires: i64,
}

/// M6: take `needed` minutes, earliest expiry first, partially if needed. `None` when the
/// credits do not cover it. Returns (credit id, minutes taken) per slice.
pub fn spend_plan(credits: &[Credit], needed: u32) -> Option<Vec<(i64, u32)>> {
    let total: u64 = credits.iter().map(|c| u64::from(c.remaining)).sum();
    if total < u64::from(needed) {
        return None;
    }
    let mut sorted: Vec<&Credit> = credits.iter().filter(|c| c.remaining > 0).collect();
    sorted.sort_by_key(|c| (c.expires, c.id));
    let mut left = needed;
    let mut plan = Vec::new();
    for c in sorted {
        if left == 0 {
            break;
        }
        let take = c.remaining.min(left);
        plan.push((c.id, take));
        left -= take;
    }
    Some(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class<'a>(course_type: &'a str, level: i8, minutes: u32, coach: &'a str) -> ClassFacts<'a> {
        ClassFacts {
            course_type,
            level,
            duration_minutes: minutes,
            coach,
            location: "浦东馆",
        }
    }

    #[test]
    fn a_makeup_is_the_same_type_and_the_same_or_a_lower_level() {
        let missed = class("group", 3, 90, "王");
        assert!(eligible(&missed, &class("group", 3, 60, "李")));
        assert!(eligible(&missed, &class("group", 1, 120, "李")));
        assert!(!eligible(&missed, &class("group", 4, 90, "王")));
        assert!(!eligible(&missed, &class("vip", 3, 90, "王")));
    }

    #[test]
    fn the_match_line_says_what_differs() {
        let missed = class("group", 3, 90, "王");
        assert_eq!(
            match_info(&missed, &class("group", 3, 90, "王")).label,
            "同类型 · 同级别 · 时长相同 · 同一教练 · 同一场馆"
        );
        let m = match_info(&missed, &class("group", 2, 60, "李"));
        assert_eq!(m.label, "同类型 · 低1级 · 短30分钟 · 同一场馆");
        assert_eq!((m.level_difference, m.duration_difference), (1, 30));
        assert!(!m.same_coach && m.same_location);
    }

    fn case<'a>(
        original: ClassFacts<'a>,
        target: ClassFacts<'a>,
        credits: &'a [Credit],
    ) -> MakeupCase<'a> {
        MakeupCase {
            pending_open: true,
            original,
            target,
            started: false,
            seat_free: true,
            clash: false,
            accept_shorter: false,
            pay_extra_from_credits: false,
            credits,
        }
    }

    #[test]
    fn the_makeup_decision_refuses_in_the_order_a_parent_can_act_on() {
        use crate::makeup::MakeupRefusal as R;
        let missed = class("group", 2, 120, "王");
        let shorter = class("group", 2, 90, "李");
        let base = case(missed, shorter, &[]);
        assert_eq!(
            decide(&MakeupCase {
                pending_open: false,
                ..base
            }),
            Err(R::NotOpen)
        );
        assert_eq!(
            decide(&MakeupCase {
                target: class("group", 3, 90, "李"),
                ..base
            }),
            Err(R::NotEligible)
        );
        assert_eq!(
            decide(&MakeupCase {
                started: true,
                ..base
            }),
            Err(R::Started)
        );
        assert_eq!(
            decide(&MakeupCase {
                seat_free: false,
                ..base
            }),
            Err(R::Full)
        );
        assert_eq!(
            decide(&MakeupCase {
                clash: true,
                ..base
            }),
            Err(R::Clash)
        );
        assert_eq!(
            decide(&base),
            Err(R::NeedsAcceptShorter {
                makeup_minutes: 90,
                missing_minutes: 30
            })
        );
        let plan = decide(&MakeupCase {
            accept_shorter: true,
            ..base
        })
        .unwrap();
        assert_eq!(
            (plan.difference, plan.kind, plan.create_minutes),
            (30, CompletionType::Partial, 30)
        );
        assert!(plan.spend.is_empty());
    }

    #[test]
    fn a_longer_makeup_is_free_unless_paid_from_credits_then_it_needs_enough() {
        use crate::makeup::MakeupRefusal as R;
        let credits = [
            Credit {
                id: 1,
                remaining: 20,
                expires: 5,
            },
            Credit {
                id: 2,
                remaining: 50,
                expires: 1,
            },
        ];
        let base = case(
            class("group", 2, 60, "王"),
            class("group", 2, 120, "王"),
            &credits,
        );
        let free = decide(&base).unwrap();
        assert_eq!(
            (free.kind, free.create_minutes, free.spend.len()),
            (CompletionType::Extra, 0, 0)
        );
        let paid = decide(&MakeupCase {
            pay_extra_from_credits: true,
            ..base
        })
        .unwrap();
        assert_eq!(paid.spend, vec![(2, 50), (1, 10)]);
        let too_long = MakeupCase {
            target: class("group", 2, 150, "王"),
            pay_extra_from_credits: true,
            ..base
        };
        assert_eq!(
            decide(&too_long),
            Err(R::Insufficient {
                needed: 90,
                available: 70
            })
        );
    }

    #[test]
    fn differences_classify_as_the_seed_says() {
        assert_eq!(duration_difference(120, 90), (30, CompletionType::Partial));
        assert_eq!(duration_difference(90, 90), (0, CompletionType::Full));
        assert_eq!(duration_difference(60, 120), (-60, CompletionType::Extra));
    }

    #[test]
    fn the_shorter_question_reads_like_the_seed() {
        assert_eq!(
            shorter_question(60, 60),
            "本课程仅1小时，比您原课程少1小时，是否确认预约？"
        );
        assert_eq!(
            shorter_question(90, 30),
            "本课程仅1.5小时，比您原课程少30分钟，是否确认预约？"
        );
        assert_eq!(
            insufficient_message(60, 30),
            "补偿时长不足，需要60分钟，可用30分钟"
        );
    }

    #[test]
    fn spending_takes_the_earliest_expiry_first_and_partially() {
        let credits = [
            Credit {
                id: 1,
                remaining: 30,
                expires: 300,
            },
            Credit {
                id: 2,
                remaining: 40,
                expires: 100,
            },
            Credit {
                id: 3,
                remaining: 50,
                expires: 200,
            },
        ];
        assert_eq!(spend_plan(&credits, 60), Some(vec![(2, 40), (3, 20)]));
        assert_eq!(
            spend_plan(&credits, 120),
            Some(vec![(2, 40), (3, 50), (1, 30)])
        );
        assert_eq!(spend_plan(&credits, 121), None);
        assert_eq!(spend_plan(&credits, 0), Some(vec![]));
    }

    #[test]
    fn a_plan_never_takes_more_than_a_credit_has_nor_more_than_needed() {
        // small exhaustive check over many shapes
        for needed in 0..200u32 {
            let credits: Vec<Credit> = (0..5)
                .map(|i| Credit {
                    id: i,
                    remaining: ((i * 37 + needed as i64) % 61) as u32,
                    expires: (i * 13) % 7,
                })
                .collect();
            if let Some(plan) = spend_plan(&credits, needed) {
                assert_eq!(plan.iter().map(|p| p.1).sum::<u32>(), needed);
                for (id, take) in plan {
                    let c = credits.iter().find(|c| c.id == id).unwrap();
                    assert!(take <= c.remaining && take > 0);
                }
            } else {
                assert!(credits.iter().map(|c| c.remaining).sum::<u32>() < needed);
            }
        }
    }
}

/// M7: created − used + restored − expired − revoked ± adjusted, the balance a ledger says a
/// profile has; it must equal the minutes left on the profile's spendable credits.
pub fn ledger_balance<'a>(
    rows: impl IntoIterator<Item = &'a (crate::makeup::LedgerKind, i64)>,
) -> i64 {
    rows.into_iter()
        .map(|(kind, minutes)| kind.effect(*minutes))
        .sum()
}

#[cfg(test)]
mod ledger_tests {
    use super::*;
    use crate::makeup::LedgerKind as K;

    #[test]
    fn the_ledger_adds_what_comes_in_and_takes_what_goes_out() {
        let rows = [
            (K::Created, 60),
            (K::Used, 40),
            (K::Restored, 40),
            (K::Used, 30),
            (K::Expired, 30),
            (K::Adjusted, -5),
            (K::Revoked, 0),
        ];
        assert_eq!(ledger_balance(&rows), -5);
        for k in K::ALL {
            assert_eq!(K::parse(k.as_str()), Some(k));
        }
    }
}
