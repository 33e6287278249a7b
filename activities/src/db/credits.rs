//! Minute credits and their ledger (M4–M7). Every change writes a ledger row keyed for
//! idempotency, so `created − used + restored − expired − revoked ± adjusted = balance` holds.

use crate::error::{Failure, Result, inserted_id, u32_of};
use chrono::{DateTime, Utc};
use sqlx::MySqlConnection;
use workflows::makeup::LedgerKind;
use workflows::rules::makeup::Credit;

pub struct LedgerRow {
    pub profile_id: i64,
    pub credit_id: i64,
    pub kind: LedgerKind,
    pub minutes: u32,
    pub makeup_booking_id: Option<i64>,
    pub key: String,
    pub at: DateTime<Utc>,
}

pub async fn ledger(conn: &mut MySqlConnection, row: LedgerRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO compensation_ledger (profile_id, compensation_id, kind, minutes, makeup_booking_id, idempotency_key, at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id",
    )
    .bind(row.profile_id)
    .bind(row.credit_id)
    .bind(row.kind.as_str())
    .bind(row.minutes)
    .bind(row.makeup_booking_id)
    .bind(row.key)
    .bind(row.at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A credit's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditStatus {
    Available,
    Used,
    Expired,
    Revoked,
}

impl CreditStatus {
    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "available" => Self::Available,
            "used" => Self::Used,
            "expired" => Self::Expired,
            "revoked" => Self::Revoked,
            other => return Err(Failure::Data(format!("credit status {other:?}"))),
        })
    }
}

#[derive(Debug, Clone)]
pub struct CreditRow {
    pub id: i64,
    pub profile_id: i64,
    pub remaining_minutes: u32,
    pub status: CreditStatus,
    pub expiry_time: DateTime<Utc>,
    pub created_time: DateTime<Utc>,
}

impl CreditRow {
    /// As the spend rule sees it.
    pub fn as_credit(&self) -> Credit {
        Credit {
            id: self.id,
            remaining: self.remaining_minutes,
            expires: self.expiry_time.timestamp_millis(),
        }
    }
}

type RawCredit = (i64, i64, i32, String, DateTime<Utc>, DateTime<Utc>);

fn credit(raw: RawCredit) -> Result<CreditRow> {
    let (id, profile_id, remaining, status, expiry_time, created_time) = raw;
    Ok(CreditRow {
        id,
        profile_id,
        remaining_minutes: u32_of("remaining_minutes", remaining)?,
        status: CreditStatus::parse(&status)?,
        expiry_time,
        created_time,
    })
}

const CREDIT_COLUMNS: &str =
    "id, profile_id, remaining_minutes, CAST(status AS CHAR), expiry_time, created_time";

/// Spendable credits of a child, locked, earliest expiry first.
pub async fn spendable(
    conn: &mut MySqlConnection,
    profile_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<CreditRow>> {
    let rows: Vec<RawCredit> = sqlx::query_as(&format!(
        "SELECT {CREDIT_COLUMNS} FROM class_credit_compensation
          WHERE profile_id = ? AND status = 'available' AND remaining_minutes > 0 AND expiry_time > ?
          ORDER BY expiry_time, id FOR UPDATE"
    ))
    .bind(profile_id)
    .bind(now)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(credit).collect()
}

pub async fn lock(conn: &mut MySqlConnection, id: i64) -> Result<Option<CreditRow>> {
    let row: Option<RawCredit> = sqlx::query_as(&format!(
        "SELECT {CREDIT_COLUMNS} FROM class_credit_compensation WHERE id = ? FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(credit).transpose()
}

/// The credit a makeup created, locked.
pub async fn lock_created_by(
    conn: &mut MySqlConnection,
    makeup_booking_id: i64,
) -> Result<Option<CreditRow>> {
    let row: Option<RawCredit> = sqlx::query_as(&format!(
        "SELECT {CREDIT_COLUMNS} FROM class_credit_compensation WHERE makeup_booking_id = ? FOR UPDATE"
    ))
    .bind(makeup_booking_id)
    .fetch_optional(conn)
    .await?;
    row.map(credit).transpose()
}

/// Minutes a child can spend now.
pub async fn balance(
    conn: &mut MySqlConnection,
    profile_id: i64,
    now: DateTime<Utc>,
) -> Result<u32> {
    let (n,): (Option<i64>,) = sqlx::query_as(
        "SELECT CAST(SUM(remaining_minutes) AS SIGNED) FROM class_credit_compensation
          WHERE profile_id = ? AND status = 'available' AND expiry_time > ?",
    )
    .bind(profile_id)
    .bind(now)
    .fetch_one(conn)
    .await?;
    u32_of("balance", n.unwrap_or(0))
}

pub struct NewCredit {
    pub profile_id: i64,
    pub original_booking_id: i64,
    pub makeup_booking_id: i64,
    pub minutes: u32,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
}

/// M4: a credit row, its workflow id and its `created` ledger row.
pub async fn create(
    conn: &mut MySqlConnection,
    c: &NewCredit,
    ids: &workflows::ids::WorkflowIds,
) -> Result<i64> {
    let credit_id = inserted_id(
        &sqlx::query(
            "INSERT INTO class_credit_compensation (profile_id, original_booking_id, makeup_booking_id, compensation_minutes,
                                                    remaining_minutes, status, created_time, expiry_time)
             VALUES (?, ?, ?, ?, ?, 'available', ?, ?)",
        )
        .bind(c.profile_id)
        .bind(c.original_booking_id)
        .bind(c.makeup_booking_id)
        .bind(c.minutes)
        .bind(c.minutes)
        .bind(c.created)
        .bind(c.expires)
        .execute(&mut *conn)
        .await?,
    )?;
    sqlx::query("UPDATE class_credit_compensation SET workflow_id = ? WHERE id = ?")
        .bind(ids.credit(credit_id))
        .bind(credit_id)
        .execute(&mut *conn)
        .await?;
    ledger(
        conn,
        LedgerRow {
            profile_id: c.profile_id,
            credit_id,
            kind: LedgerKind::Created,
            minutes: c.minutes,
            makeup_booking_id: Some(c.makeup_booking_id),
            key: format!("created/{credit_id}"),
            at: c.created,
        },
    )
    .await?;
    Ok(credit_id)
}

/// Sets what is left on a credit (and `used` once nothing is).
pub async fn set_remaining(
    conn: &mut MySqlConnection,
    id: i64,
    left: u32,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE class_credit_compensation SET remaining_minutes = ?, status = IF(? = 0, 'used', 'available'),
                used_time = ? WHERE id = ?",
    )
    .bind(left)
    .bind(left)
    .bind(at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends a credit with nothing left: `expired` or `revoked` (M5, M6).
pub async fn close(conn: &mut MySqlConnection, id: i64, status: CreditStatus) -> Result<()> {
    let status = match status {
        CreditStatus::Expired => "expired",
        CreditStatus::Revoked => "revoked",
        other => return Err(Failure::Data(format!("closing a credit as {other:?}"))),
    };
    sqlx::query(
        "UPDATE class_credit_compensation SET remaining_minutes = 0, status = ? WHERE id = ?",
    )
    .bind(status)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives minutes back to an available credit.
pub async fn add_back(conn: &mut MySqlConnection, id: i64, minutes: u32) -> Result<()> {
    sqlx::query(
        "UPDATE class_credit_compensation SET remaining_minutes = remaining_minutes + ?, status = 'available' WHERE id = ?",
    )
    .bind(minutes)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// One use of a credit by a makeup (`compensation_usage`).
pub async fn record_usage(
    conn: &mut MySqlConnection,
    credit_id: i64,
    makeup_booking_id: i64,
    booking_id: i64,
    used: u32,
    left: u32,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO compensation_usage (compensation_id, makeup_booking_id, booking_id, used_minutes, remaining_minutes,
                                         usage_type, usage_time) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(credit_id)
    .bind(makeup_booking_id)
    .bind(booking_id)
    .bind(used)
    .bind(left)
    .bind(if left == 0 { "full_use" } else { "partial_use" })
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Uses of credits by a makeup not yet given back, locked: (usage id, credit id, minutes).
pub async fn unrestored_usages(
    conn: &mut MySqlConnection,
    makeup_booking_id: i64,
) -> Result<Vec<(i64, i64, u32)>> {
    let rows: Vec<(i64, i64, i32)> = sqlx::query_as(
        "SELECT id, compensation_id, used_minutes FROM compensation_usage
          WHERE makeup_booking_id = ? AND restored_at IS NULL FOR UPDATE",
    )
    .bind(makeup_booking_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(u, c, m)| Ok((u, c, u32_of("used_minutes", m)?)))
        .collect()
}

pub async fn mark_restored(
    conn: &mut MySqlConnection,
    usage_id: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("UPDATE compensation_usage SET restored_at = ? WHERE id = ?")
        .bind(at)
        .bind(usage_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Minutes used by a makeup (all uses).
pub async fn used_by(conn: &mut MySqlConnection, makeup_booking_id: i64) -> Result<u32> {
    let (n,): (Option<i64>,) = sqlx::query_as(
        "SELECT CAST(SUM(used_minutes) AS SIGNED) FROM compensation_usage WHERE makeup_booking_id = ?",
    )
    .bind(makeup_booking_id)
    .fetch_one(conn)
    .await?;
    u32_of("used minutes", n.unwrap_or(0))
}
