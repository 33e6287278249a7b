//! Connecting to Temporal, shared by the API (starter) and the worker.

use crate::config::Config;
use temporalio_client::{Client, ClientOptions, Connection, ConnectionOptions};

/// Opens a connection to `TEMPORAL_ADDRESS` in `TEMPORAL_NAMESPACE`.
pub async fn connect(config: &Config, identity: &str) -> Result<Client, ConnectError> {
    let options = ConnectionOptions::new(config.temporal_address.clone())
        .identity(identity.to_string())
        .build();
    let connection = Connection::connect(options).await.map_err(|e| {
        ConnectError(format!(
            "cannot reach Temporal at {}: {e}",
            config.temporal_address
        ))
    })?;
    Client::new(
        connection,
        ClientOptions::new(config.temporal_namespace.clone()).build(),
    )
    .map_err(|e| ConnectError(format!("Temporal client: {e}")))
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConnectError(pub String);
