//! Staff's camp routes (admin JSON for the console): create and publish camps (publishing
//! starts `CampWorkflow`), see enrolments, import check-ins as CSV (the seed's fallback),
//! match members by hand, and review the refund list singly or in batch (each approval starts
//! a `RefundWorkflow`).

use crate::auth::extract::Admin;
use crate::db::camps::{self, CampRow, CsvCheckin, EnrolmentRow, NewCamp};
use crate::envelope::{Envelope, Items, Reply};
use crate::error::{ApiError, codes};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::Created;
use crate::routes::camps::{CampView, camp_view};
use crate::routes::pay;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use temporalio_client::errors::WorkflowStartError;
use temporalio_client::{WorkflowIdConflictPolicy, WorkflowIdReusePolicy, WorkflowStartOptions};
use temporalio_common::search_attributes::SearchAttributes;
use utoipa::{IntoParams, ToSchema};
use workflows::CampWorkflow;
use workflows::camp::{CampInput, camp_workflow_id};
use workflows::refund::{RefundInput, RefundReason};
use workflows::rules::camp::CampTiming;
use workflows::rules::payment::{OutRefundNo, OutTradeNo};
use workflows::search_attributes::CAMP_ID;

/// Finer timing for tests and special cases (defaults: real days, 01:00 / 10:00 / 02:00).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TimingBody {
    /// day 1 starts here instead of at midnight (club time) of `start_date`
    #[serde(default, deserialize_with = "crate::input::rfc3339_opt")]
    pub starts_at: Option<DateTime<Utc>>,
    #[schema(minimum = 1)]
    pub day_seconds: Option<u32>,
    pub sync_offset_seconds: Option<u32>,
    pub reminder_offset_seconds: Option<u32>,
    pub settle_offset_seconds: Option<u32>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CampBody {
    /// 1–100 characters, not only blanks (trimmed)
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "[^ \\t\\n\\r\\u00a0\\u3000]",
        example = "21天体能打卡营"
    )]
    pub name: String,
    pub start_date: NaiveDate,
    /// not before `start_date`, at most 366 days in all
    pub end_date: NaiveDate,
    /// 1 fen – 100 000 yuan
    #[schema(minimum = 1, maximum = 10000000, example = 9900)]
    pub deposit_cents: i64,
    #[schema(minimum = 1, maximum = 100000, example = 50)]
    pub capacity: i32,
    /// check-in days needed out of the camp's days (1 – the camp's days)
    #[schema(minimum = 1, example = 18)]
    pub required_days: i32,
    /// http(s) link, at most 500 characters
    #[schema(
        pattern = "^https?://",
        max_length = 500,
        example = "https://example.com/qr.png"
    )]
    pub group_qr_url: String,
    /// 知识星球 `group_id/checkin_id`
    #[schema(pattern = "^[^/]+/[\\s\\S]+$", example = "28855218411241/1141")]
    pub community_project_id: String,
    #[serde(default)]
    pub timing: Option<TimingBody>,
}

fn validate(state: &AppState, b: &CampBody) -> Result<CampTiming, ApiError> {
    crate::input::name("name", &b.name, 100, "名称")?;
    if b.end_date < b.start_date {
        return Err(ApiError::invalid("end_date", "结束日期不能早于开始日期"));
    }
    let days = (b.end_date - b.start_date).num_days() + 1;
    if days > 366 {
        return Err(ApiError::invalid("end_date", "训练营最长 366 天"));
    }
    let days = days as u32;
    if !(1..=10_000_000).contains(&b.deposit_cents) {
        return Err(ApiError::invalid("deposit_cents", "押金为 1 分至 10 万元"));
    }
    if !(1..=100_000).contains(&b.capacity) {
        return Err(ApiError::invalid("capacity", "名额为 1–100000"));
    }
    if b.required_days < 1 || b.required_days as u32 > days {
        return Err(ApiError::invalid(
            "required_days",
            "打卡天数为 1 至训练营天数",
        ));
    }
    if !(b.group_qr_url.starts_with("https://") || b.group_qr_url.starts_with("http://"))
        || b.group_qr_url.chars().count() > 500
    {
        return Err(ApiError::invalid(
            "group_qr_url",
            "群二维码须为 http(s) 链接",
        ));
    }
    if !b
        .community_project_id
        .split_once('/')
        .is_some_and(|(g, c)| !g.is_empty() && !c.is_empty())
    {
        return Err(ApiError::invalid(
            "community_project_id",
            "知识星球打卡项目须为 group_id/checkin_id",
        ));
    }
    let tz = state.config.club_tz();
    let midnight = tz
        .from_local_datetime(&b.start_date.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| ApiError::invalid("start_date", "无效日期"))?;
    let t = b.timing.as_ref();
    let mut timing = CampTiming::daily(t.and_then(|t| t.starts_at).unwrap_or(midnight), days);
    if let Some(t) = t {
        timing.day_seconds = t.day_seconds.unwrap_or(timing.day_seconds);
        timing.sync_offset_seconds = t.sync_offset_seconds.unwrap_or(timing.sync_offset_seconds);
        timing.reminder_offset_seconds = t
            .reminder_offset_seconds
            .unwrap_or(timing.reminder_offset_seconds);
        timing.settle_offset_seconds = t
            .settle_offset_seconds
            .unwrap_or(timing.settle_offset_seconds);
    }
    if timing.day_seconds == 0 {
        return Err(ApiError::invalid("timing.day_seconds", "须大于 0"));
    }
    Ok(timing)
}

#[utoipa::path(post, path = "/api/v1/admin/camps", tag = "admin", security(("bearer" = [])),
    request_body = CampBody, responses((status = 201, body = Envelope<Created>),
        (status = 400, description = "40000: a field out of range; end_date before start_date or more than 366 days, required_days more than the camp's days")))]
pub async fn create(
    State(state): State<AppState>,
    admin: Admin,
    ApiJson(body): ApiJson<CampBody>,
) -> Result<Reply<Created>, ApiError> {
    let timing = validate(&state, &body)?;
    let id = camps::create(
        &state.pool,
        &NewCamp {
            name: body.name.trim().to_string(),
            start_date: body.start_date,
            end_date: body.end_date,
            timing,
            deposit_cents: body.deposit_cents,
            capacity: body.capacity,
            required_days: body.required_days,
            group_qr_url: body.group_qr_url,
            community_project_id: body.community_project_id,
            created_by: admin.user_id,
        },
    )
    .await?;
    Ok(Reply::created(Created { id }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminCampView {
    #[serde(flatten)]
    pub camp: CampView,
    pub paid: i64,
    pub held: i64,
    pub group_qr_url: String,
    pub community_project_id: String,
    pub day_seconds: i32,
    pub settle_at: DateTime<Utc>,
    /// `camp/{id}` once published
    pub workflow_id: Option<String>,
}

fn admin_view(c: &CampRow) -> AdminCampView {
    AdminCampView {
        camp: camp_view(c, None),
        paid: c.paid,
        held: c.held,
        group_qr_url: c.group_qr_url.clone(),
        community_project_id: c.community_project_id.clone(),
        day_seconds: c.day_seconds,
        settle_at: c.timing().settle_at(),
        workflow_id: (c.status != "draft").then(|| camp_workflow_id(c.id)),
    }
}

async fn camp_or_404(state: &AppState, id: i64) -> Result<CampRow, ApiError> {
    camps::camp(&state.pool, id)
        .await?
        .ok_or(ApiError::not_found("训练营"))
}

#[utoipa::path(operation_id = "admin_camps_list", get, path = "/api/v1/admin/camps", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Items<AdminCampView>>)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Reply<Items<AdminCampView>>, ApiError> {
    let items = camps::camps(&state.pool, true)
        .await?
        .iter()
        .map(admin_view)
        .collect();
    Ok(Reply::ok(Items { items }))
}

#[utoipa::path(operation_id = "admin_camps_show", get, path = "/api/v1/admin/camps/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Envelope<AdminCampView>), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath(id): ApiPath<i64>,
) -> Result<Reply<AdminCampView>, ApiError> {
    Ok(Reply::ok(admin_view(&camp_or_404(&state, id).await?)))
}

#[utoipa::path(post, path = "/api/v1/admin/camps/{id}/publish", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Envelope<AdminCampView>), (status = 409)))]
pub async fn publish(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath(id): ApiPath<i64>,
) -> Result<Reply<AdminCampView>, ApiError> {
    let camp = camp_or_404(&state, id).await?;
    if !camps::publish(&state.pool, id).await? {
        return Err(ApiError::conflict(
            codes::CONFLICT,
            "训练营已结束，无法发布",
        ));
    }
    // Idempotent: publishing again keeps the running workflow.
    let client = state.temporal.client().await?;
    let options = WorkflowStartOptions::new(
        state.temporal.task_queue().to_string(),
        camp_workflow_id(id),
    )
    .id_conflict_policy(WorkflowIdConflictPolicy::UseExisting)
    .id_reuse_policy(WorkflowIdReusePolicy::RejectDuplicate)
    .search_attributes(SearchAttributes::new([CAMP_ID.value_set(id)]))
    .build();
    let input = CampInput {
        camp_id: id,
        timing: camp.timing(),
        required_days: u32::try_from(camp.required_days).unwrap_or(0),
    };
    match client
        .start_workflow(CampWorkflow::run, input, options)
        .await
    {
        Ok(_) | Err(WorkflowStartError::AlreadyStarted { .. }) => {}
        Err(e) => {
            tracing::warn!(camp_id = id, error = %e, "cannot start the camp workflow");
            return Err(ApiError::Unavailable("Temporal"));
        }
    }
    Ok(Reply::ok(admin_view(&camp_or_404(&state, id).await?)).message("已发布"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EnrolmentQuery {
    /// eligible | not_eligible | unmatched (another value matches nothing)
    pub verdict: Option<String>,
    /// pending | approved | rejected (another value matches nothing)
    pub review: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/admin/camps/{id}/enrolments", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path), EnrolmentQuery), responses((status = 200, body = Envelope<Items<EnrolmentRow>>)))]
pub async fn enrolments(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<EnrolmentQuery>,
) -> Result<Reply<Items<EnrolmentRow>>, ApiError> {
    camp_or_404(&state, id).await?;
    let items = camps::enrolments(&state.pool, id)
        .await?
        .into_iter()
        .filter(|e| {
            q.verdict
                .as_deref()
                .is_none_or(|v| e.verdict.as_deref() == Some(v))
        })
        .filter(|e| {
            q.review
                .as_deref()
                .is_none_or(|r| e.review.as_deref() == Some(r))
        })
        .collect();
    Ok(Reply::ok(Items { items }))
}

#[utoipa::path(get, path = "/api/v1/admin/camps/{id}/refunds", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path), EnrolmentQuery),
    responses((status = 200, body = Envelope<Items<EnrolmentRow>>, description = "the refund list: paid enrolments with their verdict and review")))]
pub async fn refund_list(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<EnrolmentQuery>,
) -> Result<Reply<Items<EnrolmentRow>>, ApiError> {
    camp_or_404(&state, id).await?;
    let items = camps::enrolments(&state.pool, id)
        .await?
        .into_iter()
        .filter(|e| e.verdict.is_some())
        .filter(|e| {
            q.verdict
                .as_deref()
                .is_none_or(|v| e.verdict.as_deref() == Some(v))
        })
        .filter(|e| {
            q.review
                .as_deref()
                .is_none_or(|r| e.review.as_deref() == Some(r))
        })
        .collect();
    Ok(Reply::ok(Items { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MatchBody {
    /// the community member, or null to undo a manual match
    pub community_user_id: Option<String>,
}

#[utoipa::path(put, path = "/api/v1/admin/camps/{id}/enrolments/{enrolment_id}/match", tag = "admin",
    security(("bearer" = [])), params(("id" = i64, Path), ("enrolment_id" = i64, Path)), request_body = MatchBody,
    responses((status = 200, body = Envelope<EnrolmentRow>), (status = 404)))]
pub async fn set_match(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath((id, enrolment_id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<MatchBody>,
) -> Result<Reply<EnrolmentRow>, ApiError> {
    let e = camps::enrolment(&state.pool, enrolment_id)
        .await?
        .filter(|e| e.camp_id == id)
        .ok_or(ApiError::not_found("报名记录"))?;
    if e.status != "paid" {
        return Err(ApiError::conflict(codes::CONFLICT, "仅已支付的报名可匹配"));
    }
    let member = body
        .community_user_id
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    camps::set_manual_match(&state.pool, enrolment_id, member.as_deref()).await?;
    let e = camps::enrolment(&state.pool, enrolment_id)
        .await?
        .ok_or(ApiError::not_found("报名记录"))?;
    Ok(Reply::ok(e).message("已匹配"))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Imported {
    pub rows: u32,
    pub stored: u32,
    /// rows whose time is outside the camp's days
    pub outside: u32,
}

/// `community_user_id,nickname,checked_at` per line (RFC 3339 or `2026-12-07T10:00:00.000+0800`),
/// an optional header line.
fn parse_csv(text: &str) -> Result<Vec<CsvCheckin>, ApiError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || (n == 0 && line.starts_with("community_user_id")) {
            continue;
        }
        let cols: Vec<&str> = line.split(',').map(str::trim).collect();
        let [id, nickname, at] = cols.as_slice() else {
            return Err(ApiError::invalid(
                "csv",
                format!("第 {} 行应为 3 列", n + 1),
            ));
        };
        let checked_at = DateTime::parse_from_rfc3339(at)
            .or_else(|_| DateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S%.3f%z"))
            .map_err(|_| ApiError::invalid("csv", format!("第 {} 行时间无法识别", n + 1)))?
            .with_timezone(&Utc);
        if id.is_empty() || id.len() > 64 || nickname.chars().count() > 64 {
            return Err(ApiError::invalid(
                "csv",
                format!("第 {} 行 ID 或昵称无效", n + 1),
            ));
        }
        out.push(CsvCheckin {
            community_user_id: id.to_string(),
            nickname: nickname.to_string(),
            checked_at,
        });
    }
    Ok(out)
}

#[utoipa::path(post, path = "/api/v1/admin/camps/{id}/checkins/import", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body(content = String, content_type = "text/csv", description = "community_user_id,nickname,checked_at"),
    responses((status = 200, body = Envelope<Imported>), (status = 400, description = "40000 with data.field = csv: a row that is not three columns (第 N 行应为 3 列), a time that is not RFC 3339, more than 100000 rows")))]
pub async fn import_checkins(
    State(state): State<AppState>,
    _admin: Admin,
    ApiPath(id): ApiPath<i64>,
    body: String,
) -> Result<Reply<Imported>, ApiError> {
    let camp = camp_or_404(&state, id).await?;
    let rows = parse_csv(&body)?;
    if rows.len() > 100_000 {
        return Err(ApiError::invalid("csv", "一次最多 100000 行"));
    }
    let (stored, outside) = camps::import_checkins(&state.pool, &camp, &rows).await?;
    Ok(Reply::ok(Imported {
        rows: rows.len() as u32,
        stored,
        outside,
    }))
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewBody {
    /// one or many (at most 1000)
    #[schema(min_items = 1, max_items = 1000)]
    pub enrolment_ids: Vec<i64>,
    pub decision: Decision,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Reviewed {
    pub enrolment_id: i64,
    /// refund_started | rejected | skipped
    pub result: &'static str,
    pub reason: Option<&'static str>,
    pub out_refund_no: Option<String>,
    pub workflow_id: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/admin/camps/{id}/refunds/review", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ReviewBody,
    responses((status = 200, body = Envelope<Items<Reviewed>>)))]
pub async fn review(
    State(state): State<AppState>,
    admin: Admin,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReviewBody>,
) -> Result<Reply<Items<Reviewed>>, ApiError> {
    if body.enrolment_ids.is_empty() || body.enrolment_ids.len() > 1000 {
        return Err(ApiError::invalid("enrolment_ids", "1–1000 条"));
    }
    camp_or_404(&state, id).await?;
    let mut items = Vec::with_capacity(body.enrolment_ids.len());
    for enrolment_id in body.enrolment_ids {
        items.push(review_one(&state, admin, id, enrolment_id, body.decision).await?);
    }
    Ok(Reply::ok(Items { items }))
}

async fn review_one(
    state: &AppState,
    admin: Admin,
    camp_id: i64,
    enrolment_id: i64,
    decision: Decision,
) -> Result<Reviewed, ApiError> {
    let skipped = |reason| Reviewed {
        enrolment_id,
        result: "skipped",
        reason: Some(reason),
        out_refund_no: None,
        workflow_id: None,
    };
    let Some(e) = camps::enrolment(&state.pool, enrolment_id)
        .await?
        .filter(|e| e.camp_id == camp_id)
    else {
        return Ok(skipped("not_found"));
    };
    if e.status != "paid" || e.review.is_none() {
        return Ok(skipped("not_on_refund_list"));
    }
    match (decision, e.review.as_deref()) {
        (Decision::Reject, Some("pending")) => {
            camps::reject(&state.pool, enrolment_id, admin.user_id).await?;
            Ok(Reviewed {
                enrolment_id,
                result: "rejected",
                reason: None,
                out_refund_no: None,
                workflow_id: None,
            })
        }
        (Decision::Reject, _) => Ok(skipped("already_reviewed")),
        (Decision::Approve, Some("rejected")) => Ok(skipped("rejected")),
        (Decision::Approve, _) => {
            let trade = OutTradeNo::parse(e.out_trade_no.clone())
                .map_err(|err| ApiError::internal(anyhow::anyhow!("{err}")))?;
            let no = OutRefundNo::for_camp_deposit(&trade);
            let input = RefundInput {
                out_refund_no: no.clone(),
                out_trade_no: trade,
                amount_cents: None,
                reason: RefundReason::CampDeposit {
                    camp_id,
                    enrolment_id,
                    approved_by: admin.user_id,
                },
                settings: state.config.pay.settings.refund,
            };
            pay::start_refund(state, input, Some(camp_id)).await?;
            Ok(Reviewed {
                enrolment_id,
                result: "refund_started",
                reason: None,
                workflow_id: Some(no.workflow_id()),
                out_refund_no: Some(no.to_string()),
            })
        }
    }
}
