//! The shared WeChat Pay core (docs/payments.md): the v3 crypto, a thin client, and the
//! activities of `PaymentWorkflow` and `RefundWorkflow`.

mod activities;
pub mod client;
pub mod crypto;
pub mod db;

pub use activities::PayActivities;
pub use client::{PaySettings, WechatPayClient};
