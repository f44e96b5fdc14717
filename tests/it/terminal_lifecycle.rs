//! The real binary in a pseudo-terminal: the terminal is always left as it was found —
//! after Ctrl-C, after a panic (the report is shown after the restore and logged), and after
//! SIGTERM/SIGHUP — and a bad config (a bad key binding too) fails before the terminal is
//! touched.

use std::time::Duration;

use crate::support::pty::{PtyApp, is_cooked, xdg_env};
use crate::support::temp_dir;

const WAIT: Duration = Duration::from_secs(20);

async fn assert_restored(app: &PtyApp) {
    app.wait_until("the terminal is restored", WAIT, |s| {
        !s.alternate_screen() && !s.hide_cursor() && !s.bracketed_paste()
    })
    .await;
}

#[tokio::test]
async fn ctrl_c_quits_and_restores_the_terminal() {
    let dir = temp_dir("lifecycle");
    let mut app = PtyApp::spawn(&["--demo"], &xdg_env(&dir), 24, 80);
    app.wait_for_text("welcome", WAIT).await;
    assert!(app.with_screen(vt100::Screen::alternate_screen));
    app.send(b"\x03").await;
    let status = app.wait_exit(WAIT).await;
    assert!(status.success(), "exit status {status:?}");
    assert_restored(&app).await;
    assert!(is_cooked(&app.stty().await), "raw mode left on");
}

#[tokio::test]
async fn a_panic_restores_the_terminal_then_shows_and_logs_the_report() {
    let dir = temp_dir("lifecycle");
    let mut env = xdg_env(&dir);
    env.push(("GILT_TEST_PANIC".into(), "1".into()));
    env.push(("RUST_BACKTRACE".into(), "0".into()));
    let mut app = PtyApp::spawn(&["--demo"], &env, 24, 80);
    let status = app.wait_exit(WAIT).await;
    assert!(!status.success());
    assert_restored(&app).await;
    assert!(is_cooked(&app.stty().await), "raw mode left on");
    // The report is printed after leaving the alternate screen, so it is on the main screen.
    app.wait_for_text("GILT_TEST_PANIC was set", WAIT).await;
    let raw = app.raw_output();
    let left_alt = raw
        .rfind("\x1b[?1049l")
        .expect("never left the alternate screen");
    let report = raw.rfind("GILT_TEST_PANIC was set").unwrap();
    assert!(
        report > left_alt,
        "report printed before the terminal was restored"
    );
    let log = std::fs::read_to_string(dir.join("xdg_state_home/gilt/gilt.log")).unwrap();
    assert!(
        log.contains("GILT_TEST_PANIC was set"),
        "panic not logged:\n{log}"
    );
}

#[tokio::test]
async fn sigterm_and_sighup_restore_the_terminal() {
    for signal in ["TERM", "HUP"] {
        let dir = temp_dir("lifecycle");
        let mut app = PtyApp::spawn(&["--demo"], &xdg_env(&dir), 24, 80);
        app.wait_for_text("welcome", WAIT).await;
        let killed = std::process::Command::new("kill")
            .args([format!("-{signal}"), app.pid().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        app.wait_exit(WAIT).await;
        assert_restored(&app).await;
        assert!(
            is_cooked(&app.stty().await),
            "raw mode left on after SIG{signal}"
        );
    }
}

#[tokio::test]
async fn a_bad_config_fails_before_touching_the_terminal() {
    let dir = temp_dir("lifecycle");
    let env = xdg_env(&dir);
    let config_dir = dir.join("xdg_config_home/gilt");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("config.toml"),
        "clock = \"24h\"\nsend_typnig = false\n",
    )
    .unwrap();
    let mut app = PtyApp::spawn(&[], &env, 24, 100);
    let status = app.wait_exit(WAIT).await;
    assert_eq!(status.code(), Some(2));
    app.wait_for_text("config.toml:2: key `send_typnig`", WAIT)
        .await;
    app.wait_for_text("did you mean `send_typing`?", WAIT).await;
    assert!(
        !app.raw_output().contains("\x1b[?1049h"),
        "entered the alternate screen"
    );
}

#[tokio::test]
async fn a_bad_key_binding_fails_before_touching_the_terminal() {
    let dir = temp_dir("lifecycle");
    let env = xdg_env(&dir);
    let config_dir = dir.join("xdg_config_home/gilt");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("config.toml"),
        "clock = \"24h\"\n\n[keys]\nquit = \"<C-Foo>\"\n",
    )
    .unwrap();
    let mut app = PtyApp::spawn(&["--demo"], &env, 24, 100);
    let status = app.wait_exit(WAIT).await;
    assert_eq!(status.code(), Some(2));
    app.wait_for_text("config.toml:4: key `keys.quit`: bad key chord", WAIT)
        .await;
    assert!(
        !app.raw_output().contains("\x1b[?1049h"),
        "entered the alternate screen"
    );
}
