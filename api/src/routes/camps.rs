//! Training camps for members (seed 004): the camps open for enrolment, enrolling and paying
//! the deposit through `PaymentWorkflow`, and one's progress (check-ins, eligibility, refund).

use crate::auth::extract::Parent;
use crate::db::camps::{self, CampRow, EnrolmentRow};
use crate::envelope::{Envelope, Items, Reply};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath};
use crate::routes::pay;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use workflows::payment::{Checkout, PaymentInput, Purpose, Refusal, RequestPayment};
use workflows::rules::camp::{EnrolmentIdentity, days_missing, enrolment_open};
use workflows::rules::payment::OutTradeNo;

use crate::error::codes::{ALREADY_ENROLLED, CAMP_FULL, NO_OPENID, NOT_OPEN, PAY_REFUSED};

/// Fen as `"99.00"`.
pub fn yuan(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CampView {
    pub id: i64,
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub days: i32,
    pub starts_at: DateTime<Utc>,
    pub deposit_cents: i64,
    /// `"99.00"`
    pub deposit_yuan: String,
    pub capacity: i32,
    pub seats_left: i64,
    pub required_days: i32,
    /// draft | published | review
    pub status: String,
    pub enrolment_open: bool,
    /// my enrolment's status, if any: reserved | paid | released | anomaly
    pub my_status: Option<String>,
}

pub fn camp_view(c: &CampRow, mine: Option<&EnrolmentRow>) -> CampView {
    CampView {
        id: c.id,
        name: c.name.clone(),
        start_date: c.start_date,
        end_date: c.end_date,
        days: c.days,
        starts_at: c.starts_at,
        deposit_cents: c.deposit_cents,
        deposit_yuan: yuan(c.deposit_cents),
        capacity: c.capacity,
        seats_left: (i64::from(c.capacity) - c.held).max(0),
        required_days: c.required_days,
        status: c.status.clone(),
        enrolment_open: c.status == "published" && enrolment_open(&c.timing(), Utc::now()),
        my_status: mine.map(|e| e.status.clone()),
    }
}

async fn published(state: &AppState, id: i64) -> Result<CampRow, ApiError> {
    camps::camp(&state.pool, id)
        .await?
        .filter(|c| c.status != "draft")
        .ok_or(ApiError::not_found("训练营"))
}

#[utoipa::path(operation_id = "camps_list", get, path = "/api/v1/camps", tag = "camps", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Items<CampView>>)))]
pub async fn list(
    State(state): State<AppState>,
    parent: Parent,
) -> Result<Reply<Items<CampView>>, ApiError> {
    let mut items = Vec::new();
    for c in camps::camps(&state.pool, false).await? {
        let mine = camps::enrolment_of(&state.pool, c.id, parent.user_id).await?;
        items.push(camp_view(&c, mine.as_ref()));
    }
    Ok(Reply::ok(Items { items }))
}

#[utoipa::path(operation_id = "camps_show", get, path = "/api/v1/camps/{id}", tag = "camps", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Envelope<CampView>), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    parent: Parent,
    ApiPath(id): ApiPath<i64>,
) -> Result<Reply<CampView>, ApiError> {
    let c = published(&state, id).await?;
    let mine = camps::enrolment_of(&state.pool, id, parent.user_id).await?;
    Ok(Reply::ok(camp_view(&c, mine.as_ref())))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EnrolBody {
    /// 星球ID (best for matching check-ins); at least one of the three, not blank
    #[schema(max_length = 64)]
    pub community_user_id: Option<String>,
    /// 星球昵称
    #[schema(max_length = 64)]
    pub community_nickname: Option<String>,
    /// 微信昵称
    #[schema(max_length = 64)]
    pub wechat_nickname: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Enrolled {
    pub enrolment_id: i64,
    pub out_trade_no: String,
    pub amount_cents: u64,
    /// pay before this (WeChat's `time_expire`)
    pub expires_at: DateTime<Utc>,
    /// pass as is to `wx.requestPayment`
    #[schema(value_type = Object)]
    pub payment: RequestPayment,
}

/// An identity field: at most 64 characters as sent; blank is not given.
fn field(name: &str, v: Option<String>) -> Result<Option<String>, ApiError> {
    if v.as_deref().is_some_and(|s| s.chars().count() > 64) {
        return Err(ApiError::invalid(name, format!("{name} 最多 64 个字符")));
    }
    Ok(v.map(|s| s.trim_matches(crate::input::BLANKS).to_string())
        .filter(|s| !s.is_empty()))
}

fn refusal(r: Refusal) -> ApiError {
    match r {
        Refusal::Full => ApiError::conflict(CAMP_FULL, "名额已满"),
        Refusal::AlreadyEnrolled => ApiError::conflict(ALREADY_ENROLLED, "您已报名该训练营"),
        Refusal::NotOpen => ApiError::conflict(NOT_OPEN, "该训练营未开放报名"),
        Refusal::NoOpenid => ApiError::conflict(NO_OPENID, "请使用微信登录后再支付"),
    }
}

#[utoipa::path(post, path = "/api/v1/camps/{id}/enrol", tag = "camps", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = EnrolBody,
    responses((status = 201, body = Envelope<Enrolled>),
              (status = 409, description = "40920 full, 40921 already enrolled, 40922 not open, 40923 no openid, 40924 WeChat refused the order"),
              (status = 503, description = "Temporal or WeChat Pay unavailable")))]
pub async fn enrol(
    State(state): State<AppState>,
    parent: Parent,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<EnrolBody>,
) -> Result<Reply<Enrolled>, ApiError> {
    let identity = EnrolmentIdentity {
        community_user_id: field("community_user_id", body.community_user_id)?,
        community_nickname: field("community_nickname", body.community_nickname)?,
        wechat_nickname: field("wechat_nickname", body.wechat_nickname)?,
    };
    if identity == EnrolmentIdentity::default() {
        return Err(ApiError::invalid(
            "community_nickname",
            "请填写星球ID、星球昵称或微信昵称（用于匹配打卡）",
        ));
    }
    let camp = published(&state, id).await?;
    if camp.status != "published" || !enrolment_open(&camp.timing(), Utc::now()) {
        return Err(refusal(Refusal::NotOpen));
    }
    // The attempt follows the member's last one: a retried request meets the same workflow.
    let attempt = match camps::enrolment_of(&state.pool, id, parent.user_id).await? {
        None => 1,
        Some(e) if e.status == "released" => u32::try_from(e.attempt).unwrap_or(0) + 1,
        Some(e) if e.status == "reserved" => u32::try_from(e.attempt).unwrap_or(1),
        Some(_) => return Err(refusal(Refusal::AlreadyEnrolled)),
    };
    let input = PaymentInput {
        out_trade_no: OutTradeNo::for_camp(id, parent.user_id, attempt),
        user_id: parent.user_id,
        purpose: Purpose::CampSeat {
            camp_id: id,
            identity,
        },
        settings: state.config.pay.settings,
    };
    match pay::checkout(&state, input).await? {
        Checkout::Ready {
            out_trade_no,
            reference_id,
            amount_cents,
            expires_at,
            request_payment,
        } => Ok(Reply::created(Enrolled {
            enrolment_id: reference_id,
            out_trade_no: out_trade_no.to_string(),
            amount_cents,
            expires_at,
            payment: request_payment,
        })
        .message("请在时限内完成支付")),
        Checkout::Refused { refusal: r } => Err(refusal(r)),
        Checkout::Failed { code } if code == "SYSTEM_ERROR" => {
            Err(ApiError::Unavailable("微信支付"))
        }
        Checkout::Failed { code } => Err(ApiError::conflict(
            PAY_REFUSED,
            format!("微信支付拒绝了订单（{code}）"),
        )),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Progress {
    pub camp: CampView,
    pub enrolment_id: i64,
    /// reserved | paid | released | anomaly
    pub status: String,
    pub out_trade_no: String,
    /// shown once paid
    pub group_qr_url: Option<String>,
    pub days_elapsed: u32,
    pub checkin_days: i32,
    pub required_days: i32,
    pub days_missing: u32,
    /// matched to a community member (with how sure we are)
    pub matched: bool,
    pub match_confidence: Option<i16>,
    /// eligible | not_eligible | unmatched, once the camp has ended
    pub verdict: Option<String>,
    /// pending | approved | rejected
    pub review: Option<String>,
    /// reserving | processing | success | closed | abnormal | refused
    pub refund_state: Option<String>,
}

#[utoipa::path(operation_id = "camps_me", get, path = "/api/v1/camps/{id}/me", tag = "camps", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Progress>), (status = 404, description = "not enrolled")))]
pub async fn me(
    State(state): State<AppState>,
    parent: Parent,
    ApiPath(id): ApiPath<i64>,
) -> Result<Reply<Progress>, ApiError> {
    let camp = published(&state, id).await?;
    let e = camps::enrolment_of(&state.pool, id, parent.user_id)
        .await?
        .ok_or(ApiError::NotFound {
            what: "报名记录"
        })?;
    let required = u32::try_from(camp.required_days).unwrap_or(0);
    Ok(Reply::ok(Progress {
        enrolment_id: e.id,
        status: e.status.clone(),
        out_trade_no: e.out_trade_no.clone(),
        group_qr_url: (e.status == "paid").then(|| camp.group_qr_url.clone()),
        days_elapsed: camp.timing().days_elapsed(Utc::now()),
        checkin_days: e.checkin_days,
        required_days: camp.required_days,
        days_missing: days_missing(u32::try_from(e.checkin_days).unwrap_or(0), required),
        matched: e.matched_community_user_id.is_some(),
        match_confidence: e.match_confidence,
        verdict: e.verdict.clone(),
        review: e.review.clone(),
        refund_state: e.refund_state.clone(),
        camp: camp_view(&camp, Some(&e)),
    }))
}
