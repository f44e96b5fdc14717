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

use super::text::{sanitize, truncate, width};
use super::{Ctx, keys, put_line};
use crate::app::{ChannelKind, Command, Focus, LinkGroup, LinkState};

/// Draw the status bar in a one-row area.
pub(crate) fn draw(buf: &mut Buffer, area: Rect, ctx: &Ctx<'_>) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let t = ctx.theme;
    let w = usize::from(area.width);
    let sep = Span::styled(" │ ", t.border);
    let mut left: Vec<Span<'static>> = vec![Span::raw(" ")];
    left.extend(link_spans(ctx));
    // Parts in order of importance after the link state.
    let mut parts: Vec<Vec<Span<'static>>> = Vec::new();
    if ctx.app.auth_lost {
        parts.push(vec![Span::styled(
            "session expired: restart gilt to log in again",
            t.error.add_modifier(Modifier::BOLD),
        )]);
    }
    parts.push(location(ctx));
    let (unread, mentions) = ctx.app.unread_totals();
    if unread > 0 || mentions > 0 {
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
        parts.push(spans);
    }
    let right = right_side(ctx);
    let right_w: usize = right.iter().map(|s| width(&s.content)).sum::<usize>() + 1;
    let mut used: usize = left.iter().map(|s| width(&s.content)).sum();
    let budget = w.saturating_sub(right_w);
    for part in parts {
        let part_w: usize = part.iter().map(|s| width(&s.content)).sum::<usize>() + 3;
        if used + part_w > budget {
            // The location is worth a truncated try; other parts are dropped whole.
            let room = budget.saturating_sub(used + 3);
            if room >= 8 {
                let text: String = part.iter().map(|s| s.content.as_ref()).collect();
                let style = part.first().map_or(Style::new(), |s| s.style);
                left.push(sep.clone());
                left.push(Span::styled(truncate(&text, room).into_owned(), style));
                used = budget;
            }
            break;
        }
        left.push(sep.clone());
        left.extend(part);
        used += part_w;
    }
    put_line(buf, area, &Line::from(left));
    if right_w > 1 && used + right_w <= w {
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

/// `● connected`, or each socket group that is not: `◌ Team: reconnecting in 3 s`.
fn link_spans(ctx: &Ctx<'_>) -> Vec<Span<'static>> {
    let t = ctx.theme;
    let links = &ctx.app.links;
    if links.is_empty() {
        return vec![Span::styled("◌ connecting…", t.warn)];
    }
    if links.values().all(|s| *s == LinkState::Connected) {
        return vec![Span::styled("● connected", t.ok)];
    }
    let mut spans = Vec::new();
    let many = links.len() > 1;
    for (group, state) in links {
        if *state == LinkState::Connected {
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
                    .map_or_else(|| id.clone(), |tm| tm.name.clone());
                format!("{}: ", truncate(&sanitize(&name), 16))
            }
        };
        spans.push(Span::styled(format!("{who}{text}"), style));
    }
    spans
}

fn describe(state: LinkState, now: Option<Instant>, ctx: &Ctx<'_>) -> (String, Style) {
    let t = ctx.theme;
    match state {
        LinkState::Connected => ("● connected".to_owned(), t.ok),
        LinkState::Connecting => ("◌ connecting…".to_owned(), t.warn),
        LinkState::Reconnecting { at } => {
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
        LinkState::Offline => ("○ offline".to_owned(), t.error),
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

/// A notice when there is one, else key hints for the focused pane.
fn right_side(ctx: &Ctx<'_>) -> Vec<Span<'static>> {
    let t = ctx.theme;
    let app = ctx.app;
    if let Some(n) = &app.notice
        && ctx.now.is_none_or(|now| now < n.until)
    {
        let style = if n.is_error { t.error } else { t.accent };
        return vec![Span::styled(truncate(&sanitize(&n.text), 60).into_owned(), style)];
    }
    let km = &app.keymap;
    let pane_hints: &[(Command, &str)] = match app.focus {
        Focus::Timeline => &[
            (Command::Reply, "reply"),
            (Command::React, "react"),
            (Command::Edit, "edit"),
        ],
        Focus::Sidebar => &[(Command::SidebarOpen, "open")],
        Focus::Composer => &[],
    };
    let global: &[(Command, &str)] = &[(Command::Switcher, "jump"), (Command::Help, "help")];
    let mut spans = Vec::new();
    for (cmd, label) in pane_hints.iter().chain(global) {
        if let Some(k) = keys::hint(km, *cmd) {
            if !spans.is_empty() {
                spans.push(Span::raw("  "));
            }
            spans.push(Span::styled(k, t.accent));
            spans.push(Span::styled(format!(" {label}"), t.muted));
        }
    }
    spans
}
