//! Image protocols as bytes: kitty graphics, iTerm2 inline images and sixel. Pure: each
//! function turns pixels (or a PNG) into the escape sequence that draws them at the cursor;
//! `runtime::images` calls them off the UI thread and `tui` writes the result where the
//! preview's cells are.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The most base64 one kitty chunk may carry.
pub const KITTY_CHUNK: usize = 4096;

/// Kitty graphics: transmit a PNG as image `id` without showing it (`a=t,f=100`), in base64
/// chunks of at most [`KITTY_CHUNK`] bytes (`m=1` on all but the last); [`kitty_place`] then
/// shows it, as often as needed, without sending it again. `q=2`: the terminal answers
/// nothing (an answer would arrive as input).
pub fn kitty_transmit(png: &[u8], id: u32) -> Vec<u8> {
    let data = STANDARD.encode(png);
    let chunks: Vec<&[u8]> = if data.is_empty() {
        vec![&[]]
    } else {
        data.as_bytes().chunks(KITTY_CHUNK).collect()
    };
    let mut out = Vec::with_capacity(data.len() + chunks.len() * 16 + 48);
    for (i, chunk) in chunks.iter().enumerate() {
        let more = u8::from(i + 1 < chunks.len());
        if i == 0 {
            out.extend_from_slice(format!("\x1b_Ga=t,f=100,i={id},q=2,m={more};").as_bytes());
        } else {
            out.extend_from_slice(format!("\x1b_Gm={more};").as_bytes());
        }
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\x1b\\");
    }
    out
}

/// Kitty: show image `id` at the cursor over `cols` × `rows` cells; `C=1`: the cursor stays.
pub fn kitty_place(id: u32, cols: u16, rows: u16) -> Vec<u8> {
    format!("\x1b_Ga=p,i={id},q=2,C=1,c={cols},r={rows}\x1b\\").into_bytes()
}

/// Kitty: delete every placement on the screen, keeping the images (`a=d,d=a`), quietly.
pub const KITTY_DELETE_PLACEMENTS: &[u8] = b"\x1b_Ga=d,d=a,q=2\x1b\\";

/// Kitty: delete image `id` and free its data.
pub fn kitty_free(id: u32) -> Vec<u8> {
    format!("\x1b_Ga=d,d=I,i={id},q=2\x1b\\").into_bytes()
}

/// Kitty: delete every placement and free the images shown (`a=d,d=A`), quietly.
pub const KITTY_DELETE_ALL: &[u8] = b"\x1b_Ga=d,d=A,q=2\x1b\\";

/// iTerm2 inline image: a PNG fitted into `cols` × `rows` cells, keeping its aspect ratio.
pub fn iterm2(png: &[u8], cols: u16, rows: u16) -> Vec<u8> {
    let data = STANDARD.encode(png);
    let mut out = format!(
        "\x1b]1337;File=inline=1;size={};width={cols};height={rows};preserveAspectRatio=1:",
        png.len()
    )
    .into_bytes();
    out.extend_from_slice(data.as_bytes());
    out.push(0x07);
    out
}

/// Sixel: `width` × `height` pixels, row-major, `None` transparent (left as it is). At most 256
/// colours: the image's own when it has that few, else the nearest of a 6×7×6 colour cube.
pub fn sixel(width: usize, height: usize, pixels: &[Option<[u8; 3]>]) -> Vec<u8> {
    let (palette, index) = quantise(pixels);
    // DCS with P2 = 1 (pixels not drawn keep what is there), raster attributes 1:1 and size.
    let mut out = format!("\x1bP0;1;0q\"1;1;{width};{height}").into_bytes();
    for (i, [r, g, b]) in palette.iter().enumerate() {
        let pct = |c: u8| u32::from(c) * 100 / 255;
        out.extend_from_slice(format!("#{i};2;{};{};{}", pct(*r), pct(*g), pct(*b)).as_bytes());
    }
    let at = |x: usize, y: usize| -> Option<u8> {
        if x >= width || y >= height {
            return None;
        }
        index.get(y * width + x).copied().flatten()
    };
    for band in 0..height.div_ceil(6) {
        // Only the colours this band uses (a band is six rows of a picture of hundreds).
        let mut used = [false; 256];
        for y in band * 6..(band * 6 + 6).min(height) {
            for x in 0..width {
                if let Some(c) = at(x, y) {
                    used[usize::from(c)] = true;
                }
            }
        }
        let mut first = true;
        for colour in (0..palette.len()).filter(|&c| used[c]) {
            let colour = colour as u8;
            // Each column's six bits for this colour.
            let bits: Vec<u8> = (0..width)
                .map(|x| {
                    (0..6).fold(0u8, |acc, dy| {
                        if at(x, band * 6 + dy) == Some(colour) {
                            acc | (1 << dy)
                        } else {
                            acc
                        }
                    })
                })
                .collect();
            if !first {
                // Back to the start of the band for the next colour.
                out.push(b'$');
            }
            first = false;
            out.extend_from_slice(format!("#{colour}").as_bytes());
            run_length(&mut out, &bits);
        }
        if band + 1 < height.div_ceil(6) {
            out.push(b'-');
        }
    }
    out.extend_from_slice(b"\x1b\\");
    out
}

/// Sixel characters for `bits` (one per column), runs of four or more as `!n<char>`.
fn run_length(out: &mut Vec<u8>, bits: &[u8]) {
    let mut i = 0;
    while i < bits.len() {
        let b = bits[i];
        let n = bits[i..].iter().take_while(|&&c| c == b).count();
        let ch = 0x3f + b;
        if n >= 4 {
            out.extend_from_slice(format!("!{n}").as_bytes());
            out.push(ch);
        } else {
            out.extend(std::iter::repeat_n(ch, n));
        }
        i += n;
    }
}

/// A palette of at most 256 colours and each pixel's index in it.
fn quantise(pixels: &[Option<[u8; 3]>]) -> (Vec<[u8; 3]>, Vec<Option<u8>>) {
    let mut palette: Vec<[u8; 3]> = Vec::new();
    let mut exact: std::collections::HashMap<[u8; 3], u8> = std::collections::HashMap::new();
    for p in pixels.iter().flatten() {
        if !exact.contains_key(p) {
            if palette.len() == 256 {
                return cube(pixels);
            }
            exact.insert(*p, palette.len() as u8);
            palette.push(*p);
        }
    }
    let index = pixels
        .iter()
        .map(|p| p.and_then(|p| exact.get(&p).copied()))
        .collect();
    (palette, index)
}

/// The nearest colour of a 6 (red) × 7 (green) × 6 (blue) cube, 252 colours.
fn cube(pixels: &[Option<[u8; 3]>]) -> (Vec<[u8; 3]>, Vec<Option<u8>>) {
    const LEVELS: [usize; 3] = [6, 7, 6];
    let level = |c: u8, n: usize| (usize::from(c) * (n - 1) + 127) / 255;
    let value = |l: usize, n: usize| (l * 255 / (n - 1)) as u8;
    let mut palette = Vec::with_capacity(252);
    for r in 0..LEVELS[0] {
        for g in 0..LEVELS[1] {
            for b in 0..LEVELS[2] {
                palette.push([
                    value(r, LEVELS[0]),
                    value(g, LEVELS[1]),
                    value(b, LEVELS[2]),
                ]);
            }
        }
    }
    let index = pixels
        .iter()
        .map(|p| {
            p.map(|[r, g, b]| {
                let (r, g, b) = (
                    level(r, LEVELS[0]),
                    level(g, LEVELS[1]),
                    level(b, LEVELS[2]),
                );
                ((r * LEVELS[1] + g) * LEVELS[2] + b) as u8
            })
        })
        .collect();
    (palette, index)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The APC strings of a kitty sequence: (control keys, payload).
    fn kitty_chunks(bytes: &[u8]) -> Vec<(String, String)> {
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        text.split("\x1b\\")
            .filter(|s| !s.is_empty())
            .map(|s| {
                let body = s.strip_prefix("\x1b_G").unwrap();
                let (keys, payload) = body.split_once(';').unwrap();
                (keys.to_owned(), payload.to_owned())
            })
            .collect()
    }

    #[test]
    fn kitty_sends_the_png_in_chunks_of_at_most_4096_with_m_flags() {
        // 7000 bytes → 9336 base64 characters → 4096 + 4096 + 1144.
        let png: Vec<u8> = (0..7000u32).map(|i| (i % 251) as u8).collect();
        let chunks = kitty_chunks(&kitty_transmit(&png, 7));
        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0].0, "a=t,f=100,i=7,q=2,m=1");
        assert_eq!(chunks[1].0, "m=1");
        assert_eq!(chunks[2].0, "m=0");
        let sizes: Vec<usize> = chunks.iter().map(|c| c.1.len()).collect();
        assert_eq!(sizes, vec![4096, 4096, 1144]);
        let joined: String = chunks.iter().map(|c| c.1.as_str()).collect();
        assert_eq!(STANDARD.decode(joined).unwrap(), png);
    }

    #[test]
    fn a_small_kitty_image_is_one_chunk_with_m_0_and_is_placed_by_id() {
        let chunks = kitty_chunks(&kitty_transmit(b"png", 9));
        assert_eq!(
            chunks,
            vec![("a=t,f=100,i=9,q=2,m=0".to_owned(), "cG5n".to_owned())]
        );
        assert_eq!(
            kitty_place(9, 3, 1),
            b"\x1b_Ga=p,i=9,q=2,C=1,c=3,r=1\x1b\\".to_vec()
        );
        assert_eq!(kitty_free(9), b"\x1b_Ga=d,d=I,i=9,q=2\x1b\\".to_vec());
    }

    #[test]
    fn iterm2_names_size_cells_and_aspect_then_the_base64_and_bel() {
        let out = String::from_utf8(iterm2(b"png", 40, 8)).unwrap();
        assert_eq!(
            out,
            "\x1b]1337;File=inline=1;size=3;width=40;height=8;preserveAspectRatio=1:cG5n\x07"
        );
    }

    #[test]
    fn sixel_of_a_2x2_image_decoded_by_hand() {
        // Red, green / blue, transparent.
        let px = [
            Some([255, 0, 0]),
            Some([0, 255, 0]),
            Some([0, 0, 255]),
            None,
        ];
        let out = String::from_utf8(sixel(2, 2, &px)).unwrap();
        // Palette in first-seen order: 0 red, 1 green, 2 blue (percent). One band of six
        // rows: red is bit 0 of column 0 ('?'+1 = '@'), nothing in column 1 ('?');
        // green bit 0 of column 1; blue bit 1 (row 1) of column 0 ('?'+2 = 'A').
        assert_eq!(
            out,
            "\x1bP0;1;0q\"1;1;2;2#0;2;100;0;0#1;2;0;100;0#2;2;0;0;100\
             #0@?$#1?@$#2A?\x1b\\"
        );
    }

    #[test]
    fn sixel_bands_runs_and_the_colour_cube() {
        // 5 wide, 7 high, one colour: two bands, runs of five compressed.
        let px = vec![Some([10, 20, 30]); 35];
        let out = String::from_utf8(sixel(5, 7, &px)).unwrap();
        assert!(out.ends_with("#0!5~-#0!5@\x1b\\"), "{out}");
        // More than 256 colours: the cube, 252 entries, every pixel has one.
        let many: Vec<Option<[u8; 3]>> = (0..300u32)
            .map(|i| Some([(i % 256) as u8, (i / 2) as u8, 7]))
            .collect();
        let (palette, index) = quantise(&many);
        assert_eq!(palette.len(), 252);
        assert!(index.iter().all(Option::is_some));
        // Black and white land on the cube's corners.
        let (palette, index) = cube(&[Some([0, 0, 0]), Some([255, 255, 255])]);
        assert_eq!(palette[usize::from(index[0].unwrap())], [0, 0, 0]);
        assert_eq!(palette[usize::from(index[1].unwrap())], [255, 255, 255]);
    }
}
