//! Completion in the composer: `@` members (of the open team or DM), `#` channels of the team,
//! `:` emoji shortcodes. The word before the cursor decides; candidates are ranked fuzzily
//! (nucleo); Tab/Enter accepts, Esc closes until the word changes.
//!
//! Pure: the reducer refreshes it after every key in the composer.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config as MatcherConfig, Matcher, Utf32Str};

use super::App;
use super::model::ChannelKind;

/// Candidates shown at most.
pub const MAX_SHOWN: usize = 8;

/// The open completion popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset of the sigil (`@`, `#`, `:`) in the draft.
    pub start: usize,
    pub items: Vec<Candidate>,
    pub selected: usize,
}

/// One choice: what the popup shows, and what replaces the word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub shown: String,
    pub insert: String,
}

/// The word being completed: (sigil position, sigil, query), if the cursor ends one.
fn word_at_cursor(text: &str, cursor: usize) -> Option<(usize, char, &str)> {
    let before = text.get(..cursor)?;
    let start = before.rfind(|c: char| c.is_whitespace()).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    let word = &before[start..];
    let sigil = word.chars().next()?;
    let query = &word[sigil.len_utf8()..];
    match sigil {
        '@' | '#' if !query.contains(['@', '#']) => Some((start, sigil, query)),
        // `:` needs two characters, so "a: b" and times do not pop it up.
        ':' if query.chars().count() >= 2
            && query
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-')) =>
        {
            Some((start, sigil, query))
        }
        _ => None,
    }
}

/// Recompute the popup for the draft as it is now (None: nothing to complete, or the user
/// closed it for this word).
pub(crate) fn refresh(app: &mut App) {
    let text = app.composer.text();
    let found = word_at_cursor(text, app.composer.cursor());
    let Some((start, sigil, query)) = found else {
        app.completion = None;
        app.completion_dismissed = None;
        return;
    };
    if app.completion_dismissed == Some(start) {
        app.completion = None;
        return;
    }
    app.completion_dismissed = None;
    let pool: Vec<Candidate> = match sigil {
        '@' => members(app),
        '#' => channels(app),
        _ => emoji(),
    };
    let items = rank(pool, query);
    let selected = app
        .completion
        .as_ref()
        .filter(|c| c.start == start)
        .map_or(0, |c| c.selected)
        .min(items.len().saturating_sub(1));
    app.completion = (!items.is_empty()).then_some(Completion {
        start,
        items,
        selected,
    });
}

/// Put the selected candidate in place of the word (and a space after it).
pub(crate) fn accept(app: &mut App) {
    let Some(c) = app.completion.take() else {
        return;
    };
    if let Some(item) = c.items.get(c.selected) {
        app.composer
            .replace_before_cursor(c.start, &format!("{} ", item.insert));
    }
}

fn members(app: &App) -> Vec<Candidate> {
    let Some(channel) = app.current_channel() else {
        return Vec::new();
    };
    let users: Vec<&super::User> = match &channel.kind {
        ChannelKind::Team { team_id, .. } => app
            .teams
            .iter()
            .find(|t| &t.id == team_id)
            .map(|t| t.members.values().collect())
            .unwrap_or_default(),
        ChannelKind::Dm { users } => users.iter().filter_map(|u| app.users.get(u)).collect(),
    };
    let mut out: Vec<Candidate> = users
        .into_iter()
        .filter(|u| u.id != app.me.id && !u.name.is_empty())
        .map(|u| {
            let name = crate::sanitize::sanitize(&u.name).into_owned();
            let shown = crate::sanitize::sanitize(u.display_name()).into_owned();
            Candidate {
                shown: if shown == name {
                    format!("@{name}")
                } else {
                    format!("@{name} ({shown})")
                },
                insert: format!("@{name}"),
            }
        })
        .collect();
    out.sort_by(|a, b| a.shown.cmp(&b.shown));
    out
}

fn channels(app: &App) -> Vec<Candidate> {
    let Some(team) = app.current_channel().and_then(super::Channel::team_id) else {
        return Vec::new();
    };
    let Some(team) = app.teams.iter().find(|t| &t.id == team) else {
        return Vec::new();
    };
    team.channel_ids()
        .filter_map(|id| app.channels.get(id))
        .map(|c| {
            let name = crate::sanitize::sanitize(&c.name).into_owned();
            Candidate {
                shown: format!("#{name}"),
                insert: format!("#{name}"),
            }
        })
        .collect()
}

fn emoji() -> Vec<Candidate> {
    emojis::iter()
        .flat_map(|e| {
            e.shortcodes().map(move |code| Candidate {
                shown: format!("{} :{code}:", e.as_str()),
                insert: format!(":{code}:"),
            })
        })
        .collect()
}

/// The best [`MAX_SHOWN`] of `pool` for `query` (all, in order, for an empty query).
fn rank(pool: Vec<Candidate>, query: &str) -> Vec<Candidate> {
    if query.is_empty() {
        return pool.into_iter().take(MAX_SHOWN).collect();
    }
    let pattern = Pattern::new(
        query,
        CaseMatching::Smart,
        Normalization::Smart,
        AtomKind::Fuzzy,
    );
    let mut matcher = Matcher::new(MatcherConfig::DEFAULT);
    let mut buf = Vec::new();
    let mut scored: Vec<(u32, usize, Candidate)> = pool
        .into_iter()
        .filter_map(|c| {
            let score = pattern.score(Utf32Str::new(&c.insert, &mut buf), &mut matcher)?;
            Some((score, c.insert.len(), c))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.insert.cmp(&b.2.insert))
    });
    scored.into_iter().take(MAX_SHOWN).map(|s| s.2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_before_the_cursor_decides() {
        assert_eq!(word_at_cursor("hi @al", 6), Some((3, '@', "al")));
        assert_eq!(word_at_cursor("@", 1), Some((0, '@', "")));
        assert_eq!(word_at_cursor("see #gen", 8), Some((4, '#', "gen")));
        assert_eq!(word_at_cursor("yay :ta", 7), Some((4, ':', "ta")));
        assert_eq!(word_at_cursor("yay :t", 6), None);
        assert_eq!(word_at_cursor("at 10:30", 8), None);
        assert_eq!(word_at_cursor("mail a@b", 8), None);
        assert_eq!(word_at_cursor("hi @al ", 7), None);
        // The cursor inside the word: only what is before it counts.
        assert_eq!(word_at_cursor("@alice", 3), Some((0, '@', "al")));
    }

    #[test]
    fn emoji_rank_by_fuzzy_score() {
        let top = rank(emoji(), "tada");
        assert_eq!(top.first().map(|c| c.insert.as_str()), Some(":tada:"));
        assert!(top.len() <= MAX_SHOWN);
    }
}
