//! The typing line under the timeline: "alice is typing…", "alice and bob are typing…",
//! "several people are typing…" (the model chooses the words; this sanitises and draws).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::text::truncate;
use super::{Ctx, put_line};
use crate::sanitize::sanitize;

/// Draw the typing line (blank when nobody types, so the layout never jumps).
pub(crate) fn draw(buf: &mut Buffer, area: Rect, ctx: &Ctx<'_>) {
    let Some(now) = ctx.now else { return };
    let Some(text) = ctx.app.typing_line(now) else {
        return;
    };
    let w = usize::from(area.width).saturating_sub(2);
    let text = truncate(&sanitize(&text), w).into_owned();
    let style = ctx.theme.muted.add_modifier(Modifier::ITALIC);
    put_line(
        buf,
        area,
        &Line::from(vec![Span::raw("  "), Span::styled(text, style)]),
    );
}
