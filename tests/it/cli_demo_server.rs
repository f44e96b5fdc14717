//! `gilt demo-server` as a user runs it: it prints one JSON line with working URLs and
//! credentials, serves REST and the gateway there, and stops cleanly on SIGTERM.

use std::process::Stdio;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

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
    let cookie = |name: &str| {
        login
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix(&format!("{name}=")))
            .map(|c| c.split(';').next().unwrap().to_owned())
            .unwrap()
    };
    let mid = cookie("guilded_mid");
    let session = cookie("hmac_signed_session");

    // The announced gateway says hello with the Guilded query.
    let url = format!(
        "{gateway}/socket.io/?jwt=undefined&EIO=3&transport=websocket&guildedClientId={mid}"
    );
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "cookie",
        format!("hmac_signed_session={session}").parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
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

/// The first line of stderr and stdout of `gilt demo-server --listen <listen>` (then stopped).
async fn first_lines(listen: &str) -> (String, String) {
    let dir = temp_dir("ds-warn");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_gilt"))
        .args(["demo-server", "--listen", listen])
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
    let stdout = tokio::time::timeout(Duration::from_secs(20), out.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    // The announce line comes after any warning: stderr has what it will have before it.
    child.kill().await.unwrap();
    let mut stderr = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr)
        .await
        .unwrap();
    (stderr, stdout)
}

#[tokio::test]
async fn a_demo_server_open_to_the_network_warns_that_its_password_is_public() {
    let (stderr, announce) = first_lines("0.0.0.0:0").await;
    assert!(
        stderr.contains("reachable from other machines") && stderr.contains("password is public"),
        "{stderr:?}"
    );
    assert!(announce.starts_with('{'), "{announce}");
    let (stderr, _) = first_lines("127.0.0.1:0").await;
    assert_eq!(stderr, "", "no warning on loopback");
}
