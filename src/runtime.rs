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

mod crash_save;
// Public for the integration tests that drive the real reducer, gateway and effects
// without a terminal (the soak test); not an API.
#[doc(hidden)]
pub mod effects;
#[doc(hidden)]
pub mod load;
pub mod state_file;

use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream};
use std::task::Poll;

use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::api::ApiClient;
use crate::app::{self, ApiOp, App, LinkGroup, LinkStatus, Msg, Settings, convert};
use crate::config::Config;
use crate::gateway::{self, GatewayConfig, GatewayEvent, SocketKind};
use crate::protocol::models::Me;
use crate::tui::Tui;

use self::effects::{Executor, Flow};

/// Shortest time between two frames (≈ 60 frames per second).
pub const FRAME: Duration = Duration::from_millis(16);
/// How long quitting waits for the sockets to close politely.
const SHUTDOWN_WAIT: Duration = Duration::from_millis(500);

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

/// Run the client until the user quits.
pub async fn run(
    tui: &mut Tui,
    config: &Config,
    api: ApiClient,
    me: Me,
) -> Result<Outcome, RuntimeError> {
    // The id generator only needs to differ between runs; a v4 uuid is a good random source.
    let seed = uuid::Uuid::new_v4().as_u64_pair().0;
    let mut app = App::new(Settings::from_config(config), config.keymap.clone(), seed);
    let start = Instant::now();
    app.time_zone = jiff::tz::TimeZone::system();
    app::update(&mut app, Msg::WallClock(jiff::Timestamp::now()), start);
    let size = tui.terminal().size()?;
    app::update(
        &mut app,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
        start,
    );
    let state_path = match crate::paths::state_dir() {
        Ok(dir) => Some(dir.join("state.json")),
        Err(e) => {
            tracing::warn!("no state directory ({e}); drafts will not be kept");
            None
        }
    };
    if let Some(path) = &state_path {
        app::update(&mut app, Msg::RestoreState(state_file::load(path)), start);
    }

    let team_ids = me.teams.iter().map(|t| t.id.clone()).collect();
    let (gateway, mut gateway_rx) = gateway::spawn(
        GatewayConfig::new(&config.gateway_url, team_ids),
        api.clone(),
    )?;
    let (results_tx, mut results_rx) = mpsc::unbounded_channel::<Msg>();
    {
        let (api, tx) = (api.clone(), results_tx.clone());
        tokio::spawn(async move {
            for msg in load::initial(api, me).await {
                let _ = tx.send(msg);
            }
        });
    }
    crash_save::install();
    let crash_path = state_path.clone();
    let mut exec = Executor::new(api, gateway.clone(), results_tx, state_path);
    let mut events = EventStream::new();
    let mut last_draw: Option<Instant> = None;
    // One renderer for the whole run: its layout cache makes a redraw cost only what changed.
    let mut ui = crate::ui::Ui::new();
    let mut gateway_open = true;
    // Created once: a signal that arrives while a batch is being folded is kept, not lost.
    let mut quit_signal = std::pin::pin!(crate::tui::termination_signal());

    loop {
        // Draw when something changed, but not more often than FRAME.
        let frame_due = last_draw.map(|t| t + FRAME);
        if app.take_dirty() {
            let now = Instant::now();
            if frame_due.is_none_or(|due| due <= now) {
                tui.terminal().draw(|frame| ui.draw(frame, &app))?;
                last_draw = Some(now);
            } else {
                // Too soon: keep the flag and wake at the frame boundary.
                app.mark_dirty();
            }
        }
        let redraw_at = app
            .is_dirty()
            .then(|| last_draw.map_or_else(Instant::now, |t| t + FRAME));
        let deadline = [app.next_deadline(), redraw_at].into_iter().flatten().min();

        let mut batch: Vec<Msg> = Vec::new();
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => batch.extend(terminal_msg(ev)),
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(finish(&app, &mut exec, gateway).await),
            },
            ev = gateway_rx.recv(), if gateway_open => match ev {
                Some(ev) => batch.extend(gateway_msgs(ev)),
                None => gateway_open = false,
            },
            Some(msg) = results_rx.recv() => batch.push(msg),
            () = sleep_until(deadline) => batch.push(Msg::Tick),
            signal = &mut quit_signal => {
                tracing::info!("received {signal}, quitting");
                return Ok(finish(&app, &mut exec, gateway).await);
            }
        }
        // Drain whatever else is already queued, so a burst costs one frame.
        // (Polled with this task's waker: crossterm's stream parks its wake-up task on the
        // waker it last saw, so polling it with a dummy one would leave later keys unnoticed.)
        while let Poll::Ready(Some(Ok(ev))) =
            std::future::poll_fn(|cx| Poll::Ready(events.poll_next_unpin(cx))).await
        {
            batch.extend(terminal_msg(ev));
        }
        while let Ok(ev) = gateway_rx.try_recv() {
            batch.extend(gateway_msgs(ev));
        }
        while let Ok(msg) = results_rx.try_recv() {
            batch.push(msg);
        }
        for msg in batch {
            for effect in app::update(&mut app, msg, Instant::now()) {
                if exec.run(effect) == Flow::Quit {
                    gateway.shutdown(SHUTDOWN_WAIT).await;
                    return Ok(outcome(&app));
                }
            }
        }
        if let Some(path) = &crash_path
            && app.is_dirty()
        {
            crash_save::remember(path, app.persisted_state());
        }
        if app.auth_lost {
            // The session is gone (the reducer has saved the drafts): hand back to main,
            // which asks for a new login and starts over with the drafts restored.
            tracing::warn!("session rejected by the server; logging in again");
            gateway.shutdown(SHUTDOWN_WAIT).await;
            return Ok(Outcome::LoggedOut);
        }
    }
}

fn outcome(app: &App) -> Outcome {
    if app.auth_lost {
        Outcome::LoggedOut
    } else {
        Outcome::Quit
    }
}

/// Save and leave (input closed or a termination signal).
async fn finish(app: &App, exec: &mut Executor, gateway: gateway::GatewayHandle) -> Outcome {
    exec.run(app::Effect::SaveState(app.persisted_state()));
    gateway.shutdown(SHUTDOWN_WAIT).await;
    outcome(app)
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

/// Terminal events the reducer cares about (key presses and repeats, paste, resize).
fn terminal_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(key) => crate::tui::key(&key).map(Msg::Key),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}

/// Gateway output as reducer messages. A backfill is merged as if it had arrived live.
#[doc(hidden)]
pub fn gateway_msgs(ev: GatewayEvent) -> Vec<Msg> {
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
            vec![Msg::Link { group, state }]
        }
        GatewayEvent::Event { event, .. } => vec![Msg::Gateway(event)],
        GatewayEvent::Backfill {
            channel_id,
            messages,
        } => {
            let messages = messages
                .iter()
                .map(|m| convert::message(m, &channel_id))
                .collect();
            vec![Msg::Backfill {
                channel: channel_id,
                messages,
            }]
        }
        GatewayEvent::Gap { channel_id, after } => vec![Msg::Gap {
            channel: channel_id,
            after,
        }],
        GatewayEvent::BackfillFailed { channel_id, error } => vec![Msg::ApiFailed {
            op: ApiOp::Backfill {
                channel: channel_id,
            },
            failure: effects::api_failure(&error),
        }],
        GatewayEvent::SessionInvalid { reason } => {
            tracing::warn!("gateway: session invalid: {reason}");
            vec![Msg::Unauthorized]
        }
    }
}
