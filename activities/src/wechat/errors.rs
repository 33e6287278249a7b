//! WeChat reports errors inside HTTP-200 bodies as `errcode`; each known code maps to what
//! the caller should do (N3).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// Try again later with backoff (−1 busy, 45009 rate limit, 5xx, timeouts).
    Transient,
    /// The access token is invalid or expired: refresh it once and retry (40001, 40014, 42001).
    Token,
    /// Will never succeed: record and stop (40003 bad openid, 40037 bad template, 43101 no
    /// grant, 47003 bad data, 43107, 45168 ...).
    Permanent,
}

/// Classifies an `errcode` (never 0).
pub fn classify(errcode: i64) -> ErrorClass {
    match errcode {
        -1 | 45009 | 45011 => ErrorClass::Transient,
        40001 | 40014 | 42001 => ErrorClass::Token,
        _ => ErrorClass::Permanent,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WechatError {
    /// WeChat answered with an `errcode`.
    Api { errcode: i64, errmsg: String },
    /// Network failure, timeout, 5xx or an unreadable body.
    Transport(String),
}

impl WechatError {
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::Api { errcode, .. } => classify(*errcode),
            Self::Transport(_) => ErrorClass::Transient,
        }
    }

    pub fn errcode(&self) -> Option<i64> {
        match self {
            Self::Api { errcode, .. } => Some(*errcode),
            Self::Transport(_) => None,
        }
    }
}

impl fmt::Display for WechatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api { errcode, errmsg } => write!(f, "WeChat errcode {errcode}: {errmsg}"),
            Self::Transport(e) => write!(f, "WeChat unreachable: {e}"),
        }
    }
}

impl std::error::Error for WechatError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codes_of_n3_fall_in_their_classes() {
        for code in [-1, 45009] {
            assert_eq!(classify(code), ErrorClass::Transient, "{code}");
        }
        for code in [40001, 42001] {
            assert_eq!(classify(code), ErrorClass::Token, "{code}");
        }
        for code in [40003, 40037, 43101, 47003, 43107, 45168] {
            assert_eq!(classify(code), ErrorClass::Permanent, "{code}");
        }
    }
}
