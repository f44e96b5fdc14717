//! Popups drawn over the panes: help, the Ctrl-K switcher, the Ctrl-F search, the reaction
//! picker and who reacted, the link picker and the delete confirmation. Each is a centred, framed box; the
//! panes under it are cleared.
//!
//! Rule: a popup never grows past the screen; if the screen is too small it shrinks and clips.

mod activity;
mod confirm;
mod help;
mod links;
mod pins;
mod reaction;
mod search;
mod status;
mod switcher;
mod who_reacted;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Widget};

use super::text::truncate;
use super::{Ctx, keys};
use crate::app::{Command, Popup};

/// Draw `popup` over `screen`; returns the cursor position if the popup takes typed text.
pub(crate) fn draw(
    buf: &mut Buffer,
    screen: Rect,
    ctx: &Ctx<'_>,
    popup: &Popup,
) -> Option<Position> {
    match popup {
        Popup::Help { scroll } => {
            help::draw(buf, screen, ctx, *scroll);
            None
        }
        Popup::Switcher(s) => switcher::draw(buf, screen, ctx, s),
        Popup::Search(s) => search::draw(buf, screen, ctx, s),
        Popup::ConfirmDelete { message_id, .. } => {
            confirm::draw(buf, screen, ctx, message_id);
            None
        }
        Popup::ReactionPicker(picker) => reaction::draw(buf, screen, ctx, picker),
        Popup::Reactions {
            channel,
            message_id,
            scroll,
        } => {
            who_reacted::draw(buf, screen, ctx, channel, message_id, *scroll);
            None
        }
        Popup::LinkPicker { links, selected } => {
            links::draw(buf, screen, ctx, links, *selected);
            None
        }
        Popup::Pins {
            channel,
            messages,
            selected,
        } => {
            pins::draw(buf, screen, ctx, channel, messages.as_deref(), *selected);
            None
        }
        Popup::Status { selected } => {
            status::draw(buf, screen, ctx, *selected);
            None
        }
        Popup::Activity { channel, scroll } => {
            activity::draw(buf, screen, ctx, channel, *scroll);
            None
        }
    }
}

/// A `w`×`h` box centred in `screen` (shrunk to fit), cleared and framed with `title`.
/// Returns the inner area.
pub(crate) fn frame(
    buf: &mut Buffer,
    screen: Rect,
    ctx: &Ctx<'_>,
    w: u16,
    h: u16,
    title: &str,
    footer: Option<Line<'static>>,
) -> Rect {
    let w = w.min(screen.width);
    let h = h.min(screen.height);
    let area = Rect {
        x: screen.x + (screen.width - w) / 2,
        y: screen.y + (screen.height - h) / 3,
        width: w,
        height: h,
    };
    Clear.render(area, buf);
    let title = truncate(title, usize::from(w.saturating_sub(4))).into_owned();
    let mut block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(ctx.theme.border_focused)
        .title(Line::from(Span::styled(
            format!(" {title} "),
            ctx.theme.title,
        )));
    if let Some(footer) = footer
        && super::text::line_width(&footer) + 4 <= usize::from(w)
    {
        block = block.title_bottom(footer.right_aligned());
    }
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// A footer of key hints from the user's keymap: `Esc close  ↑↓ move`. An item is one command,
/// or several read as one ("↑↓"); an item with an unbound command is left out.
pub(crate) fn hints(ctx: &Ctx<'_>, items: &[(&[Command], &str)]) -> Line<'static> {
    let t = ctx.theme;
    let mut spans = vec![Span::raw(" ")];
    let shown = items
        .iter()
        .filter_map(|(commands, what)| Some((keys::hint_of_all(&ctx.app.keymap, commands)?, what)));
    for (i, (key, what)) in shown.enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(key, t.accent));
        spans.push(Span::styled(format!(" {what}"), t.muted));
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}
