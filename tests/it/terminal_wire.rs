//! The bytes gilt writes to the terminal: the scroll path (the timeline's rows scrolled by the
//! terminal, only the new ones written) must leave exactly the screen a full redraw leaves,
//! and write far less than the plain diff.

use std::num::NonZeroU16;
use std::time::Instant;

use gilt::app::key::{KeyCode, Mods};
use gilt::app::{App, Msg, update};
use gilt::testkit::wire::{Screen, incoming, world};

/// A blank vt100 terminal of `width`×`height`.
fn terminal(width: u16, height: u16) -> vt100::Parser {
    let size = |n: u16| NonZeroU16::new(n).expect("a screen size");
    vt100::Parser::new(size(height), size(width), 0)
}

/// A vt100 screen fed a full redraw of `app` onto a blank terminal.
fn redrawn(app: &App, width: u16, height: u16) -> vt100::Parser {
    let mut parser = terminal(width, height);
    parser.process(&Screen::new(width, height).draw(app, true).bytes);
    parser
}

fn assert_same_screen(incremental: &vt100::Parser, full: &vt100::Parser, step: &str) {
    let (a, b) = (incremental.screen(), full.screen());
    // Trailing blanks read the same whether spaces were written there or not.
    let text = |s: &vt100::Screen| {
        s.contents()
            .lines()
            .map(|line| line.trim_end().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        text(a),
        text(b),
        "{step}: the text differs from a full redraw"
    );
    let (rows, cols) = a.size();
    for row in 0..rows.get() {
        for col in 0..cols.get() {
            let look = |s: &vt100::Screen| {
                // A blank cell looks the same whether a space was written to it or not.
                s.cell(row, col).map(|c| {
                    let text = match c.contents() {
                        "" if !c.is_wide_continuation() => " ",
                        text => text,
                    };
                    (
                        text.to_owned(),
                        c.is_wide_continuation(),
                        c.fgcolor(),
                        c.bgcolor(),
                        // vt100 keeps one intensity (the last of SGR 1 and 2 wins) where a
                        // terminal shows both, so a bold dim cell reads as either one
                        // depending on what was written before it: compare "intensified".
                        (c.bold() || c.dim(), c.italic(), c.underline(), c.inverse()),
                    )
                })
            };
            assert_eq!(look(a), look(b), "{step}: cell at row {row}, column {col}");
        }
    }
    assert_eq!(a.cursor_position(), b.cursor_position(), "{step}: cursor");
    assert_eq!(a.hide_cursor(), b.hide_cursor(), "{step}: cursor shown");
}

fn scroll_path_matches_a_full_redraw(width: u16, height: u16) {
    let now = Instant::now();
    let mut app = world(now);
    let mut screen = Screen::new(width, height);
    let mut terminal = terminal(width, height);
    terminal.process(&screen.draw(&app, true).bytes);
    let mut scrolls = 0;
    let mut step = |app: &mut App, msg: Msg, what: &str| {
        let _ = update(app, msg, now);
        let bytes = screen.draw(app, true).bytes;
        // Resetting the margins ends every scroll; the plain diff never sets them.
        if bytes.windows(3).any(|w| w == b"\x1b[r") {
            scrolls += 1;
        }
        terminal.process(&bytes);
        assert_same_screen(&terminal, &redrawn(app, width, height), what);
    };
    for i in 0..12 {
        step(&mut app, incoming(i), &format!("message {i}"));
    }
    // Scrolled back and forth, then more messages at the bottom again.
    let page_up = Msg::Key(gilt::app::key::Key::new(KeyCode::PageUp, Mods::NONE));
    let page_down = || Msg::Key(gilt::app::key::Key::new(KeyCode::PageDown, Mods::NONE));
    step(&mut app, page_up, "page up");
    step(&mut app, incoming(99), "a message while scrolled up");
    step(&mut app, page_down(), "page down");
    step(&mut app, page_down(), "back at the bottom");
    for i in 12..20 {
        step(&mut app, incoming(i), &format!("message {i}"));
    }
    assert!(scrolls >= 18, "only {scrolls} frames took the scroll path");
}

#[test]
fn the_scroll_path_leaves_the_screen_a_full_redraw_leaves_at_120x40() {
    scroll_path_matches_a_full_redraw(120, 40);
}

#[test]
fn the_scroll_path_leaves_the_screen_a_full_redraw_leaves_at_80x24() {
    scroll_path_matches_a_full_redraw(80, 24);
}

#[test]
fn an_incoming_message_at_the_bottom_writes_far_less_than_the_plain_diff() {
    let now = Instant::now();
    let mut app = world(now);
    let mut plain = Screen::new(120, 40);
    let mut scrolled = Screen::new(120, 40);
    plain.draw(&app, false);
    scrolled.draw(&app, true);
    let (mut plain_bytes, mut scroll_bytes) = (0, 0);
    for i in 0..10 {
        let _ = update(&mut app, incoming(i), now);
        plain_bytes += plain.draw(&app, false).bytes.len();
        scroll_bytes += scrolled.draw(&app, true).bytes.len();
    }
    assert!(
        scroll_bytes * 3 < plain_bytes,
        "scroll path {scroll_bytes} B vs plain diff {plain_bytes} B"
    );
}

#[test]
fn a_frame_that_changes_nothing_writes_no_cell() {
    let now = Instant::now();
    let app = world(now);
    let mut screen = Screen::new(120, 40);
    screen.draw(&app, true);
    let again = screen.draw(&app, true).bytes;
    let mut blank = terminal(120, 40);
    blank.process(&again);
    assert_eq!(blank.screen().contents().trim(), "", "{again:?}");
}
