//! Connecting to Temporal, shared by the API (starter) and the worker.

use crate::common::TemporalConfig;
use temporalio_client::{Client, ClientOptions, Connection, ConnectionOptions};

/// Opens a connection to `TEMPORAL_ADDRESS` in `TEMPORAL_NAMESPACE`.
pub async fn connect(config: &TemporalConfig, identity: &str) -> Result<Client, ConnectError> {
    let options = ConnectionOptions::new(config.address.clone())
        .identity(identity.to_string())
        .build();
    let connection = Connection::connect(options)
        .await
        .map_err(|e| ConnectError(format!("cannot reach Temporal at {}: {e}", config.address)))?;
    Client::new(
        connection,
        ClientOptions::new(config.namespace.clone()).build(),
    )
    .map_err(|e| ConnectError(format!("Temporal client: {e}")))
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConnectError(pub String);
