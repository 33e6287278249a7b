//! At most a few workflow Updates in flight per workflow from this process. Temporal refuses
//! more than `history.maxInFlightUpdates` (10 by default) at once on one run with
//! `ResourceExhausted`, and a hundred parents confirming one seat would otherwise get 503s;
//! here the rest wait their turn (each Update of an offer is answered in milliseconds once its
//! seat is gone). Several API replicas share the server's limit: keep
//! replicas × [`PER_WORKFLOW`] within it (deploy/temporal/dynamicconfig.yaml raises it).
//!
//! Written here rather than taken from a crate: a keyed semaphore is a dozen lines over
//! tokio's, and its entries must go when the last permit does.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Updates one API process sends to one workflow at once.
pub const PER_WORKFLOW: usize = 8;

#[derive(Debug)]
pub struct UpdateGate {
    per_workflow: usize,
    gates: Mutex<HashMap<String, Weak<Semaphore>>>,
}

impl Default for UpdateGate {
    fn default() -> Self {
        Self::new(PER_WORKFLOW)
    }
}

impl UpdateGate {
    pub fn new(per_workflow: usize) -> Self {
        Self {
            per_workflow: per_workflow.max(1),
            gates: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a turn to send an Update to `workflow_id`; the turn ends with the permit.
    pub async fn enter(&self, workflow_id: &str) -> OwnedSemaphorePermit {
        let gate = self.gate(workflow_id);
        gate.acquire_owned()
            .await
            .expect("the gate is never closed")
    }

    /// The workflow's semaphore, made on first use; gates nobody holds or waits for are dropped.
    fn gate(&self, workflow_id: &str) -> Arc<Semaphore> {
        let mut gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        gates.retain(|_, g| g.strong_count() > 0);
        if let Some(gate) = gates.get(workflow_id).and_then(Weak::upgrade) {
            return gate;
        }
        let gate = Arc::new(Semaphore::new(self.per_workflow));
        gates.insert(workflow_id.to_string(), Arc::downgrade(&gate));
        gate
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        let gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        gates.values().filter(|g| g.strong_count() > 0).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_third_update_to_one_workflow_waits_while_another_workflow_goes_on() {
        let gate = Arc::new(UpdateGate::new(2));
        let a1 = gate.enter("a").await;
        let _a2 = gate.enter("a").await;
        let _b = gate.enter("b").await;
        let waiting = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.enter("a").await })
        };
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished(), "two in flight: the third waits");
        drop(a1);
        let third = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("a permit came back")
            .expect("task ran");
        drop(third);
    }

    #[tokio::test]
    async fn gates_go_when_their_last_permit_does() {
        let gate = UpdateGate::new(2);
        let p = gate.enter("a").await;
        assert_eq!(gate.tracked(), 1);
        drop(p);
        let _q = gate.enter("b").await;
        assert_eq!(gate.tracked(), 1, "a's gate was dropped");
    }
}
