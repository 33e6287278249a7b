//! Reading configuration values: every bad value is collected (not just the first), each as
//! one line naming its variable, so a misconfigured deployment is fixed in one round.

use std::cell::RefCell;
use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;
use url::Url;

/// A value that must not be logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Every bad value found, one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub Vec<String>);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "invalid configuration:")?;
        for problem in &self.0 {
            writeln!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// Where values come from: the process environment, or a map in tests.
type Lookup<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;

/// A key/value source and the problems found while reading it.
pub struct Env<'a> {
    lookup: Lookup<'a>,
    problems: RefCell<Vec<String>>,
}

impl<'a> Env<'a> {
    pub fn new(lookup: impl Fn(&str) -> Option<String> + 'a) -> Self {
        Self {
            lookup: Box::new(lookup),
            problems: RefCell::new(Vec::new()),
        }
    }

    /// The process environment.
    pub fn process() -> Env<'static> {
        Env::new(|k| std::env::var(k).ok())
    }

    /// The value of `key`, trimmed; `None` when unset or blank.
    pub fn get(&self, key: &str) -> Option<String> {
        (self.lookup)(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    pub fn or(&self, key: &str, default: &str) -> String {
        self.get(key).unwrap_or_else(|| default.to_string())
    }

    /// Records a problem with the configuration.
    pub fn problem(&self, message: impl Into<String>) {
        self.problems.borrow_mut().push(message.into());
    }

    /// `key` parsed as `T`, or `default` (and a problem naming `expected`) when unparseable.
    pub fn parse<T: FromStr>(&self, key: &str, default: T, expected: &str) -> T {
        match self.get(key) {
            None => default,
            Some(raw) => raw.parse().unwrap_or_else(|_| {
                self.problem(format!("{key}: expected {expected}, got {raw:?}"));
                default
            }),
        }
    }

    pub fn socket(&self, key: &str, default: &str) -> SocketAddr {
        let fallback: SocketAddr = default.parse().expect("static address");
        self.parse(key, fallback, &format!("ip:port such as {default}"))
    }

    pub fn url(&self, key: &str, default: &str) -> Url {
        let raw = self.or(key, default);
        Url::parse(&raw).unwrap_or_else(|e| {
            self.problem(format!("{key}: {raw:?} is not a URL ({e})"));
            Url::parse(default).expect("static url")
        })
    }

    /// One of `allowed` (compared as written), or `default` with a problem.
    pub fn one_of(&self, key: &str, allowed: &[&str], default: &str) -> String {
        match self.get(key) {
            None => default.to_string(),
            Some(v) if allowed.contains(&v.as_str()) => v,
            Some(other) => {
                self.problem(format!(
                    "{key}: expected {}, got {other:?}",
                    allowed.join(", ")
                ));
                default.to_string()
            }
        }
    }

    /// `value` when nothing was wrong, else every problem.
    pub fn finish<T>(self, value: T) -> Result<T, ConfigError> {
        let problems = self.problems.into_inner();
        if problems.is_empty() {
            Ok(value)
        } else {
            Err(ConfigError(problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_count_as_unset_and_bad_ones_are_collected() {
        let env = Env::new(|k| match k {
            "BLANK" => Some("  ".into()),
            "PORT" => Some("x".into()),
            "ADDR" => Some("nope".into()),
            _ => None,
        });
        assert_eq!(env.get("BLANK"), None);
        assert_eq!(env.parse::<u16>("PORT", 1, "a port"), 1);
        assert_eq!(env.socket("ADDR", "127.0.0.1:1").port(), 1);
        let err = env.finish(()).unwrap_err();
        assert_eq!(err.0.len(), 2);
        assert!(err.0[0].starts_with("PORT:") && err.0[1].starts_with("ADDR:"));
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        assert_eq!(format!("{:?}", Secret::new("hunter2")), "[redacted]");
    }
}
