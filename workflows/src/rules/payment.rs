//! Rules of the payment core (docs/payments.md), pure and unit-tested: merchant order numbers,
//! what a verified payment must match, what the deadline's query answer means, how much is
//! still refundable and when to ask WeChat about a refund again.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// A merchant order number (`out_trade_no`): 6–32 characters of `0-9 A-Z a-z _ - | *`, unique
/// per merchant. Built from business keys so a retried start meets the same payment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OutTradeNo(String);

/// A merchant refund number (`out_refund_no`): 1–64 characters of `0-9 A-Z a-z _ - | * @`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OutRefundNo(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("{0:?}: 6–32 characters of 0-9 A-Z a-z _ - | * expected")]
    TradeNo(String),
    #[error("{0:?}: 1–64 characters of 0-9 A-Z a-z _ - | * @ expected")]
    RefundNo(String),
}

fn allowed(s: &str, extra: &[char]) -> bool {
    s.chars().all(|c| {
        c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '|' | '*') || extra.contains(&c)
    })
}

impl OutTradeNo {
    pub fn parse(s: impl Into<String>) -> Result<Self, NumberError> {
        let s = s.into();
        if (6..=32).contains(&s.len()) && allowed(&s, &[]) {
            Ok(Self(s))
        } else {
            Err(NumberError::TradeNo(s))
        }
    }

    /// A camp seat: `CAMP{camp}U{user}N{attempt}` (a new attempt after an unpaid one closed).
    pub fn for_camp(camp_id: i64, user_id: i64, attempt: u32) -> Self {
        Self(format!("CAMP{camp_id}U{user_id}N{attempt}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `pay/{out_trade_no}`: the payment's workflow.
    pub fn workflow_id(&self) -> String {
        format!("pay/{}", self.0)
    }
}

impl OutRefundNo {
    pub fn parse(s: impl Into<String>) -> Result<Self, NumberError> {
        let s = s.into();
        if (1..=64).contains(&s.len()) && allowed(&s, &['@']) {
            Ok(Self(s))
        } else {
            Err(NumberError::RefundNo(s))
        }
    }

    /// The deposit refund of a camp enrolment (one per enrolment and payment).
    pub fn for_camp_deposit(trade: &OutTradeNo) -> Self {
        Self(format!("{}-R", trade.0))
    }

    /// The refund of money that arrived after its order was closed (or its seat released).
    pub fn for_late_payment(trade: &OutTradeNo) -> Self {
        Self(format!("{}-LATE", trade.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `refund/{out_refund_no}`: the refund's workflow.
    pub fn workflow_id(&self) -> String {
        format!("refund/{}", self.0)
    }
}

macro_rules! string_newtype {
    ($t:ty) => {
        impl TryFrom<String> for $t {
            type Error = NumberError;
            fn try_from(s: String) -> Result<Self, NumberError> {
                Self::parse(s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
string_newtype!(OutTradeNo);
string_newtype!(OutRefundNo);

/// `time_expire` as WeChat wants it: RFC 3339 with the China offset, seconds precision,
/// e.g. `2026-12-04T10:34:56+08:00`.
pub fn time_expire(at: DateTime<Utc>) -> String {
    let china = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    at.with_timezone(&china)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// What a payment must be: the amount we asked for, to our merchant and mini-program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    pub amount_cents: u64,
    pub appid: String,
    pub mchid: String,
}

/// The facts of a paid transaction, from a verified notice or a signed query answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaidFacts {
    pub transaction_id: String,
    pub appid: String,
    pub mchid: String,
    /// `amount.total`, fen
    pub total_cents: u64,
    pub currency: String,
    pub payer_openid: Option<String>,
    pub success_time: Option<String>,
}

/// Why a payment that WeChat calls successful is not the one we asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mismatch {
    Amount { expected: u64, paid: u64 },
    Appid { expected: String, paid: String },
    Mchid { expected: String, paid: String },
    Currency { paid: String },
}

/// A payment counts only when amount, currency, appid and mchid are ours; anything else is an
/// anomaly for ops (never a silent success). All mismatches are reported.
pub fn check_paid(expected: &Expected, paid: &PaidFacts) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if paid.total_cents != expected.amount_cents {
        out.push(Mismatch::Amount {
            expected: expected.amount_cents,
            paid: paid.total_cents,
        });
    }
    if paid.currency != "CNY" {
        out.push(Mismatch::Currency {
            paid: paid.currency.clone(),
        });
    }
    if paid.appid != expected.appid {
        out.push(Mismatch::Appid {
            expected: expected.appid.clone(),
            paid: paid.appid.clone(),
        });
    }
    if paid.mchid != expected.mchid {
        out.push(Mismatch::Mchid {
            expected: expected.mchid.clone(),
            paid: paid.mchid.clone(),
        });
    }
    out
}

/// `trade_state` of an order query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TradeState {
    Success,
    Refund,
    Notpay,
    Closed,
    Revoked,
    Userpaying,
    Payerror,
}

/// What the workflow does with the deadline's query answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineAction {
    /// It was paid (a lost notice is still a payment).
    Settle,
    /// The payer is entering the password: ask again shortly (bounded).
    AskAgain,
    /// Not paid: close the order, then release the reservation.
    Close,
    /// Already closed at WeChat: release.
    Release,
}

/// The deadline rule: query first; paid → settle; paying → ask again (at most `max_asks`
/// times, then close); otherwise close.
pub fn on_deadline(state: TradeState, asks_so_far: u32, max_asks: u32) -> DeadlineAction {
    match state {
        TradeState::Success | TradeState::Refund => DeadlineAction::Settle,
        TradeState::Userpaying if asks_so_far < max_asks => DeadlineAction::AskAgain,
        TradeState::Closed | TradeState::Revoked => DeadlineAction::Release,
        TradeState::Userpaying | TradeState::Notpay | TradeState::Payerror => DeadlineAction::Close,
    }
}

/// Refundable = paid − refunded − in flight (never below zero).
pub fn refundable(paid: u64, refunded: u64, in_flight: u64) -> u64 {
    paid.saturating_sub(refunded).saturating_sub(in_flight)
}

/// When to query a refund still `PROCESSING` again, after `queries_so_far` queries. WeChat
/// suggests once a minute for the first five minutes, then slowing down (5, 10, 20, 30 min,
/// then every 30 min); `unit` is the minute (60 s; tests shrink it).
pub fn refund_query_delay(queries_so_far: u32, unit: Duration) -> Duration {
    let minutes = match queries_so_far {
        0..=4 => 1,
        5 => 5,
        6 => 10,
        7 => 20,
        _ => 30,
    };
    unit * minutes
}

/// Final refund states (`status` of a refund answer or notice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RefundStatus {
    Success,
    Closed,
    Processing,
    Abnormal,
}

impl RefundStatus {
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Processing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn paid(total: u64) -> PaidFacts {
        PaidFacts {
            transaction_id: "4200000001".into(),
            appid: "wxA".into(),
            mchid: "1900".into(),
            total_cents: total,
            currency: "CNY".into(),
            payer_openid: Some("o1".into()),
            success_time: None,
        }
    }

    fn expected() -> Expected {
        Expected {
            amount_cents: 9900,
            appid: "wxA".into(),
            mchid: "1900".into(),
        }
    }

    #[test]
    fn order_numbers_follow_wechats_charset_and_length() {
        assert!(OutTradeNo::parse("CAMP1U2N1").is_ok());
        assert!(OutTradeNo::parse("short").is_err());
        assert!(OutTradeNo::parse("x".repeat(33)).is_err());
        assert!(OutTradeNo::parse("CAMP 1").is_err());
        assert!(OutTradeNo::parse("订单123456").is_err());
        let no = OutTradeNo::for_camp(12, 345, 1);
        assert_eq!(no.as_str(), "CAMP12U345N1");
        assert_eq!(no.workflow_id(), "pay/CAMP12U345N1");
        assert!(OutTradeNo::parse(no.as_str()).is_ok());
        let r = OutRefundNo::for_camp_deposit(&no);
        assert_eq!(r.workflow_id(), "refund/CAMP12U345N1-R");
        assert!(OutRefundNo::parse(r.as_str()).is_ok());
        // The longest camp number still fits.
        let long = OutTradeNo::for_camp(99_999_999, 99_999_999, 999);
        assert!(OutTradeNo::parse(long.as_str()).is_ok(), "{long}");
    }

    #[test]
    fn time_expire_is_rfc3339_in_china_time() {
        let t = Utc.with_ymd_and_hms(2026, 12, 4, 2, 34, 56).unwrap();
        assert_eq!(time_expire(t), "2026-12-04T10:34:56+08:00");
    }

    #[test]
    fn a_payment_counts_only_when_everything_matches() {
        assert!(check_paid(&expected(), &paid(9900)).is_empty());
        assert_eq!(
            check_paid(&expected(), &paid(1)),
            vec![Mismatch::Amount {
                expected: 9900,
                paid: 1
            }]
        );
        let mut other = paid(9900);
        other.appid = "wxB".into();
        other.mchid = "1901".into();
        other.currency = "USD".into();
        assert_eq!(check_paid(&expected(), &other).len(), 3);
    }

    #[test]
    fn the_deadline_queries_first_and_closes_only_what_is_unpaid() {
        use DeadlineAction::*;
        assert_eq!(on_deadline(TradeState::Success, 0, 3), Settle);
        assert_eq!(on_deadline(TradeState::Refund, 0, 3), Settle);
        assert_eq!(on_deadline(TradeState::Notpay, 0, 3), Close);
        assert_eq!(on_deadline(TradeState::Payerror, 0, 3), Close);
        assert_eq!(on_deadline(TradeState::Userpaying, 2, 3), AskAgain);
        assert_eq!(on_deadline(TradeState::Userpaying, 3, 3), Close);
        assert_eq!(on_deadline(TradeState::Closed, 0, 3), Release);
        assert_eq!(on_deadline(TradeState::Revoked, 0, 3), Release);
    }

    #[test]
    fn refundable_never_goes_below_zero() {
        assert_eq!(refundable(9900, 0, 0), 9900);
        assert_eq!(refundable(9900, 4900, 0), 5000);
        assert_eq!(refundable(9900, 4900, 5000), 0);
        assert_eq!(refundable(9900, 9900, 100), 0);
    }

    #[test]
    fn refund_queries_follow_wechats_suggested_backoff() {
        let unit = Duration::from_secs(60);
        let minutes: Vec<u64> = (0..10)
            .map(|n| refund_query_delay(n, unit).as_secs() / 60)
            .collect();
        assert_eq!(minutes, vec![1, 1, 1, 1, 1, 5, 10, 20, 30, 30]);
        assert_eq!(
            refund_query_delay(0, Duration::from_millis(100)),
            Duration::from_millis(100)
        );
    }
}
