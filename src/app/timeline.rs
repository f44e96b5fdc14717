//! One channel's loaded history: a bounded, id-deduplicated, time-ordered buffer of messages,
//! the pending local echoes after it, and the scroll / selection state of its view.
//!
//! Pure: no IO. Order is (createdAt, id); every message id appears at most once; a message
//! deleted before (or while) it arrives is never resurrected.

use std::collections::{HashSet, VecDeque};

use jiff::Timestamp;

mod reactions;
pub use reactions::{add_reaction, remove_reaction};
mod view;
mod window;

use super::model::{Delivery, Message, MessageId, UserId};
use crate::protocol::content::RichText;
use crate::protocol::{IdMap, IdSet};

/// How many deleted ids are remembered to drop late creates/backfills of deleted messages.
const TOMBSTONES_KEPT: usize = 512;
/// The hard cap on a timeline, in multiples of its limit: while the user is scrolled up the
/// buffer may grow past the limit (so older pages do not evict themselves), up to this.
const HARD_LIMIT_FACTOR: usize = 4;
/// How many edits of messages not (yet) loaded are kept, to apply when the create comes.
const EARLY_EDITS_KEPT: usize = 64;

/// An edit that arrived before its message.
#[derive(Debug, Clone)]
struct EarlyEdit {
    id: MessageId,
    content: RichText,
    edited_at: Option<Timestamp>,
}

/// What inserting a message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    /// A message not seen before.
    New,
    /// It confirmed one of our pending echoes.
    Confirmed,
    /// Already known: merged (content, edit time, reactions when given).
    Duplicate,
    /// Dropped: it was deleted.
    Ignored,
}

/// A channel's history and view state.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// Server-known messages, sorted by (createdAt, id).
    messages: VecDeque<Message>,
    /// id → createdAt of every message in `messages` (to binary-search its position).
    by_id: IdMap<MessageId, Timestamp>,
    /// Our local echoes (pending or failed), in send order; shown after `messages`.
    pending: Vec<Message>,
    tombstones: IdSet<MessageId>,
    tombstone_order: VecDeque<MessageId>,
    /// Edits of messages not loaded yet, oldest first (at most `EARLY_EDITS_KEPT`).
    early_edits: VecDeque<EarlyEdit>,
    /// Messages showing our own edit, applied before the server confirmed it: any copy from
    /// the server with an edit time wins over it (our clock is not the server's).
    local_edits: IdSet<MessageId>,
    limit: usize,
    /// Whether older messages exist on the server beyond the oldest loaded one.
    pub has_past: bool,
    /// An older page has been asked for and not answered yet.
    pub loading_older: bool,
    /// The latest page has arrived (before that the UI may say "loading…").
    pub loaded: bool,
    /// The server's latest page is merged: the newest end follows the live stream (a page
    /// from the store alone may be behind it).
    pub synced: bool,
    /// Newer messages were dropped to keep the hard cap while the user read older history:
    /// back at the bottom, the latest page must be loaded again ([`Timeline::reset_to_latest`]).
    pub missing_newer: bool,
    /// Messages after this instant are known missing (a reconnect could not fetch them all;
    /// the gateway keeps trying): the view shows a row where they belong.
    pub missing_after: Option<Timestamp>,
    /// How many messages are hidden below the view (0 = following the newest message).
    /// Counted in messages over [`Timeline::len`] (confirmed then pending), so prepending older
    /// messages never moves the view.
    pub scroll: usize,
    /// New messages that arrived below the view while scrolled up ("new messages below").
    pub new_below: u32,
    /// The message picked in selection mode.
    pub selected: Option<MessageId>,
    /// How many messages above the bottom one the last frame showed in full (`None` before
    /// a frame): only the UI knows how many rows a message takes.
    pub fill: Option<usize>,
    /// Messages whose spoilers the user revealed.
    pub revealed: HashSet<MessageId>,
}

impl Timeline {
    /// An empty timeline keeping at most `limit` server messages (at least 1).
    pub fn new(limit: usize) -> Self {
        Timeline {
            messages: VecDeque::new(),
            by_id: IdMap::default(),
            pending: Vec::new(),
            tombstones: IdSet::default(),
            tombstone_order: VecDeque::new(),
            early_edits: VecDeque::new(),
            local_edits: IdSet::default(),
            limit: limit.max(1),
            has_past: true,
            loading_older: false,
            loaded: false,
            synced: false,
            missing_newer: false,
            missing_after: None,
            scroll: 0,
            new_below: 0,
            selected: None,
            fill: None,
            revealed: HashSet::new(),
        }
    }

    /// Number of messages shown (confirmed + pending echoes).
    pub fn len(&self) -> usize {
        self.messages.len() + self.pending.len()
    }

    /// Whether nothing is loaded or pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`-th message in display order (0 = oldest loaded), pending echoes last.
    pub fn get_index(&self, i: usize) -> Option<&Message> {
        if i < self.messages.len() {
            self.messages.get(i)
        } else {
            self.pending.get(i - self.messages.len())
        }
    }

    /// All messages in display order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Message> {
        self.messages.iter().chain(self.pending.iter())
    }

    /// Index of the bottom-most visible message (`len - 1 - scroll`), None when empty.
    pub fn bottom_index(&self) -> Option<usize> {
        self.len().checked_sub(1 + self.scroll)
    }

    /// Find a message by id (confirmed or pending).
    pub fn get(&self, id: &MessageId) -> Option<&Message> {
        self.position(id).and_then(|i| self.get_index(i))
    }

    /// Display index of a message by id.
    pub fn position(&self, id: &MessageId) -> Option<usize> {
        if let Some(ts) = self.by_id.get(id) {
            let key = (*ts, id);
            return self
                .messages
                .binary_search_by(|m| m.sort_key().cmp(&key))
                .ok();
        }
        self.pending
            .iter()
            .position(|m| &m.id == id)
            .map(|p| p + self.messages.len())
    }

    fn get_mut(&mut self, id: &MessageId) -> Option<&mut Message> {
        if let Some(ts) = self.by_id.get(id) {
            let key = (*ts, id);
            let i = self
                .messages
                .binary_search_by(|m| m.sort_key().cmp(&key))
                .ok()?;
            return self.messages.get_mut(i);
        }
        self.pending.iter_mut().find(|m| &m.id == id)
    }

    /// Time of the oldest loaded server message (for `beforeDate`).
    pub fn oldest_time(&self) -> Option<Timestamp> {
        self.messages.front().map(|m| m.created_at)
    }

    /// Time of the newest loaded server message.
    pub fn newest_time(&self) -> Option<Timestamp> {
        self.messages.back().map(|m| m.created_at)
    }

    /// Insert or merge a server message. Keeps the view steady: a message landing below the
    /// view while scrolled up counts towards "new messages below".
    pub fn insert(&mut self, mut message: Message) -> Inserted {
        if self.tombstones.contains(&message.id) {
            return Inserted::Ignored;
        }
        let mut result = Inserted::New;
        if let Some(p) = self.pending.iter().position(|m| m.id == message.id) {
            // Our echo confirmed: it moves from the pending tail to its server position.
            let echo = self.pending.remove(p);
            if message.reactions.is_empty() {
                message.reactions = echo.reactions;
            }
            result = Inserted::Confirmed;
        } else if self.by_id.contains_key(&message.id) {
            // The newer edit wins: an older copy (a history page fetched before a live edit)
            // keeps the content we have; any server copy with an edit time beats our own
            // unconfirmed edit.
            let local = self.local_edits.contains(&message.id);
            if local && message.edited_at.is_some() {
                self.local_edits.remove(&message.id);
            }
            let Some(existing) = self.get_mut(&message.id) else {
                return Inserted::Duplicate;
            };
            let newer = match (message.edited_at, existing.edited_at) {
                (_, None) => true,
                (None, Some(_)) => false,
                (Some(incoming), Some(ours)) => local || incoming >= ours,
            };
            if newer {
                existing.content = message.content;
                existing.edited_at = message.edited_at.or(existing.edited_at);
            }
            if !message.reactions.is_empty() {
                existing.reactions = message.reactions;
            }
            existing.replies_to = message.replies_to;
            existing.is_pinned = existing.is_pinned || message.is_pinned;
            return Inserted::Duplicate;
        }
        message.delivery = Delivery::Confirmed;
        if let Some(p) = self.early_edits.iter().position(|e| e.id == message.id) {
            // Its edit came first: apply it if it is newer than this copy.
            if let Some(edit) = self.early_edits.remove(p)
                && message
                    .edited_at
                    .is_none_or(|t| edit.edited_at.is_some_and(|e| e >= t))
            {
                message.content = edit.content.into();
                message.edited_at = edit.edited_at.or(Some(message.created_at));
            }
        }
        let key_ts = message.created_at;
        if self.missing_newer
            && result != Inserted::Confirmed
            && self
                .messages
                .back()
                .is_none_or(|last| last.sort_key() < (key_ts, &message.id))
        {
            // It belongs after the dropped newer messages: not kept (that would hide the gap);
            // it comes back with the latest page.
            self.new_below = self.new_below.saturating_add(1);
            return result;
        }
        let pos = match self
            .messages
            .binary_search_by(|m| m.sort_key().cmp(&(key_ts, &message.id)))
        {
            Ok(p) | Err(p) => p,
        };
        let old_len = self.len();
        // Below the view's bottom (display index > bottom)? Then keep the same messages in view.
        let below_view = self.scroll > 0 && pos + self.scroll >= old_len;
        if result == Inserted::Confirmed {
            // The echo was already counted in `len` (at the tail); it only moved.
        } else if below_view {
            self.scroll += 1;
            self.new_below = self.new_below.saturating_add(1);
        }
        self.by_id.insert(message.id.clone(), key_ts);
        self.messages.insert(pos, message);
        self.evict();
        result
    }

    /// Drop the oldest server messages beyond the limit; they can be re-fetched on scroll.
    /// While the user reads older history (scrolled up) nothing is dropped — otherwise each
    /// older page would evict itself and scrolling back would loop; the buffer is trimmed
    /// again once the view returns to the newest message.
    ///
    /// Even scrolled up, the buffer stays under a hard cap (`HARD_LIMIT_FACTOR` × the limit):
    /// beyond it the end farther from the view goes, the oldest (re-fetched on scroll) or the
    /// newest (`missing_newer`: reloaded when the view returns to the bottom).
    fn evict(&mut self) {
        if self.scroll > 0 {
            let hard = self.limit.saturating_mul(HARD_LIMIT_FACTOR);
            while self.messages.len() > hard {
                let bottom = self.len().saturating_sub(1 + self.scroll);
                let dropped = if self.scroll > bottom && self.scroll > 0 {
                    // Reading old history: the newest messages are the far end.
                    self.missing_newer = true;
                    self.scroll -= 1;
                    self.messages.pop_back()
                } else if self.loading_older {
                    break;
                } else {
                    self.has_past = true;
                    self.messages.pop_front()
                };
                if let Some(old) = dropped {
                    self.forget(&old.id);
                }
            }
            self.clamp_scroll();
            return;
        }
        // While an older page is on its way the oldest stay: the page must join them.
        while self.messages.len() > self.limit && !self.loading_older {
            if let Some(old) = self.messages.pop_front() {
                self.forget(&old.id);
            }
            self.has_past = true;
        }
        self.clamp_scroll();
    }

    /// A message left the buffer: drop what refers to it.
    fn forget(&mut self, id: &MessageId) {
        self.by_id.remove(id);
        self.revealed.remove(id);
        if self.selected.as_ref() == Some(id) {
            self.selected = None;
        }
    }

    /// Start over from the latest page (after `missing_newer`): the server messages go, the
    /// pending echoes stay; the caller loads the latest page.
    pub fn reset_to_latest(&mut self) {
        self.messages.clear();
        self.by_id.clear();
        self.revealed.clear();
        self.selected = None;
        self.scroll = 0;
        self.new_below = 0;
        self.loaded = false;
        self.synced = false;
        self.loading_older = false;
        self.missing_newer = false;
        self.has_past = true;
    }

    fn clamp_scroll(&mut self) {
        // Not past where the oldest loaded message reaches the top of the pane (scrolling
        // further would leave the pane part empty, and an older page arriving then would
        // show a screen further up than one page).
        // One message more while a note goes above the oldest ("Loading older messages…",
        // "This is the beginning"): the UI then moves the view down to leave it a row.
        let mut fill = self.fill.unwrap_or(0);
        if self.loading_older || !self.has_past {
            fill = fill.saturating_sub(1);
        }
        let max = self.len().saturating_sub(1).saturating_sub(fill);
        if self.scroll > max {
            self.scroll = max;
        }
        if self.scroll == 0 {
            self.new_below = 0;
        }
    }

    /// Add our local echo (shown dimmed at the bottom until confirmed).
    pub fn push_pending(&mut self, mut message: Message) {
        message.delivery = Delivery::Pending;
        self.pending.push(message);
        // Sending jumps to the newest message.
        self.scroll = 0;
        self.new_below = 0;
        self.evict();
    }

    /// Mark a pending echo confirmed by the REST answer (the gateway event may come later or
    /// never): it moves to its server position with the server's time when given.
    pub fn confirm(&mut self, id: &MessageId, created_at: Option<Timestamp>) -> bool {
        let Some(p) = self.pending.iter().position(|m| &m.id == id) else {
            return false;
        };
        let mut echo = self.pending.remove(p);
        if let Some(ts) = created_at {
            echo.created_at = ts;
        }
        // Re-insert as a server message; `insert` sees no pending entry and treats it as new,
        // but the count of shown messages is unchanged, so undo its scroll bump.
        let (scroll, below) = (self.scroll, self.new_below);
        self.insert(echo);
        self.scroll = scroll;
        self.new_below = below;
        self.clamp_scroll();
        true
    }

    /// Mark a pending echo failed (kept, retry-able).
    pub fn fail(&mut self, id: &MessageId, error: &str) -> bool {
        match self.pending.iter_mut().find(|m| &m.id == id) {
            Some(m) => {
                m.delivery = Delivery::Failed {
                    error: error.to_owned(),
                };
                true
            }
            None => false,
        }
    }

    /// Take the failed echoes (to resend them); they become pending again.
    pub fn retry_failed(&mut self) -> Vec<Message> {
        let mut out = Vec::new();
        for m in &mut self.pending {
            if matches!(m.delivery, Delivery::Failed { .. }) {
                m.delivery = Delivery::Pending;
                out.push(m.clone());
            }
        }
        out
    }

    /// Take one failed echo to resend it; it becomes pending again. `None` unless it is a
    /// failed echo (already resent, confirmed or gone).
    pub fn retry(&mut self, id: &MessageId) -> Option<Message> {
        let m = self
            .pending
            .iter_mut()
            .find(|m| &m.id == id && matches!(m.delivery, Delivery::Failed { .. }))?;
        m.delivery = Delivery::Pending;
        Some(m.clone())
    }

    /// Replace a message's content (an edit from the server) unless what we show is a newer
    /// edit. An edit of a message not loaded is kept (bounded) for when it arrives. Returns
    /// whether a shown message changed.
    pub fn update_content(
        &mut self,
        id: &MessageId,
        content: RichText,
        edited_at: Option<Timestamp>,
    ) -> bool {
        let local = self.local_edits.contains(id);
        let deleted = self.tombstones.contains(id);
        match self.get_mut(id) {
            Some(m) => {
                let older = !local
                    && matches!((edited_at, m.edited_at), (Some(new), Some(ours)) if new < ours);
                if older {
                    return false;
                }
                m.content = content.into();
                m.edited_at = edited_at.or(m.edited_at).or(Some(m.created_at));
                self.local_edits.remove(id);
                true
            }
            None if deleted => false,
            None => {
                self.early_edits.retain(|e| &e.id != id);
                if self.early_edits.len() >= EARLY_EDITS_KEPT {
                    self.early_edits.pop_front();
                }
                self.early_edits.push_back(EarlyEdit {
                    id: id.clone(),
                    content,
                    edited_at,
                });
                false
            }
        }
    }

    /// Our own edit, shown before the server confirms it; returns what it replaced (content,
    /// edit time) so a failure can put it back ([`Timeline::undo_local_edit`]).
    pub fn apply_local_edit(
        &mut self,
        id: &MessageId,
        content: RichText,
        edited_at: Timestamp,
    ) -> Option<(RichText, Option<Timestamp>)> {
        let m = self.get_mut(id)?;
        let before = (
            std::mem::replace(&mut m.content, content.into()).into_rich(),
            m.edited_at,
        );
        m.edited_at = Some(edited_at);
        self.local_edits.insert(id.clone());
        Some(before)
    }

    /// The server refused our edit: back to what it replaced, unless the server has sent a
    /// newer copy meanwhile. Returns whether the message changed.
    pub fn undo_local_edit(
        &mut self,
        id: &MessageId,
        content: RichText,
        edited_at: Option<Timestamp>,
    ) -> bool {
        if !self.local_edits.remove(id) {
            return false;
        }
        match self.get_mut(id) {
            Some(m) => {
                m.content = content.into();
                m.edited_at = edited_at;
                true
            }
            None => false,
        }
    }

    /// Put back a message we deleted locally whose delete the server refused.
    pub fn undo_delete(&mut self, message: Message) -> bool {
        if self.tombstones.remove(&message.id) {
            self.tombstone_order.retain(|t| t != &message.id);
        }
        self.insert(message) == Inserted::New
    }

    /// Remove a message (server delete, or dropping a failed echo); remembers the id so a late
    /// create or backfill cannot bring it back. Returns whether it was shown.
    pub fn remove(&mut self, id: &MessageId) -> bool {
        self.remember_deleted(id);
        let Some(pos) = self.position(id) else {
            return false;
        };
        let old_len = self.len();
        if let Some(ts) = self.by_id.remove(id) {
            let key = (ts, id);
            if let Ok(i) = self.messages.binary_search_by(|m| m.sort_key().cmp(&key)) {
                self.messages.remove(i);
            }
        } else {
            self.pending.retain(|m| &m.id != id);
        }
        if self.scroll > 0 && pos + self.scroll >= old_len {
            self.scroll -= 1;
            self.new_below = self.new_below.saturating_sub(1);
        }
        if self.selected.as_ref() == Some(id) {
            self.selected = None;
        }
        self.revealed.remove(id);
        self.clamp_scroll();
        true
    }

    fn remember_deleted(&mut self, id: &MessageId) {
        if self.tombstones.insert(id.clone()) {
            self.tombstone_order.push_back(id.clone());
            if self.tombstone_order.len() > TOMBSTONES_KEPT
                && let Some(old) = self.tombstone_order.pop_front()
            {
                self.tombstones.remove(&old);
            }
        }
    }

    /// The newest non-system message by `user` that the server knows (for "↑ edits last").
    pub fn last_by(&self, user: &UserId) -> Option<&Message> {
        self.messages
            .iter()
            .rev()
            .find(|m| &m.author_id == user && !m.is_system)
    }

    /// Whether the "missing messages" row goes right before message `index`: the first
    /// message after the gap's start.
    pub fn gap_before(&self, index: usize) -> bool {
        let Some(after) = self.missing_after else {
            return false;
        };
        let Some(m) = self.get_index(index) else {
            return false;
        };
        let prev = index.checked_sub(1).and_then(|i| self.get_index(i));
        m.created_at > after && prev.is_none_or(|p| p.created_at <= after)
    }
}
