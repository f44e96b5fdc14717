//! Image previews drawn with half blocks: each cell shows two pixels, the upper one as the
//! foreground of `▀` and the lower one as its background. Works in any terminal with
//! colour, also over SSH and inside tmux.

use std::sync::Arc;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use super::Ctx;
use super::text::truncate;
use super::theme::Theme;
use crate::app::Command;
use crate::app::Message;
use crate::app::images::{Graphic, ImageState, Preview, host_of, image_urls};
use crate::sanitize::sanitize;

/// An image drawn with the terminal's graphics protocol over the cells of `area`, which hold
/// its half-block preview marked to be skipped by the cell diff (`tui` writes the image after
/// the frame).
#[derive(Debug, Clone)]
pub struct Placement {
    pub area: Rect,
    pub graphic: Arc<Graphic>,
}

impl PartialEq for Placement {
    fn eq(&self, other: &Self) -> bool {
        self.area == other.area && Arc::ptr_eq(&self.graphic, &other.graphic)
    }
}

/// The rows previewing `m`'s images at `width` columns, and the URLs the model knows nothing
/// about yet (the runtime asks for them after the frame). A preview that has an encoded
/// image and is drawn at full size adds (its first row among the returned rows, the image)
/// to `graphics`.
pub(crate) fn rows(
    ctx: &Ctx<'_>,
    m: &Message,
    width: usize,
    missing: &mut Vec<String>,
    graphics: &mut Vec<(usize, Arc<Graphic>)>,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let t = ctx.theme;
    // `mono` (NO_COLOR) has no colours to draw an image with: the link line stays.
    if !ctx.app.settings.images || t.pixel(0, 0, 0).is_none() {
        return out;
    }
    for url in image_urls(&m.content) {
        match ctx.app.images.get(url) {
            Some(ImageState::Ready(p)) => {
                if let Some(g) = &p.graphic
                    && usize::from(p.width) <= width
                {
                    graphics.push((out.len(), g.clone()));
                }
                out.extend(half_blocks(p, width, t));
            }
            Some(ImageState::Failed(reason)) => {
                let text = format!("✗ image: {}", sanitize(reason));
                out.push(Line::from(Span::styled(
                    truncate(&text, width).into_owned(),
                    t.muted,
                )));
            }
            None if !ctx.app.settings.image_hosts.allows(url) => {
                // Not fetched until asked: the host would learn the user's address.
                let host = host_of(url).unwrap_or_default();
                let key = super::keys::hint(&ctx.app.keymap, Command::LoadImages)
                    .map(|k| format!(" · {k} on the message loads it"))
                    .unwrap_or_default();
                let text = format!("⊘ image from {}{key}", sanitize(&host));
                out.push(Line::from(Span::styled(
                    truncate(&text, width).into_owned(),
                    t.muted,
                )));
            }
            state => {
                if state.is_none() {
                    missing.push(url.to_owned());
                }
                out.push(Line::from(Span::styled(
                    truncate("⋯ loading image", width).into_owned(),
                    t.muted,
                )));
            }
        }
    }
    out
}

/// Mark `area`'s cells to be left alone by the cell diff (an image is drawn over them).
pub(crate) fn skip_cells(buf: &mut Buffer, area: Rect, skip: bool) {
    let area = area.intersection(buf.area);
    let option = if skip {
        CellDiffOption::Skip
    } else {
        CellDiffOption::None
    };
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            buf[(x, y)].set_diff_option(option);
        }
    }
}

/// Keep the placements whose cells are all still skipped once the whole frame is drawn; one
/// that something was drawn over (a popup clears its cells) shows its half blocks instead.
pub(crate) fn settle(buf: &mut Buffer, placements: &mut Vec<Placement>) {
    placements.retain(|p| {
        let whole = buf.area.contains(p.area.as_position())
            && p.area.intersection(buf.area) == p.area
            && p.area
                .positions()
                .all(|pos| buf[pos].diff_option == CellDiffOption::Skip);
        if !whole {
            skip_cells(buf, p.area, false);
        }
        whole
    });
}

/// The preview as lines of half blocks, scaled down (nearest pixel) when wider than `width`.
pub(crate) fn half_blocks(p: &Preview, width: usize, t: &Theme) -> Vec<Line<'static>> {
    let src_w = usize::from(p.width);
    let src_h = usize::from(p.height);
    if src_w == 0 || src_h == 0 || width == 0 {
        return Vec::new();
    }
    let cols = src_w.min(width);
    // Keep the aspect ratio when narrowing: as many pixel rows as the width allows.
    let px_rows = (src_h * cols).div_ceil(src_w).max(1);
    let at = |x: usize, y: usize| -> Option<[u8; 3]> {
        let sx = u16::try_from(x * src_w / cols).unwrap_or(u16::MAX);
        let sy = u16::try_from(y * src_h / px_rows).unwrap_or(u16::MAX);
        if y >= px_rows { None } else { p.pixel(sx, sy) }
    };
    let rgb = |[r, g, b]: [u8; 3]| t.pixel(r, g, b).unwrap_or(Color::Reset);
    (0..px_rows.div_ceil(2))
        .map(|row| {
            let spans = (0..cols)
                .map(|x| match (at(x, row * 2), at(x, row * 2 + 1)) {
                    (Some(top), Some(bottom)) => {
                        Span::styled("▀", Style::new().fg(rgb(top)).bg(rgb(bottom)))
                    }
                    (Some(top), None) => Span::styled("▀", Style::new().fg(rgb(top))),
                    (None, Some(bottom)) => Span::styled("▄", Style::new().fg(rgb(bottom))),
                    (None, None) => Span::raw(" "),
                })
                .collect::<Vec<_>>();
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(width: u16, height: u16) -> Preview {
        let pixels = (0..width * height)
            .map(|i| {
                let [x, y] = [i % width, i / width].map(|v| u8::try_from(v).unwrap());
                Some([x, y, 0])
            })
            .collect();
        Preview {
            width,
            height,
            pixels,
            graphic: None,
        }
    }

    fn fg(line: &Line<'_>, x: usize) -> Option<Color> {
        line.spans[x].style.fg
    }

    #[test]
    fn a_preview_wider_than_the_pane_is_scaled_down_keeping_its_shape() {
        let lines = half_blocks(&grid(32, 16), 16, &Theme::default());
        assert_eq!(lines.len(), 4);
        assert!(lines.iter().all(|l| l.spans.len() == 16));
        // Every other source pixel: column 1 shows pixel 2, row 1 shows pixel rows 4 and 6.
        assert_eq!(fg(&lines[1], 1), Some(Color::Rgb(2, 4, 0)));
        assert_eq!(lines[1].spans[1].style.bg, Some(Color::Rgb(2, 6, 0)));
    }

    #[test]
    fn a_preview_that_fits_is_drawn_pixel_for_pixel_with_an_odd_last_row() {
        let lines = half_blocks(&grid(5, 3), 40, &Theme::default());
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].spans.len(), 5);
        assert_eq!(fg(&lines[0], 4), Some(Color::Rgb(4, 0, 0)));
        // The last pixel row has nothing below it: the lower half is the background.
        assert_eq!(lines[1].spans[0].content, "▀");
        assert_eq!(lines[1].spans[0].style.bg, None);
    }
}
