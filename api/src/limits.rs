//! Abuse limits (issue 15): per-client rate limits on the two logins, per-parent on `respond`,
//! and a bound on password hashes computed at once. A refused request answers 429 with
//! `Retry-After` (see [`ApiError::RateLimited`]).
//!
//! The limiters are `governor`'s keyed GCRA limiters (a well-kept crate made for this); the
//! allowance is a full minute's quota at once, refilled evenly over the minute.

use crate::config::GuardConfig;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Above this many remembered keys, keys whose allowance is full again are forgotten.
const FORGET_ABOVE: usize = 10_000;

/// One keyed limit; `None` inside when switched off (0 per minute).
pub struct Limiter<K: Hash + Eq + Clone> {
    inner: Option<RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock>>,
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    pub fn per_minute(n: u32) -> Self {
        Self {
            inner: NonZeroU32::new(n).map(|n| RateLimiter::keyed(Quota::per_minute(n))),
        }
    }

    /// Ok, or how many whole seconds until `key` may try again.
    pub fn check(&self, key: &K) -> Result<(), u64> {
        let Some(limiter) = &self.inner else {
            return Ok(());
        };
        if limiter.len() > FORGET_ABOVE {
            limiter.retain_recent();
        }
        limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }
}

/// The API's limits, shared by every request.
pub struct Limits {
    pub parent_login: Limiter<IpAddr>,
    pub admin_login: Limiter<IpAddr>,
    pub respond: Limiter<i64>,
    /// argon2 hashes at once; the rest wait their turn instead of starving the runtime's
    /// blocking pool
    pub password_hashes: Semaphore,
}

impl Limits {
    pub fn new(config: &GuardConfig) -> Arc<Self> {
        Arc::new(Self {
            parent_login: Limiter::per_minute(config.parent_login_per_minute),
            admin_login: Limiter::per_minute(config.admin_login_per_minute),
            respond: Limiter::per_minute(config.respond_per_minute),
            password_hashes: Semaphore::new(config.password_hashes_at_once),
        })
    }

    /// Runs a password hash or check on the blocking pool, a bounded number at once.
    pub async fn hash<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let _permit = self
            .password_hashes
            .acquire()
            .await
            .map_err(ApiError::internal)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(ApiError::internal)
    }
}

/// What a limit refusal answers.
pub fn refused(retry_after_seconds: u64) -> ApiError {
    ApiError::RateLimited {
        message: "请求过于频繁，请稍后再试".into(),
        retry_after_seconds: retry_after_seconds.max(1),
    }
}

/// The client's address: the trusted proxy's header when configured
/// (`API_CLIENT_IP_HEADER`), else the peer's address.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let from_header = state
            .config
            .guard
            .client_ip_header
            .as_ref()
            .and_then(|h| parts.headers.get(h))
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(Self(
            from_header
                .or(peer)
                .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_minute_then_waits_while_others_go_on() {
        let l = Limiter::per_minute(3);
        for _ in 0..3 {
            assert_eq!(l.check(&1), Ok(()));
        }
        let wait = l.check(&1).unwrap_err();
        assert!((1..=20).contains(&wait), "{wait}");
        assert_eq!(l.check(&2), Ok(()));
    }

    #[test]
    fn zero_per_minute_is_no_limit() {
        let l = Limiter::per_minute(0);
        for _ in 0..1000 {
            assert_eq!(l.check(&1), Ok(()));
        }
    }
}
