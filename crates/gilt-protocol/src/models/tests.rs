//! Fixture tests for the REST models: every `docs-*` and synthesized REST fixture parses into
//! the right model with its key fields.
use crate::test_support::fixture;

use super::*;
use crate::MessageId;

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

#[test]
fn user_fixture() {
    let user: User = serde_json::from_str(&fixture("docs-user.json")).unwrap();
    assert_eq!(user.id, "EdVMVKR4");
    assert_eq!(user.name, "shay");
    assert_eq!(user.kind.as_deref(), Some("user"));
    assert_eq!(user.subdomain.as_deref(), Some("shayy"));
    assert_eq!(user.email, None);
    assert_eq!(user.created_at, Some(ts("2020-07-27T14:07:28.336Z")));
    assert_eq!(user.user_presence_status, Some(PresenceStatus::Online));
    let status = user.user_status.unwrap();
    assert_eq!(status.custom_reaction_id, Some(294_765));
    assert_eq!(status.custom_reaction.unwrap().name, "ablobwobwork");
    assert_eq!(
        user.about_info.unwrap().tag_line.as_deref(),
        Some("computer user")
    );
}

#[test]
fn user_status_fixture() {
    let status: UserStatus = serde_json::from_str(&fixture("docs-user-status.json")).unwrap();
    assert_eq!(status.custom_reaction_id, Some(294_765));
    assert!(status.content.is_some());
}

#[test]
fn team_fixture() {
    let team: Team = serde_json::from_str(&fixture("docs-team.json")).unwrap();
    assert_eq!(team.id, "4R5q39VR");
    assert_eq!(team.name, "Guilded-API");
    assert_eq!(team.owner_id, Some("EdVMVKR4".into()));
    assert_eq!(team.member_count, Some(1958));
    assert_eq!(team.kind.as_deref(), Some("community"));
    assert!(team.is_public);
    assert_eq!(team.roles_by_id["baseRole"].name, "Member");
    assert_eq!(team.roles_by_id["26302427"].id, 26_302_427);
    assert_eq!(team.members.len(), 1);
    assert_eq!(team.members[0].membership_role.as_deref(), Some("admin"));
    assert_eq!(team.members[0].role_ids.len(), 5);
}

#[test]
fn team_channel_fixture() {
    let ch: Channel = serde_json::from_str(&fixture("docs-team-chat-channel.json")).unwrap();
    assert_eq!(ch.id, "d2242862-401c-42f8-9ce2-0c75977475a6");
    assert_eq!(ch.channel_id, Some(ch.id.clone()));
    assert_eq!(ch.kind, "Team");
    assert_eq!(ch.name, "general");
    assert_eq!(ch.description.as_deref(), Some("wacky hi-jinks ensue!"));
    assert_eq!(ch.team_id, Some("4R5q39VR".into()));
    assert_eq!(ch.group_id.as_deref(), Some("WD56qLmd"));
    assert_eq!(ch.channel_category_id, None);
    assert_eq!(ch.priority, Some(4));
    assert!(ch.is_messageable());
    assert_eq!(ch.created_at, Some(ts("2020-07-31T18:51:19.563Z")));
}

#[test]
fn dm_channel_fixture() {
    let dm: DmChannel = serde_json::from_str(&fixture("docs-dm-channel.json")).unwrap();
    assert_eq!(dm.id, "f695a133-3812-4db4-b733-64a1efdf8fd2");
    assert_eq!(dm.kind, "DM");
    assert_eq!(dm.name, None);
    assert_eq!(dm.dm_type.as_deref(), Some("Default"));
    assert_eq!(dm.dm_type_upper.as_deref(), Some("Default"));
    assert_eq!(dm.users.len(), 2);
    assert!(dm.users[0].is_owner);
    // `+00:00` with microseconds parses.
    assert_eq!(
        dm.users[0].added_at,
        Some(ts("2021-03-18T19:46:18.536991Z"))
    );
    // presence as a string.
    assert_eq!(dm.users[1].user_presence_status, Some(PresenceStatus::Idle));
    assert_eq!(dm.title(&"EdVMVKR4".into()), "GAPI Testing Account");
    let last = dm.last_message.unwrap();
    assert_eq!(last.id, "a70946a5-5053-44b0-8573-fd652052426e");
    assert_eq!(last.created_by, "EdVMVKR4");
    assert_eq!(last.created_at, ts("2021-03-18T19:46:25.697Z"));
    assert_eq!(last.channel_id, "");
}

#[test]
fn message_fixture() {
    let msg: Message = serde_json::from_str(&fixture("docs-message.json")).unwrap();
    assert_eq!(msg.id, "b943384a-d951-4323-8e26-8e3e6b7c431a");
    assert!(msg.reactions.is_empty());
    assert!(!msg.is_system());
}

#[test]
fn team_member_fixtures() {
    let m: TeamMember = serde_json::from_str(&fixture("docs-team-member.json")).unwrap();
    assert_eq!(m.id, "EdVMVKR4");
    assert_eq!(m.display_name(), "shay");
    assert_eq!(m.membership_role.as_deref(), Some("admin"));
    assert_eq!(
        m.role_ids,
        vec![23_138_883, 23_138_891, 23_138_936, 23_139_118, 23_281_097]
    );
    assert_eq!(m.team_xp, Some(0));
    assert_eq!(m.join_date, Some(ts("2020-07-31T18:10:35.302Z")));

    let detail: MembersDetailResponse =
        serde_json::from_str(&fixture("docs-team-members-detail-response.json")).unwrap();
    assert_eq!(detail["EdVMVKR4"].team_xp, Some(117));
    assert_eq!(detail["EdVMVKR4"].nickname, None);
}

#[test]
fn custom_emoji_fixture() {
    let e: CustomReaction = serde_json::from_str(&fixture("docs-custom-emoji.json")).unwrap();
    assert_eq!(e.id, 239_839);
    assert_eq!(e.name, "beepboop");
    assert_eq!(e.team_id, Some("NRgqXnPE".into()));
}

#[test]
fn error_fixture() {
    let e: ApiErrorBody = serde_json::from_str(&fixture("docs-error.json")).unwrap();
    assert_eq!(e.code, "YouDidBadError");
    assert!(e.message.starts_with("you did bad"));
}

#[test]
fn reaction_response_fixtures_are_json() {
    // Bodies of add/remove reaction: opaque arrays; nothing to model but they must parse.
    let add: serde_json::Value =
        serde_json::from_str(&fixture("docs-add-reaction-response.json")).unwrap();
    assert_eq!(add.as_array().map(Vec::len), Some(3));
    let del: serde_json::Value =
        serde_json::from_str(&fixture("docs-delete-reaction-response.json")).unwrap();
    assert_eq!(del.as_array().map(Vec::len), Some(2));
}

#[test]
fn send_message_request_fixtures() {
    let full: SendMessageRequest =
        serde_json::from_str(&fixture("docs-send-message-request.json")).unwrap();
    assert_eq!(full.message_id, "b943384a-d951-4323-8e26-8e3e6b7c431a");
    assert_eq!(full.replies_to_ids.len(), 2);
    assert!(full.is_private);
    assert!(!full.is_silent);

    let min: SendMessageRequest =
        serde_json::from_str(&fixture("synthesized/send-message-request-minimal.json")).unwrap();
    assert_eq!(min.message_id, "6a1f2d3c-4b5e-4f60-8a71-92b3c4d5e6f7");
    assert!(min.replies_to_ids.is_empty());
    // Written back: repliesToIds omitted when empty; booleans present.
    let out = serde_json::to_value(&min).unwrap();
    assert_eq!(out["messageId"], "6a1f2d3c-4b5e-4f60-8a71-92b3c4d5e6f7");
    assert!(out.get("repliesToIds").is_none());
    assert_eq!(out["content"]["object"], "value");
}

#[test]
fn login_and_seen_requests() {
    let login: LoginRequest =
        serde_json::from_str(&fixture("synthesized/login-request.json")).unwrap();
    assert_eq!(login.email, "user@example.com");
    assert_eq!(login.password, "hunter2");
    assert!(login.get_me);
    let seen: SeenRequest =
        serde_json::from_str(&fixture("synthesized/channel-seen-request.json")).unwrap();
    assert!(!seen.clear_all_badges);
    assert_eq!(
        serde_json::to_string(&seen).unwrap(),
        r#"{"clearAllBadges":false}"#
    );
}

#[test]
fn me_fixture() {
    let me: Me = serde_json::from_str(&fixture("synthesized/me-response.json")).unwrap();
    assert_eq!(me.user.id, "EdVMVKR4");
    assert_eq!(me.user.email.as_deref(), Some("user@example.com"));
    assert_eq!(me.user.join_date, Some(ts("2020-07-27T14:07:28.336Z")));
    assert_eq!(me.teams.len(), 1);
    assert_eq!(me.teams[0].id, "4R5q39VR");
    assert_eq!(me.teams[0].member_count, Some(2));
    assert!(me.teams[0].is_admin);
    assert_eq!(me.teams[0].role_ids, vec![23_138_884]);
}

#[test]
fn channel_messages_fixture() {
    let r: ChannelMessagesResponse =
        serde_json::from_str(&fixture("synthesized/channel-messages-response.json")).unwrap();
    assert!(!r.has_past_messages);
    let m = &r.messages[0];
    assert_eq!(m.id, "6a1f2d3c-4b5e-4f60-8a71-92b3c4d5e6f7");
    assert_eq!(m.channel_id, "d2242862-401c-42f8-9ce2-0c75977475a6");
    assert_eq!(m.created_by, "EdVMVKR4");
    assert_eq!(m.created_at, ts("2021-10-15T23:58:44.537Z"));
    assert_eq!(m.edited_at, None);
    assert_eq!(m.kind, "default");
    assert_eq!(m.reactions.len(), 1);
    let r0 = &m.reactions[0];
    assert_eq!(r0.custom_reaction_id, 90_001_815);
    assert_eq!(r0.count(), 1);
    assert_eq!(r0.users[0].id, "2d2Wg8Pm");
    assert_eq!(r0.custom_reaction.as_ref().unwrap().name, "tada");
}

#[test]
fn team_channels_fixture() {
    let r: TeamChannelsResponse =
        serde_json::from_str(&fixture("synthesized/team-channels-response.json")).unwrap();
    assert_eq!(r.channels.len(), 2);
    assert_eq!(r.channels[0].channel_category_id, Some(1_234_567));
    assert!(r.channels[0].is_messageable());
    assert_eq!(r.channels[1].content_type, "voice");
    assert_eq!(r.categories.len(), 1);
    assert_eq!(r.categories[0].id, 1_234_567);
    assert_eq!(r.categories[0].name, "Text channels");
    assert!(r.temporal_channels.is_empty());
}

#[test]
fn send_message_response_fixture() {
    let r: SendMessageResponse =
        serde_json::from_str(&fixture("synthesized/send-message-response.json")).unwrap();
    assert_eq!(r.message.id, "6a1f2d3c-4b5e-4f60-8a71-92b3c4d5e6f7");
    assert_eq!(r.message.created_at, ts("2021-10-15T23:58:44.537Z"));
    assert_eq!(r.slowmode, Some(Slowmode::default()));
}

#[test]
fn timestamps_format_with_exactly_three_digits() {
    assert_eq!(
        format_timestamp(ts("2021-10-15T23:58:44.537Z")),
        "2021-10-15T23:58:44.537Z"
    );
    assert_eq!(
        format_timestamp(ts("2021-10-16T00:05:00Z")),
        "2021-10-16T00:05:00.000Z"
    );
    assert_eq!(
        format_timestamp(ts("2021-03-18T19:46:18.536991+00:00")),
        "2021-03-18T19:46:18.536Z"
    );
    assert_eq!(
        format_timestamp(ts("2021-03-18T21:46:18.9999+02:00")),
        "2021-03-18T19:46:18.999Z"
    );
    assert_eq!(parse_timestamp("not a time"), None);
}

#[test]
fn tolerant_of_odd_types_and_missing_fields() {
    let m: Message = serde_json::from_str(
        r#"{"id":"m1","isPinned":"yes","editedAt":12,"repliesToIds":null,
            "reactions":null,"createdAt":"garbage","unknown":{"deep":[1,2]}}"#,
    )
    .unwrap();
    assert_eq!(m.id, "m1");
    assert!(!m.is_pinned);
    assert_eq!(m.edited_at, None);
    assert_eq!(m.created_at, Timestamp::UNIX_EPOCH);
    let c: Category = serde_json::from_str(r#"{"id":"42","name":"x"}"#).unwrap();
    assert_eq!(c.id, 42);
    assert!(serde_json::from_str::<Category>(r#"{"id":{},"name":"x"}"#).is_err());
    let member: TeamMember =
        serde_json::from_str(r#"{"id":"u","name":"n","nickname":"nick"}"#).unwrap();
    assert_eq!(member.display_name(), "nick");
}

#[test]
fn ids_of_the_wrong_type_are_dropped() {
    // Guilded's ids are strings: a number is not read as some other id.
    assert!(serde_json::from_str::<Message>(r#"{"id":17,"channelId":"c"}"#).is_err());
    assert!(serde_json::from_str::<Message>(r#"{"id":"m","channelId":2.5}"#).is_err());
    let m: Message = serde_json::from_str(
        r#"{"id":"m","channelId":"c","createdBy":"u","repliesToIds":[3,"m4",{}],
            "repliesTo":null,"pinnedBy":""}"#,
    )
    .unwrap();
    assert_eq!(
        m.replies_to_ids,
        vec!["m4"],
        "non-string entries are dropped"
    );
    assert_eq!(m.reply_ids(), vec![&MessageId::from("m4")]);
    assert_eq!(m.pinned_by, None, "an empty optional id is absent");
    // In a list, only the entry with the bad id is lost.
    let page: ChannelMessagesResponse = serde_json::from_str(
        r#"{"messages":[{"id":5,"channelId":"c"},{"id":"m","channelId":"c"}]}"#,
    )
    .unwrap();
    assert_eq!(page.messages.len(), 1);
    assert_eq!(page.messages[0].id, "m");
    let detail: MembersDetailResponse =
        serde_json::from_str(r#"{"u1":{"id":"u1","name":"n"}}"#).unwrap();
    assert_eq!(detail["u1"].name, "n", "keyed by UserId, looked up by &str");
}

#[test]
fn nested_objects_of_odd_types_are_absent_not_fatal() {
    // A wrong-typed nested object must not lose the object around it (a DM user, a member,
    // the whole `/me` body).
    let me: Me = serde_json::from_str(
        r#"{"user":{"id":"u","name":"n","userStatus":"busy","aboutInfo":[1]},
            "teams":[],"customReactions":[]}"#,
    )
    .unwrap();
    assert_eq!(me.user.id, "u");
    assert_eq!(me.user.user_status, None);
    assert_eq!(me.user.about_info, None);
    let member: TeamMember =
        serde_json::from_str(r#"{"id":"u","name":"n","userStatus":false}"#).unwrap();
    assert_eq!(member.user_status, None);
    // A custom emoji without its id is dropped, not the status or reaction holding it.
    let user: User = serde_json::from_str(
        r#"{"id":"u","userStatus":{"customReactionId":3,"customReaction":{"name":"x"}}}"#,
    )
    .unwrap();
    let status = user.user_status.unwrap();
    assert_eq!(
        (status.custom_reaction_id, status.custom_reaction),
        (Some(3), None)
    );
    let m: Message = serde_json::from_str(
        r#"{"id":"m","reactions":[{"customReactionId":9,"customReaction":{}}]}"#,
    )
    .unwrap();
    assert_eq!(m.reactions.len(), 1);
    let dms: DmChannelsResponse = serde_json::from_str(
        r#"{"channels":[{"id":"c","lastMessage":"hi","users":[{"id":"u","userStatus":1}]}]}"#,
    )
    .unwrap();
    assert_eq!(dms.channels[0].last_message, None);
    assert_eq!(dms.channels[0].users.len(), 1);
    let sent: SendMessageResponse =
        serde_json::from_str(r#"{"message":{"id":"m"},"slowmode":true}"#).unwrap();
    assert_eq!(sent.slowmode, None);
    let open: OpenDmResponse =
        serde_json::from_str(r#"{"channel":"c","channels":[{"id":"c2"}]}"#).unwrap();
    assert_eq!(open.into_channel().map(|c| c.id), Some("c2".into()));
}

#[test]
fn unread_maps_are_read_tolerantly() {
    let r: DmChannelsResponse = serde_json::from_str(
        r#"{"channels":[],"unreadInfoByChannelId":{
            "a":{"unreadMessageCount":3,"mentionCount":1},
            "b":{"count":"2","hasMention":true},
            "c":{"isMentioned":true},
            "d":5, "e":true, "f":{"unreadCount":{}}, "g":null}}"#,
    )
    .unwrap();
    let map = r.unread_info_by_channel_id.unwrap();
    let badge = |id: &str| (map[id].count, map[id].mentions);
    assert_eq!(badge("a"), (3, 1));
    assert_eq!(badge("b"), (2, 1));
    assert_eq!(
        badge("c"),
        (1, 1),
        "a mention is at least one unread message"
    );
    assert_eq!(badge("d"), (5, 0));
    assert_eq!(badge("e"), (1, 0));
    assert_eq!(badge("f"), (0, 0));
    assert_eq!(badge("g"), (0, 0));
    // Absent or not a map: None (the client falls back to its read markers).
    let r: TeamChannelsResponse = serde_json::from_str(r#"{"channels":[]}"#).unwrap();
    assert_eq!(r.badged_channel_content_by_channel_id, None);
    let r: TeamChannelsResponse =
        serde_json::from_str(r#"{"badgedChannelContentByChannelId":[1]}"#).unwrap();
    assert_eq!(r.badged_channel_content_by_channel_id, None);
    let r: TeamChannelsResponse =
        serde_json::from_str(r#"{"badgedChannelContentByChannelId":{}}"#).unwrap();
    assert_eq!(
        r.badged_channel_content_by_channel_id,
        Some(std::collections::BTreeMap::default())
    );
}
