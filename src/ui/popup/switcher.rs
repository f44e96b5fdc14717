//! The Ctrl-K switcher: the query (with the cursor), then the matching channels and DMs,
//! best first (ranked by the model), with unread/mention marks.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

use super::{frame, hints};
use crate::app::Command;
use crate::app::{Composer, Switcher};
use crate::sanitize::sanitize;
use crate::ui::text::{grapheme_width, truncate, width};
use crate::ui::{Ctx, put_line};

/// Draw the switcher; returns where the cursor goes (in the query).
pub(crate) fn draw(
    buf: &mut Buffer,
    screen: Rect,
    ctx: &Ctx<'_>,
    switcher: &Switcher,
) -> Option<Position> {
    let t = ctx.theme;
    let w = screen.width.saturating_sub(4).min(64);
    // Grows with the results (a steady minimum so it does not jump on every keystroke).
    let rows = switcher.len().clamp(6, 14) as u16;
    let h = screen.height.saturating_sub(2).min(rows + 4);
    let footer = hints(
        ctx,
        &[
            (&[Command::SwitcherOpen], "open"),
            (&[Command::SwitcherUp, Command::SwitcherDown], "move"),
            (&[Command::SwitcherClose], "close"),
        ],
    );
    let inner = frame(buf, screen, ctx, w, h, "Jump to", Some(footer));
    if inner.height == 0 || inner.width < 3 {
        return None;
    }
    let (cursor, list) = query_header(buf, inner, ctx, &switcher.query, "channel or person");
    let Some(list) = list else {
        return Some(cursor);
    };
    if switcher.is_empty() {
        put_line(
            buf,
            row(list, 0),
            &Line::from(Span::styled(" No match", t.muted)),
        );
        return Some(cursor);
    }
    let visible_rows = usize::from(list.height);
    let first = (switcher.selected + 1).saturating_sub(visible_rows);
    for (i, id) in switcher
        .results
        .iter()
        .enumerate()
        .skip(first)
        .take(visible_rows)
    {
        let Some(ch) = ctx.app.channels.get(id) else {
            continue;
        };
        let label = sanitize(&ctx.app.switcher_label(ch)).into_owned();
        let mut style = Style::new();
        if ch.unread > 0 {
            style = style.patch(t.unread);
        }
        let badge = if ch.mentions > 0 {
            Some(Span::styled(format!(" {} ", ch.mentions), t.badge))
        } else {
            None
        };
        let lw = usize::from(list.width);
        let badge_w = badge.as_ref().map_or(0, |b| width(&b.content) + 1);
        let name = truncate(&label, lw.saturating_sub(2 + badge_w)).into_owned();
        let pad = lw.saturating_sub(2 + width(&name) + badge_w);
        let mut spans = vec![
            Span::raw(" "),
            Span::styled(name, style),
            Span::raw(" ".repeat(pad)),
        ];
        if let Some(b) = badge {
            spans.push(b);
        }
        let r = row(list, (i - first) as u16);
        put_line(buf, r, &Line::from(spans));
        if i == switcher.selected {
            buf.set_style(r, t.selected);
        }
    }
    // People without a DM yet, after the channels: choosing one opens a DM.
    let offset = switcher.results.len();
    for (i, user) in switcher
        .people
        .iter()
        .enumerate()
        .map(|(i, u)| (i + offset, u))
        .filter(|(i, _)| (first..first + visible_rows).contains(i))
    {
        // The account name, as the DM's title will have it; a team nickname after it.
        let (name, nickname) = ctx.app.person_names(user);
        let name = match nickname {
            Some(nick) => format!("{} ({})", sanitize(&name), sanitize(&nick)),
            None => sanitize(&name).into_owned(),
        };
        let lw = usize::from(list.width);
        let note = "new DM";
        let name = truncate(&format!("@ {name}"), lw.saturating_sub(3 + width(note))).into_owned();
        let pad = lw.saturating_sub(2 + width(&name) + width(note));
        let spans = vec![
            Span::raw(" "),
            Span::raw(name),
            Span::raw(" ".repeat(pad)),
            Span::styled(note, t.muted),
        ];
        let r = row(list, (i - first) as u16);
        put_line(buf, r, &Line::from(spans));
        if i == switcher.selected {
            buf.set_style(r, t.selected);
        }
    }
    Some(cursor)
}

/// The prompt on the first row of `inner` (`› ` then the text, or `placeholder` in grey when
/// empty), scrolled to keep the cursor in view; returns where the cursor goes.
fn query_line(
    buf: &mut Buffer,
    inner: Rect,
    ctx: &Ctx<'_>,
    composer: &Composer,
    placeholder: &str,
) -> Position {
    let t = ctx.theme;
    // The query line.
    let query = composer.text();
    let shown = sanitize(query);
    let room = usize::from(inner.width).saturating_sub(3);
    let cursor_col: usize = query
        .get(..composer.cursor().min(query.len()))
        .map_or(0, |q| {
            q.graphemes(true)
                .map(|g| grapheme_width(&sanitize(g)))
                .sum()
        });
    // Keep the cursor in view: show the tail of a long query.
    let skip_cols = cursor_col.saturating_sub(room);
    let visible: String = {
        let mut col = 0;
        shown
            .graphemes(true)
            .filter(|g| {
                let keep = col >= skip_cols;
                col += grapheme_width(g);
                keep
            })
            .collect()
    };
    let query_line = if query.is_empty() {
        Line::from(vec![
            Span::styled("› ", t.accent),
            Span::styled(truncate(placeholder, room).into_owned(), t.muted),
        ])
    } else {
        Line::from(vec![
            Span::styled("› ", t.accent),
            Span::raw(truncate(&visible, room).into_owned()),
        ])
    };
    put_line(buf, row(inner, 0), &query_line);
    Position {
        x: inner.x + 2 + (cursor_col - skip_cols).min(room) as u16,
        y: inner.y,
    }
}

/// The query line and the divider under it (the switcher's and the search's header): the
/// cursor, and the rows left for the list (`None` when there is no room for one).
pub(super) fn query_header(
    buf: &mut Buffer,
    inner: Rect,
    ctx: &Ctx<'_>,
    composer: &Composer,
    placeholder: &str,
) -> (Position, Option<Rect>) {
    let cursor = query_line(buf, inner, ctx, composer, placeholder);
    if inner.height < 3 {
        return (cursor, None);
    }
    put_line(
        buf,
        row(inner, 1),
        &Line::from(Span::styled(
            "─".repeat(usize::from(inner.width)),
            ctx.theme.border,
        )),
    );
    let list = Rect {
        y: inner.y + 2,
        height: inner.height - 2,
        ..inner
    };
    (cursor, Some(list))
}

pub(super) fn row(area: Rect, i: u16) -> Rect {
    Rect {
        y: area.y + i,
        height: 1,
        ..area
    }
}
