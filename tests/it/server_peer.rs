//! The built-in server against the reference client: npm `socket.io-client@2.5.0` (a Node
//! script in `tests/peer/client-peer/`). Installs its npm packages into `target/peer-client`
//! on first run. Without node/npm it prints SKIPPED and passes, unless `CI=true`.

use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

use crate::support::raw_client::{Api, Gw, start_with};
use crate::support::tools::{install_peer, node_available};

#[tokio::test]
async fn socket_io_client_2_5_0_talks_to_the_server() {
    if !node_available("server_peer") {
        return;
    }
    let dir = tokio::task::spawn_blocking(|| {
        install_peer(
            "client-peer",
            "peer-client",
            "socket.io-client",
            &["client.js"],
        )
    })
    .await
    .unwrap();

    let server = start_with(|c| {
        c.ping_interval = Duration::from_millis(300);
        c.ping_timeout = Duration::from_secs(10);
    })
    .await;
    // The watcher below does not ping; the long timeout keeps it open for the whole run.
    let w = server.world();
    let general = w.channel("general").unwrap().id.clone();
    // Another member watches the channel, to see the script's typing notice relayed.
    let ada = Api::logged_in_as(&server, "ada").await;
    let mut watcher = Gw::connect(&server, &ada, None).await;

    let (email, password) = server.credentials();
    let child = Command::new("node")
        .arg("client.js")
        .args([
            &server.api_url(),
            &server.gateway_url(),
            &email,
            &password,
            &general,
        ])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();

    // While the script runs, its socket is listed with the Guilded query.
    let peer = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            if let Some(s) = server
                .sockets()
                .into_iter()
                .find(|s| s.user_id == w.demo_user_id)
            {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the script's socket opened");
    let q = |k: &str| {
        peer.query
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(q("EIO").as_deref(), Some("3"));
    assert_eq!(q("transport").as_deref(), Some("websocket"));
    assert_eq!(q("jwt").as_deref(), Some("undefined"));
    assert_eq!(q("guildedClientId").map(|v| v.len()), Some(32));

    let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("node finished")
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(out.status.success(), "peer failed:\n{stdout}\n{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    let step = |name: &str| -> serde_json::Value {
        let line = lines
            .iter()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no {name} in:\n{stdout}"));
        serde_json::from_str(&line[name.len() + 1..]).unwrap()
    };
    assert_eq!(step("LOGIN")["userId"], w.demo_user_id.as_str());
    let connect = step("CONNECT");
    assert_eq!(connect["pingInterval"], 300);
    assert_eq!(connect["pingTimeout"], 10_000);
    assert_eq!(connect["upgrades"], serde_json::json!([]));
    assert_eq!(connect["transport"], "websocket");
    assert_eq!(connect["sid"], peer.sid.as_str());
    assert_eq!(step("PONG")["n"], 1);
    assert!(lines.iter().any(|l| l.starts_with("PONG {\"n\":2")));
    let created = step("MESSAGE_CREATED");
    assert_eq!(created["id"], step("SENT")["messageId"]);
    assert_eq!(created["createdBy"], w.demo_user_id.as_str());
    assert_eq!(created["channelType"], "Team");
    assert_eq!(lines.last().copied(), Some("OK"));
    // Ada's socket saw the script's typing notice and the same message (the two travel on
    // different connections, so either may come first).
    let (mut typing, mut message) = (None, None);
    while typing.is_none() || message.is_none() {
        let frame = watcher.next().await;
        match crate::support::raw_client::parse_event(&frame) {
            Some((name, payload)) if name == "ChatChannelTyping" => typing = Some(payload),
            Some((name, payload)) if name == "ChatMessageCreated" => message = Some(payload),
            _ => {}
        }
    }
    let (typing, message) = (typing.unwrap(), message.unwrap());
    assert_eq!(typing["userId"], w.demo_user_id.as_str());
    assert_eq!(typing["channelId"], general.as_str());
    assert_eq!(message["message"]["id"], created["id"]);
}
