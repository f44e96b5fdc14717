//! Bounded memory and the first frame, with 100,000 messages over 50 channels in the store.
//!
//! The parent builds the store once (the corpus of `benches/store.rs`, every channel's
//! history marked complete as if read from the server), then runs each measurement in a
//! fresh child process (this binary again), so each RSS figure is one process's own:
//!
//! - *first frame*: from opening the store to the first frame drawn (the sidebar and the
//!   last channel's newest page from the store; what gilt does before any network answer);
//! - *RSS*: after opening all 50 channels in turn and reading 1,000 messages back in each
//!   (PageUp, pages from the store), with the window (a store open) and without it (the
//!   memory-only limits: `history_limit` per channel, `loaded_channels` channels).
//!
//! Run: `cargo bench --bench window` (`GILT_STORE_BENCH_MESSAGES=N` for another corpus).

#![allow(clippy::unwrap_used, clippy::expect_used)]
// `query(|q| q.snapshot())` cannot name the method: it is not general over the lifetime.
#![allow(clippy::redundant_closure_for_method_calls)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gilt::app::key::{Key, KeyCode, Mods};
use gilt::app::{App, Effect, Msg, Settings, StoredPage, update};
use gilt::keymap::Keymap;
use gilt::store::{AccountKey, Limits, Store, StoreHandle, Write};
use gilt::testkit::corpus::{CHANNELS, channel_id, corpus, sidebar, vocabulary};
use gilt::ui::Ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Messages read back in each channel.
const READ_BACK: usize = 1000;
const CHILD: &str = "GILT_WINDOW_BENCH_CHILD";

fn message_count() -> usize {
    std::env::var("GILT_STORE_BENCH_MESSAGES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

fn account() -> AccountKey {
    AccountKey::new("http://bench/api", &"user0000".into())
}

/// This process's resident set and its peak, in KiB (`/proc/self/status`).
fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap()
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Answer the effects that read history, from the store, until none is left.
fn serve(app: &mut App, store: &StoreHandle, mut fx: Vec<Effect>) {
    while let Some(effect) = fx.pop() {
        let Effect::LoadHistory {
            channel,
            before,
            limit,
        } = effect
        else {
            continue;
        };
        let limit = limit as usize;
        let wanted = channel.clone();
        let page = match before {
            None => store
                .query(move |q| q.latest_page(&wanted, limit).map(Some))
                .wait(),
            Some(b) => store
                .query(move |q| q.page_before(&wanted, b, limit))
                .wait(),
        }
        .unwrap()
        .expect("every channel's history is complete in the store");
        let msg = Msg::StoredHistory {
            channel,
            messages: page.messages,
            has_past: page.more,
            page: before.map_or(StoredPage::Latest, StoredPage::Before),
        };
        fx.extend(update(app, msg, Instant::now()));
    }
}

fn key(app: &mut App, store: &StoreHandle, code: KeyCode, mods: Mods) {
    let fx = update(app, Msg::Key(Key::new(code, mods)), Instant::now());
    serve(app, store, fx);
}

fn child(root: &Path, window: bool) {
    let (baseline, _) = rss_kib();
    let started = Instant::now();
    let store = Store::open(root, &account(), Limits::default()).unwrap();
    let handle = store.handle();
    let snapshot = handle.query(|q| q.snapshot()).wait().unwrap().unwrap();
    let settings = Settings {
        store: window,
        ..Settings::default()
    };
    let mut app = App::new(settings, Keymap::default(), 1);
    update(
        &mut app,
        Msg::Resize {
            width: 120,
            height: 40,
        },
        Instant::now(),
    );
    update(&mut app, Msg::RestoreState(snapshot.state), Instant::now());
    let fx = update(&mut app, Msg::Cached(snapshot.data), Instant::now());
    serve(&mut app, &handle, fx);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut ui = Ui::new();
    terminal.draw(|f| ui.draw(f, &app)).unwrap();
    let first_frame = started.elapsed();
    assert!(
        app.timeline().is_some_and(|t| !t.is_empty()),
        "a page on screen"
    );
    let (after_first, _) = rss_kib();

    // Every channel opened, 1,000 messages read back in each, a frame per step.
    for _ in 0..CHANNELS {
        key(&mut app, &handle, KeyCode::Down, Mods::ALT);
        let mut read = 0;
        while read < READ_BACK {
            key(&mut app, &handle, KeyCode::PageUp, Mods::NONE);
            terminal.draw(|f| ui.draw(f, &app)).unwrap();
            let Some(tl) = app.timeline() else { break };
            if !tl.has_past && tl.scroll + 1 >= tl.len() {
                break;
            }
            // A PageUp moves half the timeline's rows: 17 messages at this size.
            read += 17;
        }
        terminal.draw(|f| ui.draw(f, &app)).unwrap();
    }
    let held: usize = app
        .timelines
        .values()
        .map(gilt::app::timeline::Timeline::len)
        .sum();
    let (rss, peak) = rss_kib();
    println!(
        "{}: first frame {:.1} ms (RSS {:.1} MiB before, {:.1} MiB after it); after all {CHANNELS} \
         channels: {held} messages held, RSS {:.1} MiB (peak {:.1} MiB)",
        if window { "window" } else { "no window" },
        first_frame.as_secs_f64() * 1000.0,
        baseline as f64 / 1024.0,
        after_first as f64 / 1024.0,
        rss as f64 / 1024.0,
        peak as f64 / 1024.0,
    );
    store.close();
}

fn build(root: &Path) -> Duration {
    let started = Instant::now();
    let store = Store::open(root, &account(), Limits::default()).unwrap();
    let handle = store.handle();
    handle.write(Write::Loaded(Box::new(sidebar())));
    let messages = corpus(message_count(), &vocabulary());
    let mut newest = std::collections::HashMap::new();
    for m in &messages {
        newest.insert(m.channel_id.clone(), m.created_at);
    }
    for page in messages.chunks(500) {
        handle.write(Write::Messages(page.to_vec()));
    }
    // As if each channel had been read back to its beginning from the server.
    for (channel, to) in newest {
        handle.write(Write::Span {
            channel,
            from: None,
            to,
        });
    }
    // The last channel open, as a previous run would leave it.
    handle.write(Write::SaveState(gilt::app::PersistedState {
        last_channel: Some(channel_id(CHANNELS - 1).into()),
        ..Default::default()
    }));
    handle.flush().wait().unwrap();
    store.close();
    started.elapsed()
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        let (window, root) = spec.split_once(':').unwrap();
        child(Path::new(root), window == "window");
        return;
    }
    // `cargo bench` passes `--bench`; a filter that names something else skips this.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && !"window".contains(&a))
    {
        return;
    }
    let root: PathBuf = std::env::temp_dir().join(format!(
        "gilt-bench-window-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&root).unwrap();
    let took = build(&root);
    println!(
        "store: {} messages over {CHANNELS} channels built in {:.1} s",
        message_count(),
        took.as_secs_f64()
    );
    for mode in ["window", "window", "window", "none"] {
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .env(CHILD, format!("{mode}:{}", root.display()))
            .status()
            .unwrap();
        assert!(status.success());
    }
    let _ = std::fs::remove_dir_all(&root);
}
