//! REST of the built-in server, messages: history paging, idempotent sends, edits, deletes, reactions, pins, seen.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::raw_client::{Api, doc, start};

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
