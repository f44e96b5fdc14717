//! Run the real `gilt` binary in a pseudo-terminal and read its screen back with vt100,
//! as a person at a terminal would see it.

use std::num::NonZeroU16;
use std::path::Path;
use std::process::ExitStatus;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::Child;

/// A running program on a pty, with its screen parsed as it draws.
pub struct PtyApp {
    child: Child,
    writer: Arc<tokio::sync::Mutex<pty_process::OwnedWritePty>>,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    pts: pty_process::Pts,
}

/// Isolated XDG directories for one test run.
pub fn xdg_env(root: &Path) -> Vec<(String, String)> {
    [
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_STATE_HOME",
        "XDG_CACHE_HOME",
    ]
    .iter()
    .map(|var| {
        let dir = root.join(var.to_lowercase());
        std::fs::create_dir_all(&dir).unwrap();
        ((*var).to_owned(), dir.display().to_string())
    })
    .collect()
}

impl PtyApp {
    /// Start `gilt` with `args` and `env` on a `rows`×`cols` pty.
    pub fn spawn(args: &[&str], env: &[(String, String)], rows: u16, cols: u16) -> PtyApp {
        let (pty, pts) = pty_process::open().unwrap();
        pty.resize(pty_process::Size::new(rows, cols)).unwrap();
        let mut cmd = pty_process::Command::new(env!("CARGO_BIN_EXE_gilt"))
            .args(args)
            .env("TERM", "xterm-256color")
            .env_remove("RUST_LOG")
            .env_remove("GILT_EMAIL")
            .env_remove("GILT_PASSWORD")
            .kill_on_drop(true);
        for (k, v) in env {
            cmd = cmd.env(k, v);
        }
        let child = cmd.spawn_borrowed(&pts).unwrap();
        let (mut reader, writer) = pty.into_split();
        let writer = Arc::new(tokio::sync::Mutex::new(writer));
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (screen2, raw2, writer2) = (screen.clone(), raw.clone(), writer.clone());
        tokio::spawn(async move {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                let chunk = &buf[..n];
                // Answer "primary device attributes" like a real terminal, so crossterm's
                // capability queries return at once instead of timing out.
                if chunk.windows(3).any(|w| w == b"\x1b[c") {
                    let _ = writer2.lock().await.write_all(b"\x1b[?62c").await;
                }
                screen2.lock().unwrap().process(chunk);
                raw2.lock().unwrap().extend_from_slice(chunk);
            }
        });
        PtyApp {
            child,
            writer,
            screen,
            raw,
            pts,
        }
    }

    /// Type bytes as if on the keyboard.
    pub async fn send(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().await;
        w.write_all(bytes).await.unwrap();
        w.flush().await.unwrap();
    }

    /// The visible screen text.
    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Everything the program wrote, raw.
    pub fn raw_output(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Run `check` on the parsed screen.
    pub fn with_screen<T>(&self, check: impl FnOnce(&vt100::Screen) -> T) -> T {
        check(self.screen.lock().unwrap().screen())
    }

    /// Wait until the screen contains `needle`; panics with the screen after `timeout`.
    pub async fn wait_for_text(&self, needle: &str, timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if self.contents().contains(needle) {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for {needle:?}; screen:\n{}",
                self.contents()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Wait until `check` holds on the parsed screen (output may still be in flight after the
    /// program exits); panics with `what` and the screen after `timeout`.
    pub async fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        check: impl Fn(&vt100::Screen) -> bool,
    ) {
        let deadline = tokio::time::Instant::now() + timeout;
        while !self.with_screen(&check) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting until {what}; screen:\n{}",
                self.contents()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Wait for the program to exit.
    pub async fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        match tokio::time::timeout(timeout, self.child.wait()).await {
            Ok(status) => status.unwrap(),
            Err(elapsed) => panic!(
                "program did not exit ({elapsed}); screen:\n{}",
                self.contents()
            ),
        }
    }

    /// The process id (to send signals).
    pub fn pid(&self) -> u32 {
        self.child.id().unwrap()
    }

    /// The tty's line settings as `stty -a` reports them, read on the same pty after the
    /// program exits: shows whether raw mode was left on.
    pub async fn stty(&self) -> String {
        let out = pty_process::Command::new("stty")
            .arg("-a")
            .stdout(std::process::Stdio::piped())
            .spawn_borrowed(&self.pts)
            .unwrap()
            .wait_with_output()
            .await
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// Whether `stty -a` output shows a cooked (not raw) terminal.
pub fn is_cooked(stty: &str) -> bool {
    let words: Vec<&str> = stty.split_whitespace().collect();
    words.contains(&"icanon") && words.contains(&"echo")
}
