//! WeChat delivery from workflows: one `notify.wechat` activity per notification, on the
//! rate-limited `{task_queue}-wechat` queue, retried with backoff on transient errors. A
//! delivery that finally fails is recorded by the activity and never fails the workflow.

use crate::activities::DeliverWechat;
use std::time::Duration;
use temporalio_common::RetryPolicy;
use temporalio_sdk::{ActivityOptions, WorkflowContext};

fn options(task_queue: &str) -> ActivityOptions {
    ActivityOptions::with_start_to_close_timeout(Duration::from_secs(15))
        .task_queue(wechat_task_queue(task_queue))
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

/// Delivers every notification in `keys` (dedupe keys), concurrently.
pub async fn deliver_all<W>(ctx: &WorkflowContext<W>, keys: Vec<String>) {
    if keys.is_empty() {
        return;
    }
    let opts = options(ctx.task_queue());
    let sends = keys
        .into_iter()
        .map(|key| ctx.execute_activity(DeliverWechat, key, opts.clone()));
    let _ = futures::future::join_all(sends).await;
}

/// `{task_queue}-wechat`: where `notify.wechat` activities run, under the send-rate limit.
pub fn wechat_task_queue(task_queue: &str) -> String {
    format!("{task_queue}-wechat")
}
