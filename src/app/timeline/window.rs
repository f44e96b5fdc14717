//! The window: how much of a channel's history memory keeps, and which stretch of it is
//! known to be complete (what the local store may page through later).
//!
//! Held server messages are always one unbroken stretch of the channel: pages join what is
//! held (an older page is asked for before the oldest held; a latest page that does not
//! reach what is held replaces it), and the gateway keeps the newest end up to date. The one
//! exception is a reconnect that could not fetch everything (`missing_after`).

use jiff::Timestamp;

use super::Timeline;
use crate::app::model::Message;

impl Timeline {
    /// The complete stretch held, for the store: from the oldest held (`None`: the channel's
    /// first message) to the newest, or to where a reconnect left a gap. `None` while the
    /// newest end may lag the stream (only a store page is held) or nothing is held.
    pub fn complete_span(&self) -> Option<(Option<Timestamp>, Timestamp)> {
        if !self.synced && !self.missing_newer {
            return None;
        }
        let oldest = self.messages.front()?.created_at;
        let newest = self.messages.back()?.created_at;
        let to = self.missing_after.map_or(newest, |gap| gap.min(newest));
        if to < oldest {
            return None;
        }
        Some((self.has_past.then_some(oldest), to))
    }

    /// The server's latest page, into a timeline not yet synced: if it shares no message with
    /// what is held (the store's page was older than the server's newest page reaches), the
    /// held messages older than it go, since something may lie between. Returns whether they
    /// went (the page's `has_past` then speaks for the timeline).
    pub fn sync_with_latest(&mut self, page: &[Message]) -> bool {
        if self.synced || self.missing_newer {
            return false;
        }
        self.synced = true;
        if page.iter().any(|m| self.by_id.contains_key(&m.id)) {
            return false;
        }
        let oldest = page.iter().map(Message::sort_key).min();
        let keep_from = match oldest {
            Some((at, id)) => self.messages.partition_point(|m| m.sort_key() < (at, id)),
            None => self.messages.len(),
        };
        if keep_from == 0 {
            return false;
        }
        for old in self.messages.drain(..keep_from).collect::<Vec<_>>() {
            self.forget(&old.id);
        }
        // Dropped above the view: `scroll` counts from the bottom, so the view stays.
        self.clamp_scroll();
        true
    }

    /// Start over from a page around one message (opening a search result far back): the
    /// server messages held go (the pending echoes stay) and the newest end is left open
    /// (`missing_newer`: at the bottom the latest page is loaded again).
    pub fn restart_around(&mut self, page: Vec<Message>, has_past: bool) {
        self.reset_to_latest();
        for m in page {
            self.insert(m);
        }
        self.loaded = true;
        self.has_past = has_past;
        self.missing_newer = true;
    }

    /// Leave only a page's worth around the view (the channel is no longer on screen): at the
    /// bottom, the newest `keep`; scrolled up, `keep` around the bottom of the view, and the
    /// newest end left open if messages below it went. Nothing goes while an older page is on
    /// its way (it must join what is held).
    pub fn shrink(&mut self, keep: usize) {
        if self.loading_older {
            return;
        }
        let keep = keep.max(1);
        if self.scroll > 0 {
            let below = keep / 2;
            // Server messages below the view beyond `below` go (pending echoes stay).
            while self.scroll > below + self.pending.len() {
                let Some(old) = self.messages.pop_back() else {
                    break;
                };
                self.forget(&old.id);
                self.missing_newer = true;
                self.scroll -= 1;
            }
        }
        while self.messages.len() > keep {
            let Some(old) = self.messages.pop_front() else {
                break;
            };
            self.forget(&old.id);
            self.has_past = true;
        }
        self.clamp_scroll();
    }
}
