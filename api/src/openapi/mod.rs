//! The OpenAPI document, generated from the handlers' annotations and the router itself
//! (utoipa-axum: a route and its operation are one declaration), then finished by
//! [`ErrorAnswers`]: every operation lists the error statuses the service can answer it with,
//! in the envelope, so the document says what the service does (issue 15; fuzzed by
//! `scripts/fuzz-api`).

mod links;

use crate::envelope::{Envelope, Items};
use crate::routes::{self, Created};
use crate::state::AppState;
use axum::Router;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, ObjectBuilder, Ref, RefOr, Response, Type};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "Gymnastics club waitlist & makeup API", version = "1",
         description = "Envelope {code, message, data}: `code` is the HTTP status on success and a \
                        business code on error (table in docs/api.md, generated from api::error::codes). \
                        Times are RFC 3339 with the club's offset; dates are YYYY-MM-DD in the club's \
                        time zone."),
    components(schemas(Created, Envelope<Created>, Items<Created>, ErrorBody)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth"), (name = "club"), (name = "profiles"), (name = "sessions"), (name = "bookings"),
        (name = "waitlist"), (name = "makeup"), (name = "compensation"), (name = "notifications"), (name = "admin"), (name = "ops"), (name = "pay"), (name = "camps"),
    )
)]
pub struct ApiDoc;

/// An error answer: the envelope with a business code (docs/api.md). `data` is null, or
/// `{field}` on a 400, or the verdict of an offer answer (409 taken, 410 expired).
#[derive(ToSchema)]
#[allow(dead_code)] // a schema only: errors are written by `ApiError`
pub struct ErrorBody {
    /// business code, e.g. 40901
    #[schema(minimum = 40000, maximum = 59999, example = 40400)]
    code: u32,
    /// a sentence for the parent or operator (Chinese)
    #[schema(example = "课程不存在")]
    message: String,
    data: Option<serde_json::Value>,
}

/// The API's router and its finished document, from the routes.
pub fn split(router: OpenApiRouter<AppState>) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(router)
        .split_for_parts();
    ErrorAnswers.modify(&mut doc);
    links::add(&mut doc);
    AtLeastOne {
        schema: "StaffChange",
        fields: &[
            ("role", Type::String, None),
            ("disabled", Type::Boolean, None),
            ("password", Type::String, None),
        ],
    }
    .modify(&mut doc);
    AtLeastOne {
        schema: "EnrolBody",
        fields: &[
            (
                "community_user_id",
                Type::String,
                Some(crate::input::NOT_BLANK),
            ),
            (
                "community_nickname",
                Type::String,
                Some(crate::input::NOT_BLANK),
            ),
            (
                "wechat_nickname",
                Type::String,
                Some(crate::input::NOT_BLANK),
            ),
        ],
    }
    .modify(&mut doc);
    (router, doc)
}

/// The whole document.
pub fn document() -> utoipa::openapi::OpenApi {
    split(routes::router()).1
}

/// The document as served at `/api-docs/openapi.json` (and printed by `api openapi`).
pub fn to_json(doc: &utoipa::openapi::OpenApi) -> serde_json::Value {
    let mut value = serde_json::to_value(doc).unwrap_or_default();
    links::spell_in_camel_case(&mut value);
    value
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

/// The error statuses every operation of a kind can answer with, added to each (a handler
/// declares the ones only it has: 404 of a body id, 409 with its business codes, 410, 429):
///
/// | status | when | added to |
/// |---|---|---|
/// | 400 | a parameter or field out of range (`data.field`) | operations with parameters or a body |
/// | 401 | no, a bad or an expired token | operations with `security` |
/// | 403 | the wrong role, or not yours | operations with `security` |
/// | 404 | the id in the path names nothing | operations with path parameters |
/// | 413 | the body is larger than the limit | operations with a body |
/// | 422 | the body is not JSON at all | operations with a body |
/// | 503 | the database, Temporal or WeChat does not answer, or a session is busy | every operation |
///
/// Error answers declared without content get the [`ErrorBody`] envelope; 429 and 503 carry
/// `Retry-After`.
struct ErrorAnswers;

impl Modify for ErrorAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                add_error_answers(op);
            }
        }
    }
}

fn add_error_answers(op: &mut Operation) {
    let params = op.parameters.as_deref().unwrap_or_default();
    let has_path_param = params
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Path));
    let has_input = !params.is_empty() || op.request_body.is_some();
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut shared: Vec<(u16, &str)> = vec![(
        503,
        "50300: the database, Temporal or WeChat does not answer, or the session is busy; repeat after Retry-After",
    )];
    if has_input {
        shared.push((
            400,
            "40000: a parameter or field is missing or out of range; `data.field` names it",
        ));
    }
    if secured {
        shared.push((
            401,
            "40100: no token, or a bad or expired one: log in again",
        ));
        shared.push((403, "40300: the wrong role for this route, or not yours"));
    }
    if has_path_param {
        shared.push((404, "40400: the id in the path names nothing (of yours)"));
    }
    if op.request_body.is_some() {
        shared.push((413, "41300: the body is larger than the limit"));
        shared.push((
            422,
            "42200: the body is not JSON, or not sent as application/json",
        ));
    }
    let responses = &mut op.responses.responses;
    for (status, description) in shared {
        responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(Response::new(description)));
    }
    for (status, response) in responses.iter_mut() {
        let Ok(code) = status.parse::<u16>() else {
            continue;
        };
        if let RefOr::T(response) = response {
            finish_error_answer(code, response);
        }
    }
}

/// An error answer gets the envelope as its content and, on 429/503, `Retry-After`.
fn finish_error_answer(status: u16, response: &mut Response) {
    if status < 400 {
        return;
    }
    if response.content.is_empty() {
        let body = ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("ErrorBody")))
            .build();
        *response = ResponseBuilder::from(response.clone())
            .content("application/json", body)
            .build();
    }
    if matches!(status, 429 | 503) && !response.headers.contains_key("Retry-After") {
        let seconds = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .build();
        response.headers.insert(
            "Retry-After".into(),
            HeaderBuilder::new()
                .schema(seconds)
                .description(Some("seconds to wait before repeating the request"))
                .build(),
        );
    }
}

/// A body that must say something: at least one of `fields` present, not null and (with a
/// pattern) not blank — what the handler checks — as an `anyOf` around the derived schema.
struct AtLeastOne {
    schema: &'static str,
    fields: &'static [(&'static str, Type, Option<&'static str>)],
}

impl Modify for AtLeastOne {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{AllOfBuilder, AnyOfBuilder, Schema};
        let Some(schemas) = openapi.components.as_mut().map(|c| &mut c.schemas) else {
            return;
        };
        let Some(derived) = schemas.remove(self.schema) else {
            return;
        };
        let mut any = AnyOfBuilder::new();
        for (field, ty, pattern) in self.fields {
            let value = ObjectBuilder::new()
                .schema_type(ty.clone())
                .pattern(pattern.map(str::to_string));
            any = any.item(
                ObjectBuilder::new()
                    .required(*field)
                    .property(*field, value),
            );
        }
        let both = AllOfBuilder::new().item(derived).item(any).build();
        schemas.insert(self.schema.to_string(), RefOr::T(Schema::AllOf(both)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn operations(doc: &utoipa::openapi::OpenApi) -> Vec<(String, &Operation)> {
        let mut out = Vec::new();
        for (path, item) in &doc.paths.paths {
            for (method, op) in [
                ("get", &item.get),
                ("put", &item.put),
                ("post", &item.post),
                ("delete", &item.delete),
                ("patch", &item.patch),
            ] {
                if let Some(op) = op {
                    out.push((format!("{method} {path}"), op));
                }
            }
        }
        out
    }

    #[test]
    fn every_link_leads_from_an_answer_to_a_parameter_of_an_operation() {
        let doc = document();
        let ops = operations(&doc);
        let find = |id: &str| {
            ops.iter()
                .find(|(_, op)| op.operation_id.as_deref() == Some(id))
                .map(|(_, op)| *op)
                .unwrap_or_else(|| panic!("no operation {id}"))
        };
        for (from, status, to, params) in links::LINKS {
            let source = find(from);
            let Some(RefOr::T(answer)) = source.responses.responses.get(*status) else {
                panic!("{from} has no {status} answer");
            };
            assert!(
                answer.links.keys().any(|k| k.starts_with(to)),
                "{from} → {to}"
            );
            let target = find(to);
            for (name, pointer) in *params {
                assert!(
                    target.parameters.iter().flatten().any(|p| p.name == *name),
                    "{to} has no parameter {name}"
                );
                assert!(pointer.starts_with("/data/"), "{pointer}");
            }
        }
    }

    #[test]
    fn the_served_json_spells_link_fields_as_openapi_does() {
        let text = to_json(&document()).to_string();
        assert!(
            text.contains("\"operationId\":\"position\""),
            "links lead somewhere"
        );
        assert!(
            !text.contains("operation_id"),
            "utoipa's snake case is fixed"
        );
    }

    #[test]
    fn operation_ids_are_unique() {
        let doc = document();
        let mut seen = BTreeSet::new();
        for (route, op) in operations(&doc) {
            let id = op.operation_id.clone().unwrap_or_default();
            assert!(
                seen.insert(id.clone()),
                "{route}: operationId {id} used twice"
            );
        }
    }

    #[test]
    fn every_operation_declares_its_shared_error_answers_in_the_envelope() {
        let doc = document();
        for (route, op) in operations(&doc) {
            let statuses = &op.responses.responses;
            assert!(statuses.contains_key("503"), "{route}");
            if op.security.is_some() {
                assert!(
                    statuses.contains_key("401") && statuses.contains_key("403"),
                    "{route}"
                );
            }
            if op.request_body.is_some() {
                for s in ["400", "413", "422"] {
                    assert!(statuses.contains_key(s), "{route}: {s}");
                }
            }
            for (status, response) in statuses {
                if status.as_str() >= "400" {
                    let RefOr::T(r) = response else { continue };
                    assert!(
                        r.content.contains_key("application/json"),
                        "{route} {status}"
                    );
                }
            }
        }
    }

    #[test]
    fn path_parameters_are_the_paths_own_and_the_rest_are_query_parameters() {
        // An `IntoParams` struct without `parameter_in = Query` is documented as path
        // parameters; the fuzzer then never sends them where the service reads them.
        let doc = document();
        for (route, op) in operations(&doc) {
            let path = route.split_once(' ').unwrap().1;
            for p in op.parameters.iter().flatten() {
                let in_path = path.contains(&format!("{{{}}}", p.name));
                assert_eq!(
                    matches!(p.parameter_in, ParameterIn::Path),
                    in_path,
                    "{route}: parameter {} is documented in the wrong place",
                    p.name
                );
            }
        }
    }

    #[test]
    fn routes_are_added_only_through_routes_so_each_is_documented() {
        // `OpenApiRouter::route` (or an axum `Router::route`) would add a route with no
        // operation; the documented routes go through `routes!`. app.rs adds only the docs,
        // the metrics and the console, which are not part of the API.
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src/routes");
        let mut stack = vec![std::path::PathBuf::from(src)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert!(
                        !text.contains(".route(") && !text.contains("routing::"),
                        "{}: add routes with .routes(routes!(handler)) so they are documented",
                        path.display()
                    );
                }
            }
        }
    }
}
