//! Inline images end to end: the built-in server serves the demo PNG, its welcome channel has
//! a message with an image node pointing at it, and gilt on a pseudo-terminal fetches it over
//! loopback and draws a preview under the message: half blocks by default (the pty answers no
//! terminal query), the kitty graphics protocol with `image_protocol = "kitty"`.

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

/// gilt against `server` on a 30×110 pty with `config` as its config file.
fn spawn(server: &gilt::server::ServerHandle, name: &str, config: &str) -> PtyApp {
    spawn_with(server, name, config, &[])
}

/// The same, with `extra` set in the environment.
fn spawn_with(
    server: &gilt::server::ServerHandle,
    name: &str,
    config: &str,
    extra: &[(&str, &str)],
) -> PtyApp {
    let (email, password) = server.credentials();
    let dir = temp_dir(name);
    let mut env = xdg_env(&dir);
    env.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    env.push(("GILT_EMAIL".into(), email));
    env.push(("GILT_PASSWORD".into(), password));
    let config_dir = dir.join("xdg_config_home/gilt");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(config_dir.join("config.toml"), config).unwrap();
    let (api_url, gateway_url) = (server.api_url(), server.gateway_url());
    PtyApp::spawn(
        &["--api-url", &api_url, "--gateway-url", &gateway_url],
        &env,
        30,
        110,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_image_is_previewed_under_its_message() {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let term = spawn(&server, "pty-images", "image_protocol = \"halfblocks\"\n");
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
    // No image protocol bytes.
    let raw = term.raw_output();
    assert!(!raw.contains("\x1b_Ga=t") && !raw.contains("\x1b_Ga=p"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_image_protocol_kitty_the_image_reaches_the_terminal_as_kitty_graphics() {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let term = spawn(&server, "pty-kitty", "image_protocol = \"kitty\"\n");
    term.wait_for_text("Our new banner", WAIT).await;
    // A kitty transmission of a PNG (base64 of the PNG signature starts `iVBORw0KGgo`),
    // then its placement by id.
    let start = "\x1b_Ga=t,f=100,i=";
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let raw = term.raw_output();
        if let Some(at) = raw.find(start) {
            let rest = &raw[at..];
            let payload = &rest[rest.find(';').unwrap() + 1..];
            assert!(payload.starts_with("iVBORw0KGgo"), "{}", &payload[..40]);
            let id = rest[start.len()..].split(',').next().unwrap();
            let place = format!("\x1b_Ga=p,i={id},q=2,C=1,");
            if raw.contains(&place) {
                break;
            }
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no kitty image in the output"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Its cells were not drawn as half blocks.
    let half_blocks = term.with_screen(|screen| {
        let (rows, cols) = screen.size();
        (0..rows.get())
            .flat_map(|r| (0..cols.get()).map(move |c| (r, c)))
            .filter(|&(r, c)| screen.cell(r, c).is_some_and(|cell| cell.contents() == "▀"))
            .count()
    });
    assert_eq!(half_blocks, 0, "{}", term.contents());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inside_tmux_the_start_up_probe_sends_no_kitty_query() {
    // tmux takes the query (an APC string) for the pane's title, which stayed behind after
    // gilt quit; and it never passes graphics through by default. The test pty answers the
    // first queries (DA1), so outside tmux the kitty query follows them.
    const KITTY_QUERY: &str = "\x1b_Gi=31,";
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let plain = spawn(&server, "pty-probe-plain", "");
    plain.wait_for_text("Our new banner", WAIT).await;
    assert!(plain.raw_output().contains(KITTY_QUERY));
    let tmux = spawn_with(
        &server,
        "pty-probe-tmux",
        "",
        &[("TMUX", "/tmp/tmux-0/default,1,0")],
    );
    tmux.wait_for_text("Our new banner", WAIT).await;
    assert!(!tmux.raw_output().contains(KITTY_QUERY));
}
