//! Authentication: JWTs for parents and staff, admin passwords, the WeChat login exchange.

pub mod extract;
pub mod jwt;
pub mod password;
pub mod roles;
pub mod wechat_login;
