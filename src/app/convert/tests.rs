use super::*;
use crate::testkit::{event_fixture as event, synthesized as fixture};

#[test]
fn fixture_events_convert() {
    let Some(ChatEvent::MessageCreated { message, team_id }) =
        chat_event(event("ChatMessageCreated", "chat-message-created.json"))
    else {
        panic!("not a created message");
    };
    assert_eq!(message.id, "6a1f2d3c-4b5e-4f60-8a71-92b3c4d5e6f7");
    assert_eq!(message.channel_id, "d2242862-401c-42f8-9ce2-0c75977475a6");
    assert_eq!(message.author_id, "EdVMVKR4");
    assert_eq!(team_id, Some("4R5q39VR".into()));

    for (name, file) in [
        ("ChatMessageUpdated", "chat-message-updated.json"),
        ("ChatMessageDeleted", "chat-message-deleted.json"),
        ("ChatChannelTyping", "chat-channel-typing.json"),
        (
            "ChatMessageReactionAdded",
            "chat-message-reaction-added.json",
        ),
        (
            "ChatMessageReactionDeleted",
            "chat-message-reaction-deleted.json",
        ),
        ("TeamMemberJoined", "team-member-joined.json"),
        ("TeamMemberRemoved", "team-member-removed.json"),
    ] {
        assert!(chat_event(event(name, file)).is_some(), "{name}");
    }
    assert!(chat_event(event("SomethingNew", "chat-channel-typing.json")).is_none());
}

#[test]
fn fixture_rest_models_convert() {
    let resp: models::TeamChannelsResponse =
        serde_json::from_str(&fixture("team-channels-response.json")).unwrap();
    let team = models::Team {
        id: "4R5q39VR".into(),
        name: "Guilded-API".into(),
        ..models::Team::default()
    };
    let data = team_data(&team, Some(&resp), &[]);
    assert_eq!(data.channels.len(), resp.channels.len());
    assert!(
        data.channels
            .iter()
            .any(|c| c.name == "general" && c.is_chat())
    );
    let msgs: models::ChannelMessagesResponse =
        serde_json::from_str(&fixture("channel-messages-response.json")).unwrap();
    let channel = ChannelId::from("c");
    let converted: Vec<Message> = msgs.messages.iter().map(|m| message(m, &channel)).collect();
    assert_eq!(converted.len(), msgs.messages.len());
    assert!(converted.iter().all(|m| !m.id.is_empty()));
}

#[test]
fn a_reaction_nobody_made_is_not_shown() {
    let m: models::Message = serde_json::from_value(serde_json::json!({
        "id": "m1", "channelId": "c", "createdBy": "u",
        "createdAt": "2026-11-30T10:00:00.000Z",
        "content": {"object": "value", "document": {"object": "document", "data": {}, "nodes": []}},
        "reactions": [
            {"customReactionId": 90_000_921, "users": []},
            {"customReactionId": 90_001_171, "users": [{"id": "u2"}]},
            {"customReactionId": 90_001_815, "users": [], "totalUsers": 4}
        ]
    }))
    .unwrap();
    let counts: Vec<u32> = message(&m, &ChannelId::from("c"))
        .reactions
        .iter()
        .map(|r| r.count)
        .collect();
    assert_eq!(counts, [1, 4]);
}
