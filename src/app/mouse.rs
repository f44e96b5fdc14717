//! The app's own mouse input, and the hit-map that says what was drawn where.
//!
//! The terminal edge converts its mouse events into [`Mouse`]; the UI fills a [`HitMap`]
//! while drawing a frame, and the runtime hands the last frame's map to the reducer with each
//! mouse event, so the reducer can tell what a click landed on without drawing anything.
//!
//! Pure data: no IO, no terminal.

use super::model::{ChannelId, MessageId};
use super::navigation::SidebarEntry;

/// What the mouse did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MouseAction {
    /// The left button went down.
    Click,
    /// One notch of the wheel away from the user (towards older messages).
    WheelUp,
    /// One notch of the wheel towards the user (towards newer messages).
    WheelDown,
}

/// A mouse event at a cell of the screen (0-based column and row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mouse {
    pub action: MouseAction,
    pub column: u16,
    pub row: u16,
}

/// A rectangle of screen cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Area {
    /// Whether the cell at (`column`, `row`) lies inside.
    pub fn contains(&self, column: u16, row: u16) -> bool {
        column >= self.x
            && row >= self.y
            && u32::from(column) < u32::from(self.x) + u32::from(self.width)
            && u32::from(row) < u32::from(self.y) + u32::from(self.height)
    }
}

/// Where the last frame drew the things a click can land on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HitMap {
    /// Each drawn sidebar row and the entry it shows.
    pub sidebar: Vec<(Area, SidebarEntry)>,
    /// The timeline pane (the wheel scrolls it anywhere inside).
    pub timeline: Area,
    /// Each drawn timeline row and the message it belongs to.
    pub messages: Vec<(Area, MessageId)>,
    /// Which messages of the open timeline the frame showed (fed back to the reducer).
    pub shown: Option<Shown>,
}

/// Which messages of a timeline a frame showed. Only the UI knows how many rows a message
/// takes; the reducer keeps the selection in view and clamps scrolling with this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub channel: ChannelId,
    /// The oldest message all of whose rows are on screen.
    pub top: MessageId,
    /// The bottom-most message drawn (the view may have moved from `scroll` to show the
    /// selection, or to fill the pane at the top of what is loaded).
    pub bottom: MessageId,
}

impl HitMap {
    /// Forget the previous frame (called before drawing the next one).
    pub fn clear(&mut self) {
        self.sidebar.clear();
        self.timeline = Area::default();
        self.messages.clear();
        self.shown = None;
    }

    /// The sidebar entry drawn at a cell.
    pub fn sidebar_entry(&self, column: u16, row: u16) -> Option<&SidebarEntry> {
        self.sidebar
            .iter()
            .find(|(area, _)| area.contains(column, row))
            .map(|(_, entry)| entry)
    }

    /// The message drawn at a cell.
    pub fn message(&self, column: u16, row: u16) -> Option<&MessageId> {
        self.messages
            .iter()
            .find(|(area, _)| area.contains(column, row))
            .map(|(_, id)| id)
    }
}
