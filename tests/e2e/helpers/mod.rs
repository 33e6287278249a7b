//! The test harness: `spawn_app()` and the typed helpers of `TestApp`.

mod app;
mod db;
pub mod fake_community;
pub mod fake_wechatpay;
mod pay_app;
mod proxy;
mod temporal_server;
pub mod wechat_double;

pub use app::{
    LOSE_FIRST_ATTEMPT, Parent, SessionSpec, TestApp, Waiter, spawn_app, spawn_app_with,
};
pub use pay_app::{CampSpec, PROJECT, PayApp, spawn_pay_app, spawn_pay_app_with};
pub use proxy::TcpProxy;
pub use temporal_server::address as temporal_address;

/// `mysql://host:port` of the test server (no database).
pub fn db_server_url() -> String {
    db::server_url()
}

/// `host:port` of the MySQL/MariaDB server the tests use.
pub fn db_server_addr() -> std::net::SocketAddr {
    use std::net::ToSocketAddrs;
    let url = url::Url::parse(&db::server_url()).expect("TEST_DATABASE_URL");
    let host = url.host_str().unwrap_or("127.0.0.1");
    let port = url.port().unwrap_or(3306);
    (host, port)
        .to_socket_addrs()
        .expect("resolvable")
        .next()
        .expect("an address")
}
