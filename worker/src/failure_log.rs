//! Every failed activity attempt is logged at WARN with its workflow and attempt, so the
//! on-call engineer sees in the worker log what the Temporal UI shows as "pending activity,
//! last failure" (the SDK itself reports it only at debug level).

use futures::FutureExt;
use temporalio_sdk::interceptors::{
    ActivityInboundInterceptor, ExecuteActivityInput, ExecuteActivityOutput, Next,
};

pub struct FailureLog;

impl ActivityInboundInterceptor for FailureLog {
    fn execute_activity<'a>(
        &'a self,
        input: ExecuteActivityInput,
        next: Next<'a, ExecuteActivityInput, ExecuteActivityOutput<'a>>,
    ) -> ExecuteActivityOutput<'a> {
        async move {
            let info = input.activity_info().clone();
            let result = next.run(input).await;
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
