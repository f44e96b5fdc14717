//! `gilt export`: a channel's stored history as text, markdown or JSON on stdout, for people
//! who keep logs. Reads only the local store (no network); names are resolved from it.
//!
//! The formatting is pure (`render`); [`run`] is the IO around it. Message text is
//! untrusted: control characters and escape sequences are removed before anything is written
//! (JSON escapes whatever remains in its strings).

use std::collections::HashMap;
use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::app::model::{Message, UserId};
use crate::sanitize::{sanitize, sanitize_multiline};
use crate::store::{AccountKey, Limits, Store, account};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// One block per message: `2026-01-01 12:00  name: text`.
    #[default]
    Txt,
    /// A heading per message, the text below it.
    Md,
    /// One JSON array of `{id, author_id, author, created_at, edited_at, text}`.
    Json,
}

/// Why an export could not run.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no stored messages for {0} (start gilt once with the store on)")]
    NoStore(String),
    #[error("no stored channel is called {0:?}")]
    NoChannel(String),
    #[error("{name:?} names several channels; pass one of these ids to --channel: {choices}")]
    Ambiguous { name: String, choices: String },
    #[error("--since {0:?}: expected a date like 2026-01-31")]
    BadDate(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("cannot find the state directory: {0}")]
    Paths(String),
}

/// `gilt export`: the stored history of `channel` (a name or an id) since `since`
/// (`YYYY-MM-DD`, local time) for the server at `api_url`, rendered in `format`.
pub fn run(
    api_url: &str,
    channel: &str,
    since: Option<&str>,
    format: Format,
) -> Result<String, ExportError> {
    let tz = TimeZone::system();
    let since = since.map(|d| since_start(d, &tz)).transpose()?;
    let root = crate::paths::stores_dir().map_err(|e| ExportError::Paths(e.to_string()))?;
    let user = account::remembered_user(&root, api_url)
        .ok_or_else(|| ExportError::NoStore(api_url.to_owned()))?;
    let store = Store::open(&root, &AccountKey::new(api_url, &user), Limits::default())?;
    let handle = store.handle();
    let wanted = channel.to_owned();
    let found = handle.query(move |q| q.channels_named(&wanted)).wait()?;
    let chosen = match found.as_slice() {
        [] => return Err(ExportError::NoChannel(channel.to_owned())),
        [one] => one.clone(),
        many => {
            let choices = many
                .iter()
                .map(|c| {
                    format!(
                        "{} ({} › {})",
                        c.id,
                        sanitize(c.team.as_deref().unwrap_or("DM")),
                        sanitize(&c.name)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            return Err(ExportError::Ambiguous {
                name: channel.to_owned(),
                choices,
            });
        }
    };
    let id = chosen.id.clone();
    let (messages, names) = handle
        .query(move |q| Ok((q.channel_history(&id, since)?, q.author_names(&id)?)))
        .wait()?;
    store.close();
    Ok(render(&messages, &names, format, &tz))
}

/// The start of day `date` (`YYYY-MM-DD`) in `tz`.
fn since_start(date: &str, tz: &TimeZone) -> Result<Timestamp, ExportError> {
    let bad = || ExportError::BadDate(date.to_owned());
    let day: jiff::civil::Date = date.trim().parse().map_err(|_| bad())?;
    day.to_zoned_datetime(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|_| bad())
}

/// The messages (oldest first) in `format`, times in `tz`, authors named from `names`.
fn render(
    messages: &[Message],
    names: &HashMap<UserId, String>,
    format: Format,
    tz: &TimeZone,
) -> String {
    let name = |m: &Message| {
        sanitize(
            names
                .get(&m.author_id)
                .map_or(m.author_id.as_str(), String::as_str),
        )
        .into_owned()
    };
    let when = |t: Timestamp| {
        let dt = tz.to_datetime(t);
        format!("{} {:02}:{:02}", dt.date(), dt.hour(), dt.minute())
    };
    let text = |m: &Message| sanitize_multiline(&m.content.plain_text()).into_owned();
    let mut out = String::new();
    match format {
        Format::Txt => {
            for m in messages {
                let body = text(m).replace('\n', "\n    ");
                let _ = writeln!(out, "{}  {}: {body}", when(m.created_at), name(m));
            }
        }
        Format::Md => {
            for m in messages {
                let edited = if m.edited_at.is_some() {
                    " (edited)"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "**{}** · {}{edited}\n\n{}\n",
                    name(m),
                    when(m.created_at),
                    text(m)
                );
            }
        }
        Format::Json => {
            let list: Vec<serde_json::Value> = messages
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "id": m.id.as_str(),
                        "author_id": m.author_id.as_str(),
                        "author": name(m),
                        "created_at": m.created_at.to_string(),
                        "edited_at": m.edited_at.map(|t| t.to_string()),
                        "text": text(m),
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&list).unwrap_or_default();
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::script::{message, ts};

    fn sample() -> (Vec<Message>, HashMap<UserId, String>) {
        let mut second = message("m2", "c1", "u2", 60, "line one\nline \u{1b}[2Jtwo");
        second.edited_at = Some(ts(70));
        let messages = vec![message("m1", "c1", "u1", 0, "hello"), second];
        let names = [(UserId::from("u1"), "alice\u{7}".to_owned())].into();
        (messages, names)
    }

    #[test]
    fn text_names_authors_and_indents_continuation_lines() {
        let (messages, names) = sample();
        let out = render(&messages, &names, Format::Txt, &TimeZone::UTC);
        assert_eq!(
            out,
            "2023-11-14 22:13  alice: hello\n2023-11-14 22:14  u2: line one\n    line two\n"
        );
    }

    #[test]
    fn markdown_marks_edits_and_json_round_trips() {
        let (messages, names) = sample();
        let md = render(&messages, &names, Format::Md, &TimeZone::UTC);
        assert!(
            md.starts_with("**alice** · 2023-11-14 22:13\n\nhello\n"),
            "{md}"
        );
        assert!(md.contains("**u2** · 2023-11-14 22:14 (edited)"), "{md}");
        let json = render(&messages, &names, Format::Json, &TimeZone::UTC);
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed[1]["text"], "line one\nline two");
        assert_eq!(parsed[0]["author"], "alice");
        assert_eq!(parsed[1]["edited_at"], ts(70).to_string());
    }

    #[test]
    fn no_control_character_reaches_the_output() {
        let (messages, names) = sample();
        for format in [Format::Txt, Format::Md, Format::Json] {
            let out = render(&messages, &names, format, &TimeZone::UTC);
            assert!(
                !out.chars().any(|c| c.is_control() && c != '\n'),
                "{format:?}: {out:?}"
            );
        }
    }

    #[test]
    fn since_is_the_start_of_that_day_and_bad_dates_say_so() {
        assert_eq!(
            since_start("2026-01-31", &TimeZone::UTC).unwrap(),
            "2026-01-31T00:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert!(matches!(
            since_start("31/01/2026", &TimeZone::UTC),
            Err(ExportError::BadDate(_))
        ));
    }
}
