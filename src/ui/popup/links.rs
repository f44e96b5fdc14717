//! The link picker: the selected message's links, one a line, the picked one highlighted.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{frame, hints};
use crate::app::Command;
use crate::sanitize::sanitize;
use crate::ui::text::truncate;
use crate::ui::{Ctx, put_line};

/// Draw the picker over `screen`.
pub(crate) fn draw(
    buf: &mut Buffer,
    screen: Rect,
    ctx: &Ctx<'_>,
    links: &[String],
    selected: usize,
) {
    let t = ctx.theme;
    let footer = hints(
        ctx,
        &[
            (&[Command::LinkOpen], "open"),
            (&[Command::LinkPrev, Command::LinkNext], "pick"),
            (&[Command::LinkClose], "close"),
        ],
    );
    let w = screen.width.saturating_sub(8).clamp(20, 100);
    let h = (links.len() as u16).saturating_add(2);
    let inner = frame(buf, screen, ctx, w, h, "Open a link", Some(footer));
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    // Keep the selection in view when the list is taller than the box.
    let rows = usize::from(inner.height);
    let first = selected.saturating_sub(rows - 1);
    for (i, url) in links.iter().enumerate().skip(first).take(rows) {
        let style = if i == selected {
            t.selected
        } else {
            Style::new()
        };
        let text = format!(" {} ", sanitize(url));
        let line = Line::from(Span::styled(
            truncate(&text, usize::from(inner.width)).into_owned(),
            style.patch(t.link),
        ));
        let y = inner.y + (i - first) as u16;
        put_line(
            buf,
            Rect {
                y,
                height: 1,
                ..inner
            },
            &line,
        );
    }
}
