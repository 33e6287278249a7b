//! The one set of activity options the workflows use. Every retry is bounded: a step that
//! keeps failing ends in a defined way (the workflow gives the seat back, answers the parent
//! "try again", and marks itself so ops find it) instead of retrying past class start.

use std::time::Duration;
use temporalio_common::RetryPolicy;
use temporalio_sdk::ActivityOptions;

/// A database activity: one transaction, lock waits bounded below this timeout
/// (`innodb_lock_wait_timeout`, set per connection by the worker), so an attempt never outlives
/// its timeout while its retry runs.
pub const DB_TIMEOUT: Duration = Duration::from_secs(20);
/// Attempts of a database step before the workflow treats it as failed for good (about a
/// minute of back-off: long enough for a failover, short enough for a parent waiting).
pub const DB_ATTEMPTS: u32 = 8;

pub fn db() -> ActivityOptions {
    ActivityOptions::with_start_to_close_timeout(DB_TIMEOUT)
        .retry_policy(
            RetryPolicy::builder()
                .initial_interval(Duration::from_millis(200))
                .backoff_coefficient(2.0)
                .maximum_interval(Duration::from_secs(15))
                .maximum_attempts(DB_ATTEMPTS)
                .build(),
        )
        .build()
}

/// A step nobody waits for (a credit's reminder or expiry): more patience, still bounded
/// (about an hour), so a database outage does not lose the step.
pub fn db_patient() -> ActivityOptions {
    ActivityOptions::with_start_to_close_timeout(DB_TIMEOUT)
        .retry_policy(
            RetryPolicy::builder()
                .initial_interval(Duration::from_secs(1))
                .backoff_coefficient(2.0)
                .maximum_interval(Duration::from_secs(5 * 60))
                .maximum_attempts(20)
                .build(),
        )
        .build()
}

/// A WeChat delivery on the rate-limited `{task_queue}-wechat` queue: transient errors retry
/// with backoff (N3); a delivery that finally fails is recorded and never fails the workflow.
pub fn wechat(task_queue: &str) -> ActivityOptions {
    ActivityOptions::with_start_to_close_timeout(Duration::from_secs(15))
        .task_queue(crate::delivery::wechat_task_queue(task_queue))
        .retry_policy(
            RetryPolicy::builder()
                .initial_interval(Duration::from_secs(1))
                .backoff_coefficient(2.0)
                .maximum_interval(Duration::from_secs(60))
                .maximum_attempts(8)
                .build(),
        )
        .build()
}
