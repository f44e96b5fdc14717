//! The store's tables, their migrations, and opening a connection with the right settings.
//!
//! The schema version is SQLite's `user_version`, which `rusqlite_migration` keeps: migration
//! N brings a file from version N-1 to N inside one transaction, so a crash mid-migration
//! leaves the previous version. Never edit a released migration; add the next one (and a test
//! that migrates a file of the previous version, see the tests of this module).
//!
//! Choices:
//! - `messages.seq` (the rowid) is the creation time in microseconds, bumped past a
//!   collision by less than `messages::SEQ_SLOTS`. Rowid order is therefore time order:
//!   paging, pruning the oldest, date filters and "newest first" search are all rowid
//!   ranges, and the full-text index (whose rowids are the same) can return matches newest
//!   first and stop at the limit without sorting.
//! - The full-text index is an FTS5 *external-content* table over `messages.text` (and the
//!   generated `tags`, the channel and author as tokens, see `V3`): the text is stored once
//!   (in `messages`), `snippet()` can still read it, and three triggers keep the index in
//!   step. A contentless table would save nothing (the text is wanted anyway)
//!   and could not make snippets.
//! - A deleted message stays as a tombstone (`deleted = 1`, body and text emptied), so a
//!   stale copy arriving later (a history page fetched before the delete) cannot bring it
//!   back. Tombstones are pruned like any old message.
//! - Messages, read markers, drafts and the outbox do not reference `channels` with a foreign
//!   key: a message may arrive before its channel is known (a gateway event during start-up).
//!   Teams own their categories, channels and members (`ON DELETE CASCADE`).
//! - Times are microseconds since the Unix epoch (`INTEGER`).
//! - Which stored stretches of a channel are complete is kept apart from the messages
//!   (`spans`): a message may be stored alone (a live event in a channel nobody watched, a
//!   search result's neighbour), and a page read from the store must never skip messages the
//!   store never had.
//! - `auto_vacuum = INCREMENTAL` (set before the first table) lets pruning give pages back to
//!   the file system, so the size cap is a cap on the file.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};
use rusqlite_migration::{M, Migrations};

use super::StoreError;
use super::account::AccountKey;

/// How long a statement waits for another connection's lock before failing (a second gilt
/// on the same account, or `sqlite3` reading the file).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const V1: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE teams (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    position        INTEGER NOT NULL,
    channels_loaded INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE categories (
    team_id  TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    id       INTEGER NOT NULL,
    name     TEXT NOT NULL,
    priority INTEGER NOT NULL,
    PRIMARY KEY (team_id, id)
) WITHOUT ROWID;

CREATE TABLE channels (
    id            TEXT PRIMARY KEY,
    team_id       TEXT REFERENCES teams(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('team', 'dm')),
    content_type  TEXT NOT NULL,
    name          TEXT NOT NULL,
    topic         TEXT,
    category_id   INTEGER,
    parent_id     TEXT,
    position      INTEGER NOT NULL DEFAULT 0,
    last_activity INTEGER
) WITHOUT ROWID;
CREATE INDEX channels_by_team ON channels(team_id);
CREATE INDEX channels_by_name ON channels(name COLLATE NOCASE);

CREATE TABLE dm_participants (
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (channel_id, user_id)
) WITHOUT ROWID;

CREATE TABLE users (
    id     TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    is_bot INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX users_by_name ON users(name COLLATE NOCASE);

CREATE TABLE members (
    team_id  TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users(id),
    nickname TEXT,
    PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;
CREATE INDEX members_by_nickname ON members(nickname COLLATE NOCASE);

CREATE TABLE messages (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    channel_id  TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    edited_at   INTEGER,
    document    TEXT NOT NULL,
    text        TEXT NOT NULL,
    replies_to  TEXT NOT NULL DEFAULT '[]',
    reactions   TEXT NOT NULL DEFAULT '[]',
    is_system   INTEGER NOT NULL DEFAULT 0,
    is_pinned   INTEGER NOT NULL DEFAULT 0,
    mentions_me INTEGER NOT NULL DEFAULT 0,
    deleted     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX messages_by_channel ON messages(channel_id, seq);
CREATE INDEX messages_by_author ON messages(author_id, seq);

CREATE VIRTUAL TABLE messages_fts USING fts5(
    text,
    content = 'messages',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, text) VALUES (new.seq, new.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
    INSERT INTO messages_fts(rowid, text) VALUES (new.seq, new.text);
END;

CREATE TABLE read_markers (
    channel_id TEXT PRIMARY KEY,
    message_id TEXT,
    seen_at    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE drafts (
    channel_id TEXT PRIMARY KEY,
    text       TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE,
    channel_id TEXT NOT NULL,
    document   TEXT NOT NULL,
    replies_to TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    state      TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed')),
    error      TEXT
);
";

/// Complete ranges of a channel's history (see `spans`): every message the server had
/// created in `start_at ..= end_at` (µs; `start_at` = i64's minimum: since the channel began)
/// is stored. Ranges of one channel never overlap (writing one merges it with those it
/// touches). `pruned`: the limits dropped messages of this channel created before
/// `kept_from`, so no span may reach below it. A store of version 1 has none: its messages are searchable but paged from the
/// server until ranges are learnt.
const V2: &str = "
CREATE TABLE spans (
    channel_id TEXT NOT NULL,
    start_at   INTEGER NOT NULL,
    end_at     INTEGER NOT NULL,
    PRIMARY KEY (channel_id, start_at)
) WITHOUT ROWID;

CREATE TABLE pruned (
    channel_id TEXT PRIMARY KEY,
    kept_from  INTEGER NOT NULL
) WITHOUT ROWID;
";

/// The `in:` and `from:` filters inside the full-text index: a second indexed column, `tags`,
/// holds two tokens per message, `ch` + the channel id in hex and `au` + the author id in hex
/// (hex: any id is one token). A search with filters is then one FTS5 query, `text : (words)
/// AND tags : (channel tokens) AND tags : (author tokens)`, which FTS5 answers by stepping
/// through the shorter lists and seeking in the longer ones, newest first, so a common word
/// with narrow filters reads a few thousand entries instead of checking every match of the
/// word (see BENCHMARKS.md, "Store"). `tags` is a virtual generated column: nothing more is
/// stored in `messages`, and the external-content index can still read it. The index is
/// rebuilt once from the messages (about a second per 100,000 on this machine).
const V3: &str = "
DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TABLE messages_fts;

ALTER TABLE messages ADD COLUMN tags TEXT
    GENERATED ALWAYS AS ('ch' || hex(channel_id) || ' au' || hex(author_id)) VIRTUAL;

CREATE VIRTUAL TABLE messages_fts USING fts5(
    text,
    tags,
    content = 'messages',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, text, tags) VALUES (new.seq, new.text, new.tags);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text, tags)
        VALUES ('delete', old.seq, old.text, old.tags);
END;
-- The channel and author are never updated today; if they were, the old tokens must go.
CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, channel_id, author_id ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text, tags)
        VALUES ('delete', old.seq, old.text, old.tags);
    INSERT INTO messages_fts(rowid, text, tags) VALUES (new.seq, new.text, new.tags);
END;
INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
";

/// Every migration, oldest first; the index + 1 is the version it produces.
const MIGRATIONS: &[M<'static>] = &[M::up(V1), M::up(V2), M::up(V3)];

/// The schema version a store has after opening.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// The migrations (also used by tests to build files of older versions).
pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(MIGRATIONS)
}

/// Open (creating and migrating if needed) the store at `path` for `account`, with WAL,
/// foreign keys and the busy timeout set. A file of another account is refused.
pub fn open(path: &Path, account: &AccountKey) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    migrations().to_latest(&mut conn)?;
    check_account(&conn, account, path)?;
    Ok(conn)
}

/// The per-connection settings, and on a new file the ones that must precede any table.
pub fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    if tables == 0 {
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
    }
    // WAL: readers never block the writer and a crash mid-transaction leaves the last commit.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!("store: journal mode is {mode}, not WAL");
    }
    // In WAL mode NORMAL is still crash-safe (a power cut may lose the last commits, never
    // consistency), and much faster than FULL.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

fn check_account(conn: &Connection, account: &AccountKey, path: &Path) -> Result<(), StoreError> {
    let wanted = account.as_text();
    let found: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'account'", [], |r| {
            r.get(0)
        })
        .optional()?;
    match found {
        None => {
            conn.execute(
                "INSERT INTO meta(key, value) VALUES ('account', ?1)",
                [&wanted],
            )?;
            Ok(())
        }
        Some(found) if found == wanted => Ok(()),
        Some(found) => Err(StoreError::OtherAccount {
            path: path.to_path_buf(),
            found,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migrations_are_valid() {
        migrations().validate().unwrap();
    }
}
