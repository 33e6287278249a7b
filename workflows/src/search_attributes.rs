//! Custom search attributes: every workflow carries some of them so ops can filter flows in
//! the Temporal UI (design §8). The names are listed once in `search-attributes.txt`, which
//! the scripts and the test harness use to register them on every Temporal server.

use temporalio_common::search_attributes::SearchAttributeKey;

/// `{course_schedule_id}-{booking_date}` of the session the flow belongs to.
pub const SESSION_KEY: SearchAttributeKey<String> = SearchAttributeKey::keyword("SessionKey");
/// Child profile a flow is about (makeups, credits).
pub const PROFILE_ID: SearchAttributeKey<String> = SearchAttributeKey::keyword("ProfileId");
/// Phase of a `WaitlistOfferWorkflow`: broadcast, hold, won, exhausted, cutoff.
pub const OFFER_PHASE: SearchAttributeKey<String> = SearchAttributeKey::keyword("OfferPhase");
/// Outcome of a finished `WaitlistOfferWorkflow`.
pub const OFFER_OUTCOME: SearchAttributeKey<String> = SearchAttributeKey::keyword("OfferOutcome");
/// State of the session cutoff workflow: waiting, expiring, done.
pub const CUTOFF_STATE: SearchAttributeKey<String> = SearchAttributeKey::keyword("CutoffState");
/// State of a `MakeupBookingWorkflow`.
pub const MAKEUP_STATE: SearchAttributeKey<String> = SearchAttributeKey::keyword("MakeupState");
/// State of a `CompensationCreditWorkflow`.
pub const CREDIT_STATE: SearchAttributeKey<String> = SearchAttributeKey::keyword("CreditState");

/// Merchant order number (`out_trade_no`) of a payment or refund workflow.
pub const ORDER_NO: SearchAttributeKey<String> = SearchAttributeKey::keyword("OrderNo");
/// State of a `PaymentWorkflow`: reserving, awaiting_payment, querying, closing, paid, closed, …
pub const PAY_STATE: SearchAttributeKey<String> = SearchAttributeKey::keyword("PayState");
/// State of a `RefundWorkflow`: reserving, requesting, processing, success, closed, abnormal, …
pub const REFUND_STATE: SearchAttributeKey<String> = SearchAttributeKey::keyword("RefundState");
/// The training camp a flow belongs to (camp, its payments and refunds). An `Int`: the SQL
/// visibility stores (the dev server's SQLite, MySQL) allow at most 10 custom `Keyword`
/// attributes per namespace, and the ten are taken.
pub const CAMP_ID: SearchAttributeKey<i64> = SearchAttributeKey::int("CampId");

/// The registration list (`Name=Keyword` per line), shared with the scripts.
pub const REGISTRATION: &str = include_str!("../search-attributes.txt");

/// Every attribute as `(name, type)`, read from [`REGISTRATION`].
pub fn registrations() -> Vec<(&'static str, &'static str)> {
    REGISTRATION
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_in_code_is_registered_by_the_scripts() {
        let registered = registrations();
        for key in [
            &SESSION_KEY,
            &PROFILE_ID,
            &OFFER_PHASE,
            &OFFER_OUTCOME,
            &CUTOFF_STATE,
            &MAKEUP_STATE,
            &CREDIT_STATE,
            &ORDER_NO,
            &PAY_STATE,
            &REFUND_STATE,
        ] {
            assert!(
                registered.contains(&(key.name(), "Keyword")),
                "{} missing from search-attributes.txt",
                key.name()
            );
        }
        assert!(registered.contains(&(CAMP_ID.name(), "Int")));
        assert_eq!(registered.len(), 11);
        let keywords = registered.iter().filter(|(_, t)| *t == "Keyword").count();
        assert!(
            keywords <= 10,
            "SQL visibility allows 10 Keyword attributes, not {keywords}"
        );
    }
}
