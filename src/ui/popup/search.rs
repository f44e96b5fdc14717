//! The Ctrl-F search: the prompt, then the messages found, newest first, one line each:
//! channel, author, time, and the snippet with the matching words highlighted.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::switcher::{query_header, row};
use super::{frame, hints};
use crate::app::Command;
use crate::app::search::{SearchHit, SearchPopup};
use crate::sanitize::sanitize;
use crate::ui::text::{truncate, width};
use crate::ui::time::{local_date, time_of_day};
use crate::ui::{Ctx, put_line};

/// Draw the search popup; returns where the cursor goes (in the prompt).
pub(crate) fn draw(
    buf: &mut Buffer,
    screen: Rect,
    ctx: &Ctx<'_>,
    search: &SearchPopup,
) -> Option<Position> {
    let t = ctx.theme;
    let w = screen.width.saturating_sub(4).min(100);
    let h = screen.height.saturating_sub(2).min(20);
    let footer = hints(
        ctx,
        &[
            (&[Command::SearchOpen], "open"),
            (&[Command::SearchUp, Command::SearchDown], "move"),
            (&[Command::SearchClose], "close"),
        ],
    );
    let inner = frame(buf, screen, ctx, w, h, "Search", Some(footer));
    if inner.height == 0 || inner.width < 3 {
        return None;
    }
    let (cursor, list) = query_header(
        buf,
        inner,
        ctx,
        &search.query,
        "words, in:#channel, from:name, before:/after:YYYY-MM-DD",
    );
    let Some(list) = list else {
        return Some(cursor);
    };
    let empty = if let Some(error) = &search.error {
        Some(Span::styled(format!(" {}", sanitize(error)), t.error))
    } else if search.results.is_empty() && !search.query.text().trim().is_empty() {
        Some(Span::styled(" No stored message matches", t.muted))
    } else {
        None
    };
    if let Some(span) = empty {
        put_line(buf, row(list, 0), &Line::from(span));
        return Some(cursor);
    }
    let visible_rows = usize::from(list.height);
    let first = (search.selected + 1).saturating_sub(visible_rows);
    for (i, hit) in search
        .results
        .iter()
        .enumerate()
        .skip(first)
        .take(visible_rows)
    {
        let r = row(list, u16::try_from(i - first).unwrap_or(0));
        put_line(
            buf,
            r,
            &Line::from(hit_spans(ctx, hit, usize::from(list.width))),
        );
        if i == search.selected {
            buf.set_style(r, t.selected);
        }
    }
    Some(cursor)
}

/// ` Team › #general  alice  2026-12-01 12:03  …the matching words…`, cut to `room` columns.
fn hit_spans(ctx: &Ctx<'_>, hit: &SearchHit, room: usize) -> Vec<Span<'static>> {
    let t = ctx.theme;
    let app = ctx.app;
    let channel = match app.channels.get(&hit.channel_id) {
        Some(ch) => app.switcher_label(ch),
        None => hit
            .channel_name
            .as_ref()
            .map_or_else(|| hit.channel_id.to_string(), |n| format!("#{n}")),
    };
    let date = local_date(hit.created_at, &app.time_zone);
    let when = format!(
        "{date} {}",
        time_of_day(hit.created_at, &app.time_zone, app.settings.clock)
    );
    let mut spans = vec![
        Span::raw(" "),
        Span::styled(truncate(&sanitize(&channel), 32).into_owned(), t.accent),
        Span::raw("  "),
        Span::styled(
            truncate(&sanitize(&hit.author_name), 16).into_owned(),
            t.title,
        ),
        Span::raw("  "),
        Span::styled(when, t.muted),
        Span::raw("  "),
    ];
    // The snippet in pieces, each sanitised on its own so the match ranges stay right.
    let text = &hit.snippet.text;
    let mut at = 0;
    for range in &hit.snippet.matches {
        let (Some(before), Some(matched)) = (text.get(at..range.start), text.get(range.clone()))
        else {
            break;
        };
        spans.push(Span::raw(sanitize(before).into_owned()));
        spans.push(Span::styled(sanitize(matched).into_owned(), t.mention));
        at = range.end;
    }
    spans.push(Span::raw(
        sanitize(text.get(at..).unwrap_or_default()).into_owned(),
    ));
    fit(spans, room)
}

/// Spans cut to `room` columns (the last one shortened with `…`).
fn fit(spans: Vec<Span<'static>>, room: usize) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut used = 0;
    for span in spans {
        let w = width(&span.content);
        if used + w <= room {
            used += w;
            out.push(span);
        } else {
            let cut = truncate(&span.content, room - used).into_owned();
            out.push(Span::styled(cut, span.style));
            break;
        }
    }
    out
}
