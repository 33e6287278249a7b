//! `GET /api/v1/sessions`: classes over a date range with seats, queue and the caller's status.

use crate::auth::extract::Parent;
use crate::db;
use crate::envelope::{Envelope, Items, Reply};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::routes::club::Rules;
use crate::session::{self, Session};
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use workflows::SessionKey;
use workflows::rules::seats::SeatCount;

const MAX_RANGE_DAYS: i64 = 62;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionQuery {
    /// first day (club time zone), default today
    pub date_from: Option<NaiveDate>,
    /// last day, default 13 days after `date_from`
    pub date_to: Option<NaiveDate>,
    /// e.g. group, vip, private
    pub course_type: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionItem {
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub course_id: i64,
    pub course_name: String,
    pub course_type: String,
    pub level: i8,
    pub duration_minutes: u32,
    /// yuan
    pub price: f64,
    pub starts_at: DateTime<FixedOffset>,
    pub coach: String,
    pub location: String,
    pub booked: u32,
    pub capacity: u32,
    /// capacity − booked − seats held by open offers (they belong to the waitlist), ≥ 0
    pub seats_left: u32,
    /// `seats_left == 0`: book through the waitlist
    pub is_full: bool,
    pub waitlist_count: u32,
    pub waitlist_capacity: u32,
    /// false once the waitlist cutoff has passed
    pub waitlist_open: bool,
    /// class start − the cutoff ★: when the waitlist closes and offers stop
    pub cutoff_at: DateTime<FixedOffset>,
    /// the ★ settings in force for this course
    pub rules: Rules,
    pub mine: Vec<Mine>,
}

/// The caller's child in this session.
#[derive(Debug, Serialize, ToSchema)]
pub struct Mine {
    pub profile_id: i64,
    /// booked | waitlisted | offered (an open offer this child may confirm now)
    pub state: &'static str,
    pub booking_id: Option<i64>,
    pub waitlist_id: Option<i64>,
    pub position: Option<i64>,
}

pub fn in_club_time(t: DateTime<Utc>, tz: Tz) -> DateTime<FixedOffset> {
    t.with_timezone(&tz).fixed_offset()
}

pub fn yuan(cents: i32) -> f64 {
    f64::from(cents) / 100.0
}

/// The dates of `[from, to]` that fall on ISO weekday `weekday`.
fn dates_on_weekday(
    from: NaiveDate,
    to: NaiveDate,
    weekday: i8,
) -> impl Iterator<Item = NaiveDate> {
    from.iter_days()
        .take_while(move |d| *d <= to)
        .filter(move |d| i64::from(d.weekday().number_from_monday()) == i64::from(weekday))
}

#[utoipa::path(operation_id = "sessions_list", get, path = "/api/v1/sessions", tag = "sessions", security(("bearer" = [])), params(SessionQuery),
    responses((status = 200, body = Envelope<Items<SessionItem>>),
              (status = 400, description = "40000: a date more than 366 days back or 731 ahead, date_to before date_from, or more than 62 days")))]
pub async fn list(
    State(state): State<AppState>,
    parent: Parent,
    ApiQuery(q): ApiQuery<SessionQuery>,
) -> Result<Reply<Items<SessionItem>>, ApiError> {
    let (from, to) = date_range(&state, q.date_from, q.date_to)?;
    let items = session_items(&state, parent, from, to, q.course_type.as_deref()).await?;
    Ok(Reply::ok(Items { items }))
}

/// `[from, to]` with the defaults (today, +13 days) and limits of the listing.
pub fn date_range(
    state: &AppState,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let today = session::today(state.config.club_tz());
    let from = session::check_date("date_from", from.unwrap_or(today), today)?;
    let to = session::check_date("date_to", to.unwrap_or(from + Duration::days(13)), today)?;
    if to < from {
        return Err(ApiError::invalid("date_to", "结束日期不能早于开始日期"));
    }
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(ApiError::invalid(
            "date_to",
            format!("一次最多查询{MAX_RANGE_DAYS}天"),
        ));
    }
    Ok((from, to))
}

/// Every session of `[from, to]` (optionally one course type) with seats, queue and the
/// caller's children's status, soonest first.
pub async fn session_items(
    state: &AppState,
    parent: Parent,
    from: NaiveDate,
    to: NaiveDate,
    course_type: Option<&str>,
) -> Result<Vec<SessionItem>, ApiError> {
    let tz = state.config.club_tz();
    let now = Utc::now();
    let schedules = db::sessions::schedules(&state.pool, course_type).await?;
    let counts = db::sessions::range_counts(&state.pool, from, to).await?;
    let layers = db::settings::all_layers(&state.pool).await?;
    let mut mine: HashMap<SessionKey, Vec<Mine>> = HashMap::new();
    for (profile_id, booking_id, key) in
        db::bookings::parent_seats(&state.pool, parent.user_id, from, to).await?
    {
        mine.entry(key).or_default().push(Mine {
            profile_id,
            state: "booked",
            booking_id: Some(booking_id),
            waitlist_id: None,
            position: None,
        });
    }
    let offered: Vec<i64> = db::offers::open_offers_of_parent(&state.pool, parent.user_id)
        .await?
        .into_iter()
        .map(|o| o.waitlist_id)
        .collect();
    let active =
        db::waitlist::parent_active_in_range(&state.pool, parent.user_id, from, to).await?;
    let family: Vec<i64> = active.iter().map(|e| e.id).collect();
    let members = db::waitlist::members(&state.pool, &family).await?;
    for e in active {
        // F1: every child of a family entry waits with it (one `Mine` per child, same entry).
        let mut children: Vec<i64> = members
            .iter()
            .filter(|m| m.waitlist_id == e.id && m.booking_id.is_none())
            .map(|m| m.profile_id)
            .collect();
        if children.is_empty() {
            children.push(e.profile_id);
        }
        for profile_id in children {
            mine.entry(e.session()).or_default().push(Mine {
                profile_id,
                // an open offer this child may confirm now (有名额，立即预约)
                state: if offered.contains(&e.id) {
                    "offered"
                } else {
                    "waitlisted"
                },
                booking_id: None,
                waitlist_id: Some(e.id),
                position: e.position,
            });
        }
    }

    let mut items = Vec::new();
    for schedule in schedules {
        let settings = layers.resolve(&schedule.course_type, schedule.course_id);
        for date in dates_on_weekday(from, to, schedule.weekday) {
            let s: Session = session::of_schedule(schedule.clone(), date, tz)?;
            let seats = SeatCount {
                capacity: counts
                    .capacity_override
                    .get(&s.key)
                    .copied()
                    .unwrap_or(schedule.capacity),
                booked: counts.booked.get(&s.key).copied().unwrap_or(0),
                held: counts.reserved.get(&s.key).copied().unwrap_or(0),
            };
            let cutoff_at = s.cutoff_at(&settings);
            items.push(SessionItem {
                course_schedule_id: s.key.course_schedule_id,
                booking_date: date,
                course_id: schedule.course_id,
                course_name: schedule.course_name.clone(),
                course_type: schedule.course_type.clone(),
                level: schedule.level,
                duration_minutes: schedule.duration_minutes,
                price: yuan(schedule.price_cents),
                starts_at: in_club_time(s.starts_at, tz),
                coach: schedule.coach.clone(),
                location: schedule.location.clone(),
                booked: seats.booked,
                capacity: seats.capacity,
                seats_left: seats.free(),
                is_full: seats.is_full(),
                waitlist_count: counts.waiting.get(&s.key).copied().unwrap_or(0),
                waitlist_capacity: settings.waitlist_capacity,
                waitlist_open: now < cutoff_at,
                cutoff_at: in_club_time(cutoff_at, tz),
                rules: settings.into(),
                mine: mine.remove(&s.key).unwrap_or_default(),
            });
        }
    }
    items.sort_by_key(|i| (i.starts_at, i.course_schedule_id));
    Ok(items)
}
