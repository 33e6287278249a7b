//! A fresh, migrated database per test on the MySQL/MariaDB server of `TEST_DATABASE_URL`
//! (default `mysql://root@127.0.0.1:3306`).

use sqlx::Connection;
use sqlx::mysql::MySqlConnection;

pub fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_string())
}

/// Creates `e2e_<id>` and runs the migrations; returns its URL.
pub async fn fresh_database(id: &str) -> String {
    let server = server_url();
    let mut conn = MySqlConnection::connect(&server).await.unwrap_or_else(|e| {
        panic!(
            "no MySQL-compatible server at {server} ({e}). Start MariaDB with \
             `start-stop-daemon --start --oknodo --background --exec \"$(command -v mariadbd)\"` \
             or set TEST_DATABASE_URL"
        )
    });
    let name = format!("e2e_{id}");
    sqlx::query(&format!(
        "CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    ))
    .execute(&mut conn)
    .await
    .expect("create test database");
    let url = format!("{}/{name}", server.trim_end_matches('/'));
    let mut db = MySqlConnection::connect(&url)
        .await
        .expect("connect test database");
    api::MIGRATOR.run(&mut db).await.expect("migrations apply");
    url
}
