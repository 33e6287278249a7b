//! `pay/{out_trade_no}`: one WeChat Pay JSAPI payment, from the reservation of what it pays
//! for to paid or closed (docs/payments.md). Shared by every purpose (a camp seat now, seed
//! 003's order lines next):
//!
//! 1. reserve what is paid for, in one transaction (`pay.reserve`);
//! 2. JSAPI prepay with `time_expire` = the deadline, and the signed `wx.requestPayment`
//!    parameters (`pay.prepay`), answered to the API through the `checkout` update;
//! 3. wait for the verified payment notice (signal `notice`) until the deadline;
//! 4. at the deadline query first (a lost notice is still a payment); unpaid → close the
//!    order (an `ORDERPAID` answer is a payment) and release the reservation;
//! 5. a payment is settled only when amount, appid and mchid match (`pay.settle`); a mismatch
//!    is an anomaly for ops. Money that arrives after the release is refunded.

use crate::clock::now;
use crate::refund::{RefundInput, RefundSettings};
use crate::rules::camp::EnrolmentIdentity;
use crate::rules::payment::{
    DeadlineAction, Mismatch, OutRefundNo, OutTradeNo, PaidFacts, TradeState, on_deadline,
};
use crate::rules::time::until;
use crate::search_attributes::{CAMP_ID, ORDER_NO, PAY_STATE};
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use temporalio_common::RetryPolicy;
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{
    ActivityOptions, CancellableFuture, ChildWorkflowOptions, ParentClosePolicy,
    SyncWorkflowContext, WorkflowContext, WorkflowContextView, WorkflowResult,
};

/// Binds a contract marker to its activity name and types (the `activities` crate implements
/// it with `#[activity(definition = …)]`).
macro_rules! contract {
    ($(#[$doc:meta])* $marker:ident = $name:literal, $input:ty => $output:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $marker;

        impl $marker {
            pub const NAME: &'static str = $name;
        }

        impl temporalio_common::ActivityDefinition for $marker {
            type Input = $input;
            type Output = $output;
            fn name(&self) -> &str {
                $name
            }
        }
    };
}
pub(crate) use contract;

/// What a payment pays for. Each purpose has its own reserve / confirm / release SQL in the
/// activities; everything else about paying is shared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "purpose", rename_all = "snake_case")]
pub enum Purpose {
    /// A seat in a training camp (seed 004), with what the member told us for matching.
    CampSeat {
        camp_id: i64,
        identity: EnrolmentIdentity,
    },
}

impl Purpose {
    pub fn camp_id(&self) -> Option<i64> {
        match self {
            Self::CampSeat { camp_id, .. } => Some(*camp_id),
        }
    }
}

/// Timing of a payment (API settings, `PAY_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaySettings {
    /// How long the payer has (default 15 min); also sent as `time_expire`.
    pub deadline_seconds: u32,
    /// While WeChat says `USERPAYING` at the deadline, ask again after this long…
    pub userpaying_retry_seconds: u32,
    /// …this many times, then close.
    pub userpaying_max_asks: u32,
    /// Refund timing for money that arrives after the order was closed.
    pub refund: RefundSettings,
}

impl Default for PaySettings {
    fn default() -> Self {
        Self {
            deadline_seconds: 15 * 60,
            userpaying_retry_seconds: 30,
            userpaying_max_asks: 4,
            refund: RefundSettings::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentInput {
    pub out_trade_no: OutTradeNo,
    pub user_id: i64,
    pub purpose: Purpose,
    pub settings: PaySettings,
}

/// The parameters of `wx.requestPayment`, signed with the merchant key (in the worker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestPayment {
    #[serde(rename = "timeStamp")]
    pub time_stamp: String,
    #[serde(rename = "nonceStr")]
    pub nonce_str: String,
    pub package: String,
    #[serde(rename = "signType")]
    pub sign_type: String,
    #[serde(rename = "paySign")]
    pub pay_sign: String,
}

/// Why nothing was reserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// No seat left.
    Full,
    /// This member already holds (or paid for) it.
    AlreadyEnrolled,
    /// Not open for payment (not published, or enrolment has closed).
    NotOpen,
    /// The payer has no WeChat openid (dev login without WeChat).
    NoOpenid,
}

/// The `checkout` update's answer: pay with these parameters, or why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "checkout", rename_all = "snake_case")]
pub enum Checkout {
    Ready {
        out_trade_no: OutTradeNo,
        /// The purpose's own record (the camp enrolment).
        reference_id: i64,
        amount_cents: u64,
        expires_at: DateTime<Utc>,
        request_payment: RequestPayment,
    },
    Refused {
        refusal: Refusal,
    },
    /// WeChat refused the order for good (its code); the reservation was released.
    Failed {
        code: String,
    },
}

/// Where a payment stands (the `PayState` search attribute).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayState {
    #[default]
    Reserving,
    AwaitingPayment,
    Querying,
    Closing,
    Paid,
    Closed,
    Refused,
    Failed,
    /// Paid, but not as asked (amount/appid/mchid): held for ops.
    Anomaly,
}

impl PayState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reserving => "reserving",
            Self::AwaitingPayment => "awaiting_payment",
            Self::Querying => "querying",
            Self::Closing => "closing",
            Self::Paid => "paid",
            Self::Closed => "closed",
            Self::Refused => "refused",
            Self::Failed => "failed",
            Self::Anomaly => "anomaly",
        }
    }
}

/// A verified, decrypted `TRANSACTION.SUCCESS` notice, as the API signals it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaidNotice {
    pub notice_id: String,
    pub trade_state: TradeState,
    pub facts: PaidFacts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReserveRequest {
    pub workflow_id: String,
    pub out_trade_no: OutTradeNo,
    pub user_id: i64,
    pub purpose: Purpose,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reservation", rename_all = "snake_case")]
pub enum Reservation {
    Reserved {
        reference_id: i64,
        amount_cents: u64,
        description: String,
        openid: String,
    },
    Refused {
        refusal: Refusal,
    },
}

contract!(
    /// Reserves what is paid for and records the payment (`payment` row), in one transaction
    /// under the purpose's lock (no oversell). Idempotent per `out_trade_no`.
    ReservePayment = "pay.reserve",
    ReserveRequest => Reservation
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrepayRequest {
    pub out_trade_no: OutTradeNo,
    pub amount_cents: u64,
    pub description: String,
    pub openid: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "prepay", rename_all = "snake_case")]
pub enum Prepaid {
    Ready {
        request_payment: RequestPayment,
    },
    /// WeChat refused the order for good (e.g. `PARAM_ERROR`, `OUT_TRADE_NO_USED`).
    Refused {
        code: String,
        message: String,
    },
}

contract!(
    /// JSAPI prepay (`time_expire` = the deadline) and the signed `wx.requestPayment`
    /// parameters. A retry with the same order gets the same `prepay_id` (stored).
    Prepay = "pay.prepay",
    PrepayRequest => Prepaid
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "order", rename_all = "snake_case")]
pub enum OrderAnswer {
    Found {
        trade_state: TradeState,
        /// Present when paid.
        facts: Option<PaidFacts>,
    },
    /// WeChat has no such order (prepay never reached it).
    NotFound,
}

contract!(
    /// Queries the order by `out_trade_no` (signed answer verified).
    QueryOrder = "pay.query",
    OutTradeNo => OrderAnswer
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseAnswer {
    Closed,
    /// `ORDERPAID`: it was paid meanwhile.
    AlreadyPaid,
}

contract!(
    /// Closes the unpaid order at WeChat (204), or learns it was paid (`ORDERPAID`).
    CloseOrder = "pay.close",
    OutTradeNo => CloseAnswer
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaidVia {
    Notice,
    Query,
    Close,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettleRequest {
    pub out_trade_no: OutTradeNo,
    pub facts: PaidFacts,
    pub via: PaidVia,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "settled", rename_all = "snake_case")]
pub enum Settled {
    Paid,
    Anomaly { mismatches: Vec<Mismatch> },
}

contract!(
    /// Checks amount/appid/mchid against the payment, then in one transaction marks it paid
    /// and confirms the purpose (the camp enrolment, the member told); a mismatch is recorded
    /// as an anomaly for ops instead. Idempotent.
    SettlePayment = "pay.settle",
    SettleRequest => Settled
);

contract!(
    /// Marks the payment closed and releases what it reserved, in one transaction. Idempotent.
    ReleasePayment = "pay.release",
    OutTradeNo => ()
);

/// What the workflow ends with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentOutcome {
    pub state: PayState,
    pub transaction_id: Option<String>,
    /// A refund started for money that came after the release.
    pub late_refund: Option<OutRefundNo>,
}

#[workflow]
#[derive(Default)]
pub struct PaymentWorkflow {
    state: PayState,
    checkout: Option<Checkout>,
    notice: Option<PaidNotice>,
    notices_seen: u32,
    handlers_running: u32,
}

/// WeChat calls: transient failures retry with back-off, for at most `total`.
pub(crate) fn wechat_options(total: Duration) -> ActivityOptions {
    ActivityOptions::with_close_timeouts(
        temporalio_common::ActivityCloseTimeouts::ScheduleAndStartToClose {
            schedule_to_close: total,
            start_to_close: Duration::from_secs(15),
        },
    )
    .retry_policy(
        RetryPolicy::builder()
            .initial_interval(Duration::from_millis(500))
            .backoff_coefficient(2.0)
            .maximum_interval(Duration::from_secs(30))
            .build(),
    )
    .build()
}

fn set_state(ctx: &WorkflowContext<PaymentWorkflow>, state: PayState) {
    ctx.state_mut(|s| s.state = state);
    ctx.upsert_search_attributes([PAY_STATE.value_set(state.as_str().to_string())]);
}

#[workflow_methods]
impl PaymentWorkflow {
    #[run(name = "PaymentWorkflow")]
    pub async fn run(
        ctx: &mut WorkflowContext<Self>,
        input: PaymentInput,
    ) -> WorkflowResult<PaymentOutcome> {
        let no = input.out_trade_no.clone();
        ctx.upsert_search_attributes([ORDER_NO.value_set(no.to_string())]);
        if let Some(camp) = input.purpose.camp_id() {
            ctx.upsert_search_attributes([CAMP_ID.value_set(camp)]);
        }
        set_state(ctx, PayState::Reserving);
        let started = now(ctx);
        // Whole seconds, as `time_expire` says it.
        let deadline =
            started + ChronoDuration::seconds(i64::from(input.settings.deadline_seconds));
        let expires_at = DateTime::from_timestamp(deadline.timestamp(), 0).unwrap_or(deadline);
        let reserve = ReserveRequest {
            workflow_id: ctx.workflow_id().to_string(),
            out_trade_no: no.clone(),
            user_id: input.user_id,
            purpose: input.purpose.clone(),
            expires_at,
        };
        let reservation = ctx
            .execute_activity(ReservePayment, reserve, crate::options::db())
            .await?;
        let (reference_id, amount_cents, description, openid) = match reservation {
            Reservation::Refused { refusal } => {
                ctx.state_mut(|s| s.checkout = Some(Checkout::Refused { refusal }));
                return Ok(Self::finish(ctx, PayState::Refused, None, None).await);
            }
            Reservation::Reserved {
                reference_id,
                amount_cents,
                description,
                openid,
            } => (reference_id, amount_cents, description, openid),
        };

        set_state(ctx, PayState::AwaitingPayment);
        let prepay = PrepayRequest {
            out_trade_no: no.clone(),
            amount_cents,
            description,
            openid,
            expires_at,
        };
        let window = until(now(ctx), expires_at).max(Duration::from_secs(5));
        match ctx
            .execute_activity(Prepay, prepay, wechat_options(window))
            .await
        {
            Ok(Prepaid::Ready { request_payment }) => ctx.state_mut(|s| {
                s.checkout = Some(Checkout::Ready {
                    out_trade_no: no.clone(),
                    reference_id,
                    amount_cents,
                    expires_at,
                    request_payment,
                })
            }),
            Ok(Prepaid::Refused { code, .. }) => {
                ctx.execute_activity(ReleasePayment, no.clone(), crate::options::db_patient())
                    .await?;
                ctx.state_mut(|s| s.checkout = Some(Checkout::Failed { code }));
                return Ok(Self::finish(ctx, PayState::Failed, None, None).await);
            }
            // Prepay kept failing (WeChat down past the deadline, or WeChat Pay not
            // configured): the member never got payment parameters, so nothing can be paid
            // under this number. The seat goes back; the member may try again (attempt + 1).
            Err(_) => {
                ctx.execute_activity(ReleasePayment, no.clone(), crate::options::db_patient())
                    .await?;
                ctx.state_mut(|s| {
                    s.checkout = Some(Checkout::Failed {
                        code: "SYSTEM_ERROR".into(),
                    })
                });
                return Ok(Self::finish(ctx, PayState::Failed, None, None).await);
            }
        }

        // Until the notice or the deadline.
        if ctx.state(|s| s.notice.is_none()) {
            let timer = ctx.timer(until(now(ctx), expires_at).max(Duration::from_millis(1)));
            futures::pin_mut!(timer);
            let noticed = temporalio_sdk::workflows::select! {
                _ = timer.as_mut() => false,
                _ = ctx.wait_condition(|s| s.notice.is_some()) => true,
            };
            if noticed {
                timer.cancel();
            }
        }
        if let Some(notice) = ctx.state(|s| s.notice.clone()) {
            return Self::settle(ctx, &no, notice.facts, PaidVia::Notice).await;
        }
        Self::at_deadline(ctx, &input, &no).await
    }

    /// The payment's parameters once prepared (the API waits on it through update-with-start).
    #[update(name = "checkout")]
    pub async fn checkout(ctx: &mut WorkflowContext<Self>) -> Checkout {
        ctx.state_mut(|s| s.handlers_running += 1);
        let _ = ctx.wait_condition(|s| s.checkout.is_some()).await;
        ctx.state_mut(|s| {
            s.handlers_running -= 1;
            s.checkout.clone().expect("waited for the checkout")
        })
    }

    /// A verified payment notice (the API's notice route). Duplicates are harmless: the first
    /// successful one counts.
    #[signal(name = "notice")]
    pub fn notice(&mut self, _ctx: &mut SyncWorkflowContext<Self>, notice: PaidNotice) {
        self.notices_seen += 1;
        if self.notice.is_none()
            && matches!(notice.trade_state, TradeState::Success | TradeState::Refund)
        {
            self.notice = Some(notice);
        }
    }

    #[query(name = "status")]
    pub fn status(&self, _ctx: &WorkflowContextView) -> PayState {
        self.state
    }
}

impl PaymentWorkflow {
    /// Query first; then close or ask again; an `ORDERPAID` close is a payment.
    async fn at_deadline(
        ctx: &WorkflowContext<Self>,
        input: &PaymentInput,
        no: &OutTradeNo,
    ) -> WorkflowResult<PaymentOutcome> {
        let calls = wechat_options(Duration::from_secs(24 * 3600));
        let mut asks = 0;
        loop {
            set_state(ctx, PayState::Querying);
            let action = match ctx
                .execute_activity(QueryOrder, no.clone(), calls.clone())
                .await?
            {
                OrderAnswer::NotFound => DeadlineAction::Release,
                OrderAnswer::Found {
                    trade_state,
                    facts: Some(facts),
                } if on_deadline(trade_state, asks, 0) == DeadlineAction::Settle => {
                    return Self::settle(ctx, no, facts, PaidVia::Query).await;
                }
                OrderAnswer::Found { trade_state, .. } => {
                    on_deadline(trade_state, asks, input.settings.userpaying_max_asks)
                }
            };
            match action {
                DeadlineAction::AskAgain => {
                    asks += 1;
                    let wait =
                        Duration::from_secs(u64::from(input.settings.userpaying_retry_seconds));
                    let timer = ctx.timer(wait.max(Duration::from_millis(1)));
                    futures::pin_mut!(timer);
                    let noticed = temporalio_sdk::workflows::select! {
                        _ = timer.as_mut() => false,
                        _ = ctx.wait_condition(|s| s.notice.is_some()) => true,
                    };
                    if noticed {
                        timer.cancel();
                        let notice = ctx.state(|s| s.notice.clone()).expect("noticed");
                        return Self::settle(ctx, no, notice.facts, PaidVia::Notice).await;
                    }
                }
                DeadlineAction::Settle => {
                    // Paid, but the answer carried no facts: ask again at once.
                    asks += 1;
                }
                DeadlineAction::Close => {
                    set_state(ctx, PayState::Closing);
                    match ctx
                        .execute_activity(CloseOrder, no.clone(), calls.clone())
                        .await?
                    {
                        CloseAnswer::Closed => return Self::release(ctx, input, no).await,
                        // Paid meanwhile: the next query returns the facts.
                        CloseAnswer::AlreadyPaid => {
                            let answer = ctx
                                .execute_activity(QueryOrder, no.clone(), calls.clone())
                                .await?;
                            if let OrderAnswer::Found {
                                facts: Some(facts), ..
                            } = answer
                            {
                                return Self::settle(ctx, no, facts, PaidVia::Close).await;
                            }
                        }
                    }
                }
                DeadlineAction::Release => return Self::release(ctx, input, no).await,
            }
        }
    }

    async fn settle(
        ctx: &WorkflowContext<Self>,
        no: &OutTradeNo,
        facts: PaidFacts,
        via: PaidVia,
    ) -> WorkflowResult<PaymentOutcome> {
        let transaction = facts.transaction_id.clone();
        let request = SettleRequest {
            out_trade_no: no.clone(),
            facts,
            via,
        };
        let state = match ctx
            .execute_activity(SettlePayment, request, crate::options::db_patient())
            .await?
        {
            Settled::Paid => PayState::Paid,
            Settled::Anomaly { .. } => PayState::Anomaly,
        };
        Ok(Self::finish(ctx, state, Some(transaction), None).await)
    }

    /// Releases the reservation; money that arrived meanwhile (a notice buffered while closing)
    /// goes back to the payer through a `RefundWorkflow`.
    async fn release(
        ctx: &WorkflowContext<Self>,
        input: &PaymentInput,
        no: &OutTradeNo,
    ) -> WorkflowResult<PaymentOutcome> {
        ctx.execute_activity(ReleasePayment, no.clone(), crate::options::db_patient())
            .await?;
        let late = match ctx.state(|s| s.notice.clone()) {
            None => None,
            Some(notice) => {
                let refund =
                    RefundInput::late_payment(no.clone(), notice.facts, input.settings.refund);
                let id = refund.out_refund_no.clone();
                ctx.start_child_workflow(
                    crate::RefundWorkflow::run,
                    refund,
                    ChildWorkflowOptions::builder()
                        .workflow_id(id.workflow_id())
                        .parent_close_policy(ParentClosePolicy::Abandon)
                        .build(),
                )
                .await?;
                Some(id)
            }
        };
        Ok(Self::finish(ctx, PayState::Closed, None, late).await)
    }

    async fn finish(
        ctx: &WorkflowContext<Self>,
        state: PayState,
        transaction_id: Option<String>,
        late_refund: Option<OutRefundNo>,
    ) -> PaymentOutcome {
        set_state(ctx, state);
        let _ = ctx.wait_condition(|s| s.handlers_running == 0).await;
        PaymentOutcome {
            state,
            transaction_id,
            late_refund,
        }
    }
}
