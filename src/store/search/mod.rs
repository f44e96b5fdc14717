//! Search over every stored message: the parsed prompt ([`SearchQuery`]) as one SQL query
//! over the full-text index, results newest first with their channel, author, time and a
//! snippet whose matches are byte ranges for the UI to highlight.
//!
//! Snippets never contain control characters (the indexed text has none, see
//! `rows::searchable_text`); they are still untrusted text, which the UI sanitises.

use std::fmt::Write as _;

use jiff::tz::TimeZone;
use rusqlite::types::Value;

use super::Queries;
use super::messages::SEQ_SLOTS;
use super::rows;
use crate::app::model::{ChannelId, MessageId, TeamId, UserId};
pub use crate::app::search::{SearchHit, SearchQuery, Snippet};

/// Words of context a snippet shows around the matches (FTS5 counts tokens).
const SNIPPET_TOKENS: i64 = 16;
/// Characters of a message a filter-only result shows (there is no match to centre on).
const PLAIN_SNIPPET_CHARS: usize = 100;
/// Marks around each match inside FTS5's snippet (never in the indexed text).
const MATCH_OPEN: char = '\u{2}';
const MATCH_CLOSE: char = '\u{3}';

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
        let channels = if query.channels.is_empty() {
            Filter::Absent
        } else {
            Filter::of(self.channel_ids(&query.channels)?)
        };
        let authors = if query.authors.is_empty() {
            Filter::Absent
        } else {
            Filter::of(self.author_ids(&query.authors)?)
        };
        if channels == Filter::NoneNamed || authors == Filter::NoneNamed {
            return Ok(Vec::new());
        }
        let words = query.fts_match();
        // Words and the filters the index can take, as one FTS5 expression.
        let mut terms = Vec::new();
        if let Some(words) = &words {
            terms.push(format!("text : ({words})"));
        }
        for (filter, prefix) in [(&channels, CHANNEL_TAG), (&authors, AUTHOR_TAG)] {
            if let Filter::Tagged(ids) = filter {
                terms.push(tag_term(prefix, ids));
            }
        }
        let in_sql = InSql {
            channels: channels == Filter::TooMany,
            authors: authors == Filter::TooMany,
        };
        let mut binds = Binds::default();
        let shown = if words.is_some() {
            format!(
                "snippet(messages_fts, 0, char({}), char({}), '…', {SNIPPET_TOKENS})",
                u32::from(MATCH_OPEN),
                u32::from(MATCH_CLOSE)
            )
        } else {
            format!("substr(m.text, 1, {})", PLAIN_SNIPPET_CHARS + 1)
        };
        // The newest matches' rowids and snippets first; names are joined to those only.
        let ranked = if terms.is_empty() {
            // Dates alone (or filters naming too many ids): the messages newest first.
            let conditions = conditions(query, tz, "m.seq", in_sql, &mut binds);
            format!(
                "SELECT m.seq AS seq, {shown} AS shown
                 FROM messages m WHERE {conditions} ORDER BY m.seq DESC"
            )
        } else {
            let expr = binds.push(terms.join(" AND "));
            let conditions = conditions(query, tz, "messages_fts.rowid", in_sql, &mut binds);
            format!(
                "SELECT messages_fts.rowid AS seq, {shown} AS shown
                 FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid
                 WHERE messages_fts MATCH {expr} AND {conditions}
                 ORDER BY messages_fts.rowid DESC"
            )
        };
        let limit = binds.push(i64::try_from(limit).unwrap_or(i64::MAX));
        let sql = format!(
            "SELECT m.id, m.channel_id, c.name, c.team_id, m.author_id,
                 coalesce(nullif(mb.nickname, ''), nullif(u.name, ''), m.author_id),
                 m.created_at, r.shown
             FROM ({ranked} LIMIT {limit}) r
             JOIN messages m ON m.seq = r.seq
             LEFT JOIN channels c ON c.id = m.channel_id
             LEFT JOIN users u ON u.id = m.author_id
             LEFT JOIN members mb ON mb.team_id = c.team_id AND mb.user_id = m.author_id
             ORDER BY r.seq DESC"
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
                    snippet: if words.is_some() {
                        marked_snippet(&marked)
                    } else {
                        plain_snippet(&marked)
                    },
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(hits)
    }

    /// The ids of the channels named (any case), at most one more than [`TAGGED_IDS_MAX`].
    fn channel_ids(&self, names: &[String]) -> rusqlite::Result<Vec<String>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT id FROM channels
                 WHERE name COLLATE NOCASE IN (SELECT value FROM json_each(?1))
                 LIMIT {}",
                TAGGED_IDS_MAX + 1
            ))?
            .query_map([json_list(names)], |r| r.get(0))?
            .collect()
    }

    /// The ids of the people named: by name or team nickname (any case), or an author id
    /// itself; at most one more than [`TAGGED_IDS_MAX`].
    fn author_ids(&self, names: &[String]) -> rusqlite::Result<Vec<String>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT id FROM users WHERE name COLLATE NOCASE IN (SELECT value FROM json_each(?1))
                 UNION SELECT user_id FROM members
                     WHERE nickname COLLATE NOCASE IN (SELECT value FROM json_each(?1))
                 UNION SELECT author_id FROM messages
                     WHERE author_id IN (SELECT value FROM json_each(?1))
                 LIMIT {}",
                TAGGED_IDS_MAX + 1
            ))?
            .query_map([json_list(names)], |r| r.get(0))?
            .collect()
    }
}

/// Ids one filter may name and still be looked up in the full-text index (each is one more
/// list for FTS5 to merge); past that the filter is checked on each match in SQL.
const TAGGED_IDS_MAX: usize = 64;
/// Prefixes of the `tags` tokens (schema `V3`).
const CHANNEL_TAG: &str = "ch";
const AUTHOR_TAG: &str = "au";

/// One `in:` or `from:` filter, resolved to ids.
#[derive(Debug, PartialEq, Eq)]
enum Filter {
    /// The prompt has no such filter.
    Absent,
    /// Its names name nothing stored: nothing can match.
    NoneNamed,
    /// These ids, looked up in the index.
    Tagged(Vec<String>),
    /// More ids than [`TAGGED_IDS_MAX`]: checked in SQL.
    TooMany,
}

impl Filter {
    fn of(ids: Vec<String>) -> Filter {
        match ids.len() {
            0 => Filter::NoneNamed,
            n if n > TAGGED_IDS_MAX => Filter::TooMany,
            _ => Filter::Tagged(ids),
        }
    }
}

/// The `tags` tokens of `ids`, any of them: `tags : ("ch…" OR "ch…")`. Hex digits are one
/// token whatever the id holds, and never need quoting inside the quotes.
fn tag_term(prefix: &str, ids: &[String]) -> String {
    let tokens: Vec<String> = ids
        .iter()
        .map(|id| {
            let mut token = format!("\"{prefix}");
            for b in id.as_bytes() {
                // `hex()` in the schema writes upper case; FTS5 folds case either way.
                let _ = write!(token, "{b:02X}");
            }
            token.push('"');
            token
        })
        .collect();
    format!("tags : ({})", tokens.join(" OR "))
}

/// Which filters [`conditions`] checks in SQL (those naming too many ids for the index).
#[derive(Debug, Clone, Copy)]
struct InSql {
    channels: bool,
    authors: bool,
}

/// The filters the index does not check, as SQL over `messages m` (`seq` names the rowid
/// column to bound by time), their values bound in `binds`.
fn conditions(
    query: &SearchQuery,
    tz: &TimeZone,
    seq: &str,
    in_sql: InSql,
    binds: &mut Binds,
) -> String {
    let mut conditions = vec!["m.deleted = 0".to_owned()];
    // Each list is one JSON array bound once: any number of names makes the same statement
    // (no expression or compound-select limit to reach, one cached statement).
    if in_sql.channels {
        let names = binds.push(json_list(&query.channels));
        conditions.push(format!(
            "m.channel_id IN (SELECT id FROM channels
                 WHERE name COLLATE NOCASE IN (SELECT value FROM json_each({names})))"
        ));
    }
    if in_sql.authors {
        let names = binds.push(json_list(&query.authors));
        let each = format!("(SELECT value FROM json_each({names}))");
        conditions.push(format!(
            "m.author_id IN (SELECT id FROM users WHERE name COLLATE NOCASE IN {each}
                 UNION SELECT user_id FROM members WHERE nickname COLLATE NOCASE IN {each}
                 UNION SELECT value FROM json_each({names}))"
        ));
    }
    let (from, until) = query.time_range(tz);
    if let Some(from) = from {
        // A rowid is never before its creation time: the rowid bound narrows the scan, the
        // created_at bound is exact.
        let t = binds.push(rows::micros(from));
        conditions.push(format!("{seq} >= {t} AND m.created_at >= {t}"));
    }
    if let Some(until) = until {
        let t = binds.push(rows::micros(until));
        conditions.push(format!("{seq} < {t} + {SEQ_SLOTS} AND m.created_at < {t}"));
    }
    conditions.join(" AND ")
}

/// Names as a JSON array, for `json_each`.
fn json_list(names: &[String]) -> String {
    serde_json::Value::from(names.to_vec()).to_string()
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
