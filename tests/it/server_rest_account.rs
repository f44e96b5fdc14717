//! REST of the built-in server, account side: login, logout, me, teams, members, DMs, auth, error shapes, rate limit.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::raw_client::{Api, doc, start, start_with};

#[tokio::test]
async fn login_sets_session_cookie_first_then_guilded_mid_and_returns_me() {
    let server = start().await;
    let mut api = Api::new(&server);
    let (email, password) = server.credentials();
    let r = api.login(&email, &password).await;
    assert_eq!(r.status, StatusCode::OK);
    let cookies: Vec<&str> = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(cookies.len(), 2);
    assert!(
        cookies[0].starts_with("hmac_signed_session="),
        "{}",
        cookies[0]
    );
    assert!(cookies[0].contains("HttpOnly"));
    assert!(cookies[1].starts_with("guilded_mid="), "{}", cookies[1]);
    let mid = api.client_id.clone().unwrap();
    assert_eq!(mid.len(), 32);
    assert!(
        mid.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')),
        "{mid}"
    );
    let world = server.world();
    assert_eq!(r.body["user"]["id"], world.demo_user_id.as_str());
    assert_eq!(r.body["user"]["email"], email.as_str());
    assert_eq!(r.body["teams"].as_array().unwrap().len(), 3);
    for key in [
        "updateMessage",
        "customReactions",
        "reactionUsages",
        "landingUrl",
        "friends",
    ] {
        assert!(r.body.get(key).is_some(), "missing {key}");
    }
    let team = &r.body["teams"][0];
    assert!(team["memberCount"].is_string(), "memberCount is a string");
    assert!(team["membershipRole"].is_string());
    // A second login is a second session with its own client id.
    let mut other = Api::new(&server);
    other.login(&email.to_uppercase(), &password).await;
    assert_ne!(other.client_id, api.client_id);
}

#[tokio::test]
async fn bad_logins_are_400_with_code_and_message() {
    let server = start().await;
    let mut api = Api::new(&server);
    let (email, _) = server.credentials();
    let r = api.login(&email, "wrong").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_code(), "BadRequestError");
    assert!(r.headers.get("set-cookie").is_none());
    let r = api.login("nobody@example.com", "x").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = api.post("/login", json!({"email": email})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    r.error_code();
    let raw = reqwest::Client::new()
        .post(format!("{}/login", server.api_url()))
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body["code"], "BadRequestError");
}

#[tokio::test]
async fn every_protected_route_is_401_without_a_session() {
    let server = start().await;
    let w = server.world();
    let team = &w.teams[0].id;
    let chan = &w.channel("general").unwrap().id;
    let anon = Api::new(&server);
    let mut expired = Api::new(&server);
    expired.session = Some("not.a.session".into());
    let routes: Vec<(Method, String)> = vec![
        (Method::POST, "/logout".into()),
        (Method::GET, "/me".into()),
        (Method::PUT, "/users/me/ping".into()),
        (Method::POST, "/users/me/ping".into()),
        (Method::GET, format!("/teams/{team}")),
        (Method::GET, format!("/teams/{team}/channels")),
        (Method::GET, format!("/teams/{team}/members")),
        (Method::GET, format!("/users/{}/channels", w.demo_user_id)),
        (Method::GET, format!("/channels/{chan}/messages")),
        (Method::POST, format!("/channels/{chan}/messages")),
        (Method::PUT, format!("/channels/{chan}/messages/x")),
        (Method::DELETE, format!("/channels/{chan}/messages/x")),
        (
            Method::POST,
            format!("/channels/{chan}/messages/x/reactions/1"),
        ),
        (
            Method::DELETE,
            format!("/channels/{chan}/messages/x/reactions/1"),
        ),
        (Method::PUT, format!("/channels/{chan}/seen")),
        (Method::GET, format!("/channels/{chan}/pins")),
    ];
    for (method, path) in routes {
        for api in [&anon, &expired] {
            let r = api.send(method.clone(), &path, Some(json!({}))).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
            assert_eq!(r.error_code(), "UnauthorizedError");
        }
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_use_the_error_shape() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let r = api.get("/no/such/route").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "NotFoundError");
    let r = api.send(Method::PATCH, "/me", None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    r.error_code();
}

#[tokio::test]
async fn me_ping_and_logout() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let me = api.get("/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["user"]["name"], "demo");
    assert_eq!(
        api.put("/users/me/ping", json!({})).await.status,
        StatusCode::OK
    );
    assert_eq!(
        api.post("/users/me/ping", json!({})).await.status,
        StatusCode::OK
    );
    let out = api.post("/logout", json!({})).await;
    assert_eq!(out.status, StatusCode::OK);
    let cleared: Vec<&str> = out
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        cleared[0].starts_with("hmac_signed_session=;"),
        "{cleared:?}"
    );
    assert_eq!(api.get("/me").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn teams_channels_members_and_their_shapes() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let w = server.world();
    let crew = w.team("Gilt Crew").unwrap();
    let r = api.get(&format!("/teams/{}", crew.id)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["team"]["id"], crew.id.as_str());
    assert_eq!(
        r.body["team"]["members"].as_array().unwrap().len(),
        crew.member_ids.len()
    );

    let r = api.get(&format!("/teams/{}/channels", crew.id)).await;
    assert_eq!(r.status, StatusCode::OK);
    let channels = r.body["channels"].as_array().unwrap();
    assert_eq!(channels.len(), crew.channels.len());
    let kinds: Vec<&str> = channels
        .iter()
        .map(|c| c["contentType"].as_str().unwrap())
        .collect();
    for k in ["chat", "voice", "forum", "doc"] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    for c in channels {
        assert_eq!(c["type"], "Team");
        assert_eq!(c["id"], c["channelId"]);
        assert!(c["channelCategoryId"].is_i64() || c["channelCategoryId"].is_null());
    }
    let cats = r.body["categories"].as_array().unwrap();
    assert!(cats.len() >= 2 && cats.iter().all(|c| c["id"].is_i64()));
    assert!(r.body["temporalChannels"].is_array());

    let r = api.get(&format!("/teams/{}/members", crew.id)).await;
    let members = r.body["members"].as_array().unwrap();
    assert_eq!(members.len(), crew.member_ids.len());
    assert!(members.iter().any(|m| m["nickname"].is_string()));
    assert!(members.iter().all(|m| m["userPresenceStatus"].is_u64()));

    assert_eq!(
        api.get("/teams/NoSuchT1").await.status,
        StatusCode::NOT_FOUND
    );
    server.remove_member(&crew.id, &w.demo_user_id).unwrap();
    let r = api.get(&format!("/teams/{}/channels", crew.id)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.error_code(), "ForbiddenError");
}

#[tokio::test]
async fn dm_channels_are_listed_only_for_oneself() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let w = server.world();
    let r = api
        .get(&format!("/users/{}/channels", w.demo_user_id))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let dms = r.body["channels"].as_array().unwrap();
    assert_eq!(dms.len(), w.dms.len());
    assert!(dms.len() >= 2);
    assert!(
        dms.iter()
            .all(|d| d["type"] == "DM" && d["contentType"] == "chat")
    );
    assert!(
        dms.iter()
            .any(|d| d["users"].as_array().unwrap().len() > 2 && d["dmType"] == "Group")
    );
    assert!(r.body["users"].as_array().unwrap().len() >= 3);
    let other = w.user_id("ada").unwrap();
    assert_eq!(
        api.get(&format!("/users/{other}/channels")).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_configured_rate_limit_answers_429_with_retry_after() {
    let server = start_with(|c| c.rate_limit_per_sec = Some(3)).await;
    let api = Api::logged_in(&server).await;
    let mut limited = None;
    for _ in 0..10 {
        let r = api.get("/me").await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(r);
            break;
        }
    }
    let r = limited.expect("the limit was hit");
    assert_eq!(r.error_code(), "TooManyRequestsError");
    let secs: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=1).contains(&secs));
}

#[tokio::test]
async fn framework_rejections_also_use_the_error_shape() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let general = server.world().channel("general").unwrap().id.clone();
    let huge = "x".repeat(300 * 1024);
    let r = api
        .post(
            &format!("/channels/{general}/messages"),
            json!({"messageId": uuid::Uuid::new_v4().to_string(), "content": doc(&huge)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error_code(), "PayloadTooLargeError");
    let big_but_allowed = "y".repeat(100 * 1024);
    let r = api
        .post(&format!("/channels/{general}/messages"), json!({"messageId": uuid::Uuid::new_v4().to_string(), "content": doc(&big_but_allowed)}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "content is too large");
    r.error_code();
}

/// `/me` lists the custom reactions of the user's teams, shaped like the documented emoji
/// object (the same keys), and the client reads them with their team.
#[tokio::test]
async fn me_lists_the_teams_custom_reactions_in_the_documented_shape() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let me = api.get("/me").await;
    let list = me.body["customReactions"].as_array().unwrap();
    assert!(!list.is_empty(), "{}", me.body);
    let documented: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/guilded/docs-custom-emoji.json").unwrap(),
    )
    .unwrap();
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    for r in list {
        assert_eq!(keys(r), keys(&documented), "{r}");
    }
    let parsed: gilt::protocol::models::Me = serde_json::from_value(me.body.clone()).unwrap();
    let custom = gilt::app::convert::custom_reactions(&parsed.custom_reactions);
    let gilt = custom.iter().find(|c| c.name == "gilt").unwrap();
    assert_eq!(
        gilt.team.as_ref().map(ToString::to_string).as_deref(),
        Some("GiLtCr3w")
    );
}
