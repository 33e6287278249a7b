//! Workflow definitions and everything the API and the worker share: the workflow and
//! activity contracts (names, inputs, outputs), ids, search attributes and the pure business
//! rules. No database, network or environment code lives here.

pub mod activities;
pub mod camp;
pub mod clock;
pub mod compensation_credit;
pub mod delivery;
pub mod ids;
pub mod maintenance;
pub mod makeup;
pub mod makeup_booking;
pub mod notice;
pub mod offer;
pub mod options;
pub mod payment;
pub mod refund;
pub mod retention;
pub mod rules;
pub mod search_attributes;
pub mod settings;
pub mod staff_notice;
pub mod status;
pub mod waitlist_cutoff;
pub mod waitlist_offer;

pub use camp::CampWorkflow;
pub use compensation_credit::CompensationCreditWorkflow;
pub use ids::SessionKey;
pub use maintenance::{MaintenanceInput, MaintenanceWorkflow};
pub use makeup_booking::MakeupBookingWorkflow;
pub use payment::PaymentWorkflow;
pub use refund::RefundWorkflow;
pub use retention::RetentionWorkflow;
pub use staff_notice::StaffNoticeWorkflow;
pub use waitlist_cutoff::{CutoffInput, CutoffOutcome, WaitlistCutoffWorkflow};
pub use waitlist_offer::WaitlistOfferWorkflow;
