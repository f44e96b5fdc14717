//! The completion popup: a small list just above the composer, the selection highlighted.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Widget};

use super::text::{truncate, width};
use super::{Ctx, put_line};
use crate::app::completion::Completion;

/// Draw `c` above `composer` (inside `pane`, clipped to it).
pub(crate) fn draw(
    buf: &mut Buffer,
    pane: Rect,
    composer: Rect,
    ctx: &Ctx<'_>,
    popup: &Completion,
) {
    let t = ctx.theme;
    let widest = popup
        .items
        .iter()
        .map(|i| width(&super::emoji::terminal_safe(&i.shown)))
        .max()
        .unwrap_or(0);
    let box_w = (widest as u16 + 4).clamp(12, pane.width);
    let box_h = (popup.items.len() as u16 + 2).min(composer.y.saturating_sub(pane.y));
    if box_h < 3 || box_w < 4 {
        return;
    }
    let area = Rect {
        x: composer.x,
        y: composer.y - box_h,
        width: box_w.min(pane.right().saturating_sub(composer.x)),
        height: box_h,
    };
    Clear.render(area, buf);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.border_focused);
    let inner = block.inner(area);
    block.render(area, buf);
    let rows = usize::from(inner.height);
    let first = popup.selected.saturating_sub(rows.saturating_sub(1));
    for (i, item) in popup.items.iter().enumerate().skip(first).take(rows) {
        let style = if i == popup.selected {
            t.selected
        } else {
            Style::new()
        };
        let shown = super::emoji::terminal_safe(&item.shown);
        let text = truncate(&shown, usize::from(inner.width)).into_owned();
        let y = inner.y + (i - first) as u16;
        put_line(
            buf,
            Rect {
                y,
                height: 1,
                ..inner
            },
            &Line::from(Span::styled(text, style)),
        );
    }
}
