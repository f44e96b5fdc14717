//! The event loop the client and the benches share (`runtime::event_loop`), headless against
//! the built-in server: it folds what the gateway and the REST answers bring, draws, folds
//! what the observer asks (a key, a paste), draws at once when asked, and saves the reading state when
//! told to stop.

use std::time::Instant;

use gilt::app::key::{Key, KeyCode, Mods};
use gilt::app::{self, App, ChannelId, LinkGroup, LinkStatus, Msg, Settings};
use gilt::config::Config;
use gilt::gateway;
use gilt::runtime::effects::Executor;
use gilt::runtime::event_loop::{self, NoInput, Observer, Parts, Step};
use gilt::runtime::{Outcome, state_file};
use gilt::ui::Ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::{mpsc, oneshot};

use crate::support::net::{WAIT, gateway_config, login, server};
use crate::support::temp_dir;

const DRAFT: &str = "half a thought";

/// Presses Alt-Down once the first channel is loaded and the link is up, pastes a draft into
/// the next channel, asks for a frame once the draft is there, and stops the loop after it.
#[derive(Default)]
struct Script {
    connected: bool,
    first: Option<ChannelId>,
    moved_to: Option<ChannelId>,
    frames: usize,
    draw_asked: bool,
    forced_frame_seen: bool,
    stop: Option<oneshot::Sender<()>>,
}

impl Observer for Script {
    fn on_msg(&mut self, msg: &Msg) {
        if let Msg::Link {
            group: LinkGroup::Main,
            state,
        } = msg
        {
            self.connected = matches!(state, LinkStatus::Connected);
        }
    }

    fn after_batch(&mut self, app: &App) -> Step {
        let loaded = app
            .current
            .as_ref()
            .and_then(|c| app.timelines.get(c))
            .is_some_and(|t| t.loaded);
        if self.first.is_none() && self.connected && loaded {
            self.first.clone_from(&app.current);
            return Step::Fold(Box::new(Msg::Key(Key::new(KeyCode::Down, Mods::ALT))));
        }
        if self.first.is_some() && self.moved_to.is_none() && app.current != self.first {
            self.moved_to.clone_from(&app.current);
            return Step::Fold(Box::new(Msg::Paste(DRAFT.to_owned())));
        }
        let drafted = self.moved_to.as_ref().is_some_and(|c| {
            app.persisted_state().drafts.get(c).map(String::as_str) == Some(DRAFT)
        });
        if drafted && !self.draw_asked {
            self.draw_asked = true;
            return Step::DrawNow;
        }
        Step::Continue
    }

    fn drawn(&mut self, _app: &App) {
        self.frames += 1;
        if self.draw_asked {
            self.forced_frame_seen = true;
            // Stop at once: the draft is younger than the reducer's save delay, so only the
            // save on the way out can have written it.
            if let Some(stop) = self.stop.take() {
                let _ = stop.send(());
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shared_loop_folds_draws_takes_the_observers_key_and_saves_when_stopped() {
    let server = server().await;
    let (api, me) = login(&server).await;
    let dir = temp_dir("event-loop");
    let state_path = dir.join("state.json");

    let config = Config::default();
    let mut app = App::new(Settings::from_config(&config), config.keymap.clone(), 7);
    let now = Instant::now();
    app::update(&mut app, Msg::WallClock(jiff::Timestamp::now()), now);
    app::update(
        &mut app,
        Msg::Resize {
            width: 100,
            height: 30,
        },
        now,
    );
    let teams = me.teams.iter().map(|t| t.id.clone()).collect();
    let (gateway, gateway_rx) =
        gateway::spawn(gateway_config(&server, teams), api.clone()).unwrap();
    let (results_tx, results_rx) = mpsc::unbounded_channel::<Msg>();
    let mut exec = Executor::new(
        api.clone(),
        gateway.clone(),
        results_tx,
        Some(state_path.clone()),
        None,
    );
    for msg in gilt::runtime::load::initial(api.clone(), me).await {
        for effect in app::update(&mut app, msg, Instant::now()) {
            exec.run(effect);
        }
    }
    let parts = Parts {
        app,
        exec,
        ui: Ui::new(),
        gateway,
        gateway_rx,
        results_rx,
        store: None,
        crash_path: None,
    };
    let (stop_tx, stop_rx) = oneshot::channel();
    let mut script = Script {
        stop: Some(stop_tx),
        ..Script::default()
    };
    let stop = async {
        let _ = stop_rx.await;
        "the test is done".to_owned()
    };
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let outcome = tokio::time::timeout(
        WAIT,
        event_loop::run(parts, &mut terminal, NoInput, &mut script, stop),
    )
    .await
    .expect("the loop stopped in time")
    .unwrap();

    assert_eq!(outcome, Outcome::Quit);
    assert!(script.forced_frame_seen, "the frame asked for was drawn");
    assert!(script.frames >= 2, "{} frames", script.frames);
    let moved_to = script.moved_to.expect("Alt-Down moved to another channel");
    assert_ne!(Some(&moved_to), script.first.as_ref());
    // Stopping saves the reading state, as a termination signal does in the client.
    let saved = state_file::load(&state_path);
    assert_eq!(
        saved.drafts.get(&moved_to).map(String::as_str),
        Some(DRAFT),
        "saved on the way out"
    );
    assert_eq!(saved.last_channel, Some(moved_to));
    let _ = std::fs::remove_dir_all(&dir);
    server.shutdown().await;
}
