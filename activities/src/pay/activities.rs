//! Activities of `PaymentWorkflow` and `RefundWorkflow`. Database steps are one transaction
//! each and idempotent per order / refund number; WeChat calls leave transient failures to
//! the workflow's retry policy and return permanent refusals as values.

use super::client::{Closed, PayError, WechatPayClient};
use super::db::{self, NewPayment};
use crate::camp::seat;
use crate::db::now_millis;
use sqlx::MySqlPool;
use std::sync::Arc;
use temporalio_common::error::ApplicationFailure;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use tracing::{info, warn};
use workflows::payment::{
    CloseAnswer, OrderAnswer, Prepaid, PrepayRequest, Purpose, Refusal, Reservation,
    ReserveRequest, SettleRequest, Settled,
};
use workflows::refund::{
    FinishRefund, RefundAnswer, RefundReason, RefundRequest, RefundReservation,
    RefundReserveRequest, RefundState,
};
use workflows::rules::payment::{
    Expected, OutRefundNo, OutTradeNo, check_paid, refundable, time_expire,
};

pub struct PayActivities {
    pool: MySqlPool,
    /// `None` when WeChat Pay is not configured: every WeChat step fails for good.
    client: Option<Arc<WechatPayClient>>,
}

impl PayActivities {
    pub fn new(pool: MySqlPool, client: Option<Arc<WechatPayClient>>) -> Self {
        Self { pool, client }
    }

    fn client(&self) -> Result<&WechatPayClient, ActivityError> {
        self.client.as_deref().ok_or_else(|| {
            ApplicationFailure::non_retryable(anyhow::anyhow!(
                "WeChat Pay is not configured (WECHATPAY_*)"
            ))
            .into()
        })
    }
}

/// A WeChat failure: transient ones retry (the workflow's policy), others stop the activity.
fn wechat_failure(e: PayError) -> ActivityError {
    if e.is_transient() {
        warn!(error = %e, "WeChat Pay call failed; will retry");
        anyhow::anyhow!("{e}").into()
    } else {
        ApplicationFailure::non_retryable(anyhow::anyhow!("{e}")).into()
    }
}

fn purpose_name(p: &Purpose) -> &'static str {
    match p {
        Purpose::CampSeat { .. } => "camp_seat",
    }
}

#[activities]
impl PayActivities {
    #[activity(definition = workflows::payment::ReservePayment)]
    pub async fn reserve(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: ReserveRequest,
    ) -> Result<Reservation, ActivityError> {
        let mut tx = self.pool.begin().await?;
        if let Some(p) = db::payment(&mut tx, req.out_trade_no.as_str(), false).await? {
            return Ok(Reservation::Reserved {
                reference_id: p.purpose_id,
                amount_cents: u64::try_from(p.amount_cents).unwrap_or(0),
                description: p.description,
                openid: p.openid,
            });
        }
        let openid: Option<(Option<String>,)> =
            sqlx::query_as("SELECT openid FROM user WHERE id = ?")
                .bind(req.user_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(openid) = openid.and_then(|(o,)| o).filter(|o| !o.is_empty()) else {
            return Ok(Reservation::Refused {
                refusal: Refusal::NoOpenid,
            });
        };
        let seat = match &req.purpose {
            Purpose::CampSeat { camp_id, identity } => {
                match seat::reserve(
                    &mut tx,
                    *camp_id,
                    req.user_id,
                    identity,
                    &req.out_trade_no,
                    now_millis(),
                )
                .await?
                {
                    Ok(seat) => seat,
                    Err(refusal) => {
                        // An earlier attempt of this very step may have committed meanwhile
                        // (attempts can overlap after a timeout): its payment is the answer.
                        if let Some(p) =
                            db::payment(&mut tx, req.out_trade_no.as_str(), true).await?
                        {
                            return Ok(Reservation::Reserved {
                                reference_id: p.purpose_id,
                                amount_cents: u64::try_from(p.amount_cents).unwrap_or(0),
                                description: p.description,
                                openid: p.openid,
                            });
                        }
                        return Ok(Reservation::Refused { refusal });
                    }
                }
            }
        };
        db::insert_payment(
            &mut tx,
            &NewPayment {
                out_trade_no: req.out_trade_no.as_str(),
                workflow_id: &req.workflow_id,
                purpose: purpose_name(&req.purpose),
                purpose_id: seat.enrolment_id,
                user_id: req.user_id,
                openid: &openid,
                description: &seat.description,
                amount_cents: seat.amount_cents,
                expires_at: req.expires_at,
            },
        )
        .await?;
        tx.commit().await?;
        info!(out_trade_no = %req.out_trade_no, amount = seat.amount_cents, "reserved");
        Ok(Reservation::Reserved {
            reference_id: seat.enrolment_id,
            amount_cents: seat.amount_cents,
            description: seat.description,
            openid,
        })
    }

    #[activity(definition = workflows::payment::Prepay)]
    pub async fn prepay(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: PrepayRequest,
    ) -> Result<Prepaid, ActivityError> {
        let client = self.client()?;
        let mut conn = self.pool.acquire().await?;
        let stored = db::payment(&mut conn, req.out_trade_no.as_str(), false)
            .await?
            .and_then(|p| p.prepay_id);
        let prepay_id = match stored {
            Some(id) => id,
            None => {
                let answer = client
                    .jsapi_prepay(
                        &req.out_trade_no,
                        &req.description,
                        req.amount_cents,
                        &req.openid,
                        &time_expire(req.expires_at),
                    )
                    .await;
                let id = match answer {
                    Ok(id) => id,
                    Err(e) if !e.is_transient() && !e.code().is_empty() => {
                        warn!(out_trade_no = %req.out_trade_no, error = %e, "prepay refused");
                        let (code, message) = match e {
                            PayError::Api { code, message, .. } => (code, message),
                            other => (String::new(), other.to_string()),
                        };
                        return Ok(Prepaid::Refused { code, message });
                    }
                    Err(e) => return Err(wechat_failure(e)),
                };
                sqlx::query("UPDATE payment SET prepay_id = ? WHERE out_trade_no = ?")
                    .bind(&id)
                    .bind(req.out_trade_no.as_str())
                    .execute(&mut *conn)
                    .await?;
                id
            }
        };
        let request_payment = client.request_payment(&prepay_id).map_err(wechat_failure)?;
        Ok(Prepaid::Ready { request_payment })
    }

    #[activity(definition = workflows::payment::QueryOrder)]
    pub async fn query(
        self: Arc<Self>,
        _ctx: ActivityContext,
        no: OutTradeNo,
    ) -> Result<OrderAnswer, ActivityError> {
        match self.client()?.query_order(&no).await {
            Ok(None) => Ok(OrderAnswer::NotFound),
            Ok(Some(t)) => Ok(OrderAnswer::Found {
                trade_state: t.trade_state,
                facts: t.paid_facts(),
            }),
            Err(e) => Err(wechat_failure(e)),
        }
    }

    #[activity(definition = workflows::payment::CloseOrder)]
    pub async fn close(
        self: Arc<Self>,
        _ctx: ActivityContext,
        no: OutTradeNo,
    ) -> Result<CloseAnswer, ActivityError> {
        match self.client()?.close_order(&no).await {
            Ok(Closed::Closed) => Ok(CloseAnswer::Closed),
            Ok(Closed::AlreadyPaid) => Ok(CloseAnswer::AlreadyPaid),
            Err(e) => Err(wechat_failure(e)),
        }
    }

    #[activity(definition = workflows::payment::SettlePayment)]
    pub async fn settle(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: SettleRequest,
    ) -> Result<Settled, ActivityError> {
        let client = self.client()?;
        let no = req.out_trade_no.as_str();
        let mut tx = self.pool.begin().await?;
        let payment = db::payment(&mut tx, no, true)
            .await?
            .ok_or_else(|| ApplicationFailure::non_retryable(anyhow::anyhow!("no payment {no}")))?;
        match payment.state.as_str() {
            "paid" => return Ok(Settled::Paid),
            "anomaly" => {
                return Ok(Settled::Anomaly {
                    mismatches: Vec::new(),
                });
            }
            _ => {}
        }
        let expected = Expected {
            amount_cents: u64::try_from(payment.amount_cents).unwrap_or(0),
            appid: client.settings().appid.clone(),
            mchid: client.settings().mchid.clone(),
        };
        let mismatches = check_paid(&expected, &req.facts);
        let now = now_millis();
        let paid_via = format!("{:?}", req.via).to_lowercase();
        sqlx::query(
            "UPDATE payment SET state = ?, paid_cents = ?, transaction_id = ?, paid_via = ?, paid_at = ?
              WHERE out_trade_no = ?",
        )
        .bind(if mismatches.is_empty() { "paid" } else { "anomaly" })
        .bind(req.facts.total_cents as i64)
        .bind(&req.facts.transaction_id)
        .bind(&paid_via)
        .bind(now)
        .bind(no)
        .execute(&mut *tx)
        .await?;
        if !mismatches.is_empty() {
            warn!(
                out_trade_no = no,
                ?mismatches,
                "payment does not match the order: anomaly for ops"
            );
            db::anomaly(
                &mut tx,
                no,
                "mismatch",
                serde_json::json!({"mismatches": mismatches, "facts": req.facts}),
            )
            .await?;
            if payment.purpose == "camp_seat" {
                seat::hold_for_ops(&mut tx, payment.purpose_id, no).await?;
            }
            tx.commit().await?;
            return Ok(Settled::Anomaly { mismatches });
        }
        if payment.purpose == "camp_seat" {
            seat::confirm(&mut tx, payment.purpose_id, no, now).await?;
        }
        tx.commit().await?;
        info!(out_trade_no = no, via = %paid_via, "paid");
        Ok(Settled::Paid)
    }

    #[activity(definition = workflows::payment::ReleasePayment)]
    pub async fn release(
        self: Arc<Self>,
        _ctx: ActivityContext,
        no: OutTradeNo,
    ) -> Result<(), ActivityError> {
        let mut tx = self.pool.begin().await?;
        let Some(payment) = db::payment(&mut tx, no.as_str(), true).await? else {
            return Ok(());
        };
        if payment.state != "reserved" {
            return Ok(());
        }
        sqlx::query("UPDATE payment SET state = 'closed', closed_at = ? WHERE out_trade_no = ?")
            .bind(now_millis())
            .bind(no.as_str())
            .execute(&mut *tx)
            .await?;
        if payment.purpose == "camp_seat" {
            seat::release(&mut tx, payment.purpose_id, no.as_str()).await?;
        }
        tx.commit().await?;
        info!(out_trade_no = %no, "closed and released");
        Ok(())
    }

    #[activity(definition = workflows::refund::ReserveRefund)]
    pub async fn reserve_refund(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: RefundReserveRequest,
    ) -> Result<RefundReservation, ActivityError> {
        let trade = req.out_trade_no.as_str();
        let mut tx = self.pool.begin().await?;
        let Some(payment) = db::payment(&mut tx, trade, true).await? else {
            return Ok(RefundReservation::Nothing {
                why: "unknown order".into(),
            });
        };
        let total = u64::try_from(payment.paid_cents).unwrap_or(0);
        if let Some(r) = db::refund(&mut tx, req.out_refund_no.as_str(), false).await? {
            return Ok(RefundReservation::Reserved {
                amount_cents: u64::try_from(r.amount_cents).unwrap_or(0),
                total_cents: total,
            });
        }
        let (reason, total) = match &req.reason {
            RefundReason::LatePayment { facts } => {
                if payment.state != "paid" && payment.paid_cents == 0 {
                    // Money for an order we closed: recorded before it goes back.
                    sqlx::query(
                        "UPDATE payment SET paid_cents = ?, transaction_id = ?, paid_via = 'late', paid_at = ?
                          WHERE out_trade_no = ?",
                    )
                    .bind(facts.total_cents as i64)
                    .bind(&facts.transaction_id)
                    .bind(now_millis())
                    .bind(trade)
                    .execute(&mut *tx)
                    .await?;
                    db::anomaly(
                        &mut tx,
                        trade,
                        "late_payment",
                        serde_json::json!({"facts": facts}),
                    )
                    .await?;
                } else if payment.state == "paid" {
                    return Ok(RefundReservation::Nothing {
                        why: "the payment counted; nothing late to refund".into(),
                    });
                }
                ("late_payment", facts.total_cents)
            }
            RefundReason::CampDeposit {
                enrolment_id,
                approved_by,
                ..
            } => {
                if payment.state != "paid" {
                    return Ok(RefundReservation::Nothing {
                        why: format!("payment is {}", payment.state),
                    });
                }
                let approved = sqlx::query(
                    "UPDATE camp_enrolment SET review = 'approved', reviewed_by = ?, reviewed_at = ?,
                            out_refund_no = ?, refund_state = 'reserving'
                      WHERE id = ? AND out_trade_no = ? AND status = 'paid'
                        AND (review IS NULL OR review IN ('pending', 'approved'))",
                )
                .bind(approved_by)
                .bind(now_millis())
                .bind(req.out_refund_no.as_str())
                .bind(enrolment_id)
                .bind(trade)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if approved == 0 {
                    return Ok(RefundReservation::Nothing {
                        why: "the enrolment is not paid or its refund was rejected".into(),
                    });
                }
                ("camp_deposit", total)
            }
        };
        let in_flight = db::in_flight_cents(&mut tx, trade).await?;
        let left = refundable(
            total,
            u64::try_from(payment.refunded_cents).unwrap_or(0),
            u64::try_from(in_flight).unwrap_or(0),
        );
        let amount = req.amount_cents.unwrap_or(left);
        if amount == 0 || amount > left {
            return Ok(RefundReservation::Nothing {
                why: format!("asked {amount}, refundable {left}"),
            });
        }
        sqlx::query(
            "INSERT INTO payment_refund (out_refund_no, out_trade_no, workflow_id, amount_cents, reason)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(req.out_refund_no.as_str())
        .bind(trade)
        .bind(&req.workflow_id)
        .bind(amount as i64)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        info!(out_refund_no = %req.out_refund_no, amount, "refund reserved");
        Ok(RefundReservation::Reserved {
            amount_cents: amount,
            total_cents: total,
        })
    }

    #[activity(definition = workflows::refund::RequestRefund)]
    pub async fn request_refund(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: RefundRequest,
    ) -> Result<RefundAnswer, ActivityError> {
        let answer = self
            .client()?
            .refund(
                &req.out_trade_no,
                &req.out_refund_no,
                req.amount_cents,
                req.total_cents,
                &req.reason,
            )
            .await;
        match answer {
            Ok(r) => {
                sqlx::query(
                    "UPDATE payment_refund SET state = 'processing', refund_id = ?
                      WHERE out_refund_no = ? AND state = 'reserved'",
                )
                .bind(&r.refund_id)
                .bind(req.out_refund_no.as_str())
                .execute(&self.pool)
                .await?;
                Ok(RefundAnswer::Accepted {
                    status: r.status,
                    refund_id: r.refund_id,
                })
            }
            Err(PayError::Api {
                status,
                code,
                message,
            }) if !code.is_empty() && {
                let e = PayError::Api {
                    status,
                    code: code.clone(),
                    message: String::new(),
                };
                !e.is_transient()
            } =>
            {
                warn!(out_refund_no = %req.out_refund_no, %code, %message, "refund refused");
                Ok(RefundAnswer::Refused { code, message })
            }
            Err(e) => Err(wechat_failure(e)),
        }
    }

    #[activity(definition = workflows::refund::QueryRefund)]
    pub async fn query_refund(
        self: Arc<Self>,
        _ctx: ActivityContext,
        no: OutRefundNo,
    ) -> Result<RefundAnswer, ActivityError> {
        match self.client()?.query_refund(&no).await {
            Ok(r) => Ok(RefundAnswer::Accepted {
                status: r.status,
                refund_id: r.refund_id,
            }),
            Err(e) => Err(wechat_failure(e)),
        }
    }

    #[activity(definition = workflows::refund::FinishRefundStep)]
    pub async fn finish_refund(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: FinishRefund,
    ) -> Result<(), ActivityError> {
        let no = req.out_refund_no.as_str();
        let mut tx = self.pool.begin().await?;
        let Some(refund) = db::refund(&mut tx, no, true).await? else {
            return Ok(());
        };
        if matches!(refund.state.as_str(), "success" | "closed" | "refused") {
            return Ok(()); // recorded already
        }
        let state = match req.state {
            RefundState::Success => "success",
            RefundState::Closed => "closed",
            RefundState::Abnormal => "abnormal",
            RefundState::Refused => "refused",
            other => {
                return Err(ApplicationFailure::non_retryable(anyhow::anyhow!(
                    "not a final refund state: {other:?}"
                ))
                .into());
            }
        };
        if refund.state == state {
            return Ok(());
        }
        sqlx::query(
            "UPDATE payment_refund SET state = ?, refund_id = COALESCE(?, refund_id), detail = ?, finished_at = ?
              WHERE out_refund_no = ?",
        )
        .bind(state)
        .bind(&req.refund_id)
        .bind(&req.detail)
        .bind(now_millis())
        .bind(no)
        .execute(&mut *tx)
        .await?;
        if state == "success" {
            sqlx::query(
                "UPDATE payment SET refunded_cents = refunded_cents + ? WHERE out_trade_no = ?",
            )
            .bind(refund.amount_cents)
            .bind(&refund.out_trade_no)
            .execute(&mut *tx)
            .await?;
        }
        if state == "abnormal" {
            db::anomaly(
                &mut tx,
                &refund.out_trade_no,
                "refund_abnormal",
                serde_json::json!({"out_refund_no": no, "refund_id": req.refund_id}),
            )
            .await?;
        }
        if refund.reason == "camp_deposit" {
            let (enrolment_id,): (i64,) =
                sqlx::query_as("SELECT purpose_id FROM payment WHERE out_trade_no = ?")
                    .bind(&refund.out_trade_no)
                    .fetch_one(&mut *tx)
                    .await?;
            seat::refund_state(&mut tx, enrolment_id, state).await?;
        }
        tx.commit().await?;
        info!(out_refund_no = no, state, "refund finished");
        Ok(())
    }
}
