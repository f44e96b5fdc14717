//! The timeline pane: the open channel's title, then its messages bottom-up from the scroll
//! position, and a "new messages below" marker when scrolled up.
//!
//! Rule: only visible messages are laid out — from the bottom-most visible one upwards until
//! the pane is full — so a frame costs the same with a thousand or a million messages.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::cache::LayoutCache;
use super::image::{Placement, skip_cells};
use super::message::{self, MessageRows};
use super::text::{truncate, width};
use super::{Ctx, keys, put_line, put_line_centered};
use crate::app::timeline::Timeline;
use crate::app::{ChannelKind, Command, Focus, HitMap, Shown};
use crate::sanitize::sanitize;

/// Columns left of every message row: the selection bar / failure mark, then a space.
const GUTTER: u16 = 2;

/// Draw the timeline pane in `area`.
pub(crate) fn draw(
    buf: &mut Buffer,
    area: Rect,
    ctx: &Ctx<'_>,
    cache: &mut LayoutCache,
    hits: &mut HitMap,
    wanted_images: &mut Vec<String>,
    placements: &mut Vec<Placement>,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let t = ctx.theme;
    let focused = ctx.app.focus == Focus::Timeline;
    draw_title(buf, row(area, 0), ctx, focused);
    let mut top = area.y + 1;
    if area.height >= 8 {
        let rule = if focused { t.border_focused } else { t.border };
        put_line(
            buf,
            row(area, 1),
            &Line::from(Span::styled("─".repeat(usize::from(area.width)), rule)),
        );
        top += 1;
    }
    let body = Rect {
        y: top,
        height: area.bottom().saturating_sub(top),
        ..area
    };
    if body.height == 0 {
        return;
    }
    let Some(tl) = ctx.app.timeline() else {
        let hint = keys::hint(&ctx.app.keymap, Command::Switcher)
            .map(|k| format!(" — {k} to pick one"))
            .unwrap_or_default();
        centered_note(buf, body, &format!("No channel open{hint}"), t.muted);
        return;
    };
    if tl.is_empty() {
        let note = if tl.loaded {
            "No messages yet. Say hi!"
        } else {
            "Loading messages…"
        };
        centered_note(buf, body, note, t.muted);
        return;
    }
    // Where the view stands: laid out for a pane one row short (the "more below" marker).
    let content_w = body.width.saturating_sub(GUTTER).max(1);
    let short = usize::from(body.height.saturating_sub(1)).max(1);
    let Some(bottom) = view_bottom(ctx, tl, cache, content_w, short) else {
        return;
    };
    let scroll = tl.len() - 1 - bottom;
    let mut rows_area = body;
    if scroll > 0 && rows_area.height > 1 {
        rows_area.height -= 1;
        let marker = if tl.new_below > 0 {
            let n = tl.new_below;
            let s = if n == 1 { "" } else { "s" };
            Line::from(Span::styled(
                format!("↓ {n} new message{s} below"),
                t.accent.add_modifier(Modifier::BOLD),
            ))
        } else {
            Line::from(Span::styled(format!("↓ {scroll} more below"), t.muted))
        };
        put_line_centered(buf, row(body, body.height - 1), &marker);
    }
    draw_messages(
        buf,
        rows_area,
        ctx,
        bottom,
        cache,
        hits,
        wanted_images,
        placements,
    );
}

/// Rows of message `index` at `width` (0 when it shows nothing).
fn height_of(
    ctx: &Ctx<'_>,
    tl: &Timeline,
    index: usize,
    width: u16,
    cache: &mut LayoutCache,
) -> usize {
    message::rows(ctx, tl, index, width, cache).map_or(0, |b| b.height())
}

/// The bottom-most message to draw in a pane of `height` rows: where the timeline is
/// scrolled, moved so that the selected message is all on screen (the reducer counts
/// messages, not rows, and cannot know), and, scrolled up, moved down while the oldest
/// loaded message would leave rows empty at the top. The frame reports it back (`Shown`).
fn view_bottom(
    ctx: &Ctx<'_>,
    tl: &Timeline,
    cache: &mut LayoutCache,
    width: u16,
    height: usize,
) -> Option<usize> {
    let mut bottom = tl.bottom_index()?;
    let last = tl.len() - 1;
    if let Some(sel) = tl.selected.as_ref().and_then(|id| tl.position(id)) {
        if sel > bottom {
            bottom = sel;
        } else {
            // From the selected message down, as many as fit.
            let mut rows = 0;
            let mut fits = sel;
            for i in sel..=bottom {
                rows += height_of(ctx, tl, i, width, cache);
                if rows > height {
                    break;
                }
                fits = i;
            }
            bottom = fits;
        }
    }
    if bottom < last {
        // Rows from the oldest loaded message to the bottom, if they do not fill the pane.
        let mut rows = 0;
        let mut index = bottom;
        loop {
            rows += height_of(ctx, tl, index, width, cache);
            if rows >= height || index == 0 {
                break;
            }
            index -= 1;
        }
        if index == 0 && rows < height {
            // Keep a row for the note above the oldest ("Loading older messages…").
            let room = if tl.loading_older || !tl.has_past {
                height - 1
            } else {
                height
            };
            while bottom < last {
                let next = height_of(ctx, tl, bottom + 1, width, cache);
                if rows + next > room {
                    break;
                }
                rows += next;
                bottom += 1;
            }
        }
    }
    Some(bottom)
}

/// `# general  topic` / `@ alice`.
fn draw_title(buf: &mut Buffer, area: Rect, ctx: &Ctx<'_>, focused: bool) {
    let t = ctx.theme;
    let Some(ch) = ctx.app.current_channel() else {
        put_line(buf, area, &Line::from(Span::styled(" gilt", t.muted)));
        return;
    };
    let sigil = match ch.kind {
        ChannelKind::Team { .. } => "# ",
        ChannelKind::Dm { .. } => "@ ",
    };
    let title_style = if focused {
        t.accent.add_modifier(Modifier::BOLD)
    } else {
        t.title
    };
    let w = usize::from(area.width);
    let name = truncate(&sanitize(&ch.name), w.saturating_sub(3)).into_owned();
    let mut spans = vec![
        Span::raw(" "),
        Span::styled(sigil, t.muted),
        Span::styled(name, title_style),
    ];
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    if let Some(topic) = ch.topic.as_deref().filter(|s| !s.trim().is_empty())
        && used + 4 < w
    {
        let topic = truncate(&sanitize(topic), w - used - 2).into_owned();
        spans.push(Span::raw("  "));
        spans.push(Span::styled(topic, t.muted));
    }
    put_line(buf, area, &Line::from(spans));
}

/// Messages, bottom-aligned, from the bottom-most visible one (`bottom`) upwards.
#[allow(clippy::too_many_arguments)]
fn draw_messages(
    buf: &mut Buffer,
    area: Rect,
    ctx: &Ctx<'_>,
    bottom: usize,
    cache: &mut LayoutCache,
    hits: &mut HitMap,
    wanted_images: &mut Vec<String>,
    placements: &mut Vec<Placement>,
) {
    let Some(tl) = ctx.app.timeline() else { return };
    let t = ctx.theme;
    let content_w = area.width.saturating_sub(GUTTER).max(1);
    let height = usize::from(area.height);
    let mut blocks: Vec<(usize, MessageRows)> = Vec::new();
    let mut rows = 0;
    let mut index = bottom;
    loop {
        if let Some(b) = message::rows(ctx, tl, index, content_w, cache) {
            rows += b.height();
            blocks.push((index, b));
        }
        if rows >= height || index == 0 {
            break;
        }
        index -= 1;
    }
    // The oldest message all on screen: the top block is cut when the rows overflow.
    let top_full = match blocks.as_slice() {
        [.., (below, _), _] if rows > height => Some(*below),
        [.., (top, _)] => Some(*top),
        [] => None,
    };
    if let (Some(channel), Some(top)) = (ctx.app.current.clone(), top_full) {
        let id = |i: usize| tl.get_index(i).map(|m| m.id.clone());
        if let (Some(top), Some(bottom)) = (id(top), id(bottom)) {
            hits.shown = Some(Shown {
                channel,
                top,
                bottom,
            });
        }
    }
    // At the top of what is loaded: say whether more is coming.
    let mut top_note = None;
    if index == 0 && rows < height {
        let channel = ctx
            .app
            .current_channel()
            .map(|c| sanitize(&c.name).into_owned())
            .unwrap_or_default();
        top_note = if tl.loading_older {
            Some(("Loading older messages…".to_owned(), t.muted))
        } else if !tl.has_past {
            Some((format!("This is the beginning of {channel}."), t.muted))
        } else {
            None
        };
    }
    // Bottom-align: skip the rows that do not fit at the top.
    let mut skip = rows.saturating_sub(height);
    let mut y = area.y + (height.saturating_sub(rows)) as u16;
    if let Some((note, style)) = top_note
        && y > area.y
    {
        let line = Line::from(Span::styled(note, style.add_modifier(Modifier::ITALIC)));
        put_line_centered(buf, row_at(area, y - 1), &line);
    }
    for (index, block) in blocks.iter().rev() {
        wanted_images.extend(block.missing_images.iter().cloned());
        let id = tl.get_index(*index).map(|m| m.id.clone());
        let body = block.lead.len() + block.head.len()
            ..block.lead.len() + block.head.len() + block.body.len();
        let mut body_rows = Vec::new();
        // Where each row of the block went (for previews drawn as images).
        let mut drawn_at: Vec<Option<u16>> = Vec::new();
        for i in 0..block.height() {
            if !block.graphics.is_empty() {
                drawn_at.push(None);
            }
            if skip > 0 {
                skip -= 1;
                continue;
            }
            if y >= area.bottom() {
                break;
            }
            if let Some(at) = drawn_at.get_mut(i) {
                *at = Some(y);
            }
            if let Some((line, own)) = block.row(i) {
                draw_row(buf, row_at(area, y), ctx, block, line, own, i);
                // Lead rows (day separators, the gap note) belong to no message.
                if i >= block.lead.len()
                    && let Some(id) = &id
                {
                    hits.messages
                        .push((super::area_of(row_at(area, y)), id.clone()));
                }
            }
            if body.contains(&i) {
                body_rows.push(content_rect(row_at(area, y)));
            }
            y += 1;
        }
        // A preview drawn as an image only when all of it is on screen (partly scrolled out,
        // it stays half blocks for that frame).
        let tail_start = block.lead.len() + block.head.len() + block.body.len();
        for (first, graphic) in &block.graphics {
            let rows = tail_start + first..tail_start + first + usize::from(graphic.rows);
            let ys: Option<Vec<u16>> = rows.map(|i| drawn_at.get(i).copied().flatten()).collect();
            let Some(&top) = ys.as_ref().and_then(|ys| ys.first()) else {
                continue;
            };
            let content = content_rect(row_at(area, top));
            if graphic.cols > content.width {
                continue;
            }
            let placed = Rect {
                x: content.x,
                y: top,
                width: graphic.cols,
                height: graphic.rows,
            };
            skip_cells(buf, placed, true);
            placements.push(Placement {
                area: placed,
                graphic: graphic.clone(),
            });
        }
        if ctx.hyperlinks
            && !body_rows.is_empty()
            && let Some(m) = tl.get_index(*index)
        {
            super::hyperlink::mark(buf, &body_rows, &crate::app::links::links(&m.content));
        }
    }
}

/// The part of a row right of the gutter (the whole row when it is too narrow for one).
fn content_rect(area: Rect) -> Rect {
    if area.width > GUTTER {
        Rect {
            x: area.x + GUTTER,
            width: area.width - GUTTER,
            ..area
        }
    } else {
        area
    }
}

fn draw_row(
    buf: &mut Buffer,
    area: Rect,
    ctx: &Ctx<'_>,
    block: &MessageRows,
    line: &Line<'_>,
    own: bool,
    index: usize,
) {
    let t = ctx.theme;
    if own && area.width > GUTTER {
        let mark = if block.selected {
            Some(Span::styled("▍", t.accent))
        } else if block.failed && index == block.lead.len() {
            Some(Span::styled("!", t.error.add_modifier(Modifier::BOLD)))
        } else {
            None
        };
        if let Some(mark) = mark {
            buf.set_span(area.x, area.y, &mark, 1);
        }
    }
    let content = content_rect(area);
    put_line(buf, content, line);
    if own && block.pending {
        buf.set_style(content, Style::new().add_modifier(Modifier::DIM));
    }
}

fn centered_note(buf: &mut Buffer, area: Rect, note: &str, style: Style) {
    let line = Line::from(Span::styled(note.to_owned(), style));
    put_line_centered(buf, row(area, area.height / 2), &line);
}

/// Row `i` of `area` (clamped to its last row).
fn row(area: Rect, i: u16) -> Rect {
    Rect {
        y: area.y + i.min(area.height.saturating_sub(1)),
        height: 1.min(area.height),
        ..area
    }
}

fn row_at(area: Rect, y: u16) -> Rect {
    Rect {
        y,
        height: 1,
        ..area
    }
}
