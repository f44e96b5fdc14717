//! The member pane (`Alt-m`), right of the timeline: the open channel's team (or the DM's
//! people) grouped online, idle, do not disturb and offline, each name in its role colour
//! where known; scrolled from the model's `member_pane.scroll`.
//!
//! Rule: rows come from `App::member_groups` (the model decides groups and order); names are
//! sanitised here, each on its own.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::text::truncate;
use super::theme::Theme;
use super::{Ctx, put_line};
use crate::app::presence::{PresenceStatus, group_label};
use crate::sanitize::sanitize;

/// The pane's width, its separator included.
pub const WIDTH: u16 = 24;

/// The mark before a name and its style: a filled dot online, a half one idle, a barred one
/// for do not disturb, an empty one offline (shapes differ, so colour is not needed).
pub(crate) fn presence_mark(t: &Theme, status: PresenceStatus) -> (&'static str, Style) {
    match status {
        PresenceStatus::Online => ("●", t.ok),
        PresenceStatus::Idle => ("◐", t.warn),
        PresenceStatus::DoNotDisturb => ("⊖", t.error),
        PresenceStatus::Offline => ("○", t.muted),
    }
}

/// Draw the pane in `area` (its left column is the separator).
pub(crate) fn draw(buf: &mut Buffer, area: Rect, ctx: &Ctx<'_>) {
    let t = ctx.theme;
    if area.width < 2 || area.height == 0 {
        return;
    }
    for y in area.top()..area.bottom() {
        buf.set_string(area.x, y, "│", t.border);
    }
    let inner = Rect {
        x: area.x + 1,
        width: area.width - 1,
        ..area
    };
    let w = usize::from(inner.width);
    let title = ctx.app.member_pane_title().map_or_else(
        || " Members".to_owned(),
        |n| format!(" Members · {}", sanitize(&n)),
    );
    put_line(
        buf,
        Rect { height: 1, ..inner },
        &Line::from(Span::styled(truncate(&title, w).into_owned(), t.title)),
    );
    let list = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    for group in ctx.app.member_groups() {
        let heading = format!(" {} — {}", group_label(group.status), group.members.len());
        lines.push(Line::from(Span::styled(
            truncate(&heading, w).into_owned(),
            t.muted.add_modifier(Modifier::BOLD),
        )));
        let (mark, mark_style) = presence_mark(t, group.status);
        for m in group.members {
            let mut name_style = match m.color {
                Some(c) => t.role(c),
                None => Style::new(),
            };
            if group.status == PresenceStatus::Offline {
                name_style = name_style.add_modifier(Modifier::DIM);
            }
            let bot = if m.is_bot { " [bot]" } else { "" };
            let name = format!("{}{bot}", sanitize(&m.name));
            lines.push(Line::from(vec![
                Span::raw(" "),
                Span::styled(mark, mark_style),
                Span::raw(" "),
                Span::styled(
                    truncate(&name, w.saturating_sub(3)).into_owned(),
                    name_style,
                ),
            ]));
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(" nobody to show", t.muted)));
    }
    let height = usize::from(list.height);
    let first = ctx
        .app
        .member_pane
        .scroll
        .min(lines.len().saturating_sub(height));
    for (row, line) in lines.iter().skip(first).take(height).enumerate() {
        let Ok(row) = u16::try_from(row) else { break };
        put_line(
            buf,
            Rect {
                y: list.y + row,
                height: 1,
                ..list
            },
            line,
        );
    }
    if first > 0 && list.height > 0 {
        buf.set_string(list.right() - 1, list.y, "↑", t.muted);
    }
    if first + height < lines.len() && list.height > 0 {
        buf.set_string(list.right() - 1, list.bottom() - 1, "↓", t.muted);
    }
}
