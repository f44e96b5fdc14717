//! Fetching image previews: an `http(s)` GET capped at [`MAX_BYTES`], then decode, scale and
//! (for a terminal with an image protocol) encode on the blocking pool, so neither the
//! network, the decoder nor the encoder ever delays a frame. The answer goes back to the
//! reducer as `Msg::ImageLoaded`. The encoded image is made for the cell size the terminal
//! reported at start-up and travels with the preview in the model's bounded cache, so it is
//! cached per image and cell size.

use std::io::Cursor;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use image::imageops::FilterType;
use tokio::sync::Semaphore;
use tokio::sync::mpsc::UnboundedSender;

use crate::app::Msg;
use crate::app::images::{Graphic, ImageHosts, PREVIEW_COLS, PREVIEW_ROWS, Preview};
use crate::app::links::is_web;
use crate::termcaps::Graphics;

/// What previews are encoded for besides half blocks: a graphics protocol and one cell's size
/// in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub graphics: Graphics,
    pub cell_px: (u16, u16),
}

/// The next kitty image id.
static KITTY_IDS: AtomicU32 = AtomicU32::new(1);

/// The cell size assumed when the terminal did not tell (a common 10×20 font).
pub const DEFAULT_CELL_PX: (u16, u16) = (10, 20);

/// The largest image body fetched.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// The largest decoded image accepted (each side), against decompression bombs.
const MAX_SIDE: u32 = 8192;
/// Memory the decoder may use.
const MAX_DECODE_ALLOC: u64 = 128 * 1024 * 1024;
/// Fetches running at once.
pub const AT_ONCE: usize = 4;
const TIMEOUT: Duration = Duration::from_secs(20);

/// Redirects followed for one image.
const MAX_REDIRECTS: usize = 5;

/// The HTTP client for images: no cookies (the API session stays with the API), a timeout,
/// and redirects followed only within the host asked or to one of `hosts` (an allowed host
/// must not be able to send the fetch on to a tracker).
pub fn client(hosts: ImageHosts) -> Option<reqwest::Client> {
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        let first_host = attempt.previous().first().and_then(|u| u.host_str());
        let same_host = first_host.is_some() && attempt.url().host_str() == first_host;
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if same_host || hosts.allows(attempt.url().as_str()) {
            attempt.follow()
        } else {
            attempt.stop()
        }
    });
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(policy)
        .build()
        .map_err(|e| tracing::warn!("no HTTP client for images: {e}"))
        .ok()
}

/// Fetch, decode and scale `url` in the background; the answer goes to `results`.
pub fn spawn_fetch(
    client: Option<reqwest::Client>,
    limit: Arc<Semaphore>,
    url: String,
    target: Option<Target>,
    results: UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let result = match client {
            Some(client) => {
                let _permit = limit.acquire().await;
                preview(&client, &url, target).await
            }
            None => Err("no HTTP client".to_owned()),
        };
        if let Err(reason) = &result {
            tracing::info!("image {url}: {reason}");
        }
        let _ = results.send(Msg::ImageLoaded { url, result });
    });
}

async fn preview(
    client: &reqwest::Client,
    url: &str,
    target: Option<Target>,
) -> Result<Arc<Preview>, String> {
    let bytes = fetch(client, url).await?;
    tokio::task::spawn_blocking(move || decode_for(&bytes, target))
        .await
        .map_err(|e| format!("decoder stopped: {e}"))?
        .map(Arc::new)
}

/// The body of `url`, refused when larger than [`MAX_BYTES`] (by header or while reading).
async fn fetch(client: &reqwest::Client, url: &str) -> Result<Vec<u8>, String> {
    if !is_web(url) {
        return Err("not an http(s) link".to_owned());
    }
    let mut resp = client
        .get(url)
        .send()
        .await
        .map_err(|e| format!("could not fetch: {}", without_url(&e)))?;
    let status = resp.status();
    if !status.is_success() {
        return Err(format!("the server answered {status}"));
    }
    let too_big = || format!("larger than {} MB", MAX_BYTES / (1024 * 1024));
    if resp.content_length().is_some_and(|n| n > MAX_BYTES as u64) {
        return Err(too_big());
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| format!("could not fetch: {}", without_url(&e)))?
    {
        if body.len() + chunk.len() > MAX_BYTES {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn without_url(e: &reqwest::Error) -> String {
    let mut s = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    // The innermost cause says what went wrong; reqwest's own text repeats the URL.
    while let Some(err) = source {
        s = err.to_string();
        source = err.source();
    }
    s
}

/// Decode an image and scale it to fit the preview box: `PREVIEW_COLS` pixels wide and two
/// pixels per preview row (a half block is about square), keeping its aspect ratio.
pub fn decode(bytes: &[u8]) -> Result<Preview, String> {
    decode_for(bytes, None)
}

/// [`decode`], and with a `target` also the image encoded for its protocol, fitted into the
/// cells the half-block preview takes.
pub fn decode_for(bytes: &[u8], target: Option<Target>) -> Result<Preview, String> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("not an image: {e}"))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    if reader.format().is_none() {
        return Err("not an image (unknown format)".to_owned());
    }
    let image = reader.decode().map_err(|e| format!("not an image: {e}"))?;
    let scaled = image
        .resize(
            u32::from(PREVIEW_COLS),
            u32::from(PREVIEW_ROWS) * 2,
            FilterType::Triangle,
        )
        .to_rgba8();
    let (Ok(width), Ok(height)) = (
        u16::try_from(scaled.width()),
        u16::try_from(scaled.height()),
    ) else {
        return Err("image too large".to_owned());
    };
    let pixels = scaled
        .pixels()
        .map(|p| {
            let [r, g, b, a] = p.0;
            (a >= 128).then_some([r, g, b])
        })
        .collect();
    let mut preview = Preview {
        width,
        height,
        pixels,
        graphic: None,
    };
    if let Some(target) = target {
        let (cols, rows) = preview.cells();
        preview.graphic = encode(&image, cols, rows, target).map(Arc::new);
    }
    Ok(preview)
}

/// `image` fitted (aspect kept) into `cols` × `rows` cells of the target's size, as the
/// target protocol's bytes. None for half blocks, or if PNG encoding fails (then half blocks).
fn encode(image: &image::DynamicImage, cols: u16, rows: u16, target: Target) -> Option<Graphic> {
    let (cw, ch) = target.cell_px;
    if cols == 0 || rows == 0 || cw == 0 || ch == 0 {
        return None;
    }
    let box_h = u32::from(rows) * u32::from(ch);
    // Sixel draws six pixel rows at a time: a height that is a multiple of six cannot spill
    // into the row under the box.
    let box_h = if target.graphics == Graphics::Sixel && box_h >= 6 {
        box_h - box_h % 6
    } else {
        box_h
    };
    let fitted = image.resize(u32::from(cols) * u32::from(cw), box_h, FilterType::Triangle);
    // The cells the fitted image covers (at most the box).
    let used_cols = fitted
        .width()
        .div_ceil(u32::from(cw))
        .clamp(1, u32::from(cols)) as u16;
    let used_rows = fitted
        .height()
        .div_ceil(u32::from(ch))
        .clamp(1, u32::from(rows)) as u16;
    let png = || {
        let mut out = Cursor::new(Vec::new());
        fitted
            .write_to(&mut out, image::ImageFormat::Png)
            .map_err(|e| tracing::info!("image not encoded as PNG: {e}"))
            .ok()
            .map(|()| out.into_inner())
    };
    let mut kitty = None;
    let bytes = match target.graphics {
        Graphics::HalfBlocks => return None,
        Graphics::Kitty => {
            // Ids only need to differ within this run (the terminal keeps them per program
            // screen); zero is not an id.
            let id = KITTY_IDS.fetch_add(1, Ordering::Relaxed).max(1);
            kitty = Some((id, crate::graphics::kitty_place(id, used_cols, used_rows)));
            crate::graphics::kitty_transmit(&png()?, id)
        }
        Graphics::Iterm2 => crate::graphics::iterm2(&png()?, used_cols, used_rows),
        Graphics::Sixel => {
            let rgba = fitted.to_rgba8();
            let pixels: Vec<Option<[u8; 3]>> = rgba
                .pixels()
                .map(|p| {
                    let [r, g, b, a] = p.0;
                    (a >= 128).then_some([r, g, b])
                })
                .collect();
            crate::graphics::sixel(rgba.width() as usize, rgba.height() as usize, &pixels)
        }
    };
    Some(Graphic {
        cols,
        rows,
        bytes,
        kitty,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(width, height, |x, _| {
            if x < width / 2 {
                image::Rgba([255, 0, 0, 255])
            } else {
                image::Rgba([0, 0, 255, 0])
            }
        });
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_wide_image_is_scaled_into_the_box_keeping_its_shape_and_transparency() {
        let p = decode(&png(400, 100)).unwrap();
        assert_eq!((p.width, p.height), (PREVIEW_COLS, 12));
        assert_eq!(p.pixel(0, 0), Some([255, 0, 0]));
        assert_eq!(p.pixel(PREVIEW_COLS - 1, 0), None);
    }

    #[test]
    fn with_a_target_the_image_is_encoded_for_the_preview_box() {
        let wide = png(400, 100);
        for (graphics, start) in [
            (Graphics::Kitty, "\x1b_Ga=t,f=100,i="),
            (Graphics::Iterm2, "\x1b]1337;File=inline=1;"),
            (Graphics::Sixel, "\x1bP0;1;0q\"1;1;480;120"),
        ] {
            let target = Target {
                graphics,
                cell_px: (10, 20),
            };
            let p = decode_for(&wide, Some(target)).unwrap();
            let g = p.graphic.as_deref().unwrap();
            // The box the half blocks take: 48 columns, 12 pixel rows = 6 rows.
            assert_eq!((g.cols, g.rows), (PREVIEW_COLS, 6));
            let text = String::from_utf8_lossy(&g.bytes);
            assert!(text.starts_with(start), "{graphics:?}: {}", &text[..60]);
            // Kitty shows it by id, over the cells the fitted picture covers.
            if let Some((id, place)) = &g.kitty {
                let place = String::from_utf8_lossy(place);
                assert_eq!(place, format!("\x1b_Ga=p,i={id},q=2,C=1,c=48,r=6\x1b\\"));
                assert!(text.starts_with(&format!("\x1b_Ga=t,f=100,i={id},q=2,")));
            }
        }
        // Sixel's height is kept to whole bands of six pixel rows: 8 rows of 19 pixels give
        // 152, so the picture is fitted into 150 (300 × 150 for a 2:1 image).
        let sixel = Target {
            graphics: Graphics::Sixel,
            cell_px: (10, 19),
        };
        let p = decode_for(&png(8, 4), Some(sixel)).unwrap();
        let g = p.graphic.as_deref().unwrap();
        assert_eq!((g.cols, g.rows), (32, 8));
        assert!(g.bytes.starts_with(b"\x1bP0;1;0q\"1;1;300;150#"));
        let halfblocks = Target {
            graphics: Graphics::HalfBlocks,
            cell_px: (10, 20),
        };
        assert_eq!(decode_for(&wide, Some(halfblocks)).unwrap().graphic, None);
        assert_eq!(decode(&wide).unwrap().graphic, None);
    }

    /// A loopback HTTP server: `/r` redirects to `location`, anything else is a PNG.
    async fn redirecting_server(location: impl Fn(u16) -> String + Send + 'static) -> u16 {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let body = png(4, 2);
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let reply = if head.starts_with("GET /r ") {
                    format!(
                        "HTTP/1.1 302 Found\r\nLocation: {}\r\nContent-Length: 0\r\n\
                         Connection: close\r\n\r\n",
                        location(port)
                    )
                    .into_bytes()
                } else {
                    let mut r = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\n\
                         Connection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    r.extend_from_slice(&body);
                    r
                };
                let _ = sock.write_all(&reply).await;
            }
        });
        port
    }

    #[tokio::test]
    async fn redirects_are_followed_within_the_host_or_to_an_allowed_one_only() {
        // To another host (localhost is not 127.0.0.1 as a name): stopped unless allowed.
        let port = redirecting_server(|port| format!("http://localhost:{port}/x.png")).await;
        let url = format!("http://127.0.0.1:{port}/r");
        let strict = client(ImageHosts::new(&["127.0.0.1"])).unwrap();
        let err = preview(&strict, &url, None).await.unwrap_err();
        assert!(err.contains("302"), "{err}");
        let both = client(ImageHosts::new(&["127.0.0.1", "localhost"])).unwrap();
        let p = preview(&both, &url, None).await.unwrap();
        assert_eq!((p.width, p.height), (32, 16));
        // Within the same host: followed.
        let port = redirecting_server(|port| format!("http://127.0.0.1:{port}/x.png")).await;
        let url = format!("http://127.0.0.1:{port}/r");
        assert!(preview(&strict, &url, None).await.is_ok());
    }

    #[test]
    fn bytes_that_are_not_an_image_are_a_clear_error() {
        let err = decode(b"<html>nope</html>").unwrap_err();
        assert!(err.starts_with("not an image"), "{err}");
    }
}
