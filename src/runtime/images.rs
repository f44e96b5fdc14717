//! Fetching image previews: an `http(s)` GET capped at [`MAX_BYTES`], then decode and scale
//! on the blocking pool, so neither the network nor the decoder ever delays a frame. The
//! answer goes back to the reducer as `Msg::ImageLoaded`.

use std::io::Cursor;
use std::sync::Arc;
use std::time::Duration;

use image::imageops::FilterType;
use tokio::sync::Semaphore;
use tokio::sync::mpsc::UnboundedSender;

use crate::app::Msg;
use crate::app::images::{PREVIEW_COLS, PREVIEW_ROWS, Preview};
use crate::app::links::is_web;

/// The largest image body fetched.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// The largest decoded image accepted (each side), against decompression bombs.
const MAX_SIDE: u32 = 8192;
/// Memory the decoder may use.
const MAX_DECODE_ALLOC: u64 = 128 * 1024 * 1024;
/// Fetches running at once.
pub const AT_ONCE: usize = 4;
const TIMEOUT: Duration = Duration::from_secs(20);

/// The HTTP client for images: no cookies (the API session stays with the API), a timeout.
pub fn client() -> Option<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .map_err(|e| tracing::warn!("no HTTP client for images: {e}"))
        .ok()
}

/// Fetch, decode and scale `url` in the background; the answer goes to `results`.
pub fn spawn_fetch(
    client: Option<reqwest::Client>,
    limit: Arc<Semaphore>,
    url: String,
    results: UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let result = match client {
            Some(client) => {
                let _permit = limit.acquire().await;
                preview(&client, &url).await
            }
            None => Err("no HTTP client".to_owned()),
        };
        if let Err(reason) = &result {
            tracing::info!("image {url}: {reason}");
        }
        let _ = results.send(Msg::ImageLoaded { url, result });
    });
}

async fn preview(client: &reqwest::Client, url: &str) -> Result<Arc<Preview>, String> {
    let bytes = fetch(client, url).await?;
    tokio::task::spawn_blocking(move || decode(&bytes))
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
    Ok(Preview {
        width,
        height,
        pixels,
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
    fn bytes_that_are_not_an_image_are_a_clear_error() {
        let err = decode(b"<html>nope</html>").unwrap_err();
        assert!(err.starts_with("not an image"), "{err}");
    }
}
