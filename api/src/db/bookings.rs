//! Seat bookings.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{MySqlConnection, MySqlPool};
use workflows::SessionKey;
use workflows::status::BookingStatus;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BookingRow {
    pub id: i64,
    pub profile_id: i64,
    pub user_id: i64,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    #[sqlx(try_from = "String")]
    pub status: BookingStatus,
    /// direct | waitlist | makeup
    pub source: String,
    /// the makeup this seat is, while that makeup is booked (its own routes release it)
    pub makeup_booking_id: Option<i64>,
}

/// The makeup a booked seat belongs to, while that makeup is confirmed.
const ACTIVE_MAKEUP: &str =
    "(SELECT mb.id FROM makeup_booking mb WHERE mb.booking_id = b.id AND mb.status = 'confirmed'
                              ORDER BY mb.id DESC LIMIT 1)";

impl BookingRow {
    pub fn session(&self) -> SessionKey {
        SessionKey::new(self.course_schedule_id, self.booking_date)
    }
}

pub async fn find(pool: &MySqlPool, id: i64) -> Result<Option<BookingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT b.id, b.profile_id, p.user_id, b.course_schedule_id, b.booking_date, CAST(b.status AS CHAR) AS status,
                CAST(b.source AS CHAR) AS source, {ACTIVE_MAKEUP} AS makeup_booking_id
           FROM booking b JOIN profile p ON p.id = b.profile_id WHERE b.id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// True when the profile holds a seat in the session.
pub async fn profile_is_booked(
    conn: &mut MySqlConnection,
    profile_id: i64,
    key: SessionKey,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM booking WHERE profile_id = ? AND course_schedule_id = ? AND booking_date = ? AND status = 'booked'",
    )
    .bind(profile_id)
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

pub async fn insert(
    conn: &mut MySqlConnection,
    profile_id: i64,
    key: SessionKey,
    source: &str,
) -> Result<i64, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO booking (profile_id, course_schedule_id, booking_date, status, source) VALUES (?, ?, ?, 'booked', ?)",
    )
    .bind(profile_id)
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .bind(source)
    .execute(conn)
    .await?;
    crate::db::inserted_id(&result)
}

/// A parent's bookings from `from` on, soonest first.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MyBookingRow {
    pub id: i64,
    pub profile_id: i64,
    pub profile_name: String,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub course_id: i64,
    pub course_name: String,
    pub course_type: String,
    pub level: i8,
    pub duration_minutes: i32,
    pub coach: String,
    pub location: String,
    pub starts_at: DateTime<Utc>,
    #[sqlx(try_from = "String")]
    pub status: BookingStatus,
    pub source: String,
    pub makeup_booking_id: Option<i64>,
}

pub async fn of_parent(
    pool: &MySqlPool,
    user_id: i64,
    from: NaiveDate,
) -> Result<Vec<MyBookingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT b.id, b.profile_id, p.name AS profile_name, b.course_schedule_id, b.booking_date,
                c.id AS course_id, c.name AS course_name, c.course_type, c.level, c.duration_minutes,
                cs.coach, cs.location, s.starts_at,
                CAST(b.status AS CHAR) AS status, CAST(b.source AS CHAR) AS source,
                {ACTIVE_MAKEUP} AS makeup_booking_id
           FROM booking b
           JOIN profile p ON p.id = b.profile_id
           JOIN course_schedule cs ON cs.id = b.course_schedule_id
           JOIN course c ON c.id = cs.course_id
           JOIN class_session s ON s.course_schedule_id = b.course_schedule_id AND s.booking_date = b.booking_date
          WHERE p.user_id = ? AND b.booking_date >= ?
          ORDER BY s.starts_at, b.id"
    ))
    .bind(user_id)
    .bind(from)
    .fetch_all(pool)
    .await
}

/// The caller's seats in a date range: (profile, booking id, session).
pub async fn parent_seats(
    pool: &MySqlPool,
    user_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(i64, i64, SessionKey)>, sqlx::Error> {
    let rows: Vec<(i64, i64, i64, NaiveDate)> = sqlx::query_as(
        "SELECT b.profile_id, b.id, b.course_schedule_id, b.booking_date FROM booking b JOIN profile p ON p.id = b.profile_id
          WHERE p.user_id = ? AND b.status = 'booked' AND b.booking_date BETWEEN ? AND ?",
    )
    .bind(user_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(p, b, s, d)| (p, b, SessionKey::new(s, d)))
        .collect())
}
