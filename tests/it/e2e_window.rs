//! End to end, the bounded window: a channel with more history than memory keeps, partly in
//! the local store (from an earlier run) and partly only on the server (posted while gilt was
//! not running), read from the newest message back to the first with the mouse wheel. Every screen
//! shows an unbroken run of the channel, and every message is seen: the server's pages, the
//! gap between them and the store, and the store's pages join without a hole or a repeat.

use std::collections::BTreeSet;
use std::time::Duration;

use gilt::server::{ServerConfig, ServerHandle};

use crate::e2e_pty::{first_channel, login};
use crate::support::pty::{PtyApp, xdg_env};
use crate::support::temp_dir;

const WAIT: Duration = Duration::from_secs(30);
/// The mouse wheel, up, over the timeline (SGR encoding): three messages a step, so even a
/// step the terminal delivers twice cannot jump past a message unseen (PageUp moves half a
/// screen, and two of them would).
const WHEEL_UP: &[u8] = b"\x1b[<64;60;12M";

/// Post `line-NNNN` for each number, each at its own millisecond (pages are asked for by
/// time; messages of one instant would be a page boundary's problem, not this test's).
fn post_lines(
    server: &ServerHandle,
    author: &str,
    channel: &str,
    numbers: std::ops::RangeInclusive<u32>,
) {
    for n in numbers {
        let before = jiff::Timestamp::now().as_millisecond();
        server
            .post_as(author, channel, &format!("line-{n:04}"), false)
            .unwrap();
        while jiff::Timestamp::now().as_millisecond() == before {
            std::hint::spin_loop();
        }
    }
}

/// The `line-NNNN` numbers on screen, top to bottom.
fn numbers_on(screen: &str) -> Vec<u32> {
    screen
        .match_indices("line-")
        .filter_map(|(i, _)| screen.get(i + 5..i + 9)?.parse().ok())
        .collect()
}

/// The screen once two looks in a row agree (not a frame half drawn).
async fn settled(term: &PtyApp) -> String {
    let mut last = term.contents();
    loop {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let now = term.contents();
        if now == last {
            return now;
        }
        last = now;
    }
}

/// Scroll up (the wheel) from the newest to `line-0001`; every screen is checked to be one unbroken,
/// ordered run. Returns every number seen.
async fn read_back_to_the_first(term: &PtyApp, newest: u32) -> BTreeSet<u32> {
    term.wait_for_text(&format!("line-{newest:04}"), WAIT).await;
    let mut seen = BTreeSet::new();
    let mut previous = String::new();
    loop {
        let screen = settled(term).await;
        let shown = numbers_on(&screen);
        assert!(
            shown.windows(2).all(|w| w[1] == w[0] + 1),
            "a screen with a hole or a repeat: {shown:?}\n{screen}"
        );
        // The view moved back by less than a screen: it joins the screen before.
        let above = numbers_on(&previous).first().copied();
        assert!(
            above.is_none_or(|above| shown.last().is_some_and(|&last| last + 1 >= above)),
            "the view skipped messages; before:\n{previous}\nafter:\n{screen}"
        );
        previous = screen;
        seen.extend(shown.iter().copied());
        let top = shown.first().copied().unwrap_or(u32::MAX);
        if top == 1 {
            return seen;
        }
        term.send(WHEEL_UP).await;
        term.wait_until("the view moved back", WAIT, |s| {
            numbers_on(&s.contents()).first().is_some_and(|&t| t < top)
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scrolling_back_past_the_window_through_server_and_store_pages_shows_every_message_once() {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let world = server.world();
    let (email, password) = server.credentials();
    let (api, me) = login(&server, &email, &password).await;
    let channel = first_channel(&api, &me).await;
    let peer = world
        .users
        .iter()
        .find(|(id, _)| *id != world.demo_user_id)
        .unwrap()
        .0
        .clone();
    post_lines(&server, &peer, channel.as_str(), 1..=500);

    let dir = temp_dir("e2e-window");
    let env = {
        let mut env = xdg_env(&dir);
        env.push(("GILT_EMAIL".into(), email.clone()));
        env.push(("GILT_PASSWORD".into(), password.clone()));
        env
    };
    // A small window, so that a few hundred messages are many windows.
    let config = dir.join("xdg_config_home/gilt");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "history_limit = 100\nmouse = true\n",
    )
    .unwrap();
    let (api_url, gateway_url) = (server.api_url(), server.gateway_url());
    let args = ["--api-url", &api_url, "--gateway-url", &gateway_url];

    // First run: read the whole channel back (from the server; now it is in the store).
    let mut term = PtyApp::spawn(&args, &env, 30, 110);
    let seen = read_back_to_the_first(&term, 500).await;
    assert_eq!(seen, (1..=500).collect());
    term.send(b"\x03").await;
    assert!(term.wait_exit(WAIT).await.success());

    // Said while gilt was not running: only on the server, more than a page of it.
    post_lines(&server, &peer, channel.as_str(), 501..=650);

    // Second run: the newest pages from the server, across the gap to what the store holds,
    // then the store's pages, to the first message.
    let mut term = PtyApp::spawn(&args, &env, 30, 110);
    let seen = read_back_to_the_first(&term, 650).await;
    assert_eq!(seen, (1..=650).collect());
    term.send(b"\x03").await;
    assert!(term.wait_exit(WAIT).await.success());
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
