//! The help popup: every command by scope, from the user's keymap (so it shows their remapped
//! keys; the rows are `Keymap::help_sections`); in two columns when the screen is wide enough,
//! else scrollable.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{frame, hints};
use crate::app::Command;
use crate::ui::text::{fit, line_width, width};
use crate::ui::{Ctx, put_line};

/// Widest key column.
const KEYS_MAX: usize = 24;

/// Draw the help popup scrolled by `scroll` lines.
pub(crate) fn draw(buf: &mut Buffer, screen: Rect, ctx: &Ctx<'_>, scroll: u16) {
    let t = ctx.theme;
    let sections = sections(ctx);
    let keys_w = sections
        .iter()
        .flat_map(|(_, e)| e.iter())
        .map(|(k, _)| width(k))
        .max()
        .unwrap_or(8)
        .min(KEYS_MAX);
    let blocks: Vec<Vec<Line<'static>>> = sections
        .iter()
        .map(|(title, entries)| {
            let mut lines = vec![Line::from(Span::styled((*title).to_owned(), t.title))];
            for (chords, what) in entries {
                // Keys wider than their column get a line of their own, the text below.
                let keys = if width(chords) > keys_w {
                    lines.push(Line::from(vec![
                        Span::raw("  "),
                        Span::styled(chords.clone(), t.accent),
                    ]));
                    " ".repeat(keys_w)
                } else {
                    fit(chords, keys_w)
                };
                lines.push(Line::from(vec![
                    Span::raw("  "),
                    Span::styled(keys, t.accent),
                    Span::raw("  "),
                    Span::raw(what.clone()),
                ]));
            }
            lines
        })
        .collect();
    let col_w = blocks.iter().flatten().map(line_width).max().unwrap_or(20);
    let one_column = join(&blocks);
    let screen_h = usize::from(screen.height);
    let two = one_column.len() + 2 > screen_h && usize::from(screen.width) >= 2 * col_w + 7;
    let columns: Vec<Vec<Line<'static>>> = if two {
        // Fill the left column with whole sections up to about half of the lines.
        let half = one_column.len().div_ceil(2);
        let mut split = 0;
        let mut count = 0;
        for (i, b) in blocks.iter().enumerate() {
            if count + b.len() / 2 >= half {
                break;
            }
            count += b.len() + 1;
            split = i + 1;
        }
        let (a, b) = blocks.split_at(split.max(1).min(blocks.len()));
        vec![join(a), join(b)]
    } else {
        vec![one_column]
    };
    let content_h = columns.iter().map(Vec::len).max().unwrap_or(0);
    let w = (col_w * columns.len() + 3 * (columns.len() - 1) + 4).min(usize::from(screen.width));
    let h = (content_h + 2).min(screen_h);
    let visible = h.saturating_sub(2);
    let max_scroll = content_h.saturating_sub(visible);
    let first = usize::from(scroll).min(max_scroll);
    let mut items: Vec<(&[Command], &str)> = vec![(&[Command::HelpClose], "close")];
    if max_scroll > 0 {
        items.push((&[Command::HelpUp, Command::HelpDown], "scroll"));
    }
    let footer = hints(ctx, &items);
    let inner = frame(buf, screen, ctx, w as u16, h as u16, "Keys", Some(footer));
    if inner.height == 0 || inner.width < 2 {
        return;
    }
    for (c, column) in columns.iter().enumerate() {
        let x = inner.x + 1 + (c * (col_w + 3)) as u16;
        if x >= inner.right() {
            break;
        }
        for (i, line) in column.iter().skip(first).take(visible).enumerate() {
            let row = Rect {
                x,
                y: inner.y + i as u16,
                width: inner.right() - x,
                height: 1,
            };
            put_line(buf, row, line);
        }
    }
    if first + visible < content_h && inner.width > 8 {
        buf.set_string(inner.x + 1, inner.bottom(), " ↓ more ", t.muted);
    }
}

/// Sections joined with a blank line between them.
fn join(blocks: &[Vec<Line<'static>>]) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for b in blocks {
        if !out.is_empty() {
            out.push(Line::default());
        }
        out.extend(b.iter().cloned());
    }
    out
}

/// (title, [(keys, what)]) from the keymap, with readable keys.
fn sections(ctx: &Ctx<'_>) -> Vec<(&'static str, Vec<(String, String)>)> {
    ctx.app
        .keymap
        .help_sections()
        .into_iter()
        .map(|s| {
            let rows = s
                .entries
                .into_iter()
                .map(|e| (e.keys.render(|k| k), e.what))
                .collect();
            (s.title, rows)
        })
        .collect()
}
