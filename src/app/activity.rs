//! What happened in the non-chat channels (forums, docs, lists, announcements, media,
//! calendars) since gilt started, from their gateway events: newest first, bounded per
//! channel. Their content itself is read in the web client.
//!
//! Pure data: no IO.

use std::collections::{HashMap, VecDeque};

use jiff::Timestamp;

use super::model::{ChannelId, UserId};

/// Lines kept per channel (the oldest go first).
pub const ACTIVITY_KEPT: usize = 100;

/// What kind of thing happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityKind {
    Created,
    Updated,
    Deleted,
    Replied,
    ReplyUpdated,
    ReplyDeleted,
    Reacted,
    Unreacted,
    EventCreated,
    EventUpdated,
    EventRemoved,
}

impl ActivityKind {
    /// The verb of an activity line ("alice posted “Release plans”").
    pub fn verb(self) -> &'static str {
        match self {
            ActivityKind::Created => "posted",
            ActivityKind::Updated => "edited",
            ActivityKind::Deleted => "deleted",
            ActivityKind::Replied => "replied to",
            ActivityKind::ReplyUpdated => "edited a reply to",
            ActivityKind::ReplyDeleted => "deleted a reply to",
            ActivityKind::Reacted => "reacted to",
            ActivityKind::Unreacted => "took back a reaction to",
            ActivityKind::EventCreated => "scheduled",
            ActivityKind::EventUpdated => "changed",
            ActivityKind::EventRemoved => "cancelled",
        }
    }
}

/// One line of a channel's activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityItem {
    pub kind: ActivityKind,
    /// The item's title, when the event named it (unsanitised: the UI sanitises).
    pub title: Option<String>,
    pub actor: Option<UserId>,
    pub at: Option<Timestamp>,
}

/// Every non-chat channel's activity, newest first.
#[derive(Debug, Clone, Default)]
pub struct Activity {
    by_channel: HashMap<ChannelId, VecDeque<ActivityItem>>,
}

impl Activity {
    /// Add a line at the top of a channel's list (the oldest beyond [`ACTIVITY_KEPT`] go).
    pub fn push(&mut self, channel: &ChannelId, item: ActivityItem) {
        let list = self.by_channel.entry(channel.clone()).or_default();
        list.push_front(item);
        list.truncate(ACTIVITY_KEPT);
    }

    /// A channel's lines, newest first.
    pub fn of(&self, channel: &ChannelId) -> impl Iterator<Item = &ActivityItem> {
        self.by_channel.get(channel).into_iter().flatten()
    }

    /// How many lines a channel has.
    pub fn len_of(&self, channel: &ChannelId) -> usize {
        self.by_channel.get(channel).map_or(0, VecDeque::len)
    }

    /// Forget a channel (it was removed).
    pub fn forget(&mut self, channel: &ChannelId) {
        self.by_channel.remove(channel);
    }
}
