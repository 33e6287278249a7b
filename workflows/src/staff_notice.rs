//! `staff-notice/{instance}/{audit_id}`: WeChat delivery of the in-app messages a staff action wrote
//! (a message to a parent or a queue, a removal from a queue). The API writes the messages
//! in the action's own transaction; this workflow sends their subscribe messages through the
//! same rate-limited `notify.wechat` activity as every other notification.

use crate::delivery::deliver_all;
use serde::{Deserialize, Serialize};
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{WorkflowContext, WorkflowResult};

/// Deliveries awaited together (the SDK rejects `join_all` over more than 30 futures).
pub const CHUNK: usize = 25;

pub fn staff_notice_workflow_id(ids: &crate::ids::WorkflowIds, audit_id: i64) -> String {
    format!("staff-notice/{}/{audit_id}", ids.instance())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffNoticeInput {
    /// dedupe keys of the in-app notifications to deliver over WeChat
    pub notifications: Vec<String>,
}

#[workflow]
#[derive(Default)]
pub struct StaffNoticeWorkflow;

#[workflow_methods]
impl StaffNoticeWorkflow {
    #[run(name = "StaffNoticeWorkflow")]
    pub async fn run(
        ctx: &mut WorkflowContext<Self>,
        input: StaffNoticeInput,
    ) -> WorkflowResult<u32> {
        let total = u32::try_from(input.notifications.len()).unwrap_or(u32::MAX);
        for chunk in input.notifications.chunks(CHUNK) {
            deliver_all(ctx, chunk.to_vec()).await;
        }
        Ok(total)
    }
}
