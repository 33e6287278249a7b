//! The OpenAPI document, generated from the handlers' annotations.

use crate::envelope::{Envelope, Items};
use crate::routes::{self, Created};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Gymnastics club waitlist & makeup API", version = "1",
         description = "Envelope {code, message, data}; business codes in docs/api.md."),
    paths(
        routes::health::healthz,
        routes::auth::parent_login,
        routes::auth::admin_login,
        routes::profiles::list,
        routes::profiles::create,
        routes::club::show,
        routes::sessions::list,
        routes::bookings::book,
        routes::bookings::mine,
        routes::bookings::cancel,
        routes::bookings::leave,
        routes::waitlist::join,
        routes::waitlist::mine,
        routes::waitlist::position,
        routes::waitlist::leave,
        routes::offers::respond,
        routes::offers::history,
        routes::offers::resend,
        routes::admin::offers::list,
        routes::admin::stats::show,
        routes::makeup::pending,
        routes::makeup::available,
        routes::makeup::book,
        routes::makeup::mine,
        routes::makeup::detail,
        routes::makeup::cancel,
        routes::compensation::balance,
        routes::compensation::history,
        routes::notifications::list,
        routes::notifications::mark_read,
        routes::notifications::mark_all_read,
        routes::notifications::record_grants,
        routes::admin::courses::create,
        routes::admin::courses::list,
        routes::admin::courses::create_schedule,
        routes::admin::settings::for_course_type,
        routes::admin::settings::for_course,
        routes::admin::sessions::show,
        routes::admin::sessions::set_capacity,
        routes::pay::notify,
        routes::pay::order,
        routes::pay::anomalies,
        routes::camps::list,
        routes::camps::show,
        routes::camps::enrol,
        routes::camps::me,
        routes::admin::camps::create,
        routes::admin::camps::list,
        routes::admin::camps::show,
        routes::admin::camps::publish,
        routes::admin::camps::enrolments,
        routes::admin::camps::refund_list,
        routes::admin::camps::set_match,
        routes::admin::camps::import_checkins,
        routes::admin::camps::review,
    ),
    components(schemas(Created, Envelope<Created>, Items<Created>)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth"), (name = "club"), (name = "profiles"), (name = "sessions"), (name = "bookings"),
        (name = "waitlist"), (name = "makeup"), (name = "compensation"), (name = "notifications"), (name = "admin"), (name = "ops"), (name = "pay"), (name = "camps"),
    )
)]
pub struct ApiDoc;

/// The whole document: the routes above and the staff console's.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(routes::admin::ConsoleDoc::openapi());
    doc
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}
