//! Concurrent writers, and a crash in the middle of a transaction.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::*;

#[test]
fn many_handles_write_at_once_and_nothing_is_lost() {
    let dir = TempDir::new("handles");
    let store = open(&dir);
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let h = store.handle();
            std::thread::spawn(move || {
                for m in numbered(&format!("w{w}"), "c1", 300) {
                    h.write(Write::Messages(vec![m]));
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let h = store.handle();
    h.flush().wait().unwrap();
    assert_eq!(h.query(|q| q.message_count()).wait().unwrap(), 1200);
}

/// Two stores on one file are two connections, as two gilt processes on one account would
/// be: SQLite's locks and the busy timeout serialise them.
#[test]
fn two_connections_to_one_file_both_get_their_writes_in() {
    let dir = TempDir::new("two-conns");
    let first = open(&dir);
    let second = open(&dir);
    let (a, b) = (first.handle(), second.handle());
    let writer = |h: StoreHandle, prefix: &'static str| {
        std::thread::spawn(move || {
            for chunk in numbered(prefix, "c1", 2000).chunks(50) {
                h.write(Write::Messages(chunk.to_vec()));
            }
            h.flush().wait().unwrap();
        })
    };
    let (ta, tb) = (writer(a.clone(), "a"), writer(b, "b"));
    ta.join().unwrap();
    tb.join().unwrap();
    assert_eq!(a.query(|q| q.message_count()).wait().unwrap(), 4000);
}

/// The child's side of the crash test: writes big transactions until it is killed. Does
/// nothing unless the parent test started it.
#[test]
fn crash_child_writes_until_killed() {
    let Ok(root) = std::env::var(CRASH_DIR_ENV) else {
        return;
    };
    let store = Store::open(Path::new(&root), &account(), Limits::default()).unwrap();
    let h = store.handle();
    for round in 0.. {
        h.write(Write::Messages(numbered(
            &format!("r{round:05}"),
            "c1",
            500,
        )));
        if round == 2 {
            h.flush().wait().unwrap();
            println!("{CRASH_READY}");
        }
    }
}

const CRASH_DIR_ENV: &str = "GILT_STORE_CRASH_DIR";
const CRASH_READY: &str = "crash-child-ready";

#[test]
fn a_crash_in_the_middle_of_writing_leaves_a_valid_file() {
    let dir = TempDir::new("crash");
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args([
            "--exact",
            "store::tests::concurrency::crash_child_writes_until_killed",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CRASH_DIR_ENV, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it has committed some, then let it write a little more and kill it
    // mid-stream (SIGKILL: no destructor, no commit, no checkpoint).
    let stdout = child.stdout.take().unwrap();
    let ready = std::thread::spawn(move || {
        use std::io::BufRead;
        std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|line| line.contains(CRASH_READY))
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(150));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(ready.join().unwrap(), "the child never got going");

    let path = account().store_file(dir.path());
    let conn = Connection::open(&path).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    conn.execute(
        "INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')",
        [],
    )
    .unwrap();
    let count: u64 = conn
        .query_row("SELECT count(*) FROM messages", [], |r| r.get(0))
        .unwrap();
    assert!(count >= 1500, "the committed rounds survived ({count})");
    assert_eq!(count % 500, 0, "whole writes only ({count})");
    drop(conn);
    // And the store opens on it as usual.
    let store = open(&dir);
    assert_eq!(
        store.handle().query(|q| q.message_count()).wait().unwrap(),
        count
    );
}
