//! The file itself: migrations, settings, modes, one file per account.

use std::os::unix::fs::PermissionsExt;

use rusqlite::Connection;

use super::*;
use crate::store::account::{self, STORE_FILE};
use crate::store::schema::{self, SCHEMA_VERSION};
use crate::store::{SearchQuery, StoreError};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_new_file_is_migrated_to_the_latest_version_with_its_settings() {
    let dir = TempDir::new("fresh");
    let store = open(&dir);
    let path = store.path().to_path_buf();
    store.close();
    let conn = Connection::open(&path).unwrap();
    let version: usize = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let journal: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal", "WAL is a property of the file");
    let vacuum: i64 = conn
        .query_row("PRAGMA auto_vacuum", [], |r| r.get(0))
        .unwrap();
    assert_eq!(vacuum, 2, "incremental, set before the first table");
    let account: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'account'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        account,
        account::AccountKey::new(API, &world::ME.into()).as_text()
    );
}

#[test]
fn every_connection_gets_foreign_keys_and_a_busy_timeout() {
    let dir = TempDir::new("pragmas");
    let path = account().prepare(dir.path()).unwrap();
    let conn = schema::open(&path, &account()).unwrap();
    let fk: bool = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    let busy: u64 = conn
        .query_row("PRAGMA busy_timeout", [], |r| r.get(0))
        .unwrap();
    assert!(fk);
    assert_eq!(busy, 5000);
    // And the foreign keys hold: a category of an unknown team is refused.
    assert!(
        conn.execute(
            "INSERT INTO categories (team_id, id, name, priority) VALUES ('nope', 1, 'x', 0)",
            [],
        )
        .is_err()
    );
}

/// A file written by the first schema version is migrated through every later one and keeps
/// its data: pages, search (the index rebuilt by v3), the sidebar and drafts.
#[test]
fn a_version_1_file_is_migrated_and_keeps_its_data() {
    let dir = TempDir::new("v1");
    let path = account().prepare(dir.path()).unwrap();
    {
        let mut conn = Connection::open(&path).unwrap();
        schema::configure(&conn).unwrap();
        schema::migrations().to_version(&mut conn, 1).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO meta (key, value) VALUES ('account', '{}'), ('me', '{me}');
             INSERT INTO users (id, name) VALUES ('{me}', 'nico');
             INSERT INTO teams (id, name, position, channels_loaded) VALUES ('t1', 'T', 0, 1);
             INSERT INTO channels (id, team_id, kind, content_type, name)
                 VALUES ('c1', 't1', 'team', 'chat', 'general');
             INSERT INTO messages (seq, id, channel_id, author_id, created_at, document, text)
                 VALUES (1700000000000000, 'm1', 'c1', '{me}', 1700000000000000,
                         '{doc}', 'hello from version one');
             INSERT INTO drafts (channel_id, text) VALUES ('c1', 'unsent');",
            account().as_text(),
            me = world::ME,
            doc = serde_json::to_string(&plain("hello from version one")).unwrap(),
        ))
        .unwrap();
    }
    let store = open(&dir);
    let h = store.handle();
    let page = h
        .query(|q| q.recent_messages(&"c1".into(), 10))
        .wait()
        .unwrap();
    assert_eq!(ids(&page.messages), ["m1"]);
    assert_eq!(page.messages[0].content, plain("hello from version one"));
    let hits = h
        .query(|q| q.search(&SearchQuery::parse("version"), &jiff::tz::TimeZone::UTC, 10))
        .wait()
        .unwrap();
    assert_eq!(hits.len(), 1, "the v1 index still answers");
    let snapshot = h.query(|q| q.snapshot()).wait().unwrap().unwrap();
    assert_eq!(snapshot.data.teams[0].channels[0].name, "general");
    assert_eq!(snapshot.state.drafts.len(), 1);
    let version = h
        .query(|q| {
            q.conn
                .query_row("PRAGMA user_version", [], |r| r.get::<_, usize>(0))
        })
        .wait()
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}

/// A file of version 2 (the full-text index over the text alone) gets the filter tokens:
/// its messages are found by `in:` and `from:` through the rebuilt index, and the index agrees
/// with the messages.
#[test]
fn a_version_2_file_is_migrated_and_its_messages_are_found_by_filters() {
    let dir = TempDir::new("v2");
    let path = account().prepare(dir.path()).unwrap();
    {
        let mut conn = Connection::open(&path).unwrap();
        schema::configure(&conn).unwrap();
        schema::migrations().to_version(&mut conn, 2).unwrap();
        let doc = serde_json::to_string(&plain("x")).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO meta (key, value) VALUES ('account', '{}');
             INSERT INTO users (id, name) VALUES ('u1', 'ann'), ('u2', 'ben');
             INSERT INTO teams (id, name, position, channels_loaded) VALUES ('t1', 'T', 0, 1);
             INSERT INTO channels (id, team_id, kind, content_type, name)
                 VALUES ('c1', 't1', 'team', 'chat', 'general'),
                        ('c2', 't1', 'team', 'chat', 'dev');
             INSERT INTO messages (seq, id, channel_id, author_id, created_at, document, text)
                 VALUES (1, 'm1', 'c1', 'u1', 1, '{doc}', 'ship it'),
                        (2, 'm2', 'c2', 'u1', 2, '{doc}', 'ship it now'),
                        (3, 'm3', 'c1', 'u2', 3, '{doc}', 'ship it later'),
                        (4, 'm4', 'c2', 'u2', 4, '{doc}', 'not yet');",
            account().as_text(),
        ))
        .unwrap();
    }
    let store = open(&dir);
    let h = store.handle();
    let found = |prompt: &str| -> Vec<String> {
        let query = SearchQuery::parse(prompt);
        h.query(move |q| q.search(&query, &jiff::tz::TimeZone::UTC, 10))
            .wait()
            .unwrap()
            .iter()
            .map(|hit| hit.message_id.to_string())
            .collect()
    };
    assert_eq!(found("ship "), ["m3", "m2", "m1"]);
    assert_eq!(found("ship in:#general"), ["m3", "m1"]);
    assert_eq!(found("ship from:ann"), ["m2", "m1"]);
    assert_eq!(found("in:#dev from:ben"), ["m4"]);
    let checked = h
        .query(|q| {
            q.conn.execute(
                "INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')",
                [],
            )
        })
        .wait();
    assert!(checked.is_ok(), "{checked:?}");
}

#[test]
fn directories_are_0700_and_the_files_0600_whatever_was_there() {
    let dir = TempDir::new("modes");
    let file = account().store_file(dir.path());
    let account_dir = file.parent().unwrap();
    // Too open on purpose: opening must tighten, not rely on the umask.
    std::fs::create_dir_all(account_dir).unwrap();
    for d in [dir.path(), account_dir.parent().unwrap(), account_dir] {
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    std::fs::write(&file, b"").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o666)).unwrap();

    let store = open(&dir);
    write_all(&store.handle(), [Write::Messages(numbered("m", "c1", 3))]);
    assert_eq!(mode(dir.path()), 0o700);
    assert_eq!(mode(account_dir.parent().unwrap()), 0o700);
    assert_eq!(mode(account_dir), 0o700);
    assert_eq!(mode(&file), 0o600);
    for side in ["-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{side}", file.display()));
        assert!(path.exists(), "{side} exists while open");
        assert_eq!(mode(&path), 0o600, "{side}");
    }
    assert!(file.ends_with(STORE_FILE));
}

#[test]
fn each_account_and_server_has_its_own_file() {
    let dir = TempDir::new("accounts");
    let real = AccountKey::new("https://www.guilded.gg/api", &world::ME.into());
    let demo = AccountKey::new("http://127.0.0.1:4000/api", &world::ME.into());
    let other_user = AccountKey::new("https://www.guilded.gg/api", &"someone2".into());
    let stores: Vec<Store> = [&real, &demo, &other_user]
        .into_iter()
        .map(|key| Store::open(dir.path(), key, Limits::default()).unwrap())
        .collect();
    let paths: std::collections::HashSet<_> = stores.iter().map(|s| s.path().to_owned()).collect();
    assert_eq!(paths.len(), 3);
    write_all(
        &stores[1].handle(),
        [Write::Messages(vec![msg(
            "demo-1",
            "c1",
            "alice001",
            "2024-01-01T00:00:00Z",
            "simulated chatter",
        )])],
    );
    for (i, store) in stores.iter().enumerate() {
        let page = store
            .handle()
            .query(|q| q.recent_messages(&"c1".into(), 10))
            .wait()
            .unwrap();
        assert_eq!(page.messages.len(), usize::from(i == 1), "store {i}");
    }
}

#[test]
fn a_file_of_another_account_is_refused() {
    let dir = TempDir::new("other");
    let path = account().prepare(dir.path()).unwrap();
    drop(schema::open(&path, &account()).unwrap());
    let stranger = AccountKey::new("http://elsewhere/api", &"x".into());
    match schema::open(&path, &stranger) {
        Err(StoreError::OtherAccount { found, .. }) => assert_eq!(found, account().as_text()),
        other => panic!("expected OtherAccount, got {other:?}"),
    }
}

#[test]
fn forgetting_a_server_deletes_its_stores_and_nothing_else() {
    let dir = TempDir::new("forget");
    let mine = AccountKey::new(API, &"u1".into());
    let mine_too = AccountKey::new(API, &"u2".into());
    let elsewhere = AccountKey::new("http://elsewhere/api", &"u1".into());
    for key in [&mine, &mine_too, &elsewhere] {
        Store::open(dir.path(), key, Limits::default())
            .unwrap()
            .close();
    }
    assert!(account::forget(dir.path(), &format!("{API}/")).unwrap());
    assert!(!mine.store_file(dir.path()).exists());
    assert!(!mine_too.store_file(dir.path()).exists());
    assert!(elsewhere.store_file(dir.path()).exists());
    assert!(!account::forget(dir.path(), API).unwrap(), "nothing left");
}
