//! The half-block image preview on screen: a tiny generated image, decoded and scaled the way
//! the runtime does, drawn under its message (snapshot of the cells, and their colours).

use std::sync::Arc;
use std::time::Instant;

use gilt::app::{App, Msg, Popup};
use gilt::protocol::content::{Block, MediaKind, RichText};
use gilt::runtime::images::Target;
use gilt::termcaps::Graphics;
use gilt::testkit::wire::Screen;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use crate::support::world::*;

const URL: &str = "https://cdn.example/logo.png";
const RED: [u8; 4] = [220, 30, 30, 255];
const BLUE: [u8; 4] = [30, 60, 220, 255];

/// 8×4 pixels: red left half, blue right half, the bottom-right quarter transparent.
fn tiny_png() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(8, 4, |x, y| match (x < 4, y < 2) {
        (true, _) => image::Rgba(RED),
        (false, true) => image::Rgba(BLUE),
        (false, false) => image::Rgba([0, 0, 0, 0]),
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn app_with_preview(now: Instant) -> App {
    app_with(now, None)
}

/// The app with the preview decoded (and, with a target, encoded) as the runtime does.
fn app_with(now: Instant, target: Option<Target>) -> App {
    let mut app = base_app(now);
    app.settings.images = true;
    app.settings.image_hosts = gilt::app::images::ImageHosts::new(&["cdn.example"]);
    let content = RichText {
        blocks: vec![
            para(vec![text("the new logo:")]),
            Block::Media {
                kind: MediaKind::Image,
                url: URL.into(),
            },
        ],
    };
    send(
        &mut app,
        Msg::History {
            channel: GENERAL.into(),
            messages: vec![message(
                "img1",
                GENERAL,
                "alice001",
                "2026-11-24T09:00:00Z",
                content,
            )],
            has_past: false,
            older: false,
        },
        now,
    );
    send(&mut app, Msg::ImagesWanted(vec![URL.into()]), now);
    let preview = gilt::runtime::images::decode_for(&tiny_png(), target).unwrap();
    send(
        &mut app,
        Msg::ImageLoaded {
            url: URL.into(),
            result: Ok(Arc::new(preview)),
        },
        now,
    );
    app
}

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| gilt::ui::render(f, app)).unwrap();
    terminal
}

#[test]
fn a_half_block_preview_is_drawn_under_its_message() {
    let now = Instant::now();
    let app = app_with_preview(now);
    let terminal = draw(&app, 80, 24);
    let buf = terminal.backend().buffer();
    // The first half-block cell is the preview's top-left corner.
    let corner = buf
        .content()
        .iter()
        .position(|c| c.symbol() == "▀")
        .expect("a preview cell");
    let width = usize::from(buf.area.width);
    let (x, y) = (corner % width, corner / width);
    let cell = |dx: usize, dy: usize| &buf.content()[(y + dy) * width + x + dx];
    let rgb = |[r, g, b, _]: [u8; 4]| Color::Rgb(r, g, b);
    assert_eq!(cell(2, 1).fg, rgb(RED));
    assert_eq!(cell(2, 1).bg, rgb(RED));
    assert_eq!(cell(28, 1).fg, rgb(BLUE));
    // The transparent quarter is left to the terminal's background.
    assert_eq!(cell(28, 6).symbol(), " ");
    insta::assert_snapshot!(terminal.backend());
}

/// Where `needle` occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn with_kitty_the_preview_is_written_as_an_image_once_over_skipped_cells() {
    let now = Instant::now();
    let target = Target {
        graphics: Graphics::Kitty,
        cell_px: (10, 20),
    };
    let mut app = app_with(now, Some(target));
    let mut screen = Screen::new(80, 24);
    screen.graphics = Graphics::Kitty;
    let first = screen.draw(&app, true).bytes;
    let placed = screen.ui.graphics.clone();
    assert_eq!(placed.len(), 1, "one preview drawn as an image");
    let area = placed[0].area;
    // The 8×4 image is scaled into the 48 × 16 pixel box: 32 × 16 half-block pixels, that
    // is 32 × 8 cells.
    assert_eq!((area.width, area.height), (32, 8));
    // The image is transmitted right after the cursor moves to its top-left cell (1-based
    // CUP), then placed there by id.
    let (id, place) = placed[0].graphic.kitty.clone().unwrap();
    let cup = format!("\x1b[{};{}H\x1b_Ga=t,f=100,i={id},", area.y + 1, area.x + 1);
    assert_eq!(find(&first, cup.as_bytes()).len(), 1, "{cup:?}");
    assert_eq!(find(&first, &place).len(), 1);
    // Its cells are not written as half blocks (the image covers them).
    assert!(find(&first, "▀".as_bytes()).is_empty());
    // The same frame again: nothing to write, the image stays.
    let again = screen.draw(&app, true).bytes;
    assert!(find(&again, b"\x1b_G").is_empty(), "{again:?}");
    // A popup over it: the kitty placement is deleted, and what the popup leaves uncovered
    // shows the half blocks.
    app.popup = Some(Popup::Help { scroll: 0 });
    let covered = screen.draw(&app, true).bytes;
    assert!(screen.ui.graphics.is_empty());
    assert_eq!(
        find(&covered, gilt::graphics::KITTY_DELETE_PLACEMENTS).len(),
        1
    );
    assert!(find(&covered, &place).is_empty());
    // Closed again: the image comes back, placed by id without sending it again.
    app.popup = None;
    let back = screen.draw(&app, true).bytes;
    assert_eq!(find(&back, &place).len(), 1);
    assert!(find(&back, b"\x1b_Ga=t").is_empty());
}

#[test]
fn with_sixel_and_iterm2_the_image_bytes_reach_the_screen_and_half_blocks_write_none() {
    let now = Instant::now();
    for (graphics, start) in [
        (Graphics::Sixel, b"\x1bP0;1;0q".as_slice()),
        (Graphics::Iterm2, b"\x1b]1337;File=inline=1;".as_slice()),
    ] {
        let target = Target {
            graphics,
            cell_px: (8, 16),
        };
        let app = app_with(now, Some(target));
        let mut screen = Screen::new(80, 24);
        screen.graphics = graphics;
        let bytes = screen.draw(&app, true).bytes;
        assert_eq!(find(&bytes, start).len(), 1, "{graphics:?}");
    }
    // Half blocks: the same model without an encoded image writes cells only.
    let app = app_with(now, None);
    let mut screen = Screen::new(80, 24);
    let bytes = screen.draw(&app, true).bytes;
    assert!(screen.ui.graphics.is_empty());
    assert!(!find(&bytes, "▀".as_bytes()).is_empty());
    assert!(find(&bytes, b"\x1b_G").is_empty() && find(&bytes, b"\x1bP").is_empty());
}

#[test]
fn a_preview_that_does_not_wholly_fit_stays_half_blocks() {
    let now = Instant::now();
    let target = Target {
        graphics: Graphics::Kitty,
        cell_px: (10, 20),
    };
    let app = app_with(now, Some(target));
    // 12 rows leave the timeline 6 for messages, fewer than the preview's 8: its top is cut
    // off.
    let mut screen = Screen::new(80, 12);
    screen.graphics = Graphics::Kitty;
    let bytes = screen.draw(&app, true).bytes;
    assert!(screen.ui.graphics.is_empty());
    assert!(find(&bytes, b"\x1b_Ga=t").is_empty() && find(&bytes, b"\x1b_Ga=p").is_empty());
    assert!(!find(&bytes, "▀".as_bytes()).is_empty());
    // Taller again: the whole preview fits and the picture replaces the half blocks.
    let mut screen = Screen::new(80, 24);
    screen.graphics = Graphics::Kitty;
    let bytes = screen.draw(&app, true).bytes;
    assert_eq!(screen.ui.graphics.len(), 1);
    assert_eq!(find(&bytes, b"\x1b_Ga=t").len(), 1);
    assert_eq!(find(&bytes, b"\x1b_Ga=p").len(), 1);
}
