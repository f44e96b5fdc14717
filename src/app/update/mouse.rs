//! Mouse input (`mouse = true`): a click opens the sidebar row or selects the message under
//! it, the wheel scrolls the timeline. What is under the pointer comes from the last frame's
//! [`HitMap`], so this stays pure.

use std::time::Instant;

use super::View;
use super::channels::{current_timeline_mut, set_focus};
use super::commands::run_command;
use super::history::{maybe_load_older, maybe_reload_latest};
use crate::app::command::Command;
use crate::app::mouse::{HitMap, Mouse, MouseAction};
use crate::app::msg::Effect;
use crate::app::{App, Focus};

/// Timeline rows scrolled per wheel notch.
pub(crate) const WHEEL_STEP: usize = 3;

pub(super) fn on_mouse(
    app: &mut App,
    mouse: Mouse,
    hits: &HitMap,
    now: Instant,
    fx: &mut Vec<Effect>,
) -> View {
    // A popup owns the input while it is open; the panes under it were not what was aimed at.
    if app.popup.is_some() {
        return View::Unchanged;
    }
    let (column, row) = (mouse.column, mouse.row);
    match mouse.action {
        MouseAction::Click => {
            if let Some(entry) = hits.sidebar_entry(column, row) {
                // The entry as the model lists it now (the frame may be a moment old).
                let Some(index) = app.sidebar_entries().iter().position(|e| e == entry) else {
                    return View::Unchanged;
                };
                if !entry.selectable() {
                    return View::Unchanged;
                }
                app.sidebar_cursor = index;
                run_command(app, Command::SidebarOpen, now, fx);
                return View::Changed;
            }
            if let Some(id) = hits.message(column, row) {
                let Some(tl) = current_timeline_mut(app) else {
                    return View::Unchanged;
                };
                if tl.position(id).is_none() {
                    return View::Unchanged;
                }
                tl.selected = Some(id.clone());
                set_focus(app, Focus::Timeline);
                return View::Changed;
            }
            View::Unchanged
        }
        MouseAction::WheelUp | MouseAction::WheelDown => {
            if !hits.timeline.contains(column, row) {
                return View::Unchanged;
            }
            let Some(tl) = current_timeline_mut(app) else {
                return View::Unchanged;
            };
            if mouse.action == MouseAction::WheelUp {
                tl.scroll_up(WHEEL_STEP);
                maybe_load_older(app, fx);
            } else {
                tl.scroll_down(WHEEL_STEP);
                maybe_reload_latest(app, fx);
            }
            View::Changed
        }
    }
}
