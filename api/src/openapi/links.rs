//! OpenAPI links: which answer's id feeds which operation's path, so a client (and the
//! fuzzer's stateful phase) can go from "joined the queue" to "my position", "leave",
//! "respond" with a real id instead of guessing one. The fuzzer's own link inference is off
//! (tests/fuzz/schemathesis.toml): it took ids from nullable fields and sent `None`.

use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::{OpenApi, RefOr};

/// `(from operation, its status, to operation, [(path parameter, JSON pointer into the answer)])`.
type Link = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// The links of the document.
pub const LINKS: &[Link] = &[
    // parent: a booking and what can be done with it
    (
        "bookings_book",
        "201",
        "bookings_cancel",
        &[("id", "/data/booking_id")],
    ),
    (
        "bookings_book",
        "201",
        "bookings_leave",
        &[("id", "/data/booking_id")],
    ),
    (
        "bookings_mine",
        "200",
        "bookings_cancel",
        &[("id", "/data/items/0/booking_id")],
    ),
    // a queue entry
    ("join", "201", "position", &[("id", "/data/waitlist_id")]),
    ("join", "201", "respond", &[("id", "/data/waitlist_id")]),
    (
        "join",
        "201",
        "offers_history",
        &[("id", "/data/waitlist_id")],
    ),
    (
        "join",
        "201",
        "waitlist_leave",
        &[("id", "/data/waitlist_id")],
    ),
    (
        "waitlist_mine",
        "200",
        "position",
        &[("id", "/data/items/0/waitlist_id")],
    ),
    (
        "waitlist_mine",
        "200",
        "offers_history",
        &[("id", "/data/items/0/waitlist_id")],
    ),
    // makeups
    (
        "makeup_book",
        "201",
        "detail",
        &[("id", "/data/makeup_booking_id")],
    ),
    (
        "makeup_book",
        "201",
        "makeup_cancel",
        &[("id", "/data/makeup_booking_id")],
    ),
    (
        "makeup_mine",
        "200",
        "detail",
        &[("id", "/data/items/0/makeup_booking_id")],
    ),
    (
        "pending",
        "200",
        "available",
        &[("pending_id", "/data/items/0/pending_id")],
    ),
    // notifications
    (
        "notifications_list",
        "200",
        "mark_read",
        &[("id", "/data/items/0/id")],
    ),
    // camps
    (
        "camps_list",
        "200",
        "camps_show",
        &[("id", "/data/items/0/id")],
    ),
    (
        "camps_list",
        "200",
        "camps_me",
        &[("id", "/data/items/0/id")],
    ),
    // staff: courses, accounts, families, camps
    ("courses_create", "201", "for_course", &[("id", "/data/id")]),
    (
        "courses_list",
        "200",
        "for_course",
        &[("id", "/data/items/0/id")],
    ),
    ("staff_create", "201", "update", &[("id", "/data/id")]),
    (
        "search",
        "200",
        "families_show",
        &[("user_id", "/data/items/0/user_id")],
    ),
    (
        "search",
        "200",
        "to_family",
        &[("user_id", "/data/items/0/user_id")],
    ),
    ("create", "201", "admin_camps_show", &[("id", "/data/id")]),
    ("create", "201", "publish", &[("id", "/data/id")]),
    ("create", "201", "enrolments", &[("id", "/data/id")]),
    (
        "admin_camps_list",
        "200",
        "admin_camps_show",
        &[("id", "/data/items/0/id")],
    ),
];

/// utoipa 5 writes a link's fields in snake case (`operation_id`); OpenAPI spells them
/// `operationId`, `operationRef`, `requestBody`. Fixed in the served JSON.
pub fn spell_in_camel_case(doc: &mut serde_json::Value) {
    match doc {
        serde_json::Value::Object(fields) => {
            if let Some(serde_json::Value::Object(links)) = fields.get_mut("links") {
                for link in links.values_mut() {
                    if let serde_json::Value::Object(l) = link {
                        for (snake, camel) in [
                            ("operation_id", "operationId"),
                            ("operation_ref", "operationRef"),
                            ("request_body", "requestBody"),
                        ] {
                            if let Some(v) = l.remove(snake) {
                                l.insert(camel.to_string(), v);
                            }
                        }
                    }
                }
            }
            fields.values_mut().for_each(spell_in_camel_case);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(spell_in_camel_case),
        _ => {}
    }
}

/// Adds [`LINKS`] to the answers they start from.
pub fn add(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
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
            let Some(from) = op.operation_id.clone() else {
                continue;
            };
            for (source, status, target, params) in LINKS.iter().filter(|l| l.0 == from) {
                let Some(RefOr::T(response)) = op.responses.responses.get_mut(*status) else {
                    continue;
                };
                let mut link = LinkBuilder::new().operation_id(*target);
                for (name, pointer) in params.iter() {
                    link = link.parameter(*name, format!("$response.body#{pointer}"));
                }
                response
                    .links
                    .insert(format!("{target}_from_{source}"), RefOr::T(link.build()));
            }
        }
    }
}
