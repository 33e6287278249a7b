//! Training camps (seed 004): the camp seat as a payment purpose, the community platform's
//! check-in client (知识星球), and the activities of `CampWorkflow`.

mod activities;
pub mod community;
pub mod seat;

pub use activities::CampActivities;
pub use community::{CommunityClient, CommunitySettings};
