//! The WeChat channel (N2, N3): access token, subscribe messages, error classes.

pub mod client;
pub mod errors;
pub mod keyword;
pub mod layout;
pub mod message;
pub mod page;

pub use client::{WechatClient, WechatSettings};
pub use errors::{ErrorClass, WechatError};
