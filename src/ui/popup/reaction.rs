//! The reaction picker: the query, then the matching emoji one a row (glyph, `:name:`, and
//! whether it is recent, custom, or cannot be sent yet), the selected one highlighted; the
//! first nine are numbered for Alt-1…9.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::switcher::query_header;
use super::{frame, hints};
use crate::app::Command;
use crate::app::reactions::{EmojiChoice, ReactionPicker};
use crate::sanitize::sanitize;
use crate::ui::text::{truncate, width};
use crate::ui::{Ctx, emoji, put_line};

/// Draw the picker over `screen`; returns where the cursor goes (in the query).
pub(crate) fn draw(
    buf: &mut Buffer,
    screen: Rect,
    ctx: &Ctx<'_>,
    picker: &ReactionPicker,
) -> Option<Position> {
    let t = ctx.theme;
    let footer = hints(
        ctx,
        &[
            (&[Command::ReactionPick], "react"),
            (&[Command::ReactionPrev, Command::ReactionNext], "move"),
            (&[Command::ReactionClose], "close"),
        ],
    );
    let w = screen.width.saturating_sub(4).min(48);
    let h = screen.height.saturating_sub(2).min(16);
    let inner = frame(buf, screen, ctx, w, h, "React", Some(footer));
    if inner.height == 0 || inner.width < 3 {
        return None;
    }
    let (cursor, list) = query_header(buf, inner, ctx, &picker.query, "emoji name");
    let Some(list) = list else {
        return Some(cursor);
    };
    if picker.matches.is_empty() {
        put_line(
            buf,
            row(list, 0),
            &Line::from(Span::styled(" No emoji matches", t.muted)),
        );
        return Some(cursor);
    }
    let rows = usize::from(list.height);
    let first = (picker.selected + 1).saturating_sub(rows);
    for i in first..(first + rows).min(picker.matches.len()) {
        let Some(choice) = picker.nth(i) else {
            continue;
        };
        let r = row(list, (i - first) as u16);
        put_line(
            buf,
            r,
            &choice_line(ctx, choice, i, usize::from(list.width)),
        );
        if i == picker.selected {
            buf.set_style(r, t.selected);
        }
    }
    Some(cursor)
}

/// One row: ` 1 🎉 :tada:            recent`.
fn choice_line(ctx: &Ctx<'_>, choice: &EmojiChoice, i: usize, room: usize) -> Line<'static> {
    let t = ctx.theme;
    let number = if i < 9 {
        format!(" {} ", i + 1)
    } else {
        "   ".to_owned()
    };
    let glyph = choice.glyph.map_or_else(|| "  ".to_owned(), emoji::cell);
    let name = format!(":{}:", sanitize(&choice.name).trim_matches(':'));
    let tag = if choice.id.is_none() {
        "no id yet"
    } else if choice.recent {
        "recent"
    } else if choice.glyph.is_none() {
        "custom"
    } else {
        ""
    };
    let fixed = width(&number) + 3 + width(tag) + 1;
    let name = truncate(&name, room.saturating_sub(fixed)).into_owned();
    let pad = room.saturating_sub(fixed + width(&name));
    let style = if choice.id.is_none() {
        t.muted
    } else {
        Style::new()
    };
    Line::from(vec![
        Span::styled(number, t.muted),
        Span::raw(format!("{glyph} ")),
        Span::styled(name, style),
        Span::raw(" ".repeat(pad)),
        Span::styled(format!("{tag} "), t.muted),
    ])
}

fn row(area: Rect, i: u16) -> Rect {
    Rect {
        y: area.y + i,
        height: 1,
        ..area
    }
}
