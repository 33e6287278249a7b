//! The ★ settings rows: per course type (`unified_waitlist_capacity`) and per course
//! (`course_waitlist_config`). NULL columns inherit.

use sqlx::{MySqlConnection, MySqlPool};
use std::collections::HashMap;
use workflows::settings::{ClassSettings, SettingsOverride};

#[derive(Debug, Default, sqlx::FromRow)]
struct OverrideRow {
    waitlist_capacity: Option<i32>,
    response_window_seconds: Option<i32>,
    hold_window_seconds: Option<i32>,
    grace_seconds: Option<i32>,
    cutoff_seconds: Option<i32>,
    compensation_valid_days: Option<i32>,
    makeup_cancel_cutoff_seconds: Option<i32>,
    extra_requires_compensation: Option<bool>,
    compensation_valid_seconds: Option<i32>,
    compensation_reminder_seconds: Option<i32>,
}

impl From<OverrideRow> for SettingsOverride {
    fn from(r: OverrideRow) -> Self {
        let u = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok());
        SettingsOverride {
            waitlist_capacity: u(r.waitlist_capacity),
            response_window_seconds: u(r.response_window_seconds),
            hold_window_seconds: u(r.hold_window_seconds),
            grace_seconds: u(r.grace_seconds),
            cutoff_seconds: u(r.cutoff_seconds),
            compensation_valid_days: u(r.compensation_valid_days),
            makeup_cancel_cutoff_seconds: u(r.makeup_cancel_cutoff_seconds),
            extra_requires_compensation: r.extra_requires_compensation,
            compensation_valid_seconds: u(r.compensation_valid_seconds),
            compensation_reminder_seconds: u(r.compensation_reminder_seconds),
        }
    }
}

const COLUMNS: &str = "waitlist_capacity, response_window_seconds, hold_window_seconds, grace_seconds, \
     cutoff_seconds, compensation_valid_days, makeup_cancel_cutoff_seconds, extra_requires_compensation, \
     compensation_valid_seconds, compensation_reminder_seconds";

/// The two override layers of one course.
pub async fn layers(
    conn: &mut MySqlConnection,
    course_type: &str,
    course_id: i64,
) -> Result<(SettingsOverride, SettingsOverride), sqlx::Error> {
    let by_type: Option<OverrideRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM unified_waitlist_capacity WHERE course_type = ?"
    ))
    .bind(course_type)
    .fetch_optional(&mut *conn)
    .await?;
    let by_course: Option<OverrideRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM course_waitlist_config WHERE course_id = ?"
    ))
    .bind(course_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok((
        by_type.unwrap_or_default().into(),
        by_course.unwrap_or_default().into(),
    ))
}

/// Every override layer, for listings.
#[derive(Debug, Default, Clone)]
pub struct Layers {
    pub by_type: HashMap<String, SettingsOverride>,
    pub by_course: HashMap<i64, SettingsOverride>,
}

impl Layers {
    /// The settings in force for one course (W2: course over course type over defaults).
    pub fn resolve(&self, course_type: &str, course_id: i64) -> ClassSettings {
        ClassSettings::resolve(
            &self.by_type.get(course_type).copied().unwrap_or_default(),
            &self.by_course.get(&course_id).copied().unwrap_or_default(),
        )
    }

    /// The settings of a course type without course overrides.
    pub fn of_type(&self, course_type: &str) -> ClassSettings {
        ClassSettings::resolve(
            &self.by_type.get(course_type).copied().unwrap_or_default(),
            &SettingsOverride::default(),
        )
    }
}

pub async fn all_layers(pool: &MySqlPool) -> Result<Layers, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct TypeRow {
        course_type: String,
        #[sqlx(flatten)]
        o: OverrideRow,
    }
    #[derive(sqlx::FromRow)]
    struct CourseRow {
        course_id: i64,
        #[sqlx(flatten)]
        o: OverrideRow,
    }
    let types: Vec<TypeRow> = sqlx::query_as(&format!(
        "SELECT course_type, {COLUMNS} FROM unified_waitlist_capacity"
    ))
    .fetch_all(pool)
    .await?;
    let courses: Vec<CourseRow> = sqlx::query_as(&format!(
        "SELECT course_id, {COLUMNS} FROM course_waitlist_config"
    ))
    .fetch_all(pool)
    .await?;
    Ok(Layers {
        by_type: types
            .into_iter()
            .map(|r| (r.course_type, r.o.into()))
            .collect(),
        by_course: courses
            .into_iter()
            .map(|r| (r.course_id, r.o.into()))
            .collect(),
    })
}

/// Which table a settings change goes to.
pub enum Scope<'a> {
    CourseType(&'a str),
    Course(i64),
}

/// Sets the given fields (others untouched) of one layer.
pub async fn upsert(
    pool: &MySqlPool,
    scope: Scope<'_>,
    o: &SettingsOverride,
) -> Result<(), sqlx::Error> {
    let (table, key_column) = match scope {
        Scope::CourseType(_) => ("unified_waitlist_capacity", "course_type"),
        Scope::Course(_) => ("course_waitlist_config", "course_id"),
    };
    // Present fields overwrite, absent ones keep the stored value.
    let sql = format!(
        "INSERT INTO {table} ({key_column}, {COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE
           waitlist_capacity = COALESCE(VALUES(waitlist_capacity), waitlist_capacity),
           response_window_seconds = COALESCE(VALUES(response_window_seconds), response_window_seconds),
           hold_window_seconds = COALESCE(VALUES(hold_window_seconds), hold_window_seconds),
           grace_seconds = COALESCE(VALUES(grace_seconds), grace_seconds),
           cutoff_seconds = COALESCE(VALUES(cutoff_seconds), cutoff_seconds),
           compensation_valid_days = COALESCE(VALUES(compensation_valid_days), compensation_valid_days),
           makeup_cancel_cutoff_seconds = COALESCE(VALUES(makeup_cancel_cutoff_seconds), makeup_cancel_cutoff_seconds),
           extra_requires_compensation = COALESCE(VALUES(extra_requires_compensation), extra_requires_compensation),
           compensation_valid_seconds = COALESCE(VALUES(compensation_valid_seconds), compensation_valid_seconds),
           compensation_reminder_seconds = COALESCE(VALUES(compensation_reminder_seconds), compensation_reminder_seconds)"
    );
    let query = sqlx::query(&sql);
    let query = match scope {
        Scope::CourseType(t) => query.bind(t),
        Scope::Course(id) => query.bind(id),
    };
    query
        .bind(o.waitlist_capacity)
        .bind(o.response_window_seconds)
        .bind(o.hold_window_seconds)
        .bind(o.grace_seconds)
        .bind(o.cutoff_seconds)
        .bind(o.compensation_valid_days)
        .bind(o.makeup_cancel_cutoff_seconds)
        .bind(o.extra_requires_compensation)
        .bind(o.compensation_valid_seconds)
        .bind(o.compensation_reminder_seconds)
        .execute(pool)
        .await?;
    Ok(())
}
