//! Deciding that a notification is due, and what it says; the terminal edge decides how it is
//! delivered (OSC 9/777, bell) and writes the bytes.
//!
//! Due: a DM or a mention that arrived live (not our own, not a backfill), unless that channel
//! is open in a focused terminal. At most one per channel per [`NOTIFY_INTERVAL`]; what arrives
//! in between is counted and told as one summary when the interval is over.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::model::ChannelId;

/// The shortest time between two notifications of one channel.
pub const NOTIFY_INTERVAL: Duration = Duration::from_secs(5);
/// The most characters of a message a notification shows.
pub const BODY_MAX_CHARS: usize = 100;
/// The most characters of a title (sender and channel).
pub const TITLE_MAX_CHARS: usize = 60;

/// What a notification says: one line each, sanitised and shortened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// "alice in #general", "alice" (a DM), "#general" (a summary).
    pub title: String,
    /// The message's first words, or "3 more messages".
    pub body: String,
}

impl Notification {
    /// A notification from untrusted parts: sanitised to one line and shortened.
    pub fn new(title: &str, body: &str) -> Notification {
        Notification {
            title: shorten(title, TITLE_MAX_CHARS),
            body: shorten(body, BODY_MAX_CHARS),
        }
    }
}

/// Per-channel rate limiting and the terminal's focus.
#[derive(Debug, Clone)]
pub struct Notifications {
    /// Whether the terminal has focus. Terminals that do not report focus never change it, so
    /// the open channel is taken as seen.
    pub focused: bool,
    gates: HashMap<ChannelId, Gate>,
}

impl Default for Notifications {
    fn default() -> Self {
        Notifications {
            focused: true,
            gates: HashMap::new(),
        }
    }
}

/// When a channel last notified, and what arrived since.
#[derive(Debug, Clone)]
struct Gate {
    last: Instant,
    held: u32,
    /// The summary's title (the channel as the last held message named it).
    title: String,
}

impl Notifications {
    /// A notification for `channel` is due now: `Some` if it may be shown, else it is held
    /// for the summary.
    pub fn admit(
        &mut self,
        channel: &ChannelId,
        summary_title: &str,
        note: Notification,
        now: Instant,
    ) -> Option<Notification> {
        match self.gates.get_mut(channel) {
            Some(gate) if now < gate.last + NOTIFY_INTERVAL => {
                gate.held = gate.held.saturating_add(1);
                summary_title.clone_into(&mut gate.title);
                None
            }
            _ => {
                self.gates.insert(
                    channel.clone(),
                    Gate {
                        last: now,
                        held: 0,
                        title: summary_title.to_owned(),
                    },
                );
                Some(note)
            }
        }
    }

    /// The summaries due at `now` (channels whose interval is over with messages held), and
    /// forget channels with nothing held. `seen` says whether a channel is being looked at
    /// (its held messages are then dropped, not told).
    pub fn due(&mut self, now: Instant, seen: impl Fn(&ChannelId) -> bool) -> Vec<Notification> {
        let mut out = Vec::new();
        self.gates.retain(|channel, gate| {
            if now < gate.last + NOTIFY_INTERVAL {
                return true;
            }
            if gate.held == 0 || seen(channel) {
                return false;
            }
            let more = if gate.held == 1 {
                "1 more message".to_owned()
            } else {
                format!("{} more messages", gate.held)
            };
            out.push(Notification::new(&gate.title, &more));
            gate.last = now;
            gate.held = 0;
            true
        });
        // Stable order for the edge and for tests.
        out.sort_by(|a, b| a.title.cmp(&b.title));
        out
    }

    /// When the next summary is due, if any message is held.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.gates
            .values()
            .filter(|g| g.held > 0)
            .map(|g| g.last + NOTIFY_INTERVAL)
            .min()
    }
}

/// One sanitised line of at most `max` characters (an ellipsis marks a cut).
fn shorten(text: &str, max: usize) -> String {
    let clean = crate::sanitize::sanitize(text);
    let one_line: String = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(body: &str) -> Notification {
        Notification::new("alice in #general", body)
    }

    #[test]
    fn text_is_one_sanitised_shortened_line() {
        let n = Notification::new(
            "ali\x1b]0;pwned\x07ce",
            &format!("line one\nline\ttwo \x1b[31m{}", "x".repeat(300)),
        );
        assert!(!n.title.contains('\x1b') && !n.title.contains('\x07'));
        assert!(!n.body.contains('\n') && !n.body.contains('\x1b'));
        assert!(n.body.starts_with("line one line two"), "{}", n.body);
        assert_eq!(n.body.chars().count(), BODY_MAX_CHARS);
        assert!(n.body.ends_with('…'));
        assert_eq!(note("short").body, "short");
    }

    #[test]
    fn one_per_channel_per_interval_then_a_summary() {
        let t0 = Instant::now();
        let general = ChannelId::from("general");
        let random = ChannelId::from("random");
        let mut n = Notifications::default();
        assert_eq!(
            n.admit(&general, "#general", note("1"), t0),
            Some(note("1"))
        );
        // Another channel is not held back by the first.
        assert!(n.admit(&random, "#random", note("r"), t0).is_some());
        assert_eq!(n.admit(&general, "#general", note("2"), t0), None);
        assert_eq!(n.admit(&general, "#general", note("3"), t0), None);
        assert_eq!(n.next_deadline(), Some(t0 + NOTIFY_INTERVAL));
        assert!(n.due(t0 + NOTIFY_INTERVAL / 2, |_| false).is_empty());
        let later = t0 + NOTIFY_INTERVAL;
        assert_eq!(
            n.due(later, |_| false),
            vec![Notification::new("#general", "2 more messages")]
        );
        assert_eq!(n.next_deadline(), None);
        // The summary counts as the channel's notification for the next interval.
        assert_eq!(n.admit(&general, "#general", note("4"), later), None);
        let after = later + NOTIFY_INTERVAL;
        assert_eq!(
            n.due(after, |_| false),
            vec![Notification::new("#general", "1 more message")]
        );
        // Nothing held: the gate is forgotten and the next one is shown at once.
        assert!(n.due(after + NOTIFY_INTERVAL, |_| false).is_empty());
        assert!(n.gates.is_empty());
        assert!(
            n.admit(&general, "#general", note("5"), after + NOTIFY_INTERVAL)
                .is_some()
        );
    }

    #[test]
    fn held_messages_of_a_channel_being_looked_at_are_dropped() {
        let t0 = Instant::now();
        let general = ChannelId::from("general");
        let mut n = Notifications::default();
        n.admit(&general, "#general", note("1"), t0);
        n.admit(&general, "#general", note("2"), t0);
        assert!(n.due(t0 + NOTIFY_INTERVAL, |c| c == &general).is_empty());
        assert_eq!(n.next_deadline(), None);
    }
}
