//! Answers from REST: start-up data, team loads, restored state, history pages, failures.

use std::time::Instant;

use super::View;
use super::channels::{merge_channel, open_channel, rearrange, upsert_dm};
use super::unread;
use crate::app::App;
use crate::app::Command;
use crate::app::composer::Composer;
use crate::app::model::{Channel, Delivery, Message, Team};
use crate::app::msg::{Effect, InitialData, PersistedState, TeamData};
use crate::app::persist::{OutboxEntry, OutboxState};
use crate::app::timeline::Timeline;
use crate::sanitize::sanitize;

/// Start-up data: who we are, teams, DMs; then the restored state, then a channel to open.
/// `cached` data came from the local store: the server's answer merges into it later (by
/// id, so nothing on screen jumps).
pub(super) fn on_loaded(
    app: &mut App,
    data: InitialData,
    cached: bool,
    fx: &mut Vec<Effect>,
) -> View {
    // The cache never overrides the server: once the server answered, it is ignored.
    if cached && app.loaded {
        return View::Unchanged;
    }
    app.cached = cached;
    let unread_counts = data.unread;
    app.users.insert(data.me.id.clone(), data.me.clone());
    app.me = data.me;
    for u in data.users {
        app.users.insert(u.id.clone(), u);
    }
    if !cached {
        app.reactions.custom = data.custom_reactions;
    }
    for team in data.teams {
        apply_team(app, team);
    }
    let mut dms = data.dms;
    dms.sort_by_key(|d| std::cmp::Reverse(d.last_activity));
    for dm in dms {
        upsert_dm(app, dm);
    }
    app.loaded = true;
    let restore = app.pending_restore.take().unwrap_or_default();
    apply_restore(app, restore, fx);
    if app.current.is_none()
        && let Some(id) = app.default_channel()
    {
        open_channel(app, &id, fx);
    }
    // Unread counts and mention marks as they were while gilt was not running: read with the
    // load, or asked for.
    match unread_counts {
        Some(counts) => {
            let _ = unread::on_unread_state(app, &counts, fx);
        }
        None => unread::refresh(app, fx),
    }
    View::Changed
}

/// Unsent messages of the last run: failed echoes in their channels, resent with the retry
/// key (the server deduplicates by message id, so a resend of one it did get is harmless).
pub(super) fn on_restore_outbox(app: &mut App, entries: Vec<OutboxEntry>, now: Instant) -> View {
    if entries.is_empty() {
        return View::Unchanged;
    }
    let count = entries.len();
    let me = app.me.id.clone();
    let limit = app.settings.window();
    for entry in entries {
        let error = match entry.state {
            OutboxState::Failed(error) => error,
            OutboxState::Queued | OutboxState::Sent => "not sent before gilt quit".to_owned(),
        };
        let tl = app
            .timelines
            .entry(entry.channel.clone())
            .or_insert_with(|| Timeline::new(limit));
        if tl.get(&entry.message_id).is_some() {
            continue;
        }
        tl.push_pending(Message {
            id: entry.message_id.clone(),
            channel_id: entry.channel,
            author_id: me.clone(),
            created_at: entry.created_at,
            edited_at: None,
            content: entry.content.into(),
            replies_to: entry.replies_to,
            reactions: Vec::new(),
            delivery: Delivery::Pending,
            is_system: false,
            is_pinned: false,
            mentions_me: false,
        });
        tl.fail(&entry.message_id, &error);
    }
    let retry = app.keymap.hint(Command::RetryFailed);
    app.notify(
        format!("{count} unsent message(s) from the last run ({retry} resends)"),
        true,
        now,
    );
    View::Changed
}

/// The local store could not be opened: say so once; everything else works from memory.
pub(super) fn on_store_unavailable(app: &mut App, reason: &str, now: Instant) -> View {
    app.notify(
        format!(
            "Message store unavailable ({}); running from memory only",
            sanitize(reason)
        ),
        true,
        now,
    );
    View::Changed
}

/// One team's channels and members (start-up, or after joining a team).
pub(super) fn on_team_loaded(app: &mut App, team: TeamData, fx: &mut Vec<Effect>) -> View {
    // `/teams/{id}` answered: the team is confirmed, its socket may open.
    fx.push(Effect::OpenTeamSocket {
        team: team.id.clone(),
    });
    apply_team(app, team);
    if app.current.is_none()
        && let Some(id) = app.default_channel()
    {
        open_channel(app, &id, fx);
    }
    View::Changed
}

/// Persisted drafts and last channel: applied now if the start-up data is in, else kept.
pub(super) fn on_restore_state(app: &mut App, state: PersistedState, fx: &mut Vec<Effect>) -> View {
    if app.loaded {
        apply_restore(app, state, fx);
    } else {
        app.pending_restore = Some(state);
    }
    View::Changed
}

fn apply_restore(app: &mut App, state: PersistedState, fx: &mut Vec<Effect>) {
    app.reactions.restore_recent(state.recent_reactions);
    app.muted.extend(state.muted);
    for (channel, at) in state.read_markers {
        unread::mark_read(app, &channel, at);
    }
    for (channel, text) in state.drafts {
        if app.current.as_ref() == Some(&channel) {
            if app.composer.is_empty() {
                app.composer.set_text(&text);
            }
        } else if !app.drafts.contains_key(&channel) && !text.is_empty() {
            app.drafts.insert(channel, Composer::with_text(&text));
        }
    }
    if let Some(last) = state.last_channel
        && app.channels.get(&last).is_some_and(Channel::is_chat)
    {
        open_channel(app, &last, fx);
    }
}

pub(super) fn apply_team(app: &mut App, data: TeamData) {
    let idx = if let Some(i) = app.teams.iter().position(|t| t.id == data.id) {
        i
    } else {
        app.teams.push(Team {
            id: data.id.clone(),
            ..Team::default()
        });
        app.teams.len() - 1
    };
    for channel in data.channels {
        merge_channel(&mut app.channels, channel);
    }
    let Some(team) = app.teams.get_mut(idx) else {
        return;
    };
    if !data.name.is_empty() {
        team.name = data.name;
    }
    for m in data.members {
        team.members.insert(m.id.clone(), m);
    }
    team.channels_loaded |= data.channels_loaded;
    let categories = if data.categories.is_empty() {
        std::mem::take(&mut team.categories)
    } else {
        data.categories
    };
    rearrange(app, idx, categories);
}
