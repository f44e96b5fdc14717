//! History pages: from the server and from the local store, merged by id into the window a
//! channel keeps; when to ask for older pages or the latest one again.
//!
//! The held messages stay one unbroken stretch of the channel (see `timeline/window.rs`), and
//! after every page the stretch known complete goes to the store (`update/persist`).

use super::View;
use super::unread;
use crate::app::convert::{mark_mine, mentions_user};
use crate::app::model::{ChannelId, Message};
use crate::app::msg::{Effect, StoredPage};
use crate::app::timeline::Inserted;
use crate::app::{App, HISTORY_PAGE, Shown};

/// A page of history, merged by id; `older` pages were asked for by scrolling up. A tracked
/// channel's newest message may have moved: the gateway hears of it (it catches up from there).
pub(super) fn on_history(
    app: &mut App,
    channel: &ChannelId,
    messages: Vec<Message>,
    has_past: bool,
    older: bool,
    fx: &mut Vec<Effect>,
) -> View {
    let Some(tl) = app.timelines.get_mut(channel) else {
        return View::Changed;
    };
    if older {
        tl.loading_older = false;
        tl.has_past = has_past;
    } else {
        let replaced = tl.sync_with_latest(&messages);
        if !tl.loaded || replaced {
            tl.has_past = has_past;
        }
    }
    tl.loaded = true;
    merge(app, channel, messages, fx)
}

/// A page from the local store. The latest is the cache shown until the server answers (once
/// the server's page is in, it is ignored); an older page joins only the oldest message it
/// was asked for (anything else means the window moved meanwhile, and it would leave a gap);
/// a page around a search result restarts the window there unless the message is held.
pub(super) fn on_stored_history(
    app: &mut App,
    channel: &ChannelId,
    messages: Vec<Message>,
    has_past: bool,
    page: &StoredPage,
    fx: &mut Vec<Effect>,
) -> View {
    let Some(tl) = app.timelines.get_mut(channel) else {
        return View::Unchanged;
    };
    match page {
        StoredPage::Latest => {
            if tl.synced || tl.missing_newer {
                return View::Unchanged;
            }
            if !tl.loaded {
                tl.has_past = has_past;
            }
            tl.loaded = true;
        }
        StoredPage::Before(before) => {
            if !tl.loading_older {
                return View::Unchanged;
            }
            tl.loading_older = false;
            if tl.oldest_time() != Some(*before) {
                return View::Unchanged;
            }
            tl.has_past = has_past;
        }
        StoredPage::Around(id) => {
            let wanted = app.jump_to.as_ref() == Some(&(channel.clone(), id.clone()));
            if !wanted || tl.get(id).is_some() {
                super::search::jump_if_loaded(app);
                return View::Changed;
            }
            if messages.is_empty() {
                // Gone from the store meanwhile: back to the latest page.
                app.jump_to = None;
                tl.reset_to_latest();
                fx.push(Effect::LoadHistory {
                    channel: channel.clone(),
                    before: None,
                    limit: HISTORY_PAGE,
                });
                return View::Changed;
            }
            tl.restart_around(messages, has_past);
            super::search::jump_if_loaded(app);
            return View::Changed;
        }
    }
    merge(app, channel, messages, fx)
}

/// Fold a page's messages into the channel's timeline, then what follows from it: the
/// channel's activity, the read marker, the gateway's catch-up point, a pending jump.
fn merge(app: &mut App, channel: &ChannelId, messages: Vec<Message>, fx: &mut Vec<Effect>) -> View {
    let me = app.me.id.clone();
    let Some(tl) = app.timelines.get_mut(channel) else {
        return View::Changed;
    };
    for mut m in messages {
        m.mentions_me = m.mentions_me || mentions_user(&m.content, &me);
        mark_mine(&mut m, &me);
        let id = m.id.clone();
        // A page can also confirm an echo whose gateway event was missed.
        if tl.insert(m) == Inserted::Confirmed {
            app.sent_text.remove(&id);
        }
    }
    let newest = tl.newest_time();
    if let Some(ch) = app.channels.get_mut(channel) {
        ch.last_activity = ch.last_activity.max(newest);
    }
    if app.current.as_ref() == Some(channel)
        && let Some(at) = newest
    {
        unread::mark_read(app, channel, at);
    }
    if app.lru.contains(channel) {
        fx.push(Effect::TrackChannel {
            channel: channel.clone(),
            newest,
        });
    }
    super::search::jump_if_loaded(app);
    View::Changed
}

/// Back at the bottom of a timeline whose newest messages were dropped (the hard cap while
/// scrolled up): load the latest page again.
pub(super) fn maybe_reload_latest(app: &mut App, fx: &mut Vec<Effect>) {
    let Some(channel) = app.current.clone() else {
        return;
    };
    let Some(tl) = app.timelines.get_mut(&channel) else {
        return;
    };
    if tl.missing_newer && tl.scroll == 0 {
        tl.reset_to_latest();
        fx.push(Effect::LoadHistory {
            channel,
            before: None,
            limit: HISTORY_PAGE,
        });
    }
}

/// Near the top of a timeline with more history: ask for the next older page (once).
pub(super) fn maybe_load_older(app: &mut App, fx: &mut Vec<Effect>) {
    let rows = app.timeline_rows();
    let Some(channel) = app.current.clone() else {
        return;
    };
    let Some(tl) = app.timelines.get_mut(&channel) else {
        return;
    };
    if tl.loaded && tl.has_past && !tl.loading_older && tl.near_top(rows) {
        tl.loading_older = true;
        fx.push(Effect::LoadHistory {
            channel,
            before: tl.oldest_time(),
            limit: HISTORY_PAGE,
        });
    }
}

/// A frame was drawn: the open timeline learns how many messages fit on screen and where the
/// frame put the view (nothing to redraw: the frame already shows it).
pub(super) fn on_shown(app: &mut App, shown: &Shown) -> View {
    if let Some(tl) = app.timelines.get_mut(&shown.channel)
        && let (Some(top), Some(bottom)) = (tl.position(&shown.top), tl.position(&shown.bottom))
    {
        let _ = tl.shown(top, bottom);
    }
    View::Unchanged
}
