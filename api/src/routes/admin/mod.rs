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
use axum::Router;
use axum::routing::{get, post, put};

/// The staff console's routes (merged into the API's router).
pub fn console_router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/admin/me", get(staff::me))
        .route("/api/v1/admin/staff", get(staff::list).post(staff::create))
        .route("/api/v1/admin/staff/{id}", put(staff::update))
        .route("/api/v1/admin/audit", get(audit::list))
        .route("/api/v1/admin/overview", get(overview::show))
        .route(
            "/api/v1/admin/sessions/{schedule_id}/{date}/history",
            get(overview::history),
        )
        .route(
            "/api/v1/admin/sessions/{schedule_id}/{date}/messages",
            post(messages::to_queue),
        )
        .route(
            "/api/v1/admin/sessions/{schedule_id}/{date}/resend-offers",
            post(messages::resend_offers),
        )
        .route("/api/v1/admin/waitlist/{id}/remove", post(queue::remove))
        .route("/api/v1/admin/families", get(families::search))
        .route("/api/v1/admin/families/{user_id}", get(families::show))
        .route(
            "/api/v1/admin/families/{user_id}/makeup/available",
            get(families::available),
        )
        .route(
            "/api/v1/admin/families/{user_id}/makeup",
            post(families::book_makeup),
        )
        .route(
            "/api/v1/admin/families/{user_id}/messages",
            post(messages::to_family),
        )
        .route(
            "/api/v1/admin/profiles/{profile_id}/credits/adjust",
            post(families::adjust_credit),
        )
        .route(
            "/api/v1/admin/notifications/{id}/resend",
            post(messages::resend),
        )
        .route("/api/v1/admin/problems", get(problems::list))
        .route("/api/v1/admin/settings", get(settings_view::show))
        .route("/api/v1/admin/retention", put(settings_view::set_retention))
}

/// The OpenAPI paths of the console's routes (merged into the API's document).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    staff::me,
    staff::list,
    staff::create,
    staff::update,
    audit::list,
    overview::show,
    overview::history,
    messages::to_queue,
    messages::to_family,
    messages::resend,
    messages::resend_offers,
    queue::remove,
    families::search,
    families::show,
    families::available,
    families::book_makeup,
    families::adjust_credit,
    problems::list,
    settings_view::show,
    settings_view::set_retention,
))]
pub struct ConsoleDoc;
