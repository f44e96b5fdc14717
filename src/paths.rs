//! Where gilt keeps its files, following the XDG variables (so tests isolate themselves by
//! setting `XDG_CONFIG_HOME`, `XDG_DATA_HOME` and `XDG_STATE_HOME`).
//!
//! - config: `$XDG_CONFIG_HOME/gilt/config.toml`
//! - session (cookies): `$XDG_DATA_HOME/gilt/session.json`
//! - logs and UI state: `$XDG_STATE_HOME/gilt/`
//! - message stores: `$XDG_STATE_HOME/gilt/store/<server>/<account>/store.sqlite3`

use std::path::PathBuf;

use directories::ProjectDirs;

/// No home directory could be found, so there is nowhere to keep files.
#[derive(Debug, thiserror::Error)]
#[error("cannot find a home directory (set HOME or the XDG_* variables)")]
pub struct NoHomeDir;

fn project_dirs() -> Result<ProjectDirs, NoHomeDir> {
    ProjectDirs::from("", "", "gilt").ok_or(NoHomeDir)
}

/// `$XDG_CONFIG_HOME/gilt`.
pub fn config_dir() -> Result<PathBuf, NoHomeDir> {
    Ok(project_dirs()?.config_dir().to_path_buf())
}

/// The default config file, `$XDG_CONFIG_HOME/gilt/config.toml`.
pub fn config_file() -> Result<PathBuf, NoHomeDir> {
    Ok(config_dir()?.join("config.toml"))
}

/// `$XDG_DATA_HOME/gilt`: the saved session.
pub fn data_dir() -> Result<PathBuf, NoHomeDir> {
    Ok(project_dirs()?.data_dir().to_path_buf())
}

/// The saved session (cookies), created with mode 0600.
pub fn session_file() -> Result<PathBuf, NoHomeDir> {
    Ok(data_dir()?.join("session.json"))
}

/// `$XDG_STATE_HOME/gilt` (falls back to the local data dir where there is no state dir):
/// the log file and the UI state (drafts, last channel).
pub fn state_dir() -> Result<PathBuf, NoHomeDir> {
    let dirs = project_dirs()?;
    Ok(dirs
        .state_dir()
        .unwrap_or_else(|| dirs.data_local_dir())
        .to_path_buf())
}

/// The log file.
pub fn log_file() -> Result<PathBuf, NoHomeDir> {
    Ok(state_dir()?.join("gilt.log"))
}

/// `$XDG_STATE_HOME/gilt/store`: the message stores, one subdirectory per server and account
/// inside (see `store::account`).
pub fn stores_dir() -> Result<PathBuf, NoHomeDir> {
    Ok(state_dir()?.join("store"))
}
