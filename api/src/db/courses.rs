//! Courses and weekly schedules (ops).

use chrono::NaiveTime;
use serde::Serialize;
use sqlx::MySqlPool;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CourseRow {
    pub id: i64,
    pub name: String,
    pub course_type: String,
    pub level: i8,
    pub duration_minutes: i32,
    pub price_cents: i32,
    pub capacity: i32,
}

pub struct NewCourse<'a> {
    pub name: &'a str,
    pub course_type: &'a str,
    pub level: u8,
    pub duration_minutes: u32,
    pub price_cents: u32,
    pub capacity: u32,
}

pub async fn create_course(pool: &MySqlPool, c: &NewCourse<'_>) -> Result<i64, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO course (name, course_type, level, duration_minutes, price_cents, capacity)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(c.name)
    .bind(c.course_type)
    .bind(c.level)
    .bind(c.duration_minutes)
    .bind(c.price_cents)
    .bind(c.capacity)
    .execute(pool)
    .await?;
    crate::db::inserted_id(&result)
}

pub async fn list_courses(pool: &MySqlPool) -> Result<Vec<CourseRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, course_type, level, duration_minutes, price_cents, capacity FROM course ORDER BY id",
    )
    .fetch_all(pool)
    .await
}

/// Every course type in use.
pub async fn course_types(pool: &MySqlPool) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT course_type FROM course ORDER BY course_type")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn course_exists(pool: &MySqlPool, id: i64) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM course WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some())
}

pub struct NewSchedule<'a> {
    pub course_id: i64,
    pub weekday: u8,
    pub start_time: NaiveTime,
    pub coach: &'a str,
    pub location: &'a str,
}

pub async fn create_schedule(pool: &MySqlPool, s: &NewSchedule<'_>) -> Result<i64, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO course_schedule (course_id, weekday, start_time, coach, location) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(s.course_id)
    .bind(s.weekday)
    .bind(s.start_time)
    .bind(s.coach)
    .bind(s.location)
    .execute(pool)
    .await?;
    crate::db::inserted_id(&result)
}
