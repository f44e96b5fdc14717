//! The pinned messages of a channel: one line each (author, time, first words), newest
//! first; the selected one highlighted.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{frame, hints};
use crate::app::Command;
use crate::app::model::{ChannelId, Message};
use crate::sanitize::{plain_text, sanitize};
use crate::ui::text::truncate;
use crate::ui::{Ctx, put_line, time};

/// Draw the list over `screen` (`messages` None while loading).
pub(crate) fn draw(
    buf: &mut Buffer,
    screen: Rect,
    ctx: &Ctx<'_>,
    channel: &ChannelId,
    messages: Option<&[Message]>,
    selected: usize,
) {
    let t = ctx.theme;
    let footer = hints(
        ctx,
        &[
            (&[Command::PinsOpen], "jump"),
            (&[Command::PinsUp, Command::PinsDown], "move"),
            (&[Command::PinsClose], "close"),
        ],
    );
    let name = ctx
        .app
        .channels
        .get(channel)
        .map(|c| sanitize(&c.name).into_owned())
        .unwrap_or_default();
    let rows = messages.map_or(1, |m| m.len().max(1));
    let h = u16::try_from(rows.min(16) + 3).unwrap_or(u16::MAX);
    let inner = frame(
        buf,
        screen,
        ctx,
        72,
        h,
        &format!("Pinned in #{name}"),
        Some(footer),
    );
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let w = usize::from(inner.width);
    let lines: Vec<Line<'static>> = match messages {
        None => vec![Line::from(Span::styled(" loading…", t.muted))],
        Some([]) => vec![Line::from(Span::styled(" nothing is pinned here", t.muted))],
        Some(list) => list
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let who = sanitize(ctx.app.display_name(&m.channel_id, &m.author_id)).into_owned();
                let when = time::time_of_day(m.created_at, ctx.tz, ctx.clock);
                let text = sanitize(&plain_text(&m.content, true)).replace('\n', " ");
                let line = format!(" {who}  {when}  {text}");
                let style = if i == selected {
                    t.selected
                } else {
                    ratatui::style::Style::new()
                };
                Line::from(Span::styled(truncate(&line, w).into_owned(), style))
            })
            .collect(),
    };
    // Keep the selected line in view.
    let height = usize::from(inner.height);
    let first = selected.saturating_sub(height.saturating_sub(1));
    for (row, line) in lines.iter().skip(first).take(height).enumerate() {
        let area = Rect {
            y: inner.y + u16::try_from(row).unwrap_or(0),
            height: 1,
            ..inner
        };
        put_line(buf, area, line);
    }
}
