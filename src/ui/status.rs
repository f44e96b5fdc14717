//! The status bar: connection state per socket group, the user, team › channel, unread and
//! mention totals, then a notice or key hints on the right.
//!
//! Rule: when space runs out, the least important parts go first (hints, then totals, then
//! the location); the connection state always stays.

use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::text::{truncate, width};
use super::{Ctx, keys, put_line};
use crate::app::presence::OwnStatus;
use crate::app::{ChannelKind, Command, Focus, LinkGroup, LinkStatus};
use crate::sanitize::sanitize;

/// A part of the status bar, in priority order.
struct Part {
    spans: Vec<Span<'static>>,
    /// Can be shortened (with `…`) down to this many columns; 0 = all or nothing.
    min: usize,
    /// Drawn on the right (notice, hints) rather than the left.
    right: bool,
    /// Position among the left parts (display order differs from priority).
    order: u8,
}

/// Draw the status bar in a one-row area.
pub(crate) fn draw(buf: &mut Buffer, area: Rect, ctx: &Ctx<'_>) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let t = ctx.theme;
    let w = usize::from(area.width);
    let mut parts = vec![Part {
        spans: link_spans(ctx),
        min: 12,
        right: false,
        order: 0,
    }];
    if ctx.app.auth_lost {
        parts.push(Part {
            spans: vec![Span::styled(
                "session expired: restart gilt to log in again",
                t.error.add_modifier(Modifier::BOLD),
            )],
            min: 16,
            right: false,
            order: 1,
        });
    }
    if let Some(notice) = notice(ctx) {
        parts.push(Part {
            spans: vec![notice],
            min: 12,
            right: true,
            order: 0,
        });
    }
    parts.push(Part {
        spans: location(ctx),
        min: 8,
        right: false,
        order: 2,
    });
    if let Some(totals) = totals(ctx) {
        parts.push(Part {
            spans: totals,
            min: 0,
            right: false,
            order: 3,
        });
    }
    if parts.iter().all(|p| !p.right) {
        // Key hints, most useful first: the last ones are dropped first when space runs out.
        for hint in hints(ctx) {
            parts.push(Part {
                spans: hint,
                min: 0,
                right: true,
                order: 0,
            });
        }
    }
    // Give each part its width in priority order (one space of margin on each side; left
    // parts are separated by " │ ", right parts by two spaces).
    let mut left_budget = w.saturating_sub(2);
    let mut placed: Vec<(Part, usize)> = Vec::new();
    for part in parts {
        let natural: usize = part.spans.iter().map(|s| width(&s.content)).sum();
        let gap = if placed.is_empty() {
            0
        } else if part.right {
            2
        } else {
            3
        };
        // A part that shows nothing, or whose separator alone no longer fits, is left out.
        let Some(room) = left_budget.checked_sub(gap) else {
            continue;
        };
        if natural == 0 {
            continue;
        }
        let given = if natural <= room {
            natural
        } else if part.min > 0 && room >= part.min {
            room
        } else {
            continue;
        };
        left_budget -= given + gap;
        placed.push((part, given));
    }
    let sep = Span::styled(" │ ", t.border);
    let mut left_parts: Vec<&(Part, usize)> = placed.iter().filter(|(p, _)| !p.right).collect();
    left_parts.sort_by_key(|(p, _)| p.order);
    let mut left: Vec<Span<'static>> = vec![Span::raw(" ")];
    for (i, (part, given)) in left_parts.iter().enumerate() {
        if i > 0 {
            left.push(sep.clone());
        }
        left.extend(fit_spans(&part.spans, *given));
    }
    put_line(buf, area, &Line::from(left));
    // Right parts were placed most important first; the most important ends up rightmost.
    let mut right: Vec<Span<'static>> = Vec::new();
    for (part, given) in placed.iter().rev().filter(|(p, _)| p.right) {
        if !right.is_empty() {
            right.push(Span::raw("  "));
        }
        right.extend(fit_spans(&part.spans, *given));
    }
    let right_w: usize = right.iter().map(|s| width(&s.content)).sum::<usize>() + 1;
    if right_w > 1 && right_w <= w {
        let x = area.right() - right_w as u16;
        put_line(
            buf,
            Rect {
                x,
                width: right_w as u16,
                ..area
            },
            &Line::from(right),
        );
    }
}

/// Spans cut to `w` columns (the last one shortened with `…`).
fn fit_spans(spans: &[Span<'static>], w: usize) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut used = 0;
    for span in spans {
        let sw = width(&span.content);
        if used + sw <= w {
            out.push(span.clone());
            used += sw;
        } else {
            let cut = truncate(&span.content, w - used).into_owned();
            out.push(Span::styled(cut, span.style));
            break;
        }
    }
    out
}

/// `7 unread  @2`
fn totals(ctx: &Ctx<'_>) -> Option<Vec<Span<'static>>> {
    let t = ctx.theme;
    let (unread, mentions) = ctx.app.unread_totals();
    if unread == 0 && mentions == 0 {
        return None;
    }
    let mut spans = Vec::new();
    if unread > 0 {
        spans.push(Span::styled(format!("{unread} unread"), t.unread));
    }
    if mentions > 0 {
        if !spans.is_empty() {
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(format!(" @{mentions} "), t.badge));
    }
    Some(spans)
}

/// `● connected`, or each socket group that is not: `◌ Team: reconnecting in 3 s`.
fn link_spans(ctx: &Ctx<'_>) -> Vec<Span<'static>> {
    let t = ctx.theme;
    let links = &ctx.app.links;
    if ctx.app.cached {
        // Shown from the local store: say so, and whether the server can be reached.
        let main = links.get(&LinkGroup::Main).copied();
        let text = match main {
            Some(LinkStatus::Reconnecting { .. } | LinkStatus::Offline) => {
                let (state, _) = describe(main.unwrap_or(LinkStatus::Offline), ctx.now, ctx);
                let rest = state.split_once(' ').map_or(state.as_str(), |(_, r)| r);
                if rest == "offline" {
                    "○ cached · offline".to_owned()
                } else {
                    format!("○ cached · offline — {rest}")
                }
            }
            Some(LinkStatus::Connected) => "◌ cached · loading…".to_owned(),
            _ => "◌ cached · connecting…".to_owned(),
        };
        return vec![Span::styled(text, t.warn)];
    }
    if links.is_empty() {
        return vec![Span::styled("◌ connecting…", t.warn)];
    }
    if links.values().all(|s| *s == LinkStatus::Connected) {
        return vec![Span::styled("● connected", t.ok)];
    }
    let mut spans = Vec::new();
    let many = links.len() > 1;
    for (group, state) in links {
        if *state == LinkStatus::Connected {
            continue;
        }
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
        }
        let (text, style) = describe(*state, ctx.now, ctx);
        let who = match group {
            LinkGroup::Main if many => "main: ".to_owned(),
            LinkGroup::Main => String::new(),
            LinkGroup::Team(id) => {
                let name = ctx
                    .app
                    .teams
                    .iter()
                    .find(|tm| &tm.id == id)
                    .map_or_else(|| id.to_string(), |tm| tm.name.clone());
                format!("{}: ", truncate(&sanitize(&name), 16))
            }
        };
        // Keep the state glyph in front: "◌ Team: reconnecting in 3 s".
        let (glyph, rest) = text.split_once(' ').unwrap_or(("", text.as_str()));
        spans.push(Span::styled(format!("{glyph} {who}{rest}"), style));
    }
    spans
}

fn describe(state: LinkStatus, now: Option<Instant>, ctx: &Ctx<'_>) -> (String, Style) {
    let t = ctx.theme;
    match state {
        LinkStatus::Connected => ("● connected".to_owned(), t.ok),
        LinkStatus::Connecting => ("◌ connecting…".to_owned(), t.warn),
        LinkStatus::Reconnecting { at } => {
            let text = match now {
                Some(now) => {
                    let left = at.saturating_duration_since(now);
                    let secs = left.as_millis().div_ceil(1000);
                    if secs == 0 {
                        "◌ reconnecting…".to_owned()
                    } else {
                        format!("◌ reconnecting in {secs} s")
                    }
                }
                None => "◌ reconnecting…".to_owned(),
            };
            (text, t.warn)
        }
        LinkStatus::Offline => ("○ offline".to_owned(), t.error),
    }
}

/// `nico · Gilt Demo › #general`
fn location(ctx: &Ctx<'_>) -> Vec<Span<'static>> {
    let t = ctx.theme;
    let app = ctx.app;
    let mut spans = Vec::new();
    let me = app.me.display_name();
    if !me.is_empty() {
        spans.push(Span::styled(sanitize(me).into_owned(), t.base));
    }
    // Our status when it is not plain online (the link state already says we are connected).
    let status = app.my_presence();
    if status != OwnStatus::Online {
        let (mark, style) = super::members::presence_mark(t, status.presence());
        spans.push(Span::styled(format!(" {mark} {}", status.label()), style));
    }
    if let Some(ch) = app.current_channel() {
        if !spans.is_empty() {
            spans.push(Span::styled(" · ", t.muted));
        }
        match &ch.kind {
            ChannelKind::Team { team_id, .. } => {
                if let Some(team) = app.teams.iter().find(|tm| &tm.id == team_id) {
                    spans.push(Span::styled(sanitize(&team.name).into_owned(), t.muted));
                    spans.push(Span::styled(" › ", t.muted));
                }
                spans.push(Span::styled(format!("#{}", sanitize(&ch.name)), t.title));
            }
            ChannelKind::Dm { .. } => {
                spans.push(Span::styled(format!("@{}", sanitize(&ch.name)), t.title));
            }
        }
    }
    spans
}

/// The current notice, if one is showing.
fn notice(ctx: &Ctx<'_>) -> Option<Span<'static>> {
    let t = ctx.theme;
    let n = ctx.app.notice.as_ref()?;
    if ctx.now.is_some_and(|now| now >= n.until) {
        return None;
    }
    let style = if n.is_error { t.error } else { t.accent };
    Some(Span::styled(sanitize(&n.text).into_owned(), style))
}

/// Key hints for the focused pane, then global ones, most useful first.
fn hints(ctx: &Ctx<'_>) -> Vec<Vec<Span<'static>>> {
    let t = ctx.theme;
    let app = ctx.app;
    let km = &app.keymap;
    let pane_hints: &[(Command, &str)] = match app.focus {
        Focus::Timeline => &[
            (Command::Reply, "reply"),
            (Command::React, "react"),
            (Command::Edit, "edit"),
            (Command::Delete, "delete"),
        ],
        Focus::Sidebar => &[(Command::SidebarOpen, "open")],
        Focus::Composer => &[],
    };
    let global: &[(Command, &str)] = &[(Command::Help, "help"), (Command::Switcher, "jump")];
    global
        .iter()
        .chain(pane_hints)
        .filter_map(|(cmd, label)| {
            keys::hint(km, *cmd).map(|k| {
                vec![
                    Span::styled(k, t.accent),
                    Span::styled(format!(" {label}"), t.muted),
                ]
            })
        })
        .collect()
}
