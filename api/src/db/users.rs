//! Parents (by WeChat openid) and staff (by username).

use sqlx::MySqlPool;

/// Creates or refreshes the parent with this openid; returns the user id.
pub async fn upsert_parent(
    pool: &MySqlPool,
    openid: &str,
    unionid: Option<&str>,
    session_key: Option<&str>,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO user (role, openid, unionid, wechat_session_key) VALUES ('parent', ?, ?, ?)
         ON DUPLICATE KEY UPDATE unionid = COALESCE(VALUES(unionid), unionid),
                                 wechat_session_key = COALESCE(VALUES(wechat_session_key), wechat_session_key)",
    )
    .bind(openid)
    .bind(unionid)
    .bind(session_key)
    .execute(pool)
    .await?;
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM user WHERE openid = ?")
        .bind(openid)
        .fetch_one(pool)
        .await?;
    Ok(id)
}

/// The admin's id and password hash (enabled accounts only).
pub async fn find_admin(
    pool: &MySqlPool,
    username: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, password_hash FROM user WHERE role = 'admin' AND username = ? AND password_hash IS NOT NULL AND disabled_at IS NULL",
    )
    .bind(username)
    .fetch_optional(pool)
    .await
}

/// Ensures the bootstrap admin exists as an enabled owner with a hash of the configured
/// password (re-hashed when the password changed, so rotating `ADMIN_PASSWORD` takes effect
/// at the next start).
pub async fn bootstrap_admin(
    pool: &MySqlPool,
    username: &str,
    password: &str,
) -> Result<(), sqlx::Error> {
    if let Some((id, hash)) = find_admin(pool, username).await?
        && crate::auth::password::verify(password, &hash)
    {
        sqlx::query("UPDATE user SET staff_role = 'owner' WHERE id = ?")
            .bind(id)
            .execute(pool)
            .await?;
        return Ok(());
    }
    let hash = crate::auth::password::hash(password);
    sqlx::query(
        "INSERT INTO user (role, staff_role, username, password_hash, nickname) VALUES ('admin', 'owner', ?, ?, ?)
         ON DUPLICATE KEY UPDATE password_hash = VALUES(password_hash), role = 'admin', staff_role = 'owner',
                                 disabled_at = NULL",
    )
    .bind(username)
    .bind(hash)
    .bind(username)
    .execute(pool)
    .await?;
    Ok(())
}
