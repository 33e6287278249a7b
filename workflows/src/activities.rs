//! Activity contracts: name, input and output of every activity the workflows call. The
//! implementations live in the `activities` crate and bind to these with
//! `#[activity(definition = …)]`, which checks the types at compile time; the API never links
//! them.

use crate::ids::SessionKey;
use serde::{Deserialize, Serialize};
use temporalio_common::ActivityDefinition;

macro_rules! activity_contract {
    ($(#[$doc:meta])* $marker:ident = $name:literal, $input:ty => $output:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $marker;

        impl $marker {
            pub const NAME: &'static str = $name;
        }

        impl ActivityDefinition for $marker {
            type Input = $input;
            type Output = $output;
            fn name(&self) -> &str {
                $name
            }
        }
    };
}

/// Result of expiring a session's queue at its cutoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CutoffExpiry {
    /// Entries that were still waiting and are now expired (reason `cutoff`).
    pub expired_entries: u32,
    /// In-app notifications written (one per expired entry, idempotent).
    pub notifications: u32,
}

activity_contract!(
    /// W6: expire every still-waiting entry of the session and tell each parent
    /// (`waitlist_expired`). One transaction; a retry finds nothing left to expire.
    ExpireWaitlistAtCutoff = "waitlist.expire_at_cutoff",
    SessionKey => CutoffExpiry
);
