//! Logging to a file under the XDG state dir; nothing is ever printed to the terminal while
//! the TUI is up (a stray line would corrupt the screen).

use std::path::Path;

use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// Why logging could not start.
#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    #[error("cannot open the log file {dir}: {source}")]
    Dir { dir: String, source: std::io::Error },
    #[error("cannot set up logging: {0}")]
    Init(String),
}

/// Start logging to `file` (appended; the file 0600 and its directory 0700, whatever the
/// umask: logs name channels and people) at `level`, overridden by `RUST_LOG` when set. Writes are
/// synchronous so that nothing is lost when a panic ends the process; gilt logs little.
pub fn init(file: &Path, level: &str) -> Result<(), LoggingError> {
    let dir = file.parent().unwrap_or_else(|| Path::new("."));
    crate::private_fs::create_dir(dir).map_err(|source| LoggingError::Dir {
        dir: dir.display().to_string(),
        source,
    })?;
    let writer = crate::private_fs::open_append(file).map_err(|source| LoggingError::Dir {
        dir: file.display().to_string(),
        source,
    })?;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("gilt={level},warn")));
    tracing_subscriber::fmt()
        .with_writer(Mutex::new(writer))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|e| LoggingError::Init(e.to_string()))?;
    Ok(())
}
