//! What the user typed into the search prompt, understood: free words (and `"quoted
//! phrases"`) plus filters `in:#channel`, `from:name`, `before:YYYY-MM-DD`,
//! `after:YYYY-MM-DD`, and what a search finds ([`SearchHit`]). Pure: no IO, no clock; the
//! store runs the query (`store::search`).
//!
//! Words become an FTS5 MATCH expression in which every term is a quoted string, so nothing
//! the user types is ever FTS5 syntax (`AND`, `NEAR`, `*`, `:`, `^` and quotes are just
//! text). Several words must all match; several filters of one kind are alternatives.

use std::ops::Range;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::model::{ChannelId, MessageId, TeamId, UserId};

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

/// The Ctrl-F search popup: the prompt, and the newest answer to it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchPopup {
    pub query: super::Composer,
    /// Messages found, newest first.
    pub results: Vec<SearchHit>,
    /// Index into `results`.
    pub selected: usize,
    /// The number of the latest search asked for; older answers are dropped.
    pub asked: u64,
    /// Why the latest search could not run (no store, a store error).
    pub error: Option<String>,
}

/// A parsed search prompt.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    /// Words and phrases that must all occur (as the user wrote them, unquoted).
    pub words: Vec<String>,
    /// Whether the last word is still being typed (no space after it), so it matches as a
    /// prefix: results appear as the user types.
    pub last_is_prefix: bool,
    /// `in:` channel names (without `#`); the message is in one of them.
    pub channels: Vec<String>,
    /// `from:` names (without `@`): a user name, a team nickname or a user id.
    pub authors: Vec<String>,
    /// `before:` — created before the start of this day.
    pub before: Option<Date>,
    /// `after:` — created after the end of this day.
    pub after: Option<Date>,
    /// Filters that could not be understood (a bad date), as typed, for the prompt to show.
    pub invalid: Vec<String>,
}

impl SearchQuery {
    /// Understand a search prompt. Never fails: what is not a filter is a word, and a filter
    /// with a bad value is listed in `invalid`.
    pub fn parse(input: &str) -> SearchQuery {
        let mut query = SearchQuery::default();
        let tokens = tokens(input);
        for token in &tokens {
            if !token.quoted_start
                && let Some((key, value)) = token.text.split_once(':')
                && !value.is_empty()
                && query.filter(&key.to_ascii_lowercase(), value, &token.text)
            {
                continue;
            }
            query.words.push(token.text.clone());
        }
        query.words.retain(|w| has_term(w));
        query.last_is_prefix = tokens.last().is_some_and(|t| {
            !t.quoted_start && !t.quoted_end && query.words.last() == Some(&t.text)
        }) && !input.ends_with(char::is_whitespace);
        query
    }

    /// Apply one `key:value` filter; `false` if `key` is not a filter.
    fn filter(&mut self, key: &str, value: &str, raw: &str) -> bool {
        match key {
            "in" => self.channels.push(value.trim_start_matches('#').to_owned()),
            "from" => self.authors.push(value.trim_start_matches('@').to_owned()),
            "before" | "after" => match value.parse::<Date>() {
                Ok(date) if key == "before" => self.before = Some(date),
                Ok(date) => self.after = Some(date),
                Err(_) => self.invalid.push(raw.to_owned()),
            },
            _ => return false,
        }
        true
    }

    /// Whether there is nothing to search for (no words, no filters).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
            && self.channels.is_empty()
            && self.authors.is_empty()
            && self.before.is_none()
            && self.after.is_none()
    }

    /// The FTS5 MATCH expression for the words (`None` when there are none): each one a
    /// quoted string (inner quotes doubled), the last a prefix while it is being typed.
    pub fn fts_match(&self) -> Option<String> {
        let last = self.words.len().checked_sub(1)?;
        let terms: Vec<String> = self
            .words
            .iter()
            .enumerate()
            .map(|(i, word)| {
                let quoted = format!("\"{}\"", word.replace('"', "\"\""));
                if i == last && self.last_is_prefix {
                    quoted + "*"
                } else {
                    quoted
                }
            })
            .collect();
        Some(terms.join(" "))
    }

    /// The time range the date filters allow, in `tz`: (created at or after, created before).
    pub fn time_range(&self, tz: &TimeZone) -> (Option<Timestamp>, Option<Timestamp>) {
        let start_of = |date: Date| {
            date.to_zoned_datetime(tz.clone())
                .ok()
                .map(|z| z.timestamp())
        };
        let from = self
            .after
            .and_then(|d| d.tomorrow().ok())
            .and_then(start_of);
        let until = self.before.and_then(start_of);
        (from, until)
    }
}

/// One whitespace-separated piece of the prompt; quotes group words and are removed.
struct Token {
    text: String,
    /// It began with a quote: a phrase, never a filter.
    quoted_start: bool,
    /// It ended inside or with a quote: a finished phrase, not a prefix being typed.
    quoted_end: bool,
}

fn tokens(input: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else {
            break;
        };
        let mut token = Token {
            text: String::new(),
            quoted_start: first == '"',
            quoted_end: false,
        };
        let mut in_quotes = false;
        while let Some(c) = chars.next_if(|c| in_quotes || !c.is_whitespace()) {
            if c == '"' {
                in_quotes = !in_quotes;
                token.quoted_end = true;
            } else {
                token.quoted_end = in_quotes;
                token.text.push(c);
            }
        }
        if !token.text.is_empty() {
            out.push(token);
        }
    }
    out
}

/// Whether a word holds anything the tokenizer indexes (letters or digits); a word of only
/// punctuation would be an empty FTS5 phrase.
fn has_term(word: &str) -> bool {
    word.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn words_and_every_filter() {
        let q = SearchQuery::parse(
            "deploy in:#ops FROM:@alice before:2024-05-02 after:2024-04-30 failed ",
        );
        assert_eq!(q.words, ["deploy", "failed"]);
        assert!(!q.last_is_prefix, "a trailing space finishes the word");
        assert_eq!(q.channels, ["ops"]);
        assert_eq!(q.authors, ["alice"]);
        assert_eq!(q.before, Some(date("2024-05-02")));
        assert_eq!(q.after, Some(date("2024-04-30")));
        assert!(q.invalid.is_empty());
        assert_eq!(q.fts_match().as_deref(), Some(r#""deploy" "failed""#));
    }

    #[test]
    fn the_last_word_is_a_prefix_while_typed() {
        let q = SearchQuery::parse("hello wor");
        assert!(q.last_is_prefix);
        assert_eq!(q.fts_match().as_deref(), Some(r#""hello" "wor"*"#));
        assert!(!SearchQuery::parse("hello in:#a").last_is_prefix);
        assert!(!SearchQuery::parse("\"hello wor\"").last_is_prefix);
    }

    #[test]
    fn user_text_never_becomes_fts_syntax() {
        let q = SearchQuery::parse("OR b NEAR(x) c* ^d -e col:f AND");
        assert_eq!(
            q.fts_match().unwrap(),
            r#""OR" "b" "NEAR(x)" "c*" "^d" "-e" "col:f" "AND"*"#,
            "every term quoted; only the prefix star is ours"
        );
        let q = SearchQuery {
            words: vec![r#"say "hi""#.to_owned()],
            ..SearchQuery::default()
        };
        assert_eq!(
            q.fts_match().unwrap(),
            r#""say ""hi""""#,
            "inner quotes doubled"
        );
    }

    #[test]
    fn quotes_make_phrases_and_protect_filter_lookalikes() {
        let q = SearchQuery::parse(r##""release notes" "in:#ops" in:"#off topic""##);
        assert_eq!(q.words, ["release notes", "in:#ops"]);
        assert_eq!(q.channels, ["off topic"]);
        assert_eq!(
            q.fts_match().as_deref(),
            Some(r#""release notes" "in:#ops""#)
        );
    }

    #[test]
    fn filters_alone_are_a_query() {
        let q = SearchQuery::parse("from:bob in:general in:#random");
        assert!(q.words.is_empty());
        assert_eq!(q.fts_match(), None);
        assert_eq!(q.authors, ["bob"]);
        assert_eq!(q.channels, ["general", "random"]);
        assert!(!q.is_empty());
        assert!(SearchQuery::parse("   ").is_empty());
    }

    #[test]
    fn odd_input_is_words_or_invalid_filters() {
        let q = SearchQuery::parse("before:tomorrow http://x.y in: ??? :)");
        assert_eq!(q.invalid, ["before:tomorrow"]);
        assert_eq!(q.before, None);
        assert_eq!(
            q.words,
            ["http://x.y", "in:"],
            "punctuation-only words are dropped"
        );
        let q = SearchQuery::parse("\"unclosed phrase");
        assert_eq!(q.words, ["unclosed phrase"]);
    }

    #[test]
    fn date_filters_are_whole_days_in_the_given_zone() {
        let q = SearchQuery::parse("before:2024-05-02 after:2024-04-30");
        let (from, until) = q.time_range(&TimeZone::UTC);
        assert_eq!(from, Some("2024-05-01T00:00:00Z".parse().unwrap()));
        assert_eq!(until, Some("2024-05-02T00:00:00Z".parse().unwrap()));
        let tz = TimeZone::fixed(jiff::tz::offset(2));
        let (_, until) = q.time_range(&tz);
        assert_eq!(until, Some("2024-05-01T22:00:00Z".parse().unwrap()));
    }
}
