//! Children's profiles.

use serde::Serialize;
use sqlx::MySqlPool;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct ProfileRow {
    pub id: i64,
    pub name: String,
    pub level: i8,
}

pub async fn list(pool: &MySqlPool, user_id: i64) -> Result<Vec<ProfileRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, level FROM profile WHERE user_id = ? ORDER BY id")
        .bind(user_id)
        .fetch_all(pool)
        .await
}

pub async fn create(
    pool: &MySqlPool,
    user_id: i64,
    name: &str,
    level: u8,
) -> Result<i64, sqlx::Error> {
    let result = sqlx::query("INSERT INTO profile (user_id, name, level) VALUES (?, ?, ?)")
        .bind(user_id)
        .bind(name)
        .bind(level)
        .execute(pool)
        .await?;
    crate::db::inserted_id(&result)
}

/// The parent who owns the profile, if it exists.
pub async fn owner(pool: &MySqlPool, profile_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT user_id FROM profile WHERE id = ?")
        .bind(profile_id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| r.0))
}
