//! The `page` of a subscribe message must be a page of the released mini-program exactly as
//! `app.json` registers it (errcode 41030 otherwise), optionally followed by a query:
//! `pages/waitlist/offer?id=12`. This is the one place that rule is decided; the backend's
//! page list (`notify::pages`) and the WeChat test double both use it.

use serde_json::Value;

/// Every page path an `app.json` registers: `pages`, and each subpackage's `root` + page.
pub fn registered_pages(app_json: &Value) -> Vec<String> {
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_string))
            .collect()
    };
    let mut pages = strings(&app_json["pages"]);
    for key in ["subPackages", "subpackages"] {
        for package in app_json[key].as_array().into_iter().flatten() {
            let root = package["root"].as_str().unwrap_or_default();
            let root = root.trim_end_matches('/');
            for page in strings(&package["pages"]) {
                pages.push(format!("{root}/{page}"));
            }
        }
    }
    pages
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageViolation {
    #[error("page {0:?} starts with '/', app.json registers paths without it")]
    LeadingSlash(String),
    #[error("page {0:?} is not registered in app.json")]
    Unregistered(String),
}

/// The path part of `page` (before `?`).
pub fn path_of(page: &str) -> &str {
    page.split_once('?').map_or(page, |(path, _)| path)
}

/// Decides whether `page` opens one of the `registered` pages.
pub fn check_page(registered: &[String], page: &str) -> Result<(), PageViolation> {
    let path = path_of(page);
    if path.starts_with('/') {
        return Err(PageViolation::LeadingSlash(page.to_string()));
    }
    if registered.iter().any(|p| p == path) {
        Ok(())
    } else {
        Err(PageViolation::Unregistered(path.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_page_is_its_registered_path_with_an_optional_query() {
        let app = json!({
            "pages": ["pages/waitlist/offer", "pages/makeup/compensation"],
            "subPackages": [{"root": "extra/", "pages": ["pages/more/index"]}]
        });
        let pages = registered_pages(&app);
        assert_eq!(pages.len(), 3);
        for ok in [
            "pages/waitlist/offer?id=12",
            "pages/waitlist/offer",
            "pages/makeup/compensation",
            "extra/pages/more/index?x=1",
        ] {
            assert_eq!(check_page(&pages, ok), Ok(()), "{ok}");
        }
        for bad in [
            "pages/waitlist/offer/index?id=12",
            "pages/makeup/compensation/index",
            "pages/waitlist",
            "/pages/waitlist/offer",
            "pages/more/index",
        ] {
            assert!(check_page(&pages, bad).is_err(), "{bad}");
        }
    }
}
