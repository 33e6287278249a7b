//! L1 through the whole stack: every waitlist notice of an entry still in the queue links the
//! leave page, and what that page calls leaves the queue (the next family moves up).

use crate::helpers::spawn_app;
use crate::offers::cancel;
use reqwest::StatusCode;

#[tokio::test]
async fn a_cancellation_offers_every_waiting_parent_the_way_out_and_the_leave_page_leaves() {
    let app = spawn_app().await;
    let (_, _, holders, waiters) = app.full_with_queue(1, 2).await;
    assert_eq!(cancel(&app, &holders[0]).await.0, StatusCode::OK);
    for w in &waiters {
        let (_, inbox) = app.get("/api/v1/notifications", &w.parent.token).await;
        let notice = &inbox["data"]["items"][0];
        assert_eq!(notice["type"], "spot_available", "{inbox}");
        assert_eq!(
            notice["data"]["page"],
            format!("pages/waitlist/offer?id={}", w.entry)
        );
        assert_eq!(
            notice["data"]["leave_page"],
            format!("pages/waitlist/leave?id={}", w.entry)
        );
    }

    // The leave page's one tap: the first in line leaves, the second moves up to first.
    let (first, second) = (&waiters[0], &waiters[1]);
    let (status, body) = app
        .delete(
            &format!("/api/v1/waitlist/{}", first.entry),
            &first.parent.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["message"], "已取消候补");
    let (_, position) = app
        .get(
            &format!("/api/v1/waitlist/position/{}", second.entry),
            &second.parent.token,
        )
        .await;
    assert_eq!(position["data"]["position"], 1, "{position}");
    // Only the owner may leave: the page cannot be used on someone else's entry.
    let (status, _) = app
        .delete(
            &format!("/api/v1/waitlist/{}", second.entry),
            &first.parent.token,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
