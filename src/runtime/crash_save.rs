//! Best effort: the drafts survive a panic. The loop keeps a copy of what would be saved
//! ([`remember`]); a panic hook writes it ([`save_remembered`]) before the previous hooks
//! (terminal restore, the report) run.
//!
//! It writes `state.json` even when the store keeps the state: a plain file needs no other
//! thread (the store's may be the one that panicked), and the next start merges a
//! `state.json` new to the store into it (`store::state::import`).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use super::state_file;
use crate::app::PersistedState;

/// The state file and the latest drafts, as the loop last saw them.
static SNAPSHOT: Mutex<Option<(PathBuf, PersistedState)>> = Mutex::new(None);
static INSTALL: Once = Once::new();

/// Install the hook once (later calls do nothing). Call it after the terminal's own hook, so
/// this one runs first.
pub fn install() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            save_remembered();
            previous(info);
        }));
    });
}

/// Keep this state to save if gilt panics. Never waits: if the lock is busy (a panic being
/// handled), the update is skipped.
pub fn remember(path: &Path, state: PersistedState) {
    if let Ok(mut snapshot) = SNAPSHOT.try_lock() {
        *snapshot = Some((path.to_owned(), state));
    }
}

/// Write what was remembered (once). Never panics and never waits on the lock: a hook must
/// not turn a panic into a deadlock.
pub fn save_remembered() {
    let taken = match SNAPSHOT.try_lock() {
        Ok(mut snapshot) => snapshot.take(),
        Err(_) => None,
    };
    if let Some((path, state)) = taken
        && let Err(e) = state_file::save(&path, &state)
    {
        tracing::warn!("cannot save the drafts after a panic: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_remembered_drafts_are_written_once() {
        let dir =
            std::env::temp_dir().join(format!("gilt-crash-save-{}", uuid::Uuid::new_v4().simple()));
        let path = dir.join("state.json");
        let mut state = PersistedState::default();
        state.drafts.insert("c1".into(), "half a thought".into());
        remember(&path, state.clone());
        save_remembered();
        assert_eq!(state_file::load(&path), state);
        std::fs::remove_file(&path).unwrap();
        save_remembered();
        assert!(!path.exists(), "taken by the first save");
    }
}
