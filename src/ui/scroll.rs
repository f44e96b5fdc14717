//! Scroll-region planning: is the next frame the shown one with the timeline moved up by a few
//! rows? Then the terminal can scroll those rows itself (`DECSTBM` margins, line feeds at the
//! bottom margin) and only the new rows need writing, instead of every cell of the timeline.
//! Pure: buffers in, a plan out; the terminal edge (`tui`) writes the escape sequences.
//!
//! A scroll region spans whole lines unless the terminal has left/right margins (`DECSLRM`,
//! which it says it has when asked with `DECRQM ?69`): then only the timeline's columns move.
//! Whole lines move the sidebar and member pane beside the timeline too; [`apply`] models
//! exactly what the terminal does, so diffing the shifted buffer against the next frame
//! rewrites whatever the scroll disturbed.

use std::ops::Range;

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;

/// What the scroll sequence costs (margins, cursor, line feeds, margins reset), in cells, roughly: a scroll
/// is taken only when it saves more than this.
const SCROLL_OVERHEAD_CELLS: usize = 4;

/// A scroll the terminal does itself: screen lines `rows` move up by `k`, within `columns`
/// (left/right margins) or, without, whole lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scroll {
    pub rows: Range<u16>,
    pub k: u16,
    pub columns: Option<Range<u16>>,
}

/// Where the scrolling part of the screen is, and whether the terminal has left/right margins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub region: Rect,
    pub margins: bool,
}

/// The rows to scroll and by how much, when scrolling is cheaper than the plain diff. Within
/// `region` (the timeline's area, whose title row stays put and whose bottom rows may hold
/// messages that stay too, such as one's own unsent ones), the band is the longest run of the
/// next frame's rows that equal the shown frame's rows `k` below (within the region's
/// columns), plus the `k` rows under it that come in new; ties go to the smallest `k`. Taken
/// only when the diff after the scroll is smaller than the plain one. With `margins` (the
/// terminal has left/right margins) and a region narrower than the screen, only the region's
/// columns scroll.
pub fn plan(shown: &Buffer, next: &Buffer, region: Rect, margins: bool) -> Option<Scroll> {
    if shown.area != next.area {
        return None;
    }
    let region = region.intersection(next.area);
    if region.height < 2 || region.width == 0 {
        return None;
    }
    let mut best: Option<(Range<u16>, u16)> = None;
    for k in 1..region.height {
        let mut run_start = region.top();
        for y in region.top()..=region.bottom() - k {
            let moved =
                y < region.bottom() - k && row(next, region, y) == row(shown, region, y + k);
            if moved {
                continue;
            }
            let run = run_start..y;
            if !run.is_empty()
                && best
                    .as_ref()
                    .is_none_or(|(b, bk)| run.len() > b.len() - usize::from(*bk))
            {
                best = Some((run.start..run.end + k, k));
            }
            run_start = y + 1;
        }
    }
    let (rows, k) = best?;
    let columns =
        (margins && region.width < next.area.width).then(|| region.left()..region.right());
    let scroll = Scroll { rows, k, columns };
    let mut shifted = shown.clone();
    apply(&mut shifted, &scroll);
    let scrolled = shifted.diff(next).len() + SCROLL_OVERHEAD_CELLS;
    (scrolled < shown.diff(next).len()).then_some(scroll)
}

/// What the terminal shows after `scroll`.
pub fn apply(buf: &mut Buffer, scroll: &Scroll) {
    match &scroll.columns {
        None => shift_up(buf, scroll.rows.clone(), scroll.k),
        Some(columns) => shift_up_within(buf, scroll.rows.clone(), columns.clone(), scroll.k),
    }
}

/// The cells of row `y` within `region`'s columns.
fn row(buf: &Buffer, region: Rect, y: u16) -> &[Cell] {
    let start = buf.index_of(region.left(), y);
    &buf.content[start..start + usize::from(region.width)]
}

/// What the terminal shows after scrolling whole lines `rows` up by `k`: each line moves up,
/// the bottom `k` lines of the region come in blank (default colours, as the frame ends with
/// the colours reset).
pub fn shift_up(buf: &mut Buffer, rows: Range<u16>, k: u16) {
    let width = usize::from(buf.area.width);
    let top = usize::from(rows.start.saturating_sub(buf.area.y)) * width;
    let bottom = usize::from(rows.end.saturating_sub(buf.area.y)) * width;
    let by = usize::from(k) * width;
    if bottom > buf.content.len() || top + by > bottom {
        return;
    }
    buf.content[top..bottom].rotate_left(by);
    for cell in &mut buf.content[bottom - by..bottom] {
        cell.reset();
    }
}

/// What the terminal shows after scrolling the rectangle `rows` × `columns` up by `k` (within
/// left/right margins): the cells beside it stay, the bottom `k` rows of it come in blank.
pub fn shift_up_within(buf: &mut Buffer, rows: Range<u16>, columns: Range<u16>, k: u16) {
    let area = buf.area;
    if rows.start < area.top()
        || rows.end > area.bottom()
        || columns.start < area.left()
        || columns.end > area.right()
        || rows.start + k > rows.end
    {
        return;
    }
    for y in rows.clone() {
        for x in columns.clone() {
            let cell = if y + k < rows.end {
                buf[(x, y + k)].clone()
            } else {
                Cell::EMPTY
            };
            buf[(x, y)] = cell;
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;

    use super::*;

    fn screen(lines: &[&str]) -> Buffer {
        Buffer::with_lines(lines.iter().copied())
    }

    /// A whole-line scroll.
    fn lines(rows: Range<u16>, k: u16) -> Scroll {
        Scroll {
            rows,
            k,
            columns: None,
        }
    }

    /// A sidebar (`n|`) beside a timeline whose rows moved up by two.
    fn timeline_moved_up_by_two() -> (Buffer, Buffer) {
        let shown = screen(&[
            "1|aaaaaaaaaa",
            "2|bbbbbbbbbb",
            "3|cccccccccc",
            "4|dddddddddd",
        ]);
        let next = screen(&[
            "1|cccccccccc",
            "2|dddddddddd",
            "3|eeeeeeeeee",
            "4|ffffffffff",
        ]);
        (shown, next)
    }

    #[test]
    fn a_timeline_moved_up_by_two_rows_is_a_scroll_by_two() {
        let (shown, next) = timeline_moved_up_by_two();
        let timeline = Rect::new(2, 0, 10, 4);
        assert_eq!(plan(&shown, &next, timeline, false), Some(lines(0..4, 2)));
        let mut shifted = shown.clone();
        shift_up(&mut shifted, 0..4, 2);
        assert_eq!(
            shifted,
            screen(&[
                "3|cccccccccc",
                "4|dddddddddd",
                "            ",
                "            "
            ])
        );
        // What is left to write: the two new rows and the sidebar cells the scroll moved.
        let left: Vec<_> = shifted
            .diff(&next)
            .iter()
            .map(|(x, y, _)| (*x, *y))
            .collect();
        assert!(left.contains(&(0, 0)) && left.contains(&(2, 3)), "{left:?}");
        assert!(!left.iter().any(|&(x, y)| x >= 2 && y < 2), "{left:?}");
    }

    #[test]
    fn with_left_right_margins_only_the_timeline_columns_move() {
        let (shown, next) = timeline_moved_up_by_two();
        let timeline = Rect::new(2, 0, 10, 4);
        let scroll = plan(&shown, &next, timeline, true).unwrap();
        assert_eq!(
            scroll,
            Scroll {
                rows: 0..4,
                k: 2,
                columns: Some(2..12)
            }
        );
        let mut shifted = shown.clone();
        apply(&mut shifted, &scroll);
        assert_eq!(
            shifted,
            screen(&[
                "1|cccccccccc",
                "2|dddddddddd",
                "3|          ",
                "4|          "
            ])
        );
        // Only the new rows are left to write: the sidebar never moved.
        let left: Vec<_> = shifted
            .diff(&next)
            .iter()
            .map(|(x, y, _)| (*x, *y))
            .collect();
        assert!(left.iter().all(|&(x, y)| x >= 2 && y >= 2), "{left:?}");
        assert_eq!(left.len(), 20);
    }

    #[test]
    fn a_timeline_as_wide_as_the_screen_scrolls_whole_lines_even_with_margins() {
        let shown = screen(&["aaaaaa", "bbbbbb", "cccccc", "dddddd"]);
        let next = screen(&["bbbbbb", "cccccc", "dddddd", "eeeeee"]);
        let whole = Rect::new(0, 0, 6, 4);
        assert_eq!(plan(&shown, &next, whole, true), Some(lines(0..4, 1)));
    }

    #[test]
    fn the_title_above_and_unsent_messages_below_stay_put() {
        let shown = screen(&[
            "|title     ",
            "|aaaaaaaaa",
            "|bbbbbbbbb",
            "|ccccccccc",
            "|mine     ",
        ]);
        let next = screen(&[
            "|title     ",
            "|bbbbbbbbb",
            "|ccccccccc",
            "|new      ",
            "|mine     ",
        ]);
        assert_eq!(
            plan(&shown, &next, Rect::new(1, 0, 10, 5), false),
            Some(lines(1..4, 1))
        );
    }

    #[test]
    fn anything_but_a_pure_move_is_not_a_scroll() {
        let shown = screen(&["|a", "|b", "|c", "|d"]);
        let timeline = Rect::new(1, 0, 1, 4);
        // Changed in place (an edit), not moved.
        assert_eq!(
            plan(&shown, &screen(&["|a", "|X", "|c", "|d"]), timeline, false),
            None
        );
        // Moved down (older history came in above).
        assert_eq!(
            plan(&shown, &screen(&["|z", "|a", "|b", "|c"]), timeline, false),
            None
        );
        // Unchanged: nothing to scroll.
        assert_eq!(plan(&shown, &shown, timeline, false), None);
        // A resize: the areas differ.
        assert_eq!(
            plan(&shown, &screen(&["|b", "|c", "|d"]), timeline, false),
            None
        );
    }

    #[test]
    fn a_scroll_that_would_write_more_than_the_plain_diff_is_not_taken() {
        // Every sidebar cell differs from the one below it and the timeline is one cell wide:
        // the scroll would rewrite the whole sidebar to save a single cell.
        let shown = screen(&["abcdefgh|a", "ijklmnop|b", "qrstuvwx|c"]);
        let next = screen(&["abcdefgh|b", "ijklmnop|c", "qrstuvwx|d"]);
        assert_eq!(plan(&shown, &next, Rect::new(9, 0, 1, 3), false), None);
    }
}
