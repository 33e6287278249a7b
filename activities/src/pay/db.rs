//! The payment core's rows: `payment`, `payment_refund`, `payment_anomaly`.

use chrono::{DateTime, Utc};
use sqlx::MySqlConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaymentRow {
    pub out_trade_no: String,
    pub purpose: String,
    pub purpose_id: i64,
    pub user_id: i64,
    pub openid: String,
    pub description: String,
    pub amount_cents: i64,
    pub state: String,
    pub prepay_id: Option<String>,
    pub transaction_id: Option<String>,
    pub paid_cents: i64,
    pub refunded_cents: i64,
    pub expires_at: DateTime<Utc>,
}

const PAYMENT_COLUMNS: &str = "out_trade_no, purpose, purpose_id, user_id, openid, description, amount_cents,
     CAST(state AS CHAR) AS state, prepay_id, transaction_id, paid_cents, refunded_cents, expires_at";

pub async fn payment(
    conn: &mut MySqlConnection,
    out_trade_no: &str,
    lock: bool,
) -> Result<Option<PaymentRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {PAYMENT_COLUMNS} FROM payment WHERE out_trade_no = ?{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    sqlx::query_as(&sql)
        .bind(out_trade_no)
        .fetch_optional(conn)
        .await
}

pub struct NewPayment<'a> {
    pub out_trade_no: &'a str,
    pub workflow_id: &'a str,
    pub purpose: &'static str,
    pub purpose_id: i64,
    pub user_id: i64,
    pub openid: &'a str,
    pub description: &'a str,
    pub amount_cents: u64,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert_payment(
    conn: &mut MySqlConnection,
    p: &NewPayment<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO payment (out_trade_no, workflow_id, purpose, purpose_id, user_id, openid,
                              description, amount_cents, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(p.out_trade_no)
    .bind(p.workflow_id)
    .bind(p.purpose)
    .bind(p.purpose_id)
    .bind(p.user_id)
    .bind(p.openid)
    .bind(p.description)
    .bind(p.amount_cents as i64)
    .bind(p.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records an anomaly once per (order, kind).
pub async fn anomaly(
    conn: &mut MySqlConnection,
    out_trade_no: &str,
    kind: &str,
    detail: serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO payment_anomaly (out_trade_no, kind, detail) VALUES (?, ?, ?)
         ON DUPLICATE KEY UPDATE id = id",
    )
    .bind(out_trade_no)
    .bind(kind)
    .bind(detail.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RefundRow {
    pub out_refund_no: String,
    pub out_trade_no: String,
    pub amount_cents: i64,
    pub reason: String,
    pub state: String,
}

pub async fn refund(
    conn: &mut MySqlConnection,
    out_refund_no: &str,
    lock: bool,
) -> Result<Option<RefundRow>, sqlx::Error> {
    let sql = format!(
        "SELECT out_refund_no, out_trade_no, amount_cents, reason, CAST(state AS CHAR) AS state
           FROM payment_refund WHERE out_refund_no = ?{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    sqlx::query_as(&sql)
        .bind(out_refund_no)
        .fetch_optional(conn)
        .await
}

/// Refunds of the order not yet final one way or the other (money on its way back, or
/// abnormal and waiting for ops). A locking read, so it sees every refund committed before the
/// payment's row lock was taken (not the transaction's older snapshot).
pub async fn in_flight_cents(
    conn: &mut MySqlConnection,
    out_trade_no: &str,
) -> Result<i64, sqlx::Error> {
    let (sum,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS SIGNED) FROM payment_refund
          WHERE out_trade_no = ? AND state IN ('reserved', 'processing', 'abnormal') FOR UPDATE",
    )
    .bind(out_trade_no)
    .fetch_one(conn)
    .await?;
    Ok(sum)
}
