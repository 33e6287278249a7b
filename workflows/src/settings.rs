//! The ★ settings of design §4: built-in defaults, overridden per course type, overridden per
//! course. Resolution is a pure function so the API and the activities agree on it.

use serde::{Deserialize, Serialize};

/// Settings in force for one course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSettings {
    pub waitlist_capacity: u32,
    pub response_window_seconds: u32,
    pub hold_window_seconds: u32,
    pub grace_seconds: u32,
    pub cutoff_seconds: u32,
    pub compensation_valid_days: u32,
    pub makeup_cancel_cutoff_seconds: u32,
    pub extra_requires_compensation: bool,
    /// Credit validity (M4): `compensation_valid_days` in seconds unless set finer.
    pub compensation_valid_seconds: u32,
    /// How long before expiry the reminder goes out (M6, default 2 days).
    pub compensation_reminder_seconds: u32,
}

impl Default for ClassSettings {
    fn default() -> Self {
        Self {
            waitlist_capacity: 8,
            response_window_seconds: 15 * 60,
            hold_window_seconds: 15 * 60,
            grace_seconds: 2 * 60,
            cutoff_seconds: 6 * 60 * 60,
            compensation_valid_days: 14,
            makeup_cancel_cutoff_seconds: 6 * 60 * 60,
            extra_requires_compensation: false,
            compensation_valid_seconds: 14 * 24 * 3600,
            compensation_reminder_seconds: 2 * 24 * 3600,
        }
    }
}

/// One layer of overrides (a course type's or a course's row); `None` inherits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsOverride {
    pub waitlist_capacity: Option<u32>,
    pub response_window_seconds: Option<u32>,
    pub hold_window_seconds: Option<u32>,
    pub grace_seconds: Option<u32>,
    pub cutoff_seconds: Option<u32>,
    pub compensation_valid_days: Option<u32>,
    pub makeup_cancel_cutoff_seconds: Option<u32>,
    pub extra_requires_compensation: Option<bool>,
    #[serde(default)]
    pub compensation_valid_seconds: Option<u32>,
    #[serde(default)]
    pub compensation_reminder_seconds: Option<u32>,
}

impl ClassSettings {
    /// Defaults, then the course type's layer, then the course's layer (W2: course-specific
    /// config overrides the course-type config).
    pub fn resolve(course_type: &SettingsOverride, course: &SettingsOverride) -> Self {
        Self::default().with(course_type).with(course)
    }

    fn with(self, o: &SettingsOverride) -> Self {
        Self {
            waitlist_capacity: o.waitlist_capacity.unwrap_or(self.waitlist_capacity),
            response_window_seconds: o
                .response_window_seconds
                .unwrap_or(self.response_window_seconds),
            hold_window_seconds: o.hold_window_seconds.unwrap_or(self.hold_window_seconds),
            grace_seconds: o.grace_seconds.unwrap_or(self.grace_seconds),
            cutoff_seconds: o.cutoff_seconds.unwrap_or(self.cutoff_seconds),
            compensation_valid_days: o
                .compensation_valid_days
                .unwrap_or(self.compensation_valid_days),
            makeup_cancel_cutoff_seconds: o
                .makeup_cancel_cutoff_seconds
                .unwrap_or(self.makeup_cancel_cutoff_seconds),
            extra_requires_compensation: o
                .extra_requires_compensation
                .unwrap_or(self.extra_requires_compensation),
            compensation_valid_seconds: o
                .compensation_valid_seconds
                .or(o
                    .compensation_valid_days
                    .map(|d| d.saturating_mul(24 * 3600)))
                .unwrap_or(self.compensation_valid_seconds),
            compensation_reminder_seconds: o
                .compensation_reminder_seconds
                .unwrap_or(self.compensation_reminder_seconds),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_overrides_course_type_which_overrides_defaults() {
        let vip = SettingsOverride {
            waitlist_capacity: Some(5),
            grace_seconds: Some(60),
            ..Default::default()
        };
        let course = SettingsOverride {
            waitlist_capacity: Some(3),
            ..Default::default()
        };
        let s = ClassSettings::resolve(&vip, &course);
        assert_eq!(s.waitlist_capacity, 3);
        assert_eq!(s.grace_seconds, 60);
        assert_eq!(s.cutoff_seconds, 6 * 3600);
        assert_eq!(
            ClassSettings::resolve(&vip, &Default::default()).waitlist_capacity,
            5
        );
        assert_eq!(
            ClassSettings::resolve(&Default::default(), &Default::default()).waitlist_capacity,
            8
        );
    }
}
