//! The fake community platform (知识星球 check-ins) as a process, for `./scripts/dev` when no
//! real access token is configured. Listens on 127.0.0.1:`FAKE_COMMUNITY_PORT` (default
//! 8392); `POST /fake/checkins/{group}/{checkin}` `{"user_id": 1, "name": "…", "at"?: "…"}`
//! records a check-in.

#[path = "../e2e/helpers/fake_community.rs"]
#[allow(dead_code)]
mod fake_community;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let port: u16 = std::env::var("FAKE_COMMUNITY_PORT")
        .ok()
        .map(|p| p.parse())
        .transpose()?
        .unwrap_or(8392);
    let fake = fake_community::FakeCommunity::start(port).await;
    eprintln!(
        "fake community platform at {} (token {}) — check in: POST {}fake/checkins/<group>/<checkin>",
        fake.base,
        fake_community::ACCESS_TOKEN,
        fake.base
    );
    tokio::signal::ctrl_c().await?;
    Ok(())
}
