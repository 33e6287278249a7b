//! The API's Temporal client, connected lazily so the API starts (and `/healthz` can say
//! what is wrong) while Temporal is down.

use crate::config::ApiConfig;
use crate::error::ApiError;
use std::sync::Arc;
use std::time::Duration;
use temporalio_client::Client;
use temporalio_common::protos::temporal::api::workflowservice::v1::GetSystemInfoRequest;
use tokio::sync::OnceCell;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Clone)]
pub struct TemporalHandle {
    config: Arc<ApiConfig>,
    client: Arc<OnceCell<Client>>,
}

impl TemporalHandle {
    pub fn new(config: Arc<ApiConfig>) -> Self {
        Self {
            config,
            client: Arc::new(OnceCell::new()),
        }
    }

    /// The task queue workflows are started on.
    pub fn task_queue(&self) -> &str {
        &self.config.common.temporal.task_queue
    }

    /// The connected client, connecting on first use; 503 when Temporal does not answer.
    pub async fn client(&self) -> Result<&Client, ApiError> {
        self.client
            .get_or_try_init(|| async {
                match tokio::time::timeout(
                    CONNECT_TIMEOUT,
                    platform::temporal::connect(&self.config.common.temporal, "api"),
                )
                .await
                {
                    Ok(Ok(client)) => Ok(client),
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "Temporal connection failed");
                        Err(ApiError::Unavailable("Temporal"))
                    }
                    Err(_) => Err(ApiError::Unavailable("Temporal")),
                }
            })
            .await
    }

    /// Health probe: the frontend answers `GetSystemInfo` within the timeout.
    pub async fn ping(&self, timeout: Duration) -> Result<(), String> {
        let client = tokio::time::timeout(timeout, self.client())
            .await
            .map_err(|_| "connect timed out".to_string())?
            .map_err(|_| "not reachable".to_string())?;
        let mut service = client.connection().workflow_service();
        tokio::time::timeout(
            timeout,
            service.get_system_info(tonic_request(GetSystemInfoRequest::default())),
        )
        .await
        .map_err(|_| "timed out".to_string())?
        .map(|_| ())
        .map_err(|status| format!("{}", status.code()))
    }
}

fn tonic_request<T>(message: T) -> temporalio_client::tonic::Request<T> {
    temporalio_client::tonic::Request::new(message)
}
