//! Rendering: `render(frame, &App)` draws the model; it never changes it.
//!
//! Rule: ui reads the model and nothing else (no clock, no IO); every untrusted string goes
//! through [`crate::sanitize`] before it reaches a cell. The only state kept here is the layout
//! cache ([`Ui`]), which is a pure function of the model and the width.
//!
//! Screen (from 40×12 up; below that "too small"):
//! ```text
//! ┌ sidebar ┐│ # channel — topic
//! │ teams   ││ timeline (messages, date separators, "new messages below")
//! │ channels││ typing line
//! │ DMs     ││ composer
//! status bar: link state · user · team › channel · unread/mentions · key hints
//! ```

pub mod cache;
mod completion;
pub mod composer;
pub mod emoji;
mod hyperlink;
pub mod image;
mod keys;
pub mod members;
pub mod message;
pub mod popup;
pub mod rich;
pub mod scroll;
pub mod sidebar;
pub mod status;
pub mod text;
pub mod theme;
pub mod time;
pub mod timeline;
pub mod typing;

use std::time::Instant;

use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use self::cache::LayoutCache;
use self::theme::Theme;
use self::time::Clock;
use crate::app::{App, Area, Focus, HitMap, MEMBER_PANE_MIN_WIDTH};

/// Smallest screen the full layout is drawn for.
pub const MIN_WIDTH: u16 = 40;
/// Smallest screen height the full layout is drawn for.
pub const MIN_HEIGHT: u16 = 12;
/// Below this width the sidebar collapses (it takes the whole screen only while focused).
pub const SIDEBAR_COLLAPSE_BELOW: u16 = 64;

/// The renderer: a theme and the layout cache. Drawing goes through `&mut self` only to fill
/// the cache; what is drawn depends on the model alone.
#[derive(Debug, Default)]
pub struct Ui {
    pub theme: Theme,
    /// Write links as OSC 8 hyperlinks (the runtime turns it on; off, the buffer holds only
    /// plain text, as snapshots expect).
    pub hyperlinks: bool,
    cache: LayoutCache,
    /// Where the last frame drew sidebar rows and messages (for mouse clicks).
    pub hits: HitMap,
    /// Where the last frame put the cursor (None: hidden), for a terminal edge that presents
    /// the frame itself rather than through `Terminal::draw`.
    pub cursor: Option<ratatui::layout::Position>,
    /// Image URLs the last frame would have previewed but the model knows nothing about
    /// (the runtime reports them to the reducer, which fetches each once).
    pub wanted_images: Vec<String>,
    /// Previews the last frame shows with the terminal's image protocol (their cells are
    /// skipped by the cell diff; `tui` draws the images).
    pub graphics: Vec<image::Placement>,
}

/// Draw the whole screen for `app` once, with a fresh renderer (no cache kept between calls).
/// The runtime keeps one [`Ui`] for its whole run instead, so layouts are reused frame to frame.
pub fn render(frame: &mut Frame<'_>, app: &App) {
    Ui::default().draw(frame, app);
}

/// Everything a pane needs to draw: the model, the theme, and the display context.
pub(crate) struct Ctx<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
    /// The model's notion of now (for countdowns and typing expiry); None before any update.
    pub now: Option<Instant>,
    pub tz: &'a TimeZone,
    pub clock: Clock,
    /// Mark links as OSC 8 hyperlinks.
    pub hyperlinks: bool,
}

impl Ui {
    /// A renderer with the default theme and an empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The layout cache (for tests and the benchmark).
    pub fn cache(&self) -> &LayoutCache {
        &self.cache
    }

    /// Draw the whole screen.
    pub fn draw(&mut self, frame: &mut Frame<'_>, app: &App) {
        let area = frame.area();
        let ctx = Ctx {
            app,
            theme: &self.theme,
            now: app.now(),
            tz: &app.time_zone,
            clock: app.settings.clock,
            hyperlinks: self.hyperlinks,
        };
        self.hits.clear();
        self.cursor = None;
        self.wanted_images.clear();
        self.graphics.clear();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            too_small(frame.buffer_mut(), area, &ctx);
            return;
        }
        self.cache.set_user(&app.me.id);
        let status_area = Rect {
            y: area.bottom() - 1,
            height: 1,
            ..area
        };
        let main = Rect {
            height: area.height - 1,
            ..area
        };
        let collapsed = area.width < SIDEBAR_COLLAPSE_BELOW;
        let sidebar_w = if collapsed {
            if app.focus == Focus::Sidebar {
                main.width
            } else {
                0
            }
        } else if area.width >= 110 {
            28
        } else {
            (area.width / 4).clamp(18, 26)
        };
        let (sidebar_area, right) = split_left(main, sidebar_w);
        if sidebar_area.width > 0 {
            sidebar::draw(
                frame.buffer_mut(),
                sidebar_area,
                &ctx,
                !collapsed,
                &mut self.hits,
            );
        }
        let right = if app.member_pane.shown && area.width >= MEMBER_PANE_MIN_WIDTH {
            let (chat, pane) = split_left(right, right.width.saturating_sub(members::WIDTH));
            members::draw(frame.buffer_mut(), pane, &ctx);
            chat
        } else {
            right
        };
        if right.width > 0 {
            let cursor = draw_channel_pane(
                frame.buffer_mut(),
                right,
                &ctx,
                &mut self.cache,
                &mut self.hits,
                &mut self.wanted_images,
                &mut self.graphics,
            );
            if let Some(pos) = cursor {
                frame.set_cursor_position(pos);
                self.cursor = Some(pos);
            }
        }
        status::draw(frame.buffer_mut(), status_area, &ctx);
        if let Some(popup) = &app.popup
            && let Some(pos) = popup::draw(frame.buffer_mut(), area, &ctx, popup)
        {
            frame.set_cursor_position(pos);
            self.cursor = Some(pos);
        }
        image::settle(frame.buffer_mut(), &mut self.graphics);
    }
}

/// The right-hand side: timeline, typing line, composer. Returns where the cursor goes.
fn draw_channel_pane(
    buf: &mut Buffer,
    area: Rect,
    ctx: &Ctx<'_>,
    cache: &mut LayoutCache,
    hits: &mut HitMap,
    wanted_images: &mut Vec<String>,
    graphics: &mut Vec<image::Placement>,
) -> Option<ratatui::layout::Position> {
    let composer_h = composer::height(ctx, area.width, area.height);
    let typing_h = u16::from(area.height > composer_h + 4);
    let timeline_h = area.height.saturating_sub(composer_h + typing_h);
    let timeline_area = Rect {
        height: timeline_h,
        ..area
    };
    let typing_area = Rect {
        y: area.y + timeline_h,
        height: typing_h,
        ..area
    };
    let composer_area = Rect {
        y: area.y + timeline_h + typing_h,
        height: composer_h,
        ..area
    };
    hits.timeline = area_of(timeline_area);
    timeline::draw(
        buf,
        timeline_area,
        ctx,
        cache,
        hits,
        wanted_images,
        graphics,
    );
    if typing_h > 0 {
        typing::draw(buf, typing_area, ctx);
    }
    let cursor = composer::draw(buf, composer_area, ctx);
    if ctx.app.popup.is_none()
        && let Some(c) = &ctx.app.completion
    {
        completion::draw(buf, area, composer_area, ctx, c);
    }
    cursor
}

/// A drawn rectangle as the app's hit-map area.
pub(crate) fn area_of(r: Rect) -> Area {
    Area {
        x: r.x,
        y: r.y,
        width: r.width,
        height: r.height,
    }
}

/// Split `area` into a left column of `w` cells and the rest.
fn split_left(area: Rect, w: u16) -> (Rect, Rect) {
    let w = w.min(area.width);
    (
        Rect { width: w, ..area },
        Rect {
            x: area.x + w,
            width: area.width - w,
            ..area
        },
    )
}

/// The screen is smaller than [`MIN_WIDTH`]×[`MIN_HEIGHT`]: say so, as far as it fits.
fn too_small(buf: &mut Buffer, area: Rect, ctx: &Ctx<'_>) {
    let msg = format!("terminal too small (need {MIN_WIDTH}×{MIN_HEIGHT})");
    let lines = text::wrap_plain(&msg, usize::from(area.width), ctx.theme.muted);
    let top = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    for (i, line) in lines.iter().enumerate() {
        let y = top + i as u16;
        if y >= area.bottom() {
            break;
        }
        put_line_centered(
            buf,
            Rect {
                y,
                height: 1,
                ..area
            },
            line,
        );
    }
}

/// Draw a line in a one-row area, clipped to its width.
pub(crate) fn put_line(buf: &mut Buffer, area: Rect, line: &Line<'_>) {
    if area.width > 0 && area.height > 0 {
        buf.set_line(area.x, area.y, line, area.width);
    }
}

/// Draw a line centred in a one-row area.
pub(crate) fn put_line_centered(buf: &mut Buffer, area: Rect, line: &Line<'_>) {
    let w = text::line_width(line).min(usize::from(area.width)) as u16;
    let x = area.x + (area.width - w) / 2;
    put_line(
        buf,
        Rect {
            x,
            width: area.width - (x - area.x),
            ..area
        },
        line,
    );
}
