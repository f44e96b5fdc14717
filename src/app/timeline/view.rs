//! Scrolling and the selected message: where the view of a timeline stands.

use super::Timeline;
use crate::app::model::MessageId;

impl Timeline {
    /// Scroll towards older messages by `n`; stops at the oldest loaded one.
    pub fn scroll_up(&mut self, n: usize) {
        self.scroll = self.scroll.saturating_add(n);
        self.clamp_scroll();
    }

    /// Scroll towards newer messages by `n`; at the bottom the marker clears.
    pub fn scroll_down(&mut self, n: usize) {
        self.scroll = self.scroll.saturating_sub(n);
        self.evict();
    }

    /// Jump to the newest message.
    pub fn scroll_to_bottom(&mut self) {
        self.scroll = 0;
        self.new_below = 0;
        self.evict();
    }

    /// Jump to the oldest loaded message.
    pub fn scroll_to_top(&mut self) {
        self.scroll = self.len().saturating_sub(1);
        self.clamp_scroll();
    }

    /// Whether the view is close enough to the oldest loaded message that older history should
    /// be fetched (fewer than `rows` messages above the bottom of the view).
    pub fn near_top(&self, rows: usize) -> bool {
        self.bottom_index().is_none_or(|b| b < rows)
    }

    /// Select message `id` and bring it into view (a third of a page above the bottom, as
    /// moving the selection does). False when the timeline does not hold it.
    pub fn select(&mut self, id: &MessageId, rows: usize) -> bool {
        let Some(idx) = self.position(id) else {
            return false;
        };
        let len = self.len();
        self.selected = Some(id.clone());
        let reach = (rows / 3).max(1);
        self.scroll = len - 1 - (idx + reach).min(len - 1);
        true
    }

    /// Move the selection by `delta` (negative = older); starts at the newest message. Keeps
    /// the selected message in view: below the bottom, the bottom moves to it; above the top
    /// the last frame showed, the view moves up with it (until a frame says how many
    /// messages fit, a third of a page above the bottom). The UI moves the view further if
    /// the selected message still does not fit (see `ui::timeline`).
    pub fn move_selection(&mut self, delta: isize, rows: usize) {
        let len = self.len();
        if len == 0 {
            self.selected = None;
            return;
        }
        let current = self.selected.as_ref().and_then(|id| self.position(id));
        let idx = match current {
            None => len - 1 - self.scroll.min(len - 1),
            Some(i) => i.saturating_add_signed(delta).min(len - 1),
        };
        self.selected = self.get_index(idx).map(|m| m.id.clone());
        let bottom = len - 1 - self.scroll.min(len - 1);
        let reach = self.fill.unwrap_or((rows / 3).max(1));
        if idx > bottom {
            self.scroll = len - 1 - idx;
        } else if bottom - idx > reach {
            self.scroll = len - 1 - (idx + reach).min(len - 1);
        }
        self.clamp_scroll();
    }

    /// After the view scrolled a page: a selection it left behind moves to the nearest
    /// message still in view (the bottom one, or the top one the last frame showed).
    pub fn keep_selection_in_view(&mut self, rows: usize) {
        let Some(sel) = self.selected.as_ref().and_then(|id| self.position(id)) else {
            return;
        };
        let Some(bottom) = self.bottom_index() else {
            return;
        };
        let top = bottom.saturating_sub(self.fill.unwrap_or((rows / 3).max(1)));
        let idx = sel.clamp(top, bottom);
        if idx != sel {
            self.selected = self.get_index(idx).map(|m| m.id.clone());
        }
    }

    /// What a frame showed: `top` and `bottom` are display indices of the oldest message all
    /// on screen and the bottom one drawn. The view is where the frame drew it (it may have
    /// moved to show the selection); returns whether `scroll` changed.
    pub fn shown(&mut self, top: usize, bottom: usize) -> bool {
        let len = self.len();
        if bottom >= len || top > bottom {
            return false;
        }
        self.fill = Some(bottom - top);
        let scroll = len - 1 - bottom;
        if scroll == self.scroll {
            return false;
        }
        self.scroll = scroll;
        if scroll == 0 {
            self.new_below = 0;
        }
        true
    }
}
