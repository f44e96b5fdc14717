//! Gateway event payloads the server emits (docs/PROTOCOL.md): every payload repeats its
//! name in `type`, channel events carry the channel envelope and the `guildedClientId` of
//! the session that caused them. Pure builders; routing is the hub's job.

use serde_json::{Map, Value, json};

use super::shapes::{self, iso};
use super::store::{Category, Channel, ChannelScope, Member, Message, Store, Team, User};

/// An event to route: its wire name and payload object.
pub struct Event {
    pub name: &'static str,
    pub payload: Value,
}

fn event(name: &'static str, fields: Map<String, Value>) -> Event {
    let mut payload = Map::new();
    payload.insert("type".into(), json!(name));
    payload.extend(fields);
    Event {
        name,
        payload: Value::Object(payload),
    }
}

/// `channelId, channelCategoryId, channelType, teamId, contentType, guildedClientId`.
fn envelope(channel: &Channel, client_id: Option<&str>) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(id) = client_id {
        m.insert("guildedClientId".into(), json!(id));
    }
    m.insert("channelId".into(), json!(channel.id));
    match &channel.scope {
        ChannelScope::Team {
            team_id, category, ..
        } => {
            m.insert("channelCategoryId".into(), json!(category));
            m.insert("channelType".into(), json!("Team"));
            m.insert("teamId".into(), json!(team_id));
        }
        ChannelScope::Dm { .. } => {
            m.insert("channelType".into(), json!("DM"));
        }
    }
    m.insert("contentType".into(), json!(channel.content_type));
    m
}

fn message_body(m: &Message) -> Value {
    json!({
        "id": m.id,
        "content": m.content,
        "type": "default",
        "createdBy": m.author,
        "createdAt": iso(m.created_at),
        "editedAt": m.edited_at.map(iso),
        "repliesToIds": m.replies_to,
        "repliesTo": m.replies_to.first(),
        "isSilent": m.is_silent,
        "isPrivate": m.is_private,
    })
}

pub fn message_created(
    store: &Store,
    channel: &Channel,
    m: &Message,
    client_id: Option<&str>,
) -> Event {
    let mut f = envelope(channel, client_id);
    let replied: Vec<Value> = m
        .replies_to
        .iter()
        .filter_map(|id| store.message(&channel.id, id))
        .map(message_body)
        .collect();
    f.insert("message".into(), message_body(m));
    f.insert("repliedToMessages".into(), Value::Array(replied));
    f.insert("createdAt".into(), json!(iso(m.created_at)));
    f.insert("createdBy".into(), json!(m.author));
    f.insert("contentId".into(), json!(m.id));
    f.insert("silenceNotification".into(), json!(m.is_silent));
    event("ChatMessageCreated", f)
}

pub fn message_updated(channel: &Channel, m: &Message, client_id: Option<&str>) -> Event {
    let mut f = envelope(channel, client_id);
    f.insert("updatedBy".into(), json!(m.author));
    f.insert("contentId".into(), json!(m.id));
    f.insert("message".into(), message_body(m));
    f.insert("silenceNotification".into(), json!(false));
    event("ChatMessageUpdated", f)
}

pub fn message_deleted(
    store: &Store,
    channel: &Channel,
    m: &Message,
    client_id: Option<&str>,
    now: jiff::Timestamp,
) -> Event {
    let mut f = envelope(channel, client_id);
    f.insert(
        "message".into(),
        json!({"id": m.id, "deletedAt": iso(now), "createdAt": iso(m.created_at)}),
    );
    let last = store
        .channel_messages(&channel.id)
        .last()
        .map(|l| json!({"id": l.id, "channelId": channel.id, "createdAt": iso(l.created_at)}));
    f.insert("newLastMessage".into(), last.unwrap_or(Value::Null));
    event("ChatMessageDeleted", f)
}

pub fn typing(channel_id: &str, user_id: &str) -> Event {
    let mut f = Map::new();
    f.insert("channelId".into(), json!(channel_id));
    f.insert("userId".into(), json!(user_id));
    event("ChatChannelTyping", f)
}

pub fn reaction(
    store: &Store,
    channel: &Channel,
    message_id: &str,
    emoji: i64,
    user: &str,
    added: bool,
    client_id: Option<&str>,
) -> Event {
    let mut f = envelope(channel, client_id);
    let mut r = json!({"customReactionId": emoji, "createdBy": user});
    if added && let Some(obj) = r.as_object_mut() {
        obj.insert(
            "customReaction".into(),
            shapes::custom_reaction(store, emoji),
        );
    }
    f.insert("reaction".into(), r);
    f.insert("message".into(), json!({"id": message_id}));
    f.insert("silenceNotification".into(), json!(false));
    event(
        if added {
            "ChatMessageReactionAdded"
        } else {
            "ChatMessageReactionDeleted"
        },
        f,
    )
}

pub fn pin(
    channel: &Channel,
    message_id: &str,
    user: &str,
    pinned: bool,
    client_id: Option<&str>,
) -> Event {
    let mut f = envelope(channel, client_id);
    f.insert("updatedBy".into(), json!(user));
    f.insert("message".into(), json!({"id": message_id}));
    if pinned {
        f.insert("userId".into(), json!(user));
    }
    event(
        if pinned {
            "ChatPinnedMessageCreated"
        } else {
            "ChatPinnedMessageDeleted"
        },
        f,
    )
}

pub fn channel_seen(channel: &Channel, clear_all_badges: bool, client_id: Option<&str>) -> Event {
    let mut f = Map::new();
    f.insert("channelId".into(), json!(channel.id));
    if let Some(t) = channel.team_id() {
        f.insert("teamId".into(), json!(t));
    }
    f.insert("clearAllBadges".into(), json!(clear_all_badges));
    f.insert("contentType".into(), json!(channel.content_type));
    if let Some(id) = client_id {
        f.insert("guildedClientId".into(), json!(id));
    }
    event("CHANNEL_SEEN", f)
}

pub fn member_joined(team: &Team, member: &Member, user: &User) -> Event {
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team.id));
    f.insert("user".into(), shapes::member(member, user));
    event("TeamMemberJoined", f)
}

pub fn member_removed(team_id: &str, user_id: &str) -> Event {
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team_id));
    f.insert("userId".into(), json!(user_id));
    event("TeamMemberRemoved", f)
}

pub fn member_updated(team_id: &str, user_id: &str, user_info: Value) -> Event {
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team_id));
    f.insert("userId".into(), json!(user_id));
    f.insert("userInfo".into(), user_info);
    event("TeamMemberUpdated", f)
}

pub fn channel_created(team: &Team, channel: &Channel) -> Event {
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team.id));
    f.insert("name".into(), json!(channel.name));
    f.insert("channel".into(), shapes::team_channel(channel, team));
    event("TeamChannelCreated", f)
}

pub fn channel_updated(team: &Team, channel: &Channel) -> Event {
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team.id));
    f.insert("channelId".into(), json!(channel.id));
    f.insert("channel".into(), shapes::team_channel(channel, team));
    event("TeamChannelUpdated", f)
}

pub fn channel_deleted(team_id: &str, channel_id: &str) -> Event {
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team_id));
    f.insert("channelId".into(), json!(channel_id));
    event("TeamChannelDeleted", f)
}

pub fn messages_deleted(channel: &Channel, ids: &[String]) -> Event {
    let mut f = Map::new();
    f.insert("channelId".into(), json!(channel.id));
    if let Some(t) = channel.team_id() {
        f.insert("teamId".into(), json!(t));
    }
    f.insert("messageIds".into(), json!(ids));
    event("ChatMessagesDeleted", f)
}

pub fn team_messages_deleted(team_id: &str, user_id: &str) -> Event {
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team_id));
    f.insert("userId".into(), json!(user_id));
    event("TeamMessagesDeleted", f)
}

/// `TeamChannelArchived` / `TeamChannelRestored`: `{teamId, channelId}`.
pub fn channel_archived(team_id: &str, channel_id: &str, archived: bool) -> Event {
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team_id));
    f.insert("channelId".into(), json!(channel_id));
    event(
        if archived {
            "TeamChannelArchived"
        } else {
            "TeamChannelRestored"
        },
        f,
    )
}

pub fn channels_deleted(team_id: &str, channel_ids: &[String]) -> Event {
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team_id));
    f.insert("channelIds".into(), json!(channel_ids));
    event("TeamChannelsDeleted", f)
}

/// `TeamChannelCategoryCreated` / `…Updated`: `{teamId, category}`.
pub fn category_changed(team: &Team, category: &Category, created: bool) -> Event {
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team.id));
    f.insert("category".into(), shapes::category(category, team));
    event(
        if created {
            "TeamChannelCategoryCreated"
        } else {
            "TeamChannelCategoryUpdated"
        },
        f,
    )
}

pub fn category_deleted(team_id: &str, category_id: i64) -> Event {
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team_id));
    f.insert("categoryId".into(), json!(category_id));
    event("TeamChannelCategoryDeleted", f)
}

/// `TeamUpdated`: `{teamId, team}` with the fields that changed.
pub fn team_updated(team: &Team) -> Event {
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team.id));
    f.insert("team".into(), json!({"id": team.id, "name": team.name}));
    event("TeamUpdated", f)
}

/// `TemporalChannelCreated`: `{teamId, channel, silenceNotification}`.
pub fn thread_created(team: &Team, thread: &Channel) -> Event {
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team.id));
    f.insert("channel".into(), shapes::team_channel(thread, team));
    f.insert("silenceNotification".into(), json!(false));
    event("TemporalChannelCreated", f)
}

/// `DMChatChannelCreated`: `{channelId, channelType: "DM", channel}`.
pub fn dm_created(store: &Store, dm: &Channel) -> Event {
    let mut f = Map::new();
    f.insert("channelId".into(), json!(dm.id));
    f.insert("channelType".into(), json!("DM"));
    f.insert("channel".into(), shapes::dm_channel(store, dm));
    event("DMChatChannelCreated", f)
}

/// `UserPresenceReceived` (the server saw the user come and go) or
/// `USER_PRESENCE_MANUALLY_SET` (the user chose it): `{userId, status}`, 1 online, 2 idle,
/// 3 do not disturb, 4 offline (invisible reads as offline to others).
pub fn presence(user_id: &str, status: u8, manual: bool) -> Event {
    let mut f = Map::new();
    f.insert("userId".into(), json!(user_id));
    f.insert("status".into(), json!(status));
    let name = if manual {
        "USER_PRESENCE_MANUALLY_SET"
    } else {
        "UserPresenceReceived"
    };
    event(name, f)
}

/// `TeamChannelContentCreated` / `TeamChannelContentReplyCreated` for a non-chat channel's
/// item (a forum thread, doc, calendar event, media, list item): `{teamId, channelId,
/// contentType, contentId, createdBy, createdAt, <item>: {id, title, channelId, teamId,
/// createdBy, createdAt}}`, the item under `thread`, `doc`, `event`, `media`, `listItem` or
/// `content` as the channel's kind suggests (see docs/PROTOCOL.md; inferred shapes).
pub fn content_activity(
    channel: &Channel,
    team_id: &str,
    item_id: u64,
    title: &str,
    user_id: &str,
    reply: bool,
) -> Event {
    let at = iso(jiff::Timestamp::now());
    let item = json!({
        "id": item_id, "title": title, "channelId": channel.id, "teamId": team_id,
        "createdBy": user_id, "createdAt": at,
    });
    let key = match channel.content_type.as_str() {
        "forum" => "thread",
        "doc" => "doc",
        "event" => "event",
        "media" => "media",
        "list" => "listItem",
        _ => "content",
    };
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team_id));
    f.insert("channelId".into(), json!(channel.id));
    f.insert("contentType".into(), json!(channel.content_type));
    f.insert("contentId".into(), json!(item_id));
    f.insert("createdBy".into(), json!(user_id));
    f.insert("createdAt".into(), json!(at));
    f.insert(key.into(), item);
    let name = if reply {
        "TeamChannelContentReplyCreated"
    } else {
        "TeamChannelContentCreated"
    };
    event(name, f)
}

/// `TeamChannelVoiceParticipantAdded` / `…Removed` (a stream channel's are
/// `TeamChannelStreamAdded` / `…Removed`): `{teamId, channelId, userId, user: {id}}`.
pub fn voice_participant(team_id: &str, channel: &Channel, user_id: &str, joined: bool) -> Event {
    let mut f = Map::new();
    f.insert("teamId".into(), json!(team_id));
    f.insert("channelId".into(), json!(channel.id));
    f.insert("userId".into(), json!(user_id));
    f.insert("user".into(), json!({ "id": user_id }));
    let stream = channel.content_type == "stream";
    let name = match (stream, joined) {
        (false, true) => "TeamChannelVoiceParticipantAdded",
        (false, false) => "TeamChannelVoiceParticipantRemoved",
        (true, true) => "TeamChannelStreamAdded",
        (true, false) => "TeamChannelStreamRemoved",
    };
    event(name, f)
}
