//! Makeup classes (M1–M5): pending makeups, candidate sessions, booking and cancelling through
//! `MakeupBookingWorkflow`, and the parent's makeups.

use crate::auth::extract::Parent;
use crate::db::{self, makeup::PendingRow};
use crate::envelope::{Envelope, Items, Reply};
use crate::error::{ApiError, codes};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::flows;
use crate::routes::sessions::{SessionItem, date_range, in_club_time, session_items, yuan};
use crate::session;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use workflows::makeup::{BookingOutcome, CancelOutcome, MakeupRefusal, MakeupRequest};
use workflows::rules::makeup::{
    ClassFacts, MatchInfo, eligible, hint, insufficient_message, match_info, shorter_question,
};
use workflows::settings::ClassSettings;
use workflows::status::{MakeupStatus, PendingStatus};

#[derive(Debug, Serialize, ToSchema)]
pub struct PendingView {
    pub pending_id: i64,
    pub profile_id: i64,
    pub profile_name: String,
    pub original_booking_id: i64,
    pub course_name: String,
    pub course_type: String,
    pub level: i8,
    pub duration_minutes: u32,
    pub price: f64,
    /// the class the child missed
    pub leave_date: NaiveDate,
    /// open | booked
    #[schema(value_type = String)]
    pub status: workflows::status::PendingStatus,
    /// the missed session: schedule, date (= `leave_date`), start, coach and place
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub original_starts_at: Option<DateTime<FixedOffset>>,
    pub coach: String,
    pub location: String,
}

fn pending_view(p: PendingRow, tz: chrono_tz::Tz) -> PendingView {
    PendingView {
        course_schedule_id: p.course_schedule_id,
        booking_date: p.leave_date,
        original_starts_at: p.original_starts_at.map(|t| in_club_time(t, tz)),
        coach: p.coach,
        location: p.location,
        pending_id: p.id,
        profile_id: p.profile_id,
        profile_name: p.profile_name,
        original_booking_id: p.original_booking_id,
        course_name: p.course_name,
        course_type: p.course_type,
        level: p.level,
        duration_minutes: p.duration_minutes,
        price: yuan(p.price_cents),
        leave_date: p.leave_date,
        status: p.status,
    }
}

#[utoipa::path(get, path = "/api/v1/makeup/pending", tag = "makeup", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Items<PendingView>>)))]
pub async fn pending(
    State(state): State<AppState>,
    parent: Parent,
) -> Result<Reply<Items<PendingView>>, ApiError> {
    let rows = db::makeup::pending_of_parent(&state.pool, parent.user_id).await?;
    let tz = state.config.club_tz();
    Ok(Reply::ok(Items {
        items: rows.into_iter().map(|p| pending_view(p, tz)).collect(),
    }))
}

/// The owner's pending makeup: 404 unknown, 403 someone else's.
async fn owned_pending(state: &AppState, parent: Parent, id: i64) -> Result<PendingRow, ApiError> {
    let p = db::makeup::pending(&state.pool, id)
        .await?
        .ok_or(ApiError::not_found("待补课记录"))?;
    if p.user_id != parent.user_id {
        return Err(ApiError::Forbidden);
    }
    Ok(p)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailableQuery {
    pub pending_id: i64,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    /// morning (before 12:00) | afternoon (12:00–18:00) | evening (from 18:00), club time
    #[param(inline)]
    pub time_of_day: Option<TimeOfDay>,
    pub location: Option<String>,
    pub coach: Option<String>,
}

/// What a parent can do with a candidate: book it, or (full) join its waitlist with the
/// pending makeup, so a won seat is booked as this makeup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CandidateAction {
    Book,
    Waitlist,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Candidate {
    #[serde(flatten)]
    pub session: SessionItem,
    /// original − makeup minutes (positive: shorter, becomes a credit)
    pub duration_difference: i64,
    pub hint: String,
    pub original_price: f64,
    pub makeup_price: f64,
    pub action: CandidateAction,
    /// 匹配度: how the candidate compares with the missed class
    #[schema(value_type = Object)]
    pub r#match: MatchInfo,
}

#[utoipa::path(get, path = "/api/v1/makeup/available", tag = "makeup", security(("bearer" = [])), params(AvailableQuery),
    responses((status = 200, body = Envelope<Items<Candidate>>),
              (status = 400, description = "40000: a date more than 366 days back or 731 ahead, date_to before date_from, or more than 62 days"),
              (status = 404, description = "40400: no such pending makeup of yours")))]
pub async fn available(
    State(state): State<AppState>,
    parent: Parent,
    ApiQuery(q): ApiQuery<AvailableQuery>,
) -> Result<Reply<Items<Candidate>>, ApiError> {
    let p = owned_pending(&state, parent, q.pending_id).await?;
    let slot = q.time_of_day;
    let (from, to) = date_range(&state, q.date_from, q.date_to)?;
    let now = Utc::now();
    let missed = ClassFacts {
        course_type: &p.course_type,
        level: p.level,
        duration_minutes: p.duration_minutes,
        coach: &p.coach,
        location: &p.location,
    };
    let items = session_items(&state, parent, from, to, Some(&p.course_type))
        .await?
        .into_iter()
        // M2: same type, same or lower level, in the future, not already the child's; a full
        // one only while its waitlist is open (the action is then to join it)
        .filter(|s| eligible(&missed, &facts_of(s)))
        .filter(|s| s.starts_at.with_timezone(&Utc) > now && (!s.is_full || s.waitlist_open))
        .filter(|s| !s.mine.iter().any(|m| m.profile_id == p.profile_id))
        .filter(|s| q.location.as_deref().is_none_or(|l| s.location == l))
        .filter(|s| q.coach.as_deref().is_none_or(|c| s.coach == c))
        .filter(|s| slot.is_none_or(|slot| slot.contains(s.starts_at.hour())))
        .map(|s| {
            let m = match_info(&missed, &facts_of(&s));
            Candidate {
                duration_difference: m.duration_difference,
                hint: hint(m.duration_difference),
                original_price: yuan(p.price_cents),
                makeup_price: 0.0,
                action: if s.is_full {
                    CandidateAction::Waitlist
                } else {
                    CandidateAction::Book
                },
                r#match: m,
                session: s,
            }
        })
        .collect();
    Ok(Reply::ok(Items { items }))
}

fn facts_of(s: &SessionItem) -> ClassFacts<'_> {
    ClassFacts {
        course_type: &s.course_type,
        level: s.level,
        duration_minutes: s.duration_minutes,
        coach: &s.coach,
        location: &s.location,
    }
}

/// `time_of_day` of the makeup filters, in club time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TimeOfDay {
    /// before 12:00
    Morning,
    /// 12:00–18:00
    Afternoon,
    /// from 18:00
    Evening,
}

impl TimeOfDay {
    fn contains(self, hour: u32) -> bool {
        match self {
            Self::Morning => hour < 12,
            Self::Afternoon => (12..18).contains(&hour),
            Self::Evening => hour >= 18,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BookBody {
    pub pending_id: i64,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    /// confirms a shorter makeup (the 409 40908 question)
    #[serde(default)]
    pub accept_shorter: bool,
    /// pay a longer makeup's extra minutes from credits
    #[serde(default)]
    pub use_compensation: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Booked {
    pub makeup_booking_id: i64,
    pub duration_difference: i64,
    /// full | partial | extra
    pub completion_type: &'static str,
    pub compensation_created: u32,
    pub compensation_used: u32,
    pub remaining_compensation: u32,
}

/// The one mapping of a makeup refusal (M2–M6) to its answer.
pub fn refusal(r: MakeupRefusal) -> ApiError {
    match r {
        MakeupRefusal::NeedsAcceptShorter {
            makeup_minutes,
            missing_minutes,
        } => ApiError::conflict(
            codes::NEEDS_ACCEPT_SHORTER,
            shorter_question(makeup_minutes, missing_minutes),
        ),
        MakeupRefusal::Full => ApiError::conflict(codes::SESSION_FULL, "课程已满员，是否加入候补"),
        MakeupRefusal::Clash => ApiError::conflict(codes::CLASH, "与孩子已预约的课程时间冲突"),
        MakeupRefusal::Insufficient { needed, available } => ApiError::conflict(
            codes::INSUFFICIENT_CREDIT,
            insufficient_message(needed, available),
        ),
        MakeupRefusal::NotOpen => ApiError::conflict(codes::CONFLICT, "该待补课记录已预约或已关闭"),
        MakeupRefusal::NotEligible => {
            ApiError::conflict(codes::CONFLICT, "补课课程需为同类型、同级或更低级别")
        }
        MakeupRefusal::Started => ApiError::conflict(codes::CONFLICT, "课程已开始，无法预约"),
        MakeupRefusal::Unavailable => ApiError::Unavailable("数据库"),
    }
}

#[utoipa::path(operation_id = "makeup_book", post, path = "/api/v1/makeup/book", tag = "makeup", security(("bearer" = [])), request_body = BookBody,
    responses((status = 201, body = Envelope<Booked>), (status = 400, description = "40000: a field out of range; `booking_date` more than 366 days back or 731 ahead, or not the schedule's weekday (该课程安排在每周…上课)"),
              (status = 404, description = "40400: no such pending makeup of yours, or no such schedule"),
              (status = 409, description = "40908 shorter (resubmit with accept_shorter), 40906 full, 40909 not enough credit, 40910 clash, 40900 not open or not eligible")))]
#[tracing::instrument(skip_all, fields(user_id = parent.user_id, pending_id = body.pending_id, schedule = body.course_schedule_id, date = %body.booking_date))]
pub async fn book(
    State(state): State<AppState>,
    parent: Parent,
    ApiJson(body): ApiJson<BookBody>,
) -> Result<Reply<Booked>, ApiError> {
    let p = owned_pending(&state, parent, body.pending_id).await?;
    if p.status != PendingStatus::Open {
        return Err(refusal(MakeupRefusal::NotOpen));
    }
    let s = session::load(&state, body.course_schedule_id, body.booking_date).await?;
    if !eligible(&p.facts(), &s.facts()) {
        return Err(refusal(MakeupRefusal::NotEligible));
    }
    if Utc::now() >= s.starts_at {
        return Err(refusal(MakeupRefusal::Started));
    }
    db::sessions::ensure(&state.pool, s.key, s.starts_at).await?;
    let settings = s.settings(&mut *state.pool.acquire().await?).await?;
    let request = MakeupRequest {
        pending_id: p.id,
        session: s.key,
        accept_shorter: body.accept_shorter,
        use_compensation: body.use_compensation,
        settings,
        starts_at: s.starts_at,
        ends_at: s.starts_at + Duration::minutes(i64::from(s.schedule.duration_minutes)),
        adopt: None,
        ids: Default::default(),
    };
    match flows::book_makeup(&state, request).await? {
        BookingOutcome::Refused(r) => Err(refusal(r)),
        BookingOutcome::Booked(b) => Ok(Reply::created(Booked {
            makeup_booking_id: b.makeup_booking_id,
            duration_difference: b.duration_difference,
            completion_type: b.completion_type.as_str(),
            compensation_created: b.compensation_created,
            compensation_used: b.compensation_used,
            remaining_compensation: b.remaining_compensation,
        })
        .message("补课预约成功")),
    }
}

/// A makeup as the parent sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MakeupStatusView {
    Booked,
    Completed,
    Cancelled,
    NoShow,
}

impl MakeupStatusView {
    /// `confirmed` in the table is `booked` to parents, like any booking (a makeup is never
    /// shown while still `pending`: it is written confirmed).
    fn of_stored(stored: MakeupStatus) -> Self {
        match stored {
            MakeupStatus::Completed => Self::Completed,
            MakeupStatus::Cancelled => Self::Cancelled,
            MakeupStatus::NoShow => Self::NoShow,
            MakeupStatus::Confirmed | MakeupStatus::Pending => Self::Booked,
        }
    }

    fn stored(self) -> &'static str {
        match self {
            Self::Booked => MakeupStatus::Confirmed.as_str(),
            Self::Completed => MakeupStatus::Completed.as_str(),
            Self::Cancelled => MakeupStatus::Cancelled.as_str(),
            Self::NoShow => MakeupStatus::NoShow.as_str(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyMakeup {
    pub makeup_booking_id: i64,
    pub pending_id: i64,
    pub profile_id: i64,
    pub profile_name: String,
    pub course_name: String,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    pub coach: String,
    pub location: String,
    pub duration_minutes: i32,
    pub original_duration: i32,
    pub status: MakeupStatusView,
    /// full | partial | extra
    pub completion_type: String,
    /// credit minutes this makeup created (shorter class) and spent (longer class)
    pub compensation_created: i64,
    pub compensation_used: i64,
    /// class start − the makeup cancel cutoff ★ (M5)
    pub cancellable_until: DateTime<FixedOffset>,
    pub workflow_id: Option<String>,
}

fn my_makeup(m: db::makeup::MakeupRow, settings: ClassSettings, tz: chrono_tz::Tz) -> MyMakeup {
    let cutoff = Duration::seconds(i64::from(settings.makeup_cancel_cutoff_seconds));
    MyMakeup {
        cancellable_until: in_club_time(m.starts_at - cutoff, tz),
        makeup_booking_id: m.id,
        pending_id: m.pending_makeup_id,
        profile_id: m.profile_id,
        profile_name: m.profile_name,
        course_name: m.course_name,
        course_schedule_id: m.makeup_schedule_id,
        booking_date: m.makeup_date,
        starts_at: in_club_time(m.starts_at, tz),
        ends_at: in_club_time(
            m.starts_at + Duration::minutes(i64::from(m.makeup_duration)),
            tz,
        ),
        coach: m.coach,
        location: m.location,
        duration_minutes: m.makeup_duration,
        original_duration: m.original_duration,
        status: MakeupStatusView::of_stored(m.status),
        completion_type: m.completion_type,
        compensation_created: m.compensation_created,
        compensation_used: m.compensation_used,
        workflow_id: m.workflow_id,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MineQuery {
    /// only makeups in this state
    pub status: Option<MakeupStatusView>,
}

#[utoipa::path(operation_id = "makeup_mine", get, path = "/api/v1/makeup/my", tag = "makeup", security(("bearer" = [])), params(MineQuery),
    responses((status = 200, body = Envelope<Items<MyMakeup>>)))]
pub async fn mine(
    State(state): State<AppState>,
    parent: Parent,
    ApiQuery(q): ApiQuery<MineQuery>,
) -> Result<Reply<Items<MyMakeup>>, ApiError> {
    let tz = state.config.club_tz();
    let layers = db::settings::all_layers(&state.pool).await?;
    let status = q.status.map(MakeupStatusView::stored);
    let items = db::makeup::makeups_of_parent(&state.pool, parent.user_id, status)
        .await?
        .into_iter()
        .map(|m| {
            let settings = layers.resolve(&m.course_type, m.course_id);
            my_makeup(m, settings, tz)
        })
        .collect();
    Ok(Reply::ok(Items { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OriginalClass {
    pub booking_id: i64,
    pub course_name: String,
    pub booking_date: NaiveDate,
    pub starts_at: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedCredit {
    pub credit_id: i64,
    pub minutes: i32,
    pub remaining_minutes: i32,
    pub expires_at: DateTime<FixedOffset>,
    /// available | used | expired | revoked
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MakeupDetail {
    #[serde(flatten)]
    pub makeup: MyMakeup,
    /// the class the child missed
    pub original: OriginalClass,
    /// the credit this makeup created, if it was shorter (M4)
    pub credit: Option<CreatedCredit>,
}

#[utoipa::path(get, path = "/api/v1/makeup/{id}", tag = "makeup", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Envelope<MakeupDetail>)))]
pub async fn detail(
    State(state): State<AppState>,
    parent: Parent,
    ApiPath(id): ApiPath<i64>,
) -> Result<Reply<MakeupDetail>, ApiError> {
    let m = owned_makeup(&state, parent, id).await?;
    let tz = state.config.club_tz();
    let settings = db::settings::all_layers(&state.pool)
        .await?
        .resolve(&m.course_type, m.course_id);
    let credit = db::makeup::credit_of_makeup(&state.pool, id)
        .await?
        .map(|c| CreatedCredit {
            credit_id: c.id,
            minutes: c.compensation_minutes,
            remaining_minutes: c.remaining_minutes,
            expires_at: in_club_time(c.expiry_time, tz),
            status: c.status,
        });
    let original = OriginalClass {
        booking_id: m.original_booking_id,
        course_name: m.original_course_name.clone(),
        booking_date: m.original_date,
        starts_at: m.original_starts_at.map(|t| in_club_time(t, tz)),
    };
    Ok(Reply::ok(MakeupDetail {
        makeup: my_makeup(m, settings, tz),
        original,
        credit,
    }))
}

/// The owner's makeup: 404 unknown, 403 someone else's.
async fn owned_makeup(
    state: &AppState,
    parent: Parent,
    id: i64,
) -> Result<db::makeup::MakeupRow, ApiError> {
    let m = db::makeup::makeup(&state.pool, id)
        .await?
        .ok_or(ApiError::not_found("补课记录"))?;
    if m.user_id != parent.user_id {
        return Err(ApiError::Forbidden);
    }
    Ok(m)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Cancelled {
    pub makeup_booking_id: i64,
    pub status: &'static str,
    pub restored_minutes: u32,
    pub revoked_minutes: u32,
}

#[utoipa::path(operation_id = "makeup_cancel", delete, path = "/api/v1/makeup/{id}/cancel", tag = "makeup", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Envelope<Cancelled>), (status = 409, description = "past the cancel cutoff / not cancellable")))]
#[tracing::instrument(skip_all, fields(user_id = parent.user_id, makeup_booking_id = id))]
pub async fn cancel(
    State(state): State<AppState>,
    parent: Parent,
    ApiPath(id): ApiPath<i64>,
) -> Result<Reply<Cancelled>, ApiError> {
    let m = owned_makeup(&state, parent, id).await?;
    let not_cancellable = || ApiError::conflict(codes::CONFLICT, "该补课已取消或已结束");
    let Some(workflow_id) = m
        .workflow_id
        .filter(|_| m.status == MakeupStatus::Confirmed)
    else {
        return Err(not_cancellable());
    };
    match flows::cancel_makeup(&state, &workflow_id).await? {
        Some(CancelOutcome::Cancelled {
            restored_minutes,
            revoked_minutes,
        }) => Ok(Reply::ok(Cancelled {
            makeup_booking_id: id,
            status: "cancelled",
            restored_minutes,
            revoked_minutes,
        })
        .message("补课已取消，待补课记录已恢复")),
        Some(CancelOutcome::TooLate { cutoff_at }) => Err(ApiError::conflict(
            codes::CONFLICT,
            format!(
                "已超过取消时限（{}前可取消）",
                in_club_time(cutoff_at, state.config.club_tz()).format("%m-%d %H:%M")
            ),
        )),
        Some(CancelOutcome::Unavailable) => Err(ApiError::Unavailable("数据库")),
        Some(CancelOutcome::NotCancellable) | None => Err(not_cancellable()),
    }
}
