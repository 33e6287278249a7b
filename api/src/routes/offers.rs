//! Responding to an offer (O4–O7) and the notification history of an entry (O8).

use crate::auth::extract::{Admin, Parent};
use crate::db;
use crate::envelope::{Envelope, Items, Reply};
use crate::error::{ApiError, codes};
use crate::extract::{ApiJson, ApiPath};
use crate::flows::{self, OfferAnswer};
use crate::routes::sessions::in_club_time;
use crate::routes::waitlist::owned_entry;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use workflows::SessionKey;
use workflows::offer::{Action, RespondInput, RespondRejection, Verdict};
use workflows::status::EntryStatus;

pub const TAKEN: &str = "名额已被抢占";
pub const EXPIRED: &str = "候补确认已过期，名额已顺位给下一位候补用户";

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionInput {
    Begin,
    Confirm,
    Decline,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RespondBody {
    pub action: ActionInput,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RespondReply {
    /// won | began | declined (taken → 409, expired → 410, with the same field)
    pub verdict: &'static str,
    /// the first booking (a family's first child)
    pub booking_id: Option<i64>,
    /// F3: every booking the confirm made, one per child booked (a family entry books all
    /// its children at once, or as many as there were seats when it allowed that)
    pub booking_ids: Vec<i64>,
    pub grace_until: Option<DateTime<FixedOffset>>,
}

/// The answer to a confirm that won: the entry's bookings.
async fn won(
    state: &AppState,
    id: i64,
    first: Option<i64>,
) -> Result<Reply<RespondReply>, ApiError> {
    let booking_ids = db::waitlist::booking_ids(&state.pool, id).await?;
    Ok(Reply::ok(RespondReply {
        verdict: "won",
        booking_id: booking_ids.first().copied().or(first),
        booking_ids,
        grace_until: None,
    })
    .message("候补成功，已为您预约"))
}

fn taken() -> ApiError {
    ApiError::Verdict {
        status: StatusCode::CONFLICT,
        code: codes::SEAT_TAKEN,
        message: TAKEN.into(),
        data: serde_json::json!({"verdict": "taken"}),
    }
}

fn expired() -> ApiError {
    ApiError::Verdict {
        status: StatusCode::GONE,
        code: codes::GONE,
        message: EXPIRED.into(),
        data: serde_json::json!({"verdict": "expired"}),
    }
}

fn no_offer() -> ApiError {
    ApiError::Verdict {
        status: StatusCode::CONFLICT,
        code: codes::CONFLICT,
        message: "当前没有可确认的名额，有名额时会通知您".into(),
        data: serde_json::json!({"verdict": "not_offered"}),
    }
}

#[utoipa::path(put, path = "/api/v1/waitlist/{id}/respond", tag = "waitlist", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = RespondBody,
    responses((status = 200, body = Envelope<RespondReply>),
              (status = 409, description = "40907 taken: 名额已被抢占 (data.verdict = taken); 40900 no offer open for you (data.verdict = not_offered), declined already, or no longer waiting; makeup codes for a makeup entry"),
              (status = 410, description = "expired: 候补确认已过期 (data.verdict = expired)"),
              (status = 429, description = "42900: too many answers from this parent (RATE_LIMIT_RESPOND_PER_MINUTE), or too many to one offer")))]
#[tracing::instrument(skip_all, fields(user_id = parent.user_id, waitlist_id = id, action = ?body.action))]
pub async fn respond(
    State(state): State<AppState>,
    parent: Parent,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RespondBody>,
) -> Result<Reply<RespondReply>, ApiError> {
    state
        .limits
        .respond
        .check(&parent.user_id)
        .map_err(crate::limits::refused)?;
    let entry = owned_entry(&state, parent, id).await?;
    let tz = state.config.club_tz();
    let action = match body.action {
        ActionInput::Begin => Action::Begin,
        ActionInput::Confirm => Action::Confirm,
        ActionInput::Decline => Action::Decline,
    };
    match entry.status {
        // A repeated confirm (a retry) gets the same answer.
        EntryStatus::Confirmed => return won(&state, id, entry.booking_id).await,
        EntryStatus::Expired => return Err(expired()),
        EntryStatus::Cancelled => {
            return Err(ApiError::conflict(codes::CONFLICT, "您已不在候补队列中"));
        }
        EntryStatus::Waiting | EntryStatus::Notified => {}
    }
    let input = RespondInput {
        waitlist_id: id,
        action,
    };
    let mut seen = Seen::default();
    for workflow_id in db::offers::open_offers(&state.pool, entry.session()).await? {
        match flows::respond(&state, &workflow_id, input).await? {
            OfferAnswer::Verdict(Verdict::Won { booking_id }) => {
                return won(&state, id, Some(booking_id)).await;
            }
            OfferAnswer::Verdict(Verdict::Began { grace_until }) => {
                let until = in_club_time(grace_until, tz);
                return Ok(Reply::ok(RespondReply {
                    verdict: "began",
                    booking_id: None,
                    booking_ids: Vec::new(),
                    grace_until: Some(until),
                })
                .message(format!("请在{}前完成确认", until.format("%H:%M:%S"))));
            }
            OfferAnswer::Verdict(Verdict::Declined) => {
                return Ok(Reply::ok(RespondReply {
                    verdict: "declined",
                    booking_id: None,
                    booking_ids: Vec::new(),
                    grace_until: None,
                })
                .message("已放弃本次名额，您仍在候补队列中"));
            }
            OfferAnswer::Verdict(Verdict::MakeupRefused { refusal }) => {
                return Err(crate::routes::makeup::refusal(refusal));
            }
            OfferAnswer::Verdict(Verdict::Unavailable) => {
                return Err(ApiError::Unavailable("数据库"));
            }
            OfferAnswer::Verdict(Verdict::Taken)
            | OfferAnswer::Rejected(RespondRejection::Taken) => seen.taken = true,
            OfferAnswer::Verdict(Verdict::Expired)
            | OfferAnswer::Rejected(RespondRejection::Expired) => seen.expired = true,
            OfferAnswer::Rejected(RespondRejection::Declined) => seen.declined = true,
            OfferAnswer::Rejected(RespondRejection::TooMany) => seen.too_many = true,
            OfferAnswer::Verdict(Verdict::NotOffered)
            | OfferAnswer::Rejected(RespondRejection::NotOffered | RespondRejection::Invalid)
            | OfferAnswer::Gone => {}
        }
    }
    if seen.too_many {
        return Err(ApiError::RateLimited {
            message: "操作过于频繁，请稍后再试".into(),
            retry_after_seconds: 60,
        });
    }
    if seen.taken {
        return Err(taken());
    }
    if seen.expired {
        return Err(expired());
    }
    if seen.declined {
        return Err(ApiError::conflict(
            codes::CONFLICT,
            "您已放弃本次名额，仍在候补队列中，有新名额时会通知您",
        ));
    }
    // No open offer answered: what became of the last one this entry was told about?
    match db::offers::last_offer_phase_for(&state.pool, id)
        .await?
        .as_deref()
    {
        Some("won") => Err(taken()),
        Some(_) => Err(expired()),
        None => Err(no_offer()),
    }
}

/// What the open offers of a session said to one respond.
#[derive(Debug, Default)]
struct Seen {
    taken: bool,
    expired: bool,
    declined: bool,
    too_many: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationRecord {
    pub id: i64,
    /// spot_available | seat_taken | hold_for_you | offer_expired | seat_confirmed | ...
    #[serde(rename = "type")]
    pub kind: String,
    pub round: i32,
    pub sent_at: DateTime<FixedOffset>,
    pub deadline: Option<DateTime<FixedOffset>>,
    /// begin | confirm | decline
    pub response: Option<String>,
    /// sent | responded | expired | cancelled
    pub status: String,
    pub message: Option<String>,
    pub offer_workflow_id: Option<String>,
}

#[utoipa::path(operation_id = "offers_history", get, path = "/api/v1/waitlist/{id}/notifications", tag = "waitlist", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Envelope<Items<NotificationRecord>>)))]
pub async fn history(
    State(state): State<AppState>,
    parent: Parent,
    ApiPath(id): ApiPath<i64>,
) -> Result<Reply<Items<NotificationRecord>>, ApiError> {
    owned_entry(&state, parent, id).await?;
    let tz = state.config.club_tz();
    let items = db::offers::notifications_of_entry(&state.pool, id)
        .await?
        .into_iter()
        .map(|n| NotificationRecord {
            id: n.id,
            kind: n.kind,
            round: n.round,
            sent_at: in_club_time(n.sent_at, tz),
            deadline: n.deadline.map(|t| in_club_time(t, tz)),
            response: n.response,
            status: n.status,
            message: n.message,
            offer_workflow_id: n.offer_workflow_id,
        })
        .collect();
    Ok(Reply::ok(Items { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResendBody {
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Resent {
    /// offers of the session that re-sent their current round
    pub offers: Vec<String>,
    pub messages: u32,
}

#[utoipa::path(operation_id = "offers_resend", post, path = "/api/v1/waitlist/notify", tag = "admin", security(("bearer" = [])), request_body = ResendBody,
    responses((status = 200, body = Envelope<Resent>), (status = 400, description = "40000: a field out of range; `booking_date` more than 366 days back or 731 ahead, or not the schedule's weekday (该课程安排在每周…上课)"),
              (status = 404, description = "40400: no such schedule")))]
pub async fn resend(
    State(state): State<AppState>,
    _admin: Admin,
    ApiJson(body): ApiJson<ResendBody>,
) -> Result<Reply<Resent>, ApiError> {
    let session = SessionKey::new(body.course_schedule_id, body.booking_date);
    let mut offers = Vec::new();
    let mut messages = 0;
    for workflow_id in db::offers::open_offers(&state.pool, session).await? {
        if let Some(n) = flows::resend(&state, &workflow_id).await? {
            messages += n;
            offers.push(workflow_id);
        }
    }
    Ok(Reply::ok(Resent { offers, messages }).message("已重新发送当前轮次的通知"))
}
