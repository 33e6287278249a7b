//! Ops routes: courses, schedules, ★ settings, session capacity and queues; and the staff
//! console's routes (issue 14): staff accounts, audit log, families, queue removal, messages,
//! problems, day overview, settings view, data retention.

pub mod audit;
pub mod camps;
pub mod courses;
pub mod families;
pub mod messages;
pub mod offers;
pub mod overview;
pub mod problems;
pub mod queue;
pub mod sessions;
pub mod settings;
pub mod settings_view;
pub mod staff;
pub mod stats;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The ops and staff console routes (merged into the API's router), each bound to its
/// OpenAPI operation.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(offers::list))
        .routes(routes!(stats::show))
        .routes(routes!(courses::list, courses::create))
        .routes(routes!(courses::create_schedule))
        .routes(routes!(settings::for_course_type))
        .routes(routes!(settings::for_course))
        .routes(routes!(sessions::show))
        .routes(routes!(sessions::set_capacity))
        .routes(routes!(staff::me))
        .routes(routes!(staff::list, staff::create))
        .routes(routes!(staff::update))
        .routes(routes!(audit::list))
        .routes(routes!(overview::show))
        .routes(routes!(overview::history))
        .routes(routes!(messages::to_queue))
        .routes(routes!(messages::resend_offers))
        .routes(routes!(queue::remove))
        .routes(routes!(families::search))
        .routes(routes!(families::show))
        .routes(routes!(families::available))
        .routes(routes!(families::book_makeup))
        .routes(routes!(messages::to_family))
        .routes(routes!(families::adjust_credit))
        .routes(routes!(messages::resend))
        .routes(routes!(problems::list))
        .routes(routes!(settings_view::show))
        .routes(routes!(settings_view::set_retention))
}
