//! Messages from staff (issue 14): to one family, to a session's whole queue, or a notification
//! sent again. Each goes to the in-app centre in the action's transaction (with its audit
//! entry) and over WeChat where WeChat is on, the staff-message template is configured and
//! the parent has a grant (`StaffNoticeWorkflow` → `notify.wechat`).

use crate::auth::extract::Admin;
use crate::db::{self, messages::Outgoing, messages::WechatPart};
use crate::envelope::{Envelope, Reply};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath};
use crate::routes::admin::audit::{self, Action};
use crate::session;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use temporalio_client::WorkflowStartOptions;
use temporalio_client::errors::WorkflowStartError;
use utoipa::ToSchema;
use workflows::SessionKey;
use workflows::StaffNoticeWorkflow;
use workflows::staff_notice::{StaffNoticeInput, staff_notice_workflow_id};

/// WeChat's `thing` limit (characters).
const THING: usize = 20;
pub const NOTIFICATIONS_PAGE: &str = "pages/notifications/index";

fn cut(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(limit - 1).collect();
        s.push('…');
        s
    }
}

/// The subscribe message of a staff message, when one can go out: WeChat on and the
/// staff-message template configured. A body longer than a `thing` field is not cut
/// mid-sentence: the note then points the parent to the in-app centre.
pub fn wechat_part(
    state: &AppState,
    subject: &str,
    when: Option<DateTime<Utc>>,
    body: &str,
) -> Option<WechatPart> {
    if !state.config.wechat.enabled() {
        return None;
    }
    let template_id = state.config.console.staff_message_template.clone()?;
    let tz = state.config.club_tz();
    let note = if body.chars().count() <= THING {
        body.to_string()
    } else {
        "运营消息，请在小程序内查看".to_string()
    };
    Some(WechatPart {
        template_id,
        page: NOTIFICATIONS_PAGE.to_string(),
        payload: json!({
            "thing1": {"value": cut(subject, THING)},
            "time2": {"value": when.unwrap_or_else(Utc::now).with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()},
            "thing3": {"value": note},
        }),
    })
}

/// Starts the WeChat delivery of the messages an action wrote. The in-app messages are
/// already committed; a failure here leaves them `pending`, which the problems page lists
/// (re-send from there).
pub async fn deliver(state: &AppState, audit_id: i64, keys: Vec<String>) {
    if keys.is_empty() {
        return;
    }
    let client = match state.temporal.client().await {
        Ok(c) => c,
        Err(_) => {
            tracing::warn!(
                audit_id,
                "Temporal unavailable: staff messages stay pending for WeChat"
            );
            return;
        }
    };
    let Ok(ids) = state.ids().await else {
        tracing::warn!(
            audit_id,
            "database instance unknown: staff messages stay pending for WeChat"
        );
        return;
    };
    let id = staff_notice_workflow_id(&ids, audit_id);
    let options =
        WorkflowStartOptions::new(state.temporal.task_queue().to_string(), id.clone()).build();
    match client
        .start_workflow(
            StaffNoticeWorkflow::run,
            StaffNoticeInput {
                notifications: keys,
            },
            options,
        )
        .await
    {
        Ok(_) | Err(WorkflowStartError::AlreadyStarted { .. }) => {}
        Err(e) => {
            tracing::warn!(workflow_id = %id, error = %e, "cannot start the staff notice workflow")
        }
    }
}

/// The keys of the messages that have a WeChat part.
pub fn wechat_keys(messages: &[Outgoing]) -> Vec<String> {
    messages
        .iter()
        .filter(|m| m.wechat.is_some())
        .map(|m| m.dedupe_key.clone())
        .collect()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    /// 1–100 characters, default 运营通知
    pub title: Option<String>,
    /// 1–500 characters
    pub body: String,
    /// the child the message is about (a family message)
    pub profile_id: Option<i64>,
}

fn text(input: &MessageInput) -> Result<(String, String), ApiError> {
    let title = input
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("运营通知");
    if title.chars().count() > 100 {
        return Err(ApiError::invalid("title", "标题最多100个字符"));
    }
    let body = input.body.trim();
    if body.is_empty() || body.chars().count() > 500 {
        return Err(ApiError::invalid("body", "消息内容应为1–500个字符"));
    }
    Ok((title.to_string(), body.to_string()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Sent {
    /// in-app messages written
    pub messages: u32,
    /// of those, sent on over WeChat (subject to the parent's grant)
    pub wechat: u32,
    pub audit_id: i64,
}

#[utoipa::path(post, path = "/api/v1/admin/families/{user_id}/messages", tag = "admin", security(("bearer" = [])),
    params(("user_id" = i64, Path)), request_body = MessageInput,
    responses((status = 201, body = Envelope<Sent>), (status = 400, description = "empty or too long"), (status = 404, description = "unknown family")))]
pub async fn to_family(
    State(state): State<AppState>,
    admin: Admin,
    ApiPath(user_id): ApiPath<i64>,
    ApiJson(input): ApiJson<MessageInput>,
) -> Result<Reply<Sent>, ApiError> {
    let (title, body) = text(&input)?;
    db::families::find(&state.pool, user_id)
        .await?
        .ok_or(ApiError::not_found("家庭"))?;
    if let Some(p) = input.profile_id
        && db::profiles::owner(&state.pool, p).await? != Some(user_id)
    {
        return Err(ApiError::invalid("profile_id", "该孩子不属于这个家庭"));
    }
    let mut tx = state.pool.begin().await?;
    let audit_id = audit::record(
        &mut tx,
        admin,
        Action {
            action: "message.family",
            target_type: "family",
            target_id: user_id.to_string(),
            reason: None,
            details: json!({"title": title, "body": body, "profile_id": input.profile_id}),
        },
    )
    .await?;
    let message = Outgoing {
        user_id,
        profile_id: input.profile_id,
        kind: "staff_message".into(),
        wechat: wechat_part(&state, &title, None, &body),
        title,
        body,
        data: json!({"page": NOTIFICATIONS_PAGE, "audit_id": audit_id}),
        dedupe_key: format!("staff_message/{audit_id}/{user_id}"),
    };
    db::messages::insert(&mut tx, &message).await?;
    tx.commit().await?;
    let keys = wechat_keys(std::slice::from_ref(&message));
    let wechat = u32::try_from(keys.len()).unwrap_or(0);
    deliver(&state, audit_id, keys).await;
    Ok(Reply::created(Sent {
        messages: 1,
        wechat,
        audit_id,
    })
    .message("消息已发送"))
}

#[utoipa::path(post, path = "/api/v1/admin/sessions/{schedule_id}/{date}/messages", tag = "admin", security(("bearer" = [])),
    params(("schedule_id" = i64, Path), ("date" = NaiveDate, Path)), request_body = MessageInput,
    responses((status = 201, body = Envelope<Sent>), (status = 400, description = "empty or too long")))]
pub async fn to_queue(
    State(state): State<AppState>,
    admin: Admin,
    ApiPath((schedule_id, date)): ApiPath<(i64, NaiveDate)>,
    ApiJson(input): ApiJson<MessageInput>,
) -> Result<Reply<Sent>, ApiError> {
    let (title, body) = text(&input)?;
    if input.profile_id.is_some() {
        return Err(ApiError::invalid(
            "profile_id",
            "发给整个候补队列时不能指定孩子",
        ));
    }
    let s = session::load(&state, schedule_id, date).await?;
    let key = s.key;
    let subject = format!("{}：{title}", s.schedule.course_name);
    let mut tx = state.pool.begin().await?;
    let recipients = db::messages::queue_recipients(&mut tx, key).await?;
    let audit_id = audit::record(
        &mut tx,
        admin,
        Action {
            action: "message.queue",
            target_type: "session",
            target_id: key.to_string(),
            reason: None,
            details: json!({"title": title, "body": body, "recipients": recipients.len()}),
        },
    )
    .await?;
    let mut messages = Vec::new();
    for (waitlist_id, user_id, profile_id) in recipients {
        let m = Outgoing {
            user_id,
            profile_id: Some(profile_id),
            kind: "staff_message".into(),
            title: title.clone(),
            body: format!("{}（{}）：{body}", s.schedule.course_name, date),
            data: session_data(key, Some(waitlist_id), audit_id),
            dedupe_key: format!("staff_message/{audit_id}/{waitlist_id}"),
            wechat: wechat_part(&state, &subject, Some(s.starts_at), &body),
        };
        db::messages::insert(&mut tx, &m).await?;
        messages.push(m);
    }
    tx.commit().await?;
    let keys = wechat_keys(&messages);
    let sent = Sent {
        messages: u32::try_from(messages.len()).unwrap_or(u32::MAX),
        wechat: u32::try_from(keys.len()).unwrap_or(u32::MAX),
        audit_id,
    };
    deliver(&state, audit_id, keys).await;
    Ok(Reply::created(sent).message("消息已发送给候补队列"))
}

/// `data` of a message about a session (the session's history finds it by these keys).
pub fn session_data(key: SessionKey, waitlist_id: Option<i64>, audit_id: i64) -> serde_json::Value {
    json!({
        "course_schedule_id": key.course_schedule_id,
        "booking_date": key.booking_date,
        "waitlist_id": waitlist_id,
        "audit_id": audit_id,
        "page": NOTIFICATIONS_PAGE,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResendInput {
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/admin/notifications/{id}/resend", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ResendInput,
    responses((status = 201, body = Envelope<Sent>), (status = 404, description = "unknown notification")))]
pub async fn resend(
    State(state): State<AppState>,
    admin: Admin,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ResendInput>,
) -> Result<Reply<Sent>, ApiError> {
    let reason = audit::reason(input.reason.as_deref(), false)?;
    let original = db::families::notification(&state.pool, id)
        .await?
        .ok_or(ApiError::not_found("通知"))?;
    let mut tx = state.pool.begin().await?;
    let (template, page, payload, data) = db::messages::wechat_part_of(&mut tx, id)
        .await?
        .ok_or(ApiError::not_found("通知"))?;
    let audit_id = audit::record(
        &mut tx,
        admin,
        Action {
            action: "notification.resend",
            target_type: "notification",
            target_id: id.to_string(),
            reason: reason.as_deref(),
            details: json!({"user_id": original.user_id, "type": original.kind, "title": original.title}),
        },
    )
    .await?;
    // The same message again, under a key of its own, with the WeChat part it had (if WeChat
    // is on now).
    let wechat = match (template, page, payload) {
        (Some(template_id), Some(page), Some(payload)) if state.config.wechat.enabled() => {
            serde_json::from_str(&payload)
                .ok()
                .map(|payload| WechatPart {
                    template_id,
                    page,
                    payload,
                })
        }
        _ => None,
    };
    let message = Outgoing {
        user_id: original.user_id,
        profile_id: original.profile_id,
        kind: original.kind.clone(),
        title: original.title.clone(),
        body: original.body.clone(),
        data: data
            .and_then(|d| serde_json::from_str(&d).ok())
            .unwrap_or(json!({})),
        dedupe_key: format!("resend/{audit_id}/{id}"),
        wechat,
    };
    db::messages::insert(&mut tx, &message).await?;
    tx.commit().await?;
    let keys = wechat_keys(std::slice::from_ref(&message));
    let wechat = u32::try_from(keys.len()).unwrap_or(0);
    deliver(&state, audit_id, keys).await;
    Ok(Reply::created(Sent {
        messages: 1,
        wechat,
        audit_id,
    })
    .message("已重新发送"))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OffersResent {
    /// the open offers that sent their current round again
    pub offers: Vec<String>,
    /// new in-app messages (each with its WeChat send where granted)
    pub messages: u32,
    pub audit_id: i64,
}

#[utoipa::path(post, path = "/api/v1/admin/sessions/{schedule_id}/{date}/resend-offers", tag = "admin", security(("bearer" = [])),
    params(("schedule_id" = i64, Path), ("date" = NaiveDate, Path)), request_body = ResendInput,
    responses((status = 200, body = Envelope<OffersResent>)))]
pub async fn resend_offers(
    State(state): State<AppState>,
    admin: Admin,
    ApiPath((schedule_id, date)): ApiPath<(i64, NaiveDate)>,
    ApiJson(input): ApiJson<ResendInput>,
) -> Result<Reply<OffersResent>, ApiError> {
    let reason = audit::reason(input.reason.as_deref(), false)?;
    let s = session::load(&state, schedule_id, date).await?;
    // The same step as ops' POST /api/v1/waitlist/notify: each open offer sends its round again.
    let mut offers = Vec::new();
    let mut messages = 0;
    for workflow_id in db::offers::open_offers(&state.pool, s.key).await? {
        if let Some(n) = crate::flows::resend(&state, &workflow_id).await? {
            messages += n;
            offers.push(workflow_id);
        }
    }
    let audit_id = audit::record_now(
        &state,
        admin,
        Action {
            action: "offer.resend",
            target_type: "session",
            target_id: s.key.to_string(),
            reason: reason.as_deref(),
            details: json!({"offers": offers, "messages": messages}),
        },
    )
    .await?;
    let message = if offers.is_empty() {
        "该课程没有进行中的候补邀请"
    } else {
        "已重新发送当前轮次的候补邀请"
    };
    Ok(Reply::ok(OffersResent {
        offers,
        messages,
        audit_id,
    })
    .message(message))
}
