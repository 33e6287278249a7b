//! SQL of the makeup activities (M1–M5): pending makeups, the target class, time clashes, the
//! makeup record. Runs inside the caller's transaction, after the session lock.

use crate::error::{Failure, Result, inserted_id, u32_of};
use chrono::{DateTime, Duration, Utc};
use sqlx::MySqlConnection;
use workflows::SessionKey;
use workflows::rules::makeup::{ClassFacts, CompletionType};
use workflows::status::{MakeupStatus, PendingStatus};

/// A pending makeup, locked.
#[derive(Debug, Clone)]
pub struct Pending {
    pub profile_id: i64,
    pub original_booking_id: i64,
    pub course_type: String,
    pub level: i8,
    pub duration_minutes: u32,
    pub open: bool,
}

impl Pending {
    pub fn facts(&self) -> ClassFacts<'_> {
        ClassFacts {
            course_type: &self.course_type,
            level: self.level,
            duration_minutes: self.duration_minutes,
            coach: "",
            location: "",
        }
    }
}

pub async fn lock_pending(conn: &mut MySqlConnection, id: i64) -> Result<Option<Pending>> {
    let row: Option<(i64, i64, String, i8, i32, String)> = sqlx::query_as(
        "SELECT profile_id, original_booking_id, course_type, level, duration_minutes, CAST(status AS CHAR)
           FROM pending_makeup WHERE id = ? FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(
        |(profile_id, original_booking_id, course_type, level, minutes, status)| {
            Ok(Pending {
                profile_id,
                original_booking_id,
                course_type,
                level,
                duration_minutes: u32_of("duration_minutes", minutes)?,
                open: PendingStatus::try_from(status).map_err(|e| Failure::Data(e.to_string()))?
                    == PendingStatus::Open,
            })
        },
    )
    .transpose()
}

/// The makeup session's course.
#[derive(Debug, Clone)]
pub struct Target {
    pub course_id: i64,
    pub course_type: String,
    pub level: i8,
    pub duration_minutes: u32,
}

impl Target {
    pub fn facts(&self) -> ClassFacts<'_> {
        ClassFacts {
            course_type: &self.course_type,
            level: self.level,
            duration_minutes: self.duration_minutes,
            coach: "",
            location: "",
        }
    }

    pub fn ends_at(&self, starts_at: DateTime<Utc>) -> DateTime<Utc> {
        starts_at + Duration::minutes(i64::from(self.duration_minutes))
    }
}

pub async fn target(conn: &mut MySqlConnection, session: SessionKey) -> Result<Target> {
    let (course_id, course_type, level, minutes): (i64, String, i8, i32) = sqlx::query_as(
        "SELECT c.id, c.course_type, c.level, c.duration_minutes
           FROM course_schedule cs JOIN course c ON c.id = cs.course_id WHERE cs.id = ?",
    )
    .bind(session.course_schedule_id)
    .fetch_one(conn)
    .await?;
    Ok(Target {
        course_id,
        course_type,
        level,
        duration_minutes: u32_of("duration_minutes", minutes)?,
    })
}

/// True when another seat of the child overlaps `[start, end)` (M3).
pub async fn clashes(
    conn: &mut MySqlConnection,
    profile_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<bool> {
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

/// What a makeup record is made of.
pub struct NewMakeup<'a> {
    pub pending_id: i64,
    pub pending: &'a Pending,
    pub booking_id: i64,
    pub course_id: i64,
    pub session: SessionKey,
    pub makeup_minutes: u32,
    pub difference: i64,
    pub kind: CompletionType,
    pub workflow_id: &'a str,
}

/// The `makeup_booking` row (confirmed) and the pending makeup marked booked.
pub async fn record_makeup(conn: &mut MySqlConnection, m: &NewMakeup<'_>) -> Result<i64> {
    let id = inserted_id(
        &sqlx::query(
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
        .bind(m.pending.duration_minutes)
        .bind(m.makeup_minutes)
        .bind(m.difference)
        .bind(m.kind.as_str())
        .bind(m.workflow_id)
        .execute(&mut *conn)
        .await?,
    )?;
    set_pending_status(conn, m.pending_id, "booked").await?;
    Ok(id)
}

pub async fn set_pending_status(
    conn: &mut MySqlConnection,
    pending_id: i64,
    status: &str,
) -> Result<()> {
    sqlx::query("UPDATE pending_makeup SET status = ? WHERE id = ?")
        .bind(status)
        .bind(pending_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A makeup booking, locked.
#[derive(Debug, Clone)]
pub struct MakeupRow {
    pub booking_id: i64,
    pub profile_id: i64,
    pub pending_makeup_id: i64,
    pub cancelled: bool,
    pub session: SessionKey,
}

pub async fn lock_makeup(conn: &mut MySqlConnection, id: i64) -> Result<Option<MakeupRow>> {
    let row: Option<(Option<i64>, i64, i64, String, i64, chrono::NaiveDate)> = sqlx::query_as(
        "SELECT booking_id, profile_id, pending_makeup_id, CAST(status AS CHAR), makeup_schedule_id, makeup_date
           FROM makeup_booking WHERE id = ? FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(
        |(booking_id, profile_id, pending_makeup_id, status, s, d)| {
            let status =
                MakeupStatus::try_from(status).map_err(|e| Failure::Data(e.to_string()))?;
            Ok(MakeupRow {
                booking_id: booking_id.ok_or_else(|| {
                    Failure::Data(format!("makeup of pending {pending_makeup_id} has no seat"))
                })?,
                profile_id,
                pending_makeup_id,
                cancelled: status == MakeupStatus::Cancelled,
                session: SessionKey::new(s, d),
            })
        },
    )
    .transpose()
}

/// The session of a makeup booking (to take its lock first).
pub async fn session_of(conn: &mut MySqlConnection, id: i64) -> Result<Option<SessionKey>> {
    let row: Option<(i64, chrono::NaiveDate)> =
        sqlx::query_as("SELECT makeup_schedule_id, makeup_date FROM makeup_booking WHERE id = ?")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(s, d)| SessionKey::new(s, d)))
}

pub async fn set_makeup_status(conn: &mut MySqlConnection, id: i64, status: &str) -> Result<()> {
    sqlx::query("UPDATE makeup_booking SET status = ? WHERE id = ?")
        .bind(status)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn mark_booking_source(
    conn: &mut MySqlConnection,
    booking_id: i64,
    source: &str,
) -> Result<()> {
    sqlx::query("UPDATE booking SET source = ? WHERE id = ?")
        .bind(source)
        .bind(booking_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The user who owns a profile (the parent to notify).
pub async fn parent_of(conn: &mut MySqlConnection, profile_id: i64) -> Result<i64> {
    let (user_id,): (i64,) = sqlx::query_as("SELECT user_id FROM profile WHERE id = ?")
        .bind(profile_id)
        .fetch_one(conn)
        .await?;
    Ok(user_id)
}
