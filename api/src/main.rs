//! `api` binary. `api` serves (migrating first); `api migrate` creates the database if
//! missing, migrates it and exits.

use api::config::ApiConfig;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = match ApiConfig::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    platform::telemetry::init_telemetry(config.common.log_format, "info,tower_http=info,sqlx=warn");
    match std::env::args().nth(1).as_deref() {
        Some("migrate") => {
            api::migrate(config.common.database_url.expose()).await?;
            tracing::info!("database migrated");
            Ok(())
        }
        None | Some("serve") => {
            // A schema that does not match the code is not a state to serve from. A database
            // that is merely down is waited for (the API starts, /healthz says so).
            if let Err(e) = api::migrate(config.common.database_url.expose()).await {
                if api::is_unreachable(&e) {
                    tracing::warn!(
                        error = format!("{e:#}"),
                        "database not reachable at start: migrations run at the next start"
                    );
                } else {
                    eprintln!("migrations failed: {e:#}");
                    std::process::exit(1);
                }
            }
            let app = api::Application::build(config).await?;
            app.run_until(shutdown_signal()).await?;
            tracing::info!("API stopped");
            Ok(())
        }
        Some("instance-id") => {
            // The database's instance id (part of every workflow id): scripts/dev keeps the
            // Temporal dev server's state per instance.
            let pool = api::app::pool(&config)?;
            let ids = platform::database::workflow_ids(&pool).await?;
            #[allow(clippy::print_stdout)]
            {
                println!("{}", ids.instance());
            }
            Ok(())
        }
        Some("openapi") => {
            // The OpenAPI document, as /api-docs/openapi.json serves it (no database needed).
            #[allow(clippy::print_stdout)]
            {
                let doc = api::openapi::to_json(&api::openapi::document());
                println!("{}", serde_json::to_string_pretty(&doc)?);
            }
            Ok(())
        }
        Some(other) => {
            eprintln!("unknown command {other:?}; usage: api [serve|migrate|instance-id|openapi]");
            std::process::exit(2);
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
