//! Decoding the presence, user and non-chat content events, with the variants the payload table allows.

use serde_json::json;

use super::*;
use crate::models::PresenceStatus;
use crate::{ChannelId, TeamId, UserId};

fn decode(name: &str, payload: &serde_json::Value) -> Result<GuildedEvent, EventError> {
    decode_event(&json!([name, payload]).to_string())
}

fn presence(name: &str, payload: &serde_json::Value) -> Option<(String, PresenceStatus)> {
    match decode(name, payload) {
        Ok(GuildedEvent::UserPresenceReceived(p) | GuildedEvent::UserPresenceManuallySet(p)) => {
            Some((p.user_id.as_str().to_owned(), p.status?))
        }
        _ => None,
    }
}

#[test]
fn presence_reads_status_as_a_number_a_numeric_string_or_a_name() {
    for (payload, want) in [
        (json!({"userId": "u1", "status": 1}), PresenceStatus::Online),
        (json!({"userId": "u1", "status": 2}), PresenceStatus::Idle),
        (
            json!({"userId": "u1", "status": "3"}),
            PresenceStatus::DoNotDisturb,
        ),
        (
            json!({"userId": "u1", "status": 4}),
            PresenceStatus::Offline,
        ),
        (
            json!({"userId": "u1", "userPresenceStatus": 2}),
            PresenceStatus::Idle,
        ),
        (
            json!({"userId": "u1", "userPresenceStatus": "dnd"}),
            PresenceStatus::DoNotDisturb,
        ),
        (
            json!({"userId": "u1", "status": "Online"}),
            PresenceStatus::Online,
        ),
        (
            json!({"userId": "u1", "status": "invisible"}),
            PresenceStatus::Offline,
        ),
    ] {
        for name in ["UserPresenceReceived", "USER_PRESENCE_MANUALLY_SET"] {
            assert_eq!(
                presence(name, &payload),
                Some(("u1".to_owned(), want)),
                "{name} {payload}"
            );
        }
    }
}

#[test]
fn presence_without_a_user_or_a_readable_status_is_not_applied() {
    for payload in [
        json!({"status": 1}),
        json!({"userId": "", "status": 1}),
        json!({"userId": "u1"}),
        json!({"userId": "u1", "status": 9}),
        json!({"userId": "u1", "status": "sleepy"}),
        json!({"userId": "u1", "status": {"x": 1}}),
    ] {
        assert!(
            matches!(
                decode("UserPresenceReceived", &payload),
                Ok(GuildedEvent::Other { .. })
            ),
            "{payload}"
        );
    }
    // An id of the wrong type drops the event with an error.
    assert!(matches!(
        decode("UserPresenceReceived", &json!({"userId": 7, "status": 1})),
        Err(EventError::WrongIdType { .. })
    ));
}

#[test]
fn team_members_removed_merges_both_spellings_and_drops_bad_ids() {
    let Ok(GuildedEvent::TeamMembersRemoved(ev)) = decode(
        "TeamMembersRemoved",
        &json!({"teamId": "t1", "userIds": ["u1", 5, "u2"], "memberIds": ["u2", "u3"]}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.team_id, "t1");
    let ids: Vec<&str> = ev.user_ids.iter().map(UserId::as_str).collect();
    assert_eq!(ids, ["u1", "u2", "u3"]);
    for payload in [
        json!({"teamId": "t1", "userIds": []}),
        json!({"userIds": ["u1"]}),
        json!({"teamId": "t1", "userIds": "u1"}),
    ] {
        assert!(
            matches!(
                decode("TeamMembersRemoved", &payload),
                Ok(GuildedEvent::Other { .. })
            ),
            "{payload}"
        );
    }
}

#[test]
fn user_updated_takes_the_id_from_either_place() {
    let Ok(GuildedEvent::UserUpdated(ev)) = decode(
        "USER_UPDATED",
        &json!({"user": {"id": "u1", "name": "Ada L.", "profilePicture": null, "userPresenceStatus": 3}}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.user_id, "u1");
    assert_eq!(ev.new_name(), Some("Ada L."));
    assert_eq!(ev.presence(), Some(PresenceStatus::DoNotDisturb));
    let Ok(GuildedEvent::UserUpdated(ev)) = decode(
        "UserUpdated",
        &json!({"userId": "u1", "user": {"profilePicture": "x"}}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.new_name(), None, "no name: nothing to rename");
    assert!(matches!(
        decode("USER_UPDATED", &json!({"user": {"name": "x"}})),
        Ok(GuildedEvent::Other { .. })
    ));
    assert!(matches!(
        decode("USER_UPDATED", &json!({"userId": "u1", "user": {"id": 4}})),
        Err(EventError::WrongIdType { .. })
    ));
}

#[test]
fn user_alias_updated_reads_like_the_team_alias_event_without_a_team() {
    let Ok(GuildedEvent::UserAliasUpdated(ev)) = decode(
        "UserAliasUpdated",
        &json!({"userId": "u1", "alias": "Countess"}),
    ) else {
        panic!("wrong variant")
    };
    assert!(ev.team_id.is_empty());
    assert_eq!(ev.new_nickname(), Some(Some("Countess")));
    let Ok(GuildedEvent::UserAliasUpdated(ev)) = decode(
        "UserAliasUpdated",
        &json!({"userId": "u1", "teamId": "t1", "userInfo": {"nickname": null}}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.team_id, "t1");
    assert_eq!(ev.new_nickname(), Some(None));
}

#[test]
fn content_events_read_what_where_who_and_when_from_any_nesting() {
    let Ok(GuildedEvent::TeamChannelContentCreated(ev)) = decode(
        "TEAM_CHANNEL_CONTENT_CREATED",
        &json!({"teamId": "t1", "channelId": "c1", "contentType": "forum", "contentId": 42,
                "thread": {"id": 42, "title": "Release plans", "createdBy": "u1",
                           "createdAt": "2026-11-30T10:00:00.000Z"}}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.channel_id, "c1");
    assert_eq!(ev.content_id.as_deref(), Some("42"));
    assert_eq!(ev.title(), Some("Release plans"));
    assert_eq!(ev.actor().map(UserId::as_str), Some("u1"));
    assert_eq!(
        ev.at().map(|t| t.to_string()).as_deref(),
        Some("2026-11-30T10:00:00Z")
    );
    // The channel only inside the item; a list item's text as its title.
    let Ok(GuildedEvent::TeamEventCreated(ev)) = decode(
        "TeamEventCreated",
        &json!({"calendarEvent": {"id": 7, "channelId": "c2", "teamId": "t1", "name": "Meetup"}}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(
        (
            ev.channel_id.as_str(),
            ev.team_id.as_ref().map(TeamId::as_str)
        ),
        ("c2", Some("t1"))
    );
    assert_eq!(ev.title(), Some("Meetup"));
    let Ok(GuildedEvent::TeamChannelContentReplyCreated(ev)) = decode(
        "TeamChannelContentReplyCreated",
        &json!({"channelId": "c3", "userId": "u2", "listItem": {"message": "  buy milk "},
                "reply": {"id": 1, "content": {"object": "value"}}}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.title(), Some("buy milk"));
    assert_eq!(ev.actor().map(UserId::as_str), Some("u2"));
    // Without a channel anywhere it is not applied; a numeric channel id drops it.
    assert!(matches!(
        decode("TeamThreadCreated", &json!({"thread": {"title": "x"}})),
        Ok(GuildedEvent::Other { .. })
    ));
    assert!(matches!(
        decode("TeamContentDeleted", &json!({"channelId": 5})),
        Err(EventError::WrongIdType { .. })
    ));
}

#[test]
fn voice_participants_read_the_user_from_any_place() {
    for payload in [
        json!({"teamId": "t1", "channelId": "v1", "userId": "u1"}),
        json!({"channelId": "v1", "user": {"id": "u1", "name": "ada"}}),
        json!({"channelId": "v1", "participant": {"id": "u1"}}),
    ] {
        let Ok(GuildedEvent::TeamChannelVoiceParticipantAdded(ev)) =
            decode("TeamChannelVoiceParticipantAdded", &payload)
        else {
            panic!("{payload}")
        };
        assert_eq!(ev.user().map(UserId::as_str), Some("u1"), "{payload}");
        assert_eq!(ev.channel_id, "v1");
    }
    let Ok(GuildedEvent::TeamChannelVoiceUserMoved(ev)) = decode(
        "TeamChannelVoiceUserMoved",
        &json!({"channelId": "v2", "oldChannelId": "v1", "userId": "u1"}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.left_channel().map(ChannelId::as_str), Some("v1"));
    assert!(matches!(
        decode("TeamChannelStreamAdded", &json!({"channelId": "v1"})),
        Ok(GuildedEvent::Other { .. })
    ));
    assert!(matches!(
        decode(
            "TeamChannelStreamRemoved",
            &json!({"channelId": "v1", "userId": 3})
        ),
        Err(EventError::WrongIdType { .. })
    ));
    // The channel list's `voiceParticipants`, entries without a user dropped.
    let ch: crate::models::Channel = serde_json::from_value(json!({"id": "v1",
        "voiceParticipants": [{"id": "u1"}, {"userId": "u2"}, {"user": {"id": "u3"}}, 5, {}]}))
    .unwrap();
    let users: Vec<&str> = ch
        .voice_participants
        .iter()
        .filter_map(|p| p.user().map(UserId::as_str))
        .collect();
    assert_eq!(users, ["u1", "u2", "u3"]);
}
