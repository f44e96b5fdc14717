//! Drafts, the last channel, read markers, recent reactions and muted channels, persisted
//! across restarts: in the store when there is one, else in `state.json` (atomic write). A
//! `state.json` the store has not seen yet (from before the store, a `--no-store` run, or the
//! panic hook, which writes the file) is merged into the store at start.

use std::io;
use std::path::Path;

use crate::app::PersistedState;
use crate::app::persist::Write;
use crate::store::StoreHandle;

/// The state to restore at start: the store's (with `state.json` merged in if new to it), or
/// without a store (or if the store cannot answer) the file's.
pub async fn restore(store: Option<&StoreHandle>, path: Option<&Path>) -> PersistedState {
    let file = path.map(load).unwrap_or_default();
    let Some(store) = store else {
        return file;
    };
    match store.restore_state(file.clone()).await {
        Ok(state) => state,
        Err(e) => {
            tracing::warn!("store: reading the saved state: {e}; using the state file");
            file
        }
    }
}

/// Keep `state`: in the store when there is one (queued, never waits), else in the file.
pub fn keep(store: Option<&StoreHandle>, path: Option<&Path>, state: PersistedState) {
    if let Some(store) = store {
        store.write(Write::SaveState(state));
    } else if let Some(path) = path
        && let Err(e) = save(path, &state)
    {
        tracing::warn!("cannot save {}: {e}", path.display());
    }
}

/// Read the state file; a missing or unreadable file is an empty state (logged, not fatal:
/// losing a draft file must never stop the client from starting).
pub fn load(path: &Path) -> PersistedState {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| {
            tracing::warn!("ignoring unreadable {}: {e}", path.display());
            PersistedState::default()
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => PersistedState::default(),
        Err(e) => {
            tracing::warn!("cannot read {}: {e}", path.display());
            PersistedState::default()
        }
    }
}

/// Write the state file atomically (a unique temp file created new in the same directory,
/// fsync, rename, fsync the directory), mode 0600 in a 0700 directory: drafts are private.
pub fn save(path: &Path, state: &PersistedState) -> io::Result<()> {
    let json = serde_json::to_vec_pretty(state).map_err(io::Error::other)?;
    crate::private_fs::write_atomically(path, &json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::ChannelId;
    use crate::store::{AccountKey, Limits, Store};

    fn temp(label: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "gilt-state-{label}-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn marked(channel: &str, at: &str) -> PersistedState {
        PersistedState {
            read_markers: [(ChannelId::from(channel), at.parse().unwrap())].into(),
            drafts: [(ChannelId::from(channel), format!("draft in {channel}"))].into(),
            ..PersistedState::default()
        }
    }

    /// With a store, what is kept goes to the store and comes back from it after a restart,
    /// the state file untouched; an old state file is merged in once at the first start.
    #[tokio::test]
    async fn with_a_store_read_markers_and_drafts_live_in_it_across_restarts() {
        let dir = temp("store");
        let path = dir.join("state.json");
        save(&path, &marked("old", "2024-01-01T00:00:00Z")).unwrap();
        let file_before = std::fs::read(&path).unwrap();
        let account = AccountKey::new("http://127.0.0.1:1/api", &"me".into());
        let open = || Store::open(&dir.join("stores"), &account, Limits::default()).unwrap();

        let store = open();
        let first = restore(Some(&store.handle()), Some(&path)).await;
        assert_eq!(first, marked("old", "2024-01-01T00:00:00Z"), "imported");
        let mut state = first;
        state
            .read_markers
            .insert("new".into(), "2024-06-01T00:00:00Z".parse().unwrap());
        keep(Some(&store.handle()), Some(&path), state.clone());
        store.close();
        assert_eq!(std::fs::read(&path).unwrap(), file_before, "file untouched");

        let store = open();
        assert_eq!(restore(Some(&store.handle()), Some(&path)).await, state);
        store.close();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Without a store (`--no-store`) the state file is where it lives.
    #[tokio::test]
    async fn without_a_store_the_state_file_keeps_it() {
        let dir = temp("file");
        let path = dir.join("state.json");
        assert_eq!(restore(None, Some(&path)).await, PersistedState::default());
        let state = marked("c1", "2024-05-01T00:00:00Z");
        keep(None, Some(&path), state.clone());
        assert_eq!(restore(None, Some(&path)).await, state);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn round_trip_and_missing_or_broken_files_are_empty() {
        let dir = std::env::temp_dir().join(format!("gilt-state-{}", std::process::id()));
        let path = dir.join("state.json");
        assert_eq!(load(&path), PersistedState::default());
        let state = PersistedState {
            last_channel: Some("c1".into()),
            drafts: [(ChannelId::from("c1"), "draft\nline two".to_owned())].into(),
            read_markers: [(
                ChannelId::from("c1"),
                "2021-10-15T23:58:44.537Z".parse().unwrap(),
            )]
            .into(),
            recent_reactions: vec![(90_001_815, "tada".into()), (7001, "gilt".into())],
            muted: [ChannelId::from("c2")].into(),
        };
        save(&path, &state).unwrap();
        assert_eq!(load(&path), state);
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(load(&path), PersistedState::default());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
