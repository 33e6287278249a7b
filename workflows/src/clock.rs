//! Workflow time: the one deterministic `now` of workflow code (never the wall clock).

use chrono::{DateTime, Utc};
use temporalio_sdk::WorkflowContext;

/// The current activation's time. The SDK sets it on every activation, so it is always there
/// while workflow code runs; its absence would be an SDK bug, not a state to carry on in.
pub fn now<W>(ctx: &WorkflowContext<W>) -> DateTime<Utc> {
    ctx.workflow_time()
        .map(Into::into)
        .expect("every workflow activation carries its time")
}
