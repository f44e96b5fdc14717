//! gilt's side of the ingest benchmark, run in its own process (the bench binary started
//! again with `GILT_INGEST_ROLE=gilt`), so that its CPU time is its own: log in to the
//! built-in server, load, open the gateway to the stream server, and fold every event
//! through the reducer and the effect executor, drawing a 120×40 `TestBackend` at most once
//! per frame — the runtime's loop (`gilt::runtime`) without the terminal and the store.
//!
//! Talks to the bench on stdout: `READY <channel>` once the first channel's history is
//! loaded and the main link is up; `DONE <events> <newest message id>` once the last event is
//! folded and drawn. Then it waits for its stdin to close.

use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

use gilt::api::{self, ApiClient};
use gilt::app::{self, App, LinkGroup, LinkStatus, Msg, Settings};
use gilt::config::Config;
use gilt::gateway::{self, GatewayConfig};
use gilt::protocol::events::GuildedEvent;
use gilt::runtime::FRAME;
use gilt::runtime::effects::Executor;
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
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(ingest());
}

async fn ingest() {
    let want: usize = var("GILT_INGEST_EVENTS").parse().unwrap();
    gilt::logging::init(std::path::Path::new(&var("GILT_INGEST_LOG")), "info").unwrap();
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
    let (gateway, mut gateway_rx) = gateway::spawn(
        GatewayConfig::new(var("GILT_INGEST_GATEWAY"), teams),
        api.clone(),
    )
    .unwrap();
    let (results_tx, mut results_rx) = mpsc::unbounded_channel::<Msg>();
    let mut exec = Executor::new(api.clone(), gateway.clone(), results_tx, None, None);
    for msg in gilt::runtime::load::initial(api.clone(), me).await {
        for effect in app::update(&mut app, msg, Instant::now()) {
            exec.run(effect);
        }
    }

    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut ui = Ui::new();
    let mut last_draw: Option<Instant> = None;
    let mut connected = false;
    let mut ready = false;
    let mut folded = 0usize;
    let mut out = std::io::stdout();
    loop {
        // The runtime's loop: draw when something changed, at most once per FRAME.
        let frame_due = last_draw.map(|t| t + FRAME);
        let finished = folded >= want;
        if app.take_dirty() {
            let now = Instant::now();
            if finished || frame_due.is_none_or(|due| due <= now) {
                terminal.draw(|frame| ui.draw(frame, &app)).unwrap();
                last_draw = Some(now);
            } else {
                app.mark_dirty();
            }
        }
        if finished {
            let newest = app
                .current
                .as_ref()
                .and_then(|c| app.timelines.get(c))
                .and_then(|t| t.iter().last())
                .map(|m| m.id.as_str().to_owned())
                .unwrap_or_default();
            writeln!(out, "DONE {folded} {newest}").unwrap();
            out.flush().unwrap();
            // Stay alive, links up, until the bench has read the CPU time.
            let _ = tokio::task::spawn_blocking(|| std::io::stdin().lock().lines().count()).await;
            gateway.shutdown(Duration::from_millis(500)).await;
            return;
        }
        let redraw_at = app
            .is_dirty()
            .then(|| last_draw.map_or_else(Instant::now, |t| t + FRAME));
        let deadline = [app.next_deadline(), redraw_at].into_iter().flatten().min();

        let mut batch: Vec<Msg> = Vec::new();
        tokio::select! {
            ev = gateway_rx.recv() => match ev {
                Some(ev) => batch.push(gilt::runtime::gateway_msg(ev)),
                None => panic!("the gateway stopped"),
            },
            Some(msg) = results_rx.recv() => batch.push(msg),
            () = sleep_until(deadline) => batch.push(Msg::Tick),
        }
        while let Ok(ev) = gateway_rx.try_recv() {
            batch.push(gilt::runtime::gateway_msg(ev));
        }
        while let Ok(msg) = results_rx.try_recv() {
            batch.push(msg);
        }
        for msg in batch {
            match &msg {
                Msg::Gateway(GuildedEvent::ChatMessageCreated(_)) => folded += 1,
                Msg::Link {
                    group: LinkGroup::Main,
                    state,
                } => connected = matches!(state, LinkStatus::Connected),
                _ => {}
            }
            for effect in app::update(&mut app, msg, Instant::now()) {
                exec.run(effect);
            }
        }
        let loaded = app
            .current
            .as_ref()
            .and_then(|c| app.timelines.get(c))
            .is_some_and(|t| t.loaded);
        if !ready && connected && loaded {
            ready = true;
            let channel = app.current.as_ref().map(|c| c.as_str().to_owned());
            writeln!(out, "READY {}", channel.unwrap_or_default()).unwrap();
            out.flush().unwrap();
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}
