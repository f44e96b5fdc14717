//! The sidebar: teams, the expanded team's channels grouped by category (in the team's
//! order, from the model), then direct messages. Unread rows are bold (muted ones dim),
//! mentions get a badge; the open channel is in the accent colour; the cursor shows while the
//! sidebar has focus.
//!
//! Rule: rows come from `App::sidebar_entries` (the model decides order); this only draws.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::text::{truncate, width};
use super::{Ctx, area_of, put_line};
use crate::app::{Channel, Focus, HitMap, SidebarEntry};
use crate::sanitize::sanitize;

/// Draw the sidebar in `area`; `border` draws the separator on its right edge.
pub(crate) fn draw(buf: &mut Buffer, area: Rect, ctx: &Ctx<'_>, border: bool, hits: &mut HitMap) {
    let t = ctx.theme;
    let focused = ctx.app.focus == Focus::Sidebar;
    let mut inner = area;
    if border && area.width > 1 {
        inner.width -= 1;
        let style = if focused { t.border_focused } else { t.border };
        for y in area.top()..area.bottom() {
            buf.set_string(area.right() - 1, y, "│", style);
        }
    }
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let entries = ctx.app.sidebar_entries();
    if entries.is_empty() {
        let note = if ctx.app.loaded {
            " No teams"
        } else {
            " Loading…"
        };
        put_line(buf, row(inner, 0), &Line::from(Span::styled(note, t.muted)));
        return;
    }
    let height = usize::from(inner.height);
    let current_row = entries.iter().position(|e| match e {
        SidebarEntry::Channel(id) | SidebarEntry::Dm(id) => ctx.app.current.as_ref() == Some(id),
        _ => false,
    });
    let focus_row = if focused {
        Some(ctx.app.sidebar_cursor)
    } else {
        current_row
    };
    let offset = scroll_offset(focus_row.unwrap_or(0), entries.len(), height);
    for (y, (i, entry)) in entries.iter().enumerate().skip(offset).enumerate() {
        let Ok(y) = u16::try_from(y) else { break };
        if y >= inner.height {
            break;
        }
        let cursor = focused && i == ctx.app.sidebar_cursor;
        let line = entry_line(ctx, entry, usize::from(inner.width));
        let r = row(inner, y);
        put_line(buf, r, &line);
        hits.sidebar.push((area_of(r), entry.clone()));
        if cursor {
            buf.set_style(r, t.selected);
        }
    }
    if offset > 0 {
        buf.set_string(inner.right() - 1, inner.y, "↑", t.muted);
    }
    if offset + height < entries.len() {
        buf.set_string(inner.right() - 1, inner.bottom() - 1, "↓", t.muted);
    }
}

/// First row to show so that `focus` is visible (kept a third from the bottom when scrolling).
fn scroll_offset(focus: usize, total: usize, height: usize) -> usize {
    if total <= height || focus < height.saturating_sub(1) {
        return 0;
    }
    let offset = (focus + 1 + height / 3).saturating_sub(height);
    offset.min(total - height)
}

fn entry_line(ctx: &Ctx<'_>, entry: &SidebarEntry, w: usize) -> Line<'static> {
    let t = ctx.theme;
    let app = ctx.app;
    match entry {
        SidebarEntry::Team(i) => {
            let Some(team) = app.teams.get(*i) else {
                return Line::default();
            };
            let expanded = app.selected_team.as_ref() == Some(&team.id);
            let (unread, mentions) = app.team_unread(team);
            let marker = if expanded { " ▾ " } else { " ▸ " };
            // The team's own socket is down: its live updates are missing (the status bar
            // is about the main link only).
            let marker = if app.team_socket_down(&team.id) {
                Span::styled(" ○ ", t.error)
            } else {
                Span::styled(marker, t.muted)
            };
            let mut style = t.title;
            if !expanded && unread == 0 {
                style = Style::new();
            }
            labelled(
                vec![marker],
                &sanitize(&team.name),
                style,
                if expanded {
                    None
                } else {
                    badge(ctx, unread, mentions, true)
                },
                w,
            )
        }
        SidebarEntry::Category { name } => {
            let indent = "   ";
            Line::from(vec![
                Span::raw(indent),
                Span::styled(
                    truncate(&sanitize(name), w.saturating_sub(indent.len())).into_owned(),
                    t.muted.add_modifier(Modifier::BOLD),
                ),
            ])
        }
        SidebarEntry::Channel(id) | SidebarEntry::Dm(id) => {
            channel_line(ctx, app.channels.get(id), w)
        }
        SidebarEntry::Participant { channel, user } => {
            let name = sanitize(ctx.app.display_name(channel, user)).into_owned();
            Line::from(Span::styled(
                truncate(&format!("      ♪ {name}"), w).into_owned(),
                t.muted,
            ))
        }
        SidebarEntry::DmHeader => Line::from(Span::styled(
            truncate(" Direct messages", w).into_owned(),
            t.muted.add_modifier(Modifier::BOLD),
        )),
    }
}

fn channel_line(ctx: &Ctx<'_>, ch: Option<&Channel>, w: usize) -> Line<'static> {
    let t = ctx.theme;
    let Some(ch) = ch else {
        return Line::default();
    };
    let is_current = ctx.app.current.as_ref() == Some(&ch.id);
    let sigil = if ch.is_dm() {
        "@ "
    } else if ch.is_chat() {
        "# "
    } else {
        "· "
    };
    let mut style = Style::new();
    // Muted: dim whatever is unread (the mention badge still shows).
    if ctx.app.muted.contains(&ch.id) {
        style = style.patch(t.muted);
    } else if ch.unread > 0 {
        style = style.patch(t.unread);
    }
    if !ch.is_chat() {
        style = style.patch(t.muted);
    }
    if is_current {
        style = style.patch(t.accent).add_modifier(Modifier::BOLD);
    }
    let lead = if is_current { "▎" } else { " " };
    // A thread sits one step in, under its parent.
    let (indent, sigil) = if ctx.app.threads.contains_key(&ch.id) {
        ("    ", "↳ ")
    } else {
        ("  ", sigil)
    };
    labelled(
        vec![
            Span::styled(lead, t.accent),
            Span::raw(indent),
            Span::styled(sigil, t.muted),
        ],
        &sanitize(&ch.name),
        style,
        badge(ctx, ch.unread, ch.mentions, false),
        w,
    )
}

/// A mention badge (` 3 `), or for a collapsed team with unread messages a dot.
fn badge(ctx: &Ctx<'_>, unread: u32, mentions: u32, dot_for_unread: bool) -> Option<Span<'static>> {
    if mentions > 0 {
        let n = if mentions > 99 {
            "99+".to_owned()
        } else {
            mentions.to_string()
        };
        Some(Span::styled(format!(" {n} "), ctx.theme.badge))
    } else if unread > 0 && dot_for_unread {
        Some(Span::styled("● ", ctx.theme.accent))
    } else {
        None
    }
}

/// `prefix` + name (truncated) + right-aligned badge, in `w` columns.
fn labelled(
    mut spans: Vec<Span<'static>>,
    name: &str,
    style: Style,
    badge: Option<Span<'static>>,
    w: usize,
) -> Line<'static> {
    let prefix_w: usize = spans.iter().map(|s| width(&s.content)).sum();
    let badge_w = badge.as_ref().map_or(0, |b| width(&b.content) + 1);
    let room = w.saturating_sub(prefix_w + badge_w);
    let name = truncate(name, room).into_owned();
    let name_w = width(&name);
    spans.push(Span::styled(name, style));
    if let Some(b) = badge {
        let pad = w.saturating_sub(prefix_w + name_w + width(&b.content) + 1);
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(b);
    }
    Line::from(spans)
}

fn row(area: Rect, i: u16) -> Rect {
    Rect {
        y: area.y + i,
        height: 1,
        ..area
    }
}

#[cfg(test)]
mod tests {
    use super::scroll_offset;

    #[test]
    fn keeps_the_focus_row_visible() {
        assert_eq!(scroll_offset(0, 50, 10), 0);
        assert_eq!(scroll_offset(8, 50, 10), 0);
        for focus in 0..50 {
            let off = scroll_offset(focus, 50, 10);
            assert!(focus >= off && focus < off + 10, "{focus} {off}");
            assert!(off + 10 <= 50);
        }
        assert_eq!(scroll_offset(3, 5, 10), 0);
    }
}
