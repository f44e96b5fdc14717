//! JSON shapes of the objects the server sends (docs/PROTOCOL.md), written from the protocol
//! notes rather than from the client's models so that a mistake on one side shows up as a
//! disagreement in the tests. Pure functions of the store's data.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::store::{Category, Channel, ChannelScope, Member, Message, Reaction, Store, Team, User};
use super::world::EmojiDef;

/// ISO-8601 UTC with milliseconds and `Z` (`2021-10-15T23:58:44.537Z`).
pub fn iso(ts: Timestamp) -> String {
    format!("{ts:.3}")
}

/// Parse a `beforeDate`/`afterDate` value; only the exact form Guilded accepts
/// (`YYYY-MM-DDTHH:MM:SS.mmmZ`) passes, as microseconds and offsets were rejected there.
pub fn parse_iso_millis(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 24
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            23 => *c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    s.parse().ok()
}

fn avatar(id: &str) -> String {
    format!("https://img.guildedcdn.com/UserAvatar/{id}-Large.png")
}

pub fn user(u: &User, email: Option<&str>) -> Value {
    let mut v = json!({
        "id": u.id,
        "name": u.name,
        "type": if u.bot { "bot" } else { "user" },
        "subdomain": u.name.to_lowercase(),
        "profilePicture": avatar(&u.id),
        "profileBannerBlur": null,
        "joinDate": iso(u.created_at),
        "createdAt": iso(u.created_at),
        "lastOnline": iso(Timestamp::now()),
        "userStatus": {"content": null, "customReactionId": null},
        "userPresenceStatus": u.presence,
        "userTransientStatus": null,
        "aboutInfo": {"tagLine": u.tag_line},
        "moderationStatus": null,
        "aliases": [],
        "stonks": 0,
    });
    if let (Some(email), Some(obj)) = (email, v.as_object_mut()) {
        obj.insert("email".into(), json!(email));
    }
    v
}

/// A full team member object: the user, their membership and their profile.
pub fn member(m: &Member, u: &User) -> Value {
    json!({
        "id": u.id,
        "name": u.name,
        "nickname": m.nickname,
        "badges": null,
        "joinDate": iso(m.joined_at),
        "membershipRole": m.role,
        "lastOnline": iso(Timestamp::now()),
        "profilePicture": avatar(&u.id),
        "profileBannerBlur": null,
        "userStatus": {"content": null, "customReactionId": null},
        "userPresenceStatus": u.presence,
        "userTransientStatus": null,
        "roleIds": [],
        "subscriptionType": null,
        "socialLinks": [],
        "aliases": [],
        "teamXp": 0,
        "type": if u.bot { "bot" } else { "user" },
    })
}

pub fn members(store: &Store, team: &Team) -> Vec<Value> {
    team.members
        .iter()
        .filter_map(|m| store.user(&m.user_id).map(|u| member(m, u)))
        .collect()
}

/// A team as `/me` lists it and `/teams/{id}` returns it, with the viewer's own fields.
pub fn team(store: &Store, t: &Team, viewer: &str, with_members: bool) -> Value {
    let role = t
        .members
        .iter()
        .find(|m| m.user_id == viewer)
        .map_or("formerMember", |m| m.role.as_str());
    let mut v = json!({
        "id": t.id,
        "name": t.name,
        "subdomain": t.subdomain,
        "profilePicture": null,
        "teamDashImage": null,
        "ownerId": t.owner_id,
        "createdAt": iso(t.created_at),
        "type": "community",
        "visibility": "open",
        "timezone": null,
        "description": t.description,
        "games": [],
        "memberCount": t.members.len().to_string(),
        "measurements": {"numMembers": t.members.len()},
        "baseGroup": {"id": t.base_group_id, "name": "Server home", "teamId": t.id, "isBase": true},
        "rolesById": {},
        "isPublic": true,
        "isRecruiting": false,
        "isVerified": false,
        "isPro": false,
        "membershipRole": role,
        "roleIds": [],
        "isAdmin": role == "admin",
        "isFavorite": false,
        "canInviteMembers": role == "admin",
        "canUpdateTeam": role == "admin",
        "notificationPreference": "all",
    });
    if with_members && let Some(obj) = v.as_object_mut() {
        obj.insert("members".into(), Value::Array(members(store, t)));
    }
    v
}

pub fn team_channel(c: &Channel, t: &Team) -> Value {
    let (category, priority) = match &c.scope {
        ChannelScope::Team {
            category, priority, ..
        } => (*category, *priority),
        ChannelScope::Dm { .. } => (None, 0),
    };
    json!({
        "id": c.id,
        "channelId": c.id,
        "type": "Team",
        "name": c.name,
        "description": c.description,
        "priority": priority,
        "contentType": c.content_type,
        "teamId": t.id,
        "groupId": t.base_group_id,
        "channelCategoryId": category,
        "createdAt": iso(c.created_at),
        "createdBy": c.created_by,
        "updatedAt": iso(c.created_at),
        "archivedAt": null,
        "parentChannelId": c.thread.as_ref().map(|t| &t.parent),
        "threadMessageId": c.thread.as_ref().and_then(|t| t.message.as_ref()),
        "autoArchiveAt": null,
        "deletedAt": null,
        "archivedBy": null,
        "createdByWebhookId": null,
        "archivedByWebhookId": null,
        "addedAt": null,
        "isRoleSynced": null,
        "roles": null,
        "userPermissions": null,
        "tournamentRoles": null,
        "isPublic": true,
        "settings": null,
        "rolesById": {},
        "tournamentRolesById": {},
        "voiceParticipants": t.voice.get(&c.id).map_or_else(Vec::new, |users| {
            users.iter().map(|u| json!({"id": u})).collect::<Vec<_>>()
        }),
    })
}

pub fn category(c: &Category, t: &Team) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "priority": c.priority,
        "roles": null,
        "rolesById": {},
        "teamId": t.id,
        "createdAt": iso(t.created_at),
        "updatedAt": null,
        "groupId": t.base_group_id,
        "channelCategoryId": null,
        "userPermissions": null,
    })
}

pub fn dm_channel(store: &Store, c: &Channel) -> Value {
    let (users, owner) = match &c.scope {
        ChannelScope::Dm { users, owner } => (users.as_slice(), owner.as_str()),
        ChannelScope::Team { .. } => (&[][..], ""),
    };
    let users: Vec<Value> = users
        .iter()
        .filter_map(|id| store.user(id))
        .map(|u| {
            json!({
                "id": u.id,
                "name": u.name,
                "nickname": null,
                "badges": null,
                "addedAt": iso(c.created_at),
                "isOwner": u.id == owner,
                "channelId": c.id,
                "removedAt": null,
                "profilePicture": avatar(&u.id),
                "profileBannerBlur": null,
                "userStatus": {"content": null, "customReactionId": null},
                "userPresenceStatus": u.presence,
                "subdomain": u.name.to_lowercase(),
                "stonks": 0,
            })
        })
        .collect();
    let last = store.channel_messages(&c.id).last().map(|m| {
        json!({"id": m.id, "channelId": c.id, "createdAt": iso(m.created_at), "createdBy": m.author})
    });
    json!({
        "id": c.id,
        "type": "DM",
        "name": c.name,
        "description": null,
        "users": users,
        "contentType": "chat",
        "dmType": if users.len() > 2 { "Group" } else { "Default" },
        "ownerId": owner,
        "lastMessage": last,
        "createdAt": iso(c.created_at),
        "createdBy": c.created_by,
        "updatedAt": null,
        "archivedAt": null,
        "deletedAt": null,
        "voiceParticipants": [],
    })
}

/// A team's custom reaction as `/me` lists it (`customReactions`). The images are not served
/// (a terminal client draws `:name:`), so they point nowhere real.
pub fn custom_emoji(e: &EmojiDef) -> Value {
    let image = format!(
        "https://img.gilt.invalid/CustomReaction/{}-Full.webp?w=120&h=120",
        e.id
    );
    json!({
        "id": e.id,
        "name": e.name,
        "png": image,
        "webp": image,
        "apng": image,
        "aliases": [],
        "createdAt": "2021-06-01T12:00:00.000Z",
        "createdBy": e.created_by,
        "teamId": e.team,
        "isDeleted": false,
        "discordEmojiId": null,
        "discordSyncedAt": null,
    })
}

pub fn custom_reaction(store: &Store, id: i64) -> Value {
    json!({"id": id, "name": store.emoji_name(id), "png": null, "webp": null, "apng": null})
}

fn reaction(store: &Store, r: &Reaction) -> Value {
    json!({
        "customReactionId": r.emoji_id,
        "createdAt": iso(r.created_at),
        "users": r.users.iter().map(|u| json!({"id": u, "webhookId": null, "botId": null})).collect::<Vec<_>>(),
        "customReaction": custom_reaction(store, r.emoji_id),
        "totalUsers": r.users.len(),
    })
}

/// A message as REST returns it (history pages, and the answers to sends and edits).
pub fn message(store: &Store, m: &Message) -> Value {
    json!({
        "id": m.id,
        "channelId": m.channel_id,
        "content": m.content,
        "type": "default",
        "createdBy": m.author,
        "createdAt": iso(m.created_at),
        "editedAt": m.edited_at.map(iso),
        "deletedAt": null,
        "webhookId": null,
        "botId": null,
        "isSilent": m.is_silent,
        "isPrivate": m.is_private,
        "repliesToIds": m.replies_to,
        "repliesTo": m.replies_to.first(),
        "isPinned": m.pinned_by.is_some(),
        "pinnedBy": m.pinned_by,
        "reactions": m.reactions.iter().map(|r| reaction(store, r)).collect::<Vec<_>>(),
    })
}

/// `{code, message}`: the error body of every failed REST call (docs/PROTOCOL.md).
pub fn error(code: &str, message: &str) -> Value {
    json!({"code": code, "message": message})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_have_millis_and_z_and_strict_parsing() {
        let ts: Timestamp = "2021-10-15T23:58:44.537Z".parse().unwrap();
        assert_eq!(iso(ts), "2021-10-15T23:58:44.537Z");
        let whole: Timestamp = "2021-10-15T23:58:44Z".parse().unwrap();
        assert_eq!(iso(whole), "2021-10-15T23:58:44.000Z");
        assert_eq!(parse_iso_millis("2021-10-15T23:58:44.537Z"), Some(ts));
        for bad in [
            "2021-10-15T23:58:44.537123Z",
            "2021-10-15T23:58:44.537+00:00",
            "2021-10-15T23:58:44Z",
            "2021-13-15T23:58:44.537Z",
            "yesterday",
            "",
        ] {
            assert_eq!(parse_iso_millis(bad), None, "{bad}");
        }
    }
}
