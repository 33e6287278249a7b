//! Ops routes: courses, schedules, ★ settings, session capacity and queues.

pub mod camps;
pub mod courses;
pub mod offers;
pub mod sessions;
pub mod settings;
pub mod stats;
