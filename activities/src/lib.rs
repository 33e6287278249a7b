//! Activity implementations: MySQL transactions and notification delivery. Each activity is
//! bound to its contract in `workflows::activities` and is idempotent, because Temporal may
//! run it more than once.

pub mod camp;
pub mod db;
pub mod error;
pub mod notify;
pub mod pay;
pub mod wechat;

pub mod credit_activities;
pub mod makeup_activities;
pub mod offer_activities;
mod retention_activities;
pub mod waitlist_activities;
mod wechat_activities;

pub use camp::CampActivities;
pub use credit_activities::CreditActivities;
pub use db::Db;
pub use makeup_activities::MakeupActivities;
pub use notify::inbox::Notices;
pub use offer_activities::OfferActivities;
pub use pay::PayActivities;
pub use retention_activities::RetentionActivities;
pub use waitlist_activities::WaitlistActivities;
pub use wechat_activities::WechatActivities;
