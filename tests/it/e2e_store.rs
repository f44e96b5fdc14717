//! End to end with the local message store: the real `gilt` binary on a pty, started, quit,
//! and started again while the built-in server refuses connections: the history is on screen
//! from the store, a message typed while offline waits, and it reaches the server exactly once
//! when the server is back; the reading state (drafts, read markers) kept in the store, and in
//! `state.json` only with `--no-store`.

use std::time::Duration;

use gilt::api::MessageQuery;
use gilt::server::ServerConfig;

use crate::e2e_pty::{first_channel, login};
use crate::support::pty::{PtyApp, xdg_env};
use crate::support::temp_dir;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_is_read_offline_from_the_store_and_offline_sends_go_out_once_when_back() {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let world = server.world();
    let (email, password) = server.credentials();
    let (api, me) = login(&server, &email, &password).await;
    let first = first_channel(&api, &me).await;
    let (peer_id, _) = world
        .users
        .iter()
        .find(|(id, _)| *id != world.demo_user_id)
        .unwrap()
        .clone();

    let dir = temp_dir("e2e-store");
    let mut env = xdg_env(&dir);
    env.push(("GILT_EMAIL".into(), email.clone()));
    env.push(("GILT_PASSWORD".into(), password.clone()));
    let (api_url, gateway_url) = (server.api_url(), server.gateway_url());
    let args = ["--api-url", &api_url, "--gateway-url", &gateway_url];

    // First run, online: a message arrives and is on screen (and so in the store).
    let mut term = PtyApp::spawn(&args, &env, 30, 110);
    term.wait_until("connected", WAIT, |s| s.contents().contains("connected"))
        .await;
    server
        .post_as(&peer_id, first.as_str(), "remember me offline", true)
        .unwrap();
    term.wait_for_text("remember me offline", WAIT).await;
    term.send(b"\x03").await;
    assert!(term.wait_exit(WAIT).await.success());

    // Second run, the server down: the history comes from the store, marked offline.
    let outage = server.faults().go_down().await.unwrap();
    let mut term = PtyApp::spawn(&args, &env, 30, 110);
    term.wait_for_text("remember me offline", WAIT).await;
    term.wait_for_text("cached", WAIT).await;
    term.wait_for_text("offline", WAIT).await;

    // Typed while offline: it waits for the connection.
    term.send(b"written while offline").await;
    term.send(b"\r").await;
    term.wait_for_text("sent when the connection is back", WAIT)
        .await;

    // The server is back: the message reaches it once, and the cached mark goes.
    outage.end().await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    let count = loop {
        let page = api
            .messages(
                &first,
                &MessageQuery {
                    limit: Some(50),
                    ..MessageQuery::default()
                },
            )
            .await;
        let count = page.map_or(0, |p| {
            p.messages
                .iter()
                .filter(|m| m.content.plain_text() == "written while offline")
                .count()
        });
        if count > 0 {
            break count;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the offline message never reached the server; screen:\n{}",
            term.contents()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(count, 1);
    term.wait_until("the live data replaced the cache", WAIT, |s| {
        !s.contents().contains("cached")
    })
    .await;
    term.send(b"\x03").await;
    assert!(term.wait_exit(WAIT).await.success());
    server.shutdown().await;

    // `gilt export` writes the channel's stored history, the server gone.
    let name = world
        .teams
        .iter()
        .flat_map(|t| &t.channels)
        .find(|c| c.id == first.as_str())
        .unwrap()
        .name
        .clone();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gilt"))
        .args(["--api-url", &api_url, "export", "--channel", &name])
        .args(["--format", "txt"])
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains(": remember me offline"), "{text}");
    assert!(text.contains(": written while offline"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_f_finds_a_message_from_another_team_and_opens_it() {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let world = server.world();
    let (email, password) = server.credentials();
    let (api, me) = login(&server, &email, &password).await;
    let first = first_channel(&api, &me).await;
    // A chat channel of a team other than the one shown first, that we are a member of.
    let (other_team, other) = world
        .teams
        .iter()
        .filter(|t| t.member_ids.contains(&world.demo_user_id))
        .filter(|t| !t.channels.iter().any(|c| c.id == first.as_str()))
        .find_map(|t| {
            t.channels
                .iter()
                .find(|c| c.content_type == "chat")
                .map(|c| (t.clone(), c.clone()))
        })
        .expect("the test world has a second team with a chat channel");
    let peer = other_team
        .member_ids
        .iter()
        .find(|id| **id != world.demo_user_id)
        .unwrap()
        .clone();

    let dir = temp_dir("e2e-search");
    let mut env = xdg_env(&dir);
    env.push(("GILT_EMAIL".into(), email.clone()));
    env.push(("GILT_PASSWORD".into(), password.clone()));
    let (api_url, gateway_url) = (server.api_url(), server.gateway_url());
    let args = ["--api-url", &api_url, "--gateway-url", &gateway_url];
    let mut term = PtyApp::spawn(&args, &env, 30, 110);
    term.wait_until("connected", WAIT, |s| s.contents().contains("connected"))
        .await;
    // Said in the other team while we look at the first channel: stored, not on screen.
    server
        .post_as(&peer, &other.id, "the zeppelin lands at noon", true)
        .unwrap();

    // Ctrl-F, a word: the message is found (the store may still be writing it: results come
    // as you type, so type again until it is there).
    term.send(b"\x06").await;
    term.wait_for_text("Search", WAIT).await;
    term.send(b"zeppel").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while !term.contents().contains("zeppelin lands") {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never found; screen:\n{}",
            term.contents()
        );
        // Backspace and the letter again: a new search.
        term.send(b"\x7fl").await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let screen = term.contents();
    assert!(
        screen.contains(&format!("{} › {}", other_team.name, other.name)),
        "the result names its channel; screen:\n{screen}"
    );

    // Enter opens the other team's channel at the message.
    term.send(b"\r").await;
    term.wait_until("the channel of the result is open", WAIT, |s| {
        let text = s.contents();
        !text.contains("Search") && text.contains("the zeppelin lands at noon")
    })
    .await;
    term.wait_for_text(&other_team.name, WAIT).await;
    term.send(b"\x03").await;
    assert!(term.wait_exit(WAIT).await.success());
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_searches_a_throwaway_store_that_is_gone_when_it_ends() {
    let dir = temp_dir("demo-store");
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut env = xdg_env(&dir);
    env.push(("TMPDIR".into(), tmp.display().to_string()));
    let demo_stores = || {
        std::fs::read_dir(&tmp)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("gilt-demo-"))
            .count()
    };
    let mut app = PtyApp::spawn(&["--demo"], &env, 30, 120);
    app.wait_for_text("House rules", WAIT).await;
    assert_eq!(
        demo_stores(),
        1,
        "the demo keeps its store in a private temp dir"
    );
    // The welcome channel's history was stored as it loaded: Ctrl-F finds it.
    app.send(b"\x06").await;
    app.send(b"rules").await;
    app.wait_for_text("Gilt Crew \u{203a} welcome", WAIT).await;
    app.send(b"\x1b").await;
    // Esc and Ctrl-C read together would be one Alt+Ctrl-C key: let the popup close first.
    app.wait_until("the search popup closed", WAIT, |s| {
        !s.contents().contains("Esc close")
    })
    .await;
    app.send(b"\x03").await;
    let status = app.wait_exit(WAIT).await;
    assert!(status.success(), "exit status {status:?}");
    assert_eq!(demo_stores(), 0, "the demo store is removed at the end");
    // Nothing went to the real state directory's store.
    assert!(!dir.join("xdg_state_home/gilt/store").exists());
}

/// The store file(s) under an XDG state directory.
fn store_files(state_home: &std::path::Path) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.file_name().is_some_and(|n| n == "store.sqlite3") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&state_home.join("gilt/store"), &mut out);
    out
}

/// With the store the reading state lives in it: a draft typed and a channel read are there
/// after quitting (no `state.json` is written) and the draft is back after a restart. With
/// `--no-store`, `state.json` keeps them as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_and_read_markers_survive_a_restart_in_the_store_and_without_it_in_state_json() {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let world = server.world();
    let (email, password) = server.credentials();
    let (api, me) = login(&server, &email, &password).await;
    let first = first_channel(&api, &me).await;
    let (peer_id, _) = world
        .users
        .iter()
        .find(|(id, _)| *id != world.demo_user_id)
        .unwrap()
        .clone();

    let dir = temp_dir("e2e-state");
    let mut env = xdg_env(&dir);
    env.push(("GILT_EMAIL".into(), email.clone()));
    env.push(("GILT_PASSWORD".into(), password.clone()));
    let state_home = dir.join("xdg_state_home");
    let state_json = state_home.join("gilt/state.json");
    let (api_url, gateway_url) = (server.api_url(), server.gateway_url());
    let args = ["--api-url", &api_url, "--gateway-url", &gateway_url];

    // With the store: a message is read in the open channel, a draft typed, quit.
    let mut term = PtyApp::spawn(&args, &env, 30, 110);
    term.wait_until("connected", WAIT, |s| s.contents().contains("connected"))
        .await;
    server
        .post_as(&peer_id, first.as_str(), "read before quitting", true)
        .unwrap();
    term.wait_for_text("read before quitting", WAIT).await;
    term.send(b"kept in the store").await;
    term.wait_for_text("kept in the store", WAIT).await;
    term.send(b"\x03").await;
    assert!(term.wait_exit(WAIT).await.success());
    assert!(!state_json.exists(), "no state.json with the store");
    let files = store_files(&state_home);
    assert_eq!(files.len(), 1, "{files:?}");
    let (draft, marker): (String, i64) = {
        let conn = rusqlite::Connection::open(&files[0]).unwrap();
        let draft = conn
            .query_row(
                "SELECT text FROM drafts WHERE channel_id = ?1",
                [first.as_str()],
                |r| r.get(0),
            )
            .unwrap();
        let marker = conn
            .query_row(
                "SELECT seen_at FROM read_markers WHERE channel_id = ?1",
                [first.as_str()],
                |r| r.get(0),
            )
            .unwrap();
        (draft, marker)
    };
    assert_eq!(draft, "kept in the store");
    let read = stored_message_time(&files[0], "read before quitting");
    assert!(
        marker >= read,
        "the marker ({marker}) reaches the message read ({read})"
    );

    // Restarted, the draft is back in the composer.
    let mut term = PtyApp::spawn(&args, &env, 30, 110);
    term.wait_until("connected", WAIT, |s| s.contents().contains("connected"))
        .await;
    term.wait_for_text("kept in the store", WAIT).await;
    term.send(b"\x03").await;
    assert!(term.wait_exit(WAIT).await.success());
    assert!(!state_json.exists(), "still no state.json");

    // --no-store: the state file keeps the draft and the read marker.
    let no_store = [
        "--no-store",
        "--api-url",
        &api_url,
        "--gateway-url",
        &gateway_url,
    ];
    let mut term = PtyApp::spawn(&no_store, &env, 30, 110);
    term.wait_until("connected", WAIT, |s| s.contents().contains("connected"))
        .await;
    term.wait_for_text("read before quitting", WAIT).await;
    term.send(b"\x15without the store").await;
    term.wait_for_text("without the store", WAIT).await;
    term.send(b"\x03").await;
    assert!(term.wait_exit(WAIT).await.success());
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state_json).unwrap()).unwrap();
    assert_eq!(saved["drafts"][first.as_str()], "without the store");
    assert!(
        saved["read_markers"][first.as_str()].is_string(),
        "a read marker in state.json: {saved}"
    );

    // Back with the store: that newer state.json is merged in, so its draft is shown.
    let mut term = PtyApp::spawn(&args, &env, 30, 110);
    term.wait_for_text("without the store", WAIT).await;
    term.send(b"\x03").await;
    assert!(term.wait_exit(WAIT).await.success());
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// When the message with this text was created (µs), as the store has it.
fn stored_message_time(file: &std::path::Path, text: &str) -> i64 {
    let conn = rusqlite::Connection::open(file).unwrap();
    conn.query_row(
        "SELECT created_at FROM messages WHERE text = ?1",
        [text],
        |r| r.get(0),
    )
    .unwrap()
}
