//! gilt's side of the catch-up benchmark, run in its own process (the bench binary started
//! again with `GILT_CATCHUP_ROLE=gilt`): log in to the built-in server, load, open the
//! channels it is told to (so the gateway tracks them, as the UI does), and then run the
//! runtime's own loop (`gilt::runtime::event_loop`, headless, set up in `support/child.rs`) —
//! gateway events and REST answers folded through the reducer and the effect executor, a
//! 120×40 `TestBackend` drawn at most once per frame — with or without the message store.
//!
//! Talks to the bench on stdout: `READY` once every channel is loaded and the main link is
//! up. Then, for every reconnect that brings `GILT_CATCHUP_MESSAGES` backfilled messages:
//! `CAUGHT <messages> <backfill batches> <frames> <µs from the main link connected again>
//! <µs from the first backfill> <µs from the link lost> <newest message id per channel,
//! comma-separated>`, written once the last of them is folded and a frame drawn. Stops when
//! its stdin closes.

use std::time::{Duration, Instant};

use gilt::app::key::{Key, KeyCode, Mods};
use gilt::app::{App, LinkGroup, LinkStatus, Msg};
use gilt::gateway::{BackoffConfig, GatewayConfig};
use gilt::protocol::ChannelId;
use gilt::runtime::event_loop::{Observer, Step};

use crate::child::{self, Env, say};

const ENV: Env = Env("GILT_CATCHUP");

pub fn run() {
    child::block_on(catch_up());
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
    let want: usize = ENV.var("MESSAGES").parse().unwrap();
    let targets: Vec<ChannelId> = ENV
        .var("CHANNELS")
        .split(',')
        .map(ChannelId::from)
        .collect();
    let session = child::login(&ENV).await;
    let store = std::env::var_os("GILT_CATCHUP_STORE").map(std::path::PathBuf::from);
    let teams = session.me.teams.iter().map(|t| t.id.clone()).collect();
    let mut gateway = GatewayConfig::new(ENV.var("GATEWAY"), teams);
    // The bench drops the link every second or so; production backoff would count each as a
    // failure and wait longer every round. The wait is not part of what is measured.
    gateway.backoff = BackoffConfig {
        initial: Duration::from_millis(50),
        max: Duration::from_millis(300),
        ..BackoffConfig::default()
    };
    let parts = child::start(session, gateway, store.as_deref()).await;
    let mut bench = Bench {
        want,
        targets,
        connected: false,
        ready: false,
        presses: 0,
        round: Round::default(),
    };
    // The loop closes the store on the way out.
    child::run(parts, &mut bench).await;
}

/// What the bench watches of the loop.
struct Bench {
    want: usize,
    targets: Vec<ChannelId>,
    connected: bool,
    ready: bool,
    presses: usize,
    round: Round,
}

impl Observer for Bench {
    fn on_msg(&mut self, msg: &Msg) {
        let round = &mut self.round;
        match msg {
            Msg::Link {
                group: LinkGroup::Main,
                state,
            } => {
                self.connected = matches!(state, LinkStatus::Connected);
                let now = Instant::now();
                if !self.connected && self.ready && round.lost.is_none() {
                    round.lost = Some(now);
                } else if self.connected && round.lost.is_some() && round.connected.is_none() {
                    round.connected = Some(now);
                }
            }
            Msg::Backfill { messages, .. } if self.ready => {
                round.first_backfill.get_or_insert_with(Instant::now);
                round.messages += messages.len();
                round.batches += 1;
            }
            _ => {}
        }
    }

    fn after_batch(&mut self, app: &App) -> Step {
        if self.round.messages >= self.want {
            // The last missed message is in: draw at once (that frame ends the measurement).
            return Step::DrawNow;
        }
        if self.ready {
            return Step::Continue;
        }
        // Open channels one after another (Alt-Down) until every target is loaded, so the
        // gateway tracks them all; the last one opened stays on screen.
        let loaded = |c: &ChannelId| app.timelines.get(c).is_some_and(|t| t.loaded);
        // Wait for a target's history before moving on; pass other channels at once.
        let move_on = app
            .current
            .as_ref()
            .is_none_or(|c| !self.targets.contains(c) || loaded(c));
        if self.targets.iter().all(loaded) {
            if self.connected {
                self.ready = true;
                say(format_args!("READY"));
            }
        } else if move_on {
            self.presses += 1;
            assert!(
                self.presses < 64,
                "FAIL the channels to open were not reached"
            );
            return Step::Fold(Box::new(Msg::Key(Key::new(KeyCode::Down, Mods::ALT))));
        }
        Step::Continue
    }

    fn drawn(&mut self, app: &App) {
        let round = &mut self.round;
        if round.connected.is_some() {
            round.frames += 1;
        }
        if round.messages < self.want {
            return;
        }
        let done = Instant::now();
        let since = |t: Option<Instant>| t.map_or(0, |t| (done - t).as_micros());
        let newest: Vec<String> = self
            .targets
            .iter()
            .map(|c| {
                app.timelines
                    .get(c)
                    .and_then(|t| t.iter().last())
                    .map(|m| m.id.as_str().to_owned())
                    .unwrap_or_default()
            })
            .collect();
        say(format_args!(
            "CAUGHT {} {} {} {} {} {} {}",
            round.messages,
            round.batches,
            round.frames,
            since(round.connected),
            since(round.first_backfill),
            since(round.lost),
            newest.join(",")
        ));
        self.round = Round::default();
    }
}
