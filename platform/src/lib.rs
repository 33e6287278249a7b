//! Process set-up shared by the `api` and `worker` binaries and the tests: reading
//! configuration from the environment (one message per bad value, secrets that never reach a
//! log line), the settings both processes need ([`common::CommonConfig`]), the Temporal
//! connection and the log subscriber.
//!
//! It exists so that `workflows` stays a crate of processes and contracts (no environment, no
//! client, no subscriber) while the two binaries do not each carry a copy of this code. Each
//! binary has its own configuration type (`api::config::ApiConfig`,
//! `worker::config::WorkerConfig`) with only what it uses.

pub mod common;
pub mod database;
pub mod env;
pub mod telemetry;
pub mod temporal;

pub use common::{AppEnv, CommonConfig, LogFormat, TemporalConfig, WechatApp, WechatCredentials};
pub use env::{ConfigError, Env, Secret};
