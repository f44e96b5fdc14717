//! Wire benchmark: the bytes gilt writes to the terminal per incoming message while the view
//! is at the bottom of `#general`, at 120×40 and 80×24, through the real present path
//! (`tui::present`) into a tape. Prints, side by side from the same frames: the plain cell
//! diff (what ratatui's `Terminal::draw` writes), the scroll path, and the floor (a scroll
//! confined to the timeline's columns writing only the cells still differing). Byte counts do
//! not depend on the build profile, so `cargo test --bench wire` prints the same figures as
//! `cargo bench --bench wire`. See BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use gilt::app::update;
use gilt::testkit::wire::{Screen, incoming, world};

const MESSAGES: usize = 200;

fn main() {
    for (width, height) in [(120, 40), (80, 24)] {
        let now = Instant::now();
        let mut app = world(now);
        let mut plain = Screen::new(width, height);
        let mut scrolled = Screen::new(width, height);
        let mut margined = Screen::new(width, height);
        margined.margins = true;
        let first = plain.draw(&app, false).bytes.len();
        scrolled.draw(&app, true);
        margined.draw(&app, true);
        let (mut plain_bytes, mut scroll_bytes, mut floor_bytes, mut floored) = (0, 0, 0, 0);
        let mut margin_bytes = 0;
        for i in 0..MESSAGES {
            let _ = update(&mut app, incoming(i), now);
            plain_bytes += plain.draw(&app, false).bytes.len();
            let frame = scrolled.draw(&app, true);
            scroll_bytes += frame.bytes.len();
            margin_bytes += margined.draw(&app, true).bytes.len();
            if let Some(floor) = frame.floor {
                floor_bytes += floor;
                floored += 1;
            }
        }
        let idle = scrolled.draw(&app, true).bytes.len();
        let per = |total: usize| total as f64 / MESSAGES as f64;
        println!(
            "wire {width}x{height}: first frame {first} B; per incoming message ({MESSAGES}): \
             plain diff {:.0} B, scroll path {:.0} B, with left/right margins {:.0} B, floor \
             {:.0} B (margins {:.2}x floor, scroll {:.2}x floor, plain {:.2}x floor; {floored} \
             of {MESSAGES} frames were scrolls); unchanged frame {idle} B",
            per(plain_bytes),
            per(scroll_bytes),
            per(margin_bytes),
            per(floor_bytes),
            margin_bytes as f64 / floor_bytes.max(1) as f64,
            scroll_bytes as f64 / floor_bytes.max(1) as f64,
            plain_bytes as f64 / floor_bytes.max(1) as f64,
        );
    }
}
