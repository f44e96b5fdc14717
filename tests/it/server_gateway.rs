//! The gateway of the built-in server: upgrade checks, hello/`40`, heartbeat, routing of
//! chat and team events, typing relay, robustness against bad frames.

use std::time::Duration;

use futures_util::SinkExt;
use serde_json::json;
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use crate::support::raw_client::{
    Api, Ending, Gw, doc, gateway_request, gateway_url, read_until_end, start, start_with,
};

/// The HTTP status refusing an upgrade to `url`, sent with `session` as its session cookie.
async fn refused_status_with(url: &str, session: Option<&str>) -> u16 {
    let mut request = url.into_client_request().unwrap();
    if let Some(session) = session {
        request.headers_mut().insert(
            "cookie",
            format!("hmac_signed_session={session}").parse().unwrap(),
        );
    }
    match connect_async(request).await {
        Err(WsError::Http(resp)) => resp.status().as_u16(),
        other => panic!(
            "expected an HTTP refusal for {url}, got {:?}",
            other.map(|_| ())
        ),
    }
}

async fn refused_status(url: &str) -> u16 {
    refused_status_with(url, None).await
}

#[tokio::test]
async fn upgrades_without_the_guilded_query_are_refused_with_400() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let good = gateway_url(&server, &api, None);
    let base = format!("{}/socket.io/", server.gateway_url());
    let mid = api.client_id.clone().unwrap();
    let bad = [
        format!("{base}?jwt=undefined&EIO=4&transport=websocket&guildedClientId={mid}"),
        format!("{base}?jwt=undefined&transport=websocket&guildedClientId={mid}"),
        format!("{base}?jwt=undefined&EIO=3&transport=polling&guildedClientId={mid}"),
        format!("{base}?jwt=abc&EIO=3&transport=websocket&guildedClientId={mid}"),
        format!("{base}?jwt=undefined&EIO=3&transport=websocket"),
        format!(
            "{base}?jwt=undefined&EIO=3&transport=websocket&guildedClientId=0123456789abcdef0123456789abcdef"
        ),
        format!("{good}&teamId=NoSuchT1"),
    ];
    for url in &bad {
        // With the session cookie: refused for the query alone.
        assert_eq!(
            refused_status_with(url, api.session.as_deref()).await,
            400,
            "{url}"
        );
    }
    // A plain GET (no upgrade) is refused too, with the error shape.
    let r = reqwest::Client::new()
        .get(good.replace("ws://", "http://"))
        .header(
            "cookie",
            format!("hmac_signed_session={}", api.session.as_deref().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["code"].is_string() && body["message"].is_string());
    // After logout the client id is dead.
    api.post("/logout", json!({})).await;
    assert_eq!(
        refused_status_with(&good, api.session.as_deref()).await,
        400
    );
}

#[tokio::test]
async fn a_client_id_without_its_own_session_cookie_is_refused_with_401() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let ada = Api::logged_in_as(&server, "ada").await;
    // The client id alone (it travels in every URL): refused.
    assert_eq!(refused_status(&gateway_url(&server, &api, None)).await, 401);
    // With another login's valid session cookie: refused too.
    let mut borrowed = gateway_request(&server, &ada, None);
    *borrowed.uri_mut() = gateway_url(&server, &api, None).parse().unwrap();
    match connect_async(borrowed).await {
        Err(WsError::Http(resp)) => assert_eq!(resp.status().as_u16(), 401),
        other => panic!("expected 401, got {:?}", other.map(|_| ())),
    }
    // Its own cookie: accepted.
    Gw::connect(&server, &api, None).await;
}

#[tokio::test]
async fn hello_then_connect_then_pongs_and_the_socket_is_listed() {
    let server = start_with(|c| {
        c.ping_interval = Duration::from_millis(1500);
        c.ping_timeout = Duration::from_millis(700);
    })
    .await;
    let api = Api::logged_in(&server).await;
    let mut gw = Gw::connect(&server, &api, None).await;
    assert_eq!(gw.hello["upgrades"], json!([]));
    assert_eq!(gw.hello["pingInterval"], 1500);
    assert_eq!(gw.hello["pingTimeout"], 700);
    let sid = gw.hello["sid"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        gw.send("2").await;
        assert_eq!(gw.next().await, "3");
    }
    gw.send("2probe").await;
    assert_eq!(gw.next().await, "3probe");
    let sockets = server.sockets();
    assert_eq!(sockets.len(), 1);
    let s = &sockets[0];
    assert_eq!(s.sid, sid);
    assert_eq!(s.team_id, None);
    assert_eq!(s.user_id, api.user_id.clone().unwrap());
    let q: Vec<(&str, &str)> = s
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert!(
        q.contains(&("jwt", "undefined"))
            && q.contains(&("EIO", "3"))
            && q.contains(&("transport", "websocket"))
    );
    assert!(q.contains(&("guildedClientId", api.client_id.as_deref().unwrap())));
}

// On virtual time: the 200 ms pauses between pings cannot stretch past the limit.
#[tokio::test(start_paused = true)]
async fn a_silent_socket_is_closed_after_interval_plus_timeout() {
    let server = start_with(|c| {
        c.ping_interval = Duration::from_millis(300);
        c.ping_timeout = Duration::from_millis(200);
    })
    .await;
    let api = Api::logged_in(&server).await;
    let mut gw = Gw::connect(&server, &api, None).await;
    // Keep it alive past the limit by pinging, then go silent.
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        gw.send("2").await;
        assert_eq!(gw.next().await, "3");
    }
    match read_until_end(&mut gw.ws).await {
        Ending::CloseFrame(code, reason) => {
            assert_eq!(code, 1000);
            assert_eq!(reason, "ping timeout");
        }
        other @ Ending::NoCloseFrame => panic!("{other:?}"),
    }
    assert!(server.sockets().is_empty());
}

#[tokio::test]
async fn chat_events_reach_main_sockets_of_the_audience_with_the_senders_client_id() {
    let server = start().await;
    let w = server.world();
    let alice = Api::logged_in(&server).await;
    let bob = Api::logged_in(&server).await; // a second session (another device)
    let crew = w.team("Gilt Crew").unwrap().id.clone();
    let mut alice_main = Gw::connect(&server, &alice, None).await;
    let mut bob_main = Gw::connect(&server, &bob, None).await;
    let mut alice_team = Gw::connect(&server, &alice, Some(&crew)).await;
    let general = w.channel("general").unwrap();

    let id = alice.say(&general.id, "hello gateway").await;
    for gw in [&mut alice_main, &mut bob_main] {
        let ev = gw.event("ChatMessageCreated").await;
        assert_eq!(ev["type"], "ChatMessageCreated");
        assert_eq!(ev["guildedClientId"], alice.client_id.as_deref().unwrap());
        assert_eq!(ev["channelId"], general.id.as_str());
        assert_eq!(ev["channelType"], "Team");
        assert_eq!(ev["teamId"], crew.as_str());
        assert_eq!(ev["channelCategoryId"], general.category_id.unwrap());
        assert_eq!(ev["contentType"], "chat");
        assert_eq!(ev["message"]["id"], id.as_str());
        assert_eq!(ev["contentId"], id.as_str());
        assert_eq!(ev["createdBy"], w.demo_user_id.as_str());
        assert_eq!(ev["message"]["content"], doc("hello gateway"));
        assert!(ev["createdAt"].as_str().unwrap().ends_with('Z'));
        assert_eq!(ev["repliedToMessages"], json!([]));
        assert_eq!(ev["silenceNotification"], false);
    }
    // Edits, reactions, deletes follow in order.
    let path = format!("/channels/{}/messages/{id}", general.id);
    alice.put(&path, json!({"content": doc("edited")})).await;
    alice
        .post(&format!("{path}/reactions/90002563"), json!(null))
        .await;
    alice.delete(&format!("{path}/reactions/90002563")).await;
    alice
        .post(
            &format!("/channels/{}/pins", general.id),
            json!({"messageId": id}),
        )
        .await;
    alice.delete(&path).await;
    let ev = bob_main.event("ChatMessageUpdated").await;
    assert_eq!(ev["message"]["content"], doc("edited"));
    assert!(ev["message"]["editedAt"].is_string());
    assert_eq!(ev["updatedBy"], w.demo_user_id.as_str());
    let ev = bob_main.event("ChatMessageReactionAdded").await;
    assert_eq!(ev["reaction"]["customReactionId"], 90_002_563);
    assert_eq!(ev["reaction"]["customReaction"]["name"], "thumbsup");
    assert_eq!(ev["message"]["id"], id.as_str());
    let ev = bob_main.event("ChatMessageReactionDeleted").await;
    assert_eq!(ev["reaction"]["createdBy"], w.demo_user_id.as_str());
    assert!(ev["reaction"].get("customReaction").is_none());
    let ev = bob_main.event("ChatPinnedMessageCreated").await;
    assert_eq!(ev["message"]["id"], id.as_str());
    let ev = bob_main.event("ChatMessageDeleted").await;
    assert_eq!(ev["message"]["id"], id.as_str());
    assert!(ev["message"]["deletedAt"].is_string());
    assert!(ev.get("newLastMessage").is_some());
    // The team socket carried none of it.
    alice_team.assert_nothing_pending().await;
    // Seen is echoed to one's own sockets.
    alice
        .put(&format!("/channels/{}/seen", general.id), json!({}))
        .await;
    let ev = alice_main.event("CHANNEL_SEEN").await;
    assert_eq!(ev["channelId"], general.id.as_str());
}

#[tokio::test]
async fn people_outside_the_channel_do_not_get_its_events() {
    let server = start().await;
    let w = server.world();
    let api = Api::logged_in(&server).await;
    let mut gw = Gw::connect(&server, &api, None).await;
    let cafe = w.team("Rustaceans Café").unwrap();
    let lobby = w.channel("lobby").unwrap().id.clone();
    server.remove_member(&cafe.id, &w.demo_user_id).unwrap();
    server
        .post_as(&cafe.member_ids[1], &lobby, "you can't see this", true)
        .unwrap();
    gw.assert_nothing_pending().await;
    // A DM the demo user is in does reach them, with channelType DM and no teamId.
    let dm = &w.dms[0];
    let other = dm.user_ids.iter().find(|u| **u != w.demo_user_id).unwrap();
    server.post_as(other, &dm.id, "psst", true).unwrap();
    let ev = gw.event("ChatMessageCreated").await;
    assert_eq!(ev["channelType"], "DM");
    assert!(ev.get("teamId").is_none());
    assert!(
        ev.get("guildedClientId").is_none(),
        "no originating session"
    );
}

#[tokio::test]
async fn typing_is_relayed_to_others_and_never_echoed() {
    let server = start().await;
    let w = server.world();
    let me = Api::logged_in(&server).await;
    let mut mine = Gw::connect(&server, &me, None).await;
    let general = w.channel("general").unwrap().id.clone();
    // Someone else types: I see it with their user id.
    let ada = w.user_id("ada").unwrap();
    server.typing_as(ada, &general).unwrap();
    let ev = mine.event("ChatChannelTyping").await;
    assert_eq!(
        ev,
        json!({"type": "ChatChannelTyping", "channelId": general, "userId": ada})
    );
    // I type: my sockets hear nothing back.
    mine.send(&format!(
        r#"42["ChatChannelTyping",{{"channelId":"{general}"}}]"#
    ))
    .await;
    mine.assert_nothing_pending().await;
    // Typing in a channel one cannot see, or with junk, is ignored and the socket lives on.
    mine.send(r#"42["ChatChannelTyping",{"channelId":"nope"}]"#)
        .await;
    mine.send(r#"42["ChatChannelTyping",{}]"#).await;
    mine.send(r#"42["ChatChannelTyping"]"#).await;
    mine.send(r#"42["logout"]"#).await;
    mine.send("2").await;
    assert_eq!(mine.next().await, "3");
}

#[tokio::test]
async fn typing_from_a_client_is_relayed_to_other_members_only() {
    let server = start().await;
    let w = server.world();
    let general = w.channel("general").unwrap().id.clone();
    let me = Api::logged_in(&server).await;
    let my_phone = Api::logged_in(&server).await;
    let ada = Api::logged_in_as(&server, "ada").await;
    let hana = Api::logged_in_as(&server, "hana").await; // not in Gilt Crew
    let mut g_me = Gw::connect(&server, &me, None).await;
    let mut g_phone = Gw::connect(&server, &my_phone, None).await;
    let mut g_ada = Gw::connect(&server, &ada, None).await;
    let mut g_hana = Gw::connect(&server, &hana, None).await;
    g_me.send(&format!(
        r#"42["ChatChannelTyping",{{"channelId":"{general}"}}]"#
    ))
    .await;
    let ev = g_ada.event("ChatChannelTyping").await;
    assert_eq!(
        ev,
        json!({"type": "ChatChannelTyping", "channelId": general, "userId": w.demo_user_id})
    );
    g_phone.assert_nothing_pending().await;
    g_hana.assert_nothing_pending().await;
    g_me.assert_nothing_pending().await;
    // And a message from ada reaches me with ada's client id.
    ada.say(&general, "hi demo").await;
    let ev = g_me.event("ChatMessageCreated").await;
    assert_eq!(ev["guildedClientId"], ada.client_id.as_deref().unwrap());
    assert_eq!(ev["createdBy"], w.user_id("ada").unwrap());
}

#[tokio::test]
async fn team_events_go_to_that_teams_sockets_only() {
    let server = start().await;
    let w = server.world();
    let api = Api::logged_in(&server).await;
    let crew = w.team("Gilt Crew").unwrap().id.clone();
    let cafe = w.team("Rustaceans Café").unwrap().id.clone();
    let mut main = Gw::connect(&server, &api, None).await;
    let mut crew_gw = Gw::connect(&server, &api, Some(&crew)).await;
    let mut cafe_gw = Gw::connect(&server, &api, Some(&cafe)).await;
    assert_eq!(
        server
            .sockets()
            .iter()
            .filter(|s| s.team_id.is_some())
            .count(),
        2
    );

    let hana = w.user_id("hana").unwrap();
    server
        .add_member(&crew, hana, Some("Hana-san".into()))
        .unwrap();
    let ev = crew_gw.event("TeamMemberJoined").await;
    assert_eq!(ev["teamId"], crew.as_str());
    assert_eq!(ev["user"]["id"], hana);
    assert_eq!(ev["user"]["nickname"], "Hana-san");
    server.set_nickname(&crew, hana, Some("H")).unwrap();
    let ev = crew_gw.event("TeamMemberUpdated").await;
    assert_eq!(ev["userInfo"]["nickname"], "H");
    assert_eq!(ev["userId"], hana);
    server.remove_member(&crew, hana).unwrap();
    let ev = crew_gw.event("TeamMemberRemoved").await;
    assert_eq!(ev["userId"], hana);

    let id = server
        .create_channel(&crew, "new-room", "chat", Some(1001))
        .unwrap();
    let ev = crew_gw.event("TeamChannelCreated").await;
    assert_eq!(ev["channel"]["id"], id.as_str());
    assert_eq!(ev["channel"]["channelCategoryId"], 1001);
    assert_eq!(ev["name"], "new-room");
    server.rename_channel(&id, "renamed").unwrap();
    let ev = crew_gw.event("TeamChannelUpdated").await;
    assert_eq!(ev["channel"]["name"], "renamed");
    server.delete_channel(&id).unwrap();
    let ev = crew_gw.event("TeamChannelDeleted").await;
    assert_eq!(
        ev,
        json!({"type": "TeamChannelDeleted", "teamId": crew, "channelId": id})
    );

    main.assert_nothing_pending().await;
    cafe_gw.assert_nothing_pending().await;
}

#[tokio::test]
async fn malformed_frames_are_ignored_and_oversized_ones_end_the_socket() {
    let server = start_with(|c| c.max_frame_bytes = 4096).await;
    let api = Api::logged_in(&server).await;
    let mut gw = Gw::connect(&server, &api, None).await;
    for junk in [
        "",
        "x",
        "9",
        "4",
        "42",
        "42[",
        "42{\"a\":1}",
        "42[1,2]",
        "43[]",
        "45-[]",
        "4\u{202e}",
        "😀",
        "0{}",
        "6",
        "40",
        "41",
    ] {
        gw.send(junk).await;
    }
    gw.ws
        .send(Message::binary(vec![0u8, 159, 146, 150]))
        .await
        .unwrap();
    gw.send("2").await;
    assert_eq!(gw.next().await, "3", "still answering after junk");
    gw.send(&"x".repeat(10_000)).await;
    match read_until_end(&mut gw.ws).await {
        Ending::CloseFrame(code, _) => assert_eq!(code, 1009),
        Ending::NoCloseFrame => {} // the server may cut before the close frame is read
    }
    // The server itself is fine.
    let mut again = Gw::connect(&server, &api, None).await;
    again.send("2").await;
    assert_eq!(again.next().await, "3");
}

#[tokio::test]
async fn engine_io_close_from_the_client_ends_the_socket() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let mut gw = Gw::connect(&server, &api, None).await;
    gw.send("1").await;
    let _ = read_until_end(&mut gw.ws).await;
    for _ in 0..50 {
        if server.sockets().is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("socket still registered");
}
