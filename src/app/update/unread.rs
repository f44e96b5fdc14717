//! Unread state that survives a restart or a disconnect: the server's unread maps
//! (`Msg::UnreadState`), and where it says nothing, the client's own read markers (the newest
//! message seen per channel) with one `afterDate` count per channel (`Msg::UnreadSince`).

use std::collections::HashMap;

use jiff::Timestamp;

use super::View;
use crate::app::App;
use crate::app::convert::mentions_user;
use crate::app::model::{ChannelId, Message};
use crate::app::msg::{Effect, UnreadCount};

/// The user has seen `channel` up to the message created at `at` (markers only move forward).
pub(super) fn mark_read(app: &mut App, channel: &ChannelId, at: Timestamp) {
    if !app.channels.contains_key(channel) {
        return;
    }
    let marker = app.read_markers.entry(channel.clone()).or_insert(at);
    *marker = (*marker).max(at);
}

/// Whether the server's or the markers' counts may set this channel's unread state: it is
/// not open and its history is not loaded (a loaded one counts live and caught-up messages
/// itself).
fn counted_elsewhere(app: &App, channel: &ChannelId) -> bool {
    app.current.as_ref() == Some(channel) || app.timelines.contains_key(channel)
}

/// Ask the server for its unread state (start-up, and after the main link reconnected).
pub(super) fn refresh(app: &App, fx: &mut Vec<Effect>) {
    fx.push(Effect::RefreshUnread {
        me: app.me.id.clone(),
        teams: app.teams.iter().map(|t| t.id.clone()).collect(),
    });
}

/// The server's unread state: applied to every channel it covers; the others with a read
/// marker are counted from it.
pub(super) fn on_unread_state(
    app: &mut App,
    counts: &HashMap<ChannelId, UnreadCount>,
    fx: &mut Vec<Effect>,
) -> View {
    let mut changed = false;
    let mut ids: Vec<ChannelId> = app.channels.keys().cloned().collect();
    ids.sort();
    for id in ids {
        if counted_elsewhere(app, &id) {
            continue;
        }
        match counts.get(&id) {
            Some(count) => {
                if let Some(ch) = app.channels.get_mut(&id)
                    && (ch.unread, ch.mentions) != (count.unread, count.mentions)
                {
                    ch.unread = count.unread;
                    ch.mentions = count.mentions;
                    changed = true;
                }
            }
            None => {
                if let Some(after) = app.read_markers.get(&id)
                    && app
                        .channels
                        .get(&id)
                        .is_some_and(crate::app::model::Channel::is_chat)
                {
                    fx.push(Effect::CountUnread {
                        channel: id.clone(),
                        after: *after,
                    });
                }
            }
        }
    }
    if changed {
        View::Changed
    } else {
        View::Unchanged
    }
}

/// The messages after a channel's read marker: its unread and mention counts.
pub(super) fn on_unread_since(app: &mut App, channel: &ChannelId, messages: &[Message]) -> View {
    if counted_elsewhere(app, channel) {
        return View::Unchanged;
    }
    let me = app.me.id.clone();
    let marker = app.read_markers.get(channel).copied();
    let Some(ch) = app.channels.get_mut(channel) else {
        return View::Unchanged;
    };
    let is_dm = ch.is_dm();
    let unseen: Vec<&Message> = messages
        .iter()
        .filter(|m| m.author_id != me && marker.is_none_or(|at| m.created_at > at))
        .collect();
    let unread = u32::try_from(unseen.len()).unwrap_or(u32::MAX);
    let mentions = u32::try_from(
        unseen
            .iter()
            .filter(|m| is_dm || m.mentions_me || mentions_user(&m.content, &me))
            .count(),
    )
    .unwrap_or(u32::MAX);
    ch.last_activity = ch
        .last_activity
        .max(messages.iter().map(|m| m.created_at).max());
    ch.unread = unread;
    ch.mentions = mentions;
    View::Changed
}
