//! Typing notices: the outbound throttle (at most one notice per channel every
//! [`TYPING_RESEND_AFTER`]) and the inbound "alice is typing…" list with expiry.
//!
//! Pure: time is the `now: Instant` argument, so tests run on virtual time.

use std::time::{Duration, Instant};

use super::model::{ChannelId, UserId};
use crate::protocol::IdMap;
use crate::sanitize::sanitize;

/// Minimum gap between two typing notices we send for one channel.
pub const TYPING_RESEND_AFTER: Duration = Duration::from_secs(3);
/// How long someone else's typing notice stays shown without a new one.
pub const TYPING_SHOWN_FOR: Duration = Duration::from_secs(8);
/// At most this many people are remembered typing in one channel (the line says "several
/// people" beyond three anyway); a new one replaces the one whose notice ends first.
pub const TYPING_KEPT_PER_CHANNEL: usize = 8;

/// Typing state of every channel.
#[derive(Debug, Clone, Default)]
pub struct Typing {
    /// When we last sent a notice, per channel; cleared when we stop (send, clear, leave).
    sent: IdMap<ChannelId, Instant>,
    /// Who is typing where, with the instant the notice expires, in arrival order.
    typing: IdMap<ChannelId, Vec<(UserId, Instant)>>,
}

impl Typing {
    /// The draft changed and is not empty: whether a notice is due now (and record it).
    pub fn should_send(&mut self, channel: &ChannelId, now: Instant) -> bool {
        match self.sent.get(channel) {
            Some(last) if now.saturating_duration_since(*last) < TYPING_RESEND_AFTER => false,
            _ => {
                self.sent.insert(channel.clone(), now);
                true
            }
        }
    }

    /// We stopped typing in this channel (sent, cleared the draft, or left): the next edit
    /// sends a notice at once.
    pub fn stop(&mut self, channel: &ChannelId) {
        self.sent.remove(channel);
    }

    /// Someone is typing in `channel` (never call this for the session user).
    pub fn user_typing(&mut self, channel: &ChannelId, user: &UserId, now: Instant) {
        let until = now + TYPING_SHOWN_FOR;
        let list = self.typing.entry(channel.clone()).or_default();
        if let Some(entry) = list.iter_mut().find(|(u, _)| u == user) {
            entry.1 = until;
        } else {
            if list.len() >= TYPING_KEPT_PER_CHANNEL
                && let Some(first) = list
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, (_, until))| *until)
                    .map(|(i, _)| i)
            {
                list.remove(first);
            }
            list.push((user.clone(), until));
        }
    }

    /// That user's message arrived: their notice ends at once. Returns whether one was shown.
    pub fn user_stopped(&mut self, channel: &ChannelId, user: &UserId) -> bool {
        let Some(list) = self.typing.get_mut(channel) else {
            return false;
        };
        let before = list.len();
        list.retain(|(u, _)| u != user);
        let changed = list.len() != before;
        if list.is_empty() {
            self.typing.remove(channel);
        }
        changed
    }

    /// Drop expired notices. Returns whether anything changed (the screen needs a redraw).
    pub fn expire(&mut self, now: Instant) -> bool {
        let mut changed = false;
        self.typing.retain(|_, list| {
            let before = list.len();
            list.retain(|(_, until)| *until > now);
            changed |= list.len() != before;
            !list.is_empty()
        });
        changed
    }

    /// Users typing in `channel` right now, in arrival order.
    pub fn users(&self, channel: &ChannelId, now: Instant) -> Vec<&UserId> {
        self.typing
            .get(channel)
            .map(|list| {
                list.iter()
                    .filter(|(_, until)| *until > now)
                    .map(|(u, _)| u)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The nearest expiry of any shown notice.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.typing
            .values()
            .flat_map(|list| list.iter().map(|(_, until)| *until))
            .min()
    }
}

/// The typing line for these display names: "alice is typing…", "alice and bob are typing…",
/// "several people are typing…"; None when nobody types. Each name is sanitised before it
/// is joined (an escape left open in one name would swallow the rest of the line).
pub fn typing_line(names: &[&str]) -> Option<String> {
    match names {
        [] => None,
        [one] => Some(format!("{} is typing…", sanitize(one))),
        [a, b] => Some(format!("{} and {} are typing…", sanitize(a), sanitize(b))),
        _ => Some("several people are typing…".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(id: &str) -> ChannelId {
        id.into()
    }

    fn user(id: &str) -> UserId {
        id.into()
    }

    #[test]
    fn throttle_allows_one_notice_per_window_per_channel() {
        let t0 = Instant::now();
        let mut t = Typing::default();
        assert!(t.should_send(&ch("c1"), t0));
        assert!(!t.should_send(&ch("c1"), t0 + Duration::from_millis(2999)));
        assert!(t.should_send(&ch("c2"), t0 + Duration::from_millis(10)));
        assert!(t.should_send(&ch("c1"), t0 + TYPING_RESEND_AFTER));
        t.stop(&ch("c1"));
        assert!(t.should_send(&ch("c1"), t0 + Duration::from_millis(3001)));
    }

    #[test]
    fn notices_expire_after_eight_seconds_or_when_the_message_arrives() {
        let t0 = Instant::now();
        let mut t = Typing::default();
        t.user_typing(&ch("c"), &user("alice"), t0);
        t.user_typing(&ch("c"), &user("bob"), t0 + Duration::from_secs(2));
        assert_eq!(t.next_deadline(), Some(t0 + TYPING_SHOWN_FOR));
        assert_eq!(t.users(&ch("c"), t0 + Duration::from_secs(3)).len(), 2);
        assert!(t.expire(t0 + TYPING_SHOWN_FOR));
        assert_eq!(t.users(&ch("c"), t0 + TYPING_SHOWN_FOR), vec!["bob"]);
        assert!(t.user_stopped(&ch("c"), &user("bob")));
        assert_eq!(t.next_deadline(), None);
        assert!(!t.expire(t0 + Duration::from_secs(60)));
    }

    #[test]
    fn lines_name_one_two_or_several() {
        assert_eq!(typing_line(&[]), None);
        assert_eq!(typing_line(&["alice"]).unwrap(), "alice is typing…");
        assert_eq!(
            typing_line(&["alice", "bob"]).unwrap(),
            "alice and bob are typing…"
        );
        assert_eq!(
            typing_line(&["a", "b", "c"]).unwrap(),
            "several people are typing…"
        );
    }
}
