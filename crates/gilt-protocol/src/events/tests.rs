//! Event decoding against the synthesized fixtures and tolerance of odd payloads.

use super::*;

fn fixture(name: &str) -> String {
    crate::test_support::fixture(&format!("synthesized/{name}"))
}

/// The array text the gateway link hands over for a payload fixture.
fn frame_of(payload_file: &str) -> String {
    let payload = fixture(payload_file);
    let v: serde_json::Value = serde_json::from_str(&payload).unwrap();
    let name = v["type"].as_str().unwrap();
    format!("[{},{payload}]", serde_json::to_string(name).unwrap())
}

fn ts(text: &str) -> jiff::Timestamp {
    text.parse().unwrap()
}

const CHANNEL: &str = "d2242862-401c-42f8-9ce2-0c75977475a6";
const MESSAGE: &str = "6a1f2d3c-4b5e-4f60-8a71-92b3c4d5e6f7";

#[test]
fn chat_message_created() {
    let GuildedEvent::ChatMessageCreated(ev) =
        decode_event(&frame_of("chat-message-created.json")).unwrap()
    else {
        panic!("wrong variant")
    };
    assert_eq!(ev.envelope.channel_id, CHANNEL);
    assert_eq!(ev.envelope.channel_type.as_deref(), Some("Team"));
    assert_eq!(ev.envelope.team_id, Some("4R5q39VR".into()));
    assert_eq!(ev.envelope.channel_category_id, Some(1_234_567));
    assert_eq!(ev.envelope.content_type.as_deref(), Some("chat"));
    assert_eq!(
        ev.envelope.guilded_client_id.as_deref(),
        Some("0123456789abcdef0123456789abcdef")
    );
    assert!(!ev.envelope.is_dm());
    assert_eq!(ev.message.id, MESSAGE);
    assert_eq!(ev.message.channel_id, CHANNEL, "filled from the envelope");
    assert_eq!(ev.message.created_by, "EdVMVKR4");
    assert_eq!(ev.message.created_at, ts("2021-10-15T23:58:44.537Z"));
    assert_eq!(ev.content_id, Some(MESSAGE.into()));
    assert!(!ev.silence_notification);
    assert!(ev.replied_to_messages.is_empty());
}

#[test]
fn chat_message_updated() {
    let GuildedEvent::ChatMessageUpdated(ev) =
        decode_event(&frame_of("chat-message-updated.json")).unwrap()
    else {
        panic!("wrong variant")
    };
    assert_eq!(ev.message.id, MESSAGE);
    assert_eq!(ev.message.channel_id, CHANNEL);
    assert_eq!(ev.message.edited_at, Some(ts("2021-10-16T00:01:02.003Z")));
    assert_eq!(ev.updated_by, Some("EdVMVKR4".into()));
}

#[test]
fn chat_message_deleted() {
    let GuildedEvent::ChatMessageDeleted(ev) =
        decode_event(&frame_of("chat-message-deleted.json")).unwrap()
    else {
        panic!("wrong variant")
    };
    assert_eq!(ev.envelope.channel_id, CHANNEL);
    assert_eq!(ev.message.id, MESSAGE);
    assert_eq!(ev.message.deleted_at, Some(ts("2021-10-16T00:05:00Z")));
    assert_eq!(ev.new_last_message, None);
}

#[test]
fn chat_channel_typing() {
    let ev = decode_event(&frame_of("chat-channel-typing.json")).unwrap();
    let GuildedEvent::ChatChannelTyping(t) = &ev else {
        panic!("wrong variant")
    };
    assert_eq!(t.envelope.channel_id, CHANNEL);
    assert_eq!(t.user_id, "2d2Wg8Pm");
    assert_eq!(ev.kind(), Some(EventKind::ChatChannelTyping));
}

#[test]
fn reactions() {
    let GuildedEvent::ChatMessageReactionAdded(add) =
        decode_event(&frame_of("chat-message-reaction-added.json")).unwrap()
    else {
        panic!("wrong variant")
    };
    assert_eq!(add.message.id, MESSAGE);
    assert_eq!(add.reaction.emoji_id(), Some(90_001_815));
    assert_eq!(add.reaction.created_by, "2d2Wg8Pm");
    assert_eq!(add.reaction.custom_reaction.as_ref().unwrap().name, "tada");
    let GuildedEvent::ChatMessageReactionDeleted(del) =
        decode_event(&frame_of("chat-message-reaction-deleted.json")).unwrap()
    else {
        panic!("wrong variant")
    };
    assert_eq!(del.reaction.emoji_id(), Some(90_001_815));
    assert_eq!(del.reaction.custom_reaction, None);
}

#[test]
fn team_members() {
    let GuildedEvent::TeamMemberJoined(j) =
        decode_event(&frame_of("team-member-joined.json")).unwrap()
    else {
        panic!("wrong variant")
    };
    assert_eq!(j.team_id, "4R5q39VR");
    assert_eq!(j.user.id, "2d2Wg8Pm");
    assert_eq!(j.user.display_name(), "GAPI Testing Account");
    assert_eq!(j.user.membership_role.as_deref(), Some("member"));
    let GuildedEvent::TeamMemberRemoved(r) =
        decode_event(&frame_of("team-member-removed.json")).unwrap()
    else {
        panic!("wrong variant")
    };
    assert_eq!(
        (r.team_id.as_str(), r.user_id.as_str()),
        ("4R5q39VR", "2d2Wg8Pm")
    );
}

#[test]
fn gateway_transcript_events_decode() {
    let transcript = fixture("gateway-session.txt");
    let kinds: Vec<_> = transcript
        .lines()
        .filter_map(|l| l.strip_prefix("S 42").or_else(|| l.strip_prefix("C 42")))
        .map(|array| decode_event(array).unwrap().kind())
        .collect();
    assert_eq!(
        kinds,
        [
            Some(EventKind::ChatChannelTyping),
            Some(EventKind::ChatChannelTyping),
            Some(EventKind::ChatMessageCreated),
            None // `logout`
        ]
    );
}

#[test]
fn wire_spellings_decode_to_typed_events() {
    let ev = decode_event(
        r#"["CHANNEL_SEEN",{"type":"CHANNEL_SEEN","channelId":"c1","clearAllBadges":true,"contentType":"chat"}]"#,
    )
    .unwrap();
    let GuildedEvent::ChannelSeen(seen) = ev else {
        panic!("{ev:?}")
    };
    assert_eq!(seen.channel_id, "c1");
    assert!(seen.clear_all_badges);
    // GDENO's nested form.
    let GuildedEvent::ChannelSeen(seen) = decode_event(
        r#"["ChannelSeen",{"channel":{"id":"c2","contentType":"chat"},"teamId":"t"}]"#,
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(seen.channel_id, "c2");
    let GuildedEvent::UserTeamsUpdated(u) = decode_event(
        r#"["USER_TEAMS_UPDATED",{"teamId":"t1","isRemoved":true,"isUserBannedFromTeam":false}]"#,
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(u.team_id, Some("t1".into()));
    assert!(u.is_removed);
    // Without a payload, a kind with no key fields is still typed.
    assert!(matches!(
        decode_event(r#"["USER_TEAMS_UPDATED"]"#).unwrap(),
        GuildedEvent::UserTeamsUpdated(_)
    ));
    let ev = decode_event(r#"["teamContentReactionsAdded",{"teamId":"t1"}]"#).unwrap();
    assert_eq!(ev.kind(), Some(EventKind::TeamContentReactionsAdded));
    assert!(matches!(ev, GuildedEvent::Other { ref raw, .. } if raw == r#"{"teamId":"t1"}"#));
    let ev = decode_event(r#"["teamRolesUpdated",{"teamId":"t1"}]"#).unwrap();
    assert!(matches!(ev, GuildedEvent::TeamRolesUpdated(_)));
}

#[test]
fn team_channel_and_alias_events() {
    let GuildedEvent::TeamChannelCreated(c) = decode_event(
        r#"["TeamChannelCreated",{"type":"TeamChannelCreated","teamId":"t","name":"new","channel":{"id":"c","name":"new","contentType":"chat","type":"Team"}}]"#,
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(c.channel.name, "new");
    assert_eq!(c.channel.team_id, Some("t".into()));
    let GuildedEvent::TeamChannelDeleted(d) =
        decode_event(r#"["TeamChannelDeleted",{"teamId":"t","channelId":"c"}]"#).unwrap()
    else {
        panic!()
    };
    assert_eq!(d.channel_id, "c");
    let GuildedEvent::TeamMemberAliasUpdated(a) =
        decode_event(r#"["TeamMemberAliasUpdated",{"teamId":"t","userId":"u","alias":null}]"#)
            .unwrap()
    else {
        panic!()
    };
    assert_eq!(a.new_nickname(), Some(None));
    let GuildedEvent::TeamMemberUpdated(m) = decode_event(
        r#"["TeamMemberUpdated",{"teamId":"t","userId":"u","userInfo":{"nickname":"Nick"}}]"#,
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(m.user_info.nickname, FieldChange::Set("Nick".into()));
    assert_eq!(m.user_info.profile_picture, FieldChange::Unchanged);
    assert_eq!(m.user_info.name, None);
    let GuildedEvent::DmChatChannelCreated(dm) = decode_event(
        r#"["DMChatChannelCreated",{"channel":{"id":"dm1","type":"DM","users":[{"id":"a","name":"A"}]}}]"#,
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(dm.envelope.channel_id, "dm1");
    assert_eq!(dm.channel.users[0].name, "A");
}

#[test]
fn ids_of_the_wrong_type_drop_the_event_with_an_error() {
    for array in [
        // The phantom team of issue 10: a number where a team id belongs.
        r#"["USER_TEAMS_UPDATED",{"teamId":7}]"#,
        r#"["ChatMessageCreated",{"channelId":"c","teamId":7,"message":{"id":"m"}}]"#,
        r#"["ChatMessageCreated",{"channelId":["c"],"message":{"id":"m"}}]"#,
        r#"["ChatMessageCreated",{"channelId":"c","message":{"id":17}}]"#,
        r#"["ChatMessageCreated",{"channelId":"c","message":{"id":"m","createdBy":{}}}]"#,
        r#"["TeamChannelCreated",{"teamId":"t","channel":{"id":true}}]"#,
        r#"["TeamMemberJoined",{"teamId":"t","user":{"id":8}}]"#,
        r#"["ChatChannelTyping",{"channelId":"c","userId":1.5}]"#,
        r#"["CHANNEL_SEEN",{"channel":{"id":3}}]"#,
        // The structure events read their ids the same way.
        r#"["ChatMessagesDeleted",{"channelId":4,"messageIds":["m"]}]"#,
        r#"["TeamMessagesDeleted",{"teamId":"t","userId":5}]"#,
        r#"["ChatChannelHidden",{"teamId":"t","channelId":6}]"#,
        r#"["TeamChannelsDeleted",{"teamId":9,"channelIds":["c"]}]"#,
        r#"["TeamUpdated",{"teamId":10,"team":{"name":"x"}}]"#,
        r#"["TemporalChannelCreated",{"teamId":11,"channel":{"id":"th","parentChannelId":"c"}}]"#,
    ] {
        let error = decode_event(array).unwrap_err();
        assert!(
            matches!(&error, EventError::WrongIdType { name, .. } if !name.is_empty()),
            "{array}: {error:?}"
        );
    }
    // `null` is an absent id, not a wrong one; unknown events are not checked.
    assert!(decode_event(r#"["USER_TEAMS_UPDATED",{"teamId":null}]"#).is_ok());
    assert!(matches!(
        decode_event(r#"["SomethingNew",{"teamId":7}]"#),
        Ok(GuildedEvent::Other { .. })
    ));
}

#[test]
fn odd_field_types_degrade_but_key_fields_decide() {
    // Wrong types everywhere except the key fields: still delivered.
    let ev = decode_event(
        r#"["ChatMessageCreated",{"channelId":"c","teamId":"7","channelCategoryId":"12",
            "silenceNotification":"x","message":{"id":"m","content":5,"createdAt":false,
            "repliesToIds":"nope","reactions":[{"bad":1},{"customReactionId":"9","users":[]}]},
            "createdAt":"2021-10-15T23:58:44.537Z","createdBy":"u"}]"#,
    )
    .unwrap();
    let GuildedEvent::ChatMessageCreated(ev) = ev else {
        panic!("{ev:?}")
    };
    assert_eq!(ev.envelope.team_id, Some("7".into()));
    assert_eq!(ev.envelope.channel_category_id, Some(12));
    assert_eq!(ev.message.created_at, ts("2021-10-15T23:58:44.537Z"));
    assert_eq!(ev.message.created_by, "u");
    assert!(ev.message.replies_to_ids.is_empty());
    assert_eq!(ev.message.reactions.len(), 1);
    assert_eq!(ev.message.reactions[0].custom_reaction_id, 9);
    // contentId stands in for a missing message id.
    let ev =
        decode_event(r#"["ChatMessageCreated",{"channelId":"c","contentId":"m2","message":{}}]"#)
            .unwrap();
    assert!(matches!(ev, GuildedEvent::ChatMessageCreated(ref p) if p.message.id == "m2"));
    // Missing key fields: Other, with the payload kept.
    for array in [
        r#"["ChatMessageCreated",{"channelId":"c"}]"#,
        r#"["ChatMessageCreated",{"message":{"id":"m"}}]"#,
        r#"["ChatMessageCreated",{"channelId":"c","message":"text"}]"#,
        r#"["ChatMessageCreated"]"#,
        r#"["ChatMessageCreated",null]"#,
        r#"["ChatMessageCreated","text"]"#,
        r#"["ChatChannelTyping",{"channelId":"c"}]"#,
        r#"["ChatMessageReactionAdded",{"channelId":"c","message":{"id":"m"},"reaction":{"createdBy":"u"}}]"#,
    ] {
        let ev = decode_event(array).unwrap();
        assert!(
            matches!(ev, GuildedEvent::Other { ref name, .. } if !name.is_empty()),
            "{array}: {ev:?}"
        );
    }
    for (array, payload) in [
        (
            r#"["ChatMessageCreated",{"channelId":"c"}]"#,
            r#"{"channelId":"c"}"#,
        ),
        (r#"["ChatMessageCreated",null]"#, "null"),
        (r#"["ChatMessageCreated"]"#, ""),
    ] {
        assert!(
            matches!(decode_event(array).unwrap(), GuildedEvent::Other { ref raw, .. } if raw == payload),
            "{array}"
        );
    }
}

#[test]
fn nested_objects_of_odd_types_do_not_lose_the_event() {
    let ev = decode_event(
        r#"["ChatMessageCreated",{"channelId":"c","message":{"id":"m"},"mentionedUserInfo":false}]"#,
    )
    .unwrap();
    assert!(
        matches!(ev, GuildedEvent::ChatMessageCreated(ref p) if p.mentioned_user_info.is_none())
    );
    let ev = decode_event(
        r#"["ChatMessageDeleted",{"channelId":"c","message":{"id":"m"},"newLastMessage":"m0"}]"#,
    )
    .unwrap();
    assert!(matches!(ev, GuildedEvent::ChatMessageDeleted(ref p) if p.new_last_message.is_none()));
    // The emoji id is in `customReactionId`; a `customReaction` without one is dropped.
    let ev = decode_event(
        r#"["ChatMessageReactionAdded",{"channelId":"c","message":{"id":"m"},
            "reaction":{"customReactionId":9,"createdBy":"u","customReaction":{"name":"x"}}}]"#,
    )
    .unwrap();
    assert!(
        matches!(ev, GuildedEvent::ChatMessageReactionAdded(ref p) if p.reaction.emoji_id() == Some(9))
    );
    let ev = decode_event(r#"["CHANNEL_SEEN",{"channelId":"c","channel":"c"}]"#).unwrap();
    assert!(matches!(ev, GuildedEvent::ChannelSeen(ref p) if p.channel_id == "c"));
    let ev = decode_event(r#"["TeamMemberAliasUpdated",{"userId":"u","alias":"a","userInfo":7}]"#)
        .unwrap();
    assert!(
        matches!(ev, GuildedEvent::TeamMemberAliasUpdated(ref p) if p.new_nickname() == Some(Some("a")))
    );
}

#[test]
fn malformed_arrays_are_errors() {
    for bad in [
        "",
        "{}",
        "[]",
        "[1,{}]",
        "[\"a\",",
        "42[\"a\"]",
        "null",
        "[null]",
    ] {
        assert!(decode_event(bad).is_err(), "{bad:?}");
    }
    // Extra arguments are tolerated.
    assert!(decode_event(r#"["x",{},3]"#).is_ok());
    // Escaped names decode.
    assert!(
        matches!(decode_event(r#"["Chat\u004dessageDeleted",{}]"#).unwrap(),
        GuildedEvent::Other { ref name, .. } if name == "ChatMessageDeleted")
    );
}

#[test]
fn events_stay_small_enough_to_move_around() {
    // Payloads are boxed so a queue of events does not carry ~700-byte slots.
    assert!(std::mem::size_of::<GuildedEvent>() <= 64);
}

proptest::proptest! {
    #[test]
    fn decode_never_panics_on_any_string(s in "\\PC*") {
        let _ = decode_event(&s);
    }

    #[test]
    fn decode_never_panics_on_event_like_arrays(
        name in proptest::sample::select(EventKind::ALL.iter().map(|k| k.wire_name()).collect::<Vec<_>>()),
        body in "[\\[\\]{}\":,a-zA-Z0-9 ]{0,60}",
    ) {
        let array = format!("[\"{name}\",{body}]");
        if let Ok(GuildedEvent::Other { name: got, .. }) = decode_event(&array) {
            proptest::prop_assert_eq!(got, name);
        }
    }
}

/// Whether `42[name, payload]` stays untyped: kept as unknown, or dropped as malformed (a
/// wrong-typed id).
fn untyped(name: &str, payload: &serde_json::Value) -> bool {
    match decode_event(&serde_json::json!([name, payload]).to_string()) {
        Ok(GuildedEvent::Other { .. }) | Err(_) => true,
        Ok(_) => false,
    }
}

/// Decode `42[name, payload]`'s array text.
fn decode_json(name: &str, payload: &serde_json::Value) -> GuildedEvent {
    decode_event(&serde_json::json!([name, payload]).to_string()).unwrap()
}

#[test]
fn chat_messages_deleted_accepts_ids_or_message_objects() {
    let GuildedEvent::ChatMessagesDeleted(ev) = decode_json(
        "ChatMessagesDeleted",
        &serde_json::json!({"channelId": CHANNEL, "teamId": "t1", "messageIds": ["a", "b", 7]}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.channel_id, CHANNEL);
    // A number is not a message id: dropped from the list, the others kept.
    assert_eq!(ev.message_ids, ["a", "b"]);
    let GuildedEvent::ChatMessagesDeleted(ev) = decode_json(
        "ChatMessagesDeleted",
        &serde_json::json!({"channelId": CHANNEL, "messages": [{"id": "a"}, {"nope": 1}, {"id": "c"}]}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.message_ids, ["a", "c"]);
    // Nothing to delete, or no channel: not actionable.
    for payload in [
        serde_json::json!({"channelId": CHANNEL, "messageIds": []}),
        serde_json::json!({"messageIds": ["a"]}),
        serde_json::json!({"channelId": {"x": 1}, "messageIds": ["a"]}),
    ] {
        assert!(untyped("ChatMessagesDeleted", &payload), "{payload}");
    }
}

#[test]
fn team_messages_deleted_takes_user_id_or_member_id() {
    for payload in [
        serde_json::json!({"teamId": "t1", "userId": "u1"}),
        serde_json::json!({"teamId": "t1", "memberId": "u1"}),
    ] {
        let GuildedEvent::TeamMessagesDeleted(ev) = decode_json("TeamMessagesDeleted", &payload)
        else {
            panic!("wrong variant for {payload}")
        };
        assert_eq!((ev.team_id.as_str(), ev.user_id.as_str()), ("t1", "u1"));
    }
    let ev = decode_json("TeamMessagesDeleted", &serde_json::json!({"teamId": "t1"}));
    assert!(matches!(ev, GuildedEvent::Other { .. }));
}

#[test]
fn channel_refs_read_flat_or_nested() {
    let GuildedEvent::ChatChannelHidden(ev) = decode_json(
        "ChatChannelHidden",
        &serde_json::json!({"channelId": CHANNEL, "teamId": "t1"}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.channel_id, CHANNEL);
    assert_eq!(ev.team_id, Some("t1".into()));
    assert_eq!(ev.channel, None);
    let GuildedEvent::ChatChannelUpdated(ev) = decode_json(
        "ChatChannelUpdated",
        &serde_json::json!({"channel": {"id": CHANNEL, "teamId": "t1", "name": "renamed"}}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.channel_id, CHANNEL);
    assert_eq!(ev.team_id, Some("t1".into()));
    assert_eq!(ev.channel.map(|c| c.name).as_deref(), Some("renamed"));
    let GuildedEvent::TeamChannelArchived(ev) = decode_json(
        "TEAM_CHANNEL_ARCHIVED",
        &serde_json::json!({"teamId": "t1", "channelId": CHANNEL}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.channel_id, CHANNEL);
    let ev = decode_json("TeamChannelRestored", &serde_json::json!({"teamId": "t1"}));
    assert!(matches!(ev, GuildedEvent::Other { .. }));
}

#[test]
fn channels_deleted_merges_both_forms() {
    let GuildedEvent::TeamChannelsDeleted(ev) = decode_json(
        "TeamChannelsDeleted",
        &serde_json::json!({"teamId": "t1", "channelIds": ["c1"], "channels": [{"id": "c2"}]}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.channel_ids, ["c1", "c2"]);
}

#[test]
fn categories_without_an_id_still_name_the_team() {
    let GuildedEvent::TeamChannelCategoryCreated(ev) = decode_json(
        "TeamChannelCategoryCreated",
        &serde_json::json!({"teamId": "t1", "category": {"id": 42, "name": "Games", "priority": 3}}),
    ) else {
        panic!("wrong variant")
    };
    let category = ev.category.unwrap();
    assert_eq!((category.id, category.name.as_str()), (42, "Games"));
    let GuildedEvent::TeamChannelCategoryUpdated(ev) = decode_json(
        "TeamChannelCategoryUpdated",
        &serde_json::json!({"teamId": "t1", "category": {"name": "no id"}}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!((ev.team_id.as_str(), ev.category), ("t1", None));
    let GuildedEvent::TeamChannelCategoryDeleted(ev) = decode_json(
        "TeamChannelCategoryDeleted",
        &serde_json::json!({"teamId": "t1", "categoryId": "42"}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.category_id, Some(42));
}

#[test]
fn team_updated_and_team_wide_changes() {
    let GuildedEvent::TeamUpdated(ev) = decode_json(
        "TeamUpdated",
        &serde_json::json!({"team": {"id": "t1", "name": "New name"}}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.team_id, "t1");
    assert_eq!(ev.team.map(|t| t.name).as_deref(), Some("New name"));
    let GuildedEvent::TeamRolesUpdated(ev) = decode_json(
        "teamRolesUpdated",
        &serde_json::json!({"teamId": "t1", "rolesById": {}}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.team_id, "t1");
    let ev = decode_json(
        "TeamGroupCreated",
        &serde_json::json!({"group": {"id": "g"}}),
    );
    assert!(matches!(ev, GuildedEvent::Other { .. }));
}

/// The decision table of docs/PROTOCOL.md ("Every event: what gilt does"): event name →
/// decision, in table order.
fn decision_table() -> Vec<(String, String)> {
    let doc = include_str!("../../../../docs/PROTOCOL.md");
    let section = doc
        .split("### Every event: what gilt does")
        .nth(1)
        .expect("the decision table section");
    let section = section.split("\n#").next().unwrap_or(section);
    section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let name = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((name.to_owned(), (*cells.get(2)?).to_owned()))
        })
        .collect()
}

#[test]
fn the_decision_table_covers_every_event() {
    let table = decision_table();
    let names: Vec<&str> = table.iter().map(|(n, _)| n.as_str()).collect();
    let all: Vec<&str> = EventKind::ALL.iter().map(|k| k.name()).collect();
    for name in &all {
        let rows = names.iter().filter(|n| *n == name).count();
        assert_eq!(rows, 1, "{name} has {rows} rows in the decision table");
    }
    for name in &names {
        assert!(all.contains(name), "{name} is not a known event");
    }
    for (name, decision) in &table {
        let kind = EventKind::from_wire(name).unwrap();
        let acted = matches!(decision.as_str(), "applied" | "refetch");
        assert!(
            acted || matches!(decision.as_str(), "planned" | "ignored"),
            "{name}: unknown decision {decision:?}"
        );
        // What the docs say gilt acts on is exactly what it decodes into a typed payload.
        assert_eq!(is_typed(kind), acted, "{name} is {decision} in the table");
    }
}

#[test]
fn temporal_channel_created_needs_its_parent_and_team() {
    let GuildedEvent::TemporalChannelCreated(ev) = decode_json(
        "TemporalChannelCreated",
        &serde_json::json!({"teamId": "t1", "silenceNotification": false, "channel": {
            "id": "th1", "name": "side talk", "parentChannelId": CHANNEL,
            "threadMessageId": MESSAGE, "contentType": "chat", "type": "Team"}}),
    ) else {
        panic!("wrong variant")
    };
    assert_eq!(ev.channel.team_id, Some("t1".into()));
    assert_eq!(ev.channel.parent_channel_id, Some(CHANNEL.into()));
    assert_eq!(ev.channel.thread_message_id, Some(MESSAGE.into()));
    for payload in [
        serde_json::json!({"teamId": "t1", "channel": {"id": "th1", "name": "x"}}),
        serde_json::json!({"channel": {"id": "th1", "parentChannelId": CHANNEL}}),
        serde_json::json!({"teamId": "t1", "channel": {"id": 5, "parentChannelId": ["x"]}}),
    ] {
        assert!(untyped("TemporalChannelCreated", &payload), "{payload}");
    }
}
