//! A family for staff (US-4 联系运营手动安排补课): search; everything about one family
//! (children, bookings, queue entries, pending makeups, makeups, credits with their ledger,
//! messages); booking a makeup on the family's behalf through the parent's own route and
//! `MakeupBookingWorkflow`; adjusting credit minutes with a reason.

use crate::auth::extract::{Admin, Parent};
use crate::db::{self, families::FamilyRow, messages::Outgoing};
use crate::envelope::{Envelope, Items, Reply};
use crate::error::{ApiError, codes};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::admin::audit::{self, Action};
use crate::routes::makeup::{self, AvailableQuery, BookBody, Candidate};
use crate::routes::sessions::in_club_time;
use crate::state::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use temporalio_client::errors::WorkflowStartError;
use temporalio_client::{WorkflowIdConflictPolicy, WorkflowStartOptions};
use utoipa::{IntoParams, ToSchema};
use workflows::CompensationCreditWorkflow;
use workflows::makeup::CreditTiming;
use workflows::settings::ClassSettings;

#[derive(Debug, Deserialize, IntoParams)]
pub struct FamilyQuery {
    /// parent id, nickname, openid, child name or child id
    pub q: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FamilyItem {
    pub user_id: i64,
    pub nickname: Option<String>,
    pub openid: Option<String>,
    pub children: String,
    pub active_entries: i64,
    pub open_pending: i64,
    pub created_at: DateTime<FixedOffset>,
}

fn family_item(f: FamilyRow, tz: chrono_tz::Tz) -> FamilyItem {
    FamilyItem {
        user_id: f.user_id,
        nickname: f.nickname,
        openid: f.openid,
        children: f.children.unwrap_or_default(),
        active_entries: f.active_entries,
        open_pending: f.open_pending,
        created_at: in_club_time(f.created_at, tz),
    }
}

#[utoipa::path(get, path = "/api/v1/admin/families", tag = "admin", security(("bearer" = [])), params(FamilyQuery),
    responses((status = 200, body = Envelope<Items<FamilyItem>>)))]
pub async fn search(
    State(state): State<AppState>,
    _admin: Admin,
    ApiQuery(q): ApiQuery<FamilyQuery>,
) -> Result<Reply<Items<FamilyItem>>, ApiError> {
    let q = q.q.unwrap_or_default();
    if q.chars().count() > 64 {
        return Err(ApiError::invalid("q", "搜索词最多64个字符"));
    }
    let tz = state.config.club_tz();
    let items = db::families::search(&state.pool, &q)
        .await?
        .into_iter()
        .map(|f| family_item(f, tz))
        .collect();
    Ok(Reply::ok(Items { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChildView {
    pub id: i64,
    pub name: String,
    pub level: i8,
    /// spendable minutes now
    pub balance_minutes: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BookingView {
    pub booking_id: i64,
    pub profile_id: i64,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub course_name: String,
    pub starts_at: Option<DateTime<FixedOffset>>,
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntryView {
    pub waitlist_id: i64,
    pub profile_id: i64,
    pub profile_name: String,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub course_name: String,
    pub status: String,
    pub position: Option<i64>,
    pub waitlist_count: i64,
    pub expiration_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PendingItem {
    pub pending_id: i64,
    pub profile_id: i64,
    pub profile_name: String,
    pub course_name: String,
    pub course_type: String,
    pub level: i8,
    pub duration_minutes: u32,
    pub leave_date: NaiveDate,
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MakeupItem {
    pub makeup_booking_id: i64,
    pub pending_id: i64,
    pub profile_id: i64,
    pub course_name: String,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub starts_at: Option<DateTime<FixedOffset>>,
    pub duration_minutes: i32,
    pub original_duration: i32,
    pub status: String,
    pub completion_type: String,
    pub workflow_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreditItem {
    pub id: i64,
    pub profile_id: i64,
    /// makeup | adjustment
    pub source: String,
    pub compensation_minutes: i32,
    pub remaining_minutes: i32,
    /// available | used | expired | revoked
    pub status: String,
    pub created_at: DateTime<FixedOffset>,
    pub expires_at: DateTime<FixedOffset>,
    pub makeup_booking_id: Option<i64>,
    pub workflow_id: Option<String>,
    /// created − used + restored − expired − revoked ± adjusted of this credit's ledger
    pub ledger_balance: i64,
    /// false when the ledger does not add up to `remaining_minutes` (M7)
    pub balanced: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerItem {
    pub credit_id: i64,
    pub profile_id: i64,
    /// created | used | restored | expired | revoked | adjusted
    pub kind: String,
    /// signed for `adjusted`
    pub minutes: i32,
    pub at: DateTime<FixedOffset>,
    pub makeup_booking_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageItem {
    pub id: i64,
    pub profile_id: Option<i64>,
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub body: String,
    /// disabled | no_grant | pending | sending | sent | failed
    pub wechat_status: String,
    pub wechat_errcode: Option<i32>,
    pub read: bool,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FamilyDetail {
    pub family: FamilyItem,
    pub children: Vec<ChildView>,
    pub bookings: Vec<BookingView>,
    pub waitlist: Vec<EntryView>,
    pub pending_makeups: Vec<PendingItem>,
    pub makeups: Vec<MakeupItem>,
    pub credits: Vec<CreditItem>,
    pub ledger: Vec<LedgerItem>,
    pub messages: Vec<MessageItem>,
}

async fn family(state: &AppState, user_id: i64) -> Result<FamilyRow, ApiError> {
    db::families::find(&state.pool, user_id)
        .await?
        .ok_or(ApiError::not_found("家庭"))
}

#[utoipa::path(get, path = "/api/v1/admin/families/{user_id}", tag = "admin", security(("bearer" = [])),
    params(("user_id" = i64, Path)), responses((status = 200, body = Envelope<FamilyDetail>), (status = 404, description = "unknown family")))]
pub async fn show(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath(user_id): ApiPath<i64>,
) -> Result<Reply<FamilyDetail>, ApiError> {
    let tz = state.config.club_tz();
    let pool = &state.pool;
    let f = family(&state, user_id).await?;
    let now = Utc::now();
    let credits: Vec<CreditItem> = db::families::credits_of(pool, user_id)
        .await?
        .into_iter()
        .map(|c| CreditItem {
            balanced: c.ledger_balance == i64::from(c.remaining_minutes),
            id: c.id,
            profile_id: c.profile_id,
            source: c.source,
            compensation_minutes: c.compensation_minutes,
            remaining_minutes: c.remaining_minutes,
            status: c.status,
            created_at: in_club_time(c.created_time, tz),
            expires_at: in_club_time(c.expiry_time, tz),
            makeup_booking_id: c.makeup_booking_id,
            workflow_id: c.workflow_id,
            ledger_balance: c.ledger_balance,
        })
        .collect();
    let spendable = |profile_id: i64| {
        credits
            .iter()
            .filter(|c| c.profile_id == profile_id && c.status == "available")
            .filter(|c| c.expires_at.with_timezone(&Utc) > now)
            .map(|c| i64::from(c.remaining_minutes))
            .sum::<i64>()
    };
    let children = db::families::children(pool, user_id)
        .await?
        .into_iter()
        .map(|c| ChildView {
            balance_minutes: spendable(c.id),
            id: c.id,
            name: c.name,
            level: c.level,
        })
        .collect();
    let from = (now - Duration::days(30)).with_timezone(&tz).date_naive();
    let bookings = db::bookings::of_parent(pool, user_id, from)
        .await?
        .into_iter()
        .map(|b| BookingView {
            booking_id: b.id,
            profile_id: b.profile_id,
            course_schedule_id: b.course_schedule_id,
            booking_date: b.booking_date,
            course_name: b.course_name,
            starts_at: Some(in_club_time(b.starts_at, tz)),
            status: b.status.to_string(),
        })
        .collect();
    let waitlist = db::waitlist::of_parent(pool, user_id)
        .await?
        .into_iter()
        .map(|e| EntryView {
            waitlist_id: e.id,
            profile_id: e.profile_id,
            profile_name: e.profile_name,
            course_schedule_id: e.course_schedule_id,
            booking_date: e.booking_date,
            course_name: e.course_name,
            status: e.status.to_string(),
            position: e.position,
            waitlist_count: e.waitlist_count,
            expiration_reason: e.expiration_reason,
        })
        .collect();
    let pending_makeups = db::makeup::pending_of_parent(pool, user_id)
        .await?
        .into_iter()
        .map(|p| PendingItem {
            pending_id: p.id,
            profile_id: p.profile_id,
            profile_name: p.profile_name,
            course_name: p.course_name,
            course_type: p.course_type,
            level: p.level,
            duration_minutes: p.duration_minutes,
            leave_date: p.leave_date,
            status: p.status.to_string(),
        })
        .collect();
    let makeups = db::makeup::makeups_of_parent(pool, user_id, None)
        .await?
        .into_iter()
        .map(|m| MakeupItem {
            makeup_booking_id: m.id,
            pending_id: m.pending_makeup_id,
            profile_id: m.profile_id,
            course_name: m.course_name,
            course_schedule_id: m.makeup_schedule_id,
            booking_date: m.makeup_date,
            starts_at: Some(in_club_time(m.starts_at, tz)),
            duration_minutes: m.makeup_duration,
            original_duration: m.original_duration,
            status: m.status.to_string(),
            completion_type: m.completion_type,
            workflow_id: m.workflow_id,
        })
        .collect();
    let ledger = db::makeup::ledger_of_parent(pool, user_id)
        .await?
        .into_iter()
        .map(|l| LedgerItem {
            credit_id: l.credit_id,
            profile_id: l.profile_id,
            kind: l.kind,
            minutes: l.minutes,
            at: in_club_time(l.at, tz),
            makeup_booking_id: l.makeup_booking_id,
        })
        .collect();
    let messages = db::families::notifications_of(pool, user_id)
        .await?
        .into_iter()
        .map(|n| MessageItem {
            id: n.id,
            profile_id: n.profile_id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            wechat_status: n.wechat_status,
            wechat_errcode: n.wechat_errcode,
            read: n.read_at.is_some(),
            created_at: in_club_time(n.created_at, tz),
        })
        .collect();
    Ok(Reply::ok(FamilyDetail {
        family: family_item(f, tz),
        children,
        bookings,
        waitlist,
        pending_makeups,
        makeups,
        credits,
        ledger,
        messages,
    }))
}

/// The family as the parent they are: the parent routes then apply their own rules
/// (ownership, eligibility, the same workflow) to what staff do for them.
fn as_parent(user_id: i64) -> Parent {
    Parent { user_id }
}

#[utoipa::path(get, path = "/api/v1/admin/families/{user_id}/makeup/available", tag = "admin", security(("bearer" = [])),
    params(("user_id" = i64, Path), AvailableQuery),
    responses((status = 200, body = Envelope<Items<Candidate>>), (status = 403, description = "pending makeup of another family")))]
pub async fn available(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath(user_id): ApiPath<i64>,
    query: ApiQuery<AvailableQuery>,
) -> Result<Reply<Items<Candidate>>, ApiError> {
    family(&state, user_id).await?;
    makeup::available(State(state), as_parent(user_id), query).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookForFamily {
    pub pending_id: i64,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    #[serde(default)]
    pub accept_shorter: bool,
    #[serde(default)]
    pub use_compensation: bool,
    /// why staff booked it (optional: 家长来电 …)
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/admin/families/{user_id}/makeup", tag = "admin", security(("bearer" = [])),
    params(("user_id" = i64, Path)), request_body = BookForFamily,
    responses((status = 201, description = "as POST /api/v1/makeup/book"),
              (status = 409, description = "the parent route's refusals (40908 shorter, 40906 full, 40909 credit, 40910 clash)")))]
pub async fn book_makeup(
    State(state): State<AppState>,
    admin: Admin,
    ApiPath(user_id): ApiPath<i64>,
    ApiJson(input): ApiJson<BookForFamily>,
) -> Result<axum::response::Response, ApiError> {
    let reason = audit::reason(input.reason.as_deref(), false)?;
    family(&state, user_id).await?;
    let body = BookBody {
        pending_id: input.pending_id,
        course_schedule_id: input.course_schedule_id,
        booking_date: input.booking_date,
        accept_shorter: input.accept_shorter,
        use_compensation: input.use_compensation,
    };
    // The parent's route: same checks, same MakeupBookingWorkflow, same answers.
    let reply = makeup::book(State(state.clone()), as_parent(user_id), ApiJson(body)).await?;
    let makeup_booking_id =
        db::families::latest_makeup_of_pending(&state.pool, input.pending_id).await?;
    audit::record_now(
        &state,
        admin,
        Action {
            action: "makeup.book",
            target_type: "family",
            target_id: user_id.to_string(),
            reason: reason.as_deref(),
            details: json!({"pending_id": input.pending_id, "course_schedule_id": input.course_schedule_id,
                            "booking_date": input.booking_date, "makeup_booking_id": makeup_booking_id,
                            "accept_shorter": input.accept_shorter, "use_compensation": input.use_compensation}),
        },
    )
    .await?;
    tracing::info!(
        user_id,
        pending_id = input.pending_id,
        ?makeup_booking_id,
        "staff booked a makeup for a family"
    );
    Ok(reply.into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustInput {
    /// minutes to add (> 0) or take off (< 0); |minutes| ≤ 6000
    pub minutes: i64,
    /// required, 2–500 characters
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Adjusted {
    pub profile_id: i64,
    pub minutes: i64,
    /// the credits changed and by how much (a new credit for a positive adjustment)
    pub changes: Vec<(i64, i64)>,
    pub balance_minutes: i64,
    pub audit_id: i64,
}

/// How one adjustment changes a child's credits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdjustmentPlan {
    /// a new credit of these minutes
    NewCredit(u32),
    /// minutes off these credits, earliest expiry first: (credit id, minutes)
    Take(Vec<(i64, u32)>),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdjustmentRefusal {
    #[error("调整分钟数不能为0")]
    Zero,
    #[error("单次调整不能超过6000分钟")]
    TooLarge,
    #[error("可用补偿只有{available}分钟，无法扣减{wanted}分钟")]
    Insufficient { wanted: u32, available: u32 },
}

/// The one rule of credit adjustments: a positive one is a credit of its own; a negative one
/// takes minutes off the available credits in spending order (earliest expiry first) and
/// never below zero.
pub fn plan_adjustment(
    minutes: i64,
    available: &[(i64, u32)],
) -> Result<AdjustmentPlan, AdjustmentRefusal> {
    if minutes == 0 {
        return Err(AdjustmentRefusal::Zero);
    }
    let size = u32::try_from(minutes.unsigned_abs()).map_err(|_| AdjustmentRefusal::TooLarge)?;
    if size > 6000 {
        return Err(AdjustmentRefusal::TooLarge);
    }
    if minutes > 0 {
        return Ok(AdjustmentPlan::NewCredit(size));
    }
    let total: u32 = available.iter().map(|(_, m)| *m).sum();
    if total < size {
        return Err(AdjustmentRefusal::Insufficient {
            wanted: size,
            available: total,
        });
    }
    let mut left = size;
    let mut takes = Vec::new();
    for &(id, remaining) in available {
        if left == 0 {
            break;
        }
        let take = remaining.min(left);
        if take > 0 {
            takes.push((id, take));
            left -= take;
        }
    }
    Ok(AdjustmentPlan::Take(takes))
}

#[utoipa::path(post, path = "/api/v1/admin/profiles/{profile_id}/credits/adjust", tag = "admin", security(("bearer" = [])),
    params(("profile_id" = i64, Path)), request_body = AdjustInput,
    responses((status = 200, body = Envelope<Adjusted>), (status = 400, description = "zero, too large or no reason"),
              (status = 404, description = "unknown child"), (status = 409, description = "not enough minutes to take off")))]
pub async fn adjust_credit(
    State(state): State<AppState>,
    admin: Admin,
    ApiPath(profile_id): ApiPath<i64>,
    ApiJson(input): ApiJson<AdjustInput>,
) -> Result<Reply<Adjusted>, ApiError> {
    let reason = audit::reason(input.reason.as_deref(), true)?.unwrap_or_default();
    // Shape errors first, before anything is looked up.
    if let Err(e @ (AdjustmentRefusal::Zero | AdjustmentRefusal::TooLarge)) =
        plan_adjustment(input.minutes, &[(0, u32::MAX)])
    {
        return Err(ApiError::invalid("minutes", e.to_string()));
    }
    let user_id = db::profiles::owner(&state.pool, profile_id)
        .await?
        .ok_or(ApiError::not_found("孩子档案"))?;
    let now = db::now_millis();
    let settings = ClassSettings::default();
    let ids = state.ids().await?;
    let mut tx = state.pool.begin().await?;
    let available: Vec<(i64, u32)> = db::adjustments::lock_available(&mut tx, profile_id, now)
        .await?
        .into_iter()
        .map(|(id, m)| (id, u32::try_from(m).unwrap_or(0)))
        .collect();
    let plan = plan_adjustment(input.minutes, &available)
        .map_err(|e| ApiError::conflict(codes::CONFLICT, e.to_string()))?;
    // The balance after this adjustment, decided under the same locks.
    let balance = available.iter().map(|(_, m)| i64::from(*m)).sum::<i64>() + input.minutes;
    let audit_id = audit::record(
        &mut tx,
        admin,
        Action {
            action: "credit.adjust",
            target_type: "profile",
            target_id: profile_id.to_string(),
            reason: Some(&reason),
            details: json!({"minutes": input.minutes, "user_id": user_id}),
        },
    )
    .await?;
    let mut changes = Vec::new();
    let mut new_credit = None;
    match plan {
        AdjustmentPlan::NewCredit(minutes) => {
            let expires_at =
                now + Duration::seconds(i64::from(settings.compensation_valid_seconds));
            let id =
                db::adjustments::create_credit(&mut tx, &ids, profile_id, minutes, now, expires_at)
                    .await?;
            db::adjustments::ledger(&mut tx, profile_id, id, i64::from(minutes), audit_id, now)
                .await?;
            changes.push((id, i64::from(minutes)));
            new_credit = Some(CreditTiming {
                credit_id: id,
                profile_id,
                expires_at,
                remind_at: expires_at
                    - Duration::seconds(i64::from(settings.compensation_reminder_seconds)),
            });
        }
        AdjustmentPlan::Take(takes) => {
            for (id, minutes) in takes {
                db::adjustments::take(&mut tx, id, minutes).await?;
                db::adjustments::ledger(
                    &mut tx,
                    profile_id,
                    id,
                    -i64::from(minutes),
                    audit_id,
                    now,
                )
                .await?;
                changes.push((id, -i64::from(minutes)));
            }
        }
    }
    let sign = if input.minutes > 0 {
        "增加"
    } else {
        "扣减"
    };
    db::messages::insert(
        &mut tx,
        &Outgoing {
            user_id,
            profile_id: Some(profile_id),
            kind: "credit_adjusted".into(),
            title: "课时补偿已调整".into(),
            body: format!(
                "工作人员为您{sign}了{}分钟课时补偿。原因：{reason}",
                input.minutes.abs()
            ),
            data: json!({"page": "pages/makeup/compensation", "audit_id": audit_id}),
            dedupe_key: format!("credit_adjusted/{audit_id}"),
            wechat: None,
        },
    )
    .await?;
    tx.commit().await?;
    if let Some(timing) = new_credit {
        start_credit_workflow(&state, ids.credit(timing.credit_id), timing).await?;
    }
    tracing::info!(
        profile_id,
        minutes = input.minutes,
        audit_id,
        "staff adjusted credit minutes"
    );
    Ok(Reply::ok(Adjusted {
        profile_id,
        minutes: input.minutes,
        changes,
        balance_minutes: balance,
        audit_id,
    })
    .message("补偿时长已调整"))
}

/// The expiry (and reminder) of an adjustment credit: the same workflow as any credit.
async fn start_credit_workflow(
    state: &AppState,
    workflow_id: String,
    timing: CreditTiming,
) -> Result<(), ApiError> {
    let client = state.temporal.client().await?;
    let options = WorkflowStartOptions::new(state.temporal.task_queue().to_string(), workflow_id)
        .id_conflict_policy(WorkflowIdConflictPolicy::UseExisting)
        .build();
    match client
        .start_workflow(CompensationCreditWorkflow::run, timing, options)
        .await
    {
        Ok(_) | Err(WorkflowStartError::AlreadyStarted { .. }) => Ok(()),
        Err(e) => {
            // The credit is committed; the problems page lists it once past its expiry.
            tracing::warn!(credit_id = timing.credit_id, error = %e, "cannot start the credit workflow");
            Err(ApiError::Unavailable("Temporal"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_positive_adjustment_is_a_credit_of_its_own() {
        assert_eq!(plan_adjustment(30, &[]), Ok(AdjustmentPlan::NewCredit(30)));
    }

    #[test]
    fn a_negative_adjustment_spends_earliest_expiry_first_and_partially() {
        assert_eq!(
            plan_adjustment(-50, &[(1, 30), (2, 40), (3, 10)]),
            Ok(AdjustmentPlan::Take(vec![(1, 30), (2, 20)]))
        );
    }

    #[test]
    fn an_adjustment_never_goes_below_zero_or_past_the_limits() {
        assert_eq!(
            plan_adjustment(-50, &[(1, 30)]),
            Err(AdjustmentRefusal::Insufficient {
                wanted: 50,
                available: 30
            })
        );
        assert_eq!(plan_adjustment(0, &[]), Err(AdjustmentRefusal::Zero));
        assert_eq!(plan_adjustment(6001, &[]), Err(AdjustmentRefusal::TooLarge));
        assert_eq!(
            plan_adjustment(i64::MIN, &[]),
            Err(AdjustmentRefusal::TooLarge)
        );
    }
}
