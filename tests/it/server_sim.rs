//! The simulated members, driven one step at a time (behaviour, not timing).

use gilt::server::SimAction;
use serde_json::json;

use crate::support::raw_client::{Api, Gw, start, start_with};

/// Who acted, and where (None for status changes and team comings and goings).
fn actor(a: &SimAction) -> (&str, Option<&str>) {
    let (user, channel) = match a {
        SimAction::Typing { user, channel }
        | SimAction::Posted { user, channel, .. }
        | SimAction::Reacted { user, channel, .. }
        | SimAction::Edited { user, channel, .. }
        | SimAction::Deleted { user, channel, .. }
        | SimAction::ThreadStarted { user, channel, .. }
        | SimAction::Pinned { user, channel, .. }
        | SimAction::Renamed { user, channel, .. }
        | SimAction::ContentPosted { user, channel, .. }
        | SimAction::Voice {
            user,
            channel: Some(channel),
        } => (user, channel),
        SimAction::Voice { user, .. }
        | SimAction::PresenceChanged { user, .. }
        | SimAction::Left { user, .. }
        | SimAction::Joined { user, .. } => return (user, None),
    };
    (user, Some(channel))
}

#[tokio::test]
async fn members_type_before_they_post_and_the_client_sees_both() {
    let server = start().await;
    let api = Api::logged_in(&server).await;
    let mut gw = Gw::connect(&server, &api, None).await;
    let w = server.world();
    // Step until a post happens; the step before it must be the same member typing there.
    let mut prev: Option<SimAction> = None;
    for _ in 0..50 {
        let action = server.sim_step().unwrap();
        if let SimAction::Posted {
            user,
            channel,
            message_id,
            ..
        } = &action
        {
            assert_eq!(
                prev,
                Some(SimAction::Typing {
                    user: user.clone(),
                    channel: channel.clone()
                })
            );
            assert_ne!(user, &w.demo_user_id);
            let typing = gw.event("ChatChannelTyping").await;
            assert_eq!(typing["userId"], user.as_str());
            let created = gw.event("ChatMessageCreated").await;
            assert_eq!(created["message"]["id"], message_id.as_str());
            assert_eq!(created["createdBy"], user.as_str());
            assert_eq!(created["guildedClientId"].as_str().unwrap().len(), 32);
            let history = api
                .get(&format!("/channels/{channel}/messages?limit=1"))
                .await;
            assert_eq!(history.body["messages"][0]["id"], message_id.as_str());
            return;
        }
        prev = Some(action);
    }
    panic!("no post in 50 steps");
}

#[tokio::test]
async fn every_kind_of_action_happens_only_where_the_demo_user_can_see() {
    let server = start().await;
    let w = server.world();
    let mut visible: Vec<String> = w
        .teams
        .iter()
        .flat_map(|t| t.channels.iter())
        .chain(w.dms.iter())
        .map(|c| c.id.clone())
        .collect();
    let (mut typing, mut posted, mut replied, mut reacted, mut edited, mut deleted) =
        (0, 0, 0, 0, 0, 0);
    let (mut threads, mut pinned) = (0, 0);
    for _ in 0..400 {
        let Some(action) = server.sim_step() else {
            continue;
        };
        let (user, channel) = actor(&action);
        assert_ne!(user, w.demo_user_id);
        if let Some(channel) = channel {
            assert!(visible.iter().any(|c| c == channel));
        }
        match action {
            SimAction::Typing { .. } => typing += 1,
            SimAction::Posted {
                reply_to: Some(_), ..
            } => replied += 1,
            SimAction::Posted { .. } => posted += 1,
            SimAction::Reacted { .. } => reacted += 1,
            SimAction::Edited { .. } => edited += 1,
            SimAction::Deleted { .. } => deleted += 1,
            SimAction::ThreadStarted { thread, .. } => {
                threads += 1;
                // Threads are channels the members then talk in too.
                visible.push(thread);
            }
            SimAction::Pinned { .. } => pinned += 1,
            SimAction::Renamed { .. }
            | SimAction::ContentPosted { .. }
            | SimAction::Voice { .. }
            | SimAction::PresenceChanged { .. }
            | SimAction::Left { .. }
            | SimAction::Joined { .. } => {}
        }
    }
    assert!(threads > 0, "no thread in 400 steps");
    assert!(pinned > 0, "no pin in 400 steps");
    for (kind, n) in [
        ("typing", typing),
        ("post", posted),
        ("reply", replied),
        ("react", reacted),
        ("edit", edited),
        ("delete", deleted),
    ] {
        assert!(n > 0, "no {kind} in 400 steps");
    }
    assert!(deleted < posted, "deleting is occasional");
}

#[tokio::test]
async fn the_same_seed_gives_the_same_schedule() {
    let run = |seed: u64| async move {
        let server = start_with(|c| c.seed = seed).await;
        (0..60)
            .filter_map(|_| server.sim_step())
            .collect::<Vec<_>>()
    };
    let a = run(7).await;
    let b = run(7).await;
    let c = run(8).await;
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[tokio::test]
async fn a_mentioned_member_answers_the_demo_user() {
    let server = start().await;
    let w = server.world();
    let api = Api::logged_in(&server).await;
    let general = w.channel("general").unwrap().id.clone();
    let ada = w.user_id("ada").unwrap().to_owned();
    let id = uuid::Uuid::new_v4().to_string();
    // A mention inline, the way the official client writes it.
    let content = json!({"object": "value", "document": {"object": "document", "data": {}, "nodes": [
        {"object": "block", "type": "paragraph", "data": {}, "nodes": [
            {"object": "text", "leaves": [{"object": "leaf", "text": "", "marks": []}]},
            {"object": "inline", "type": "mention", "data": {"mention": {"type": "person", "matcher": "@ada", "name": "ada", "id": ada}},
             "nodes": [{"object": "text", "leaves": [{"object": "leaf", "text": "@ada", "marks": []}]}]},
            {"object": "text", "leaves": [{"object": "leaf", "text": " are you there?", "marks": []}]}]}]}});
    let r = api
        .post(
            &format!("/channels/{general}/messages"),
            json!({"messageId": id, "content": content}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        server.sim_step(),
        Some(SimAction::Typing {
            user: ada.clone(),
            channel: general.clone()
        })
    );
    match server.sim_step().unwrap() {
        SimAction::Posted {
            user,
            channel,
            reply_to,
            ..
        } => {
            assert_eq!(
                (user, channel, reply_to),
                (ada.clone(), general.clone(), Some(id))
            );
        }
        other => panic!("{other:?}"),
    }
    // Plain `@name` text counts as well.
    let bjorn = w.user_id("bjorn").unwrap().to_owned();
    api.say(&general, "hey @Bjorn, lunch?").await;
    assert_eq!(
        server.sim_step(),
        Some(SimAction::Typing {
            user: bjorn.clone(),
            channel: general.clone()
        })
    );
    assert!(matches!(server.sim_step(), Some(SimAction::Posted { user, .. }) if user == bjorn));
    // A member's message mentioning someone else triggers nothing special.
    server.post_as(&ada, &general, "@bjorn hi", true).unwrap();
    let next = server.sim_step().unwrap();
    assert!(!matches!(next, SimAction::Posted { .. }), "{next:?}");
}

#[tokio::test]
async fn now_and_then_a_channel_is_renamed_and_renamed_back() {
    let server = start().await;
    let w = server.world();
    let mut renames = Vec::new();
    for _ in 0..3000 {
        if let Some(SimAction::Renamed {
            user,
            channel,
            name,
        }) = server.sim_step()
        {
            assert_ne!(user, w.demo_user_id);
            renames.push((channel, name));
            if renames.len() == 2 {
                break;
            }
        }
    }
    assert!(!renames.is_empty(), "no rename in 3000 steps");
    for (channel, name) in renames {
        let original = w
            .teams
            .iter()
            .flat_map(|t| &t.channels)
            .find(|c| c.id == channel)
            .unwrap();
        // Either the name with the suffix, or back to the original.
        assert!(name == original.name || name == format!("{}-talk", original.name));
    }
}
