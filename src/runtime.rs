//! The one event loop: terminal input, gateway events, API results and the next deadline,
//! folded through `app::update`; effects executed here; at most one draw per batch of events.
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
//! and the last channel from `paths::state_dir()/state.json`, and returns when the user quits:
//! `Outcome::Quit`, or `Outcome::LoggedOut` as soon as the server rejects the session
//! (drafts were saved; main asks for a new login and calls `run` again, which restores them).
//! SIGTERM/SIGHUP save and quit.
//!
//! Rule: thin. Decisions live in the reducer; this file only moves messages and effects. Nothing
//! is drawn unless the model changed, at most once per [`FRAME`], and the loop sleeps until
//! the model's own next deadline (typing expiry…) when nothing happens.
//!
//! This file sets up (store, gateway, executor, renderer) and hands over to the loop in
//! [`event_loop`], which the benches run too, headless.

mod crash_save;
mod editor;
// Public for the benches, which run the client's own loop headless; not an API.
#[doc(hidden)]
pub mod event_loop;
// Public for the integration tests that drive the real reducer, gateway and effects
// without a terminal (the soak test); not an API.
#[doc(hidden)]
pub mod effects;
mod history;
pub mod images;
#[doc(hidden)]
pub mod load;
pub mod state_file;

use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::api::ApiClient;
use crate::app::persist::{OutboxState, Write};
use crate::app::{self, ApiOp, App, LinkGroup, LinkStatus, Msg, Settings, convert};
use crate::config::Config;
use crate::gateway::{self, GatewayConfig, GatewayEvent, SocketKind};
use crate::protocol::models::Me;
use crate::protocol::{TeamId, UserId};
use crate::store::{AccountKey, Limits, Store, StoreHandle};
use crate::termcaps::Graphics;
use crate::tui::Tui;

use self::effects::Executor;
use self::event_loop::{Frontend, Observer, Parts, TerminalInput};

/// Shortest time between two frames (≈ 60 frames per second).
pub const FRAME: Duration = Duration::from_millis(16);

/// How the event loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The user quit (Ctrl-C, or a termination signal); state was saved.
    Quit,
    /// The server rejected the session; state was saved. Log in again.
    LoggedOut,
}

/// Why the event loop could not run.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error("gateway: {0}")]
    Gateway(#[from] gateway::GatewayError),
}

/// Who starts, and whether the server confirmed it.
#[derive(Debug, Clone)]
pub enum Start {
    /// Signed in: the server's `/me` answer.
    Online(Box<Me>),
    /// The server cannot be reached, but this user's session is saved: start from the local
    /// store and load from the server once it is back.
    Offline(UserId),
}

/// Run the client until the user quits.
pub async fn run(
    tui: &mut Tui,
    config: &Config,
    api: ApiClient,
    start_as: Start,
) -> Result<Outcome, RuntimeError> {
    // The id generator only needs to differ between runs; a v4 uuid is a good random source.
    let seed = uuid::Uuid::new_v4().as_u64_pair().0;
    let mut settings = Settings::from_config(config);
    settings.remote = std::env::var_os("SSH_CONNECTION").is_some_and(|v| !v.is_empty());
    let mut app = App::new(settings, config.keymap.clone(), seed);
    let start = Instant::now();
    app.time_zone = jiff::tz::TimeZone::system();
    // Effects of the set-up messages run once the executor exists (the first window title is
    // the loop's, before its first frame).
    let mut early = app::update(&mut app, Msg::WallClock(jiff::Timestamp::now()), start);
    let size = tui.terminal().size()?;
    early.extend(app::update(
        &mut app,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
        start,
    ));
    let state_path = match crate::paths::state_dir() {
        Ok(dir) => Some(dir.join("state.json")),
        Err(e) => {
            tracing::warn!("no state directory ({e}); drafts will not be kept");
            None
        }
    };
    let user_id = match &start_as {
        Start::Online(me) => me.user.id.clone(),
        Start::Offline(user) => user.clone(),
    };
    let (store, store_error) = match open_store(config, &user_id) {
        Ok(store) => (store, None),
        Err(e) => {
            tracing::warn!("{e}; running from memory only");
            (None, Some(e))
        }
    };
    let store_handle = store.as_ref().map(Store::handle);
    // With a store, memory keeps only a window of each channel's history.
    app.settings.store = store_handle.is_some();
    // Drafts and read markers: the store's when there is one, else the state file's.
    let restored = state_file::restore(store_handle.as_ref(), state_path.as_deref()).await;
    early.extend(app::update(&mut app, Msg::RestoreState(restored), start));
    // The first frame from the store, before any network answer.
    let cached = match &store_handle {
        Some(handle) => from_store(handle).await,
        None => store_error
            .map(|e| vec![Msg::StoreUnavailable(e.to_string())])
            .unwrap_or_default(),
    };

    // Offline, the store says which teams to listen to; the server says so once it answers.
    let team_ids = match &start_as {
        Start::Online(me) => me.teams.iter().map(|t| t.id.clone()).collect(),
        Start::Offline(_) => cached_teams(&cached),
    };
    let (gateway, gateway_rx) = gateway::spawn(
        GatewayConfig::new(&config.gateway_url, team_ids),
        api.clone(),
    )?;
    let (results_tx, results_rx) = mpsc::unbounded_channel::<Msg>();
    // Offline: load from the server once the gateway says it is back.
    let load_when_back = match start_as {
        Start::Online(me) => {
            spawn_load(&api, &results_tx, Some(*me));
            false
        }
        Start::Offline(_) => true,
    };
    crash_save::install();
    let crash_path = state_path.clone();
    let mut exec = Executor::new(
        api.clone(),
        gateway.clone(),
        results_tx.clone(),
        state_path,
        store_handle.clone(),
    );
    exec.notifier = crate::osc::Notifier::new(config.notify, config.bell_on_mention, &|name| {
        std::env::var(name).ok()
    });
    exec.set_image_hosts(app.settings.image_hosts.clone());
    let graphics = image_graphics(config, tui);
    tui.graphics = graphics;
    tui.margins = tui.caps().lr_margins == Some(true);
    tracing::info!("left/right margins for scrolling: {}", tui.margins);
    exec.image_target = (graphics != Graphics::HalfBlocks).then(|| images::Target {
        graphics,
        cell_px: tui.caps().cell_px.unwrap_or(images::DEFAULT_CELL_PX),
    });
    if config.notify == crate::config::NotifyMode::Desktop && !exec.notifier.desktop {
        tracing::info!(
            "notify = \"desktop\": no session bus here, or over SSH; using terminal notifications"
        );
    }
    for effect in early {
        // Nothing before the first event can ask to quit; ignore it if it did.
        let _ = exec.run(effect);
    }
    for msg in cached {
        for effect in app::update(&mut app, msg, Instant::now()) {
            let _ = exec.run(effect);
        }
    }
    // One renderer for the whole run: its layout cache makes a redraw cost only what changed.
    let mut ui = crate::ui::Ui::new();
    ui.hyperlinks = true;
    ui.theme = theme(config);
    let parts = Parts {
        app,
        exec,
        ui,
        gateway,
        gateway_rx,
        results_rx,
        store,
        crash_path,
    };
    let mut observer = LoadWhenBack {
        waiting: load_when_back,
        api,
        results_tx,
    };
    // The handlers are installed here, before the loop: a signal is never fatal.
    let signal = crate::tui::termination_signal();
    let stop = async { format!("received {}", signal.await) };
    Ok(event_loop::run(parts, tui, TerminalInput::new(), &mut observer, stop).await?)
}

/// The client's frontend: the terminal.
impl Frontend for Tui {
    fn draw(&mut self, ui: &mut crate::ui::Ui, app: &App) -> std::io::Result<()> {
        Tui::draw(self, ui, app)
    }

    async fn edit(&mut self, channel: app::ChannelId, text: &str) -> std::io::Result<Msg> {
        external_editor(self, channel, text).await
    }
}

/// Started offline: loads from the server once the gateway says it is back.
struct LoadWhenBack {
    waiting: bool,
    api: ApiClient,
    results_tx: mpsc::UnboundedSender<Msg>,
}

impl Observer for LoadWhenBack {
    fn on_msg(&mut self, msg: &Msg) {
        if self.waiting && is_main_link_up(msg) {
            self.waiting = false;
            spawn_load(&self.api, &self.results_tx, None);
        }
    }
}

/// How image previews are drawn: from the config, the terminal's answers and the environment.
fn image_graphics(config: &Config, tui: &Tui) -> Graphics {
    if config.images == crate::config::ImagesMode::Off {
        return Graphics::HalfBlocks;
    }
    let env = crate::termcaps::TermEnv::from_env(&|name| std::env::var(name).ok());
    let graphics = crate::termcaps::choose(config.image_protocol, &tui.caps(), &env);
    tracing::info!(
        "image previews: {graphics:?} (image_protocol = {:?}, {env:?})",
        config.image_protocol
    );
    graphics
}

/// Run the external editor on a draft, with the terminal handed over and taken back.
async fn external_editor(
    tui: &mut Tui,
    channel: app::ChannelId,
    text: &str,
) -> std::io::Result<Msg> {
    let editor = editor::editor_command(&|name| std::env::var(name).ok());
    tui.suspend();
    let edited = editor::edit(&editor, &std::env::temp_dir(), text).await;
    tui.resume()?;
    Ok(match edited {
        Ok(text) => Msg::EditedExternally { channel, text },
        Err(reason) => {
            tracing::warn!("{reason}");
            Msg::ActionFailed(reason)
        }
    })
}

/// The configured theme for this terminal (`NO_COLOR`, colour depth).
fn theme(config: &Config) -> crate::ui::theme::Theme {
    use crate::ui::theme::{ColorDepth, Theme};
    let env = |name: &str| std::env::var(name).ok();
    let no_color = env("NO_COLOR").is_some_and(|v| !v.is_empty());
    // Checked when the config was read; an error here cannot happen, but never panic on it.
    Theme::from_config(&config.theme, no_color, ColorDepth::detect(&env)).unwrap_or_default()
}

/// The store of this account and server, unless the configuration says memory only.
fn open_store(config: &Config, user: &UserId) -> Result<Option<Store>, StoreOpenError> {
    if !config.store {
        return Ok(None);
    }
    let root = match &config.store_dir {
        Some(dir) => dir.clone(),
        None => crate::paths::stores_dir().map_err(|e| StoreOpenError(e.to_string()))?,
    };
    let account = AccountKey::new(&config.api_url, user);
    let store = Store::open(&root, &account, Limits::from_config(config))
        .map_err(|e| StoreOpenError(e.to_string()))?;
    if let Err(e) = crate::store::account::remember_user(&root, &config.api_url, user) {
        tracing::warn!("store: cannot note the last user: {e}");
    }
    tracing::info!("message store: {}", store.path().display());
    Ok(Some(store))
}

/// The teams of the cached start-up data.
fn cached_teams(cached: &[Msg]) -> Vec<TeamId> {
    cached
        .iter()
        .find_map(|m| match m {
            Msg::Cached(data) => Some(data.teams.iter().map(|t| t.id.clone()).collect()),
            _ => None,
        })
        .unwrap_or_default()
}

/// Whether this says the main gateway socket is connected (the server is reachable).
fn is_main_link_up(msg: &Msg) -> bool {
    matches!(
        msg,
        Msg::Link {
            group: LinkGroup::Main,
            state: LinkStatus::Connected
        }
    )
}

/// Load teams, channels and DMs in the background (asking `/me` first when `me` is not known).
fn spawn_load(api: &ApiClient, tx: &mpsc::UnboundedSender<Msg>, me: Option<Me>) {
    let (api, tx) = (api.clone(), tx.clone());
    tokio::spawn(async move {
        let me = match me {
            Some(me) => me,
            None => match api.me().await {
                Ok(me) => me,
                Err(e) => {
                    let _ = tx.send(Msg::ApiFailed {
                        op: ApiOp::Start,
                        failure: effects::api_failure(&e),
                    });
                    return;
                }
            },
        };
        for msg in load::initial(api, me).await {
            let _ = tx.send(msg);
        }
    });
}

/// Why the store could not be opened (the client then runs from memory only).
#[derive(Debug, thiserror::Error)]
#[error("cannot open the message store: {0}")]
struct StoreOpenError(String);

/// What the store has for the first frame: the sidebar (as `Cached`), then the sends the
/// last run left unanswered. Entries the server accepted are done with.
async fn from_store(store: &StoreHandle) -> Vec<Msg> {
    let answer = store.query(|q| Ok((q.snapshot()?, q.outbox()?))).await;
    match answer {
        Ok((snapshot, outbox)) => {
            let (sent, unsent): (Vec<_>, Vec<_>) = outbox
                .into_iter()
                .partition(|e| e.state == OutboxState::Sent);
            for entry in sent {
                store.write(Write::OutboxRemove(entry.message_id));
            }
            snapshot
                .map(|s| Msg::Cached(s.data))
                .into_iter()
                .chain(std::iter::once(Msg::RestoreOutbox(unsent)))
                .collect()
        }
        Err(e) => {
            tracing::warn!("store: reading the snapshot: {e}");
            vec![Msg::StoreUnavailable(e.to_string())]
        }
    }
}

/// Gateway output as a reducer message (one per event: no list to allocate for each of a
/// flood). A backfill is merged as if it had arrived live.
#[doc(hidden)]
pub fn gateway_msg(ev: GatewayEvent) -> Msg {
    match ev {
        GatewayEvent::Link { socket, state } => {
            let group = match socket {
                SocketKind::Main => LinkGroup::Main,
                SocketKind::Team(id) => LinkGroup::Team(id),
            };
            let state = match state {
                gateway::SocketState::Connecting => LinkStatus::Connecting,
                gateway::SocketState::Connected => LinkStatus::Connected,
                gateway::SocketState::Reconnecting { in_ms, .. } => LinkStatus::Reconnecting {
                    at: Instant::now() + Duration::from_millis(in_ms),
                },
                gateway::SocketState::Offline => LinkStatus::Offline,
            };
            Msg::Link { group, state }
        }
        GatewayEvent::Event { event, .. } => Msg::Gateway(event),
        GatewayEvent::Backfill {
            channel_id,
            messages,
        } => {
            let messages = messages
                .into_iter()
                .map(|m| convert::message_owned(m, &channel_id))
                .collect();
            Msg::Backfill {
                channel: channel_id,
                messages,
            }
        }
        GatewayEvent::Gap { channel_id, after } => Msg::Gap {
            channel: channel_id,
            after,
        },
        GatewayEvent::BackfillFailed { channel_id, error } => Msg::ApiFailed {
            op: ApiOp::Backfill {
                channel: channel_id,
            },
            failure: effects::api_failure(&error),
        },
        GatewayEvent::SessionInvalid { reason } => {
            tracing::warn!("gateway: session invalid: {reason}");
            Msg::Unauthorized
        }
    }
}
