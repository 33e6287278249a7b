//! Notification rendering: one catalogue of texts for every type of N1.

pub mod drafts;
pub mod inbox;
pub mod offer_notices;
pub mod pages;
pub mod templates;
