//! Channels and focus: opening, selecting a team, the loaded-history LRU, merging channel
//! updates, removing channels and teams.

use crate::app::composer::Composer;
use crate::app::model::{Category, Channel, ChannelId, Delivery, Message, TeamId};
use crate::app::msg::Effect;
use crate::app::navigation::arrange_team;
use crate::app::timeline::Timeline;
use crate::app::{App, Focus, HISTORY_PAGE, Popup};
use crate::protocol::IdMap;

/// Move the keyboard focus; leaving the timeline drops the selection, entering it picks one.
pub(super) fn set_focus(app: &mut App, focus: Focus) {
    if app.focus == Focus::Timeline
        && focus != Focus::Timeline
        && let Some(tl) = current_timeline_mut(app)
    {
        tl.selected = None;
    }
    if focus == Focus::Sidebar {
        app.sidebar_cursor = app.sidebar_row_of_current();
    }
    if focus == Focus::Timeline {
        let rows = app.timeline_rows();
        if let Some(tl) = current_timeline_mut(app)
            && tl.selected.is_none()
        {
            tl.move_selection(0, rows);
        }
    }
    app.focus = focus;
}

/// The open channel's timeline, for changing it.
pub(super) fn current_timeline_mut(app: &mut App) -> Option<&mut Timeline> {
    let id = app.current.as_ref()?;
    app.timelines.get_mut(id)
}

/// The message picked in selection mode.
pub(super) fn selected_message(app: &App) -> Option<Message> {
    let tl = app.timeline()?;
    tl.get(tl.selected.as_ref()?).cloned()
}

/// Expand a team and open its last visited (or first text) channel.
pub(super) fn select_team(app: &mut App, team: &TeamId, fx: &mut Vec<Effect>) {
    app.selected_team = Some(team.clone());
    let target = app
        .team_last_channel(team)
        .or_else(|| app.team_text_channel(team))
        .or_else(|| app.team_chat_channels(team).into_iter().next());
    if let Some(id) = target {
        open_channel(app, &id, fx);
    }
}

/// Open a channel: keep the old draft, bring this one's, mark it read, load its history.
pub(super) fn open_channel(app: &mut App, id: &ChannelId, fx: &mut Vec<Effect>) {
    let Some(ch) = app.channels.get(id) else {
        return;
    };
    if !ch.is_chat() {
        // Forums, docs, lists, calendars: what happened there, not a dead end.
        app.popup = Some(Popup::Activity {
            channel: ch.id.clone(),
            scroll: 0,
        });
        return;
    }
    let team = ch.team_id().cloned();
    let id = ch.id.clone();
    if app.current.as_ref() != Some(&id) {
        if let Some(old) = app.current.take() {
            app.typing.stop(&old);
            let store = app.settings.store;
            if let Some(tl) = app.timelines.get_mut(&old) {
                tl.selected = None;
                // Off screen, a page is enough: the store gives back the rest on scroll.
                if store {
                    tl.shrink(HISTORY_PAGE as usize);
                }
            }
            let draft = std::mem::take(&mut app.composer);
            if draft == Composer::default() {
                app.drafts.remove(&old);
            } else {
                app.drafts.insert(old, draft);
            }
        }
        app.composer = app.drafts.remove(&id).unwrap_or_default();
        app.current = Some(id.clone());
        super::members::channel_changed(app);
        if app.focus == Focus::Timeline {
            app.focus = Focus::Composer;
        }
    }
    if let Some(team) = &team {
        app.selected_team = Some(team.clone());
        app.note_team_last(team, &id);
    }
    app.note_recent(&id);
    if let Some(ch) = app.channels.get_mut(&id)
        && (ch.unread > 0 || ch.mentions > 0)
    {
        ch.unread = 0;
        ch.mentions = 0;
        fx.push(Effect::MarkSeen {
            channel: id.clone(),
        });
    }
    ensure_loaded(app, &id, fx);
    // Seen up to what is loaded (the latest page, when it comes, moves it on).
    if let Some(at) = app.timelines.get(&id).and_then(Timeline::newest_time) {
        super::unread::mark_read(app, &id, at);
    }
    fx.push(Effect::SaveState(app.persisted_state()));
}

/// Make sure the channel's history is loaded and it is the most recently used; drop the least
/// recently used histories beyond `loaded_channels`. The gateway catches up (after a
/// reconnect) on exactly the channels whose history is loaded.
pub(super) fn ensure_loaded(app: &mut App, id: &ChannelId, fx: &mut Vec<Effect>) {
    let limit = app.settings.window();
    if !app
        .timelines
        .get(id)
        .is_some_and(|t| t.loaded || !t.is_empty())
    {
        let tl = app
            .timelines
            .entry(id.clone())
            .or_insert_with(|| Timeline::new(limit));
        if !tl.loaded {
            fx.push(Effect::LoadHistory {
                channel: id.clone(),
                before: None,
                limit: HISTORY_PAGE,
            });
        }
    }
    if app.lru.back() != Some(id) {
        let before = app.lru.len();
        app.lru.retain(|c| c != id);
        app.lru.push_back(id.clone());
        if app.lru.len() > before {
            fx.push(Effect::TrackChannel {
                channel: id.clone(),
                newest: app.timelines.get(id).and_then(Timeline::newest_time),
            });
        }
    }
    while app.lru.len() > app.settings.loaded_channels {
        let Some(old) = app.lru.pop_front() else {
            break;
        };
        if app.current.as_ref() == Some(&old) {
            app.lru.push_back(old);
            break;
        }
        // A channel with unsent echoes keeps its history (the echoes must not be lost).
        if app
            .timelines
            .get(&old)
            .is_some_and(|t| t.iter().any(|m| m.delivery != Delivery::Confirmed))
        {
            app.lru.push_back(old);
            continue;
        }
        app.timelines.remove(&old);
        fx.push(Effect::UntrackChannel { channel: old });
    }
}

/// Add a DM, or merge a newer copy of it like any channel.
pub(super) fn upsert_dm(app: &mut App, dm: Channel) {
    let id = dm.id.clone();
    if merge_channel(&mut app.channels, dm) && !app.dms.contains(&id) {
        app.dms.push(id);
    }
}

/// At most this many channels (team channels and DMs together): beyond it a new one is
/// ignored (a hostile server cannot grow the sidebar and its indexes without end).
pub(crate) const MAX_CHANNELS: usize = 20_000;

/// Take a newer copy of a channel (name, topic, category, priority), keeping what only
/// the client counts (unread, mentions) and the later of the two `last_activity` times.
/// Returns whether the channel is known now (false: new, and [`MAX_CHANNELS`] reached).
pub(super) fn merge_channel(
    channels: &mut IdMap<ChannelId, Channel>,
    mut incoming: Channel,
) -> bool {
    let full = channels.len() >= MAX_CHANNELS;
    match channels.get_mut(&incoming.id) {
        Some(existing) => {
            incoming.unread = existing.unread;
            incoming.mentions = existing.mentions;
            incoming.last_activity = incoming.last_activity.max(existing.last_activity);
            *existing = incoming;
            true
        }
        None if full => false,
        None => {
            channels.insert(incoming.id.clone(), incoming);
            true
        }
    }
}

/// Re-sort one team's channel tree, keeping its categories.
pub(super) fn rearrange_keeping_categories(app: &mut App, idx: usize) {
    let categories = app
        .teams
        .get_mut(idx)
        .map(|t| std::mem::take(&mut t.categories))
        .unwrap_or_default();
    rearrange(app, idx, categories);
}

/// Re-sort one team's channel tree from the channels it owns.
pub(super) fn rearrange(app: &mut App, idx: usize, categories: Vec<Category>) {
    let Some(team) = app.teams.get_mut(idx) else {
        return;
    };
    let team_id = team.id.clone();
    // Threads are not in the tree: they are listed under their parent.
    let channels: Vec<&Channel> = app
        .channels
        .values()
        .filter(|c| c.team_id() == Some(&team_id) && !app.threads.contains_key(&c.id))
        .collect();
    arrange_team(team, categories, &channels);
}

/// A channel is gone: forget it and its history and draft; open another if it was open.
pub(super) fn remove_channel(app: &mut App, channel: &ChannelId, fx: &mut Vec<Effect>) {
    if !app.channels.contains_key(channel) {
        return;
    }
    app.channels.remove(channel);
    app.threads.remove(channel);
    app.timelines.remove(channel);
    app.drafts.remove(channel);
    if app.lru.iter().any(|c| c == channel) {
        app.lru.retain(|c| c != channel);
        fx.push(Effect::UntrackChannel {
            channel: channel.clone(),
        });
    }
    app.dms.retain(|c| c != channel);
    if app.current.as_ref() == Some(channel) {
        app.current = None;
        app.composer = Composer::default();
        if let Some(id) = app.default_channel() {
            open_channel(app, &id, fx);
        }
    }
    // The sidebar lost a row: keep the cursor on one.
    let rows = app.sidebar_entries().len();
    app.sidebar_cursor = app.sidebar_cursor.min(rows.saturating_sub(1));
}

/// We left a team (or were removed): close its socket, drop it and its channels.
pub(super) fn remove_team(app: &mut App, team: &TeamId, fx: &mut Vec<Effect>) {
    fx.push(Effect::CloseTeamSocket { team: team.clone() });
    app.team_socket_retry.remove(team);
    app.links
        .remove(&crate::app::model::LinkGroup::Team(team.clone()));
    let channels: Vec<ChannelId> = app
        .channels
        .values()
        .filter(|c| c.team_id() == Some(team))
        .map(|c| c.id.clone())
        .collect();
    app.teams.retain(|t| &t.id != team);
    if app.selected_team.as_ref() == Some(team) {
        app.selected_team = None;
    }
    for c in channels {
        remove_channel(app, &c, fx);
    }
    let rows = app.sidebar_entries().len();
    app.sidebar_cursor = app.sidebar_cursor.min(rows.saturating_sub(1));
}
