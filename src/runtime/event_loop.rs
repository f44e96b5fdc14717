//! The loop itself, the same code for the client and for the benches that measure it
//! (`benches/ingest`, `benches/catchup`): what they time is what users run.
//!
//! It selects over terminal input, gateway events, API results, the next deadline and a stop
//! signal; drains what else is queued, so a burst costs one frame; folds each `Msg` through
//! `app::update` and runs each effect with the [`Executor`]; draws at most once per [`FRAME`]
//! when the model changed, and reports each frame back (`Msg::Shown`, the images it wants).
//!
//! What differs between the client and a bench is behind three small traits: the
//! [`Frontend`] that draws (the real [`Tui`](crate::tui::Tui), or a headless `TestBackend`
//! terminal), the [`Input`] (crossterm's `EventStream`, or [`NoInput`]), and an
//! [`Observer`] that sees each message and each batch (how a bench counts events, says READY
//! or DONE, and presses keys). The client's observer only loads once the server is back.

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::task::Poll;
use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc;

use super::effects::{Executor, Flow};
use super::{FRAME, Outcome, crash_save, gateway_msg};
use crate::app::{self, App, ChannelId, HitMap, Msg};
use crate::gateway::{GatewayEvent, GatewayHandle};
use crate::store::Store;
use crate::ui::Ui;

/// How long quitting waits for sends on their way (the rest stay in the outbox).
const SEND_WAIT: Duration = Duration::from_secs(2);
/// How long quitting waits for the sockets to close politely.
const SHUTDOWN_WAIT: Duration = Duration::from_millis(500);

/// What draws the model.
pub trait Frontend {
    /// Draw `app` with `ui` and show it. `ui` is the loop's one renderer (its layout cache
    /// makes a redraw cost only what changed); it notes what the frame showed (`hits`) and
    /// which images it wants, which the loop passes on.
    fn draw(&mut self, ui: &mut Ui, app: &App) -> io::Result<()>;

    /// Hand the terminal to the external editor on this draft and take it back; what came of
    /// it, for the reducer. The loop has stopped reading input meanwhile.
    fn edit(&mut self, channel: ChannelId, text: &str) -> impl Future<Output = io::Result<Msg>> {
        let _ = (channel, text);
        async { Ok(Msg::ActionFailed("no terminal to edit in".to_owned())) }
    }
}

/// Headless: the benches draw into a ratatui `TestBackend` (ratatui's own diff, no terminal).
impl Frontend for Terminal<TestBackend> {
    fn draw(&mut self, ui: &mut Ui, app: &App) -> io::Result<()> {
        match Terminal::draw(self, |frame| ui.draw(frame, app)) {
            Ok(_) => Ok(()),
            Err(never) => match never {},
        }
    }
}

/// Where terminal events come from.
pub trait Input {
    /// The next event; `None` once the input has ended (the loop then saves and quits).
    fn next(&mut self) -> impl Future<Output = Option<io::Result<Event>>>;
    /// An event that is already waiting, without waiting for one.
    fn queued(&mut self) -> impl Future<Output = Option<Event>>;
    /// Stop reading: another program has the terminal (until [`Input::resume`]).
    fn pause(&mut self) {}
    fn resume(&mut self) {}
}

/// The terminal's events (crossterm's `EventStream`).
pub struct TerminalInput(Option<EventStream>);

impl TerminalInput {
    pub fn new() -> Self {
        Self(Some(EventStream::new()))
    }
}

impl Default for TerminalInput {
    fn default() -> Self {
        Self::new()
    }
}

impl Input for TerminalInput {
    async fn next(&mut self) -> Option<io::Result<Event>> {
        match &mut self.0 {
            Some(events) => events.next().await,
            None => std::future::pending().await,
        }
    }

    async fn queued(&mut self) -> Option<Event> {
        let events = self.0.as_mut()?;
        // Polled with this task's waker: crossterm's stream parks its wake-up task on the
        // waker it last saw, so polling it with a dummy one would leave later keys unnoticed.
        std::future::poll_fn(|cx| {
            Poll::Ready(match events.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(ev))) => Some(ev),
                _ => None,
            })
        })
        .await
    }

    // The stream reads the terminal from its own thread: it must be gone while the editor
    // has the terminal, or it would take the editor's keys.
    fn pause(&mut self) {
        self.0 = None;
    }

    fn resume(&mut self) {
        self.0 = Some(EventStream::new());
    }
}

/// No terminal (the benches): never an event, never the end of input.
pub struct NoInput;

impl Input for NoInput {
    async fn next(&mut self) -> Option<io::Result<Event>> {
        std::future::pending().await
    }

    async fn queued(&mut self) -> Option<Event> {
        None
    }
}

/// What the loop's owner wants to see of it. It may look, not decide: the reducer decides.
pub trait Observer {
    /// Each message, just before it is folded.
    fn on_msg(&mut self, msg: &Msg) {
        let _ = msg;
    }
    /// After each batch is folded and its effects run.
    fn after_batch(&mut self, app: &App) -> Step {
        let _ = app;
        Step::Continue
    }
    /// After each frame is drawn (and reported back to the reducer).
    fn drawn(&mut self, app: &App) {
        let _ = app;
    }
}

impl Observer for () {}

/// What the observer asks for after a batch.
#[derive(Debug)]
pub enum Step {
    Continue,
    /// Fold this message too, now, as if it had come in the batch (a bench pressing a key).
    Fold(Box<Msg>),
    /// Draw at the top of the next turn, due or not and changed or not: the frame that ends a
    /// bench's measurement.
    DrawNow,
}

/// What the loop runs on, set up by `runtime::run` or by a bench.
pub struct Parts {
    pub app: App,
    pub exec: Executor,
    pub ui: Ui,
    /// Shut down on the way out.
    pub gateway: GatewayHandle,
    pub gateway_rx: mpsc::Receiver<GatewayEvent>,
    /// Answers of the executor's tasks (its `results_tx`).
    pub results_rx: mpsc::UnboundedReceiver<Msg>,
    /// Closed on the way out, after the sockets.
    pub store: Option<Store>,
    /// The state file a panic saves the drafts to (`crash_save`); `None`: not kept.
    pub crash_path: Option<PathBuf>,
}

/// Run the loop until the input ends, `stop` resolves (with why), the user quits or the
/// server rejects the session. It saves what should be saved, waits a little for sends and
/// the sockets, and closes the store before it returns.
pub async fn run(
    parts: Parts,
    frontend: &mut impl Frontend,
    mut input: impl Input,
    observer: &mut impl Observer,
    stop: impl Future<Output = String>,
) -> io::Result<Outcome> {
    let Parts {
        mut app,
        mut exec,
        mut ui,
        gateway,
        mut gateway_rx,
        mut results_rx,
        store,
        crash_path,
    } = parts;
    let mut last_draw: Option<Instant> = None;
    let mut draw_now = false;
    let mut gateway_open = true;
    // Created once: a stop that comes while a batch is being folded is kept, not lost.
    let mut stop = std::pin::pin!(stop);

    loop {
        // The title once per turn (the set-up's, then each batch's), not once per message:
        // it sums every channel's unread count.
        if let Some(title) = app::refresh_title(&mut app) {
            exec.run(title);
        }
        // Draw when something changed, but not more often than FRAME.
        let frame_due = last_draw.map(|t| t + FRAME);
        if app.take_dirty() || draw_now {
            let now = Instant::now();
            if draw_now || frame_due.is_none_or(|due| due <= now) {
                draw_now = false;
                frontend.draw(&mut ui, &app)?;
                last_draw = Some(now);
                // Before any key: the reducer keeps the selection in view with what this
                // frame showed (the answer to it has no effects and needs no redraw).
                if let Some(shown) = ui.hits.shown.clone() {
                    let _ = app::update(&mut app, Msg::Shown(shown), now);
                }
                if !ui.wanted_images.is_empty() {
                    let _ = exec
                        .results_tx
                        .send(Msg::ImagesWanted(std::mem::take(&mut ui.wanted_images)));
                }
                observer.drawn(&app);
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
            ev = input.next() => match ev {
                Some(Ok(ev)) => batch.extend(terminal_msg(ev, &ui.hits)),
                Some(Err(e)) => return Err(e),
                None => return Ok(close(&app, &mut exec, gateway, store, true).await),
            },
            ev = gateway_rx.recv(), if gateway_open => match ev {
                Some(ev) => batch.push(gateway_msg(ev)),
                None => gateway_open = false,
            },
            Some(msg) = results_rx.recv() => batch.push(msg),
            () = sleep_until(deadline) => batch.push(Msg::Tick),
            why = &mut stop => {
                tracing::info!("{why}, quitting");
                return Ok(close(&app, &mut exec, gateway, store, true).await);
            }
        }
        // Drain whatever else is already queued, so a burst costs one frame.
        while let Some(ev) = input.queued().await {
            batch.extend(terminal_msg(ev, &ui.hits));
        }
        while let Ok(ev) = gateway_rx.try_recv() {
            batch.push(gateway_msg(ev));
        }
        while let Ok(msg) = results_rx.try_recv() {
            batch.push(msg);
        }
        for msg in batch {
            if fold(&mut app, &mut exec, frontend, &mut input, observer, msg).await? {
                return Ok(close(&app, &mut exec, gateway, store, false).await);
            }
        }
        match observer.after_batch(&app) {
            Step::Continue => {}
            Step::DrawNow => draw_now = true,
            Step::Fold(msg) => {
                if fold(&mut app, &mut exec, frontend, &mut input, observer, *msg).await? {
                    return Ok(close(&app, &mut exec, gateway, store, false).await);
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
            close_store(store).await;
            return Ok(Outcome::LoggedOut);
        }
    }
}

/// Fold one message and run its effects; whether the user quit (the effects after the quit
/// are not run).
async fn fold(
    app: &mut App,
    exec: &mut Executor,
    frontend: &mut impl Frontend,
    input: &mut impl Input,
    observer: &mut impl Observer,
    msg: Msg,
) -> io::Result<bool> {
    observer.on_msg(&msg);
    for effect in app::update(app, msg, Instant::now()) {
        match exec.run(effect) {
            Flow::Continue => {}
            Flow::Quit => return Ok(true),
            Flow::Edit { channel, text } => {
                input.pause();
                let answer = frontend.edit(channel, &text).await?;
                input.resume();
                let _ = exec.results_tx.send(answer);
            }
        }
    }
    Ok(false)
}

/// Leave: save the reading state first when the reducer has not (the input ended, a stop
/// signal), wait a little for sends and the sockets, close the store.
async fn close(
    app: &App,
    exec: &mut Executor,
    gateway: GatewayHandle,
    store: Option<Store>,
    save: bool,
) -> Outcome {
    if save {
        exec.run(app::Effect::SaveState(app.persisted_state()));
    }
    exec.settle_sends(SEND_WAIT).await;
    gateway.shutdown(SHUTDOWN_WAIT).await;
    close_store(store).await;
    if app.auth_lost {
        Outcome::LoggedOut
    } else {
        Outcome::Quit
    }
}

/// Commit what is queued and stop the store's thread (off the async threads: it waits).
async fn close_store(store: Option<Store>) {
    if let Some(store) = store
        && tokio::task::spawn_blocking(move || store.close())
            .await
            .is_err()
    {
        tracing::error!("store: closing failed");
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

/// Terminal events the reducer cares about (key presses and repeats, paste, resize, focus,
/// clicks and the wheel — these with where the last frame drew what).
fn terminal_msg(ev: Event, hits: &HitMap) -> Option<Msg> {
    match ev {
        Event::Key(key) => crate::tui::key(&key).map(Msg::Key),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        Event::FocusGained => Some(Msg::Focus(true)),
        Event::FocusLost => Some(Msg::Focus(false)),
        Event::Mouse(event) => crate::tui::mouse(&event).map(|mouse| Msg::Mouse {
            mouse,
            hits: Box::new(hits.clone()),
        }),
    }
}
