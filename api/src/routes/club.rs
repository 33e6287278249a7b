//! `GET /api/v1/club`: what the parent app shows about the club itself — its name and phone
//! (联系运营), the rules in force (so pages never hard-code 6小时 or 14天), and which WeChat
//! templates to ask for at which moment.

use crate::auth::extract::Parent;
use crate::db;
use crate::envelope::{Envelope, Reply};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use workflows::notice::NoticeType;
use workflows::settings::ClassSettings;

/// The ★ settings in force for one course, as the app shows them.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Rules {
    pub waitlist_capacity: u32,
    /// the waitlist closes this long before class (W1, W6)
    pub cutoff_seconds: u32,
    /// O3: everyone told has this long to confirm
    pub response_window_seconds: u32,
    /// O5: a seat held for one person in turn
    pub hold_window_seconds: u32,
    /// O6: extra time after `begin`
    pub grace_seconds: u32,
    /// M5: a makeup can be cancelled until this long before class
    pub makeup_cancel_cutoff_seconds: u32,
    /// M4: credits expire after this many days
    pub compensation_valid_days: u32,
    pub compensation_valid_seconds: u32,
    /// M6: the reminder goes out this long before expiry
    pub compensation_reminder_seconds: u32,
}

impl From<ClassSettings> for Rules {
    fn from(s: ClassSettings) -> Self {
        Self {
            waitlist_capacity: s.waitlist_capacity,
            cutoff_seconds: s.cutoff_seconds,
            response_window_seconds: s.response_window_seconds,
            hold_window_seconds: s.hold_window_seconds,
            grace_seconds: s.grace_seconds,
            makeup_cancel_cutoff_seconds: s.makeup_cancel_cutoff_seconds,
            compensation_valid_days: s.compensation_valid_days,
            compensation_valid_seconds: s.compensation_valid_seconds,
            compensation_reminder_seconds: s.compensation_reminder_seconds,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClubRules {
    pub default: Rules,
    /// course types with settings of their own (and every course type in use)
    pub by_course_type: BTreeMap<String, Rules>,
}

/// Which subscribe-message templates to request in which tap (≤ 3 each, as WeChat allows).
#[derive(Debug, Serialize, ToSchema)]
pub struct Subscribe {
    /// notification type → template id, for the types the server has a template for
    pub templates: BTreeMap<String, String>,
    pub moments: Moments,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Moments {
    /// the tap that joins a waitlist: seat open, held for you, seat taken
    pub waitlist_join: Vec<String>,
    /// the tap that books a makeup: makeup cancelled, credit expiring, makeup booked
    pub makeup_book: Vec<String>,
    /// the tap that joins a waitlist with auto-accept (AA1): booked for you, seat open, held
    /// for you (an auto-accepted parent must hear of the booking)
    pub waitlist_auto_join: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Club {
    pub name: String,
    /// the front desk's phone (联系运营); null when not configured
    pub phone: Option<String>,
    /// IANA zone all times are shown in
    pub time_zone: String,
    pub rules: ClubRules,
    pub subscribe: Subscribe,
}

/// WeChat lets one `wx.requestSubscribeMessage` ask for three different templates.
const PER_REQUEST: usize = 3;

fn moment(templates: &BTreeMap<NoticeType, String>, types: &[NoticeType]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for t in types {
        if let Some(id) = templates.get(t)
            && !ids.contains(id)
        {
            ids.push(id.clone());
        }
    }
    ids.truncate(PER_REQUEST);
    ids
}

pub fn subscribe(templates: &BTreeMap<NoticeType, String>) -> Subscribe {
    Subscribe {
        templates: templates
            .iter()
            .map(|(t, id)| (t.code().to_string(), id.clone()))
            .collect(),
        moments: Moments {
            waitlist_auto_join: moment(
                templates,
                &[
                    NoticeType::SeatConfirmed,
                    NoticeType::SpotAvailable,
                    NoticeType::HoldForYou,
                ],
            ),
            waitlist_join: moment(
                templates,
                &[
                    NoticeType::SpotAvailable,
                    NoticeType::HoldForYou,
                    NoticeType::SeatTaken,
                ],
            ),
            makeup_book: moment(
                templates,
                &[
                    NoticeType::MakeupCancelled,
                    NoticeType::CompensationExpiring,
                    NoticeType::MakeupBooked,
                ],
            ),
        },
    }
}

#[utoipa::path(operation_id = "club_show", get, path = "/api/v1/club", tag = "club", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Club>)))]
pub async fn show(State(state): State<AppState>, _parent: Parent) -> Result<Reply<Club>, ApiError> {
    let layers = db::settings::all_layers(&state.pool).await?;
    let mut types = db::courses::course_types(&state.pool).await?;
    types.extend(layers.by_type.keys().cloned());
    let by_course_type = types
        .into_iter()
        .map(|t| {
            let rules = Rules::from(layers.of_type(&t));
            (t, rules)
        })
        .collect();
    Ok(Reply::ok(Club {
        name: state.config.club_name.clone(),
        phone: state.config.club_phone.clone(),
        time_zone: state.config.club_tz().name().to_string(),
        rules: ClubRules {
            default: ClassSettings::default().into(),
            by_course_type,
        },
        subscribe: subscribe(&state.config.wechat.template_ids),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_moment_asks_for_at_most_three_distinct_templates_that_exist() {
        let templates = BTreeMap::from([
            (NoticeType::SpotAvailable, "t-spot".to_string()),
            (NoticeType::SeatTaken, "t-taken".to_string()),
            (NoticeType::HoldForYou, "t-spot".to_string()),
            (NoticeType::MakeupBooked, "t-mk".to_string()),
            (NoticeType::SeatConfirmed, "t-auto".to_string()),
        ]);
        let s = subscribe(&templates);
        assert_eq!(s.moments.waitlist_join, vec!["t-spot", "t-taken"]);
        assert_eq!(s.moments.makeup_book, vec!["t-mk"]);
        assert_eq!(s.moments.waitlist_auto_join, vec!["t-auto", "t-spot"]);
        assert!(subscribe(&BTreeMap::new()).moments.waitlist_join.is_empty());
    }
}
