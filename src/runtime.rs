//! The one event loop: terminal input, gateway events, API results and the next deadline, folded
//! through `app::update`; effects executed here; at most one draw per batch of events.
//!
//! CONTRACT with `main.rs` (owner: found):
//!
//! ```ignore
//! pub async fn run(tui: &mut tui::Tui, config: &Config, api: ApiClient, me: Me)
//!     -> Result<Outcome, RuntimeError>
//! ```
//!
//! `main` logs in (or resumes the session) before raw mode, then calls `run` with the client
//! and the `/me` answer. `run` starts the gateway, loads teams/channels/DMs, restores drafts
//! and the last channel from `paths::state_dir()/state.json`, and returns when the user quits
//! (`Outcome::Quit`) or the session is no longer valid (`Outcome::LoggedOut`: drafts were saved,
//! main may ask to log in again). Until `net` lands `ApiClient`, this is a stub without `api`.

use crate::config::Config;
use crate::protocol::models::Me;
use crate::tui::Tui;

/// How the event loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The user quit (Ctrl-C); state was saved.
    Quit,
    /// The server rejected the session; state was saved. Log in again.
    LoggedOut,
}

/// Why the event loop failed.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error("the terminal input stream ended")]
    InputClosed,
}

/// Run the client until the user quits. (Stub: `api` joins the arguments when `net` lands.)
#[allow(clippy::unused_async)] // stub until the loop lands
pub async fn run(tui: &mut Tui, config: &Config, me: Me) -> Result<Outcome, RuntimeError> {
    let _ = (tui, config, me);
    Ok(Outcome::Quit)
}
