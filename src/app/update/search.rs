//! The Ctrl-F search popup: every edit of the prompt asks the store again (results as you
//! type; an answer to an older prompt is dropped), Enter opens the channel at the message
//! (the store sends what surrounds it), Esc goes back.

use std::time::Instant;

use super::View;
use super::channels::{open_channel, set_focus};
use crate::app::command::Command;
use crate::app::composer::Edit;
use crate::app::msg::Effect;
use crate::app::search::{SearchHit, SearchPopup, SearchQuery};
use crate::app::timeline::Timeline;
use crate::app::{App, Focus, Popup};

/// Hits asked for per search (the popup shows what fits).
pub(crate) const SEARCH_LIMIT: usize = 50;

/// Ctrl-F: an empty prompt.
pub(super) fn open(app: &mut App) {
    app.popup = Some(Popup::Search(SearchPopup::default()));
}

/// A key of the search popup (open the selected result, move, close).
pub(super) fn search_command(
    app: &mut App,
    mut sp: SearchPopup,
    command: Command,
    now: Instant,
    fx: &mut Vec<Effect>,
) -> Option<Popup> {
    match command {
        Command::SearchClose => None,
        Command::SearchOpen => match sp.results.get(sp.selected).cloned() {
            Some(hit) => {
                open_hit(app, &hit, now, fx);
                None
            }
            None => Some(Popup::Search(sp)),
        },
        Command::SearchUp => {
            sp.selected = sp.selected.saturating_sub(1);
            Some(Popup::Search(sp))
        }
        Command::SearchDown => {
            sp.selected = (sp.selected + 1).min(sp.results.len().saturating_sub(1));
            Some(Popup::Search(sp))
        }
        _ => Some(Popup::Search(sp)),
    }
}

/// An edit of the prompt: ask again when the text changed.
pub(super) fn edit(
    app: &mut App,
    edit: impl FnOnce(&mut crate::app::Composer) -> Edit,
    fx: &mut Vec<Effect>,
) {
    let Some(Popup::Search(sp)) = &mut app.popup else {
        return;
    };
    if edit(&mut sp.query) != Edit::Changed {
        return;
    }
    sp.asked += 1;
    let query = SearchQuery::parse(sp.query.text());
    if query.is_empty() {
        sp.results.clear();
        sp.selected = 0;
        sp.error = None;
        return;
    }
    fx.push(Effect::Search {
        seq: sp.asked,
        query,
        limit: SEARCH_LIMIT,
    });
}

/// The store's answer: kept only if it answers the prompt as it is now.
pub(super) fn on_search_results(
    app: &mut App,
    seq: u64,
    result: Result<Vec<SearchHit>, String>,
) -> View {
    let Some(Popup::Search(sp)) = &mut app.popup else {
        return View::Unchanged;
    };
    if seq != sp.asked {
        return View::Unchanged;
    }
    match result {
        Ok(hits) => {
            sp.results = hits;
            sp.error = None;
        }
        Err(error) => {
            sp.results.clear();
            sp.error = Some(error);
        }
    }
    sp.selected = 0;
    View::Changed
}

/// Open the hit's channel at the message: selected now if it is loaded, else once the store's
/// page around it arrives.
fn open_hit(app: &mut App, hit: &SearchHit, now: Instant, fx: &mut Vec<Effect>) {
    if !app.channels.contains_key(&hit.channel_id) {
        app.notify("That channel is no longer available", true, now);
        return;
    }
    // Not held: the window restarts around it (from the store), not at the latest page,
    // which may be far from it.
    let limit = app.settings.window();
    let tl = app
        .timelines
        .entry(hit.channel_id.clone())
        .or_insert_with(|| Timeline::new(limit));
    if tl.get(&hit.message_id).is_none() && tl.is_empty() {
        tl.loaded = true;
        tl.missing_newer = true;
    }
    open_channel(app, &hit.channel_id, fx);
    app.jump_to = Some((hit.channel_id.clone(), hit.message_id.clone()));
    fx.push(Effect::LoadAround {
        channel: hit.channel_id.clone(),
        message_id: hit.message_id.clone(),
    });
    jump_if_loaded(app);
}

/// If the message being opened is in its timeline now, select it (and forget the jump).
pub(super) fn jump_if_loaded(app: &mut App) {
    let Some((channel, id)) = app.jump_to.clone() else {
        return;
    };
    if app.current.as_ref() != Some(&channel) {
        // The user went elsewhere meanwhile.
        app.jump_to = None;
        return;
    }
    let rows = app.timeline_rows();
    let found = app
        .timelines
        .get_mut(&channel)
        .is_some_and(|tl| tl.select(&id, rows));
    if found {
        app.jump_to = None;
        app.focus = Focus::Timeline;
        set_focus(app, Focus::Timeline);
    }
}
