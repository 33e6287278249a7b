//! E1: a course's release history, the figures the waiting estimate is computed from (and
//! that ops see in the admin session view). One query set, read by every estimate.

use chrono::NaiveDate;
use sqlx::MySqlPool;
use workflows::rules::estimate::{ReleaseDay, ReleaseHistory};

/// How far back class dates count (newer sessions, still running, count too).
pub const HISTORY_DAYS: i64 = 180;

/// The release history of `course_id` over sessions dated `since` or later.
pub async fn release_history(
    pool: &MySqlPool,
    course_id: i64,
    since: NaiveDate,
) -> Result<ReleaseHistory, sqlx::Error> {
    let (sessions,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT w.course_schedule_id, w.booking_date)
           FROM waitlist w JOIN course_schedule cs ON cs.id = w.course_schedule_id
          WHERE cs.course_id = ? AND w.booking_date >= ?",
    )
    .bind(course_id)
    .bind(since)
    .fetch_one(pool)
    .await?;
    let (won,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*)
           FROM waitlist w JOIN course_schedule cs ON cs.id = w.course_schedule_id
          WHERE cs.course_id = ? AND w.booking_date >= ? AND w.status = 'confirmed'",
    )
    .bind(course_id)
    .bind(since)
    .fetch_one(pool)
    .await?;
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT CAST(GREATEST(0, TIMESTAMPDIFF(HOUR, f.flow_start_time, s.starts_at) DIV 24) AS SIGNED) AS days_before,
                CAST(SUM(f.seats) AS SIGNED)
           FROM waitlist_flow f
           JOIN course_schedule cs ON cs.id = f.course_schedule_id
           JOIN class_session s ON s.course_schedule_id = f.course_schedule_id AND s.booking_date = f.booking_date
          WHERE cs.course_id = ? AND f.booking_date >= ?
          GROUP BY days_before ORDER BY days_before DESC",
    )
    .bind(course_id)
    .bind(since)
    .fetch_all(pool)
    .await?;
    let releases = rows
        .into_iter()
        .map(|(days, seats)| {
            Ok(ReleaseDay {
                days_before_class: crate::db::count("days_before", days)?,
                seats: crate::db::count("seats", seats)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(ReleaseHistory {
        sessions_with_queue: crate::db::count("sessions", sessions)?,
        releases,
        seats_won: crate::db::count("seats_won", won)?,
    })
}
