//! Every failed activity attempt is logged at WARN with its workflow and attempt, so the
//! on-call engineer sees in the worker log what the Temporal UI shows as "pending activity,
//! last failure" (the SDK itself reports it only at debug level).
//!
//! Tests can also name activity types whose first attempt fails right after it ran: the
//! activity has committed, the worker "dies" before reporting, and the retry must return what
//! the first attempt did.

use futures::FutureExt;
use temporalio_sdk::interceptors::{
    ActivityInboundInterceptor, ExecuteActivityInput, ExecuteActivityOutput, Next,
};

pub struct FailureLog {
    fail_first_attempt: Vec<String>,
}

impl FailureLog {
    pub fn new(fail_first_attempt: Vec<String>) -> Self {
        Self { fail_first_attempt }
    }
}

impl ActivityInboundInterceptor for FailureLog {
    fn execute_activity<'a>(
        &'a self,
        input: ExecuteActivityInput,
        next: Next<'a, ExecuteActivityInput, ExecuteActivityOutput<'a>>,
    ) -> ExecuteActivityOutput<'a> {
        async move {
            let info = input.activity_info().clone();
            let mut result = next.run(input).await;
            if info.attempt == 1
                && result.is_ok()
                && self.fail_first_attempt.contains(&info.activity_type)
            {
                result = Err(temporalio_sdk::activities::ActivityError::from(
                    anyhow::anyhow!("test hook: first attempt lost after its commit"),
                ));
            }
            if let Err(error) = &result {
                tracing::warn!(
                    activity = %info.activity_type,
                    workflow_id = info.workflow_id.as_deref().unwrap_or("-"),
                    attempt = info.attempt,
                    error = ?error,
                    "activity attempt failed"
                );
            }
            result
        }
        .boxed()
    }
}
