//! Bulk deletes and team structure kept true without a restart: purged messages leave the
//! timelines; hidden, archived and deleted channels leave the sidebar; categories and team
//! names follow their events. What an event does not spell out (priorities, roles, groups,
//! partial payloads) marks the team stale, and one debounced refetch of its authoritative
//! lists (`Effect::RefreshTeam`, answered by `Msg::TeamRefreshed`) sets it right. The
//! debounce is a deadline in the model (`App::next_deadline`), so the reducer stays pure.
//! Threads join the team here too: a channel of their own, listed under their parent.

use std::time::{Duration, Instant};

use super::View;
use super::channels::{
    merge_channel, open_channel, rearrange, rearrange_keeping_categories, remove_channel,
    selected_message,
};
use super::load::apply_team;
use crate::app::App;
use crate::app::model::{ChannelId, Delivery, MessageId, TeamId};
use crate::app::msg::{ChatEvent, Effect, TeamData};

/// How long a stale team waits before its refetch: a burst of structure events (an admin
/// dragging channels around) costs one refetch.
pub(crate) const REFETCH_DEBOUNCE: Duration = Duration::from_millis(500);

/// Fold a bulk-delete or structure event (the other chat events are folded in `gateway`).
pub(super) fn fold_structure(app: &mut App, event: ChatEvent, now: Instant, fx: &mut Vec<Effect>) {
    match event {
        ChatEvent::MessagesDeleted {
            channel,
            message_ids,
        } => delete_messages(app, &channel, &message_ids),
        ChatEvent::MemberMessagesPurged { team_id, user } => {
            let channels: Vec<ChannelId> = app
                .timelines
                .keys()
                .filter(|c| app.channels.get(*c).and_then(|c| c.team_id()) == Some(&team_id))
                .cloned()
                .collect();
            for channel in channels {
                let ids: Vec<MessageId> = app.timelines[&channel]
                    .iter()
                    .filter(|m| m.author_id == user)
                    .map(|m| m.id.clone())
                    .collect();
                delete_messages(app, &channel, &ids);
            }
        }
        ChatEvent::ChannelsRemoved { team_id, channels } => {
            let mut teams: Vec<TeamId> = team_id.into_iter().collect();
            for channel in &channels {
                if let Some(team) = app.channels.get(channel).and_then(|c| c.team_id())
                    && !teams.contains(team)
                {
                    teams.push(team.clone());
                }
                remove_channel(app, channel, fx);
            }
            for team in teams {
                if let Some(idx) = app.teams.iter().position(|t| t.id == team) {
                    rearrange_keeping_categories(app, idx);
                }
            }
        }
        ChatEvent::CategoryUpserted { team_id, category } => {
            let Some(idx) = app.teams.iter().position(|t| t.id == team_id) else {
                return;
            };
            let mut categories = std::mem::take(&mut app.teams[idx].categories);
            match categories.iter_mut().find(|c| c.id == category.id) {
                Some(c) => {
                    c.name = category.name;
                    c.priority = category.priority;
                }
                None => categories.push(category),
            }
            rearrange(app, idx, categories);
        }
        ChatEvent::CategoryDeleted {
            team_id,
            category_id,
        } => {
            if let Some(idx) = app.teams.iter().position(|t| t.id == team_id) {
                let mut categories = std::mem::take(&mut app.teams[idx].categories);
                categories.retain(|c| Some(c.id) != category_id);
                rearrange(app, idx, categories);
            }
            // Whether its channels went with it or moved up, the team's list says.
            mark_stale(app, team_id, now);
        }
        ChatEvent::TeamRenamed { team_id, name } => {
            if let Some(team) = app.teams.iter_mut().find(|t| t.id == team_id) {
                team.name = name;
            }
        }
        ChatEvent::TeamStale { team_id } => mark_stale(app, team_id, now),
        ChatEvent::ThreadCreated { channel, thread } => {
            let Some(idx) = channel
                .team_id()
                .and_then(|team| app.teams.iter().position(|t| &t.id == team))
            else {
                return;
            };
            let id = channel.id.clone();
            let ours = thread.message.is_some() && app.thread_pending == thread.message;
            app.threads.insert(id.clone(), thread);
            merge_channel(&mut app.channels, channel);
            rearrange_keeping_categories(app, idx);
            // The thread we asked for: open it (once, whichever answer comes first).
            if ours {
                app.thread_pending = None;
                open_channel(app, &id, fx);
            }
        }
        // Folded in `gateway`; never routed here.
        _ => {}
    }
}

fn delete_messages(app: &mut App, channel: &ChannelId, ids: &[MessageId]) {
    if let Some(tl) = app.timelines.get_mut(channel) {
        for id in ids {
            tl.remove(id);
        }
    }
    for id in ids {
        app.sent_text.remove(id);
    }
}

/// Schedule one refetch of a team we belong to; a later event in the same burst does not
/// push it back (the refetch must not starve under a steady stream of events).
fn mark_stale(app: &mut App, team: TeamId, now: Instant) {
    if app.teams.iter().any(|t| t.id == team) {
        app.team_refetch
            .entry(team)
            .or_insert(now + REFETCH_DEBOUNCE);
    }
}

/// A tick: the stale teams whose debounce is over are refetched.
pub(super) fn refetch_due(app: &mut App, now: Instant, fx: &mut Vec<Effect>) {
    let due: Vec<TeamId> = app
        .team_refetch
        .iter()
        .filter(|(_, at)| **at <= now)
        .map(|(team, _)| team.clone())
        .collect();
    for team in due {
        app.team_refetch.remove(&team);
        fx.push(Effect::RefreshTeam { team });
    }
}

/// A refetched team: its lists replace ours. Channels of the team that the authoritative list
/// no longer has are gone (hidden, archived, deleted while we were not told).
pub(super) fn on_team_refreshed(app: &mut App, data: TeamData, fx: &mut Vec<Effect>) -> View {
    if !app.teams.iter().any(|t| t.id == data.id) {
        // We left the team while the refetch ran.
        return View::Unchanged;
    }
    if data.channels_loaded {
        let listed: Vec<&ChannelId> = data.channels.iter().map(|c| &c.id).collect();
        let gone: Vec<ChannelId> = app
            .channels
            .values()
            .filter(|c| c.team_id() == Some(&data.id) && !listed.contains(&&c.id))
            // Threads are listed apart (`temporalChannels`), and follow as their own events.
            .filter(|c| !app.threads.contains_key(&c.id))
            .map(|c| c.id.clone())
            .collect();
        for channel in &gone {
            remove_channel(app, channel, fx);
        }
        // The list is authoritative for categories too, even when it has none.
        if data.categories.is_empty()
            && let Some(team) = app.teams.iter_mut().find(|t| t.id == data.id)
        {
            team.categories.clear();
        }
    }
    apply_team(app, data);
    View::Changed
}

/// `t` on a selected message: open its thread, or start one named after its first words
/// (the thread opens when it arrives).
pub(super) fn start_thread(app: &mut App, now: Instant, fx: &mut Vec<Effect>) {
    let Some(m) = selected_message(app) else {
        return;
    };
    if let Some(thread) = app.thread_of_message(&m.id).map(|c| c.id.clone()) {
        open_channel(app, &thread, fx);
        return;
    }
    let in_team = app
        .channels
        .get(&m.channel_id)
        .is_some_and(|c| c.team_id().is_some() && !app.threads.contains_key(&c.id));
    if !in_team || m.delivery != Delivery::Confirmed || m.is_system {
        app.notify(
            "Threads start from a sent message in a team channel",
            true,
            now,
        );
        return;
    }
    app.thread_pending = Some(m.id.clone());
    fx.push(Effect::CreateThread {
        channel: m.channel_id.clone(),
        message: m.id.clone(),
        name: thread_name(&m.content),
    });
    app.notify("Starting a thread…", false, now);
}

/// A thread's name from its message: the first words of its text, at most 40 characters.
fn thread_name(content: &crate::protocol::content::RichText) -> String {
    let text = crate::sanitize::plain_text(content, true);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let name: String = words.chars().take(THREAD_NAME_CHARS).collect();
    if name.is_empty() {
        "Thread".to_owned()
    } else if name.len() < words.len() {
        format!("{}…", name.trim_end())
    } else {
        name
    }
}

/// How long a thread name taken from a message may be.
const THREAD_NAME_CHARS: usize = 40;
