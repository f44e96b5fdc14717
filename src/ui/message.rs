//! One message as rows of the timeline: date separator, header (author, time, "(edited)"),
//! reply context, the body (rich text, from the layout cache), reactions, delivery status.
//!
//! Rule: the body layout comes from the cache; the few rows around it are cheap and made
//! per frame, so a frame costs only what is visible.

use std::rc::Rc;

use jiff::Timestamp;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::cache::LayoutCache;
use super::rich::{self, RichStyle};
use super::text::{Wrapper, line_width, truncate, width};
use super::{Ctx, emoji, keys, time};
use crate::app::timeline::Timeline;
use crate::app::{Command, Delivery, Message};
use crate::sanitize::sanitize;

/// Messages from the same author closer than this share one header.
const GROUP_WITHIN_SECS: i64 = 7 * 60;

/// The rows of one message, ready to draw.
pub(crate) struct MessageRows {
    /// Rows before the message proper (date separator, blank spacer): never highlighted.
    pub lead: Vec<Line<'static>>,
    /// Header and reply context.
    pub head: Vec<Line<'static>>,
    /// The body, shared with the cache.
    pub body: Rc<Vec<Line<'static>>>,
    /// Replaces the last body line (to append "(edited)" on grouped messages).
    pub body_last: Option<Line<'static>>,
    /// Reactions and delivery status.
    pub tail: Vec<Line<'static>>,
    /// Image URLs this message previews that the model knows nothing about yet.
    pub missing_images: Vec<String>,
    /// Previews drawn with the graphics protocol: (their first row in `tail`, the image).
    pub graphics: Vec<(usize, std::sync::Arc<crate::app::images::Graphic>)>,
    pub selected: bool,
    pub pending: bool,
    pub failed: bool,
}

impl MessageRows {
    /// Total rows.
    pub fn height(&self) -> usize {
        self.lead.len() + self.head.len() + self.body.len() + self.tail.len()
    }

    /// Row `i`, and whether it belongs to the message (false for lead rows).
    pub fn row(&self, i: usize) -> Option<(&Line<'static>, bool)> {
        let mut i = i;
        if i < self.lead.len() {
            return self.lead.get(i).map(|l| (l, false));
        }
        i -= self.lead.len();
        if i < self.head.len() {
            return self.head.get(i).map(|l| (l, true));
        }
        i -= self.head.len();
        if i < self.body.len() {
            if i + 1 == self.body.len()
                && let Some(last) = &self.body_last
            {
                return Some((last, true));
            }
            return self.body.get(i).map(|l| (l, true));
        }
        i -= self.body.len();
        self.tail.get(i).map(|l| (l, true))
    }
}

/// Whether message `m` starts a new group after `prev` (and so shows a header).
fn starts_group(m: &Message, prev: Option<&Message>, ctx: &Ctx<'_>) -> bool {
    let Some(prev) = prev else { return true };
    if prev.author_id != m.author_id
        || prev.is_system
        || m.is_system
        || !m.replies_to.is_empty()
        || new_day(prev.created_at, m.created_at, ctx)
    {
        return true;
    }
    m.created_at.as_second() - prev.created_at.as_second() > GROUP_WITHIN_SECS
}

fn new_day(a: Timestamp, b: Timestamp, ctx: &Ctx<'_>) -> bool {
    time::local_date(a, ctx.tz) != time::local_date(b, ctx.tz)
}

/// Lay out message `index` of `tl` at `cols` columns (the message area, gutter excluded).
pub(crate) fn rows(
    ctx: &Ctx<'_>,
    tl: &Timeline,
    index: usize,
    cols: u16,
    cache: &mut LayoutCache,
) -> Option<MessageRows> {
    let m = tl.get_index(index)?;
    let prev = index.checked_sub(1).and_then(|i| tl.get_index(i));
    let t = ctx.theme;
    let w = usize::from(cols.max(1));
    let mut lead = Vec::new();
    if prev.is_none_or(|p| new_day(p.created_at, m.created_at, ctx)) {
        if prev.is_some() {
            lead.push(Line::default());
        }
        lead.push(date_separator(m.created_at, w, ctx));
    }
    if tl.gap_before(index) {
        // A reconnect could not fetch everything before this message (yet).
        if prev.is_some() {
            lead.push(Line::default());
        }
        let note = truncate("⋯ missing messages, still fetching ⋯", w).into_owned();
        lead.push(Line::from(Span::styled(
            note,
            t.warn.add_modifier(Modifier::ITALIC),
        )));
    }
    let header = starts_group(m, prev, ctx) || tl.gap_before(index);
    if header && lead.is_empty() && prev.is_some() {
        lead.push(Line::default());
    }
    let mut head = Vec::new();
    let edited = m.edited_at.is_some();
    if header && !m.is_system {
        head.push(header_line(ctx, m, edited, w));
    }
    if !m.replies_to.is_empty() {
        head.push(reply_line(ctx, m, w));
    }
    let revealed = tl.revealed.contains(&m.id);
    let me = ctx.app.me.id.as_str();
    let body = cache.get_or_layout(&m.id, cols, revealed, &m.content, || {
        let st = RichStyle {
            theme: t,
            me,
            reveal_spoilers: revealed,
        };
        let mut lines = rich::layout(&m.content, w, &st);
        if m.is_system {
            let muted = t.muted.add_modifier(Modifier::ITALIC);
            for line in &mut lines {
                for span in &mut line.spans {
                    span.style = span.style.patch(muted);
                }
            }
        }
        if lines.is_empty() {
            lines.push(Line::from(Span::styled("(empty message)", t.muted)));
        }
        lines
    });
    let mut body_last = None;
    if edited && (!header || m.is_system) {
        let marker = " (edited)";
        if let Some(last) = body.last()
            && line_width(last) + width(marker) <= w
        {
            let mut line = last.clone();
            line.spans.push(Span::styled(marker, t.muted));
            body_last = Some(line);
        }
    }
    let mut missing_images = Vec::new();
    let mut graphics = Vec::new();
    let mut tail = super::image::rows(ctx, m, w, &mut missing_images, &mut graphics);
    if !m.reactions.is_empty() {
        tail.extend(reaction_lines(ctx, m, w));
    }
    if let Some(thread) = ctx.app.thread_of_message(&m.id) {
        let text = format!("⤷ thread: {}", sanitize(&thread.name));
        tail.push(Line::from(Span::styled(
            truncate(&text, w).into_owned(),
            t.muted.add_modifier(Modifier::ITALIC),
        )));
    }
    let failed = matches!(m.delivery, Delivery::Failed { .. });
    if let Delivery::Failed { error } = &m.delivery {
        let retry = keys::hint(&ctx.app.keymap, Command::RetryFailed)
            .map(|k| format!(" · {k} to retry"))
            .unwrap_or_default();
        let text = format!("✗ not sent: {}{retry}", sanitize(error));
        tail.push(Line::from(Span::styled(
            truncate(&text, w).into_owned(),
            t.error,
        )));
    }
    Some(MessageRows {
        lead,
        head,
        body,
        body_last,
        tail,
        missing_images,
        graphics,
        selected: tl.selected.as_ref() == Some(&m.id),
        pending: m.delivery == Delivery::Pending,
        failed,
    })
}

/// `──── Tuesday, 24 November 2026 ────`
fn date_separator(ts: Timestamp, w: usize, ctx: &Ctx<'_>) -> Line<'static> {
    let label = format!(" {} ", time::date_label(time::local_date(ts, ctx.tz)));
    let label = truncate(&label, w).into_owned();
    let rest = w.saturating_sub(width(&label));
    let left = rest / 2;
    Line::from(vec![
        Span::styled("─".repeat(left), ctx.theme.border),
        Span::styled(label, ctx.theme.muted),
        Span::styled("─".repeat(rest - left), ctx.theme.border),
    ])
}

/// `alice  14:05  (edited)`
fn header_line(ctx: &Ctx<'_>, m: &Message, edited: bool, w: usize) -> Line<'static> {
    let t = ctx.theme;
    let name = sanitize(ctx.app.display_name(&m.channel_id, &m.author_id));
    let mut tail = vec![Span::styled(
        format!("  {}", time::time_of_day(m.created_at, ctx.tz, ctx.clock)),
        t.muted,
    )];
    if edited {
        tail.push(Span::styled("  (edited)", t.muted));
    }
    if m.is_pinned {
        tail.push(Span::styled("  pinned", t.muted));
    }
    let tail_w: usize = tail.iter().map(|s| width(&s.content)).sum();
    let name_w = w.saturating_sub(tail_w).max(w.min(8));
    let mut spans = vec![Span::styled(
        truncate(&name, name_w).into_owned(),
        t.author(&m.author_id),
    )];
    spans.extend(tail);
    Line::from(spans)
}

/// `↳ alice: first words…`
fn reply_line(ctx: &Ctx<'_>, m: &Message, w: usize) -> Line<'static> {
    let t = ctx.theme;
    let text = match ctx.app.reply_context(m) {
        Some(r) => format!("↳ {}: {}", sanitize(&r.author), sanitize(&r.preview)),
        None => "↳ reply to an earlier message".to_owned(),
    };
    Line::from(Span::styled(
        truncate(&text, w).into_owned(),
        t.muted.add_modifier(Modifier::ITALIC),
    ))
}

/// `🎉 3  👍 1`, the user's own reactions marked.
fn reaction_lines(ctx: &Ctx<'_>, m: &Message, w: usize) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let mut wrapper = Wrapper::new(w);
    for (i, r) in m.reactions.iter().enumerate() {
        if i > 0 {
            wrapper.push("  ", Style::new());
        }
        let clean = sanitize(&r.name);
        let glyph = emoji::reaction_label(&clean);
        let glyph = emoji::terminal_safe(&glyph);
        // A no-break space keeps the emoji and its count on one line.
        let item = format!("{glyph}\u{a0}{}", r.count);
        let style = if r.mine {
            t.accent.add_modifier(Modifier::BOLD)
        } else {
            t.muted
        };
        wrapper.push(&item, style);
    }
    wrapper.finish()
}
