//! gilt's side of the catch-up benchmark, run in its own process (the bench binary started
//! again with `GILT_CATCHUP_ROLE=gilt`): log in to the built-in server, load, open the
//! channels it is told to (so the gateway tracks them, as the UI does), and then run the
//! runtime's loop — gateway events and REST answers folded through the reducer and the
//! effect executor, a 120×40 `TestBackend` drawn at most once per frame — with or without the
//! message store.
//!
//! Talks to the bench on stdout: `READY` once every channel is loaded and the main link is
//! up. Then, for every reconnect that brings `GILT_CATCHUP_MESSAGES` backfilled messages:
//! `CAUGHT <messages> <backfill batches> <frames> <µs from the main link connected again>
//! <µs from the first backfill> <µs from the link lost> <newest message id per channel,
//! comma-separated>`, written once the last of them is folded and a frame drawn. Stops when
//! its stdin closes.

use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

use gilt::api::{self, ApiClient};
use gilt::app::key::{Key, KeyCode, Mods};
use gilt::app::{self, App, LinkGroup, LinkStatus, Msg, Settings};
use gilt::config::Config;
use gilt::gateway::{self, BackoffConfig, GatewayConfig};
use gilt::protocol::ChannelId;
use gilt::runtime::FRAME;
use gilt::runtime::effects::Executor;
use gilt::store::{AccountKey, Limits, Store};
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
    runtime.block_on(catch_up());
}

/// One reconnect being measured.
#[derive(Default)]
struct Round {
    lost: Option<Instant>,
    connected: Option<Instant>,
    first_backfill: Option<Instant>,
    messages: usize,
    batches: usize,
    frames: usize,
}

async fn catch_up() {
    let want: usize = var("GILT_CATCHUP_MESSAGES").parse().unwrap();
    let targets: Vec<ChannelId> = var("GILT_CATCHUP_CHANNELS")
        .split(',')
        .map(ChannelId::from)
        .collect();
    gilt::logging::init(std::path::Path::new(&var("GILT_CATCHUP_LOG")), "info").unwrap();
    let api_url = var("GILT_CATCHUP_API");
    let (session, me) = api::auth::login(
        &api_url,
        &var("GILT_CATCHUP_EMAIL"),
        SecretString::from(var("GILT_CATCHUP_PASSWORD")),
    )
    .await
    .unwrap();
    let api = ApiClient::new(&api_url, session).unwrap();

    let config = Config::default();
    let store = std::env::var_os("GILT_CATCHUP_STORE").map(|root| {
        let account = AccountKey::new(&api_url, &me.user.id);
        Store::open(
            std::path::Path::new(&root),
            &account,
            Limits::from_config(&config),
        )
        .unwrap()
    });
    let mut app = App::new(Settings::from_config(&config), config.keymap.clone(), 7);
    app.settings.store = store.is_some();
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
    let mut gateway_config = GatewayConfig::new(var("GILT_CATCHUP_GATEWAY"), teams);
    // The bench drops the link every second or so; production backoff would count each as a
    // failure and wait longer every round. The wait is not part of what is measured.
    gateway_config.backoff = BackoffConfig {
        initial: Duration::from_millis(50),
        max: Duration::from_millis(300),
        ..BackoffConfig::default()
    };
    let (gateway, mut gateway_rx) = gateway::spawn(gateway_config, api.clone()).unwrap();
    let (results_tx, mut results_rx) = mpsc::unbounded_channel::<Msg>();
    let mut exec = Executor::new(
        api.clone(),
        gateway.clone(),
        results_tx,
        None,
        store.as_ref().map(Store::handle),
    );
    for msg in gilt::runtime::load::initial(api.clone(), me).await {
        for effect in app::update(&mut app, msg, Instant::now()) {
            exec.run(effect);
        }
    }
    let (closed_tx, mut stdin_closed) = tokio::sync::oneshot::channel::<()>();
    tokio::task::spawn_blocking(move || {
        let _ = std::io::stdin().lock().lines().count();
        let _ = closed_tx.send(());
    });

    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut ui = Ui::new();
    let mut last_draw: Option<Instant> = None;
    let mut connected = false;
    let mut ready = false;
    let mut presses = 0;
    let mut round = Round::default();
    let mut out = std::io::stdout();
    loop {
        // The runtime's loop: draw when something changed, at most once per FRAME; once the
        // last missed message is in, at once (that frame ends the measurement).
        let caught_up = round.messages >= want;
        let frame_due = last_draw.map(|t| t + FRAME);
        if app.take_dirty() || caught_up {
            let now = Instant::now();
            if caught_up || frame_due.is_none_or(|due| due <= now) {
                terminal.draw(|frame| ui.draw(frame, &app)).unwrap();
                last_draw = Some(now);
                if round.connected.is_some() {
                    round.frames += 1;
                }
            } else {
                app.mark_dirty();
            }
        }
        if caught_up {
            let done = Instant::now();
            let since = |t: Option<Instant>| t.map_or(0, |t| (done - t).as_micros());
            let newest: Vec<String> = targets
                .iter()
                .map(|c| {
                    app.timelines
                        .get(c)
                        .and_then(|t| t.iter().last())
                        .map(|m| m.id.as_str().to_owned())
                        .unwrap_or_default()
                })
                .collect();
            writeln!(
                out,
                "CAUGHT {} {} {} {} {} {} {}",
                round.messages,
                round.batches,
                round.frames,
                since(round.connected),
                since(round.first_backfill),
                since(round.lost),
                newest.join(",")
            )
            .unwrap();
            out.flush().unwrap();
            round = Round::default();
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
            _ = &mut stdin_closed => break,
        }
        while let Ok(ev) = gateway_rx.try_recv() {
            batch.push(gilt::runtime::gateway_msg(ev));
        }
        while let Ok(msg) = results_rx.try_recv() {
            batch.push(msg);
        }
        for msg in batch {
            match &msg {
                Msg::Link {
                    group: LinkGroup::Main,
                    state,
                } => {
                    connected = matches!(state, LinkStatus::Connected);
                    let now = Instant::now();
                    if !connected && ready && round.lost.is_none() {
                        round.lost = Some(now);
                    } else if connected && round.lost.is_some() && round.connected.is_none() {
                        round.connected = Some(now);
                    }
                }
                Msg::Backfill { messages, .. } if ready => {
                    round.first_backfill.get_or_insert_with(Instant::now);
                    round.messages += messages.len();
                    round.batches += 1;
                }
                _ => {}
            }
            for effect in app::update(&mut app, msg, Instant::now()) {
                exec.run(effect);
            }
        }
        if !ready {
            // Open channels one after another (Alt-Down) until every target is loaded, so
            // the gateway tracks them all; the last one opened stays on screen.
            let loaded = |c: &ChannelId| app.timelines.get(c).is_some_and(|t| t.loaded);
            // Wait for a target's history before moving on; pass other channels at once.
            let move_on = app
                .current
                .as_ref()
                .is_none_or(|c| !targets.contains(c) || loaded(c));
            if targets.iter().all(loaded) {
                if connected {
                    ready = true;
                    writeln!(out, "READY").unwrap();
                    out.flush().unwrap();
                }
            } else if move_on {
                presses += 1;
                assert!(presses < 64, "FAIL the channels to open were not reached");
                let key = Msg::Key(Key::new(KeyCode::Down, Mods::ALT));
                for effect in app::update(&mut app, key, Instant::now()) {
                    exec.run(effect);
                }
            }
        }
    }
    gateway.shutdown(Duration::from_millis(500)).await;
    if let Some(store) = store {
        let _ = tokio::task::spawn_blocking(move || store.close()).await;
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}
