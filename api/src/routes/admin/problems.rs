//! `GET /api/v1/admin/problems`: what needs a person, each kind with what to do — flows
//! Temporal reports stuck (`TemporalReportedProblems`), offers past their deadline, WeChat
//! deliveries that failed or never left, credits whose ledger does not balance or that
//! outlived their expiry.

use crate::auth::extract::Admin;
use crate::db;
use crate::envelope::{Envelope, Reply};
use crate::error::ApiError;
use crate::routes::sessions::in_club_time;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use futures::StreamExt;
use serde::Serialize;
use temporalio_client::WorkflowListOptions;
use utoipa::ToSchema;

/// Running workflows whose workflow tasks keep failing.
pub const STUCK_QUERY: &str =
    "ExecutionStatus = 'Running' AND TemporalReportedProblems IS NOT NULL";
/// An open offer is late once its deadline passed this long ago (the workflow's timer should
/// have moved it on within a second).
pub const LATE_OFFER_SECONDS: i64 = 60;
/// A WeChat delivery still pending after this long never left.
pub const STALE_DELIVERY_SECONDS: i64 = 600;
/// A credit still spendable this long after its expiry has no running expiry.
pub const OVERDUE_CREDIT_SECONDS: i64 = 600;

#[derive(Debug, Serialize, ToSchema)]
pub struct StuckFlow {
    pub workflow_id: String,
    pub run_id: String,
    pub workflow_type: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LateOffer {
    pub workflow_id: String,
    pub session_key: String,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub phase: String,
    pub deadline: Option<DateTime<FixedOffset>>,
    pub seats_open: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BadDelivery {
    pub notification_id: i64,
    pub user_id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub wechat_status: String,
    pub errcode: Option<i32>,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreditProblem {
    pub credit_id: i64,
    pub profile_id: i64,
    pub user_id: i64,
    pub status: String,
    pub remaining_minutes: i32,
    pub ledger_balance: i64,
    pub expires_at: DateTime<FixedOffset>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Section<T> {
    pub items: Vec<T>,
    /// what to do about them
    pub hint: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Problems {
    /// false when Temporal could not be asked (stuck flows unknown)
    pub temporal_reachable: bool,
    pub stuck_flows: Section<StuckFlow>,
    pub late_offers: Section<LateOffer>,
    pub failed_deliveries: Section<BadDelivery>,
    pub unbalanced_credits: Section<CreditProblem>,
    pub overdue_credits: Section<CreditProblem>,
}

/// Running workflows with `TemporalReportedProblems`; `None` when Temporal does not answer.
pub async fn stuck_flows(state: &AppState, limit: usize) -> Option<Vec<StuckFlow>> {
    let client = state.temporal.client().await.ok()?;
    let options = WorkflowListOptions::builder().limit(limit).build();
    let listed: Vec<_> = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        client
            .list_workflows(STUCK_QUERY, options)
            .collect::<Vec<_>>(),
    )
    .await
    .ok()?;
    let mut flows = Vec::new();
    for w in listed {
        match w {
            Ok(w) => flows.push(StuckFlow {
                workflow_id: w.id().to_string(),
                run_id: w.run_id().to_string(),
                workflow_type: w.workflow_type().to_string(),
            }),
            Err(e) => {
                tracing::warn!(error = %e, "cannot list stuck workflows");
                return None;
            }
        }
    }
    Some(flows)
}

fn credit(c: db::problems::CreditAnomaly, tz: chrono_tz::Tz) -> CreditProblem {
    CreditProblem {
        credit_id: c.credit_id,
        profile_id: c.profile_id,
        user_id: c.user_id,
        status: c.status,
        remaining_minutes: c.remaining_minutes,
        ledger_balance: c.ledger_balance,
        expires_at: in_club_time(c.expiry_time, tz),
    }
}

#[utoipa::path(get, path = "/api/v1/admin/problems", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Problems>)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Reply<Problems>, ApiError> {
    let tz = state.config.club_tz();
    let now = Utc::now();
    let pool = &state.pool;
    let stuck = stuck_flows(&state, 100).await;
    let late = db::problems::late_offers(pool, now, LATE_OFFER_SECONDS).await?;
    let deliveries = db::problems::bad_deliveries(pool, now, STALE_DELIVERY_SECONDS).await?;
    let unbalanced = db::problems::unbalanced_credits(pool).await?;
    let overdue = db::problems::overdue_credits(pool, now, OVERDUE_CREDIT_SECONDS).await?;
    Ok(Reply::ok(Problems {
        temporal_reachable: stuck.is_some(),
        stuck_flows: Section {
            items: stuck.unwrap_or_default(),
            hint: "工作流任务反复失败（代码缺陷、不确定性或缺少搜索属性）：在 Temporal UI 打开该工作流查看 WorkflowTaskFailed 的错误，检查 worker 日志；修复并发布后它会自动继续。",
        },
        late_offers: Section {
            items: late
                .into_iter()
                .map(|o| LateOffer {
                    session_key: workflows::SessionKey::new(o.course_schedule_id, o.booking_date)
                        .to_string(),
                    workflow_id: o.workflow_id,
                    course_schedule_id: o.course_schedule_id,
                    booking_date: o.booking_date,
                    phase: o.phase,
                    deadline: o.response_deadline.map(|t| in_club_time(t, tz)),
                    seats_open: o.seats_open,
                })
                .collect(),
            hint: "截止时间已过但名额仍在候补流程中：通常是没有 worker 在运行或某个活动在重试。打开工作流看 Pending Activities 的 LastFailure；检查 worker 是否在线。",
        },
        failed_deliveries: Section {
            items: deliveries
                .into_iter()
                .map(|d| BadDelivery {
                    notification_id: d.id,
                    user_id: d.user_id,
                    kind: d.kind,
                    title: d.title,
                    wechat_status: d.wechat_status,
                    errcode: d.wechat_errcode,
                    created_at: in_club_time(d.created_at, tz),
                })
                .collect(),
            hint: "微信订阅消息未送达（站内消息已送达）。errcode 43101：家长未授权；40001/42001：检查 AppSecret；其余见运行手册。可在家庭页面“重新发送”。",
        },
        unbalanced_credits: Section {
            items: unbalanced.into_iter().map(|c| credit(c, tz)).collect(),
            hint: "该补偿的流水合计与剩余分钟数不一致（M7 不变式被破坏）：不要手动改数据库；导出该家庭的流水，联系开发排查后用“调整补偿”更正并写明原因。",
        },
        overdue_credits: Section {
            items: overdue.into_iter().map(|c| credit(c, tz)).collect(),
            hint: "补偿已过有效期仍可使用：它的 CompensationCreditWorkflow 没有在运行。在 Temporal UI 按 compensation/{id} 查找；缺失时请开发重新启动该工作流。",
        },
    }))
}
