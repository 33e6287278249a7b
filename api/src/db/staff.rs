//! Staff accounts: `user` rows with role 'admin' and a `staff_role` (owner | staff).

use chrono::{DateTime, Utc};
use sqlx::{MySqlConnection, MySqlPool};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffRow {
    pub id: i64,
    pub username: String,
    pub nickname: Option<String>,
    pub staff_role: Option<String>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT id, COALESCE(username, '') AS username, nickname, CAST(staff_role AS CHAR) AS staff_role,
        disabled_at, created_at FROM user WHERE role = 'admin'";

pub async fn find(pool: &MySqlPool, id: i64) -> Result<Option<StaffRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} AND id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn list(pool: &MySqlPool) -> Result<Vec<StaffRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} ORDER BY id"))
        .fetch_all(pool)
        .await
}

pub struct NewStaff<'a> {
    pub username: &'a str,
    pub nickname: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
}

/// A new account; a taken username is a unique violation for the caller to map.
pub async fn create(conn: &mut MySqlConnection, s: &NewStaff<'_>) -> Result<i64, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO user (role, staff_role, username, nickname, password_hash) VALUES ('admin', ?, ?, ?, ?)",
    )
    .bind(s.role)
    .bind(s.username)
    .bind(s.nickname)
    .bind(s.password_hash)
    .execute(conn)
    .await?;
    super::inserted_id(&done)
}

/// Changes what is given (role, enabled/disabled, password hash) of one staff account.
pub async fn update(
    conn: &mut MySqlConnection,
    id: i64,
    role: Option<&str>,
    disabled: Option<bool>,
    password_hash: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE user SET staff_role = COALESCE(?, staff_role),
                disabled_at = CASE WHEN ? IS NULL THEN disabled_at WHEN ? THEN COALESCE(disabled_at, ?) ELSE NULL END,
                password_hash = COALESCE(?, password_hash)
          WHERE id = ? AND role = 'admin'",
    )
    .bind(role)
    .bind(disabled)
    .bind(disabled)
    .bind(at)
    .bind(password_hash)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Enabled owners other than `except` (an owner may not remove the last one).
pub async fn other_owners(conn: &mut MySqlConnection, except: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM user WHERE role = 'admin' AND staff_role = 'owner' AND disabled_at IS NULL AND id <> ?",
    )
    .bind(except)
    .fetch_one(conn)
    .await?;
    Ok(n)
}
