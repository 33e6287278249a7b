//! The waitlist queue (W1–W5): join, my entries, live position, leave.

use crate::auth::extract::Parent;
use crate::db::{self, waitlist::EntryRow};
use crate::envelope::{Envelope, Items, Reply};
use crate::error::{ApiError, codes, on_unique_violation};
use crate::extract::{ApiJson, ApiPath};
use crate::flows;
use crate::routes::club::Rules;
use crate::routes::makeup::refusal;
use crate::routes::profiles::ensure_owner;
use crate::routes::sessions::in_club_time;
use crate::routes::sessions::{SessionItem, session_items};
use crate::session;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry as Slot;
use utoipa::ToSchema;
use workflows::makeup::MakeupRefusal;
use workflows::rules::alternatives::{
    AlternativeAction, Candidate as AltCandidate, LevelRule, MAX_ALTERNATIVES, Wanted,
    acceptable_alternative, nearness, wants_alternatives,
};
use workflows::rules::estimate::{ReleaseHistory, WaitEstimate, estimate_wait, whole_days_until};
use workflows::rules::family::{family_children, seats_to_wait_for};
use workflows::rules::makeup::eligible;
use workflows::rules::time::waitlist_cutoff;
use workflows::rules::waitlist::{JoinRefusal, QueueSnapshot, check_join, position_message};
use workflows::settings::ClassSettings;

fn refusal_code(r: JoinRefusal) -> u32 {
    match r {
        JoinRefusal::NotFull => codes::SESSION_NOT_FULL,
        JoinRefusal::PastCutoff => codes::PAST_CUTOFF,
        JoinRefusal::QueueFull => codes::WAITLIST_FULL,
        JoinRefusal::AlreadyWaiting => codes::ALREADY_WAITING,
        JoinRefusal::AlreadyBooked => codes::ALREADY_BOOKED,
    }
}

impl From<JoinRefusal> for ApiError {
    fn from(r: JoinRefusal) -> Self {
        ApiError::conflict(refusal_code(r), r.to_string())
    }
}

#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct JoinBody {
    pub profile_id: i64,
    pub course_schedule_id: i64,
    /// YYYY-MM-DD, club time zone
    pub booking_date: NaiveDate,
    /// joining from a makeup selection (M3): a won seat is booked as this makeup
    pub pending_id: Option<i64>,
    /// with `pending_id`: the class is shorter than the missed one and that is fine (M3;
    /// without it a shorter class answers 409 40908 with the question)
    #[serde(default)]
    pub accept_shorter: bool,
    /// with `pending_id`: pay a longer class's extra minutes from credits (M4)
    #[serde(default)]
    pub use_compensation: bool,
    /// F1: other children of yours who wait together with `profile_id` as one family entry:
    /// one place in the queue, each child counted against its capacity. At most 5; not with
    /// `pending_id` (a makeup is one child's)
    #[serde(default)]
    #[schema(max_items = 5)]
    pub sibling_ids: Vec<i64>,
    /// F2, with `sibling_ids`: an offer with fewer seats than children still comes to you and
    /// books as many children as there are seats, in the order given (`profile_id` first).
    /// Without it only an offer with a seat for every child does
    #[serde(default)]
    pub accept_partial: bool,
    /// AA1: book a released seat for you at once, before everyone waiting is told (in queue
    /// order among entries that chose it); you get a `seat_confirmed` message and may cancel
    /// the booking, which gives the seat straight back to the queue. Not with `pending_id`
    #[serde(default)]
    pub auto_accept: bool,
}

/// One child of an entry (F1); `booking_id` once this entry booked the child's seat.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryChild {
    pub profile_id: i64,
    pub profile_name: String,
    pub booking_id: Option<i64>,
}

/// F1: the entry's children in the parent's order (a single entry: its own child).
fn children_of(e: &EntryRow, members: &[db::waitlist::MemberRow]) -> Vec<EntryChild> {
    let mine: Vec<EntryChild> = members
        .iter()
        .filter(|m| m.waitlist_id == e.id)
        .map(|m| EntryChild {
            profile_id: m.profile_id,
            profile_name: m.profile_name.clone(),
            booking_id: m.booking_id,
        })
        .collect();
    if mine.is_empty() {
        vec![EntryChild {
            profile_id: e.profile_id,
            profile_name: e.profile_name.clone(),
            booking_id: e.booking_id,
        }]
    } else {
        mine
    }
}

/// F3: the bookings the entry made, in the children's order.
fn booking_ids(children: &[EntryChild]) -> Vec<i64> {
    children.iter().filter_map(|c| c.booking_id).collect()
}

/// F1, AA1: the children of a join, checked: the caller's own, different, at most six, and a
/// makeup join for one child without auto-accept.
async fn join_children(
    state: &AppState,
    parent: Parent,
    req: &JoinBody,
) -> Result<Vec<i64>, ApiError> {
    let for_makeup = req.pending_id.is_some();
    if for_makeup && req.auto_accept {
        return Err(ApiError::invalid(
            "auto_accept",
            "补课候补不能自动预约，有名额时会通知您确认",
        ));
    }
    let children = family_children(req.profile_id, &req.sibling_ids, for_makeup)
        .map_err(|r| ApiError::invalid("sibling_ids", r.to_string()))?;
    for child in &children {
        ensure_owner(state, parent, *child).await?;
    }
    Ok(children)
}

/// E1: the release history of a course (the figures its waiting estimates use).
pub(crate) async fn release_history(
    state: &AppState,
    course_id: i64,
) -> Result<ReleaseHistory, ApiError> {
    let since = session::today(state.config.club_tz())
        - chrono::Duration::days(db::estimates::HISTORY_DAYS);
    Ok(db::estimates::release_history(&state.pool, course_id, since).await?)
}

/// E1 for one place in a queue, now; a family waits for a seat per child (F1).
pub(crate) fn wait_estimate(
    history: &ReleaseHistory,
    position: i64,
    children: i32,
    starts_at: DateTime<Utc>,
) -> WaitEstimate {
    let position = u32::try_from(position).unwrap_or(u32::MAX);
    let children = u32::try_from(children).unwrap_or(1);
    estimate_wait(
        history,
        seats_to_wait_for(position, children),
        whole_days_until(starts_at, Utc::now()),
    )
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Joined {
    pub waitlist_id: i64,
    pub position: u32,
    pub waitlist_count: u32,
    pub waitlist_capacity: u32,
    /// E1: the chance of a seat before the cutoff and roughly when, from the course's release
    /// history (`根据以往记录，截止前有名额的可能约39%，名额多在开课前6天左右空出`), or
    /// `暂无足够数据` when the course has none
    pub estimated_wait_time: String,
    /// F1: children in the entry (1, or the family's size)
    pub party_size: u32,
    pub children: Vec<EntryChild>,
    pub accept_partial: bool,
    pub auto_accept: bool,
}

/// M3: waiting for a session as a makeup (a won seat is booked as that makeup) needs an open
/// pending makeup of this child, an eligible class, and the shorter-class question answered.
async fn check_makeup_join(
    state: &AppState,
    parent: Parent,
    req: &JoinBody,
    pending_id: i64,
    s: &session::Session,
) -> Result<db::makeup::PendingRow, ApiError> {
    let p = db::makeup::pending(&state.pool, pending_id)
        .await?
        .ok_or(ApiError::not_found("待补课记录"))?;
    if p.user_id != parent.user_id {
        return Err(ApiError::Forbidden);
    }
    if p.profile_id != req.profile_id {
        return Err(ApiError::invalid("pending_id", "待补课记录不属于该孩子"));
    }
    if p.status != workflows::status::PendingStatus::Open {
        return Err(refusal(MakeupRefusal::NotOpen));
    }
    if !eligible(&p.facts(), &s.facts()) {
        return Err(refusal(MakeupRefusal::NotEligible));
    }
    let (original, makeup) = (p.facts().duration_minutes, s.facts().duration_minutes);
    if makeup < original && !req.accept_shorter {
        return Err(refusal(MakeupRefusal::NeedsAcceptShorter {
            makeup_minutes: makeup,
            missing_minutes: original - makeup,
        }));
    }
    Ok(p)
}

/// A1: what a refused join answers, documented for the OpenAPI document (written by
/// `ApiError`): 40901 (queue full) and 40903 (past the cutoff) carry
/// `data.alternatives`; the other refusals have `data` null.
#[derive(ToSchema)]
#[allow(dead_code)] // a schema only
pub struct JoinRefused {
    #[schema(minimum = 40000, maximum = 59999, example = 40901)]
    code: u32,
    #[schema(example = "候补队列已满，请选择其他课程")]
    message: String,
    data: Option<JoinAlternatives>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JoinAlternatives {
    /// nearest in time to the refused session first, at most 5; may be empty
    pub alternatives: Vec<Alternative>,
}

/// What the parent can do with an alternative: book its free seat, or join its short queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlternativeChoice {
    Book,
    Waitlist,
}

impl From<AlternativeAction> for AlternativeChoice {
    fn from(a: AlternativeAction) -> Self {
        match a {
            AlternativeAction::Book => Self::Book,
            AlternativeAction::Waitlist => Self::Waitlist,
        }
    }
}

/// A1: a session of the same course type and level (a makeup: same or lower) with a seat or a
/// short open queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct Alternative {
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub course_name: String,
    pub level: i8,
    pub starts_at: DateTime<FixedOffset>,
    pub coach: String,
    pub location: String,
    pub seats_left: u32,
    pub waitlist_count: u32,
    pub waitlist_capacity: u32,
    pub action: AlternativeChoice,
}

/// How far around the refused session alternatives are looked for.
const ALTERNATIVE_DAYS: i64 = 13;

/// A1: the alternatives to `s` for this child, nearest in time first.
async fn alternatives(
    state: &AppState,
    parent: Parent,
    profile_id: i64,
    s: &session::Session,
    wanted: Wanted<'_>,
) -> Result<Vec<Alternative>, ApiError> {
    let today = session::today(state.config.club_tz());
    let around = chrono::Duration::days(ALTERNATIVE_DAYS);
    let from = (s.key.booking_date - around).max(today);
    let to = s.key.booking_date.max(today) + around;
    let now = Utc::now();
    let mut found: Vec<(SessionItem, AlternativeAction)> =
        session_items(state, parent, from, to, Some(wanted.course_type))
            .await?
            .into_iter()
            .filter_map(|item| {
                let candidate = AltCandidate {
                    key: workflows::SessionKey::new(item.course_schedule_id, item.booking_date),
                    course_type: &item.course_type,
                    level: item.level,
                    starts_at: item.starts_at.with_timezone(&Utc),
                    cutoff_at: item.cutoff_at.with_timezone(&Utc),
                    seats_left: item.seats_left,
                    waitlist_count: item.waitlist_count,
                    waitlist_capacity: item.waitlist_capacity,
                    child_is_in: item.mine.iter().any(|m| m.profile_id == profile_id),
                };
                let action = acceptable_alternative(&wanted, &candidate, now)?;
                Some((item, action))
            })
            .collect();
    found.sort_by_key(|(item, _)| nearness(s.starts_at, item.starts_at.with_timezone(&Utc)));
    Ok(found
        .into_iter()
        .take(MAX_ALTERNATIVES)
        .map(|(item, action)| Alternative {
            course_schedule_id: item.course_schedule_id,
            booking_date: item.booking_date,
            course_name: item.course_name,
            level: item.level,
            starts_at: item.starts_at,
            coach: item.coach,
            location: item.location,
            seats_left: item.seats_left,
            waitlist_count: item.waitlist_count,
            waitlist_capacity: item.waitlist_capacity,
            action: action.into(),
        })
        .collect())
}

/// The refused session as the parent wanted it: an ordinary join wants its type and level, a
/// makeup join the missed class's type and the same or a lower level (M2).
fn wanted<'a>(s: &'a session::Session, pending: Option<&'a db::makeup::PendingRow>) -> Wanted<'a> {
    match pending {
        Some(p) => Wanted {
            key: s.key,
            course_type: &p.course_type,
            level: p.level,
            levels: LevelRule::SameOrLower,
        },
        None => Wanted {
            key: s.key,
            course_type: &s.schedule.course_type,
            level: s.schedule.level,
            levels: LevelRule::Same,
        },
    }
}

/// A join refused by a rule, or failed otherwise.
enum JoinFailure {
    Refused(JoinRefusal),
    Other(ApiError),
}

impl From<JoinRefusal> for JoinFailure {
    fn from(r: JoinRefusal) -> Self {
        Self::Refused(r)
    }
}

impl From<ApiError> for JoinFailure {
    fn from(e: ApiError) -> Self {
        Self::Other(e)
    }
}

impl From<sqlx::Error> for JoinFailure {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

#[utoipa::path(post, path = "/api/v1/waitlist/join", tag = "waitlist", security(("bearer" = [])), request_body = JoinBody,
    responses((status = 201, description = "message: 您是第N位候补", body = Envelope<Joined>),
              (status = 400, description = "40000: a field out of range; `booking_date` more than 366 days back or 731 ahead, or not the schedule's weekday (该课程安排在每周…上课)"),
              (status = 404, description = "40400: no such child of yours, schedule or pending makeup"),
              (status = 409, description = "40902 not full (book directly), 40903 past the cutoff, 40901 queue full, 40904 already waiting, 40905 already booked; with pending_id: 40908 shorter (resend with accept_shorter), 40900 the makeup is not open or the class not eligible. 40901 and 40903 carry `data.alternatives` (A1): other sessions to book or wait for instead", body = JoinRefused)))]
#[tracing::instrument(skip_all, fields(user_id = parent.user_id, profile_id = req.profile_id, schedule = req.course_schedule_id, date = %req.booking_date))]
pub async fn join(
    State(state): State<AppState>,
    parent: Parent,
    ApiJson(req): ApiJson<JoinBody>,
) -> Result<Reply<Joined>, ApiError> {
    let children = join_children(&state, parent, &req).await?;
    let s = session::load(&state, req.course_schedule_id, req.booking_date).await?;
    let pending = match req.pending_id {
        Some(pending_id) => Some(check_makeup_join(&state, parent, &req, pending_id, &s).await?),
        None => None,
    };
    match enqueue(&state, &req, children, &s).await {
        Ok(joined) => {
            let message = family_position_message(joined.party_size, joined.position);
            Ok(Reply::created(joined).message(message))
        }
        Err(JoinFailure::Refused(r)) if wants_alternatives(r) => {
            let found = alternatives(
                &state,
                parent,
                req.profile_id,
                &s,
                wanted(&s, pending.as_ref()),
            )
            .await?;
            Err(refused_with_alternatives(r, found))
        }
        Err(JoinFailure::Refused(r)) => Err(r.into()),
        Err(JoinFailure::Other(e)) => Err(e),
    }
}

/// A1: the refusal's code and message, with the alternatives as `data`.
fn refused_with_alternatives(r: JoinRefusal, alternatives: Vec<Alternative>) -> ApiError {
    ApiError::Verdict {
        status: axum::http::StatusCode::CONFLICT,
        code: refusal_code(r),
        message: r.to_string(),
        data: serde_json::to_value(JoinAlternatives { alternatives })
            .unwrap_or(serde_json::Value::Null),
    }
}

/// W1–W4 under the session lock: the entry, or the rule that refuses it.
async fn enqueue(
    state: &AppState,
    req: &JoinBody,
    children: Vec<i64>,
    s: &session::Session,
) -> Result<Joined, JoinFailure> {
    let settings = s.settings(&mut *state.pool.acquire().await?).await?;
    let cutoff_at = s.cutoff_at(&settings);
    if Utc::now() >= cutoff_at {
        return Err(JoinRefusal::PastCutoff.into());
    }
    // Workflow-first: the cutoff process exists before any entry it must expire.
    flows::ensure_cutoff_workflow(state, s.key, cutoff_at).await?;
    db::sessions::ensure(&state.pool, s.key, s.starts_at).await?;

    let mut tx = state.pool.begin().await?;
    let capacity = s.capacity(db::sessions::lock(&mut tx, s.key).await?);
    let snapshot = QueueSnapshot {
        now: Utc::now(),
        cutoff_at,
        // seats held by an open offer count as taken: they belong to the queue
        seats: db::sessions::seat_count(&mut tx, s.key, capacity).await?,
        waiting_children: db::waitlist::waiting_children(&mut tx, s.key).await?,
        children: u32::try_from(children.len()).unwrap_or(u32::MAX),
        waitlist_capacity: settings.waitlist_capacity,
        profile_is_waiting: any_waiting(&mut tx, &children, s.key).await?,
        profile_is_booked: any_booked(&mut tx, &children, s.key).await?,
    };
    check_join(&snapshot)?;
    let position = db::waitlist::active_count(&mut tx, s.key).await? + 1;
    let entry = db::waitlist::NewEntry {
        profile_id: req.profile_id,
        children: children.clone(),
        accept_partial: req.accept_partial,
        auto_accept: req.auto_accept,
        session: s.key,
        pending_makeup_id: req.pending_id,
        accept_shorter: req.pending_id.is_some() && req.accept_shorter,
        use_compensation: req.pending_id.is_some() && req.use_compensation,
        position,
        at: db::now_millis(),
    };
    let waitlist_id = db::waitlist::insert(&mut tx, &entry)
        .await
        .map_err(|e| on_unique_violation(e, JoinRefusal::AlreadyWaiting.into()))?;
    tx.commit().await?;

    tracing::info!(waitlist_id, session = %s.key, position, children = children.len(), "joined waitlist");
    let history = release_history(state, s.schedule.course_id).await?;
    let joined = db::waitlist::find(&state.pool, waitlist_id)
        .await?
        .ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("the new entry {waitlist_id} is gone"))
        })?;
    let members = db::waitlist::members(&state.pool, &[waitlist_id]).await?;
    Ok(Joined {
        waitlist_id,
        position,
        waitlist_count: snapshot.waiting_children + snapshot.children,
        waitlist_capacity: settings.waitlist_capacity,
        estimated_wait_time: wait_estimate(
            &history,
            position.into(),
            i32::try_from(snapshot.children).unwrap_or(1),
            s.starts_at,
        )
        .text(),
        party_size: snapshot.children,
        children: children_of(&joined, &members),
        accept_partial: joined.accept_partial,
        auto_accept: joined.auto_accept,
    })
}

/// W3, F1: whether any of the children already waits for the session.
async fn any_waiting(
    conn: &mut sqlx::MySqlConnection,
    children: &[i64],
    key: workflows::SessionKey,
) -> Result<bool, sqlx::Error> {
    for c in children {
        if db::waitlist::profile_is_waiting(&mut *conn, *c, key).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// W3, F1: whether any of the children already has a seat in the session.
async fn any_booked(
    conn: &mut sqlx::MySqlConnection,
    children: &[i64],
    key: workflows::SessionKey,
) -> Result<bool, sqlx::Error> {
    for c in children {
        if db::bookings::profile_is_booked(&mut *conn, *c, key).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// W4, F1: `您是第N位候补`, naming the children of a family entry.
fn family_position_message(children: u32, position: u32) -> String {
    if children > 1 {
        format!("已为{children}个孩子候补，{}", position_message(position))
    } else {
        position_message(position)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Entry {
    pub waitlist_id: i64,
    pub profile_id: i64,
    pub profile_name: String,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub course_name: String,
    pub starts_at: DateTime<FixedOffset>,
    /// class start − the cutoff ★: the queue closes and offers stop
    pub cutoff_at: DateTime<FixedOffset>,
    /// the ★ settings in force for this course
    pub rules: Rules,
    /// waiting | notified | confirmed | expired | cancelled. `notified` alone is not an offer:
    /// only `offer` (non-null) means there is a seat to confirm now
    #[schema(value_type = String)]
    pub status: workflows::status::EntryStatus,
    /// 1-based, contiguous; null once the entry left the queue
    pub position: Option<i64>,
    pub waitlist_count: i64,
    pub joined_at: DateTime<FixedOffset>,
    /// E1 (see the join answer); null once the entry left the queue
    pub estimated_wait_time: Option<String>,
    /// timeout | cutoff | user_cancelled | ...
    pub expiration_reason: Option<String>,
    /// the open offer this entry may act on, if any
    pub offer: Option<OfferView>,
    /// F1: children in the entry (a family entry is one place for all of them)
    pub party_size: i64,
    /// F1: the children in the parent's order, each with the seat it got here
    pub children: Vec<EntryChild>,
    /// F2: fewer seats than children will do
    pub accept_partial: bool,
    /// AA1: a released seat is booked at once
    pub auto_accept: bool,
    /// F3: the bookings this entry made (`booking_id` of each child booked)
    pub booking_ids: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferView {
    /// broadcast (everyone waiting was told; first to confirm wins) | hold (held for you)
    pub kind: String,
    pub deadline: Option<DateTime<FixedOffset>>,
    /// set after `begin`: confirm allowed until then (O6)
    pub grace_until: Option<DateTime<FixedOffset>>,
    pub offer_workflow_id: String,
}

fn entry_view(
    e: EntryRow,
    tz: chrono_tz::Tz,
    settings: ClassSettings,
    offers: &[db::offers::OpenOfferRow],
    history: &ReleaseHistory,
    members: &[db::waitlist::MemberRow],
) -> Entry {
    let cutoff_at = waitlist_cutoff(e.starts_at, settings.cutoff_seconds);
    let children = children_of(&e, members);
    let estimated = e
        .position
        .map(|p| wait_estimate(history, p, e.party_size, e.starts_at).text());
    Entry {
        waitlist_id: e.id,
        profile_id: e.profile_id,
        profile_name: e.profile_name,
        course_schedule_id: e.course_schedule_id,
        booking_date: e.booking_date,
        course_name: e.course_name,
        starts_at: in_club_time(e.starts_at, tz),
        cutoff_at: in_club_time(cutoff_at, tz),
        rules: settings.into(),
        status: e.status,
        position: e.position,
        waitlist_count: e.waitlist_count,
        joined_at: in_club_time(e.joined_at, tz),
        estimated_wait_time: estimated,
        offer: offers
            .iter()
            .find(|o| o.waitlist_id == e.id)
            .map(|o| OfferView {
                kind: o.kind.clone(),
                deadline: o.deadline.map(|t| in_club_time(t, tz)),
                grace_until: o.grace_until.map(|t| in_club_time(t, tz)),
                offer_workflow_id: o.workflow_id.clone(),
            }),
        expiration_reason: e.expiration_reason,
        party_size: i64::from(e.party_size),
        booking_ids: booking_ids(&children),
        children,
        accept_partial: e.accept_partial,
        auto_accept: e.auto_accept,
    }
}

#[utoipa::path(operation_id = "waitlist_mine", get, path = "/api/v1/waitlist/my", tag = "waitlist", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Items<Entry>>)))]
pub async fn mine(
    State(state): State<AppState>,
    parent: Parent,
) -> Result<Reply<Items<Entry>>, ApiError> {
    let rows = db::waitlist::of_parent(&state.pool, parent.user_id).await?;
    let offers = db::offers::open_offers_of_parent(&state.pool, parent.user_id).await?;
    let layers = db::settings::all_layers(&state.pool).await?;
    let tz = state.config.club_tz();
    let mut histories = BTreeMap::new();
    for e in rows.iter().filter(|e| e.position.is_some()) {
        if let Slot::Vacant(slot) = histories.entry(e.course_id) {
            slot.insert(release_history(&state, e.course_id).await?);
        }
    }
    let none = ReleaseHistory::default();
    let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let members = db::waitlist::members(&state.pool, &ids).await?;
    Ok(Reply::ok(Items {
        items: rows
            .into_iter()
            .map(|e| {
                let settings = layers.resolve(&e.course_type, e.course_id);
                let history = histories.get(&e.course_id).unwrap_or(&none);
                entry_view(e, tz, settings, &offers, history, &members)
            })
            .collect(),
    }))
}

/// The owner's entry: 404 unknown, 403 someone else's.
pub(crate) async fn owned_entry(
    state: &AppState,
    parent: Parent,
    id: i64,
) -> Result<EntryRow, ApiError> {
    let entry = db::waitlist::find(&state.pool, id)
        .await?
        .ok_or(ApiError::not_found("候补记录"))?;
    if entry.user_id != parent.user_id {
        return Err(ApiError::Forbidden);
    }
    Ok(entry)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Position {
    pub waitlist_id: i64,
    pub position: Option<i64>,
    pub waitlist_count: i64,
    #[schema(value_type = String)]
    pub status: workflows::status::EntryStatus,
}

#[utoipa::path(get, path = "/api/v1/waitlist/position/{id}", tag = "waitlist", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Envelope<Position>)))]
pub async fn position(
    State(state): State<AppState>,
    parent: Parent,
    ApiPath(id): ApiPath<i64>,
) -> Result<Reply<Position>, ApiError> {
    let e = owned_entry(&state, parent, id).await?;
    let message = match e.position {
        Some(p) => position_message(u32::try_from(p).unwrap_or(u32::MAX)),
        None => "已不在候补队列中".to_string(),
    };
    Ok(Reply::ok(Position {
        waitlist_id: e.id,
        position: e.position,
        waitlist_count: e.waitlist_count,
        status: e.status,
    })
    .message(message))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Left {
    pub waitlist_id: i64,
    pub status: &'static str,
}

#[utoipa::path(operation_id = "waitlist_leave", delete, path = "/api/v1/waitlist/{id}", tag = "waitlist", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Envelope<Left>), (status = 409, description = "no longer waiting")))]
#[tracing::instrument(skip_all, fields(user_id = parent.user_id, waitlist_id = id))]
pub async fn leave(
    State(state): State<AppState>,
    parent: Parent,
    ApiPath(id): ApiPath<i64>,
) -> Result<Reply<Left>, ApiError> {
    let entry = owned_entry(&state, parent, id).await?;
    let mut tx = state.pool.begin().await?;
    db::sessions::lock(&mut tx, entry.session()).await?;
    if !db::waitlist::leave(&mut tx, id, db::now_millis()).await? {
        return Err(ApiError::conflict(
            codes::CONFLICT,
            "该候补已结束，无需取消",
        ));
    }
    tx.commit().await?;
    tracing::info!(waitlist_id = id, session = %entry.session(), "left waitlist");
    // A holder who leaves passes the hold on at once: every open offer of the session hears it.
    for workflow_id in db::offers::open_offers(&state.pool, entry.session()).await? {
        flows::tell_offer_entry_left(&state, &workflow_id, id).await;
    }
    Ok(Reply::ok(Left {
        waitlist_id: id,
        status: "cancelled",
    })
    .message("已取消候补"))
}
