//! The camp seat as a payment purpose: reserve (no oversell, one enrolment per member and
//! camp), confirm when paid, release when unpaid — each inside the payment core's
//! transaction.

use crate::db::notifications::{NewNotification, insert_once};
use chrono::{DateTime, Utc};
use sqlx::MySqlConnection;
use workflows::payment::Refusal;
use workflows::rules::camp::{CampTiming, EnrolmentIdentity};
use workflows::rules::payment::OutTradeNo;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampRow {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub starts_at: DateTime<Utc>,
    pub days: i32,
    pub day_seconds: i32,
    pub sync_offset_seconds: i32,
    pub reminder_offset_seconds: i32,
    pub settle_offset_seconds: i32,
    pub deposit_cents: i64,
    pub capacity: i32,
    pub required_days: i32,
    pub community_project_id: String,
}

impl CampRow {
    pub fn timing(&self) -> CampTiming {
        let u = |v: i32| u32::try_from(v).unwrap_or(0);
        CampTiming {
            starts_at: self.starts_at,
            days: u(self.days),
            day_seconds: u(self.day_seconds),
            sync_offset_seconds: u(self.sync_offset_seconds),
            reminder_offset_seconds: u(self.reminder_offset_seconds),
            settle_offset_seconds: u(self.settle_offset_seconds),
        }
    }
}

pub async fn camp(
    conn: &mut MySqlConnection,
    camp_id: i64,
    lock: bool,
) -> Result<Option<CampRow>, sqlx::Error> {
    let sql = format!(
        "SELECT id, name, CAST(status AS CHAR) AS status, starts_at, days, day_seconds,
                sync_offset_seconds, reminder_offset_seconds, settle_offset_seconds,
                deposit_cents, capacity, required_days, community_project_id
           FROM camp WHERE id = ?{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    sqlx::query_as(&sql)
        .bind(camp_id)
        .fetch_optional(conn)
        .await
}

#[derive(Debug, sqlx::FromRow)]
struct EnrolmentRow {
    id: i64,
    status: String,
    attempt: i32,
}

/// What a reserved seat costs and says.
pub struct Seat {
    pub enrolment_id: i64,
    pub amount_cents: u64,
    pub description: String,
}

/// Reserves a seat for `user_id` under the camp's row lock: the camp must be published and
/// still open for enrolment, the member must hold no seat already, and a seat must be free.
/// `out_trade_no` must be this member's next attempt (the API derives it the same way).
pub async fn reserve(
    conn: &mut MySqlConnection,
    camp_id: i64,
    user_id: i64,
    identity: &EnrolmentIdentity,
    out_trade_no: &OutTradeNo,
    now: DateTime<Utc>,
) -> Result<Result<Seat, Refusal>, sqlx::Error> {
    let Some(camp) = camp(&mut *conn, camp_id, true).await? else {
        return Ok(Err(Refusal::NotOpen));
    };
    if camp.status != "published" || !workflows::rules::camp::enrolment_open(&camp.timing(), now) {
        return Ok(Err(Refusal::NotOpen));
    }
    let existing: Option<EnrolmentRow> = sqlx::query_as(
        "SELECT id, CAST(status AS CHAR) AS status, attempt FROM camp_enrolment
          WHERE camp_id = ? AND user_id = ? FOR UPDATE",
    )
    .bind(camp_id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let attempt = match &existing {
        Some(e) if e.status != "released" => return Ok(Err(Refusal::AlreadyEnrolled)),
        Some(e) => u32::try_from(e.attempt).unwrap_or(0) + 1,
        None => 1,
    };
    if *out_trade_no != OutTradeNo::for_camp(camp_id, user_id, attempt) {
        // A stale attempt (another request moved on): not this one's to take.
        return Ok(Err(Refusal::AlreadyEnrolled));
    }
    // A locking read: it sees every seat committed before the camp lock was ours. A plain
    // read would use the transaction's snapshot, taken at its first read (before the lock),
    // and miss seats other transactions committed meanwhile: an oversell under load.
    let (held,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM camp_enrolment
          WHERE camp_id = ? AND status IN ('reserved', 'paid', 'anomaly') FOR UPDATE",
    )
    .bind(camp_id)
    .fetch_one(&mut *conn)
    .await?;
    if held >= i64::from(camp.capacity) {
        return Ok(Err(Refusal::Full));
    }
    let enrolment_id = match existing {
        Some(e) => {
            sqlx::query(
                "UPDATE camp_enrolment SET status = 'reserved', attempt = ?, out_trade_no = ?,
                        community_user_id = ?, community_nickname = ?, wechat_nickname = ?
                  WHERE id = ?",
            )
            .bind(attempt)
            .bind(out_trade_no.as_str())
            .bind(&identity.community_user_id)
            .bind(&identity.community_nickname)
            .bind(&identity.wechat_nickname)
            .bind(e.id)
            .execute(&mut *conn)
            .await?;
            e.id
        }
        None => sqlx::query(
            "INSERT INTO camp_enrolment (camp_id, user_id, status, attempt, out_trade_no,
                                         community_user_id, community_nickname, wechat_nickname)
             VALUES (?, ?, 'reserved', ?, ?, ?, ?, ?)",
        )
        .bind(camp_id)
        .bind(user_id)
        .bind(attempt)
        .bind(out_trade_no.as_str())
        .bind(&identity.community_user_id)
        .bind(&identity.community_nickname)
        .bind(&identity.wechat_nickname)
        .execute(&mut *conn)
        .await?
        .last_insert_id() as i64,
    };
    Ok(Ok(Seat {
        enrolment_id,
        amount_cents: u64::try_from(camp.deposit_cents).unwrap_or(0),
        description: truncate(&format!("训练营押金-{}", camp.name), 120),
    }))
}

fn truncate(s: &str, max_bytes: usize) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if out.len() + c.len_utf8() > max_bytes {
            break;
        }
        out.push(c);
    }
    out
}

async fn camp_of_enrolment(
    conn: &mut MySqlConnection,
    enrolment_id: i64,
) -> Result<(i64, String, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.name, e.user_id FROM camp_enrolment e JOIN camp c ON c.id = e.camp_id
          WHERE e.id = ?",
    )
    .bind(enrolment_id)
    .fetch_one(conn)
    .await
}

/// Paid: the seat is the member's (the group QR code shows from now on).
pub async fn confirm(
    conn: &mut MySqlConnection,
    enrolment_id: i64,
    out_trade_no: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE camp_enrolment SET status = 'paid', paid_at = ?
          WHERE id = ? AND out_trade_no = ? AND status IN ('reserved', 'anomaly')",
    )
    .bind(now)
    .bind(enrolment_id)
    .bind(out_trade_no)
    .execute(&mut *conn)
    .await?;
    let (camp_id, name, user_id) = camp_of_enrolment(&mut *conn, enrolment_id).await?;
    tell(
        conn,
        user_id,
        "camp_enrolled",
        "报名成功",
        format!("「{name}」押金已支付，请扫码加入训练营群。"),
        serde_json::json!({"camp_id": camp_id, "enrolment_id": enrolment_id, "page": format!("pages/camp/progress?id={camp_id}")}),
        format!("camp_enrolled/{out_trade_no}"),
    )
    .await
}

/// Paid, but not as asked: the seat stays held while ops look.
pub async fn hold_for_ops(
    conn: &mut MySqlConnection,
    enrolment_id: i64,
    out_trade_no: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE camp_enrolment SET status = 'anomaly' WHERE id = ? AND out_trade_no = ? AND status = 'reserved'",
    )
    .bind(enrolment_id)
    .bind(out_trade_no)
    .execute(conn)
    .await?;
    Ok(())
}

/// Unpaid: the seat goes back.
pub async fn release(
    conn: &mut MySqlConnection,
    enrolment_id: i64,
    out_trade_no: &str,
) -> Result<(), sqlx::Error> {
    let released = sqlx::query(
        "UPDATE camp_enrolment SET status = 'released'
          WHERE id = ? AND out_trade_no = ? AND status = 'reserved'",
    )
    .bind(enrolment_id)
    .bind(out_trade_no)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if released == 1 {
        let (camp_id, name, user_id) = camp_of_enrolment(&mut *conn, enrolment_id).await?;
        tell(
            conn,
            user_id,
            "camp_payment_closed",
            "支付已超时",
            format!("「{name}」的押金未在时限内支付，名额已释放，可重新报名。"),
            serde_json::json!({"camp_id": camp_id, "page": format!("pages/camp/detail?id={camp_id}")}),
            format!("camp_payment_closed/{out_trade_no}"),
        )
        .await?;
    }
    Ok(())
}

/// The deposit refund's state, as the member sees it.
pub async fn refund_state(
    conn: &mut MySqlConnection,
    enrolment_id: i64,
    state: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE camp_enrolment SET refund_state = ? WHERE id = ?")
        .bind(state)
        .bind(enrolment_id)
        .execute(&mut *conn)
        .await?;
    let (camp_id, name, user_id) = camp_of_enrolment(&mut *conn, enrolment_id).await?;
    let body = match state {
        "success" => format!("「{name}」的押金已原路退回。"),
        "abnormal" => format!("「{name}」的押金退款异常（如银行卡已注销），工作人员会联系您处理。"),
        "closed" | "refused" => format!("「{name}」的押金退款未成功，工作人员会重新处理。"),
        _ => return Ok(()),
    };
    tell(
        conn,
        user_id,
        "camp_refund",
        "押金退款进度",
        body,
        serde_json::json!({"camp_id": camp_id, "state": state, "page": format!("pages/camp/progress?id={camp_id}")}),
        format!("camp_refund/{enrolment_id}/{state}"),
    )
    .await
}

/// An in-app message (the notification centre every member has).
pub async fn tell(
    conn: &mut MySqlConnection,
    user_id: i64,
    kind: &'static str,
    title: &str,
    body: String,
    data: serde_json::Value,
    dedupe_key: String,
) -> Result<(), sqlx::Error> {
    insert_once(
        conn,
        &NewNotification {
            user_id,
            profile_id: None,
            kind,
            title: title.to_string(),
            body,
            data,
            dedupe_key,
            wechat: None,
        },
    )
    .await?;
    Ok(())
}
