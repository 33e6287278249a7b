//! The HTTP API (axum): authentication, validation, reads from MySQL, and the workflows it
//! starts, signals and updates. It links workflow contracts only, never activity code.

pub mod app;
pub mod auth;
pub mod business_metrics;
pub mod config;
pub mod console;
pub mod db;
pub mod envelope;
pub mod error;
pub mod extract;
pub mod flows;
pub mod input;
pub mod limits;
pub mod metrics;
pub mod openapi;
pub mod routes;
pub mod session;
pub mod state;
pub mod temporal;
pub mod update_gate;

pub use app::Application;

/// The schema migrations, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// True when `migrate` failed only because the database server did not answer.
pub fn is_unreachable(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<sqlx::Error>(),
            Some(sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::Tls(_))
        )
    })
}

/// Creates the database named in the URL when it does not exist, then migrates it.
pub async fn migrate(database_url: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    use sqlx::migrate::MigrateDatabase;
    if !sqlx::MySql::database_exists(database_url)
        .await
        .context("cannot reach the database server (is MySQL/MariaDB running?)")?
    {
        tracing::info!("creating the database");
        sqlx::MySql::create_database(database_url)
            .await
            .context("create database")?;
    }
    let pool = sqlx::mysql::MySqlPoolOptions::new()
        .max_connections(1)
        .connect(database_url)
        .await
        .context("connect to the database")?;
    MIGRATOR.run(&pool).await.context("run migrations")?;
    pool.close().await;
    Ok(())
}
