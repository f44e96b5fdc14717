//! Image preview cost off the UI thread: one fetched picture decoded and scaled to the
//! half-block preview, and with a graphics protocol also encoded for the terminal (kitty and
//! iTerm2: a PNG fitted into the preview's cells; sixel: quantised to at most 256 colours).
//! All of it runs on the blocking pool, never on the frame's path; the figures say how long
//! an image waits after its bytes arrive, and how many bytes each protocol writes when the
//! picture is placed. Figures and the command are in BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gilt::runtime::images::{Target, decode_for};
use gilt::termcaps::Graphics;

/// A 1024 × 512 photo-like PNG: smooth gradients with per-pixel noise, so it has far more
/// than 256 colours (sixel quantises it) and compresses like a photograph, not a flat logo.
fn photo() -> Vec<u8> {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let img = image::RgbImage::from_fn(1024, 512, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let noise = (seed % 24) as u32;
        image::Rgb([
            ((x * 255 / 1024 + noise) % 256) as u8,
            ((y * 255 / 512 + noise) % 256) as u8,
            (((x + y) * 255 / 1536 + noise) % 256) as u8,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn images(c: &mut Criterion) {
    let png = photo();
    let targets = [
        ("halfblocks", None),
        ("kitty", Some(Graphics::Kitty)),
        ("iterm2", Some(Graphics::Iterm2)),
        ("sixel", Some(Graphics::Sixel)),
    ];
    for (name, graphics) in targets {
        let target = graphics.map(|graphics| Target {
            graphics,
            cell_px: (10, 20),
        });
        let p = decode_for(&png, target).unwrap();
        let bytes = p.graphic.as_ref().map_or(0, |g| g.bytes.len());
        eprintln!(
            "{name}: {} × {} cells, {bytes} bytes to the terminal per placement",
            p.cells().0,
            p.cells().1
        );
    }
    let mut group = c.benchmark_group("image_preview_1024x512");
    group.sample_size(20);
    for (name, graphics) in targets {
        let target = graphics.map(|graphics| Target {
            graphics,
            cell_px: (10, 20),
        });
        group.bench_function(name, |b| {
            b.iter(|| decode_for(black_box(&png), target).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, images);
criterion_main!(benches);
