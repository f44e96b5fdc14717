//! The delete confirmation: which message, and the keys to confirm or cancel.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::{frame, hints};
use crate::app::{Command, MessageId};
use crate::sanitize;
use crate::ui::text::truncate;
use crate::ui::{Ctx, put_line};

/// Draw "Delete this message?" with a preview of it.
pub(crate) fn draw(buf: &mut Buffer, screen: Rect, ctx: &Ctx<'_>, message_id: &MessageId) {
    let t = ctx.theme;
    let footer = hints(
        ctx,
        &[
            (&[Command::ConfirmYes], "delete"),
            (&[Command::ConfirmNo], "keep"),
        ],
    );
    let inner = frame(
        buf,
        screen,
        ctx,
        54,
        6,
        "Delete this message?",
        Some(footer),
    );
    if inner.height == 0 || inner.width < 2 {
        return;
    }
    let w = usize::from(inner.width) - 2;
    let preview = ctx
        .app
        .timeline()
        .and_then(|tl| tl.get(message_id))
        .map(|m| sanitize::plain_text(&m.content, false))
        .unwrap_or_default();
    let lines = [
        Line::from(Span::styled(
            truncate(&format!("“{preview}”"), w).into_owned(),
            t.muted.add_modifier(Modifier::ITALIC),
        )),
        Line::default(),
        Line::from(Span::styled(
            truncate("This cannot be undone.", w).into_owned(),
            t.base,
        )),
    ];
    for (i, line) in lines.iter().enumerate() {
        if i >= usize::from(inner.height) {
            break;
        }
        let row = Rect {
            x: inner.x + 1,
            y: inner.y + i as u16,
            width: inner.width - 1,
            height: 1,
        };
        put_line(buf, row, line);
    }
}
