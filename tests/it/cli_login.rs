//! Logging in as a user does it, through the real binary on a pseudo-terminal against the
//! built-in server: a wrong password is refused with a clear message, `GILT_EMAIL` and
//! `GILT_PASSWORD` log in without a prompt, the session is kept in a 0600 file and reused
//! with no password, and `gilt logout` forgets it (`--forget`: the stored messages too).

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use gilt::server::{self, ServerConfig};

use crate::support::pty::{PtyApp, xdg_env};
use crate::support::temp_dir;

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn env_login_saves_a_private_session_that_the_next_start_reuses() {
    let server = server::start(ServerConfig::test()).await.unwrap();
    let (email, password) = server.credentials();
    let dir = temp_dir("login");
    let env = xdg_env(&dir);
    let urls = [
        "--api-url",
        &server.api_url(),
        "--gateway-url",
        &server.gateway_url(),
    ];

    // A wrong password from the environment: a clear error, no terminal mode change.
    let mut bad = env.clone();
    bad.push(("GILT_EMAIL".into(), email.clone()));
    bad.push(("GILT_PASSWORD".into(), "not-the-password".into()));
    let mut app = PtyApp::spawn(&urls, &bad, 24, 100);
    assert_eq!(app.wait_exit(WAIT).await.code(), Some(1));
    app.wait_for_text("cannot log in", WAIT).await;
    let session_file = dir.join("xdg_data_home/gilt/session.json");
    assert!(!session_file.exists());

    // The right one: logged in, the first channel shows, Ctrl-C quits.
    let mut good = env.clone();
    good.push(("GILT_EMAIL".into(), email));
    good.push(("GILT_PASSWORD".into(), password.clone()));
    let mut app = PtyApp::spawn(&urls, &good, 24, 100);
    app.wait_for_text("welcome", WAIT).await;
    app.send(b"\x03").await;
    assert!(app.wait_exit(WAIT).await.success());
    let mode = std::fs::metadata(&session_file)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "session file mode {mode:o}");
    let saved = std::fs::read_to_string(&session_file).unwrap();
    assert!(!saved.contains(&password), "the password was stored");
    assert!(saved.contains("hmac_signed_session"));

    // No credentials at all: the saved session is reused, nothing is asked.
    let mut app = PtyApp::spawn(&urls, &env, 24, 100);
    app.wait_for_text("welcome", WAIT).await;
    assert!(
        !app.contents().contains("email"),
        "asked for credentials again"
    );
    app.send(b"\x03").await;
    assert!(app.wait_exit(WAIT).await.success());

    // Logout forgets it.
    let mut app = PtyApp::spawn(&["logout", urls[0], urls[1]], &env, 24, 100);
    assert!(app.wait_exit(WAIT).await.success());
    app.wait_for_text("Logged out.", WAIT).await;
    assert!(!session_file.exists());
    server.shutdown().await;
}

#[tokio::test]
async fn logout_forget_deletes_the_stored_messages_of_that_server_only() {
    use gilt::store::{AccountKey, Limits, Store};
    let dir = temp_dir("forget");
    let env = xdg_env(&dir);
    let stores = dir.join("xdg_state_home/gilt/store");
    let api = "http://127.0.0.1:9/api";
    let this_server = AccountKey::new(api, &"user0001".into());
    let elsewhere = AccountKey::new("https://www.guilded.gg/api", &"user0001".into());
    for key in [&this_server, &elsewhere] {
        Store::open(&stores, key, Limits::default())
            .unwrap()
            .close();
    }

    let mut app = PtyApp::spawn(&["logout", "--forget", "--api-url", api], &env, 24, 100);
    assert!(app.wait_exit(WAIT).await.success());
    app.wait_for_text("Deleted the stored messages", WAIT).await;
    assert!(!this_server.store_file(&stores).exists());
    assert!(
        elsewhere.store_file(&stores).exists(),
        "another server's store stays"
    );

    let mut app = PtyApp::spawn(&["logout", "--forget", "--api-url", api], &env, 24, 100);
    assert!(app.wait_exit(WAIT).await.success());
    app.wait_for_text("No stored messages", WAIT).await;
}

#[tokio::test]
async fn the_log_and_state_directory_are_private_even_with_a_permissive_umask() {
    let dir = temp_dir("umask");
    let env = xdg_env(&dir);
    // `umask 000` in a shell that then becomes gilt: only gilt's own modes protect its files.
    let status = tokio::process::Command::new("sh")
        .args([
            "-c",
            "umask 000 && exec \"$0\" logout --api-url http://127.0.0.1:9/api",
            env!("CARGO_BIN_EXE_gilt"),
        ])
        .envs(env)
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::null())
        .status()
        .await
        .unwrap();
    assert!(status.success(), "{status:?}");
    let state_dir = dir.join("xdg_state_home/gilt");
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&state_dir), 0o700, "state directory");
    assert_eq!(mode(&state_dir.join("gilt.log")), 0o600, "log file");
}

#[tokio::test]
async fn unencrypted_urls_to_other_hosts_need_insecure() {
    let dir = temp_dir("insecure");
    let env = xdg_env(&dir);
    let run = |args: &'static [&'static str]| {
        let env = env.clone();
        async move {
            tokio::process::Command::new(env!("CARGO_BIN_EXE_gilt"))
                .args(args)
                .envs(env)
                .env_remove("RUST_LOG")
                .output()
                .await
                .unwrap()
        }
    };
    // Refused before anything is sent, saying why and how to override.
    let out = run(&["logout", "--api-url", "http://chat.example/api"]).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--api-url")
            && stderr.contains("not encrypted")
            && stderr.contains("--insecure"),
        "{stderr}"
    );
    let out = run(&["logout", "--gateway-url", "ws://chat.example"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--gateway-url"));
    // With --insecure the URL is accepted (not logged in: nothing to send anyway).
    let out = run(&[
        "logout",
        "--insecure",
        "--api-url",
        "http://chat.example/api",
    ])
    .await;
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Not logged in."));
}
