//! A session (schedule + date) as the handlers see it: its start instant in the club's time
//! zone, its capacity and the ★ settings in force.

use crate::db::{self, sessions::ScheduleRow};
use crate::error::ApiError;
use crate::state::AppState;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use sqlx::MySqlConnection;
use workflows::SessionKey;
use workflows::rules::time::waitlist_cutoff;
use workflows::settings::ClassSettings;

#[derive(Debug, Clone)]
pub struct Session {
    pub key: SessionKey,
    pub schedule: ScheduleRow,
    pub starts_at: DateTime<Utc>,
}

/// The instant a class starts: its local date and time in the club's zone (the earlier
/// instant if a DST change makes it ambiguous).
pub fn starts_at(date: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    let local = date.and_time(time);
    tz.from_local_datetime(&local)
        .earliest()
        .unwrap_or_else(|| Utc.from_utc_datetime(&local).with_timezone(&tz))
        .with_timezone(&Utc)
}

/// How far from today a class date may be: a year back (history), two years ahead.
const DAYS_BACK: i64 = 366;
const DAYS_AHEAD: i64 = 731;

/// A class date within the range the club works with; 400 naming `field` otherwise (years
/// past 9999 and year 1 reach the database otherwise, and fail there).
pub fn check_date(field: &str, date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, ApiError> {
    let earliest = today - chrono::Duration::days(DAYS_BACK);
    let latest = today + chrono::Duration::days(DAYS_AHEAD);
    if date < earliest || date > latest {
        return Err(ApiError::invalid(
            field,
            format!("日期应在{earliest}至{latest}之间"),
        ));
    }
    Ok(date)
}

/// Today in the club's time zone.
pub fn today(tz: Tz) -> NaiveDate {
    Utc::now().with_timezone(&tz).date_naive()
}

/// The session of `schedule` on `date`: 404 for an unknown schedule, 400 when the date is
/// out of range or not the schedule's weekday.
pub async fn load(
    state: &AppState,
    schedule_id: i64,
    date: NaiveDate,
) -> Result<Session, ApiError> {
    check_date("booking_date", date, today(state.config.club_tz()))?;
    let schedule = db::sessions::schedule(&state.pool, schedule_id)
        .await?
        .ok_or(ApiError::not_found("课程安排"))?;
    of_schedule(schedule, date, state.config.club_tz())
}

pub fn of_schedule(schedule: ScheduleRow, date: NaiveDate, tz: Tz) -> Result<Session, ApiError> {
    let weekday =
        i8::try_from(date.weekday().number_from_monday()).expect("ISO weekdays are 1..=7");
    if weekday != schedule.weekday {
        return Err(ApiError::invalid(
            "booking_date",
            format!(
                "该课程安排在每周{}上课，{}不是上课日",
                weekday_name(schedule.weekday),
                date
            ),
        ));
    }
    Ok(Session {
        key: SessionKey::new(schedule.course_schedule_id, date),
        starts_at: starts_at(date, schedule.start_time, tz),
        schedule,
    })
}

fn weekday_name(iso: i8) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "日"]
        .get(usize::try_from(iso - 1).unwrap_or(0))
        .copied()
        .unwrap_or("?")
}

impl Session {
    /// Seats of this session: the ops override, else the course's capacity.
    pub fn capacity(&self, capacity_override: Option<i32>) -> u32 {
        // An override is written only from a validated capacity (1–200).
        capacity_override
            .and_then(|c| u32::try_from(c).ok())
            .unwrap_or(self.schedule.capacity)
    }

    pub async fn settings(&self, conn: &mut MySqlConnection) -> Result<ClassSettings, ApiError> {
        let (by_type, by_course) =
            db::settings::layers(conn, &self.schedule.course_type, self.schedule.course_id).await?;
        Ok(ClassSettings::resolve(&by_type, &by_course))
    }

    /// What M2 compares: this session as a makeup candidate.
    pub fn facts(&self) -> workflows::rules::makeup::ClassFacts<'_> {
        workflows::rules::makeup::ClassFacts {
            course_type: &self.schedule.course_type,
            level: self.schedule.level,
            duration_minutes: self.schedule.duration_minutes,
            coach: &self.schedule.coach,
            location: &self.schedule.location,
        }
    }

    pub fn cutoff_at(&self, settings: &ClassSettings) -> DateTime<Utc> {
        waitlist_cutoff(self.starts_at, settings.cutoff_seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_far_from_today_are_refused_by_field() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert!(check_date("booking_date", today, today).is_ok());
        for far in [
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(1, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(),
        ] {
            let err = check_date("date_from", far, today).unwrap_err();
            assert!(
                matches!(err, ApiError::InvalidInput { ref field, .. } if field == "date_from")
            );
        }
    }

    #[test]
    fn a_19_00_class_in_shanghai_starts_at_11_00_utc() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let t = starts_at(
            date,
            NaiveTime::from_hms_opt(19, 0, 0).unwrap(),
            chrono_tz::Asia::Shanghai,
        );
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 11, 25, 11, 0, 0).unwrap());
    }
}
