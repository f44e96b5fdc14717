//! What the reaction picker offers: every standard emoji (the `emojis` crate's shortcodes and
//! names) and the team's custom reactions, recently used first, filtered fuzzily as you type.
//!
//! Reacting needs Guilded's integer emoji id (docs/PROTOCOL.md). Custom reactions bring theirs
//! (`customReactions` of `/me`); of the standard set gilt knows [`STOCK_EMOJI`], and learns
//! more from the reactions it sees (every reaction names its emoji). An emoji whose id is not
//! known yet is listed, dimmed, and cannot be sent.
//!
//! Pure: the picker is rebuilt from the model when it opens and refiltered on every key.

use std::collections::HashMap;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config as MatcherConfig, Matcher, Utf32Str};

use super::Composer;
use super::model::{ChannelId, EmojiId, MessageId, TeamId};

/// Guilded's ids of stock emoji gilt knows without having seen them (name, as Guilded spells it).
pub const STOCK_EMOJI: &[(EmojiId, &str)] = &[
    (90_002_563, "thumbsup"),
    (90_001_284, "heart"),
    (90_001_815, "tada"),
    (90_002_108, "joy"),
    (90_001_171, "eyes"),
    (90_002_402, "rocket"),
    (90_000_921, "thinking"),
];

/// Recently used reactions kept (and persisted).
pub const RECENT_KEPT: usize = 24;
/// Matches listed at most for a query (the best ones).
pub const MAX_MATCHES: usize = 200;

/// A team's own emoji (`customReactions` of `/me`), drawn as `:name:` (a terminal cannot show
/// its image).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomEmoji {
    pub id: EmojiId,
    /// Name without colons, untrusted (sanitised where drawn).
    pub name: String,
    /// The team it belongs to (None: usable everywhere).
    pub team: Option<TeamId>,
}

/// The custom reactions and the reactions this user used lately, most recent first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReactionBook {
    pub custom: Vec<CustomEmoji>,
    pub recent: Vec<(EmojiId, String)>,
}

impl ReactionBook {
    /// Note a reaction the user just added: first in the recent list.
    pub fn used(&mut self, id: EmojiId, name: &str) {
        self.recent.retain(|(r, _)| *r != id);
        self.recent.insert(0, (id, name.to_owned()));
        self.recent.truncate(RECENT_KEPT);
    }

    /// The recent list of the last run, after the ones used since this one started.
    pub fn restore_recent(&mut self, saved: Vec<(EmojiId, String)>) {
        for (id, name) in saved {
            if !self.recent.iter().any(|(r, _)| *r == id) {
                self.recent.push((id, name));
            }
        }
        self.recent.truncate(RECENT_KEPT);
    }
}

/// One emoji the picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmojiChoice {
    /// Guilded's id, when known (only then can it be sent).
    pub id: Option<EmojiId>,
    /// Name without colons (`tada`), untrusted for custom ones.
    pub name: String,
    /// The Unicode emoji; None for a custom reaction.
    pub glyph: Option<&'static str>,
    pub recent: bool,
    /// What the query is matched against: the shortcodes and the Unicode name.
    haystack: String,
}

/// The open reaction picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReactionPicker {
    pub channel: ChannelId,
    pub message_id: MessageId,
    pub query: Composer,
    /// Indexes into `pool` of what matches the query, best first.
    pub matches: Vec<usize>,
    /// Index into `matches`.
    pub selected: usize,
    /// Everything offered, in the order shown for an empty query.
    pub pool: Vec<EmojiChoice>,
}

/// What the picker needs to know to be built.
pub struct PickerSource<'a> {
    pub book: &'a ReactionBook,
    /// The team of the channel (its custom reactions come first among the custom ones).
    pub team: Option<&'a TeamId>,
    /// Emoji ids learned from the reactions seen (name → id).
    pub seen: HashMap<String, EmojiId>,
    /// The reactions already on the message (offered even if nothing else knows them).
    pub on_message: Vec<(EmojiId, String)>,
}

impl ReactionPicker {
    /// A picker over every emoji, for a message.
    pub fn open(channel: ChannelId, message_id: MessageId, source: &PickerSource<'_>) -> Self {
        let mut picker = ReactionPicker {
            channel,
            message_id,
            query: Composer::default(),
            matches: Vec::new(),
            selected: 0,
            pool: pool(source),
        };
        picker.refilter();
        picker
    }

    /// The selected choice.
    pub fn current(&self) -> Option<&EmojiChoice> {
        self.nth(self.selected)
    }

    /// The `i`-th match.
    pub fn nth(&self, i: usize) -> Option<&EmojiChoice> {
        self.matches.get(i).and_then(|&p| self.pool.get(p))
    }

    /// Match the pool against the query again (the selection goes back to the top).
    pub fn refilter(&mut self) {
        self.selected = 0;
        let query = self.query.text().trim();
        if query.is_empty() {
            self.matches = (0..self.pool.len()).collect();
            return;
        }
        let pattern = Pattern::new(
            query,
            CaseMatching::Ignore,
            Normalization::Smart,
            AtomKind::Fuzzy,
        );
        let mut matcher = Matcher::new(MatcherConfig::DEFAULT);
        let mut buf = Vec::new();
        let mut scored: Vec<(bool, u32, usize)> = self
            .pool
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let score = pattern.score(Utf32Str::new(&c.haystack, &mut buf), &mut matcher)?;
                Some((c.name.eq_ignore_ascii_case(query), score, i))
            })
            .collect();
        // The emoji named exactly so, then the best score; on a tie the pool's order
        // (recent, custom, sendable, the rest) decides.
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        self.matches = scored
            .into_iter()
            .take(MAX_MATCHES)
            .map(|(_, _, i)| i)
            .collect();
    }

    /// Move the selection by `delta`, kept within the matches.
    pub fn step(&mut self, delta: isize) {
        let last = self.matches.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }
}

/// Ids by name from the stock table, the custom reactions and what was learned.
fn ids_by_name(source: &PickerSource<'_>) -> HashMap<String, EmojiId> {
    let mut ids: HashMap<String, EmojiId> = STOCK_EMOJI
        .iter()
        .map(|(id, name)| ((*name).to_owned(), *id))
        .collect();
    for (name, id) in &source.seen {
        ids.entry(name.clone()).or_insert(*id);
    }
    for (id, name) in source.on_message.iter().chain(&source.book.recent) {
        ids.entry(name.clone()).or_insert(*id);
    }
    ids
}

/// Everything offered, in order: recent, the message's own reactions, the team's custom
/// reactions (then other custom ones), the standard set. Each id and each name once.
fn pool(source: &PickerSource<'_>) -> Vec<EmojiChoice> {
    let ids = ids_by_name(source);
    let mut out: Vec<EmojiChoice> = Vec::new();
    let push = |out: &mut Vec<EmojiChoice>, choice: EmojiChoice| {
        let dup = out.iter().any(|c| {
            (choice.id.is_some() && c.id == choice.id)
                || (c.name == choice.name && c.glyph == choice.glyph)
        });
        if !dup {
            out.push(choice);
        }
    };
    let custom_ids: Vec<EmojiId> = source.book.custom.iter().map(|c| c.id).collect();
    let named = |id: EmojiId, name: &str, recent: bool| {
        let standard = emojis::get_by_shortcode(name);
        let custom = custom_ids.contains(&id);
        EmojiChoice {
            id: Some(id),
            name: name.to_owned(),
            glyph: standard.filter(|_| !custom).map(emojis::Emoji::as_str),
            recent,
            haystack: standard
                .filter(|_| !custom)
                .map_or_else(|| name.to_owned(), |e| haystack(e, name)),
        }
    };
    for (id, name) in &source.book.recent {
        push(&mut out, named(*id, name, true));
    }
    for (id, name) in &source.on_message {
        push(&mut out, named(*id, name, false));
    }
    let mut custom: Vec<&CustomEmoji> = source.book.custom.iter().collect();
    // The channel's team first, then the rest (stable, so `/me` order within each).
    custom.sort_by_key(|c| c.team.as_ref() != source.team);
    for c in custom {
        push(&mut out, named(c.id, &c.name, false));
    }
    // The standard set: those that can be sent (id known) first.
    let (known, unknown): (Vec<EmojiChoice>, Vec<EmojiChoice>) = emojis::iter()
        .filter_map(|e| standard(e, &ids))
        .partition(|c| c.id.is_some());
    for choice in known.into_iter().chain(unknown) {
        push(&mut out, choice);
    }
    out
}

/// A standard emoji as a choice, under the name its id is known by (else its first shortcode).
fn standard(e: &'static emojis::Emoji, ids: &HashMap<String, EmojiId>) -> Option<EmojiChoice> {
    let first = e.shortcode()?;
    let known = e.shortcodes().find_map(|s| ids.get(s).map(|id| (*id, s)));
    let (id, name) = known.map_or((None, first), |(id, s)| (Some(id), s));
    Some(EmojiChoice {
        id,
        name: name.to_owned(),
        glyph: Some(e.as_str()),
        recent: false,
        haystack: haystack(e, name),
    })
}

/// The text a standard emoji is found by: its name first, its other shortcodes, its Unicode
/// name ("thumbs up").
fn haystack(e: &emojis::Emoji, name: &str) -> String {
    let mut s = name.to_owned();
    for code in e.shortcodes().filter(|c| *c != name) {
        s.push(' ');
        s.push_str(code);
    }
    s.push(' ');
    s.push_str(e.name());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(book: &ReactionBook) -> PickerSource<'_> {
        PickerSource {
            book,
            team: None,
            seen: HashMap::new(),
            on_message: Vec::new(),
        }
    }

    fn picker(source: &PickerSource<'_>) -> ReactionPicker {
        ReactionPicker::open("c".into(), "m".into(), source)
    }

    fn typed(mut p: ReactionPicker, query: &str) -> ReactionPicker {
        p.query.set_text(query);
        p.refilter();
        p
    }

    #[test]
    fn every_standard_emoji_is_offered_and_found_by_shortcode_or_name() {
        let book = ReactionBook::default();
        let p = picker(&source(&book));
        assert!(p.pool.len() > 1000, "{}", p.pool.len());
        let p = typed(p, "pizza");
        assert_eq!(p.current().and_then(|c| c.glyph), Some("🍕"));
        // By the Unicode name, not only the shortcode.
        let p = typed(p, "thumbs up");
        assert_eq!(p.current().and_then(|c| c.glyph), Some("👍"));
        // Known stock ids are used under Guilded's name.
        let c = p.current().unwrap();
        assert_eq!((c.id, c.name.as_str()), (Some(90_002_563), "thumbsup"));
        // An emoji whose id is unknown is offered without one.
        let p = typed(p, "pizza");
        assert_eq!(p.current().unwrap().id, None);
        // The exact name wins over longer ones that contain it (`heart_eyes`).
        let p = typed(p, "eyes");
        assert_eq!(p.current().unwrap().glyph, Some("👀"));
    }

    #[test]
    fn recent_come_first_then_custom_of_the_team_then_the_rest() {
        let mut book = ReactionBook {
            custom: vec![
                CustomEmoji {
                    id: 7,
                    name: "elsewhere".into(),
                    team: Some("t2".into()),
                },
                CustomEmoji {
                    id: 5,
                    name: "gilt".into(),
                    team: Some("t1".into()),
                },
            ],
            recent: Vec::new(),
        };
        book.used(90_001_815, "tada");
        book.used(5, "gilt");
        let team = TeamId::from("t1");
        let src = PickerSource {
            team: Some(&team),
            ..source(&book)
        };
        let p = picker(&src);
        let names: Vec<&str> = (0..3).map(|i| p.nth(i).unwrap().name.as_str()).collect();
        assert_eq!(names, ["gilt", "tada", "elsewhere"]);
        // Then the standard emoji that can be sent, then the rest.
        let sendable = 3 + STOCK_EMOJI.len() - 1;
        assert!((3..sendable).all(|i| p.nth(i).unwrap().id.is_some()));
        assert_eq!(p.nth(sendable).unwrap().id, None);
        assert!(p.nth(0).unwrap().recent && p.nth(0).unwrap().glyph.is_none());
        // 🎉 is not offered twice (as recent and as standard).
        let tadas = p.pool.iter().filter(|c| c.glyph == Some("🎉")).count();
        assert_eq!(tadas, 1);
        // A query that matches a custom and a standard one equally keeps recent first.
        let p = typed(p, "gilt");
        assert_eq!(p.current().unwrap().id, Some(5));
    }

    #[test]
    fn ids_are_learned_from_reactions_seen() {
        let book = ReactionBook::default();
        let src = PickerSource {
            seen: [("pizza".to_owned(), 90_009_999)].into(),
            ..source(&book)
        };
        let p = typed(picker(&src), "pizza");
        assert_eq!(p.current().unwrap().id, Some(90_009_999));
    }

    #[test]
    fn the_recent_list_is_bounded_and_restored_after_the_new_ones() {
        let mut book = ReactionBook::default();
        for i in 0..40 {
            book.used(i, &format!("e{i}"));
        }
        assert_eq!(book.recent.len(), RECENT_KEPT);
        assert_eq!(book.recent[0], (39, "e39".to_owned()));
        let mut fresh = ReactionBook::default();
        fresh.used(1, "one");
        fresh.restore_recent(vec![(2, "two".into()), (1, "one".into())]);
        assert_eq!(fresh.recent, [(1, "one".into()), (2, "two".into())]);
    }

    #[test]
    fn the_selection_stays_within_the_matches() {
        let book = ReactionBook::default();
        let mut p = typed(picker(&source(&book)), "zzzzqqqq");
        assert!(p.matches.is_empty());
        p.step(1);
        assert_eq!(p.selected, 0);
        assert!(p.current().is_none());
        let mut p = typed(p, "tada");
        p.step(-3);
        assert_eq!(p.selected, 0);
        p.step(5000);
        assert_eq!(p.selected, p.matches.len() - 1);
    }
}
