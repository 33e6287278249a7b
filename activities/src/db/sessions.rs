//! Reads about a session that notifications need.

use chrono::{DateTime, Utc};
use sqlx::MySqlConnection;
use workflows::SessionKey;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionInfo {
    pub course_name: String,
    pub starts_at: DateTime<Utc>,
    pub location: String,
}

pub async fn session_info(
    conn: &mut MySqlConnection,
    session: SessionKey,
) -> Result<Option<SessionInfo>, sqlx::Error> {
    sqlx::query_as::<_, SessionInfo>(
        "SELECT c.name AS course_name, s.starts_at, cs.location
           FROM class_session s
           JOIN course_schedule cs ON cs.id = s.course_schedule_id
           JOIN course c ON c.id = cs.course_id
          WHERE s.course_schedule_id = ? AND s.booking_date = ?",
    )
    .bind(session.course_schedule_id)
    .bind(session.booking_date)
    .fetch_optional(conn)
    .await
}
