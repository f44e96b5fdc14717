//! Who reacted to a message: each emoji with its count, then the people (names resolved from
//! the members, each sanitised), "and N more" when a history page listed only some of them.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{frame, hints};
use crate::app::Command;
use crate::app::model::{ChannelId, MessageId, Reaction};
use crate::sanitize::sanitize;
use crate::ui::text::{truncate, wrap_plain};
use crate::ui::{Ctx, emoji, put_line};

/// Draw the list over `screen`, `scroll` lines down.
pub(crate) fn draw(
    buf: &mut Buffer,
    screen: Rect,
    ctx: &Ctx<'_>,
    channel: &ChannelId,
    message_id: &MessageId,
    scroll: u16,
) {
    let footer = hints(
        ctx,
        &[
            (&[Command::ReactionsUp, Command::ReactionsDown], "scroll"),
            (&[Command::ReactionsClose], "close"),
        ],
    );
    let w = screen.width.saturating_sub(4).min(60);
    let room = usize::from(w.saturating_sub(2));
    let reactions = ctx
        .app
        .timelines
        .get(channel)
        .and_then(|tl| tl.get(message_id))
        .map(|m| m.reactions.as_slice())
        .unwrap_or_default();
    let lines = lines(ctx, channel, reactions, room);
    let h = u16::try_from(lines.len().clamp(1, 16) + 2).unwrap_or(u16::MAX);
    let inner = frame(buf, screen, ctx, w, h, "Reactions", Some(footer));
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let most = lines.len().saturating_sub(usize::from(inner.height));
    let first = usize::from(scroll).min(most);
    for (i, line) in lines
        .iter()
        .skip(first)
        .take(usize::from(inner.height))
        .enumerate()
    {
        let r = Rect {
            y: inner.y + i as u16,
            height: 1,
            ..inner
        };
        put_line(buf, r, line);
    }
}

/// The lines: per emoji a heading (` 🎉 :tada: 3`), then its people wrapped under it.
fn lines(
    ctx: &Ctx<'_>,
    channel: &ChannelId,
    reactions: &[Reaction],
    room: usize,
) -> Vec<Line<'static>> {
    let t = ctx.theme;
    if reactions.is_empty() {
        return vec![Line::from(Span::styled(" No reactions", t.muted))];
    }
    let mut out = Vec::new();
    for r in reactions {
        let name = sanitize(&r.name).trim_matches(':').to_owned();
        let label = emoji::reaction_label(&name);
        let heading = if label.starts_with(':') {
            format!(" {label} {}", r.count)
        } else {
            format!(" {} :{name}: {}", emoji::cell(&label), r.count)
        };
        out.push(Line::from(Span::styled(
            truncate(&heading, room).into_owned(),
            t.title,
        )));
        let mut names: Vec<String> = r
            .users
            .iter()
            .map(|u| {
                if *u == ctx.app.me.id {
                    "you".to_owned()
                } else {
                    sanitize(ctx.app.display_name(channel, u)).into_owned()
                }
            })
            .collect();
        let unlisted = (r.count as usize).saturating_sub(r.users.len());
        if unlisted > 0 {
            names.push(format!("and {unlisted} more"));
        }
        let text = names.join(", ");
        for line in wrap_plain(&text, room.saturating_sub(3), t.base) {
            let mut spans = vec![Span::raw("   ")];
            spans.extend(line.spans);
            out.push(Line::from(spans));
        }
    }
    out
}
