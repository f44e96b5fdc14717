//! Choosing one's own status: online, idle, do not disturb, invisible; the current one
//! selected.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{frame, hints};
use crate::app::Command;
use crate::app::presence::OwnStatus;
use crate::ui::members::presence_mark;
use crate::ui::{Ctx, put_line};

/// Draw the choice over `screen`.
pub(crate) fn draw(buf: &mut Buffer, screen: Rect, ctx: &Ctx<'_>, selected: usize) {
    let t = ctx.theme;
    let footer = hints(
        ctx,
        &[
            (&[Command::StatusPick], "set"),
            (&[Command::StatusUp, Command::StatusDown], "move"),
            (&[Command::StatusClose], "close"),
        ],
    );
    let h = u16::try_from(OwnStatus::ALL.len() + 2).unwrap_or(u16::MAX);
    let inner = frame(buf, screen, ctx, 40, h, "Your status", Some(footer));
    for (i, status) in OwnStatus::ALL.iter().enumerate() {
        let Ok(row) = u16::try_from(i) else { break };
        if row >= inner.height {
            break;
        }
        let (mark, mark_style) = presence_mark(t, status.presence());
        let style = if i == selected {
            t.selected
        } else {
            Style::new()
        };
        let line = Line::from(vec![
            Span::styled(" ", style),
            Span::styled(mark, mark_style.patch(style)),
            Span::styled(format!(" {:<36}", status.label()), style),
        ]);
        let area = Rect {
            y: inner.y + row,
            height: 1,
            ..inner
        };
        put_line(buf, area, &line);
    }
}
