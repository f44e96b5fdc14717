//! What gilt writes to the terminal beyond drawing, read raw from a pseudo-terminal: focus
//! reporting, the window title with the unread total (restored on exit), OSC 9 notifications
//! for a DM, OSC 8 hyperlinks and OSC 52 for `o` over SSH, and the terminal handed to a
//! scripted `$VISUAL` and taken back, and (with `mouse = true`) a click opening a channel.

use std::time::Duration;

use gilt::server::ServerConfig;

use crate::support::pty::{PtyApp, xdg_env};
use crate::support::temp_dir;

const WAIT: Duration = Duration::from_secs(30);

/// Wait until the raw output holds `needle`.
async fn wait_for_bytes(term: &PtyApp, needle: &str) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !term.raw_output().contains(needle) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {needle:?} in the output:\n{:?}",
            term.raw_output()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dm_notifies_with_osc_9_and_the_title_counts_unread() {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let world = server.world();
    let (email, password) = server.credentials();
    let dm = world.dms.first().expect("the test world has a DM").clone();
    let partner = dm
        .user_ids
        .iter()
        .find(|id| **id != world.demo_user_id)
        .unwrap()
        .clone();
    let partner_name = world
        .users
        .iter()
        .find(|(id, _)| *id == partner)
        .unwrap()
        .1
        .clone();

    let dir = temp_dir("osc");
    let mut env = xdg_env(&dir);
    env.push(("GILT_EMAIL".into(), email));
    env.push(("GILT_PASSWORD".into(), password));
    // A terminal that takes OSC 9, outside tmux.
    env.push(("TERM_PROGRAM".into(), "WezTerm".into()));
    env.push(("TMUX".into(), String::new()));
    let (api_url, gateway_url) = (server.api_url(), server.gateway_url());
    let mut term = PtyApp::spawn(
        &["--api-url", &api_url, "--gateway-url", &gateway_url],
        &env,
        30,
        110,
    );
    // Focus reporting is asked for, the old title saved and ours set.
    wait_for_bytes(&term, "\x1b]2;gilt").await;
    let raw = term.raw_output();
    assert!(raw.contains("\x1b[?1004h"), "focus reporting not enabled");
    let saved = raw.find("\x1b[22;0t").expect("title not saved");
    assert!(saved < raw.find("\x1b]2;gilt").unwrap());

    // Connected, with the first channel open.
    term.wait_for_text("connected", WAIT).await;
    // Its history is loaded: the newest welcome message is on screen (the oldest may be
    // scrolled off by the demo image's preview).
    term.wait_for_text("glad to be here", WAIT).await;

    // The partner writes (with an escape sequence that must not get through): one OSC 9.
    server
        .post_as(
            &partner,
            &dm.id,
            "psst \x1b]2;pwned\x07 from the pty test",
            true,
        )
        .unwrap();
    // The whole embedded sequence is stripped; the bell follows (`notify = "auto"`).
    let expected = format!("\x1b]9;{partner_name}: psst from the pty test\x07\x07");
    wait_for_bytes(&term, &expected).await;
    assert!(!term.raw_output().contains("pwned"));
    // The title counts it (a DM counts for you).
    wait_for_bytes(&term, "\x1b]2;gilt (1, 1 for you)\x07").await;

    // Ctrl-C: the title is restored after our last one, focus reporting turned off.
    term.send(b"\x03").await;
    let status = term.wait_exit(WAIT).await;
    assert!(status.success(), "exit status {status:?}");
    wait_for_bytes(&term, "\x1b[?1004l").await;
    let raw = term.raw_output();
    let restored = raw.rfind("\x1b[23;0t").expect("title not restored");
    assert!(restored > raw.rfind("\x1b]2;").unwrap());
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Standard base64 (what OSC 52 carries).
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_are_osc_8_hyperlinks_and_o_copies_one_over_ssh() {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let world = server.world();
    let (email, password) = server.credentials();
    // The channel the client opens first in this world.
    let general = world.channel("welcome").unwrap().clone();
    let author = general_member(&world, &general);

    let dir = temp_dir("osc8");
    let mut env = xdg_env(&dir);
    env.push(("GILT_EMAIL".into(), email));
    env.push(("GILT_PASSWORD".into(), password));
    env.push(("SSH_CONNECTION".into(), "10.0.0.1 50000 10.0.0.2 22".into()));
    env.push(("TMUX".into(), String::new()));
    let (api_url, gateway_url) = (server.api_url(), server.gateway_url());
    let mut term = PtyApp::spawn(
        &["--api-url", &api_url, "--gateway-url", &gateway_url],
        &env,
        30,
        110,
    );
    term.wait_for_text("connected", WAIT).await;
    term.wait_for_text("Message #welcome", WAIT).await;

    let url = "https://example.com/gilt?x=1";
    server
        .post_as(&author, &general.id, &format!("read {url} please"), true)
        .unwrap();
    term.wait_for_text("please", WAIT).await;
    // Every cell of the URL is a hyperlink to it (the first and last shown here).
    wait_for_bytes(&term, &format!("\x1b]8;;{url}\x1b\\h\x1b]8;;\x1b\\")).await;
    wait_for_bytes(&term, &format!("\x1b]8;;{url}\x1b\\1\x1b]8;;\x1b\\")).await;
    // The words around it are not ("read": letters the URL does not have; other links on
    // screen, like the demo image's, may have them).
    for c in ['r', 'd'] {
        assert!(
            !term
                .raw_output()
                .contains(&format!("\x1b]8;;{url}\x1b\\{c}\x1b]8;;"))
        );
    }

    // Alt-s selects the newest message, `o` copies its only link (over SSH) and says so.
    term.send(b"\x1bs").await;
    term.send(b"o").await;
    term.wait_for_text("Link copied (over SSH)", WAIT).await;
    wait_for_bytes(&term, &format!("\x1b]52;c;{}", base64(url.as_bytes()))).await;

    term.send(b"\x03").await;
    assert!(term.wait_exit(WAIT).await.success());
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Someone other than the demo user who can post in `channel`.
fn general_member(world: &gilt::server::WorldInfo, channel: &gilt::server::ChannelInfo) -> String {
    let team = world
        .teams
        .iter()
        .find(|t| Some(&t.id) == channel.team_id.as_ref())
        .unwrap();
    team.member_ids
        .iter()
        .find(|id| **id != world.demo_user_id)
        .unwrap()
        .clone()
}

#[tokio::test]
async fn alt_e_round_trips_the_draft_through_a_scripted_editor() {
    use std::os::unix::fs::PermissionsExt;

    let dir = temp_dir("editor");
    let mut env = xdg_env(&dir);
    // The "editor": records the file's mode and path, appends to the draft.
    let script = dir.join("editor.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nstat -c %a \"$1\" > {d}/mode\necho \"$1\" > {d}/path\nprintf ' and the editor' >> \"$1\"\n",
            d = dir.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    env.push(("VISUAL".into(), script.display().to_string()));
    env.push(("TMUX".into(), String::new()));
    let mut term = PtyApp::spawn(&["--demo"], &env, 24, 100);
    term.wait_for_text("welcome", WAIT).await;
    term.send(b"typed").await;
    term.wait_for_text("typed", WAIT).await;
    term.send(b"\x1be").await;
    term.wait_for_text("typed and the editor", WAIT).await;
    // Back on gilt's screen, the file was private and is gone.
    assert!(term.with_screen(vt100::Screen::alternate_screen));
    let mode = std::fs::read_to_string(dir.join("mode")).unwrap();
    assert_eq!(mode.trim(), "600");
    let path = std::fs::read_to_string(dir.join("path")).unwrap();
    assert!(
        !std::path::Path::new(path.trim()).exists(),
        "draft file left"
    );
    // The terminal was handed over: the alternate screen was left and entered again.
    let raw = term.raw_output();
    assert!(raw.matches("\x1b[?1049h").count() >= 2, "not re-entered");
    assert!(raw.contains("\x1b[?1049l"), "never handed over");
    // Enter sends it: in the timeline, the composer empty again (its placeholder shows).
    assert!(!term.contents().contains("Message #"));
    term.send(b"\r").await;
    term.wait_until("the message is sent", WAIT, |s| {
        s.contents().contains("Message #") && s.contents().contains("typed and the editor")
    })
    .await;
    term.send(b"\x03").await;
    assert!(term.wait_exit(WAIT).await.success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_mouse_on_a_click_on_a_sidebar_channel_opens_it() {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let world = server.world();
    let (email, password) = server.credentials();
    // A chat channel other than the one opened first.
    let other = world.teams[0]
        .channels
        .iter()
        .find(|c| c.name != "welcome" && c.content_type == "chat")
        .unwrap()
        .name
        .clone();

    let dir = temp_dir("mouse");
    let mut env = xdg_env(&dir);
    env.push(("GILT_EMAIL".into(), email));
    env.push(("GILT_PASSWORD".into(), password));
    let config_dir = dir.join("xdg_config_home/gilt");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(config_dir.join("config.toml"), "mouse = true\n").unwrap();
    let (api_url, gateway_url) = (server.api_url(), server.gateway_url());
    let mut term = PtyApp::spawn(
        &["--api-url", &api_url, "--gateway-url", &gateway_url],
        &env,
        30,
        110,
    );
    term.wait_for_text("connected", WAIT).await;
    term.wait_for_text("Message #welcome", WAIT).await;
    // Mouse capture with SGR coordinates was asked for.
    wait_for_bytes(&term, "\x1b[?1006h").await;
    // The sidebar may still be filling in on a loaded machine.
    term.wait_for_text(&format!("# {other}"), WAIT).await;

    // Where the sidebar (the left columns) shows the other channel.
    let (x, y) = term.with_screen(|screen| {
        (0..30u16)
            .find_map(|row| {
                let line = screen.contents_between(row, 0, row, 28);
                line.find(&other).map(|col| (col, row))
            })
            .unwrap_or_else(|| panic!("#{other} not in the sidebar:\n{}", screen.contents()))
    });
    let (x, y) = (x + 1, usize::from(y) + 1); // SGR coordinates are 1-based.
    term.send(format!("\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m").as_bytes())
        .await;
    term.wait_for_text(&format!("Message #{other}"), WAIT).await;

    term.send(b"\x03").await;
    assert!(term.wait_exit(WAIT).await.success());
    // Capture is released with the rest of the terminal.
    wait_for_bytes(&term, "\x1b[?1006l").await;
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
