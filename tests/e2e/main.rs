//! End-to-end tests: the real API (port 0) and an in-process worker on a unique task queue,
//! against a real Temporal dev server and a fresh MySQL/MariaDB database per test, with
//! wiremock standing in for WeChat. `TEST_LOG=1` shows the service logs.

mod helpers;

mod abuse;
mod admin_common;
mod admin_family;
mod admin_ops;
mod admin_queue;
mod admin_staff;
mod admin_wechat;

mod auth_and_ownership;
mod camp_lifecycle;
mod health;
mod input_validation;
mod integrity;
mod invariants;
mod makeup;
mod offers;
mod ops_queries;
mod parent_app;
mod pay_concurrency;
mod pay_core;
mod pay_refunds;
mod pay_replay;
mod pay_resilience;
mod replay;
mod rules_doc;
mod waitlist_alternatives;
mod waitlist_cutoff;
mod waitlist_estimate;
mod waitlist_family;
mod waitlist_leave;
mod waitlist_queue;
mod wechat_delivery;
mod wechat_login;
mod worker_failover;
