//! The reaction picker: a row of common emoji, the picked one highlighted and named.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{frame, hints};
use crate::app::Command;
use crate::app::{COMMON_EMOJI, EmojiId};
use crate::sanitize::sanitize;
use crate::ui::text::{truncate, width};
use crate::ui::{Ctx, emoji, put_line_centered};

/// The glyph for a choice: the model's stock glyph for its id, else from its name.
fn glyph(id: EmojiId, name: &str) -> String {
    COMMON_EMOJI.iter().find(|(e, _, _)| *e == id).map_or_else(
        || emoji::reaction_label(&sanitize(name)).into_owned(),
        |(_, _, g)| (*g).to_owned(),
    )
}

/// Draw the picker over `screen`.
pub(crate) fn draw(
    buf: &mut Buffer,
    screen: Rect,
    ctx: &Ctx<'_>,
    choices: &[(EmojiId, String)],
    selected: usize,
) {
    let t = ctx.theme;
    let cells: Vec<String> = choices.iter().map(|(id, n)| glyph(*id, n)).collect();
    let row_w: usize = cells.iter().map(|c| width(c) + 2).sum::<usize>() + 2;
    let footer = hints(
        ctx,
        &[
            (&[Command::ReactionPick], "react"),
            (&[Command::ReactionPrev, Command::ReactionNext], "pick"),
            (&[Command::ReactionClose], "close"),
        ],
    );
    let w = row_w.max(32) as u16;
    let inner = frame(buf, screen, ctx, w, 6, "React", Some(footer));
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    for (i, cell) in cells.iter().enumerate() {
        let style = if i == selected {
            t.selected
        } else {
            ratatui::style::Style::new()
        };
        spans.push(Span::styled(format!(" {cell} "), style));
    }
    put_line_centered(buf, row(inner, 1.min(inner.height - 1)), &Line::from(spans));
    if inner.height >= 4
        && let Some((_, name)) = choices.get(selected)
    {
        let name = format!(":{}:", sanitize(name).trim_matches(':'));
        let line = Line::from(Span::styled(
            truncate(&name, usize::from(inner.width)).into_owned(),
            t.muted,
        ));
        put_line_centered(buf, row(inner, 3), &line);
    }
}

fn row(area: Rect, i: u16) -> Rect {
    Rect {
        y: area.y + i,
        height: 1,
        ..area
    }
}
