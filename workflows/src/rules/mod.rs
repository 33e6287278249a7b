//! Pure business rules, unit-tested here and used by the API, the workflows and the activities.

pub mod alternatives;
pub mod camp;
pub mod estimate;
pub mod family;
pub mod makeup;
pub mod offer;
pub mod offer_flow;
pub mod payment;
pub mod seats;
pub mod time;
pub mod waitlist;
