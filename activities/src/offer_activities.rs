//! Activities of `WaitlistOfferWorkflow`: release, claim, hold, lapse, notify, close.

use crate::db::{self, now_millis, offers};
use crate::notify::drafts::WechatDrafts;
use crate::notify::offer_notices::{Notice, notify};
use crate::notify::templates::NoticeType;
use chrono_tz::Tz;
use sqlx::{MySqlConnection, MySqlPool};
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use tracing::info;
use workflows::activities::{
    ClaimOutcome, ClaimRequest, CloseRequest, Hold, HoldRequest, LapseRequest, NoticeOutcome,
    NotifyRequest, OfferNotice, ReleaseRequest, ResponseRecord,
};
use workflows::offer::{OfferOpened, OfferPhase, Release, ReleaseOutcome, ReleaseRefusal};
use workflows::rules::offer::{hold_deadline, response_deadline};
use workflows::rules::time::waitlist_cutoff;

pub struct OfferActivities {
    pool: MySqlPool,
    club_tz: Tz,
    drafts: WechatDrafts,
}

impl OfferActivities {
    pub fn new(pool: MySqlPool, club_tz: Tz, drafts: WechatDrafts) -> Self {
        Self {
            pool,
            club_tz,
            drafts,
        }
    }
}

fn kind_of(notice: OfferNotice) -> NoticeType {
    match notice {
        OfferNotice::SpotAvailable => NoticeType::SpotAvailable,
        OfferNotice::SeatTaken => NoticeType::SeatTaken,
        OfferNotice::HoldForYou => NoticeType::HoldForYou,
        OfferNotice::OfferExpired => NoticeType::OfferExpired,
    }
}

fn refused(req: &ReleaseRequest, refusal: ReleaseRefusal) -> ReleaseOutcome {
    ReleaseOutcome {
        release: req.release.clone(),
        refusal: Some(refusal),
        seats: 0,
        pending_makeup_id: None,
        offer: None,
        no_offer_reason: None,
        wechat: Vec::new(),
    }
}

/// Frees the booking's seat: `booked` → `cancelled`/`leave`. False when it held none.
async fn release_booking(
    conn: &mut MySqlConnection,
    req: &ReleaseRequest,
    booking_id: i64,
    status: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE booking SET status = ? WHERE id = ? AND status = 'booked' AND course_schedule_id = ? AND booking_date = ?",
    )
    .bind(status)
    .bind(booking_id)
    .bind(req.session.course_schedule_id)
    .bind(req.session.booking_date)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// M1: the pending makeup a leave creates, remembering the original course.
async fn open_pending_makeup(
    conn: &mut MySqlConnection,
    booking_id: i64,
) -> Result<i64, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO pending_makeup (profile_id, original_booking_id, course_id, course_type, level, duration_minutes, price_cents)
         SELECT b.profile_id, b.id, c.id, c.course_type, c.level, c.duration_minutes, c.price_cents
           FROM booking b JOIN course_schedule cs ON cs.id = b.course_schedule_id JOIN course c ON c.id = cs.course_id
          WHERE b.id = ?
         ON DUPLICATE KEY UPDATE pending_makeup.id = LAST_INSERT_ID(pending_makeup.id)",
    )
    .bind(booking_id)
    .execute(conn)
    .await?;
    Ok(i64::try_from(result.last_insert_id()).unwrap_or(i64::MAX))
}

#[activities]
impl OfferActivities {
    #[activity(definition = workflows::activities::ReleaseSeats)]
    pub async fn release(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: ReleaseRequest,
    ) -> Result<ReleaseOutcome, ActivityError> {
        let mut tx = self.pool.begin().await?;
        if let Some(recorded) = offers::recorded_outcome(&mut tx, &req.workflow_id).await? {
            return Ok(serde_json::from_str(&recorded)?);
        }
        let Some(session) = offers::lock_session(&mut tx, req.session).await? else {
            return Ok(refused(&req, ReleaseRefusal::NotBooked));
        };
        let now = now_millis();
        if now >= session.starts_at {
            return Ok(refused(&req, ReleaseRefusal::Started));
        }
        let reserved = offers::reserved_seats(&mut tx, req.session).await?;
        let mut pending_makeup_id = None;
        let seats = match &req.release {
            Release::Cancel { booking_id } | Release::Leave { booking_id } => {
                let status = if matches!(req.release, Release::Leave { .. }) {
                    "leave"
                } else {
                    "cancelled"
                };
                if !release_booking(&mut tx, &req, *booking_id, status).await? {
                    return Ok(refused(&req, ReleaseRefusal::NotBooked));
                }
                if status == "leave" {
                    pending_makeup_id = Some(open_pending_makeup(&mut tx, *booking_id).await?);
                }
                let booked = offers::booked_count(&mut tx, req.session).await?;
                u32::from(booked + reserved < session.capacity())
            }
            Release::Capacity {
                capacity,
                expected_version,
            } => {
                if i64::from(session.capacity_version) != *expected_version {
                    return Ok(refused(&req, ReleaseRefusal::VersionChanged));
                }
                let booked = offers::booked_count(&mut tx, req.session).await?;
                if *capacity < booked + reserved {
                    return Ok(refused(&req, ReleaseRefusal::BelowBooked));
                }
                sqlx::query(
                    "UPDATE class_session SET capacity_override = ?, capacity_version = capacity_version + 1
                      WHERE course_schedule_id = ? AND booking_date = ?",
                )
                .bind(capacity)
                .bind(req.session.course_schedule_id)
                .bind(req.session.booking_date)
                .execute(&mut *tx)
                .await?;
                capacity.saturating_sub(session.capacity().max(booked + reserved))
            }
        };

        let cutoff_at = waitlist_cutoff(session.starts_at, req.settings.cutoff_seconds);
        let entries = offers::active_entry_ids(&mut tx, req.session).await?;
        let no_offer_reason = if seats == 0 {
            Some("no_free_seat")
        } else if now >= cutoff_at {
            Some("cutoff") // O1: a release at or after the cutoff makes no offer
        } else if entries.is_empty() {
            Some("queue_empty")
        } else {
            None
        };
        let offer = no_offer_reason.is_none().then(|| OfferOpened {
            deadline: response_deadline(now, req.settings.response_window_seconds, cutoff_at),
            cutoff_at,
            hold_seconds: req.settings.hold_window_seconds,
            grace_seconds: req.settings.grace_seconds,
            notified: entries.clone(),
        });
        let mut outcome = ReleaseOutcome {
            release: req.release.clone(),
            refusal: None,
            seats,
            pending_makeup_id,
            offer: offer.clone(),
            no_offer_reason: no_offer_reason.map(str::to_string),
            wechat: Vec::new(),
        };
        if let Some(opened) = &offer {
            let notice = Notice {
                workflow_id: &req.workflow_id,
                session: req.session,
                round: 1,
                kind: NoticeType::SpotAvailable,
                deadline: Some(opened.deadline),
                at: now,
            };
            outcome.wechat = notify(&mut tx, self.club_tz, &self.drafts, &notice, &entries)
                .await?
                .wechat;
            offers::mark_notified(&mut tx, &entries, now).await?;
        }
        offers::insert_flow(
            &mut tx,
            &offers::NewFlow {
                workflow_id: &req.workflow_id,
                session: req.session,
                release_reason: req.release.reason(),
                seats,
                seats_open: if offer.is_some() { seats } else { 0 },
                phase: match no_offer_reason {
                    None => OfferPhase::Broadcast.as_str(),
                    Some("cutoff") => OfferPhase::Cutoff.as_str(),
                    Some(_) => OfferPhase::Exhausted.as_str(),
                },
                started_at: now,
                deadline: offer.as_ref().map(|o| o.deadline),
                completed_at: no_offer_reason.map(|_| now),
                expiration_reason: no_offer_reason.map(|r| {
                    if r == "cutoff" {
                        "cutoff"
                    } else {
                        "queue_empty"
                    }
                }),
                flow_data: serde_json::to_string(&outcome)?,
            },
        )
        .await?;
        tx.commit().await?;
        info!(workflow_id = %req.workflow_id, seats, notified = entries.len(), reason = ?no_offer_reason, "seat released");
        Ok(outcome)
    }

    #[activity(definition = workflows::activities::ClaimSeat)]
    pub async fn claim(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: ClaimRequest,
    ) -> Result<ClaimOutcome, ActivityError> {
        let mut tx = self.pool.begin().await?;
        let Some(session) = offers::lock_session(&mut tx, req.session).await? else {
            return Ok(ClaimOutcome::NoSeat);
        };
        let Some(flow) = offers::lock_flow(&mut tx, &req.workflow_id).await? else {
            return Ok(ClaimOutcome::NoSeat);
        };
        let seats_left = u32::try_from(flow.seats_open).unwrap_or(0);
        let Some(entry) = offers::lock_entry(&mut tx, req.waitlist_id).await? else {
            return Ok(ClaimOutcome::NotActive);
        };
        if entry.status == "confirmed"
            && let Some(booking_id) = entry.booking_id
        {
            // a retry after commit
            return Ok(ClaimOutcome::Won {
                booking_id,
                seats_left,
                makeup: None,
            });
        }
        let same_session = entry.course_schedule_id == req.session.course_schedule_id
            && entry.booking_date == req.session.booking_date;
        if !same_session || !matches!(entry.status.as_str(), "waiting" | "notified") {
            return Ok(ClaimOutcome::NotActive);
        }
        if !matches!(flow.phase.as_str(), "broadcast" | "hold") || seats_left == 0 {
            return Ok(ClaimOutcome::NoSeat);
        }
        if offers::booked_count(&mut tx, req.session).await? >= session.capacity() {
            // Ops lowered the capacity under the offer: nothing left to give.
            sqlx::query("UPDATE waitlist_flow SET seats_open = 0 WHERE workflow_id = ?")
                .bind(&req.workflow_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(ClaimOutcome::NoSeat);
        }
        let inserted = sqlx::query(
            "INSERT INTO booking (profile_id, course_schedule_id, booking_date, status, source) VALUES (?, ?, ?, 'booked', 'waitlist')",
        )
        .bind(entry.profile_id)
        .bind(req.session.course_schedule_id)
        .bind(req.session.booking_date)
        .execute(&mut *tx)
        .await;
        let booking_id = match inserted {
            Ok(r) => i64::try_from(r.last_insert_id()).unwrap_or(i64::MAX),
            // The child got a seat in this session some other way.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Ok(ClaimOutcome::NotActive);
            }
            Err(e) => return Err(e.into()),
        };
        let now = now_millis();
        sqlx::query(
            "UPDATE waitlist SET status = 'confirmed', booking_id = ?, confirmed_at = ?, ended_at = ? WHERE id = ?",
        )
        .bind(booking_id)
        .bind(now)
        .bind(now)
        .bind(req.waitlist_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE waitlist_flow SET seats_open = seats_open - 1, winner_waitlist_id = ? WHERE workflow_id = ?",
        )
        .bind(req.waitlist_id)
        .bind(&req.workflow_id)
        .execute(&mut *tx)
        .await?;
        offers::record_response(
            &mut tx,
            &req.workflow_id,
            req.waitlist_id,
            "confirm",
            now,
            None,
        )
        .await?;
        let makeup = match entry.pending_makeup_id {
            Some(pending_id) => {
                crate::makeup_activities::adopt_won_seat(
                    &mut tx,
                    pending_id,
                    booking_id,
                    req.session,
                    &req.settings,
                    now,
                )
                .await?
            }
            None => None,
        };
        tx.commit().await?;
        info!(workflow_id = %req.workflow_id, waitlist_id = req.waitlist_id, booking_id, makeup = makeup.is_some(), "seat won");
        Ok(ClaimOutcome::Won {
            booking_id,
            seats_left: seats_left - 1,
            makeup,
        })
    }

    #[activity(definition = workflows::activities::HoldForNext)]
    pub async fn hold_next(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: HoldRequest,
    ) -> Result<Option<Hold>, ActivityError> {
        let mut tx = self.pool.begin().await?;
        if offers::lock_session(&mut tx, req.session).await?.is_none() {
            return Ok(None);
        }
        let Some(flow) = offers::lock_flow(&mut tx, &req.workflow_id).await? else {
            return Ok(None);
        };
        if u32::try_from(flow.hold_round).ok() == Some(req.round)
            && let (Some(waitlist_id), Some(deadline)) =
                (flow.holder_waitlist_id, flow.response_deadline)
        {
            // a retry after commit
            let wechat = vec![format!(
                "hold_for_you/{}/{}/{}",
                req.workflow_id, req.round, waitlist_id
            )];
            return Ok(Some(Hold {
                waitlist_id,
                deadline,
                wechat,
            }));
        }
        if flow.seats_open <= 0 || !matches!(flow.phase.as_str(), "broadcast" | "hold") {
            return Ok(None);
        }
        let next = offers::active_entry_ids(&mut tx, req.session)
            .await?
            .into_iter()
            .find(|id| !req.exclude.contains(id));
        let Some(waitlist_id) = next else {
            return Ok(None);
        };
        let now = now_millis();
        let deadline = hold_deadline(now, req.hold_seconds, req.cutoff_at);
        sqlx::query(
            "UPDATE waitlist_flow SET phase = 'hold', holder_waitlist_id = ?, hold_round = ?, response_deadline = ?
              WHERE workflow_id = ?",
        )
        .bind(waitlist_id)
        .bind(req.round)
        .bind(deadline)
        .bind(&req.workflow_id)
        .execute(&mut *tx)
        .await?;
        let notice = Notice {
            workflow_id: &req.workflow_id,
            session: req.session,
            round: req.round,
            kind: NoticeType::HoldForYou,
            deadline: Some(deadline),
            at: now,
        };
        let sent = notify(&mut tx, self.club_tz, &self.drafts, &notice, &[waitlist_id]).await?;
        offers::mark_notified(&mut tx, &[waitlist_id], now).await?;
        tx.commit().await?;
        info!(workflow_id = %req.workflow_id, waitlist_id, round = req.round, "seat held in turn");
        Ok(Some(Hold {
            waitlist_id,
            deadline,
            wechat: sent.wechat,
        }))
    }

    #[activity(definition = workflows::activities::ExpireHolder)]
    pub async fn expire_holder(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: LapseRequest,
    ) -> Result<Vec<String>, ActivityError> {
        let mut tx = self.pool.begin().await?;
        offers::lock_session(&mut tx, req.session).await?;
        let now = now_millis();
        let changed =
            db::waitlist::expire_entries(&mut tx, &[req.waitlist_id], "timeout", now).await?;
        let mut wechat = Vec::new();
        if changed > 0 {
            let notice = Notice {
                workflow_id: &req.workflow_id,
                session: req.session,
                round: req.round,
                kind: NoticeType::OfferExpired,
                deadline: None,
                at: now,
            };
            wechat = notify(
                &mut tx,
                self.club_tz,
                &self.drafts,
                &notice,
                &[req.waitlist_id],
            )
            .await?
            .wechat;
            sqlx::query(
                "UPDATE waitlist_notification SET status = 'expired'
                  WHERE offer_workflow_id = ? AND waitlist_id = ? AND notification_type = 'hold_for_you' AND status = 'sent'",
            )
            .bind(&req.workflow_id)
            .bind(req.waitlist_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(wechat)
    }

    #[activity(definition = workflows::activities::NotifyEntries)]
    pub async fn notify_entries(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: NotifyRequest,
    ) -> Result<NoticeOutcome, ActivityError> {
        let mut tx = self.pool.begin().await?;
        let notice = Notice {
            workflow_id: &req.workflow_id,
            session: req.session,
            round: req.round,
            kind: kind_of(req.notice),
            deadline: req.deadline,
            at: now_millis(),
        };
        let written = notify(
            &mut tx,
            self.club_tz,
            &self.drafts,
            &notice,
            &req.waitlist_ids,
        )
        .await?;
        tx.commit().await?;
        Ok(written)
    }

    #[activity(definition = workflows::activities::RecordResponse)]
    pub async fn record_response(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: ResponseRecord,
    ) -> Result<(), ActivityError> {
        let mut conn = self.pool.acquire().await?;
        offers::record_response(
            &mut conn,
            &req.workflow_id,
            req.waitlist_id,
            req.action.as_str(),
            req.at,
            req.grace_until,
        )
        .await?;
        Ok(())
    }

    #[activity(definition = workflows::activities::CloseOffer)]
    pub async fn close(
        self: Arc<Self>,
        _ctx: ActivityContext,
        req: CloseRequest,
    ) -> Result<(), ActivityError> {
        let mut tx = self.pool.begin().await?;
        offers::lock_session(&mut tx, req.session).await?;
        let now = now_millis();
        sqlx::query(
            "UPDATE waitlist_flow SET phase = ?, seats_open = 0, holder_waitlist_id = NULL,
                    flow_completion_time = COALESCE(flow_completion_time, ?), expiration_reason = ?
              WHERE workflow_id = ?",
        )
        .bind(req.phase.as_str())
        .bind(now)
        .bind(req.reason.as_deref())
        .bind(&req.workflow_id)
        .execute(&mut *tx)
        .await?;
        // Entries are "notified" only while an offer of their session is open.
        sqlx::query(
            "UPDATE waitlist SET status = 'waiting'
              WHERE course_schedule_id = ? AND booking_date = ? AND status = 'notified'
                AND NOT EXISTS (SELECT 1 FROM waitlist_flow f WHERE f.course_schedule_id = ? AND f.booking_date = ?
                                   AND f.phase IN ('broadcast', 'hold'))",
        )
        .bind(req.session.course_schedule_id)
        .bind(req.session.booking_date)
        .bind(req.session.course_schedule_id)
        .bind(req.session.booking_date)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE waitlist_notification SET status = 'expired'
              WHERE offer_workflow_id = ? AND status = 'sent' AND notification_type IN ('spot_available', 'hold_for_you')",
        )
        .bind(&req.workflow_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        info!(workflow_id = %req.workflow_id, phase = req.phase.as_str(), "offer closed");
        Ok(())
    }
}
