//! The half-block image preview on screen: a tiny generated image, decoded and scaled the way
//! the runtime does, drawn under its message (snapshot of the cells, and their colours).

use std::sync::Arc;
use std::time::Instant;

use gilt::app::{App, Msg};
use gilt::protocol::content::{Block, MediaKind, RichText};
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
    let mut app = base_app(now);
    app.settings.images = true;
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
    let preview = gilt::runtime::images::decode(&tiny_png()).unwrap();
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
