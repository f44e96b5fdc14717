//! The composer: a rule with what the draft is for (new message, reply, edit), then the draft,
//! word-wrapped, with the cursor placed on the grapheme it sits before.
//!
//! Rule: the draft is the user's own text but is displayed through the same per-grapheme
//! widths (and sanitiser) as everything else, so the cursor lands where the text is.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

use super::text::{grapheme_width, truncate, width};
use super::{Ctx, keys, put_line};
use crate::app::{Command, Focus};
use crate::sanitize::{TAB_WIDTH, sanitize};

/// The prompt before the first line of the draft; later lines are indented as much.
const PROMPT: &str = "› ";
/// The composer grows with its draft up to this many lines, then scrolls.
const MAX_LINES: u16 = 8;

/// Rows the composer needs at this width (a rule + the draft's wrapped lines), given the
/// height of the whole right-hand pane.
pub(crate) fn height(ctx: &Ctx<'_>, width: u16, pane_height: u16) -> u16 {
    let text_w = text_width(width);
    let rows = wrap(ctx.app.composer.text(), text_w).len() as u16;
    let max = MAX_LINES.min(pane_height / 3).max(1);
    rows.clamp(1, max) + 1
}

fn text_width(width: u16) -> usize {
    // One column stays free after the text so the cursor can sit past the last character.
    usize::from(width)
        .saturating_sub(width_u(PROMPT) + 1)
        .max(1)
}

fn width_u(s: &str) -> usize {
    width(s)
}

/// Draw the composer; returns the cursor position when the composer has the keyboard.
pub(crate) fn draw(buf: &mut Buffer, area: Rect, ctx: &Ctx<'_>) -> Option<Position> {
    if area.height == 0 || area.width == 0 {
        return None;
    }
    let t = ctx.theme;
    let app = ctx.app;
    let focused = app.focus == Focus::Composer && app.popup.is_none();
    draw_rule(buf, Rect { height: 1, ..area }, ctx, focused);
    let input = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    if input.height == 0 {
        return None;
    }
    let text = app.composer.text();
    let text_w = text_width(area.width);
    let rows = wrap(text, text_w);
    let cursor = app.composer.cursor().min(text.len());
    let (cursor_row, cursor_col) = cursor_cell(text, &rows, cursor);
    let visible = usize::from(input.height);
    let first = (cursor_row + 1).saturating_sub(visible);
    let prompt_style = if focused { t.accent } else { t.muted };
    if text.is_empty() {
        let placeholder = placeholder(ctx);
        let line = Line::from(vec![
            Span::styled(PROMPT, prompt_style),
            Span::styled(
                truncate(&placeholder, text_w).into_owned(),
                t.muted.add_modifier(Modifier::ITALIC),
            ),
        ]);
        put_line(buf, Rect { height: 1, ..input }, &line);
    }
    for (i, (start, end)) in rows.iter().enumerate().skip(first).take(visible) {
        let y = input.y + (i - first) as u16;
        let lead = if i == 0 { PROMPT } else { "  " };
        let shown = display(text.get(*start..*end).unwrap_or(""));
        let line = Line::from(vec![Span::styled(lead, prompt_style), Span::raw(shown)]);
        if !text.is_empty() {
            put_line(
                buf,
                Rect {
                    y,
                    height: 1,
                    ..input
                },
                &line,
            );
        }
    }
    if !focused {
        return None;
    }
    let x = input.x + (width_u(PROMPT) + cursor_col).min(usize::from(input.width) - 1) as u16;
    let y = input.y + (cursor_row - first) as u16;
    Some(Position { x, y })
}

/// The rule above the draft: plain, or saying what the draft is for.
fn draw_rule(buf: &mut Buffer, area: Rect, ctx: &Ctx<'_>, focused: bool) {
    let t = ctx.theme;
    let app = ctx.app;
    let rule_style = if focused { t.border_focused } else { t.border };
    let w = usize::from(area.width);
    let cancel = keys::hint(&app.keymap, Command::Cancel)
        .map(|k| format!(" · {k} to cancel"))
        .unwrap_or_default();
    let label = if app.composer.editing.is_some() {
        Some(format!("✎ Editing your message{cancel}"))
    } else if let Some(id) = &app.composer.reply_to {
        let who = app.timeline().and_then(|tl| tl.get(id)).map_or_else(
            || "a message".to_owned(),
            |m| sanitize(app.display_name(&m.channel_id, &m.author_id)).into_owned(),
        );
        Some(format!("↳ Replying to {who}{cancel}"))
    } else {
        None
    };
    let mut spans = Vec::new();
    let mut used = 0;
    if let Some(label) = label {
        let label = truncate(&label, w.saturating_sub(4)).into_owned();
        used = width(&label) + 3;
        spans.push(Span::styled("─ ", rule_style));
        spans.push(Span::styled(label, t.accent));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled("─".repeat(w.saturating_sub(used)), rule_style));
    put_line(buf, area, &Line::from(spans));
}

fn placeholder(ctx: &Ctx<'_>) -> String {
    match ctx.app.current_channel() {
        Some(ch) if ch.is_dm() => format!("Message @{}", sanitize(&ch.name)),
        Some(ch) => format!("Message #{}", sanitize(&ch.name)),
        None => "No channel open".to_owned(),
    }
}

/// What a grapheme of the draft looks like on screen, and how wide it is.
fn shown(g: &str) -> (std::borrow::Cow<'_, str>, usize) {
    if g == "\t" {
        return (" ".repeat(TAB_WIDTH).into(), TAB_WIDTH);
    }
    let clean = sanitize(g);
    let w = grapheme_width(&clean);
    (clean, w)
}

fn display(s: &str) -> String {
    s.graphemes(true).map(|g| shown(g).0).collect()
}

/// Wrap the draft into rows of byte ranges (each at most `w` columns): at line breaks, after
/// spaces when a word does not fit, anywhere inside a word longer than a row.
pub(crate) fn wrap(text: &str, w: usize) -> Vec<(usize, usize)> {
    let mut rows = Vec::new();
    let mut offset = 0;
    for line in text.split('\n') {
        let mut start = offset;
        let mut used = 0;
        // Byte offset just after the last space of the row (a place to break).
        let mut last_break: Option<usize> = None;
        for (i, g) in line.grapheme_indices(true) {
            let at = offset + i;
            let gw = shown(g).1;
            // A space may hang past the edge (it is invisible); a word breaks at the last one.
            if used + gw > w && at > start && g != " " {
                let cut = match last_break {
                    Some(b) if b > start => b,
                    _ => at,
                };
                rows.push((start, cut));
                start = cut;
                used = text
                    .get(cut..at)
                    .map_or(0, |s| s.graphemes(true).map(|g| shown(g).1).sum());
                last_break = None;
            }
            used += gw;
            if g == " " {
                last_break = Some(at + 1);
            }
        }
        rows.push((start, offset + line.len()));
        offset += line.len() + 1;
    }
    rows
}

/// (row, column) of the cursor byte offset in the wrapped rows.
fn cursor_cell(text: &str, rows: &[(usize, usize)], cursor: usize) -> (usize, usize) {
    // The last row starting at or before the cursor whose range holds it.
    let row = rows
        .iter()
        .rposition(|(start, end)| *start <= cursor && cursor <= *end)
        .unwrap_or(0);
    let start = rows.get(row).map_or(0, |r| r.0);
    let col = text
        .get(start..cursor)
        .map_or(0, |s| s.graphemes(true).map(|g| shown(g).1).sum());
    (row, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, w: usize) -> Vec<&str> {
        wrap(text, w)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect()
    }

    #[test]
    fn wraps_words_lines_and_long_words() {
        assert_eq!(rows("hello world", 20), ["hello world"]);
        assert_eq!(rows("hello world", 8), ["hello ", "world"]);
        assert_eq!(rows("a\nb", 8), ["a", "b"]);
        assert_eq!(rows("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(rows("日本語", 4), ["日本", "語"]);
        assert_eq!(rows("", 4), [""]);
        assert_eq!(rows("abcd efgh", 4), ["abcd ", "efgh"]);
    }

    #[test]
    fn cursor_follows_wrapping() {
        let text = "hello world";
        let r = wrap(text, 8);
        assert_eq!(cursor_cell(text, &r, 0), (0, 0));
        assert_eq!(cursor_cell(text, &r, 7), (1, 1));
        assert_eq!(cursor_cell(text, &r, text.len()), (1, 5));
        let text = "日本\nx";
        let r = wrap(text, 8);
        assert_eq!(cursor_cell(text, &r, "日本".len()), (0, 4));
        assert_eq!(cursor_cell(text, &r, text.len()), (1, 1));
    }
}
