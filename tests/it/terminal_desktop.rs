//! `notify = "desktop"` on a private D-Bus session bus: a DM becomes a `Notify` call to
//! `org.freedesktop.Notifications` (watched with `dbus-monitor`), and no terminal notification
//! is written. Without `dbus-daemon` and `dbus-monitor` the test says SKIPPED and passes, except
//! in CI (`CI=true`), where it fails: `.ci/run` installs them.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gilt::server::ServerConfig;

use crate::support::pty::{PtyApp, xdg_env};
use crate::support::temp_dir;

const WAIT: Duration = Duration::from_secs(30);

/// A private session bus, stopped when dropped.
struct Bus {
    daemon: std::process::Child,
    address: String,
}

impl Bus {
    fn start() -> Option<Bus> {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let mut address = String::new();
        BufReader::new(daemon.stdout.take()?)
            .read_line(&mut address)
            .ok()?;
        let address = address.trim().to_owned();
        (!address.is_empty()).then_some(Bus { daemon, address })
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dm_is_a_desktop_notification_when_a_session_bus_is_there() {
    // `dbus-monitor` has no `--version`: found by its `--help`.
    let monitor_there = Command::new("dbus-monitor")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !crate::support::tools::required(
        "terminal_desktop",
        "dbus-daemon and dbus-monitor",
        crate::support::tools::tool_available("dbus-daemon") && monitor_there,
    ) {
        return;
    }
    let Some(bus) = Bus::start() else {
        // Fails in CI, says SKIPPED elsewhere.
        crate::support::tools::required("terminal_desktop", "a dbus-daemon that starts", false);
        return;
    };
    // Everything said on the bus to the notification service, line by line.
    let mut monitor = Command::new("dbus-monitor")
        .args([
            "--address",
            &bus.address,
            "interface='org.freedesktop.Notifications'",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let seen = Arc::new(Mutex::new(String::new()));
    let stdout = monitor.stdout.take().unwrap();
    let sink = Arc::clone(&seen);
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let mut s = sink.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });

    let server = gilt::server::start(ServerConfig::test()).await.unwrap();
    let world = server.world();
    let (email, password) = server.credentials();
    let dm = world.dms.first().unwrap().clone();
    let partner = dm
        .user_ids
        .iter()
        .find(|id| **id != world.demo_user_id)
        .unwrap()
        .clone();
    let dir = temp_dir("desktop");
    let mut env = xdg_env(&dir);
    env.push(("GILT_EMAIL".into(), email));
    env.push(("GILT_PASSWORD".into(), password));
    env.push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.address.clone()));
    env.push(("SSH_CONNECTION".into(), String::new()));
    env.push(("SSH_TTY".into(), String::new()));
    env.push(("TERM_PROGRAM".into(), "WezTerm".into()));
    let config_dir = dir.join("xdg_config_home/gilt");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(config_dir.join("config.toml"), "notify = \"desktop\"\n").unwrap();
    let (api_url, gateway_url) = (server.api_url(), server.gateway_url());
    let mut term = PtyApp::spawn(
        &["--api-url", &api_url, "--gateway-url", &gateway_url],
        &env,
        30,
        110,
    );
    // Its history is loaded: the newest welcome message is on screen (the oldest may be
    // scrolled off by the demo image's preview).
    term.wait_for_text("glad to be here", WAIT).await;
    server
        .post_as(&partner, &dm.id, "psst over the desktop bus", true)
        .unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let text = seen.lock().unwrap().clone();
        if text.contains("member=Notify") && text.contains("psst over the desktop bus") {
            assert!(text.contains("\"gilt\""), "app name: {text}");
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no Notify call on the bus:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The DM shows (its count) and no terminal notification was written.
    assert!(!term.raw_output().contains("\x1b]9;"), "OSC 9 written too");

    term.send(b"\x03").await;
    assert!(term.wait_exit(WAIT).await.success());
    let _ = monitor.kill();
    let _ = monitor.wait();
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
