//! Every mini-program page the backend links to, in one place: the `page` of WeChat subscribe
//! messages and the `data.page` of in-app notifications. Each path is registered in
//! `miniprogram/app.json` (a test reads it), so a renamed or removed page fails the build
//! instead of WeChat answering 41030.

use serde::Serialize;
use std::fmt;

/// The offer flow of one waitlist entry (立即预约 → 确认预约).
pub const OFFER: &str = "pages/waitlist/offer";
/// One waitlist entry: position, status, history.
pub const WAITLIST_DETAIL: &str = "pages/waitlist/detail";
/// The pending makeups (tab 补课).
pub const MAKEUPS: &str = "pages/makeup/index";
/// The parent's makeup bookings (我的补课).
pub const MY_MAKEUPS: &str = "pages/my-bookings/makeup/index";
/// Minute credits: balance and history.
pub const COMPENSATION: &str = "pages/makeup/compensation";
/// Leave one queue: asks once, then leaves (L1).
pub const LEAVE_WAITLIST: &str = "pages/waitlist/leave";

/// Every path above.
pub const ALL: [&str; 6] = [
    OFFER,
    WAITLIST_DETAIL,
    MAKEUPS,
    MY_MAKEUPS,
    COMPENSATION,
    LEAVE_WAITLIST,
];

/// A page of the mini-program with its query, e.g. `pages/waitlist/offer?id=12`. Only this
/// module makes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Page(String);

impl Page {
    fn of(path: &'static str) -> Self {
        Self(path.to_string())
    }

    fn with_id(path: &'static str, id: i64) -> Self {
        Self(format!("{path}?id={id}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Page {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<Page> for String {
    fn from(page: Page) -> Self {
        page.0
    }
}

impl fmt::Display for Page {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An offer to the entry (spot_available, hold_for_you, and the offer's other notices).
pub fn offer(waitlist_id: i64) -> Page {
    Page::with_id(OFFER, waitlist_id)
}

/// The entry itself (waitlist_expired, position_changed).
pub fn waitlist_entry(waitlist_id: i64) -> Page {
    Page::with_id(WAITLIST_DETAIL, waitlist_id)
}

/// L1: the one-tap way out of the entry's queue (`data.leave_page` of waitlist notices).
pub fn leave_waitlist(waitlist_id: i64) -> Page {
    Page::with_id(LEAVE_WAITLIST, waitlist_id)
}

/// The pending makeups, e.g. after a makeup is cancelled and its pending makeup is open again.
pub fn makeups() -> Page {
    Page::of(MAKEUPS)
}

/// The parent's makeup bookings (makeup_booked).
pub fn my_makeups() -> Page {
    Page::of(MY_MAKEUPS)
}

/// Minute credits (compensation_expiring).
pub fn compensation() -> Page {
    Page::of(COMPENSATION)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::page::{check_page, path_of, registered_pages};

    fn app_json_pages() -> Vec<String> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../miniprogram/app.json");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let app: serde_json::Value = serde_json::from_str(&text).expect("app.json is JSON");
        registered_pages(&app)
    }

    #[test]
    fn every_page_the_backend_links_is_registered_in_app_json() {
        let registered = app_json_pages();
        assert!(!registered.is_empty());
        for path in ALL {
            assert_eq!(check_page(&registered, path), Ok(()), "{path}");
        }
    }

    #[test]
    fn every_page_function_builds_a_listed_path() {
        let registered = app_json_pages();
        for page in [
            offer(12),
            waitlist_entry(12),
            makeups(),
            my_makeups(),
            compensation(),
            leave_waitlist(12),
        ] {
            assert!(ALL.contains(&path_of(page.as_str())), "{page}");
            assert_eq!(check_page(&registered, page.as_str()), Ok(()), "{page}");
        }
        assert_eq!(offer(12).as_str(), "pages/waitlist/offer?id=12");
        assert_eq!(leave_waitlist(5).as_str(), "pages/waitlist/leave?id=5");
        assert_eq!(
            serde_json::to_value(waitlist_entry(3)).unwrap(),
            "pages/waitlist/detail?id=3"
        );
    }
}
