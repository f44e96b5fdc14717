//! Reactions and emoji on a pseudo-terminal: emoji sequences whose width terminals disagree
//! on never reach the terminal as such, and the reaction picker reacts with the team's custom
//! reaction (from `/me`) through the real REST call; `w` shows who reacted.

use std::time::Duration;

use gilt::server::ServerConfig;

use crate::support::pty::{PtyApp, xdg_env};
use crate::support::raw_client::Api;
use crate::support::temp_dir;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emoji_sequences_are_written_terminal_safe_and_the_picker_sends_a_custom_reaction() {
    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let world = server.world();
    let (email, password) = server.credentials();
    let welcome = world.channel("welcome").unwrap().clone();
    let author = world.user_id("ada").unwrap().to_owned();

    let dir = temp_dir("pty-reactions");
    let mut env = xdg_env(&dir);
    env.push(("GILT_EMAIL".into(), email));
    env.push(("GILT_PASSWORD".into(), password));
    let (api_url, gateway_url) = (server.api_url(), server.gateway_url());
    let mut term = PtyApp::spawn(
        &["--api-url", &api_url, "--gateway-url", &gateway_url],
        &env,
        30,
        110,
    );
    term.wait_for_text("Message #welcome", WAIT).await;
    server
        .post_as(
            &author,
            &welcome.id,
            "I \u{2764}\u{fe0f} it \u{1f44d}\u{1f3fd}",
            true,
        )
        .unwrap();
    term.wait_for_text("I \u{2764} it \u{1f44d}", WAIT).await;
    // Not a selector or a skin tone was written: every cell is one the terminal agrees on.
    let raw = term.raw_output();
    assert!(!raw.contains('\u{fe0f}'), "VS16 written");
    assert!(!raw.contains('\u{1f3fd}'), "skin tone written");

    // Alt-s selects the new message; `+`, type, Enter: the team's :gilt: (id from /me).
    term.send(b"\x1bs").await;
    term.send(b"+").await;
    term.wait_for_text("React", WAIT).await;
    term.send(b"gilt").await;
    term.wait_for_text("custom", WAIT).await;
    term.send(b"\r").await;
    // The chip: a no-break space between the emoji and its count.
    term.wait_for_text(":gilt:\u{a0}1", WAIT).await;
    // The server has it, from the demo user.
    let api = Api::logged_in(&server).await;
    let demo = world.demo_user_id.clone();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let page = api
            .get(&format!("/channels/{}/messages?limit=5", welcome.id))
            .await;
        let reacted = page.body["messages"].as_array().unwrap().iter().any(|m| {
            m["reactions"].as_array().is_some_and(|rs| {
                rs.iter().any(|r| {
                    r["customReactionId"] == 239_901
                        && r["users"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|u| u["id"] == demo)
                })
            })
        });
        if reacted {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{}", page.body);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // `w`: who reacted.
    term.send(b"w").await;
    term.wait_for_text("Reactions", WAIT).await;
    term.wait_for_text("you", WAIT).await;
    term.send(b"\x1b").await;
    term.wait_until("the list closed", WAIT, |s| {
        !s.contents().contains("Reactions")
    })
    .await;

    term.send(b"\x03").await;
    assert!(term.wait_exit(WAIT).await.success());
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
