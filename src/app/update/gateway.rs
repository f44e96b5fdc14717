//! Events from the gateway (folded into the model), link state, the clock and ticks.

use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::View;
use super::channels::{
    merge_channel, rearrange_keeping_categories, remove_channel, remove_team, upsert_dm,
};
use super::failures::resend_waiting;
use super::structure::fold_structure;
use super::unread;
use crate::app::convert::{dm_title, mark_mine, mentions_user};
use crate::app::model::{Channel, ChannelId, ChannelKind, LinkGroup, LinkStatus, Message, User};
use crate::app::msg::{ChatEvent, Effect};
use crate::app::notify::Notification;
use crate::app::timeline::Inserted;
use crate::app::{App, SocketRetry};
use crate::config::NotifyMode;

/// At most this many members per team from join events (a real team may be large; a hostile
/// server must not grow it without end).
pub(crate) const MAX_MEMBERS_PER_TEAM: usize = 200_000;

/// The first wait before a refused team socket is tried again (then doubling).
pub(crate) const TEAM_SOCKET_RETRY: Duration = Duration::from_secs(10);
/// Attempts at a refused team socket before it is dropped (10 s … 160 s, about 5 min).
pub(crate) const TEAM_SOCKET_ATTEMPTS: u32 = 5;

/// A deadline passed: typing notices and status notices expire, a countdown ticks, a team
/// socket that went offline is tried again, held notifications are summed up.
pub(super) fn on_tick(app: &mut App, now: Instant, fx: &mut Vec<Effect>) -> View {
    let focused = app.notifications.focused;
    let current = app.current.clone();
    let summaries = app
        .notifications
        .due(now, |c| focused && current.as_ref() == Some(c));
    fx.extend(summaries.into_iter().map(Effect::Notify));
    let typing_expired = app.typing.expire(now);
    let notice_expired = app.notice.as_ref().is_some_and(|n| n.until <= now);
    if notice_expired {
        app.notice = None;
    }
    if app.draft_save_at.is_some_and(|at| at <= now) {
        app.draft_save_at = None;
        fx.push(Effect::SaveState(app.persisted_state()));
    }
    for (team, retry) in &mut app.team_socket_retry {
        if retry.at.is_some_and(|at| at <= now) {
            retry.at = None;
            fx.push(Effect::OpenTeamSocket { team: team.clone() });
        }
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

/// The terminal gained or lost focus: only decides whether the open channel notifies.
pub(super) fn on_focus(app: &mut App, focused: bool) -> View {
    app.notifications.focused = focused;
    View::Unchanged
}

/// A socket group's link changed state (repeats of the same state change nothing).
///
/// A team socket is about one team only: one that is offline (refused by the server, or given
/// up) leaves the status bar and shows on its team in the sidebar, and is tried again after
/// [`TEAM_SOCKET_RETRY`], doubling, at most [`TEAM_SOCKET_ATTEMPTS`] times; then it is dropped
/// until the team is joined again. A team we are not in has no link state at all.
///
/// The main link coming up means the server is reachable again: sends waiting for it go out.
pub(super) fn on_link(
    app: &mut App,
    group: LinkGroup,
    state: LinkStatus,
    now: Instant,
    fx: &mut Vec<Effect>,
) -> View {
    if group == LinkGroup::Main && state == LinkStatus::Connected {
        resend_waiting(app, fx);
    }
    if let LinkGroup::Team(team) = &group {
        if !app.teams.iter().any(|t| &t.id == team) {
            let known = app.links.remove(&group).is_some();
            let retrying = app.team_socket_retry.remove(team).is_some();
            return if known || retrying {
                View::Changed
            } else {
                View::Unchanged
            };
        }
        match state {
            LinkStatus::Offline => {
                app.links.remove(&group);
                let retry = app
                    .team_socket_retry
                    .entry(team.clone())
                    .or_insert(SocketRetry {
                        at: None,
                        attempts: 0,
                    });
                if retry.at.is_none() && retry.attempts < TEAM_SOCKET_ATTEMPTS {
                    let wait = TEAM_SOCKET_RETRY.saturating_mul(1 << retry.attempts.min(16));
                    retry.at = Some(now + wait);
                    retry.attempts += 1;
                } else if retry.at.is_none() {
                    // Given up: no socket runs for it now.
                    fx.push(Effect::CloseTeamSocket { team: team.clone() });
                }
                return View::Changed;
            }
            LinkStatus::Connected => {
                app.team_socket_retry.remove(team);
            }
            LinkStatus::Connecting | LinkStatus::Reconnecting { .. } => {}
        }
    }
    if group == LinkGroup::Main && state == LinkStatus::Connected {
        // A reconnect: channels not loaded missed their messages; ask for their counts.
        if app.main_was_connected && app.loaded && app.links.get(&group) != Some(&state) {
            unread::refresh(app, fx);
        }
        app.main_was_connected = true;
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

/// How a message reached us: live, or caught up after a reconnect (no notification for those:
/// a reconnect must not ring once per mention it missed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Arrival {
    Live,
    Backfill,
}

/// A new message: into its timeline (if loaded), unread and mention counts, the DM order, the
/// notification.
pub(super) fn message_created(
    app: &mut App,
    mut message: Message,
    arrival: Arrival,
    now: Instant,
    fx: &mut Vec<Effect>,
) {
    let me = app.me.id.clone();
    let channel = message.channel_id.clone();
    let author = message.author_id.clone();
    let from_me = author == me;
    message.mentions_me = !from_me && (message.mentions_me || mentions_user(&message.content, &me));
    // Our own reactions, on live and caught-up messages alike.
    mark_mine(&mut message, &me);
    app.typing.user_stopped(&channel, &author);
    let created = message.created_at;
    let mentions_me = message.mentions_me;
    let message_id = message.id.clone();
    let is_dm = app.channels.get(&channel).is_some_and(Channel::is_dm);
    // Worded before the message moves into the timeline; sent only if it is new.
    let note = (arrival == Arrival::Live && !from_me && (mentions_me || is_dm))
        .then(|| notification(app, &message));
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
    if app.current.as_ref() == Some(&channel) {
        unread::mark_read(app, &channel, created);
    }
    if let Some(ch) = app.channels.get_mut(&channel) {
        ch.last_activity = ch.last_activity.max(Some(created));
        if !from_me && app.current.as_ref() != Some(&channel) {
            ch.unread = ch.unread.saturating_add(1);
            if mentions_me || is_dm {
                ch.mentions = ch.mentions.saturating_add(1);
            }
        }
    }
    if is_dm {
        app.bump_dm(&channel);
    }
    if let Some((note, summary_title)) = note {
        notify(app, &channel, &summary_title, note, now, fx);
    }
}

/// Messages a reconnect missed, oldest first: merged as if live, without notifications.
pub(super) fn on_backfill(
    app: &mut App,
    messages: Vec<Message>,
    now: Instant,
    fx: &mut Vec<Effect>,
) -> View {
    if messages.is_empty() {
        return View::Unchanged;
    }
    for message in messages {
        message_created(app, message, Arrival::Backfill, now, fx);
    }
    View::Changed
}

/// A gap in a channel's history opened (or moved) or was filled: the timeline shows a
/// "missing messages" row where it is.
pub(super) fn on_gap(app: &mut App, channel: &ChannelId, after: Option<Timestamp>) -> View {
    match app.timelines.get_mut(channel) {
        Some(tl) if tl.missing_after != after => {
            tl.missing_after = after;
            View::Changed
        }
        _ => View::Unchanged,
    }
}

fn fold_chat(app: &mut App, event: ChatEvent, now: Instant, fx: &mut Vec<Effect>) {
    let me = app.me.id.clone();
    match event {
        ChatEvent::MessageCreated { message, .. } => {
            message_created(app, message, Arrival::Live, now, fx);
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
            // Only for channels we know: a hostile server cannot grow the typing state with
            // made-up channel ids.
            if user != me && app.channels.contains_key(&channel) {
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
            super::dms::dm_arrived(app, &id, fx);
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
            remove_channel(app, &channel, fx);
            if let Some(idx) = app.teams.iter().position(|t| t.id == team_id) {
                rearrange_keeping_categories(app, idx);
            }
        }
        ChatEvent::MemberJoined { team_id, user } => {
            if let Some(t) = app.teams.iter_mut().find(|t| t.id == team_id)
                && (t.members.len() < MAX_MEMBERS_PER_TEAM || t.members.contains_key(&user.id))
            {
                t.members.insert(user.id.clone(), user);
            }
        }
        ChatEvent::MemberRemoved { team_id, user } => {
            if user == me {
                remove_team(app, &team_id, fx);
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
            // Read on another device: the marker follows, to the newest message we know
            // there (or now, when its history is not loaded).
            let seen = app
                .timelines
                .get(&channel)
                .and_then(crate::app::timeline::Timeline::newest_time)
                .or_else(|| app.wall.is_some().then(|| app.wall_now(now)));
            if let Some(at) = seen {
                unread::mark_read(app, &channel, at);
            }
        }
        event @ (ChatEvent::MessagesDeleted { .. }
        | ChatEvent::MemberMessagesPurged { .. }
        | ChatEvent::ChannelsRemoved { .. }
        | ChatEvent::CategoryUpserted { .. }
        | ChatEvent::CategoryDeleted { .. }
        | ChatEvent::TeamRenamed { .. }
        | ChatEvent::TeamStale { .. }
        | ChatEvent::ThreadCreated { .. }) => fold_structure(app, event, now, fx),
        event @ (ChatEvent::Presence(_)
        | ChatEvent::RoleColors { .. }
        | ChatEvent::MembersRemoved { .. }
        | ChatEvent::UserRenamed { .. }
        | ChatEvent::NicknameEverywhere { .. }
        | ChatEvent::VoiceJoined { .. }
        | ChatEvent::VoiceLeft { .. }
        | ChatEvent::VoiceParticipants { .. }) => {
            super::members::fold_members(app, event, fx);
        }
        ChatEvent::Activity { channel, item } => {
            super::activity::fold_activity(app, &channel, item, now);
        }
        ChatEvent::TeamsChanged { team_id, removed } => {
            if removed {
                remove_team(app, &team_id, fx);
                return;
            }
            // A team socket opens only for a team REST confirms we are in: a known team's
            // socket is made sure of (it may have given up); an unknown one is fetched first
            // and its socket opens when `/teams/{id}` answers (`on_team_loaded`), so a bogus
            // join cannot open a socket the server refuses.
            if app.teams.iter().any(|t| t.id == team_id) {
                app.team_socket_retry.remove(&team_id);
                fx.push(Effect::OpenTeamSocket { team: team_id });
            } else {
                fx.push(Effect::LoadTeam { team: team_id });
            }
        }
    }
}

/// The notification for a DM or mention, and the title its summary would have.
fn notification(app: &App, message: &Message) -> (Notification, String) {
    let channel = &message.channel_id;
    let sender = app.display_name(channel, &message.author_id);
    let text = crate::sanitize::plain_text(&message.content, false);
    match app.channels.get(channel) {
        Some(ch) if !ch.is_dm() => {
            let where_ = format!("#{}", ch.name);
            (
                Notification::new(&format!("{sender} in {where_}"), &text),
                where_,
            )
        }
        _ => (Notification::new(sender, &text), sender.to_owned()),
    }
}

/// Send a notification unless the channel is in view or muted, the user turned them off, or
/// the channel notified a moment ago (then it waits for the summary).
fn notify(
    app: &mut App,
    channel: &ChannelId,
    summary_title: &str,
    note: Notification,
    now: Instant,
    fx: &mut Vec<Effect>,
) {
    if app.settings.notify == NotifyMode::None
        || app.muted.contains(channel)
        || (app.notifications.focused && app.current.as_ref() == Some(channel))
    {
        return;
    }
    if let Some(note) = app.notifications.admit(channel, summary_title, note, now) {
        fx.push(Effect::Notify(note));
    }
}
