//! The reducer: folds one `Msg` into the `App` and says which `Effect`s the runtime must run.
//!
//! Pure: no IO, no clock reads, never panics on any input (unknown ids, events for channels
//! that are not loaded, deletes before creates are all ignored or counted, never trusted).
//!
//! This file is the dispatch only: one `on_<what>` handler per message kind, grouped by
//! concern in the sibling modules. Each handler says whether what the screen shows changed
//! ([`View`]); the redraw flag is set here and nowhere else, so no handler can forget it.

mod activity;
mod channels;
mod commands;
mod compose;
mod dms;
mod failures;
mod gateway;
mod history;
mod images;
mod keys;
mod load;
mod members;
mod mouse;
mod persist;
mod pins;
mod popups;
mod reactions;
mod search;
mod structure;
mod unread;

use std::time::{Duration, Instant};

use super::App;
use super::convert::chat_event;
use super::msg::{Effect, Msg};
#[cfg(test)]
pub(super) use gateway::{TEAM_SOCKET_ATTEMPTS, TEAM_SOCKET_RETRY};
#[cfg(test)]
pub(super) use structure::REFETCH_DEBOUNCE;

/// Drafts are saved this long after the last edit (and on switch, quit and signals).
pub(crate) const DRAFT_AUTOSAVE_AFTER: Duration = Duration::from_secs(3);

/// How long before a reconnect attempt the countdown ticks again (see `App::next_deadline`).
pub(super) const COUNTDOWN_TICK: Duration = Duration::from_secs(1);

/// Whether a message changed what the screen shows.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Changed,
    /// Only for messages proven invisible: a tick with nothing due, the wall clock, a link
    /// state that did not change, a gateway event the client ignores.
    Unchanged,
}

/// Fold one message into the model; returns the effects to run, in order.
pub fn update(app: &mut App, msg: Msg, now: Instant) -> Vec<Effect> {
    let mut fx = Vec::new();
    app.last_now = Some(now);
    // Gateway events in the client's terms first, so what they change can be kept.
    let msg = match msg {
        Msg::Gateway(event) => match chat_event(event) {
            Some(event) => Msg::Chat(event),
            None => return fx,
        },
        msg => msg,
    };
    // Without a store the runtime drops every `Effect::Persist`: do not copy messages for
    // it (a copy of every new message, and another once folded, were ~10 % of ingest).
    let keep = app.settings.store.then(|| persist::note(&msg, &app.me.id));
    // Only keys and pastes edit the draft; remember it to see whether they did.
    let draft_before = matches!(msg, Msg::Key(_) | Msg::Paste(_))
        .then(|| (app.current.clone(), app.composer.text().to_owned()));
    let composing = matches!(msg, Msg::Key(_) | Msg::Paste(_));
    let view = match msg {
        Msg::Key(key) => keys::on_key(app, key, now, &mut fx),
        Msg::Paste(text) => compose::on_paste(app, &text, now, &mut fx),
        Msg::Mouse { mouse, hits } => mouse::on_mouse(app, mouse, &hits, now, &mut fx),
        Msg::Resize { width, height } => keys::on_resize(app, width, height),
        Msg::Tick => {
            structure::refetch_due(app, now, &mut fx);
            gateway::on_tick(app, now, &mut fx)
        }
        Msg::WallClock(wall) => gateway::on_wall_clock(app, wall, now),
        Msg::Gateway(_) => View::Unchanged,
        Msg::Chat(event) => gateway::on_chat(app, event, now, &mut fx),
        Msg::Backfill { messages, .. } => gateway::on_backfill(app, messages, now, &mut fx),
        Msg::Gap { channel, after } => gateway::on_gap(app, &channel, after),
        Msg::UnreadState(counts) => unread::on_unread_state(app, &counts, &mut fx),
        Msg::UnreadSince { channel, messages } => unread::on_unread_since(app, &channel, &messages),
        Msg::Focus(focused) => gateway::on_focus(app, focused),
        Msg::Shown(shown) => history::on_shown(app, &shown),
        Msg::ImagesWanted(urls) => images::on_images_wanted(app, urls, &mut fx),
        Msg::ImageLoaded { url, result } => images::on_image_loaded(app, &url, result),
        Msg::EditedExternally { channel, text } => {
            compose::on_edited_externally(app, channel, &text, now, &mut fx)
        }
        Msg::ActionFailed(reason) => failures::on_action_failed(app, reason, now),
        Msg::Link { group, state } => gateway::on_link(app, group, state, now, &mut fx),
        Msg::Loaded(data) => load::on_loaded(app, data, false, &mut fx),
        Msg::Cached(data) => load::on_loaded(app, data, true, &mut fx),
        Msg::RestoreOutbox(entries) => load::on_restore_outbox(app, entries, now),
        Msg::StoreUnavailable(reason) => load::on_store_unavailable(app, &reason, now),
        Msg::SearchResults { seq, result } => search::on_search_results(app, seq, result),
        Msg::TeamLoaded(team) => load::on_team_loaded(app, team, &mut fx),
        Msg::TeamRefreshed(team) => structure::on_team_refreshed(app, team, &mut fx),
        Msg::RestoreState(state) => load::on_restore_state(app, state, &mut fx),
        Msg::History {
            channel,
            messages,
            has_past,
            older,
        } => history::on_history(app, &channel, messages, has_past, older, &mut fx),
        Msg::StoredHistory {
            channel,
            messages,
            has_past,
            page,
        } => history::on_stored_history(app, &channel, messages, has_past, &page, &mut fx),
        Msg::SendConfirmed {
            channel,
            message_id,
            created_at,
        } => compose::on_send_confirmed(app, &channel, &message_id, created_at),
        Msg::Pins { channel, messages } => pins::on_pins(app, &channel, messages),
        Msg::ApiFailed { op, failure } => failures::on_api_failed(app, &op, &failure, now, &mut fx),
        Msg::Unauthorized => failures::on_unauthorized(app, &mut fx),
    };
    if composing {
        // The word at the cursor may have changed: the completion popup follows it.
        if app.focus == super::Focus::Composer && app.popup.is_none() {
            super::completion::refresh(app);
        } else {
            app.completion = None;
        }
    }
    if let Some(keep) = keep {
        persist::finish(app, keep, now, &mut fx);
    }
    if view == View::Changed {
        app.dirty = true;
        app.title_stale = app.settings.set_title;
    }
    if let Some((channel, text)) = draft_before
        && app.current == channel
        && app.composer.text() != text
    {
        app.draft_save_at = Some(now + DRAFT_AUTOSAVE_AFTER);
    }
    fx
}

/// The window title's effect, when the unread total it shows changed: asked by the runtime's
/// loop once per batch of messages, not by [`update`] for each, since the total sums every
/// channel (a burst of a thousand messages in an account of hundreds of channels would sum
/// them a thousand times).
pub fn refresh_title(app: &mut App) -> Option<Effect> {
    if !std::mem::take(&mut app.title_stale) {
        return None;
    }
    let (unread, mentions) = app.unread_totals();
    let title = match (unread, mentions) {
        (0, 0) => "gilt".to_owned(),
        (u, 0) => format!("gilt ({u})"),
        (u, m) => format!("gilt ({u}, {m} for you)"),
    };
    if app.title_shown.as_deref() == Some(title.as_str()) {
        return None;
    }
    app.title_shown = Some(title.clone());
    Some(Effect::SetTitle(title))
}
