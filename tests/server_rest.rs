//! REST routes of the built-in server: happy paths, auth and error shapes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server_support;

use reqwest::{Method, StatusCode};
use serde_json::json;
use server_support::{Api, doc, start, start_with};

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
async fn history_is_newest_first_and_pages_by_date() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let general = server.world().channel("general").unwrap().id.clone();
    let path = format!("/channels/{general}/messages");
    let r = api.get(&format!("{path}?limit=10")).await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.body["messages"].as_array().unwrap();
    assert_eq!(page.len(), 10);
    assert_eq!(r.body["hasPastMessages"], true);
    let dates: Vec<&str> = page
        .iter()
        .map(|m| m["createdAt"].as_str().unwrap())
        .collect();
    for d in &dates {
        assert_eq!(d.len(), 24, "{d}");
        assert!(d.ends_with('Z'));
    }
    assert!(
        dates.windows(2).all(|w| w[0] > w[1]),
        "newest first: {dates:?}"
    );
    // Page back until the start; every message seen exactly once.
    let mut seen: Vec<String> = page
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect();
    let mut before = dates.last().unwrap().to_string();
    loop {
        let r = api
            .get(&format!("{path}?limit=25&beforeDate={before}"))
            .await;
        let page = r.body["messages"].as_array().unwrap().clone();
        for m in &page {
            assert!(m["createdAt"].as_str().unwrap() < before.as_str());
            seen.push(m["id"].as_str().unwrap().to_owned());
        }
        if r.body["hasPastMessages"] == false {
            break;
        }
        before = page.last().unwrap()["createdAt"]
            .as_str()
            .unwrap()
            .to_owned();
    }
    let total = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), total, "no duplicates across pages");
    assert!(total > 40);
    // afterDate is exclusive.
    let r = api
        .get(&format!("{path}?limit=100&afterDate={}", dates[2]))
        .await;
    assert_eq!(r.body["messages"].as_array().unwrap().len(), 2);
    // Bad formats and limits are refused.
    for bad in [
        "beforeDate=2021-10-15T23:58:44Z",
        "beforeDate=2021-10-15T23:58:44.537123Z",
        "afterDate=2021-10-15T23:58:44.537%2B00:00",
        "beforeDate=yesterday",
        "limit=abc",
        "limit=0",
        "limit=-3",
    ] {
        let r = api.get(&format!("{path}?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(r.error_code(), "BadRequestError");
    }
    assert_eq!(
        api.get("/channels/00000000-0000-4000-8000-000000000000/messages")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn history_messages_have_the_rest_shape_and_varied_content() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let general = server.world().channel("general").unwrap().id.clone();
    let r = api
        .get(&format!("/channels/{general}/messages?limit=100"))
        .await;
    let msgs = r.body["messages"].as_array().unwrap();
    for m in msgs {
        for key in [
            "id",
            "channelId",
            "content",
            "type",
            "createdBy",
            "createdAt",
            "editedAt",
            "repliesToIds",
            "reactions",
            "isPinned",
        ] {
            assert!(m.get(key).is_some(), "{key} missing in {m}");
        }
        assert_eq!(m["content"]["object"], "value");
    }
    assert!(
        msgs.iter()
            .any(|m| !m["reactions"].as_array().unwrap().is_empty())
    );
    assert!(
        msgs.iter()
            .any(|m| !m["repliesToIds"].as_array().unwrap().is_empty())
    );
    assert!(msgs.iter().any(|m| m["editedAt"].is_string()));
    let text = serde_json::to_string(msgs).unwrap();
    assert!(text.contains("webhookMessage"), "the embed is in #general");
}

#[tokio::test]
async fn sending_is_idempotent_on_message_id_and_validated() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let w = server.world();
    let general = w.channel("general").unwrap().id.clone();
    let path = format!("/channels/{general}/messages");
    let id = uuid::Uuid::new_v4().to_string();
    let body = json!({"messageId": id, "content": doc("hello there"), "repliesToIds": [], "isSilent": false, "isPrivate": false, "confirmed": false});
    let first = api.post(&path, body.clone()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.body["message"]["id"], id.as_str());
    assert_eq!(first.body["message"]["createdBy"], w.demo_user_id.as_str());
    assert!(first.body["slowmode"].is_object());
    let again = api.post(&path, body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        again.body["message"]["createdAt"],
        first.body["message"]["createdAt"]
    );
    let history = api.get(&format!("{path}?limit=5")).await;
    let copies = history.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["id"] == id.as_str())
        .count();
    assert_eq!(copies, 1, "a retried send is not posted twice");
    // Replies.
    let reply = uuid::Uuid::new_v4().to_string();
    let r = api
        .post(
            &path,
            json!({"messageId": reply, "content": doc("re"), "repliesToIds": [id]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["message"]["repliesToIds"][0], id.as_str());
    // Invalid sends.
    let fresh = || uuid::Uuid::new_v4().to_string();
    let cases = [
        json!({"content": doc("x")}),
        json!({"messageId": "not-a-uuid", "content": doc("x")}),
        json!({"messageId": fresh()}),
        json!({"messageId": fresh(), "content": {"object": "value"}}),
        json!({"messageId": fresh(), "content": doc("x"), "repliesToIds": [fresh()]}),
        json!({"messageId": id, "content": doc("same id, other channel")}),
    ];
    for (i, body) in cases.into_iter().enumerate() {
        let target = if i == 5 {
            format!("/channels/{}/messages", w.channel("random").unwrap().id)
        } else {
            path.clone()
        };
        let r = api.post(&target, body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "case {i}: {}", r.body);
        r.error_code();
    }
    let forum = w.channel("ideas").unwrap();
    assert_eq!(forum.content_type, "forum");
    let r = api
        .post(
            &format!("/channels/{}/messages", forum.id),
            json!({"messageId": fresh(), "content": doc("x")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Voice channels have text chat.
    let voice = w.channel("Lounge").unwrap();
    let r = api
        .post(
            &format!("/channels/{}/messages", voice.id),
            json!({"messageId": fresh(), "content": doc("x")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // DMs work too.
    api.say(&w.dms[0].id, "hi in a DM").await;
}

#[tokio::test]
async fn a_channel_of_a_team_you_are_not_in_is_403() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let w = server.world();
    let cafe = w.team("Rustaceans Café").unwrap();
    let lobby = w.channel("lobby").unwrap().id.clone();
    server.remove_member(&cafe.id, &w.demo_user_id).unwrap();
    let r = api.get(&format!("/channels/{lobby}/messages")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.error_code(), "ForbiddenError");
}

#[tokio::test]
async fn edit_and_delete_only_your_own_messages() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let w = server.world();
    let general = w.channel("general").unwrap().id.clone();
    let mine = api.say(&general, "typo hree").await;
    let theirs = server
        .post_as(w.user_id("ada").unwrap(), &general, "ada's words", true)
        .unwrap();
    let r = api
        .put(
            &format!("/channels/{general}/messages/{mine}"),
            json!({"content": doc("typo here")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["message"]["editedAt"].is_string());
    let r = api
        .put(
            &format!("/channels/{general}/messages/{theirs}"),
            json!({"content": doc("mine now")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.error_code(), "ForbiddenError");
    let r = api
        .put(
            &format!("/channels/{general}/messages/{mine}"),
            json!({"content": "plain"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = api
        .put(
            &format!("/channels/{general}/messages/{}", uuid::Uuid::new_v4()),
            json!({"content": doc("x")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "NotFoundError");

    assert_eq!(
        api.delete(&format!("/channels/{general}/messages/{theirs}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.delete(&format!("/channels/{general}/messages/{mine}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        api.delete(&format!("/channels/{general}/messages/{mine}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let history = api
        .get(&format!("/channels/{general}/messages?limit=5"))
        .await;
    assert!(
        history.body["messages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["id"] != mine.as_str())
    );
}

#[tokio::test]
async fn reactions_pins_and_seen() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let general = server.world().channel("general").unwrap().id.clone();
    let id = api.say(&general, "react to me").await;
    let base = format!("/channels/{general}/messages/{id}/reactions");
    let r = api.post(&format!("{base}/90001815"), json!(null)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, json!([null, [], []]));
    let history = api
        .get(&format!("/channels/{general}/messages?limit=1"))
        .await;
    let reaction = &history.body["messages"][0]["reactions"][0];
    assert_eq!(reaction["customReactionId"], 90_001_815);
    assert_eq!(reaction["customReaction"]["name"], "tada");
    assert_eq!(reaction["users"][0]["id"], api.user_id.as_deref().unwrap());
    let r = api.delete(&format!("{base}/90001815")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, json!([[], []]));
    let history = api
        .get(&format!("/channels/{general}/messages?limit=1"))
        .await;
    assert_eq!(history.body["messages"][0]["reactions"], json!([]));
    assert_eq!(
        api.post(&format!("{base}/tada"), json!(null)).await.status,
        StatusCode::BAD_REQUEST
    );
    let missing = format!(
        "/channels/{general}/messages/{}/reactions/90001815",
        uuid::Uuid::new_v4()
    );
    assert_eq!(
        api.post(&missing, json!(null)).await.status,
        StatusCode::NOT_FOUND
    );

    assert_eq!(
        api.post(
            &format!("/channels/{general}/pins"),
            json!({"messageId": id})
        )
        .await
        .status,
        StatusCode::OK
    );
    let pins = api.get(&format!("/channels/{general}/pins")).await;
    assert!(
        pins.body["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == id.as_str())
    );
    assert_eq!(
        api.delete(&format!("/channels/{general}/pins/{id}"))
            .await
            .status,
        StatusCode::OK
    );

    let r = api
        .put(
            &format!("/channels/{general}/seen"),
            json!({"clearAllBadges": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = api
        .send(Method::PUT, &format!("/channels/{general}/seen"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "an empty body is fine");
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
