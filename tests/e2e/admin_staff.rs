//! Staff accounts and roles: the owner manages accounts and settings; staff run the day but
//! are refused settings and accounts; parents are refused everything; all of it audited.

use crate::admin_common::{audit, login, staff_token};
use crate::helpers::spawn_app;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_bootstrap_admin_is_the_owner_and_creates_staff_who_cannot_change_settings_or_accounts()
{
    let app = spawn_app().await;
    let owner = app.admin().await;
    let (status, me) = app.get("/api/v1/admin/me", &owner).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["data"]["role"], "owner");
    assert!(
        me["data"]["temporal_ui_workflows"]
            .as_str()
            .unwrap()
            .contains("/namespaces/")
    );

    let staff = staff_token(&app, "desk.li", "staff").await;
    let (_, me) = app.get("/api/v1/admin/me", &staff).await;
    assert_eq!(me["data"]["role"], "staff");
    // Day-to-day reads work for staff ...
    assert_eq!(
        app.get("/api/v1/admin/overview", &staff).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/admin/settings", &staff).await.0,
        StatusCode::OK
    );
    // ... settings and accounts do not.
    let refused = [
        app.put(
            "/api/v1/admin/course-types/group/settings",
            &staff,
            json!({"waitlist_capacity": 3}),
        )
        .await,
        app.put(
            "/api/v1/admin/retention",
            &staff,
            json!({"max_age_days": 30, "batch_size": 100}),
        )
        .await,
        app.post(
            "/api/v1/admin/staff",
            &staff,
            json!({"username": "x-y-z", "password": "long-enough-pw", "role": "owner"}),
        )
        .await,
        app.get("/api/v1/admin/staff", &staff).await,
    ];
    for (status, body) in refused {
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["code"], 40300);
    }
    // The owner may.
    let (status, body) = app
        .put(
            "/api/v1/admin/course-types/group/settings",
            &owner,
            json!({"waitlist_capacity": 3, "reason": "场地变小"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let entries = audit(&app, "settings.course_type").await;
    assert_eq!(entries[0]["staff_username"], "admin");
    assert_eq!(entries[0]["reason"], "场地变小");
    assert_eq!(entries[0]["details"]["waitlist_capacity"], 3);
    let created = audit(&app, "staff.create").await;
    assert_eq!(created[0]["details"]["username"], "desk.li");
    assert_eq!(created[0]["details"]["role"], "staff");
}

#[tokio::test]
async fn parents_and_strangers_are_refused_every_console_route() {
    let app = spawn_app().await;
    let parent = app.parent("mum").await;
    let routes = [
        (Method::GET, "/api/v1/admin/me"),
        (Method::GET, "/api/v1/admin/overview"),
        (Method::GET, "/api/v1/admin/audit"),
        (Method::GET, "/api/v1/admin/families"),
        (Method::GET, "/api/v1/admin/problems"),
        (Method::GET, "/api/v1/admin/settings"),
        (Method::GET, "/api/v1/admin/staff"),
        (Method::POST, "/api/v1/admin/waitlist/1/remove"),
        (Method::POST, "/api/v1/admin/profiles/1/credits/adjust"),
        (Method::POST, "/api/v1/admin/families/1/messages"),
        (Method::POST, "/api/v1/admin/families/1/makeup"),
        (Method::POST, "/api/v1/admin/notifications/1/resend"),
    ];
    for (method, path) in routes {
        let body = (method == Method::POST).then(|| json!({}));
        let (status, answer) = app
            .call(method.clone(), path, Some(&parent.token), body.clone())
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {answer}");
        let (status, _) = app.call(method, path, None, body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
    }
}

#[tokio::test]
async fn staff_accounts_are_validated_and_the_last_owner_cannot_be_removed() {
    let app = spawn_app().await;
    let owner = app.admin().await;
    let bad = [
        (
            json!({"username": "ab", "password": "long-enough-pw", "role": "staff"}),
            "username",
        ),
        (
            json!({"username": "front.desk", "password": "short", "role": "staff"}),
            "password",
        ),
        (
            json!({"username": "front.desk", "password": "long-enough-pw", "role": "root"}),
            "role",
        ),
    ];
    for (body, field) in bad {
        let (status, answer) = app.post("/api/v1/admin/staff", &owner, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert_eq!(answer["data"]["field"], field);
    }
    staff_token(&app, "front.desk", "staff").await;
    let (status, _) = app
        .post(
            "/api/v1/admin/staff",
            &owner,
            json!({"username": "front.desk", "password": "long-enough-pw", "role": "staff"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (_, me) = app.get("/api/v1/admin/me", &owner).await;
    let owner_id = me["data"]["user_id"].as_i64().unwrap();
    let (status, body) = app
        .put(
            &format!("/api/v1/admin/staff/{owner_id}"),
            &owner,
            json!({"role": "staff"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, _) = app
        .put(
            &format!("/api/v1/admin/staff/{owner_id}"),
            &owner,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_disabled_account_can_no_longer_log_in_and_its_token_stops_working() {
    let app = spawn_app().await;
    let owner = app.admin().await;
    let token = staff_token(&app, "temp.help", "staff").await;
    let (_, list) = app.get("/api/v1/admin/staff", &owner).await;
    let id = list["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["username"] == "temp.help")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, body) = app
        .put(
            &format!("/api/v1/admin/staff/{id}"),
            &owner,
            json!({"disabled": true, "reason": "实习结束"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        app.get("/api/v1/admin/overview", &token).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert!(login(&app, "temp.help", "long-enough-pw").await.is_none());
    let entries = audit(&app, "staff.update").await;
    assert_eq!(entries[0]["reason"], "实习结束");
    assert_eq!(entries[0]["details"]["disabled"], true);
    // Re-enabled, with a new password.
    let (status, _) = app
        .put(
            &format!("/api/v1/admin/staff/{id}"),
            &owner,
            json!({"disabled": false, "password": "another-long-pw"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(login(&app, "temp.help", "another-long-pw").await.is_some());
}
