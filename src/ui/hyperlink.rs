//! OSC 8 hyperlinks over drawn text: the cells showing a message's link carry the sequence,
//! so terminals that support it make the text clickable (the others ignore it).
//!
//! Done on the buffer after the rows are drawn: each link's text is found in the message's
//! rows (also when it wraps onto the next row), and every cell of it is wrapped in
//! `ESC ] 8 ; ; URL ESC \` … `ESC ] 8 ; ; ESC \` with its width forced, so ratatui still knows
//! how wide it is. Only URLs [`crate::osc::hyperlink_target`] accepts are used: no control
//! character can get into the sequence.

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;

use super::text::width;

/// Mark the cells of `rows` (the rows a message's body was drawn in, top to bottom) that
/// show one of `urls`.
pub(crate) fn mark(buf: &mut Buffer, rows: &[Rect], urls: &[String]) {
    let targets: Vec<&str> = urls
        .iter()
        .filter_map(|u| crate::osc::hyperlink_target(u))
        .collect();
    if targets.is_empty() || rows.is_empty() {
        return;
    }
    // The rows' text run together, and where each character came from.
    let mut text = String::new();
    let mut cells: Vec<(usize, (u16, u16))> = Vec::new();
    let area = buf.area;
    for r in rows {
        let r = r.intersection(area);
        let mut row: Vec<(String, (u16, u16))> = Vec::new();
        let mut x = r.x;
        while x < r.right() {
            let sym = buf[(x, r.y)].symbol().to_owned();
            let w = width(&sym).max(1) as u16;
            row.push((sym, (x, r.y)));
            x += w;
        }
        while row.last().is_some_and(|(s, _)| s.trim().is_empty()) {
            row.pop();
        }
        for (sym, pos) in row {
            cells.push((text.len(), pos));
            text.push_str(&sym);
        }
    }
    for url in targets {
        for (start, _) in text.match_indices(url) {
            let end = start + url.len();
            for (_, pos) in cells.iter().filter(|(at, _)| (start..end).contains(at)) {
                link_cell(buf, *pos, url);
            }
        }
    }
}

fn link_cell(buf: &mut Buffer, pos: (u16, u16), url: &str) {
    let cell = &mut buf[pos];
    let sym = cell.symbol().to_owned();
    if sym.starts_with('\x1b') {
        return;
    }
    let w = NonZeroU16::new(width(&sym).max(1) as u16).unwrap_or(NonZeroU16::MIN);
    cell.set_symbol(&format!("\x1b]8;;{url}\x1b\\{sym}\x1b]8;;\x1b\\"));
    cell.set_diff_option(CellDiffOption::ForcedWidth(w));
}

#[cfg(test)]
mod tests {
    use ratatui::style::Style;

    use super::*;

    fn linked(buf: &Buffer, x: u16, y: u16, url: &str, sym: &str) -> bool {
        buf[(x, y)].symbol() == format!("\x1b]8;;{url}\x1b\\{sym}\x1b]8;;\x1b\\")
    }

    #[test]
    fn a_link_is_marked_cell_by_cell_even_across_a_wrap() {
        let area = Rect::new(0, 0, 12, 3);
        let mut buf = Buffer::empty(area);
        buf.set_string(0, 0, "see https://", Style::new());
        buf.set_string(0, 1, "x.io/a ok", Style::new());
        buf.set_string(0, 2, "https://x.io/a", Style::new());
        let url = "https://x.io/a".to_owned();
        let rows: Vec<Rect> = (0..3).map(|y| Rect::new(0, y, 12, 1)).collect();
        mark(&mut buf, &rows, std::slice::from_ref(&url));
        assert_eq!(buf[(3, 0)].symbol(), " ");
        assert!(linked(&buf, 4, 0, &url, "h"));
        assert!(linked(&buf, 11, 0, &url, "/"));
        assert!(linked(&buf, 5, 1, &url, "a"));
        assert_eq!(buf[(6, 1)].symbol(), " ");
        // Third row: only the first 12 columns fit, so the URL is cut and not a match.
        assert_eq!(buf[(0, 2)].symbol(), "h");
        assert_eq!(
            buf[(4, 0)].diff_option,
            CellDiffOption::ForcedWidth(NonZeroU16::MIN)
        );
    }

    #[test]
    fn unsafe_urls_are_never_written() {
        let area = Rect::new(0, 0, 20, 1);
        let mut buf = Buffer::empty(area);
        buf.set_string(0, 0, "https://x/ y", Style::new());
        mark(&mut buf, &[area], &["https://x/\x1b\\".to_owned()]);
        assert!((0..20).all(|x| !buf[(x, 0)].symbol().contains('\x1b')));
    }
}
