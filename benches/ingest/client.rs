//! gilt's side of the ingest benchmark, run in its own process (the bench binary started
//! again with `GILT_INGEST_ROLE=gilt`), so that its CPU time is its own: log in to the
//! built-in server, load, open the gateway to the stream server, and fold every event
//! through the reducer and the effect executor, drawing a 120×40 `TestBackend` at most once
//! per frame — the runtime's own loop (`gilt::runtime::event_loop`, set up in
//! `support/child.rs`), without the terminal and the store.
//!
//! Talks to the bench on stdout: `READY <channel>` once the first channel's history is
//! loaded and the main link is up; `DONE <events> <newest message id>` once the last event is
//! folded and drawn. Then it waits for its stdin to close.

use gilt::app::{App, LinkGroup, LinkStatus, Msg};
use gilt::gateway::GatewayConfig;
use gilt::protocol::events::GuildedEvent;
use gilt::runtime::event_loop::{Observer, Step};

use crate::child::{self, Env, say};

const ENV: Env = Env("GILT_INGEST");

pub fn run() {
    child::block_on(ingest());
}

async fn ingest() {
    let want: usize = ENV.var("EVENTS").parse().unwrap();
    let session = child::login(&ENV).await;
    let teams = session.me.teams.iter().map(|t| t.id.clone()).collect();
    let gateway = GatewayConfig::new(ENV.var("GATEWAY"), teams);
    let parts = child::start(session, gateway, None).await;
    // Stays alive, links up, after DONE until the bench has read the CPU time.
    let mut bench = Bench {
        want,
        folded: 0,
        connected: false,
        ready: false,
        done: false,
    };
    child::run(parts, &mut bench).await;
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
            let channel = app.current.as_ref().map_or("", |c| c.as_str());
            say(format_args!("READY {channel}"));
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
        say(format_args!("DONE {} {newest}", self.folded));
    }
}
