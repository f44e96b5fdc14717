//! `gilt demo-server` as a user runs it: it prints one JSON line with working URLs and
//! credentials, serves REST and the gateway there, and stops cleanly on SIGTERM.

use std::process::Stdio;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::support::temp_dir;

#[tokio::test]
async fn demo_server_announces_working_urls_and_login() {
    let dir = temp_dir("ds");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_gilt"))
        .args(["demo-server", "--listen", "127.0.0.1:0"])
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let announce: serde_json::Value = serde_json::from_str(&line).unwrap();
    let api = announce["api"].as_str().unwrap();
    let gateway = announce["gateway"].as_str().unwrap();
    assert!(
        api.starts_with("http://127.0.0.1:") && api.ends_with("/api"),
        "{api}"
    );
    assert!(gateway.starts_with("ws://127.0.0.1:"), "{gateway}");

    // The announced credentials log in and yield the gateway's client id.
    let http = reqwest::Client::new();
    let login = http
        .post(format!("{api}/login"))
        .json(&serde_json::json!({
            "email": announce["email"], "password": announce["password"]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let mid = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("guilded_mid="))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .unwrap();

    // The announced gateway says hello with the Guilded query.
    let url = format!(
        "{gateway}/socket.io/?jwt=undefined&EIO=3&transport=websocket&guildedClientId={mid}"
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let hello = ws.next().await.unwrap().unwrap().into_text().unwrap();
    assert!(hello.starts_with("0{"), "{hello}");

    let pid = child.id().unwrap().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status:?}");
}
