//! Non-chat channels: their events become lines of an activity view (newest first, live,
//! bounded), opened instead of a timeline when such a channel is chosen.

use std::time::Instant;

use crate::app::activity::ActivityItem;
use crate::app::command::Command;
use crate::app::model::ChannelId;
use crate::app::{App, Popup};

/// Something happened in a non-chat channel we know: a line at the top of its view (the
/// time of the event, else now).
pub(super) fn fold_activity(
    app: &mut App,
    channel: &ChannelId,
    mut item: ActivityItem,
    now: Instant,
) {
    if !app.channels.contains_key(channel) {
        return;
    }
    if item.at.is_none() && app.wall.is_some() {
        item.at = Some(app.wall_now(now));
    }
    app.activity.push(channel, item);
    // A view scrolled down keeps its lines where they are as new ones arrive on top.
    if let Some(Popup::Activity {
        channel: open,
        scroll,
    }) = &mut app.popup
        && open == channel
        && *scroll > 0
    {
        *scroll = (*scroll + 1).min(app.activity.len_of(channel).saturating_sub(1));
    }
}

/// A key in the activity view: scroll or close.
pub(super) fn activity_command(
    app: &App,
    channel: ChannelId,
    scroll: usize,
    command: Command,
) -> Option<Popup> {
    let last = app.activity.len_of(&channel).saturating_sub(1);
    let scroll = match command {
        Command::ActivityClose => return None,
        Command::ActivityUp => scroll.saturating_sub(1),
        Command::ActivityDown => (scroll + 1).min(last),
        _ => scroll,
    };
    Some(Popup::Activity { channel, scroll })
}
