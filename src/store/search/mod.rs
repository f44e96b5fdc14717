//! Search over every stored message: the parsed prompt ([`SearchQuery`]) as one SQL query
//! over the full-text index, results newest first with their channel, author, time and a
//! snippet whose matches are byte ranges for the UI to highlight.
//!
//! Snippets never contain control characters (the indexed text has none, see
//! `rows::searchable_text`); they are still untrusted text, which the UI sanitises.

pub mod query;

use std::ops::Range;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use rusqlite::types::Value;

pub use self::query::SearchQuery;
use super::Queries;
use super::rows;
use crate::app::model::{ChannelId, MessageId, TeamId, UserId};

/// Words of context a snippet shows around the matches (FTS5 counts tokens).
const SNIPPET_TOKENS: i64 = 16;
/// Characters of a message a filter-only result shows (there is no match to centre on).
const PLAIN_SNIPPET_CHARS: usize = 100;
/// Marks around each match inside FTS5's snippet (never in the indexed text).
const MATCH_OPEN: char = '\u{2}';
const MATCH_CLOSE: char = '\u{3}';
/// How far a rowid may be past its creation time (see `messages`).
const SEQ_SLOTS: i64 = 1000;

/// One message found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub message_id: MessageId,
    pub channel_id: ChannelId,
    /// The channel's name, if the channel is stored.
    pub channel_name: Option<String>,
    /// The channel's team (`None` for a DM or an unknown channel).
    pub team_id: Option<TeamId>,
    pub author_id: UserId,
    /// The author's team nickname, else name, else id.
    pub author_name: String,
    pub created_at: Timestamp,
    pub snippet: Snippet,
}

/// A piece of a message's text with the matching words marked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    /// One line of text (newlines and other control characters are spaces); `…` where it
    /// was cut.
    pub text: String,
    /// Byte ranges of `text` that matched, in order, not overlapping.
    pub matches: Vec<Range<usize>>,
}

impl Queries<'_> {
    /// The newest `limit` messages that match `query` (dates read in `tz`), newest first.
    /// An empty query finds nothing.
    pub fn search(
        &self,
        query: &SearchQuery,
        tz: &TimeZone,
        limit: usize,
    ) -> rusqlite::Result<Vec<SearchHit>> {
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let mut binds = Binds::default();
        let mut conditions = Vec::new();
        let fts = query.fts_match();
        let (source, order, snippet) = match &fts {
            Some(expr) => {
                conditions.push(format!("messages_fts MATCH {}", binds.push(expr.clone())));
                (
                    "messages_fts JOIN messages m ON m.seq = messages_fts.rowid",
                    "messages_fts.rowid",
                    format!(
                        "snippet(messages_fts, 0, char({}), char({}), '…', {SNIPPET_TOKENS})",
                        u32::from(MATCH_OPEN),
                        u32::from(MATCH_CLOSE)
                    ),
                )
            }
            None => (
                "messages m",
                "m.seq",
                format!("substr(m.text, 1, {})", PLAIN_SNIPPET_CHARS + 1),
            ),
        };
        conditions.push("m.deleted = 0".to_owned());
        if !query.channels.is_empty() {
            let names: Vec<String> = query
                .channels
                .iter()
                .map(|name| format!("name = {} COLLATE NOCASE", binds.push(name.clone())))
                .collect();
            conditions.push(format!(
                "m.channel_id IN (SELECT id FROM channels WHERE {})",
                names.join(" OR ")
            ));
        }
        if !query.authors.is_empty() {
            let people: Vec<String> = query
                .authors
                .iter()
                .map(|name| {
                    let n = binds.push(name.clone());
                    format!(
                        "SELECT id FROM users WHERE name = {n} COLLATE NOCASE
                         UNION SELECT user_id FROM members WHERE nickname = {n} COLLATE NOCASE
                         UNION SELECT {n}"
                    )
                })
                .collect();
            conditions.push(format!("m.author_id IN ({})", people.join(" UNION ")));
        }
        let (from, until) = query.time_range(tz);
        if let Some(from) = from {
            // A rowid is never before its creation time: the rowid bound narrows the scan,
            // the created_at bound is exact.
            let t = binds.push(rows::micros(from));
            conditions.push(format!("{order} >= {t} AND m.created_at >= {t}"));
        }
        if let Some(until) = until {
            let t = binds.push(rows::micros(until));
            conditions.push(format!(
                "{order} < {t} + {SEQ_SLOTS} AND m.created_at < {t}"
            ));
        }
        let limit = binds.push(i64::try_from(limit).unwrap_or(i64::MAX));
        let sql = format!(
            "SELECT m.id, m.channel_id, c.name, c.team_id, m.author_id,
                 coalesce(nullif(mb.nickname, ''), nullif(u.name, ''), m.author_id),
                 m.created_at, {snippet}
             FROM {source}
             LEFT JOIN channels c ON c.id = m.channel_id
             LEFT JOIN users u ON u.id = m.author_id
             LEFT JOIN members mb ON mb.team_id = c.team_id AND mb.user_id = m.author_id
             WHERE {}
             ORDER BY {order} DESC LIMIT {limit}",
            conditions.join(" AND ")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let hits = stmt
            .query_map(rusqlite::params_from_iter(binds.values), |r| {
                let marked: String = r.get(7)?;
                Ok(SearchHit {
                    message_id: MessageId::from(r.get::<_, String>(0)?),
                    channel_id: ChannelId::from(r.get::<_, String>(1)?),
                    channel_name: r.get(2)?,
                    team_id: r.get::<_, Option<String>>(3)?.map(TeamId::from),
                    author_id: UserId::from(r.get::<_, String>(4)?),
                    author_name: r.get(5)?,
                    created_at: rows::timestamp(r.get(6)?),
                    snippet: if fts.is_some() {
                        marked_snippet(&marked)
                    } else {
                        plain_snippet(&marked)
                    },
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(hits)
    }
}

/// Parameters of a query being built, referred to as `?1`, `?2`, ….
#[derive(Default)]
struct Binds {
    values: Vec<Value>,
}

impl Binds {
    fn push(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("?{}", self.values.len())
    }
}

/// FTS5's snippet (matches between `MATCH_OPEN` and `MATCH_CLOSE`) as text and ranges.
fn marked_snippet(marked: &str) -> Snippet {
    let mut snippet = Snippet::default();
    let mut open = None;
    for c in marked.chars() {
        match c {
            MATCH_OPEN => open = Some(snippet.text.len()),
            MATCH_CLOSE => {
                if let Some(start) = open.take()
                    && start < snippet.text.len()
                {
                    snippet.matches.push(start..snippet.text.len());
                }
            }
            c if c.is_control() => snippet.text.push(' '),
            c => snippet.text.push(c),
        }
    }
    snippet
}

/// The start of a message, cut with `…` after [`PLAIN_SNIPPET_CHARS`] characters.
fn plain_snippet(text: &str) -> Snippet {
    let mut out: String = text
        .chars()
        .take(PLAIN_SNIPPET_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(PLAIN_SNIPPET_CHARS).is_some() {
        out.push('…');
    }
    Snippet {
        text: out,
        matches: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_byte_ranges() {
        let s = marked_snippet("…the \u{2}déploy\u{3} of \u{2}x\u{3}\u{1b}[2J");
        assert_eq!(s.text, "…the déploy of x [2J");
        let found: Vec<&str> = s.matches.iter().map(|r| &s.text[r.clone()]).collect();
        assert_eq!(found, ["déploy", "x"]);
    }

    #[test]
    fn plain_snippets_are_cut_and_clean() {
        let long = "word ".repeat(50);
        let s = plain_snippet(&long);
        assert_eq!(s.text.chars().count(), PLAIN_SNIPPET_CHARS + 1);
        assert!(s.text.ends_with('…'));
        assert_eq!(plain_snippet("a\u{7}b").text, "a b");
    }
}
