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
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// `{id}` of something just created.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Every route of the API, each bound to its OpenAPI operation: `routes!` takes the path and
/// method from the handler's `#[utoipa::path]`, so a route cannot exist undocumented (a test
/// refuses plain route calls in this crate).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health::healthz))
        .routes(routes!(auth::parent_login))
        .routes(routes!(auth::admin_login))
        .routes(routes!(profiles::list, profiles::create))
        .routes(routes!(club::show))
        .routes(routes!(sessions::list))
        .routes(routes!(bookings::mine, bookings::book))
        .routes(routes!(bookings::cancel))
        .routes(routes!(bookings::leave))
        .routes(routes!(waitlist::join))
        .routes(routes!(waitlist::mine))
        .routes(routes!(waitlist::position))
        .routes(routes!(waitlist::leave))
        .routes(routes!(offers::respond))
        .routes(routes!(offers::history))
        .routes(routes!(offers::resend))
        .routes(routes!(makeup::pending))
        .routes(routes!(makeup::available))
        .routes(routes!(makeup::book))
        .routes(routes!(makeup::mine))
        .routes(routes!(makeup::detail))
        .routes(routes!(makeup::cancel))
        .routes(routes!(compensation::balance))
        .routes(routes!(compensation::history))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::mark_all_read))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(notifications::record_grants))
        .merge(admin::router())
        .merge(pay_and_camp_routes())
}

/// The payment core and the training camps (docs/payments.md).
fn pay_and_camp_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pay::notify))
        .routes(routes!(pay::order))
        .routes(routes!(pay::anomalies))
        .routes(routes!(camps::list))
        .routes(routes!(camps::show))
        .routes(routes!(camps::enrol))
        .routes(routes!(camps::me))
        .routes(routes!(admin::camps::list, admin::camps::create))
        .routes(routes!(admin::camps::show))
        .routes(routes!(admin::camps::publish))
        .routes(routes!(admin::camps::enrolments))
        .routes(routes!(admin::camps::set_match))
        .routes(routes!(admin::camps::import_checkins))
        .routes(routes!(admin::camps::refund_list))
        .routes(routes!(admin::camps::review))
}
