//! Events from the gateway (folded into the model), link state, the clock and ticks.

use std::time::Instant;

use jiff::Timestamp;

use super::View;
use super::channels::{
    merge_channel, rearrange_keeping_categories, remove_channel, remove_team, upsert_dm,
};
use super::failures::resend_waiting;
use crate::app::App;
use crate::app::convert::{dm_title, mentions_user};
use crate::app::model::{ChannelKind, LinkGroup, LinkStatus, User};
use crate::app::msg::{ChatEvent, Effect};
use crate::app::timeline::Inserted;

/// A deadline passed: typing notices and status notices expire, a countdown ticks.
pub(super) fn on_tick(app: &mut App, now: Instant) -> View {
    let typing_expired = app.typing.expire(now);
    let notice_expired = app.notice.as_ref().is_some_and(|n| n.until <= now);
    if notice_expired {
        app.notice = None;
    }
    // The reconnect countdown in the status bar changes with time alone.
    let counting_down = app
        .links
        .values()
        .any(|s| matches!(s, LinkStatus::Reconnecting { .. }));
    if typing_expired || notice_expired || counting_down {
        View::Changed
    } else {
        View::Unchanged
    }
}

/// The wall clock at `now`: kept to stamp local echoes; nothing on screen changes.
pub(super) fn on_wall_clock(app: &mut App, wall: Timestamp, now: Instant) -> View {
    app.wall = Some((now, wall));
    View::Unchanged
}

/// A socket group's link changed state (repeats of the same state change nothing).
/// The main link coming up means the server is reachable again: sends waiting for it go out.
pub(super) fn on_link(
    app: &mut App,
    group: LinkGroup,
    state: LinkStatus,
    fx: &mut Vec<Effect>,
) -> View {
    if group == LinkGroup::Main && state == LinkStatus::Connected {
        resend_waiting(app, fx);
    }
    if app.links.get(&group) == Some(&state) {
        return View::Unchanged;
    }
    app.links.insert(group, state);
    View::Changed
}

/// An event already in the client's terms (gateway, backfill, tests).
pub(super) fn on_chat(app: &mut App, event: ChatEvent, now: Instant, fx: &mut Vec<Effect>) -> View {
    fold_chat(app, event, now, fx);
    View::Changed
}

fn fold_chat(app: &mut App, event: ChatEvent, now: Instant, fx: &mut Vec<Effect>) {
    let me = app.me.id.clone();
    match event {
        ChatEvent::MessageCreated { mut message, .. } => {
            let channel = message.channel_id.clone();
            let author = message.author_id.clone();
            let from_me = author == me;
            message.mentions_me =
                !from_me && (message.mentions_me || mentions_user(&message.content, &me));
            app.typing.user_stopped(&channel, &author);
            let created = message.created_at;
            let mentions_me = message.mentions_me;
            let message_id = message.id.clone();
            if let Some(tl) = app.timelines.get_mut(&channel) {
                match tl.insert(message) {
                    Inserted::New => {}
                    Inserted::Confirmed => {
                        app.sent_text.remove(&message_id);
                        return;
                    }
                    Inserted::Duplicate | Inserted::Ignored => return,
                }
            }
            let is_dm = match app.channels.get_mut(&channel) {
                Some(ch) => {
                    ch.last_activity = ch.last_activity.max(Some(created));
                    let is_dm = ch.is_dm();
                    if !from_me && app.current.as_ref() != Some(&channel) {
                        ch.unread = ch.unread.saturating_add(1);
                        if mentions_me || is_dm {
                            ch.mentions = ch.mentions.saturating_add(1);
                        }
                    }
                    is_dm
                }
                None => false,
            };
            if is_dm {
                app.bump_dm(&channel);
            }
            if mentions_me && app.settings.bell_on_mention {
                fx.push(Effect::Bell);
            }
        }
        ChatEvent::MessageUpdated {
            channel,
            message_id,
            content,
            edited_at,
        } => {
            if let Some(tl) = app.timelines.get_mut(&channel) {
                tl.update_content(&message_id, content, edited_at);
            }
        }
        ChatEvent::MessageDeleted {
            channel,
            message_id,
        } => {
            if let Some(tl) = app.timelines.get_mut(&channel) {
                tl.remove(&message_id);
            }
            app.sent_text.remove(&message_id);
        }
        ChatEvent::Typing { channel, user } => {
            if user != me {
                app.typing.user_typing(&channel, &user, now);
            }
        }
        ChatEvent::ReactionAdded {
            channel,
            message_id,
            emoji_id,
            emoji_name,
            user,
        } => {
            if let Some(tl) = app.timelines.get_mut(&channel) {
                tl.add_reaction(&message_id, emoji_id, emoji_name.as_deref(), &user, &me);
            }
        }
        ChatEvent::ReactionRemoved {
            channel,
            message_id,
            emoji_id,
            user,
        } => {
            if let Some(tl) = app.timelines.get_mut(&channel) {
                tl.remove_reaction(&message_id, emoji_id, &user, &me);
            }
        }
        ChatEvent::PinChanged {
            channel,
            message_id,
            pinned,
        } => {
            if let Some(tl) = app.timelines.get_mut(&channel) {
                tl.set_pinned(&message_id, pinned);
            }
        }
        ChatEvent::DmCreated { mut channel, users } => {
            if let ChannelKind::Dm { users: ids } = &mut channel.kind {
                ids.retain(|u| *u != me);
            }
            if channel.name.is_empty() {
                channel.name = dm_title(&users, &me);
            }
            for u in users {
                if u.id != me {
                    app.users.insert(u.id.clone(), u);
                }
            }
            let id = channel.id.clone();
            upsert_dm(app, channel);
            app.bump_dm(&id);
        }
        ChatEvent::ChannelUpserted(channel) => {
            let Some(team_id) = channel.team_id().cloned() else {
                upsert_dm(app, channel);
                return;
            };
            let Some(idx) = app.teams.iter().position(|t| t.id == team_id) else {
                return;
            };
            merge_channel(&mut app.channels, channel);
            rearrange_keeping_categories(app, idx);
        }
        ChatEvent::ChannelDeleted { team_id, channel } => {
            remove_channel(app, &channel, now, fx);
            if let Some(idx) = app.teams.iter().position(|t| t.id == team_id) {
                rearrange_keeping_categories(app, idx);
            }
        }
        ChatEvent::MemberJoined { team_id, user } => {
            if let Some(t) = app.teams.iter_mut().find(|t| t.id == team_id) {
                t.members.insert(user.id.clone(), user);
            }
        }
        ChatEvent::MemberRemoved { team_id, user } => {
            if user == me {
                remove_team(app, &team_id, now, fx);
            } else if let Some(t) = app.teams.iter_mut().find(|t| t.id == team_id) {
                t.members.remove(&user);
            }
        }
        ChatEvent::MemberUpdated {
            team_id,
            user,
            name,
            nickname,
        } => {
            if let Some(t) = app.teams.iter_mut().find(|t| t.id == team_id) {
                let m = t.members.entry(user.clone()).or_insert_with(|| User {
                    id: user.clone(),
                    ..User::default()
                });
                if let Some(name) = name {
                    m.name = name;
                }
                if let Some(nick) = nickname {
                    m.nickname = nick;
                }
            }
        }
        ChatEvent::ChannelSeen { channel } => {
            if let Some(ch) = app.channels.get_mut(&channel) {
                ch.unread = 0;
                ch.mentions = 0;
            }
        }
        ChatEvent::TeamsChanged { team_id, removed } => {
            if removed {
                remove_team(app, &team_id, now, fx);
                return;
            }
            // The socket first, so the team's events flow while its channels load.
            fx.push(Effect::OpenTeamSocket {
                team: team_id.clone(),
            });
            if !app.teams.iter().any(|t| t.id == team_id) {
                fx.push(Effect::LoadTeam { team: team_id });
            }
        }
    }
}
