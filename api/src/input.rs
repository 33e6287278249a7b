//! Checks of text input that match what the OpenAPI document declares for it (issue 15):
//! each schema constraint on a text field (`min_length`, `max_length`, `pattern`) has its rule
//! here, so "valid by the document" and "accepted by the service" are the same thing. The
//! fuzzer (`scripts/fuzz-api`) holds the two together.
//!
//! Lengths count characters as sent (JSON Schema counts code points), before trimming.

use crate::error::ApiError;

/// The blanks a name may not consist of only, and that are trimmed off it: what a parent can
/// type on a phone (space, tab, line breaks, no-break space, the full-width space).
pub const BLANKS: [char; 6] = [' ', '\t', '\n', '\r', '\u{a0}', '\u{3000}'];

/// The schema pattern of a name: at least one character that is not in [`BLANKS`].
pub const NOT_BLANK: &str = "[^ \\t\\n\\r\\u00a0\\u3000]";

/// Text of `min..=max` characters as sent (`minLength`, `maxLength`), not only blanks (the
/// pattern [`NOT_BLANK`]); answered trimmed of blanks.
pub fn text<'a>(
    field: &str,
    raw: &'a str,
    (min, max): (usize, usize),
    what: &str,
) -> Result<&'a str, ApiError> {
    let trimmed = raw.trim_matches(BLANKS);
    let length = raw.chars().count();
    if trimmed.is_empty() || length < min || length > max {
        return Err(ApiError::invalid(
            field,
            format!("{what}应为{min}–{max}个字符，且不能全为空白"),
        ));
    }
    Ok(trimmed)
}

/// A required name: [`text`] of 1..=`max` characters.
pub fn name<'a>(field: &str, raw: &'a str, max: usize, what: &str) -> Result<&'a str, ApiError> {
    text(field, raw, (1, max), what)
}

/// An optional RFC 3339 instant (`deserialize_with`): what JSON Schema's `date-time` format
/// accepts, nothing more (chrono's own `FromStr` also takes a space for the `T`).
pub fn rfc3339_opt<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, D::Error> {
    use serde::Deserialize;
    Option::<String>::deserialize(d)?
        .map(|s| {
            chrono::DateTime::parse_from_rfc3339(&s)
                .map(|t| t.with_timezone(&chrono::Utc))
                .map_err(|e| serde::de::Error::custom(format!("not an RFC 3339 date-time ({e})")))
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_count_characters_as_sent_and_are_trimmed_of_blanks_only() {
        assert_eq!(name("name", "  小明 ", 50, "姓名").unwrap(), "小明");
        assert_eq!(name("name", "\u{3000}小明", 50, "姓名").unwrap(), "小明");
        assert!(name("name", " \u{a0}\u{3000}\t", 50, "姓名").is_err());
        assert!(name("name", "", 50, "姓名").is_err());
        // 50 Chinese characters are 150 bytes and still fine; 51 characters are not
        assert!(name("name", &"体".repeat(50), 50, "姓名").is_ok());
        assert!(name("name", &"体".repeat(51), 50, "姓名").is_err());
        // a character the pattern does not call blank is a name (as the schema says)
        assert_eq!(name("name", "\u{feff}", 50, "姓名").unwrap(), "\u{feff}");
    }

    #[test]
    fn the_schema_pattern_names_exactly_the_blanks() {
        let listed: String = BLANKS
            .iter()
            .map(|c| match c {
                ' ' => " ".to_string(),
                '\t' => "\\t".into(),
                '\n' => "\\n".into(),
                '\r' => "\\r".into(),
                other => format!("\\u{:04x}", u32::from(*other)),
            })
            .collect();
        assert_eq!(NOT_BLANK, format!("[^{listed}]"));
    }
}
