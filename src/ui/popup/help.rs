//! The help popup: every bound command by scope, from the user's keymap (so it shows their
//! remapped keys), scrollable.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{frame, hints};
use crate::keymap::Chord;
use crate::ui::text::{fit, truncate};
use crate::ui::{Ctx, keys, put_line};

/// Draw the help popup scrolled by `scroll` lines.
pub(crate) fn draw(buf: &mut Buffer, screen: Rect, ctx: &Ctx<'_>, scroll: u16) {
    let t = ctx.theme;
    let sections = ctx.app.keymap.help_sections();
    let keys_w = sections
        .iter()
        .flat_map(|s| s.entries.iter())
        .map(|(k, _)| crate::ui::text::width(&readable(k)))
        .max()
        .unwrap_or(8)
        .min(26);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for section in &sections {
        if section.entries.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::from(Span::styled(section.title, t.title)));
        for (chords, what) in &section.entries {
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(fit(&readable(chords), keys_w), t.accent),
                Span::raw("  "),
                Span::raw(*what),
            ]));
        }
    }
    let content_w = lines
        .iter()
        .map(crate::ui::text::line_width)
        .max()
        .unwrap_or(20);
    let w = (content_w + 4).min(usize::from(screen.width)) as u16;
    let h = (lines.len() + 2).min(usize::from(screen.height)) as u16;
    let footer = hints(ctx, &[("Esc", "close"), ("↑↓", "scroll")]);
    let inner = frame(buf, screen, ctx, w, h, "Keys", Some(footer));
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let visible = usize::from(inner.height);
    let max_scroll = lines.len().saturating_sub(visible);
    let first = usize::from(scroll).min(max_scroll);
    for (i, line) in lines.iter().skip(first).take(visible).enumerate() {
        let row = Rect {
            x: inner.x + 1,
            y: inner.y + i as u16,
            width: inner.width.saturating_sub(1),
            height: 1,
        };
        put_line(buf, row, line);
    }
    if first + visible < lines.len() {
        let more = Line::from(Span::styled(
            truncate("↓ more", usize::from(inner.width)).into_owned(),
            t.muted,
        ));
        let row = Rect {
            x: inner.right().saturating_sub(7),
            y: inner.bottom() - 1,
            width: 7.min(inner.width),
            height: 1,
        };
        buf.set_style(row, ratatui::style::Style::reset());
        put_line(buf, row, &more);
    }
}

/// "<C-k> <F1>" → "Ctrl-K / F1"; words that are not chords stay as written.
fn readable(chords: &str) -> String {
    chords
        .split_whitespace()
        .map(|c| Chord::parse(c).map_or_else(|_| c.to_owned(), |ch| keys::pretty(&ch)))
        .collect::<Vec<_>>()
        .join(" ")
}
