//! gilt's side of the ingest benchmark, run in its own process (the bench binary started
//! again with `GILT_INGEST_ROLE=gilt`), so that its CPU time is its own: log in to the
//! built-in server, load, open the gateway to the stream server, and fold every event
//! through the reducer and the effect executor, drawing a 120×40 `TestBackend` at most once
//! per frame — the runtime's own loop (`gilt::runtime::event_loop`), without the terminal
//! and the store.
//!
//! Talks to the bench on stdout: `READY <channel>` once the first channel's history is
//! loaded and the main link is up; `DONE <events> <newest message id>` once the last event is
//! folded and drawn. Then it waits for its stdin to close.

use std::io::{BufRead, Write};
use std::time::Instant;

use gilt::api::{self, ApiClient};
use gilt::app::{self, App, LinkGroup, LinkStatus, Msg, Settings};
use gilt::config::Config;
use gilt::gateway::{self, GatewayConfig};
use gilt::protocol::events::GuildedEvent;
use gilt::runtime::effects::Executor;
use gilt::runtime::event_loop::{self, NoInput, Observer, Parts, Step};
use gilt::ui::Ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secrecy::SecretString;
use tokio::sync::mpsc;

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

pub fn run() {
    // As `main.rs` builds it.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(ingest());
}

async fn ingest() {
    let want: usize = var("GILT_INGEST_EVENTS").parse().unwrap();
    let log = std::path::PathBuf::from(var("GILT_INGEST_LOG"));
    gilt::logging::init(&log, "info").unwrap();
    let api_url = var("GILT_INGEST_API");
    let (session, me) = api::auth::login(
        &api_url,
        &var("GILT_INGEST_EMAIL"),
        SecretString::from(var("GILT_INGEST_PASSWORD")),
    )
    .await
    .unwrap();
    let api = ApiClient::new(&api_url, session).unwrap();

    let config = Config::default();
    let mut app = App::new(Settings::from_config(&config), config.keymap.clone(), 7);
    let start = Instant::now();
    app::update(&mut app, Msg::WallClock(jiff::Timestamp::now()), start);
    app::update(
        &mut app,
        Msg::Resize {
            width: 120,
            height: 40,
        },
        start,
    );
    let teams = me.teams.iter().map(|t| t.id.clone()).collect();
    let (gateway, gateway_rx) = gateway::spawn(
        GatewayConfig::new(var("GILT_INGEST_GATEWAY"), teams),
        api.clone(),
    )
    .unwrap();
    let (results_tx, results_rx) = mpsc::unbounded_channel::<Msg>();
    let mut exec = Executor::new(api.clone(), gateway.clone(), results_tx, None, None);
    for msg in gilt::runtime::load::initial(api.clone(), me).await {
        for effect in app::update(&mut app, msg, Instant::now()) {
            exec.run(effect);
        }
    }
    // Stay alive, links up, until the bench has read the CPU time and closes stdin.
    let stdin_closed = async {
        let _ = tokio::task::spawn_blocking(|| std::io::stdin().lock().lines().count()).await;
        "stdin closed".to_owned()
    };

    let parts = Parts {
        app,
        exec,
        ui: Ui::new(),
        gateway,
        gateway_rx,
        results_rx,
        store: None,
        // As the client keeps it (never written: no panic hook here).
        crash_path: Some(log.with_file_name("state.json")),
    };
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut bench = Bench {
        want,
        folded: 0,
        connected: false,
        ready: false,
        done: false,
    };
    event_loop::run(parts, &mut terminal, NoInput, &mut bench, stdin_closed)
        .await
        .unwrap();
}

/// What the bench watches of the loop.
struct Bench {
    want: usize,
    folded: usize,
    connected: bool,
    ready: bool,
    done: bool,
}

impl Bench {
    fn finished(&self) -> bool {
        self.folded >= self.want
    }
}

impl Observer for Bench {
    fn on_msg(&mut self, msg: &Msg) {
        match msg {
            Msg::Gateway(GuildedEvent::ChatMessageCreated(_)) => self.folded += 1,
            Msg::Link {
                group: LinkGroup::Main,
                state,
            } => self.connected = matches!(state, LinkStatus::Connected),
            _ => {}
        }
    }

    fn after_batch(&mut self, app: &App) -> Step {
        if self.finished() && !self.done {
            // The last event is in: draw it at once, and that frame says DONE.
            return Step::DrawNow;
        }
        let loaded = app
            .current
            .as_ref()
            .and_then(|c| app.timelines.get(c))
            .is_some_and(|t| t.loaded);
        if !self.ready && self.connected && loaded {
            self.ready = true;
            let channel = app.current.as_ref().map(|c| c.as_str().to_owned());
            let mut out = std::io::stdout();
            writeln!(out, "READY {}", channel.unwrap_or_default()).unwrap();
            out.flush().unwrap();
        }
        Step::Continue
    }

    fn drawn(&mut self, app: &App) {
        if !self.finished() || self.done {
            return;
        }
        self.done = true;
        let newest = app
            .current
            .as_ref()
            .and_then(|c| app.timelines.get(c))
            .and_then(|t| t.iter().last())
            .map(|m| m.id.as_str().to_owned())
            .unwrap_or_default();
        let mut out = std::io::stdout();
        writeln!(out, "DONE {} {newest}", self.folded).unwrap();
        out.flush().unwrap();
    }
}
