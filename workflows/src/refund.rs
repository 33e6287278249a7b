//! `refund/{out_refund_no}`: one refund of (part of) a WeChat Pay payment
//! (docs/payments.md):
//!
//! 1. refundable = paid − refunded − in flight, reserved in one transaction (`refund.reserve`);
//! 2. the refund request, with the same `out_refund_no` on every transient retry
//!    (`refund.request`);
//! 3. wait for the refund notice (signal `notice`), querying on WeChat's suggested back-off
//!    (`refund.query`) meanwhile;
//! 4. success / closed / abnormal (or refused): recorded, the in-flight amount settled, and
//!    the member and the purpose told (`refund.finish`).

use crate::payment::{contract, wechat_options};
use crate::rules::payment::{OutRefundNo, OutTradeNo, PaidFacts, RefundStatus, refund_query_delay};
use crate::search_attributes::{CAMP_ID, ORDER_NO, REFUND_STATE};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{
    CancellableFuture, SyncWorkflowContext, WorkflowContext, WorkflowContextView, WorkflowResult,
};

/// Timing of refunds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundSettings {
    /// The "minute" of WeChat's query back-off (60 s; tests shrink it).
    pub query_unit_millis: u64,
    /// Give up querying (state stays `processing`, for ops) after this many queries.
    pub max_queries: u32,
}

impl Default for RefundSettings {
    fn default() -> Self {
        Self {
            query_unit_millis: 60_000,
            // 5 × 1 min, then 5, 10, 20 and every 30 min: about 3 days.
            max_queries: 150,
        }
    }
}

/// Why money goes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum RefundReason {
    /// A camp deposit, approved by staff.
    CampDeposit {
        camp_id: i64,
        enrolment_id: i64,
        approved_by: i64,
    },
    /// Money that arrived after its order was closed or its reservation released.
    LatePayment { facts: PaidFacts },
}

impl RefundReason {
    pub fn camp_id(&self) -> Option<i64> {
        match self {
            Self::CampDeposit { camp_id, .. } => Some(*camp_id),
            Self::LatePayment { .. } => None,
        }
    }

    /// WeChat's `reason` field (shown to the payer).
    pub fn text(&self) -> &'static str {
        match self {
            Self::CampDeposit { .. } => "训练营押金退还",
            Self::LatePayment { .. } => "订单已关闭，款项原路退回",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundInput {
    pub out_refund_no: OutRefundNo,
    pub out_trade_no: OutTradeNo,
    /// `None`: everything still refundable.
    pub amount_cents: Option<u64>,
    pub reason: RefundReason,
    pub settings: RefundSettings,
}

impl RefundInput {
    pub fn late_payment(trade: OutTradeNo, facts: PaidFacts, settings: RefundSettings) -> Self {
        Self {
            out_refund_no: OutRefundNo::for_late_payment(&trade),
            out_trade_no: trade,
            amount_cents: None,
            reason: RefundReason::LatePayment { facts },
            settings,
        }
    }
}

/// Where a refund stands (the `RefundState` search attribute).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundState {
    #[default]
    Reserving,
    Requesting,
    Processing,
    Success,
    Closed,
    Abnormal,
    /// WeChat refused the request for good (its code is recorded).
    Refused,
    /// Nothing left to refund, or the purpose said no.
    Nothing,
}

impl RefundState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reserving => "reserving",
            Self::Requesting => "requesting",
            Self::Processing => "processing",
            Self::Success => "success",
            Self::Closed => "closed",
            Self::Abnormal => "abnormal",
            Self::Refused => "refused",
            Self::Nothing => "nothing",
        }
    }

    pub fn from_status(s: RefundStatus) -> Self {
        match s {
            RefundStatus::Success => Self::Success,
            RefundStatus::Closed => Self::Closed,
            RefundStatus::Abnormal => Self::Abnormal,
            RefundStatus::Processing => Self::Processing,
        }
    }
}

/// A verified `REFUND.*` notice, as the API signals it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundNotice {
    pub notice_id: String,
    pub status: RefundStatus,
    pub refund_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundReserveRequest {
    pub workflow_id: String,
    pub out_refund_no: OutRefundNo,
    pub out_trade_no: OutTradeNo,
    pub amount_cents: Option<u64>,
    pub reason: RefundReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "refund", rename_all = "snake_case")]
pub enum RefundReservation {
    Reserved {
        amount_cents: u64,
        /// The payment's total (`amount.total`).
        total_cents: u64,
    },
    /// Nothing to refund (already refunded, nothing paid, review withdrawn): why.
    Nothing { why: String },
}

contract!(
    /// refundable = paid − refunded − in flight, and the refund row (`in flight`), in one
    /// transaction under the payment's row lock. Records a late payment first. Idempotent per
    /// `out_refund_no`.
    ReserveRefund = "refund.reserve",
    RefundReserveRequest => RefundReservation
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRequest {
    pub out_refund_no: OutRefundNo,
    pub out_trade_no: OutTradeNo,
    pub amount_cents: u64,
    pub total_cents: u64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum RefundAnswer {
    Accepted {
        status: RefundStatus,
        refund_id: String,
    },
    /// Refused for good (`PARAM_ERROR`, `INVALID_REQUEST`, …): WeChat's code and message.
    Refused { code: String, message: String },
}

contract!(
    /// The refund request (`POST /v3/refund/domestic/refunds`), the same `out_refund_no` on
    /// every retry; transient errors (5xx, `SYSTEM_ERROR`, `FREQUENCY_LIMITED`, `NOT_ENOUGH`)
    /// retry.
    RequestRefund = "refund.request",
    RefundRequest => RefundAnswer
);

contract!(
    /// Queries the refund by `out_refund_no`.
    QueryRefund = "refund.query",
    OutRefundNo => RefundAnswer
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinishRefund {
    pub out_refund_no: OutRefundNo,
    pub state: RefundState,
    pub refund_id: Option<String>,
    pub detail: Option<String>,
}

contract!(
    /// Records the refund's end: success adds to `refunded`; closed/refused free the in-flight
    /// amount; abnormal stays in flight and is an anomaly for ops. The purpose and the member
    /// are told. Idempotent.
    FinishRefundStep = "refund.finish",
    FinishRefund => ()
);

#[workflow]
#[derive(Default)]
pub struct RefundWorkflow {
    state: RefundState,
    notice: Option<RefundNotice>,
}

fn set_state(ctx: &WorkflowContext<RefundWorkflow>, state: RefundState) {
    ctx.state_mut(|s| s.state = state);
    ctx.upsert_search_attributes([REFUND_STATE.value_set(state.as_str().to_string())]);
}

#[workflow_methods]
impl RefundWorkflow {
    #[run(name = "RefundWorkflow")]
    pub async fn run(
        ctx: &mut WorkflowContext<Self>,
        input: RefundInput,
    ) -> WorkflowResult<RefundState> {
        ctx.upsert_search_attributes([ORDER_NO.value_set(input.out_trade_no.to_string())]);
        if let Some(camp) = input.reason.camp_id() {
            ctx.upsert_search_attributes([CAMP_ID.value_set(camp)]);
        }
        set_state(ctx, RefundState::Reserving);
        let reserve = RefundReserveRequest {
            workflow_id: ctx.workflow_id().to_string(),
            out_refund_no: input.out_refund_no.clone(),
            out_trade_no: input.out_trade_no.clone(),
            amount_cents: input.amount_cents,
            reason: input.reason.clone(),
        };
        let (amount_cents, total_cents) = match ctx
            .execute_activity(ReserveRefund, reserve, crate::options::db())
            .await?
        {
            RefundReservation::Nothing { .. } => {
                set_state(ctx, RefundState::Nothing);
                return Ok(RefundState::Nothing);
            }
            RefundReservation::Reserved {
                amount_cents,
                total_cents,
            } => (amount_cents, total_cents),
        };

        set_state(ctx, RefundState::Requesting);
        let request = RefundRequest {
            out_refund_no: input.out_refund_no.clone(),
            out_trade_no: input.out_trade_no.clone(),
            amount_cents,
            total_cents,
            reason: input.reason.text().to_string(),
        };
        // Transient failures retry (same out_refund_no) for up to a day.
        let calls = wechat_options(Duration::from_secs(24 * 3600));
        let (mut status, mut refund_id) = match ctx
            .execute_activity(RequestRefund, request, calls.clone())
            .await?
        {
            RefundAnswer::Accepted { status, refund_id } => (status, refund_id),
            RefundAnswer::Refused { code, message } => {
                return Self::finish(
                    ctx,
                    &input,
                    RefundState::Refused,
                    None,
                    Some(format!("{code}: {message}")),
                )
                .await;
            }
        };

        let unit = Duration::from_millis(input.settings.query_unit_millis.max(1));
        let mut queries = 0;
        while !status.is_final() {
            set_state(ctx, RefundState::Processing);
            if queries >= input.settings.max_queries {
                // Still processing after days: left for ops (the state says so).
                return Ok(RefundState::Processing);
            }
            if let Some(n) = ctx.state(|s| s.notice.clone()) {
                status = n.status;
                refund_id = n.refund_id;
                break;
            }
            let timer = ctx.timer(refund_query_delay(queries, unit));
            futures::pin_mut!(timer);
            let noticed = temporalio_sdk::workflows::select! {
                _ = timer.as_mut() => false,
                _ = ctx.wait_condition(|s| s.notice.is_some()) => true,
            };
            if noticed {
                timer.cancel();
                continue;
            }
            queries += 1;
            if let RefundAnswer::Accepted {
                status: s,
                refund_id: id,
            } = ctx
                .execute_activity(QueryRefund, input.out_refund_no.clone(), calls.clone())
                .await?
            {
                status = s;
                refund_id = id;
            }
        }
        Self::finish(
            ctx,
            &input,
            RefundState::from_status(status),
            Some(refund_id),
            None,
        )
        .await
    }

    /// A verified `REFUND.SUCCESS` / `REFUND.ABNORMAL` / `REFUND.CLOSED` notice. The first
    /// final one counts; duplicates are harmless.
    #[signal(name = "notice")]
    pub fn notice(&mut self, _ctx: &mut SyncWorkflowContext<Self>, notice: RefundNotice) {
        if self.notice.is_none() && notice.status.is_final() {
            self.notice = Some(notice);
        }
    }

    #[query(name = "status")]
    pub fn status(&self, _ctx: &WorkflowContextView) -> RefundState {
        self.state
    }
}

impl RefundWorkflow {
    async fn finish(
        ctx: &WorkflowContext<Self>,
        input: &RefundInput,
        state: RefundState,
        refund_id: Option<String>,
        detail: Option<String>,
    ) -> WorkflowResult<RefundState> {
        let finish = FinishRefund {
            out_refund_no: input.out_refund_no.clone(),
            state,
            refund_id,
            detail,
        };
        ctx.execute_activity(FinishRefundStep, finish, crate::options::db_patient())
            .await?;
        set_state(ctx, state);
        Ok(state)
    }
}
