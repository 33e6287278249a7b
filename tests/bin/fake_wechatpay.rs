//! The strict fake WeChat Pay as a process, for `./scripts/dev` when no real merchant is
//! configured (the e2e tests run the same code in-process). TEST-ONLY keys from
//! `tests/fixtures/wechatpay/`. Listens on 127.0.0.1:`FAKE_WECHATPAY_PORT` (default 8391).
//! `POST /fake/orders/{out_trade_no}/pay` stands in for a payer paying; the signed, encrypted
//! notice then goes to the order's `notify_url`. `GET /fake/orders` lists the orders.

#[path = "../e2e/helpers/fake_wechatpay.rs"]
#[allow(dead_code)]
mod fake_wechatpay;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let port: u16 = std::env::var("FAKE_WECHATPAY_PORT")
        .ok()
        .map(|p| p.parse())
        .transpose()?
        .unwrap_or(8391);
    let fake = fake_wechatpay::FakeWechatPay::start(port).await;
    eprintln!(
        "fake WeChat Pay (TEST-ONLY keys) at {} — pay an order: POST {}fake/orders/<out_trade_no>/pay",
        fake.base, fake.base
    );
    tokio::signal::ctrl_c().await?;
    Ok(())
}
