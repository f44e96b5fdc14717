//! No message lost, none shown twice: the channels the UI holds and their newest message,
//! the message ids already passed to the runtime, and the REST fetch of what a reconnect
//! missed (`afterDate` the newest one, paging back with `beforeDate`).
//!
//! Rule: the [`Tracker`] is pure bookkeeping (unit-tested); only [`fetch_missed`] does IO.

use std::collections::VecDeque;

use jiff::Timestamp;

use crate::api::{ApiClient, ApiError, MessageQuery};
use crate::protocol::models::Message;
use crate::protocol::{ChannelId, IdMap, IdSet, MessageId};

/// How many message ids are remembered for deduplication (oldest forgotten first).
pub const SEEN_IDS_CAPACITY: usize = 20_000;

/// Tracked channels and the ids already emitted. Shared by the workers behind a mutex that is
/// never held across an await.
#[derive(Debug, Default)]
pub struct Tracker {
    /// channel id → `createdAt` of the newest message the runtime has.
    channels: IdMap<ChannelId, Option<Timestamp>>,
    /// Channels with messages known missing after a capped or failed backfill: the gap's
    /// start (the newest message before it) and, once its newest part was fetched, the oldest
    /// message after it. Live events never move these, so the next fill starts where the gap
    /// really is.
    gaps: IdMap<ChannelId, Gap>,
    seen: IdSet<MessageId>,
    seen_order: VecDeque<MessageId>,
}

/// Messages known missing in a channel: everything after `after` and before `before` (up to
/// now while `before` is None).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub after: Timestamp,
    pub before: Option<Timestamp>,
}

/// What to fetch for one channel after a reconnect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fill {
    pub channel_id: ChannelId,
    /// Fetch messages after this (`afterDate`); None: the UI had none, fetch the newest page.
    pub after: Option<Timestamp>,
    /// Start paging back from here (`beforeDate`): the newer part of a gap is already in.
    pub before: Option<Timestamp>,
}

impl Tracker {
    /// Start (or keep) tracking a channel; `newest` only moves forward.
    pub fn track(&mut self, channel_id: &ChannelId, newest: Option<Timestamp>) {
        let entry = self.channels.entry(channel_id.clone()).or_insert(None);
        *entry = later(*entry, newest);
    }

    /// Stop tracking a channel.
    pub fn untrack(&mut self, channel_id: &ChannelId) {
        self.channels.remove(channel_id);
        self.gaps.remove(channel_id);
    }

    /// What to fetch for every tracked channel (the gap, where there is one), taken when a
    /// link comes up, before any live event can advance it.
    pub fn fills(&self) -> Vec<Fill> {
        self.snapshot()
            .into_iter()
            .map(|(channel_id, newest)| match self.gaps.get(&channel_id) {
                Some(gap) => Fill {
                    channel_id,
                    after: Some(gap.after),
                    before: gap.before,
                },
                None => Fill {
                    channel_id,
                    after: newest,
                    before: None,
                },
            })
            .collect()
    }

    /// The fills of the channels that still have a gap (to retry them).
    pub fn gap_fills(&self) -> Vec<Fill> {
        self.fills()
            .into_iter()
            .filter(|f| self.gaps.contains_key(&f.channel_id))
            .collect()
    }

    /// A fill ended: `fetched_to` is the oldest message fetched when the fill stopped short of
    /// `after` (capped), None when it reached it. A failed fill is [`Tracker::fill_failed`].
    /// Returns the channel's gap afterwards.
    pub fn fill_done(&mut self, fill: &Fill, fetched_to: Option<Timestamp>) -> Option<Gap> {
        match (fill.after, fetched_to) {
            (Some(after), Some(before)) if self.is_tracked(&fill.channel_id) => {
                let gap = Gap {
                    after,
                    before: Some(before),
                };
                self.gaps.insert(fill.channel_id.clone(), gap);
                Some(gap)
            }
            _ => {
                self.gaps.remove(&fill.channel_id);
                None
            }
        }
    }

    /// A fill failed: what it was to fetch is still missing.
    pub fn fill_failed(&mut self, fill: &Fill) -> Option<Gap> {
        let after = fill.after?;
        if !self.is_tracked(&fill.channel_id) {
            return None;
        }
        let gap = Gap {
            after,
            before: fill.before,
        };
        self.gaps.insert(fill.channel_id.clone(), gap);
        Some(gap)
    }

    /// Whether a channel is tracked.
    pub fn is_tracked(&self, channel_id: &ChannelId) -> bool {
        self.channels.contains_key(channel_id)
    }

    /// The newest known `createdAt` of a tracked channel.
    pub fn newest(&self, channel_id: &ChannelId) -> Option<Timestamp> {
        self.channels.get(channel_id).copied().flatten()
    }

    /// Every tracked channel with its newest timestamp, taken when a link comes up, before any
    /// live event can advance it (so the gap is fetched from where it really began).
    pub fn snapshot(&self) -> Vec<(ChannelId, Option<Timestamp>)> {
        let mut channels: Vec<_> = self
            .channels
            .iter()
            .map(|(id, newest)| (id.clone(), *newest))
            .collect();
        channels.sort();
        channels
    }

    /// A live `ChatMessageCreated`: true when it is new and must be emitted, false when this
    /// message id was already emitted (by another socket, or by a backfill).
    pub fn admit_live(
        &mut self,
        channel_id: &ChannelId,
        message_id: &MessageId,
        created_at: Option<Timestamp>,
    ) -> bool {
        if !self.remember(message_id) {
            return false;
        }
        if let Some(newest) = self.channels.get_mut(channel_id) {
            *newest = later(*newest, created_at);
        }
        true
    }

    /// The messages of a fetched page that were not emitted yet, oldest first; they count as
    /// emitted from now on and advance the channel's newest timestamp. Messages older than
    /// `after` (a server that ignored `afterDate`) are dropped.
    pub fn admit_backfill(
        &mut self,
        channel_id: &ChannelId,
        after: Option<Timestamp>,
        mut messages: Vec<Message>,
    ) -> Vec<Message> {
        messages.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        let mut fresh = Vec::with_capacity(messages.len());
        for message in messages {
            if after.is_some_and(|after| message.created_at < after) {
                continue;
            }
            if message.id.is_empty() || !self.remember(&message.id) {
                continue;
            }
            if let Some(newest) = self.channels.get_mut(channel_id) {
                *newest = later(*newest, Some(message.created_at));
            }
            fresh.push(message);
        }
        fresh
    }

    /// Record an id; false if it was already there.
    fn remember(&mut self, id: &MessageId) -> bool {
        // One hash of the id when it is new (the usual case), not two.
        if !self.seen.insert(id.clone()) {
            return false;
        }
        if self.seen_order.len() >= SEEN_IDS_CAPACITY
            && let Some(old) = self.seen_order.pop_front()
        {
            self.seen.remove(&old);
        }
        self.seen_order.push_back(id.clone());
        true
    }
}

fn later(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Fetch what a channel got after `fill.after` (newest first from the server): page back
/// with `beforeDate` (from `fill.before` if set) until a short page or `after` is reached, at
/// most `max_pages` pages. With no `after` (the UI had no message) only the newest page is
/// fetched. Returns the messages and, when it stopped at the page cap before reaching
/// `after`, the oldest one fetched (where the rest of the gap ends).
pub async fn fetch_missed(
    api: &ApiClient,
    fill: &Fill,
    page_size: u32,
    max_pages: u32,
) -> Result<(Vec<Message>, Option<Timestamp>), ApiError> {
    let mut all = Vec::new();
    let mut before = fill.before;
    for _ in 0..max_pages.max(1) {
        let page = api
            .messages(
                &fill.channel_id,
                &MessageQuery {
                    limit: Some(page_size),
                    before,
                    after: fill.after,
                },
            )
            .await?;
        let count = page.messages.len();
        let oldest = page.messages.iter().map(|m| m.created_at).min();
        all.extend(page.messages);
        let Some(after) = fill.after else {
            return Ok((all, None));
        };
        match oldest {
            Some(oldest) if count >= page_size as usize && oldest > after => {
                before = Some(oldest);
            }
            _ => return Ok((all, None)),
        }
    }
    // Capped: the part between `after` and `before` is still missing.
    Ok((all, before))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn ch(id: &str) -> ChannelId {
        id.into()
    }

    fn id(id: &str) -> MessageId {
        id.into()
    }

    fn message(id: &str, created_at: &str) -> Message {
        let json = format!(
            r#"{{"id":"{id}","channelId":"c","createdAt":"{created_at}","createdBy":"u","type":"default","content":{{"object":"value","document":{{"object":"document","data":{{}},"nodes":[]}}}}}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

    #[test]
    fn newest_only_moves_forward() {
        let mut tracker = Tracker::default();
        tracker.track(&ch("c"), Some(ts("2021-10-15T23:58:44.537Z")));
        tracker.track(&ch("c"), Some(ts("2021-10-15T23:00:00.000Z")));
        assert_eq!(
            tracker.newest(&ch("c")),
            Some(ts("2021-10-15T23:58:44.537Z"))
        );
        tracker.track(&ch("c"), None);
        assert_eq!(
            tracker.newest(&ch("c")),
            Some(ts("2021-10-15T23:58:44.537Z"))
        );
        tracker.untrack(&ch("c"));
        assert!(!tracker.is_tracked(&ch("c")));
    }

    #[test]
    fn live_duplicates_are_dropped_and_advance_the_channel() {
        let mut tracker = Tracker::default();
        tracker.track(&ch("c"), None);
        assert!(tracker.admit_live(&ch("c"), &id("m1"), Some(ts("2021-01-01T00:00:01.000Z"))));
        assert!(!tracker.admit_live(&ch("c"), &id("m1"), Some(ts("2021-01-01T00:00:01.000Z"))));
        assert_eq!(
            tracker.newest(&ch("c")),
            Some(ts("2021-01-01T00:00:01.000Z"))
        );
        // Untracked channels are deduplicated too, but get no timestamp.
        assert!(tracker.admit_live(
            &ch("other"),
            &id("m2"),
            Some(ts("2021-01-01T00:00:02.000Z"))
        ));
        assert!(!tracker.is_tracked(&ch("other")));
    }

    #[test]
    fn backfill_skips_what_was_emitted_and_sorts_oldest_first() {
        let mut tracker = Tracker::default();
        let after = ts("2021-01-01T00:00:00.000Z");
        tracker.track(&ch("c"), Some(after));
        assert!(tracker.admit_live(&ch("c"), &id("live"), Some(ts("2021-01-01T00:00:05.000Z"))));
        let page = vec![
            message("m3", "2021-01-01T00:00:03.000Z"),
            message("live", "2021-01-01T00:00:05.000Z"),
            message("m1", "2021-01-01T00:00:01.000Z"),
            message("old", "2020-12-31T23:59:59.000Z"),
        ];
        let fresh = tracker.admit_backfill(&ch("c"), Some(after), page.clone());
        let ids: Vec<_> = fresh.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, vec!["m1", "m3"]);
        // The same page again (a second reconnect) yields nothing new.
        assert!(
            tracker
                .admit_backfill(&ch("c"), Some(after), page)
                .is_empty()
        );
        assert_eq!(
            tracker.newest(&ch("c")),
            Some(ts("2021-01-01T00:00:05.000Z"))
        );
        // A live event for a backfilled message is a duplicate.
        assert!(!tracker.admit_live(&ch("c"), &id("m3"), None));
    }

    #[test]
    fn seen_ids_are_bounded() {
        let mut tracker = Tracker::default();
        for n in 0..=SEEN_IDS_CAPACITY {
            assert!(tracker.admit_live(&ch("c"), &id(&format!("m{n}")), None));
        }
        assert_eq!(tracker.seen.len(), SEEN_IDS_CAPACITY);
        // The oldest id was forgotten, the newest is still known.
        assert!(tracker.admit_live(&ch("c"), &id("m0"), None));
        assert!(!tracker.admit_live(&ch("c"), &id(&format!("m{SEEN_IDS_CAPACITY}")), None));
    }

    #[test]
    fn a_capped_or_failed_fill_keeps_the_gap_where_it_is_until_filled() {
        let mut tracker = Tracker::default();
        let start = ts("2021-01-01T00:00:00.000Z");
        tracker.track(&ch("c"), Some(start));
        let [fill] = &tracker.fills()[..] else {
            panic!()
        };
        assert_eq!((fill.after, fill.before), (Some(start), None));
        // Failed: live messages after the reconnect must not move the start of the gap.
        assert!(tracker.fill_failed(fill).is_some());
        assert!(tracker.admit_live(&ch("c"), &id("live"), Some(ts("2021-01-01T01:00:00.000Z"))));
        let [fill] = &tracker.gap_fills()[..] else {
            panic!()
        };
        assert_eq!((fill.after, fill.before), (Some(start), None));
        // Capped: the newest part came, the gap now ends at the oldest message fetched.
        let oldest = ts("2021-01-01T00:30:00.000Z");
        let gap = tracker.fill_done(fill, Some(oldest));
        assert_eq!(
            gap,
            Some(Gap {
                after: start,
                before: Some(oldest)
            })
        );
        let [fill] = &tracker.fills()[..] else {
            panic!()
        };
        assert_eq!((fill.after, fill.before), (Some(start), Some(oldest)));
        // Reached `after`: filled, and the next reconnect starts from the newest again.
        assert_eq!(tracker.fill_done(fill, None), None);
        assert!(tracker.gap_fills().is_empty());
        let [fill] = &tracker.fills()[..] else {
            panic!()
        };
        assert_eq!(fill.after, Some(ts("2021-01-01T01:00:00.000Z")));
        // An untracked channel keeps no gap.
        tracker.fill_failed(fill);
        tracker.untrack(&ch("c"));
        assert!(tracker.gap_fills().is_empty());
    }
}
