//! Drafts, the last channel, read markers, recent reactions and muted channels, persisted
//! across restarts in `state.json` (atomic write).

use std::io;
use std::path::Path;

use crate::app::PersistedState;

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
