//! A non-chat channel's activity view: what its events said happened (who, what, which
//! title, when), newest first, live; its content itself is read in the web client.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{frame, hints};
use crate::app::Command;
use crate::app::model::ChannelId;
use crate::sanitize::sanitize;
use crate::ui::text::truncate;
use crate::ui::{Ctx, put_line, time};

/// Draw the view over `screen`, scrolled `scroll` lines down.
pub(crate) fn draw(
    buf: &mut Buffer,
    screen: Rect,
    ctx: &Ctx<'_>,
    channel: &ChannelId,
    scroll: usize,
) {
    let t = ctx.theme;
    let footer = hints(
        ctx,
        &[
            (&[Command::ActivityUp, Command::ActivityDown], "scroll"),
            (&[Command::ActivityClose], "close"),
        ],
    );
    let (name, kind) = ctx.app.channels.get(channel).map_or_else(
        || (String::new(), String::new()),
        |c| {
            (
                sanitize(&c.name).into_owned(),
                sanitize(c.content_type.as_str()).into_owned(),
            )
        },
    );
    let lines_total = ctx.app.activity.len_of(channel);
    let h = u16::try_from(lines_total.clamp(1, 14) + 5).unwrap_or(u16::MAX);
    let inner = frame(
        buf,
        screen,
        ctx,
        76,
        h,
        &format!("#{name} · {kind}"),
        Some(footer),
    );
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let w = usize::from(inner.width);
    let note = Line::from(Span::styled(
        truncate(
            " Its content is read in the web client. What happened since gilt started:",
            w,
        )
        .into_owned(),
        t.muted,
    ));
    put_line(buf, Rect { height: 1, ..inner }, &note);
    let list = Rect {
        y: inner.y + 2,
        height: inner.height.saturating_sub(2),
        ..inner
    };
    let lines: Vec<Line<'static>> = if lines_total == 0 {
        vec![Line::from(Span::styled(" nothing yet", t.muted))]
    } else {
        ctx.app
            .activity
            .of(channel)
            .skip(scroll)
            .take(usize::from(list.height))
            .map(|item| {
                let when = item
                    .at
                    .map(|at| time::time_of_day(at, ctx.tz, ctx.clock))
                    .unwrap_or_default();
                let who = item.actor.as_ref().map_or_else(
                    || "someone".to_owned(),
                    |u| sanitize(ctx.app.display_name(channel, u)).into_owned(),
                );
                let what = item
                    .title
                    .as_deref()
                    .map_or_else(|| "an item".to_owned(), |t| format!("“{}”", sanitize(t)));
                let text = format!(" {when:>5}  {who} {} {what}", item.kind.verb());
                Line::from(Span::raw(truncate(&text, w).into_owned()))
            })
            .collect()
    };
    for (row, line) in lines.iter().enumerate() {
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
}
