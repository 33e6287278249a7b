//! Activities of makeup bookings and minute credits (M3–M7).

use crate::db::credits::{self, LedgerRow};
use crate::db::{now_millis, offers};
use chrono::{DateTime, Duration, Utc};
use sqlx::{MySqlConnection, MySqlPool};
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use tracing::info;
use workflows::activities::BookMakeup;
use workflows::makeup::{
    BookingOutcome, CreditTiming, MakeupBooked, MakeupRefusal, MakeupRequest, Unbooked,
    credit_workflow_id,
};
use workflows::rules::makeup::{CompletionType, Credit, duration_difference, spend_plan};

pub struct MakeupActivities {
    pool: MySqlPool,
}

impl MakeupActivities {
    pub fn new(pool: MySqlPool) -> Self {
        Self { pool }
    }
}

#[derive(Debug, sqlx::FromRow)]
struct Pending {
    profile_id: i64,
    original_booking_id: i64,
    course_type: String,
    level: i8,
    duration_minutes: i32,
    status: String,
}

#[derive(Debug, sqlx::FromRow)]
struct Target {
    course_id: i64,
    course_type: String,
    level: i8,
    duration_minutes: i32,
}

#[derive(Debug, sqlx::FromRow)]
struct MakeupRow {
    id: i64,
    booking_id: Option<i64>,
    profile_id: i64,
    pending_makeup_id: i64,
    status: String,
    duration_difference: i32,
    completion_type: String,
}

fn completion(code: &str) -> CompletionType {
    match code {
        "partial" => CompletionType::Partial,
        "extra" => CompletionType::Extra,
        _ => CompletionType::Full,
    }
}

fn refused(r: MakeupRefusal) -> BookingOutcome {
    BookingOutcome::Refused(r)
}

/// True when another seat of the child overlaps `[start, end)`.
async fn clashes(
    conn: &mut MySqlConnection,
    profile_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let others: Vec<(DateTime<Utc>, i32)> = sqlx::query_as(
        "SELECT s.starts_at, c.duration_minutes FROM booking b
           JOIN class_session s ON s.course_schedule_id = b.course_schedule_id AND s.booking_date = b.booking_date
           JOIN course_schedule cs ON cs.id = b.course_schedule_id JOIN course c ON c.id = cs.course_id
          WHERE b.profile_id = ? AND b.status = 'booked' AND s.starts_at BETWEEN ? AND ?",
    )
    .bind(profile_id)
    .bind(start - Duration::hours(12))
    .bind(end)
    .fetch_all(conn)
    .await?;
    Ok(others
        .into_iter()
        .any(|(s, minutes)| s < end && start < s + Duration::minutes(i64::from(minutes))))
}

/// The outcome of a booking this workflow already made (a retry after commit).
async fn recorded(
    conn: &mut MySqlConnection,
    workflow_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<BookingOutcome>, sqlx::Error> {
    let row: Option<MakeupRow> = sqlx::query_as(
        "SELECT id, booking_id, profile_id, pending_makeup_id, CAST(status AS CHAR) AS status, duration_difference,
                CAST(completion_type AS CHAR) AS completion_type
           FROM makeup_booking WHERE workflow_id = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(workflow_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(mb) = row.filter(|m| m.status == "confirmed") else {
        return Ok(None);
    };
    let created: Option<(i64, i32, DateTime<Utc>)> =
        sqlx::query_as("SELECT id, compensation_minutes, expiry_time FROM class_credit_compensation WHERE makeup_booking_id = ?")
            .bind(mb.id)
            .fetch_optional(&mut *conn)
            .await?;
    let (used,): (Option<i64>,) = sqlx::query_as(
        "SELECT CAST(SUM(used_minutes) AS SIGNED) FROM compensation_usage WHERE makeup_booking_id = ?",
    )
    .bind(mb.id)
    .fetch_one(&mut *conn)
    .await?;
    let remaining = credits::balance(conn, mb.profile_id, now).await?;
    Ok(Some(BookingOutcome::Booked(MakeupBooked {
        makeup_booking_id: mb.id,
        booking_id: mb.booking_id.unwrap_or_default(),
        profile_id: mb.profile_id,
        duration_difference: i64::from(mb.duration_difference),
        completion_type: completion(&mb.completion_type),
        compensation_created: created.map_or(0, |c| u32::try_from(c.1).unwrap_or(0)),
        compensation_used: u32::try_from(used.unwrap_or(0)).unwrap_or(0),
        remaining_compensation: remaining,
        created_credit: None, // its workflow was started on the first attempt's path
    })))
}

/// What a makeup record is made of.
struct NewMakeup<'a> {
    pending_id: i64,
    pending: &'a Pending,
    booking_id: i64,
    course_id: i64,
    session: workflows::SessionKey,
    original: u32,
    makeup: u32,
    difference: i64,
    kind: CompletionType,
    workflow_id: &'a str,
}

/// The `makeup_booking` row (confirmed) and the pending makeup marked booked.
async fn record_makeup(tx: &mut MySqlConnection, m: &NewMakeup<'_>) -> Result<i64, sqlx::Error> {
    let id = sqlx::query(
        "INSERT INTO makeup_booking (pending_makeup_id, original_booking_id, booking_id, profile_id, makeup_class_id,
                                     makeup_schedule_id, makeup_date, status, original_duration, makeup_duration,
                                     duration_difference, completion_type, workflow_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'confirmed', ?, ?, ?, ?, ?)",
    )
    .bind(m.pending_id)
    .bind(m.pending.original_booking_id)
    .bind(m.booking_id)
    .bind(m.pending.profile_id)
    .bind(m.course_id)
    .bind(m.session.course_schedule_id)
    .bind(m.session.booking_date)
    .bind(m.original)
    .bind(m.makeup)
    .bind(m.difference)
    .bind(m.kind.as_str())
    .bind(m.workflow_id)
    .execute(&mut *tx)
    .await?
    .last_insert_id();
    sqlx::query("UPDATE pending_makeup SET status = 'booked' WHERE id = ?")
        .bind(m.pending_id)
        .execute(&mut *tx)
        .await?;
    Ok(i64::try_from(id).unwrap_or(i64::MAX))
}

/// M4: a credit of `minutes` for a shorter makeup, with its ledger row; its timing for the
/// credit workflow.
async fn create_credit(
    tx: &mut MySqlConnection,
    pending: &Pending,
    makeup_booking_id: i64,
    minutes: u32,
    settings: &workflows::settings::ClassSettings,
    now: DateTime<Utc>,
) -> Result<CreditTiming, sqlx::Error> {
    let expires_at = now + Duration::seconds(i64::from(settings.compensation_valid_seconds));
    let credit_id = i64::try_from(
        sqlx::query(
            "INSERT INTO class_credit_compensation (profile_id, original_booking_id, makeup_booking_id, compensation_minutes,
                                                    remaining_minutes, status, created_time, expiry_time)
             VALUES (?, ?, ?, ?, ?, 'available', ?, ?)",
        )
        .bind(pending.profile_id)
        .bind(pending.original_booking_id)
        .bind(makeup_booking_id)
        .bind(minutes)
        .bind(minutes)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?
        .last_insert_id(),
    )
    .unwrap_or(i64::MAX);
    sqlx::query("UPDATE class_credit_compensation SET workflow_id = ? WHERE id = ?")
        .bind(credit_workflow_id(credit_id))
        .bind(credit_id)
        .execute(&mut *tx)
        .await?;
    credits::ledger(
        tx,
        LedgerRow {
            profile_id: pending.profile_id,
            credit_id,
            kind: "created",
            minutes,
            makeup_booking_id: Some(makeup_booking_id),
            key: format!("created/{credit_id}"),
            at: now,
        },
    )
    .await?;
    let remind_at = (expires_at
        - Duration::seconds(i64::from(settings.compensation_reminder_seconds)))
    .max(now);
    Ok(CreditTiming {
        credit_id,
        profile_id: pending.profile_id,
        expires_at,
        remind_at,
    })
}

#[activities]
impl MakeupActivities {
    #[activity(definition = workflows::activities::BookMakeupSeat)]
    pub async fn book(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: BookMakeup,
    ) -> Result<BookingOutcome, ActivityError> {
        let req: MakeupRequest = input.request;
        let now = now_millis();
        let mut tx = self.pool.begin().await?;
        if let Some(done) = recorded(&mut tx, &input.workflow_id, now).await? {
            return Ok(done);
        }
        let Some(session) = offers::lock_session(&mut tx, req.session).await? else {
            return Ok(refused(MakeupRefusal::NotEligible));
        };
        let pending: Option<Pending> = sqlx::query_as(
            "SELECT profile_id, original_booking_id, course_type, level, duration_minutes, CAST(status AS CHAR) AS status
               FROM pending_makeup WHERE id = ? FOR UPDATE",
        )
        .bind(req.pending_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(pending) = pending.filter(|p| p.status == "open") else {
            return Ok(refused(MakeupRefusal::NotOpen));
        };
        let target: Target = sqlx::query_as(
            "SELECT c.id AS course_id, c.course_type, c.level, c.duration_minutes
               FROM course_schedule cs JOIN course c ON c.id = cs.course_id WHERE cs.id = ?",
        )
        .bind(req.session.course_schedule_id)
        .fetch_one(&mut *tx)
        .await?;
        if target.course_type != pending.course_type || target.level > pending.level {
            return Ok(refused(MakeupRefusal::NotEligible));
        }
        if now >= session.starts_at {
            return Ok(refused(MakeupRefusal::Started));
        }
        let taken = offers::booked_count(&mut tx, req.session).await?
            + offers::reserved_seats(&mut tx, req.session).await?;
        if taken >= session.capacity() {
            return Ok(refused(MakeupRefusal::Full));
        }
        let ends_at = session.starts_at + Duration::minutes(i64::from(target.duration_minutes));
        if clashes(&mut tx, pending.profile_id, session.starts_at, ends_at).await? {
            return Ok(refused(MakeupRefusal::Clash));
        }
        let original = u32::try_from(pending.duration_minutes).unwrap_or(0);
        let makeup = u32::try_from(target.duration_minutes).unwrap_or(0);
        let (d, kind) = duration_difference(original, makeup);
        if d > 0 && !req.accept_shorter {
            return Ok(refused(MakeupRefusal::NeedsAcceptShorter {
                makeup_minutes: makeup,
                missing_minutes: u32::try_from(d).unwrap_or(0),
            }));
        }
        let spend = d < 0 && (req.use_compensation || req.settings.extra_requires_compensation);
        let available = credits::spendable(&mut tx, pending.profile_id, now).await?;
        let plan = if spend {
            let needed = u32::try_from(-d).unwrap_or(0);
            let pool: Vec<Credit> = available
                .iter()
                .map(|c| Credit {
                    id: c.id,
                    remaining: u32::try_from(c.remaining_minutes).unwrap_or(0),
                    expires: c.expiry_time.timestamp_millis(),
                })
                .collect();
            match spend_plan(&pool, needed) {
                Some(plan) => plan,
                None => {
                    let total = pool.iter().map(|c| c.remaining).sum();
                    return Ok(refused(MakeupRefusal::Insufficient {
                        needed,
                        available: total,
                    }));
                }
            }
        } else {
            Vec::new()
        };

        let booking_id = match sqlx::query(
            "INSERT INTO booking (profile_id, course_schedule_id, booking_date, status, source) VALUES (?, ?, ?, 'booked', 'makeup')",
        )
        .bind(pending.profile_id)
        .bind(req.session.course_schedule_id)
        .bind(req.session.booking_date)
        .execute(&mut *tx)
        .await
        {
            Ok(r) => i64::try_from(r.last_insert_id()).unwrap_or(i64::MAX),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(refused(MakeupRefusal::Clash)),
            Err(e) => return Err(e.into()),
        };
        let makeup_booking_id = record_makeup(
            &mut tx,
            &NewMakeup {
                pending_id: req.pending_id,
                pending: &pending,
                booking_id,
                course_id: target.course_id,
                session: req.session,
                original,
                makeup,
                difference: d,
                kind,
                workflow_id: &input.workflow_id,
            },
        )
        .await?;

        let mut used = 0;
        for (credit_id, take) in &plan {
            let credit = available
                .iter()
                .find(|c| c.id == *credit_id)
                .expect("planned from these");
            let left = u32::try_from(credit.remaining_minutes).unwrap_or(0) - take;
            sqlx::query(
                "UPDATE class_credit_compensation SET remaining_minutes = ?, status = IF(? = 0, 'used', 'available'),
                        used_time = ? WHERE id = ?",
            )
            .bind(left)
            .bind(left)
            .bind(now)
            .bind(credit_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO compensation_usage (compensation_id, makeup_booking_id, booking_id, used_minutes, remaining_minutes,
                                                 usage_type, usage_time) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(credit_id)
            .bind(makeup_booking_id)
            .bind(booking_id)
            .bind(take)
            .bind(left)
            .bind(if left == 0 { "full_use" } else { "partial_use" })
            .bind(now)
            .execute(&mut *tx)
            .await?;
            credits::ledger(
                &mut tx,
                LedgerRow {
                    profile_id: pending.profile_id,
                    credit_id: *credit_id,
                    kind: "used",
                    minutes: *take,
                    makeup_booking_id: Some(makeup_booking_id),
                    key: format!("used/{makeup_booking_id}/{credit_id}"),
                    at: now,
                },
            )
            .await?;
            used += take;
        }

        let created = u32::try_from(d.max(0)).unwrap_or(0);
        let created_credit = if created > 0 {
            Some(
                create_credit(
                    &mut tx,
                    &pending,
                    makeup_booking_id,
                    created,
                    &req.settings,
                    now,
                )
                .await?,
            )
        } else {
            None
        };
        let remaining = credits::balance(&mut tx, pending.profile_id, now).await?;
        tx.commit().await?;
        info!(
            makeup_booking_id,
            booking_id, d, created, used, "makeup booked"
        );
        Ok(BookingOutcome::Booked(MakeupBooked {
            makeup_booking_id,
            booking_id,
            profile_id: pending.profile_id,
            duration_difference: d,
            completion_type: kind,
            compensation_created: created,
            compensation_used: used,
            remaining_compensation: remaining,
            created_credit,
        }))
    }

    #[activity(definition = workflows::activities::CancelMakeup)]
    pub async fn cancel(
        self: Arc<Self>,
        _ctx: ActivityContext,
        makeup_booking_id: i64,
    ) -> Result<Unbooked, ActivityError> {
        let now = now_millis();
        let mut tx = self.pool.begin().await?;
        let mb: MakeupRow = sqlx::query_as(
            "SELECT id, booking_id, profile_id, pending_makeup_id, CAST(status AS CHAR) AS status, duration_difference,
                    CAST(completion_type AS CHAR) AS completion_type
               FROM makeup_booking WHERE id = ? FOR UPDATE",
        )
        .bind(makeup_booking_id)
        .fetch_one(&mut *tx)
        .await?;
        let booking_id = mb.booking_id.unwrap_or_default();
        if mb.status == "cancelled" {
            return Ok(Unbooked {
                booking_id,
                restored_minutes: 0,
                revoked_minutes: 0,
                changed: false,
            });
        }
        // Restore every consumed minute, with the credit's original expiry.
        let usages: Vec<(i64, i64, i32)> = sqlx::query_as(
            "SELECT id, compensation_id, used_minutes FROM compensation_usage
              WHERE makeup_booking_id = ? AND restored_at IS NULL FOR UPDATE",
        )
        .bind(makeup_booking_id)
        .fetch_all(&mut *tx)
        .await?;
        let mut restored = 0u32;
        for (usage_id, credit_id, minutes) in usages {
            let minutes = u32::try_from(minutes).unwrap_or(0);
            let credit = credits::lock(&mut tx, credit_id)
                .await?
                .expect("usage points at a credit");
            let key = |kind: &str| format!("{kind}/{makeup_booking_id}/{credit_id}");
            credits::ledger(
                &mut tx,
                LedgerRow {
                    profile_id: credit.profile_id,
                    credit_id,
                    kind: "restored",
                    minutes,
                    makeup_booking_id: Some(makeup_booking_id),
                    key: key("restored"),
                    at: now,
                },
            )
            .await?;
            if credit.expiry_time > now {
                sqlx::query("UPDATE class_credit_compensation SET remaining_minutes = remaining_minutes + ?, status = 'available' WHERE id = ?")
                    .bind(minutes)
                    .bind(credit_id)
                    .execute(&mut *tx)
                    .await?;
            } else {
                // Its expiry has passed meanwhile: the restored minutes expire at once.
                credits::ledger(
                    &mut tx,
                    LedgerRow {
                        profile_id: credit.profile_id,
                        credit_id,
                        kind: "expired",
                        minutes,
                        makeup_booking_id: Some(makeup_booking_id),
                        key: key("expired-on-restore"),
                        at: now,
                    },
                )
                .await?;
            }
            sqlx::query("UPDATE compensation_usage SET restored_at = ? WHERE id = ?")
                .bind(now)
                .bind(usage_id)
                .execute(&mut *tx)
                .await?;
            restored += minutes;
        }
        // Revoke what this booking created and nobody used.
        let created: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM class_credit_compensation WHERE makeup_booking_id = ?")
                .bind(makeup_booking_id)
                .fetch_optional(&mut *tx)
                .await?;
        let mut revoked = 0u32;
        if let Some((credit_id,)) = created {
            let credit = credits::lock(&mut tx, credit_id)
                .await?
                .expect("just found");
            let left = u32::try_from(credit.remaining_minutes).unwrap_or(0);
            if credit.status == "available" && left > 0 {
                credits::ledger(
                    &mut tx,
                    LedgerRow {
                        profile_id: credit.profile_id,
                        credit_id,
                        kind: "revoked",
                        minutes: left,
                        makeup_booking_id: Some(makeup_booking_id),
                        key: format!("revoked/{credit_id}"),
                        at: now,
                    },
                )
                .await?;
                sqlx::query("UPDATE class_credit_compensation SET remaining_minutes = 0, status = 'revoked' WHERE id = ?")
                    .bind(credit_id)
                    .execute(&mut *tx)
                    .await?;
                revoked = left;
            }
        }
        sqlx::query("UPDATE makeup_booking SET status = 'cancelled' WHERE id = ?")
            .bind(makeup_booking_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE pending_makeup SET status = 'open' WHERE id = ?")
            .bind(mb.pending_makeup_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        info!(makeup_booking_id, restored, revoked, "makeup cancelled");
        Ok(Unbooked {
            booking_id,
            restored_minutes: restored,
            revoked_minutes: revoked,
            changed: true,
        })
    }

    #[activity(definition = workflows::activities::CompleteMakeup)]
    pub async fn complete(
        self: Arc<Self>,
        _ctx: ActivityContext,
        makeup_booking_id: i64,
    ) -> Result<String, ActivityError> {
        sqlx::query(
            "UPDATE makeup_booking mb JOIN booking b ON b.id = mb.booking_id
                SET mb.status = IF(b.status = 'no_show', 'no_show', 'completed')
              WHERE mb.id = ? AND mb.status = 'confirmed'",
        )
        .bind(makeup_booking_id)
        .execute(&self.pool)
        .await?;
        let (status,): (String,) =
            sqlx::query_as("SELECT CAST(status AS CHAR) FROM makeup_booking WHERE id = ?")
                .bind(makeup_booking_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(status)
    }
}

/// M3: the seat a waitlist entry won was waited for from a pending makeup, so it is booked as
/// that makeup: the makeup record, the pending makeup booked, and a credit for a shorter
/// class. Runs inside the claim's transaction; `None` when the pending makeup is no longer
/// open (the seat then stays an ordinary booking).
pub(crate) async fn adopt_won_seat(
    tx: &mut MySqlConnection,
    pending_id: i64,
    booking_id: i64,
    session: workflows::SessionKey,
    settings: &workflows::settings::ClassSettings,
    now: DateTime<Utc>,
) -> Result<Option<workflows::activities::AdoptedMakeup>, sqlx::Error> {
    let pending: Option<Pending> = sqlx::query_as(
        "SELECT profile_id, original_booking_id, course_type, level, duration_minutes, CAST(status AS CHAR) AS status
           FROM pending_makeup WHERE id = ? FOR UPDATE",
    )
    .bind(pending_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(pending) = pending.filter(|p| p.status == "open") else {
        return Ok(None);
    };
    let target: Target = sqlx::query_as(
        "SELECT c.id AS course_id, c.course_type, c.level, c.duration_minutes
           FROM course_schedule cs JOIN course c ON c.id = cs.course_id WHERE cs.id = ?",
    )
    .bind(session.course_schedule_id)
    .fetch_one(&mut *tx)
    .await?;
    let (starts_at,): (DateTime<Utc>,) = sqlx::query_as(
        "SELECT starts_at FROM class_session WHERE course_schedule_id = ? AND booking_date = ?",
    )
    .bind(session.course_schedule_id)
    .bind(session.booking_date)
    .fetch_one(&mut *tx)
    .await?;
    let original = u32::try_from(pending.duration_minutes).unwrap_or(0);
    let makeup = u32::try_from(target.duration_minutes).unwrap_or(0);
    let (d, kind) = duration_difference(original, makeup);
    let workflow_id = workflows::makeup::makeup_workflow_id(pending_id, session);
    sqlx::query("UPDATE booking SET source = 'makeup' WHERE id = ?")
        .bind(booking_id)
        .execute(&mut *tx)
        .await?;
    let makeup_booking_id = record_makeup(
        tx,
        &NewMakeup {
            pending_id,
            pending: &pending,
            booking_id,
            course_id: target.course_id,
            session,
            original,
            makeup,
            difference: d,
            kind,
            workflow_id: &workflow_id,
        },
    )
    .await?;
    let created = u32::try_from(d.max(0)).unwrap_or(0);
    let created_credit = if created > 0 {
        Some(create_credit(tx, &pending, makeup_booking_id, created, settings, now).await?)
    } else {
        None
    };
    let remaining = credits::balance(tx, pending.profile_id, now).await?;
    Ok(Some(workflows::activities::AdoptedMakeup {
        pending_id,
        booked: MakeupBooked {
            makeup_booking_id,
            booking_id,
            profile_id: pending.profile_id,
            duration_difference: d,
            completion_type: kind,
            compensation_created: created,
            compensation_used: 0,
            remaining_compensation: remaining,
            created_credit,
        },
        starts_at,
        ends_at: starts_at + Duration::minutes(i64::from(target.duration_minutes)),
    }))
}
