//! Presence on the built-in server: a chosen status (`POST /users/me/presence`) and pings
//! (`PUT /users/me/ping`) change what teammates see, real-shaped events reach them, and the
//! simulated members change status and come and go.

use gilt::server::SimAction;
use serde_json::json;

use crate::support::raw_client::{Api, Gw, start};

#[tokio::test]
async fn a_chosen_status_reaches_teammates_and_pings_leave_it_alone() {
    let server = start().await;
    let w = server.world();
    let demo = Api::logged_in(&server).await;
    let mut demo_gw = Gw::connect(&server, &demo, None).await;
    let ada = Api::logged_in_as(&server, "ada").await;
    let ada_id = w.user_id("ada").unwrap().to_owned();

    let r = ada.post("/users/me/presence", json!({"status": 3})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let ev = demo_gw.event("USER_PRESENCE_MANUALLY_SET").await;
    assert_eq!(
        ev,
        json!({"type": "USER_PRESENCE_MANUALLY_SET", "userId": ada_id, "status": 3})
    );
    assert_eq!(server.presence_of(&ada_id), Some(3));
    // The member list says so too.
    let team = &w.teams[0].id;
    let members = demo.get(&format!("/teams/{team}/members")).await;
    let listed = members.body["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == ada_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(listed["userPresenceStatus"], 3);
    // A ping does not override a chosen status.
    assert_eq!(ada.put("/users/me/ping", json!({})).await.status, 200);
    assert_eq!(server.presence_of(&ada_id), Some(3));
    demo_gw.assert_nothing_pending().await;

    for bad in [
        json!({"status": 0}),
        json!({"status": 5}),
        json!({"status": "idle"}),
        json!({}),
    ] {
        let r = ada.post("/users/me/presence", bad.clone()).await;
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.body["message"].is_string());
    }
}

#[tokio::test]
async fn a_ping_brings_an_offline_user_online_for_everyone_who_sees_them() {
    let server = start().await;
    let w = server.world();
    let emre_id = w.user_id("emre").unwrap().to_owned();
    assert_eq!(
        server.presence_of(&emre_id),
        Some(4),
        "offline in the world"
    );
    let demo = Api::logged_in(&server).await;
    let mut demo_gw = Gw::connect(&server, &demo, None).await;
    let emre = Api::logged_in_as(&server, "emre").await;
    assert_eq!(emre.put("/users/me/ping", json!({})).await.status, 200);
    let ev = demo_gw.event("UserPresenceReceived").await;
    assert_eq!(
        ev,
        json!({"type": "UserPresenceReceived", "userId": emre_id, "status": 1})
    );
    // Already online: a second ping says nothing new.
    emre.put("/users/me/ping", json!({})).await;
    demo_gw.assert_nothing_pending().await;
    // Invisible sticks through pings.
    emre.post("/users/me/presence", json!({"status": 4})).await;
    demo_gw.event("USER_PRESENCE_MANUALLY_SET").await;
    emre.put("/users/me/ping", json!({})).await;
    assert_eq!(server.presence_of(&emre_id), Some(4));
    demo_gw.assert_nothing_pending().await;
}

#[tokio::test]
async fn simulated_members_change_status_and_now_and_then_leave_and_come_back() {
    let server = start().await;
    let demo_id = server.world().demo_user_id;
    let demo = Api::logged_in(&server).await;
    let mut gw = Gw::connect(&server, &demo, None).await;
    let (mut chosen, mut drifted, mut left, mut joined) = (0, 0, 0, 0);
    let mut announced = None;
    for _ in 0..3000 {
        match server.sim_step() {
            Some(SimAction::PresenceChanged {
                user,
                status,
                chosen: true,
            }) => {
                chosen += 1;
                assert!((1..=3).contains(&status), "members choose online/idle/dnd");
                if announced.is_none() {
                    announced = Some((user, status));
                    let ev = gw.event("USER_PRESENCE_MANUALLY_SET").await;
                    let (user, status) = announced.clone().unwrap();
                    assert_eq!(ev["userId"], user.as_str());
                    assert_eq!(ev["status"], status);
                }
            }
            Some(SimAction::PresenceChanged { .. }) => drifted += 1,
            Some(SimAction::Left { team, user }) => {
                left += 1;
                assert_ne!(user, demo_id, "the demo user is never moved");
                let members = demo.get(&format!("/teams/{team}/members")).await;
                assert!(
                    !members.body["members"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|m| m["id"] == user.as_str()),
                    "{user} left {team}"
                );
            }
            Some(SimAction::Joined { .. }) => joined += 1,
            _ => {}
        }
    }
    assert!(
        chosen > 0 && drifted > 0,
        "chosen {chosen}, drifted {drifted}"
    );
    assert!(left > 0, "nobody left in 3000 steps");
    assert!(joined > 0 && joined <= left, "left {left}, joined {joined}");
    assert!(left < chosen, "leaving is rare");
}

#[tokio::test]
async fn posts_in_non_chat_channels_reach_the_team_socket_real_shaped() {
    let server = start().await;
    let w = server.world();
    let demo = Api::logged_in(&server).await;
    let ideas = w.channel("ideas").unwrap().id.clone();
    let team = w.teams[0].id.clone();
    let ada = w.user_id("ada").unwrap().to_owned();
    let mut team_gw = Gw::connect(&server, &demo, Some(&team)).await;
    let id = server
        .post_content(&ada, &ideas, "Dark mode?", false)
        .unwrap();
    let ev = team_gw.event("TeamChannelContentCreated").await;
    assert_eq!(ev["teamId"], team.as_str());
    assert_eq!(ev["channelId"], ideas.as_str());
    assert_eq!(ev["contentType"], "forum");
    assert_eq!(ev["contentId"], id);
    assert_eq!(ev["createdBy"], ada.as_str());
    assert_eq!(ev["thread"]["title"], "Dark mode?");
    assert_eq!(ev["thread"]["id"], id);
    server
        .post_content(&ada, &ideas, "Dark mode?", true)
        .unwrap();
    let reply = team_gw.event("TeamChannelContentReplyCreated").await;
    assert_eq!(reply["channelId"], ideas.as_str());
    // Chat channels take messages, not content; strangers cannot post.
    let general = w.channel("general").unwrap().id.clone();
    assert!(server.post_content(&ada, &general, "x", false).is_err());
    assert!(server.post_content("nobody00", &ideas, "x", false).is_err());
    // The simulated members post there now and then.
    let posted =
        (0..1500).any(|_| matches!(server.sim_step(), Some(SimAction::ContentPosted { .. })));
    assert!(posted, "no post in a non-chat channel in 1500 steps");
}

#[tokio::test]
async fn voice_joins_and_moves_reach_the_team_and_the_channel_list() {
    let server = start().await;
    let w = server.world();
    let demo = Api::logged_in(&server).await;
    let team = w.teams[0].id.clone();
    let lounge = w.channel("Lounge").unwrap().id.clone();
    let ada = w.user_id("ada").unwrap().to_owned();
    let mut team_gw = Gw::connect(&server, &demo, Some(&team)).await;
    server.set_voice(&ada, Some(&lounge)).unwrap();
    let ev = team_gw.event("TeamChannelVoiceParticipantAdded").await;
    assert_eq!(
        ev,
        json!({"type": "TeamChannelVoiceParticipantAdded", "teamId": team, "channelId": lounge,
               "userId": ada, "user": {"id": ada}})
    );
    let list = demo.get(&format!("/teams/{team}/channels")).await;
    let listed = list.body["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == lounge.as_str())
        .unwrap()
        .clone();
    assert_eq!(listed["voiceParticipants"], json!([{"id": ada}]));
    server.set_voice(&ada, None).unwrap();
    let ev = team_gw.event("TeamChannelVoiceParticipantRemoved").await;
    assert_eq!(ev["userId"], ada.as_str());
    // Only voice channels, only where the user belongs.
    let general = w.channel("general").unwrap().id.clone();
    assert!(server.set_voice(&ada, Some(&general)).is_err());
    // The simulated members come and go.
    let joined = (0..1500).any(|_| {
        matches!(
            server.sim_step(),
            Some(SimAction::Voice {
                channel: Some(_),
                ..
            })
        )
    });
    assert!(joined, "nobody joined voice in 1500 steps");
}
