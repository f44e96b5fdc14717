//! A synthetic chat corpus for the store benches: 50 channels in 2 teams, 40 authors, 3–30
//! words per message from a 5,000-word vocabulary with a skewed (Zipf-like) frequency, so some
//! words are in a third of all messages and others in a handful. Deterministic: every run
//! builds the same corpus.

#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::missing_panics_doc
)]

use jiff::Timestamp;

use crate::app::model::{Channel, ChannelKind, Message};
use crate::app::{InitialData, TeamData};
use crate::testkit::world;

pub const CHANNELS: usize = 50;
pub const AUTHORS: usize = 40;
pub const VOCABULARY: usize = 5000;

/// A small deterministic generator (xorshift64*), so every run stores the same corpus.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Skewed towards small indices: word 0 is in about a third of the messages.
    pub fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize
    }
}

pub fn vocabulary() -> Vec<String> {
    const SYLLABLES: [&str; 20] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "po", "gra", "shi", "tek", "bor",
        "fen", "lun", "mar", "qui", "zo", "pex",
    ];
    let mut rng = Rng(0x5eed);
    (0..VOCABULARY)
        .map(|i| {
            let len = 2 + rng.below(3);
            let mut w: String = (0..len).map(|_| SYLLABLES[rng.below(20)]).collect();
            w.push_str(&i.to_string());
            w
        })
        .collect()
}

pub fn channel_id(i: usize) -> String {
    format!("c0000000-0000-4000-8000-{i:012}")
}

pub fn corpus(count: usize, words: &[String]) -> Vec<Message> {
    let mut rng = Rng(0x00c0_ffee);
    let start = 1_700_000_000_000_i64;
    (0..count)
        .map(|i| {
            let len = 3 + rng.below(28);
            let text: Vec<&str> = (0..len)
                .map(|_| words[rng.zipf(words.len())].as_str())
                .collect();
            let mut m = world::message(
                &format!("{i:08x}-0000-4000-8000-000000000000"),
                &channel_id(rng.below(CHANNELS)),
                &format!("user{:04}", rng.below(AUTHORS)),
                "2024-01-01T00:00:00Z",
                world::plain(&text.join(" ")),
            );
            // A message every ~7 s on average across the server.
            m.created_at = Timestamp::from_millisecond(start + 7000 * i as i64).unwrap();
            m
        })
        .collect()
}

pub fn sidebar() -> InitialData {
    let teams = (0..2)
        .map(|t| TeamData {
            id: format!("team000{t}").into(),
            name: format!("Team {t}"),
            channels: (0..CHANNELS)
                .filter(|c| c % 2 == t)
                .map(|c| Channel {
                    kind: ChannelKind::Team {
                        team_id: format!("team000{t}").into(),
                        category_id: None,
                        priority: c as i64,
                    },
                    ..world::channel(&channel_id(c), &format!("c{c}"), None, 0, "chat")
                })
                .collect(),
            categories: Vec::new(),
            members: (0..AUTHORS)
                .map(|a| world::user(&format!("user{a:04}"), &format!("person{a}"), None))
                .collect(),
            channels_loaded: true,
        })
        .collect();
    InitialData {
        me: world::user("user0000", "person0", None),
        teams,
        dms: Vec::new(),
        users: Vec::new(),
        custom_reactions: Vec::new(),
        unread: None,
    }
}
