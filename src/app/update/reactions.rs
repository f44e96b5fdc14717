//! Reactions and mute: the reaction picker (open, type to filter, pick), the list of who
//! reacted, and muting the open channel.

use std::collections::HashMap;
use std::time::Instant;

use super::channels::selected_message;
use super::compose::toggle_reaction;
use crate::app::command::Command;
use crate::app::composer::{Composer, Edit};
use crate::app::model::{Delivery, EmojiId};
use crate::app::msg::Effect;
use crate::app::reactions::{PickerSource, ReactionPicker};
use crate::app::{App, Channel, Popup};

/// Rows a page key moves in the picker.
const PICKER_PAGE: isize = 8;

/// `+` on a selected message: the picker over every emoji, recent first.
pub(super) fn open_picker(app: &mut App) {
    let Some(m) = selected_message(app).filter(|m| m.delivery == Delivery::Confirmed) else {
        return;
    };
    let source = PickerSource {
        book: &app.reactions,
        team: app.channels.get(&m.channel_id).and_then(Channel::team_id),
        seen: seen_emoji(app),
        on_message: m
            .reactions
            .iter()
            .map(|r| (r.emoji_id, r.name.clone()))
            .collect(),
    };
    let picker = ReactionPicker::open(m.channel_id.clone(), m.id.clone(), &source);
    app.popup = Some(Popup::ReactionPicker(Box::new(picker)));
}

/// Emoji ids by name, from the reactions on every loaded message (a name that is only the
/// id, as for an emoji no payload named, teaches nothing).
fn seen_emoji(app: &App) -> HashMap<String, EmojiId> {
    let mut seen = HashMap::new();
    for tl in app.timelines.values() {
        for m in tl.iter() {
            for r in &m.reactions {
                if r.name != r.emoji_id.to_string() && !r.name.is_empty() {
                    seen.entry(r.name.clone()).or_insert(r.emoji_id);
                }
            }
        }
    }
    seen
}

/// A command while the picker is open: move, pick (Enter, Alt-N), or close.
pub(super) fn picker_command(
    app: &mut App,
    mut picker: Box<ReactionPicker>,
    command: Command,
    now: Instant,
    fx: &mut Vec<Effect>,
) -> Option<Popup> {
    let pick = match command {
        Command::ReactionClose => return None,
        Command::ReactionPrev => Err(-1),
        Command::ReactionNext => Err(1),
        Command::ReactionPageUp => Err(-PICKER_PAGE),
        Command::ReactionPageDown => Err(PICKER_PAGE),
        Command::ReactionPick => Ok(picker.selected),
        other => match other.reaction_index() {
            Some(i) => Ok(i),
            None => return Some(Popup::ReactionPicker(picker)),
        },
    };
    let i = match pick {
        Ok(i) => i,
        Err(delta) => {
            picker.step(delta);
            return Some(Popup::ReactionPicker(picker));
        }
    };
    let Some(choice) = picker.nth(i).cloned() else {
        return Some(Popup::ReactionPicker(picker));
    };
    let Some(id) = choice.id else {
        let name = crate::sanitize::sanitize(&choice.name).into_owned();
        app.notify(
            format!(
                "Guilded's id for :{name}: is not known yet (gilt learns it from a reaction \
                 it sees); pick another"
            ),
            true,
            now,
        );
        return Some(Popup::ReactionPicker(picker));
    };
    toggle_reaction(
        app,
        &picker.channel,
        &picker.message_id,
        id,
        &choice.name,
        fx,
    );
    None
}

/// Edit the picker's query (a typed character, an editing key, a paste) and refilter.
pub(super) fn picker_edit(app: &mut App, edit: impl FnOnce(&mut Composer) -> Edit) {
    if let Some(Popup::ReactionPicker(picker)) = &mut app.popup
        && edit(&mut picker.query) == Edit::Changed
    {
        picker.refilter();
    }
}

/// `w` on a selected message: who reacted with what.
pub(super) fn open_reactions(app: &mut App, now: Instant) {
    let Some(m) = selected_message(app) else {
        return;
    };
    if m.reactions.is_empty() {
        app.notify("No reactions on this message", false, now);
        return;
    }
    app.popup = Some(Popup::Reactions {
        channel: m.channel_id.clone(),
        message_id: m.id.clone(),
        scroll: 0,
    });
}

/// A command while the list of who reacted is open.
pub(super) fn reactions_command(popup: Popup, command: Command) -> Option<Popup> {
    let Popup::Reactions {
        channel,
        message_id,
        scroll,
    } = popup
    else {
        return Some(popup);
    };
    let scroll = match command {
        Command::ReactionsClose => return None,
        Command::ReactionsUp => scroll.saturating_sub(1),
        Command::ReactionsDown => scroll.saturating_add(1),
        _ => scroll,
    };
    Some(Popup::Reactions {
        channel,
        message_id,
        scroll,
    })
}

/// Mute the open channel, or unmute it; saved at once so it survives a crash too.
pub(super) fn toggle_mute(app: &mut App, now: Instant, fx: &mut Vec<Effect>) {
    let Some(channel) = app.current.clone() else {
        return;
    };
    // Sanitised name by name.
    let name = app
        .channels
        .get(&channel)
        .map(|c| app.switcher_label(c))
        .unwrap_or_default();
    if app.muted.remove(&channel) {
        app.notify(format!("Unmuted {name}"), false, now);
    } else {
        app.muted.insert(channel);
        app.notify(
            format!("Muted {name}: no notifications; mentions still count"),
            false,
            now,
        );
    }
    fx.push(Effect::SaveState(app.persisted_state()));
}
