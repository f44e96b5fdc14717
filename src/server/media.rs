//! Media the built-in server serves like Guilded's CDN: a small PNG generated at start, which
//! one demo message shows as an image node (so `--demo` has an inline preview to draw).

use std::io::Cursor;
use std::sync::LazyLock;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Where the demo image is served (the demo world's image node points here).
pub const DEMO_PNG_PATH: &str = "/media/demo.png";

/// Width and height of the demo image, in pixels.
pub const DEMO_PNG_SIZE: (u32, u32) = (96, 48);

/// The demo image: a gold sun over a blue-to-green sky and a dark ground band, with a
/// transparent notch in the corner (so transparency is exercised too).
pub fn demo_png() -> Option<Vec<u8>> {
    let (w, h) = DEMO_PNG_SIZE;
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (f64::from(x), f64::from(y));
        let sun = (fx - 64.0).powi(2) + (fy - 16.0).powi(2) < 100.0;
        if x < 8 && y < 8 {
            image::Rgba([0, 0, 0, 0])
        } else if sun {
            image::Rgba([245, 196, 48, 255])
        } else if y >= 36 {
            image::Rgba([40, 70, 40, 255])
        } else {
            let t = fy / 36.0;
            // Truncation is the point: a channel value from a 0..=1 blend.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let mix = |a: f64, b: f64| (a + (b - a) * t) as u8;
            image::Rgba([mix(40.0, 90.0), mix(90.0, 170.0), mix(200.0, 120.0), 255])
        }
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| tracing::warn!("cannot encode the demo image: {e}"))
        .ok()?;
    Some(out.into_inner())
}

static DEMO_PNG: LazyLock<Option<Vec<u8>>> = LazyLock::new(demo_png);

/// `GET /media/demo.png`.
pub(crate) async fn serve_demo_png() -> Response {
    match DEMO_PNG.as_ref() {
        Some(bytes) => ([(header::CONTENT_TYPE, "image/png")], bytes.clone()).into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
