//! Inline images end to end: the built-in server serves the demo PNG, its welcome channel has
//! a message with an image node pointing at it, and gilt on a pseudo-terminal fetches it over
//! loopback and draws a half-block preview under the message.

use std::time::Duration;

use gilt::server::ServerConfig;

use crate::support::pty::{PtyApp, xdg_env};
use crate::support::temp_dir;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_serves_the_demo_png_and_the_demo_message_points_at_it() {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let origin = server.api_url().trim_end_matches("/api").to_owned();
    let resp = reqwest::get(format!("{origin}/media/demo.png"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    let bytes = resp.bytes().await.unwrap();
    let img = image::load_from_memory(&bytes).unwrap();
    assert_eq!(
        (img.width(), img.height()),
        gilt::server::media::DEMO_PNG_SIZE
    );
    let preview = gilt::runtime::images::decode(&bytes).unwrap();
    assert!(preview.pixels.iter().any(Option::is_some));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_image_is_previewed_under_its_message() {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let (email, password) = server.credentials();
    let dir = temp_dir("pty-images");
    let mut env = xdg_env(&dir);
    env.push(("GILT_EMAIL".into(), email));
    env.push(("GILT_PASSWORD".into(), password));
    let (api_url, gateway_url) = (server.api_url(), server.gateway_url());
    let term = PtyApp::spawn(
        &["--api-url", &api_url, "--gateway-url", &gateway_url],
        &env,
        30,
        110,
    );
    term.wait_for_text("Our new banner", WAIT).await;
    // A block of half-block cells with true colours appears under the message: the image was
    // fetched from the server over loopback, decoded and drawn.
    term.wait_until("a coloured preview is drawn", WAIT, |screen| {
        let (rows, cols) = screen.size();
        let (rows, cols) = (rows.get(), cols.get());
        let banner = (0..rows).find(|&r| {
            screen
                .contents_between(r, 0, r, cols)
                .contains("Our new banner")
        });
        let Some(banner) = banner else { return false };
        let coloured_rows = (banner + 1..rows)
            .filter(|&r| {
                (0..cols)
                    .filter_map(|c| screen.cell(r, c))
                    .filter(|cell| {
                        matches!(cell.contents(), "▀" | "▄")
                            && matches!(cell.fgcolor(), vt100::Color::Rgb(..))
                    })
                    .count()
                    >= 20
            })
            .count();
        coloured_rows >= 4
    })
    .await;
    assert!(!term.contents().contains("✗ image"), "{}", term.contents());
}
