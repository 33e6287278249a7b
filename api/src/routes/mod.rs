//! The HTTP routes (design §6).

pub mod admin;
pub mod auth;
pub mod bookings;
pub mod camps;
pub mod club;
pub mod compensation;
pub mod health;
pub mod makeup;
pub mod notifications;
pub mod offers;
pub mod pay;
pub mod profiles;
pub mod sessions;
pub mod waitlist;

use crate::state::AppState;
use axum::Router;
use axum::routing::{delete, get, post, put};
use serde::Serialize;
use utoipa::ToSchema;

/// `{id}` of something just created.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/api/v1/auth/login", post(auth::parent_login))
        .route("/api/v1/admin/login", post(auth::admin_login))
        .route(
            "/api/v1/profiles",
            get(profiles::list).post(profiles::create),
        )
        .route("/api/v1/club", get(club::show))
        .route("/api/v1/sessions", get(sessions::list))
        .route("/api/v1/bookings", get(bookings::mine).post(bookings::book))
        .route("/api/v1/bookings/{id}/cancel", post(bookings::cancel))
        .route("/api/v1/bookings/{id}/leave", post(bookings::leave))
        .route("/api/v1/waitlist/join", post(waitlist::join))
        .route("/api/v1/waitlist/my", get(waitlist::mine))
        .route("/api/v1/waitlist/position/{id}", get(waitlist::position))
        .route("/api/v1/waitlist/{id}", delete(waitlist::leave))
        .route("/api/v1/waitlist/{id}/respond", put(offers::respond))
        .route("/api/v1/waitlist/{id}/notifications", get(offers::history))
        .route("/api/v1/waitlist/notify", post(offers::resend))
        .route("/api/v1/admin/offers", get(admin::offers::list))
        .route("/api/v1/admin/stats", get(admin::stats::show))
        .route("/api/v1/makeup/pending", get(makeup::pending))
        .route("/api/v1/makeup/available", get(makeup::available))
        .route("/api/v1/makeup/book", post(makeup::book))
        .route("/api/v1/makeup/my", get(makeup::mine))
        .route("/api/v1/makeup/{id}", get(makeup::detail))
        .route("/api/v1/makeup/{id}/cancel", delete(makeup::cancel))
        .route("/api/v1/compensation/balance", get(compensation::balance))
        .route("/api/v1/compensation/history", get(compensation::history))
        .route("/api/v1/notifications", get(notifications::list))
        .route(
            "/api/v1/notifications/read-all",
            post(notifications::mark_all_read),
        )
        .route(
            "/api/v1/notifications/{id}/read",
            post(notifications::mark_read),
        )
        .route(
            "/api/v1/notifications/grants",
            post(notifications::record_grants),
        )
        .route(
            "/api/v1/admin/courses",
            get(admin::courses::list).post(admin::courses::create),
        )
        .route(
            "/api/v1/admin/schedules",
            post(admin::courses::create_schedule),
        )
        .route(
            "/api/v1/admin/course-types/{course_type}/settings",
            put(admin::settings::for_course_type),
        )
        .route(
            "/api/v1/admin/courses/{id}/settings",
            put(admin::settings::for_course),
        )
        .route(
            "/api/v1/admin/sessions/{schedule_id}/{date}",
            get(admin::sessions::show),
        )
        .route(
            "/api/v1/admin/sessions/{schedule_id}/{date}/capacity",
            put(admin::sessions::set_capacity),
        )
        .merge(admin::console_router())
        .merge(pay_and_camp_routes())
}

/// The payment core and the training camps (docs/payments.md).
fn pay_and_camp_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/pay/wechat/notify", post(pay::notify))
        .route("/api/v1/pay/orders/{out_trade_no}", get(pay::order))
        .route("/api/v1/admin/pay/anomalies", get(pay::anomalies))
        .route("/api/v1/camps", get(camps::list))
        .route("/api/v1/camps/{id}", get(camps::show))
        .route("/api/v1/camps/{id}/enrol", post(camps::enrol))
        .route("/api/v1/camps/{id}/me", get(camps::me))
        .route(
            "/api/v1/admin/camps",
            get(admin::camps::list).post(admin::camps::create),
        )
        .route("/api/v1/admin/camps/{id}", get(admin::camps::show))
        .route(
            "/api/v1/admin/camps/{id}/publish",
            post(admin::camps::publish),
        )
        .route(
            "/api/v1/admin/camps/{id}/enrolments",
            get(admin::camps::enrolments),
        )
        .route(
            "/api/v1/admin/camps/{id}/enrolments/{enrolment_id}/match",
            put(admin::camps::set_match),
        )
        .route(
            "/api/v1/admin/camps/{id}/checkins/import",
            post(admin::camps::import_checkins),
        )
        .route(
            "/api/v1/admin/camps/{id}/refunds",
            get(admin::camps::refund_list),
        )
        .route(
            "/api/v1/admin/camps/{id}/refunds/review",
            post(admin::camps::review),
        )
}
