//! The in-app notification centre (N2).

use crate::auth::extract::Parent;
use crate::db;
use crate::envelope::{Envelope, Reply};
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery};
use crate::routes::sessions::in_club_time;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationItem {
    pub id: i64,
    /// one of design N1: spot_available, seat_taken, hold_for_you, offer_expired,
    /// waitlist_expired, position_changed, makeup_booked, makeup_cancelled, compensation_expiring,
    /// seat_confirmed (AA1: auto-accept booked a released seat)
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub body: String,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub read: bool,
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1-based, default 1
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
    /// 1–50, default 20
    #[param(minimum = 1, maximum = 50)]
    pub page_size: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationPage {
    pub items: Vec<NotificationItem>,
    pub page: u32,
    pub page_size: u32,
    pub total: i64,
    pub unread_count: i64,
}

const MAX_PAGE_SIZE: u32 = 50;

/// `(page, page_size)` with defaults and limits.
fn paging(q: &PageQuery) -> Result<(u32, u32), ApiError> {
    let page = q.page.unwrap_or(1);
    let size = q.page_size.unwrap_or(20);
    if page == 0 || page > 100_000 {
        return Err(ApiError::invalid("page", "page 应为 1 起的页码"));
    }
    if size == 0 || size > MAX_PAGE_SIZE {
        return Err(ApiError::invalid(
            "page_size",
            format!("page_size 应为 1–{MAX_PAGE_SIZE}"),
        ));
    }
    Ok((page, size))
}

fn item(r: db::notifications::NotificationRow, tz: chrono_tz::Tz) -> NotificationItem {
    NotificationItem {
        id: r.id,
        kind: r.kind,
        title: r.title,
        body: r.body,
        data: r
            .data
            .and_then(|d| serde_json::from_str(&d).ok())
            .unwrap_or(serde_json::Value::Null),
        read: r.read_at.is_some(),
        created_at: in_club_time(r.created_at, tz),
    }
}

#[utoipa::path(operation_id = "notifications_list", get, path = "/api/v1/notifications", tag = "notifications", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "newest first", body = Envelope<NotificationPage>)))]
pub async fn list(
    State(state): State<AppState>,
    parent: Parent,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Reply<NotificationPage>, ApiError> {
    let (page, page_size) = paging(&q)?;
    let rows = db::notifications::page(
        &state.pool,
        parent.user_id,
        (page - 1) * page_size,
        page_size,
    )
    .await?;
    let (total, unread_count) = db::notifications::counts(&state.pool, parent.user_id).await?;
    let tz = state.config.club_tz();
    Ok(Reply::ok(NotificationPage {
        items: rows.into_iter().map(|r| item(r, tz)).collect(),
        page,
        page_size,
        total,
        unread_count,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MarkedRead {
    pub id: i64,
    pub read: bool,
    pub unread_count: i64,
}

#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Envelope<MarkedRead>)))]
pub async fn mark_read(
    State(state): State<AppState>,
    parent: Parent,
    ApiPath(id): ApiPath<i64>,
) -> Result<Reply<MarkedRead>, ApiError> {
    match db::notifications::owner(&state.pool, id).await? {
        None => return Err(ApiError::not_found("消息")),
        Some(owner) if owner != parent.user_id => return Err(ApiError::Forbidden),
        Some(_) => {}
    }
    db::notifications::mark_read(&state.pool, id, db::now_millis()).await?;
    let (_, unread_count) = db::notifications::counts(&state.pool, parent.user_id).await?;
    Ok(Reply::ok(MarkedRead {
        id,
        read: true,
        unread_count,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AllRead {
    pub updated: u64,
    pub unread_count: i64,
}

#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Envelope<AllRead>)))]
pub async fn mark_all_read(
    State(state): State<AppState>,
    parent: Parent,
) -> Result<Reply<AllRead>, ApiError> {
    let updated =
        db::notifications::mark_all_read(&state.pool, parent.user_id, db::now_millis()).await?;
    let (_, unread_count) = db::notifications::counts(&state.pool, parent.user_id).await?;
    Ok(Reply::ok(AllRead {
        updated,
        unread_count,
    })
    .message("已全部标为已读"))
}

#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct GrantsBody {
    /// what `wx.requestSubscribeMessage` answered per template (without errMsg): template id
    /// → accept | reject | ban | filter; 1–20 templates
    #[schema(schema_with = grant_results_schema)]
    pub results: std::collections::BTreeMap<String, GrantAnswer>,
}

/// One template's answer in `wx.requestSubscribeMessage`'s result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum GrantAnswer {
    Accept,
    Reject,
    Ban,
    Filter,
}

impl GrantAnswer {
    fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Reject => "reject",
            Self::Ban => "ban",
            Self::Filter => "filter",
        }
    }
}

const MAX_TEMPLATES: usize = 20;

/// `results` as the handler checks it: 1–20 template ids (as [`valid_template_id`]) to answers.
fn grant_results_schema() -> utoipa::openapi::Object {
    use utoipa::openapi::{ObjectBuilder, Type, schema::AdditionalProperties};
    let answer = ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["accept", "reject", "ban", "filter"]))
        .build();
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .min_properties(Some(1))
        .max_properties(Some(MAX_TEMPLATES))
        .property_names(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(TEMPLATE_ID_PATTERN)),
        ))
        .additional_properties(Some(AdditionalProperties::RefOr(answer.into())))
        .examples([serde_json::json!({"tmpl-offer-0001": "accept"})])
        .build()
}

const TEMPLATE_ID_PATTERN: &str = "^[A-Za-z0-9_-]{1,64}$";

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantsRecorded {
    /// templates recorded
    pub recorded: usize,
    /// one-time grants now left per accepted template
    #[schema(value_type = Object)]
    pub remaining: std::collections::BTreeMap<String, i32>,
}

fn valid_template_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[utoipa::path(post, path = "/api/v1/notifications/grants", tag = "notifications", security(("bearer" = [])),
    request_body = GrantsBody, responses((status = 200, body = Envelope<GrantsRecorded>), (status = 400, description = "bad template id or result")))]
pub async fn record_grants(
    State(state): State<AppState>,
    parent: Parent,
    crate::extract::ApiJson(body): crate::extract::ApiJson<GrantsBody>,
) -> Result<Reply<GrantsRecorded>, ApiError> {
    let results: Vec<(String, &str)> = body
        .results
        .into_iter()
        .map(|(k, v)| (k, v.as_str()))
        .collect();
    if results.is_empty() || results.len() > MAX_TEMPLATES {
        return Err(ApiError::invalid(
            "results",
            format!("results 应包含1–{MAX_TEMPLATES}个模板结果"),
        ));
    }
    if let Some((template, _)) = results.iter().find(|(t, _)| !valid_template_id(t)) {
        return Err(ApiError::invalid(
            "results",
            format!("模板ID无效：{template}"),
        ));
    }
    let mut tx = state.pool.begin().await?;
    let mut remaining = std::collections::BTreeMap::new();
    for (template, result) in &results {
        // accept adds one one-time grant; ban withdraws all; reject/filter change nothing.
        sqlx::query(
            "INSERT INTO subscription_grant (user_id, template_id, last_result, remaining)
             VALUES (?, ?, ?, IF(? = 'accept', 1, 0))
             ON DUPLICATE KEY UPDATE last_result = VALUES(last_result),
               remaining = CASE VALUES(last_result) WHEN 'accept' THEN remaining + 1 WHEN 'ban' THEN 0 ELSE remaining END",
        )
        .bind(parent.user_id)
        .bind(template)
        .bind(*result)
        .bind(*result)
        .execute(&mut *tx)
        .await?;
        let (left,): (i32,) = sqlx::query_as(
            "SELECT remaining FROM subscription_grant WHERE user_id = ? AND template_id = ?",
        )
        .bind(parent.user_id)
        .bind(template)
        .fetch_one(&mut *tx)
        .await?;
        remaining.insert(template.clone(), left);
    }
    tx.commit().await?;
    Ok(Reply::ok(GrantsRecorded {
        recorded: results.len(),
        remaining,
    })
    .message("订阅结果已记录"))
}
