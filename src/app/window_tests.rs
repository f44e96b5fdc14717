//! The window of history kept in memory with a local store, and the paging decisions around
//! it: what is trimmed, what is asked for, which pages are dropped (they would leave a gap),
//! and which stretch the store is told is complete.

use std::time::Instant;

use super::key::{Key, KeyCode, Mods};
use super::persist::Write;
use super::settings::STORE_WINDOW;
use super::*;
use crate::testkit::script::*;

fn page(channel: &str, from: i64, n: i64) -> Vec<Message> {
    (from..from + n)
        .map(|i| message(&format!("m{i:05}"), channel, "alice001", i, "x"))
        .collect()
}

fn server_page(channel: &str, messages: Vec<Message>, older: bool) -> Msg {
    Msg::History {
        channel: channel.into(),
        messages,
        has_past: true,
        older,
    }
}

fn stored(channel: &str, messages: Vec<Message>, page: StoredPage) -> Msg {
    Msg::StoredHistory {
        channel: channel.into(),
        messages,
        has_past: true,
        page,
    }
}

fn spans(fx: &[Effect]) -> Vec<(Option<Timestamp>, Timestamp)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Persist(Write::Span { from, to, .. }) => Some((*from, *to)),
            _ => None,
        })
        .collect()
}

fn older_asked(fx: &[Effect]) -> Option<Timestamp> {
    fx.iter().find_map(|e| match e {
        Effect::LoadHistory {
            before: Some(b), ..
        } => Some(*b),
        _ => None,
    })
}

/// Loaded, with a store, #general open and nothing loaded in it yet.
fn with_store(t0: Instant) -> App {
    let settings = Settings {
        store: true,
        ..Settings::default()
    };
    let mut app = App::new(settings, crate::keymap::Keymap::default(), 7);
    update(&mut app, Msg::WallClock(ts(100_000)), t0);
    update(&mut app, Msg::Loaded(initial()), t0);
    app.focus = Focus::Timeline;
    app
}

fn key(app: &mut App, code: KeyCode, t0: Instant) -> Vec<Effect> {
    update(app, Msg::Key(Key::new(code, Mods::NONE)), t0)
}

#[test]
fn with_a_store_a_channel_keeps_a_window_and_a_page_once_off_screen() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    assert!(app.settings.window() < app.settings.history_limit);
    update(
        &mut app,
        server_page(GENERAL, page(GENERAL, 10_000, 50), false),
        t0,
    );
    for i in 0..500 {
        update(
            &mut app,
            created(message(
                &format!("live{i:04}"),
                GENERAL,
                "bob00001",
                20_000 + i,
                "x",
            )),
            t0,
        );
    }
    let tl = app.timeline().unwrap();
    assert_eq!(tl.len(), STORE_WINDOW, "at the newest: the window");
    assert!(tl.has_past);

    // Another channel opened: #general keeps a page, its newest.
    let fx = update(&mut app, Msg::Key(Key::new(KeyCode::Down, Mods::ALT)), t0);
    assert_ne!(app.current, Some(GENERAL.into()), "{fx:?}");
    let tl = &app.timelines[GENERAL];
    assert_eq!(tl.len(), HISTORY_PAGE as usize);
    assert_eq!(tl.iter().last().unwrap().id, "live0499");

    // Without a store, nothing is trimmed to a page.
    let mut app = loaded(t0);
    for i in 0..300 {
        update(
            &mut app,
            created(message(
                &format!("live{i:04}"),
                GENERAL,
                "bob00001",
                20_000 + i,
                "x",
            )),
            t0,
        );
    }
    update(&mut app, Msg::Key(Key::new(KeyCode::Down, Mods::ALT)), t0);
    assert_eq!(app.timelines[GENERAL].len(), 300);
}

#[test]
fn scrolling_back_asks_for_the_page_before_the_oldest_held_and_takes_it_from_the_store() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    update(
        &mut app,
        server_page(GENERAL, page(GENERAL, 10_000, 50), false),
        t0,
    );
    let mut oldest = 10_000;
    let mut asked = 0;
    // Up and up: every page joins the oldest held; the view never loses its place.
    for _ in 0..200 {
        let fx = key(&mut app, KeyCode::PageUp, t0);
        if let Some(before) = older_asked(&fx) {
            assert_eq!(before, ts(oldest), "the page before the oldest held");
            asked += 1;
            oldest -= 50;
            update(
                &mut app,
                stored(
                    GENERAL,
                    page(GENERAL, oldest, 50),
                    StoredPage::Before(before),
                ),
                t0,
            );
        }
        let tl = app.timeline().unwrap();
        assert!(tl.len() <= 4 * STORE_WINDOW, "the hard cap: {}", tl.len());
        if asked >= 30 {
            break;
        }
    }
    assert!(asked >= 30, "pages asked: {asked}");
    let tl = app.timeline().unwrap();
    assert!(tl.missing_newer, "the newest went to keep the cap");
    // What is held is one unbroken run of the channel.
    let held: Vec<_> = tl.iter().map(|m| m.created_at).collect();
    assert!(
        held.windows(2)
            .all(|w| w[1].as_second() - w[0].as_second() == 1)
    );
    assert_eq!(held[0], ts(oldest));
}

#[test]
fn a_page_that_would_leave_a_gap_is_dropped() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    update(
        &mut app,
        server_page(GENERAL, page(GENERAL, 10_000, 50), false),
        t0,
    );
    app.timelines.get_mut(GENERAL).unwrap().scroll_to_top();
    let fx = key(&mut app, KeyCode::PageUp, t0);
    let before = older_asked(&fx).expect("an older page is asked for");
    // Meanwhile the oldest held changed (a page from elsewhere landed): the store's answer
    // for the old bound does not join it.
    let tl = app.timelines.get_mut(GENERAL).unwrap();
    tl.insert(message("early", GENERAL, "bob00001", 9_000, "x"));
    update(
        &mut app,
        stored(
            GENERAL,
            page(GENERAL, 9_950, 50),
            StoredPage::Before(before),
        ),
        t0,
    );
    let tl = app.timeline().unwrap();
    assert!(tl.get(&"m09950".into()).is_none());
    assert!(!tl.loading_older, "it can be asked again");

    // While an older page is on its way, the oldest are not trimmed (the page must join).
    let mut app = with_store(t0);
    update(
        &mut app,
        server_page(GENERAL, page(GENERAL, 10_000, 50), false),
        t0,
    );
    app.timelines.get_mut(GENERAL).unwrap().scroll_to_top();
    let fx = key(&mut app, KeyCode::PageUp, t0);
    let before = older_asked(&fx).unwrap();
    key(&mut app, KeyCode::End, t0);
    for i in 0..400 {
        update(
            &mut app,
            created(message(
                &format!("live{i:04}"),
                GENERAL,
                "bob00001",
                20_000 + i,
                "x",
            )),
            t0,
        );
    }
    assert_eq!(app.timeline().unwrap().oldest_time(), Some(before));
    update(
        &mut app,
        stored(
            GENERAL,
            page(GENERAL, 9_950, 50),
            StoredPage::Before(before),
        ),
        t0,
    );
    // Joined, then the window trimmed at the newest as usual.
    assert_eq!(app.timeline().unwrap().len(), STORE_WINDOW);
}

#[test]
fn the_servers_latest_page_replaces_a_cached_page_it_does_not_reach() {
    let t0 = Instant::now();
    // The store's page is old: the server's newest page shares nothing with it.
    let mut app = with_store(t0);
    update(
        &mut app,
        stored(GENERAL, page(GENERAL, 1_000, 50), StoredPage::Latest),
        t0,
    );
    assert_eq!(
        app.timeline().unwrap().len(),
        50,
        "the cache, on screen at once"
    );
    let fx = update(
        &mut app,
        server_page(GENERAL, page(GENERAL, 5_000, 50), false),
        t0,
    );
    let tl = app.timeline().unwrap();
    assert_eq!(tl.len(), 50);
    assert_eq!(
        tl.oldest_time(),
        Some(ts(5_000)),
        "the old cache went: a gap lay between"
    );
    assert!(tl.has_past);
    assert_eq!(spans(&fx), [(Some(ts(5_000)), ts(5_049))]);

    // A cached page the server's page reaches: both stay, one stretch.
    let mut app = with_store(t0);
    let fx = update(
        &mut app,
        stored(GENERAL, page(GENERAL, 1_000, 50), StoredPage::Latest),
        t0,
    );
    assert_eq!(spans(&fx), [], "a cached page alone says nothing new");
    let fx = update(
        &mut app,
        server_page(GENERAL, page(GENERAL, 1_040, 50), false),
        t0,
    );
    let tl = app.timeline().unwrap();
    assert_eq!(tl.len(), 90);
    assert_eq!(spans(&fx), [(Some(ts(1_000)), ts(1_089))]);
    // A later cached page (the server's is in) is ignored.
    update(
        &mut app,
        stored(GENERAL, page(GENERAL, 500, 50), StoredPage::Latest),
        t0,
    );
    assert_eq!(app.timeline().unwrap().len(), 90);
}

#[test]
fn the_store_is_told_the_complete_stretch_held_and_not_past_a_gap() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    let fx = update(
        &mut app,
        Msg::History {
            channel: GENERAL.into(),
            messages: page(GENERAL, 1_000, 20),
            has_past: false,
            older: false,
        },
        t0,
    );
    assert_eq!(spans(&fx), [(None, ts(1_019))], "the whole channel");
    let fx = update(
        &mut app,
        created(message("live", GENERAL, "bob00001", 2_000, "x")),
        t0,
    );
    assert_eq!(
        spans(&fx),
        [(None, ts(2_000))],
        "the live stream extends it"
    );
    // A reconnect could not fetch everything: the stretch stops at the gap.
    update(
        &mut app,
        Msg::Gap {
            channel: GENERAL.into(),
            after: Some(ts(2_000)),
        },
        t0,
    );
    let fx = update(
        &mut app,
        created(message("after", GENERAL, "bob00001", 3_000, "x")),
        t0,
    );
    assert_eq!(spans(&fx), [(None, ts(2_000))]);
    // Live messages in a channel whose history is not loaded: stored, but no stretch.
    let fx = update(
        &mut app,
        created(message("elsewhere", RANDOM, "bob00001", 3_000, "x")),
        t0,
    );
    assert_eq!(spans(&fx), []);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Persist(Write::Messages(_))))
    );
}

#[test]
fn a_search_result_far_back_restarts_the_window_around_it() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    update(
        &mut app,
        server_page(GENERAL, page(GENERAL, 10_000, 50), false),
        t0,
    );
    app.jump_to = Some((GENERAL.into(), "m00500".into()));
    let fx = update(
        &mut app,
        stored(
            GENERAL,
            page(GENERAL, 450, 101),
            StoredPage::Around("m00500".into()),
        ),
        t0,
    );
    let tl = app.timeline().unwrap();
    assert_eq!(tl.len(), 101, "only the result's surroundings");
    assert_eq!(tl.selected, Some("m00500".into()));
    assert!(tl.missing_newer, "the newest end is open");
    assert_eq!(spans(&fx), [(Some(ts(450)), ts(550))]);
    // The latest page (asked for before) joins nothing held: not kept.
    update(
        &mut app,
        server_page(GENERAL, page(GENERAL, 10_000, 50), false),
        t0,
    );
    update(
        &mut app,
        stored(GENERAL, page(GENERAL, 9_000, 50), StoredPage::Latest),
        t0,
    );
    assert_eq!(app.timeline().unwrap().len(), 101);
    // Older pages join it as usual; at the bottom the latest page is loaded again.
    let fx = key(&mut app, KeyCode::End, t0);
    assert!(fx.contains(&Effect::LoadHistory {
        channel: GENERAL.into(),
        before: None,
        limit: HISTORY_PAGE
    }));
}

/// The bottom message of the open timeline's view.
fn bottom_id(app: &App) -> MessageId {
    let tl = app.timeline().unwrap();
    tl.get_index(tl.bottom_index().unwrap()).unwrap().id.clone()
}

/// A frame showed `top..=bottom` of #general (as the UI reports after drawing).
fn frame_showed(app: &mut App, top: &str, bottom: &str, t0: Instant) {
    let shown = Shown {
        channel: GENERAL.into(),
        top: top.into(),
        bottom: bottom.into(),
    };
    update(app, Msg::Shown(shown), t0);
}

/// PageUp at the top while the older page loads leaves the view where the oldest held
/// message is at the top of the pane; the page then arrives above it. (It used to move the
/// bottom of the view to the oldest message, so once the page came in the screen was about
/// a screen further up than before that PageUp: two half-pages at once.)
#[test]
fn page_up_at_the_top_while_the_older_page_loads_does_not_jump_when_it_arrives() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    update(
        &mut app,
        server_page(GENERAL, page(GENERAL, 10_000, 30), false),
        t0,
    );
    let half = (app.timeline_rows() / 2).max(1);
    assert_eq!(half, 9, "the default 80x24 terminal");
    // 15 messages fill the pane.
    frame_showed(&mut app, "m10015", "m10029", t0);
    assert!(older_asked(&key(&mut app, KeyCode::PageUp, t0)).is_none());
    assert_eq!(bottom_id(&app), MessageId::from("m10020"));
    // The next half page stops where the oldest reaches the top; the older page is asked for.
    assert_eq!(
        older_asked(&key(&mut app, KeyCode::PageUp, t0)),
        Some(ts(10_000))
    );
    assert_eq!(bottom_id(&app), MessageId::from("m10014"));
    frame_showed(&mut app, "m10000", "m10014", t0);
    // Again, while it loads: one message further at most (room for the "Loading older
    // messages…" row above the oldest).
    assert!(older_asked(&key(&mut app, KeyCode::PageUp, t0)).is_none());
    assert_eq!(bottom_id(&app), MessageId::from("m10013"));
    update(
        &mut app,
        server_page(GENERAL, page(GENERAL, 9_970, 30), true),
        t0,
    );
    assert_eq!(bottom_id(&app), MessageId::from("m10013"), "the view moved");
    key(&mut app, KeyCode::PageUp, t0);
    assert_eq!(bottom_id(&app), MessageId::from("m10004"), "half a page on");
}

/// A page up or down takes along a selection the view left behind (to the nearest message
/// still shown), so the selected message stays on screen.
#[test]
fn paging_takes_the_selection_along() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    update(
        &mut app,
        server_page(GENERAL, page(GENERAL, 10_000, 60), false),
        t0,
    );
    frame_showed(&mut app, "m10045", "m10059", t0);
    key(&mut app, KeyCode::Up, t0);
    let selected = |app: &App| app.timeline().unwrap().selected.clone().unwrap();
    assert_eq!(selected(&app), MessageId::from("m10059"));
    key(&mut app, KeyCode::PageUp, t0);
    assert_eq!(bottom_id(&app), MessageId::from("m10050"));
    assert_eq!(selected(&app), MessageId::from("m10050"), "to the bottom");
    key(&mut app, KeyCode::Up, t0);
    assert_eq!(selected(&app), MessageId::from("m10049"));
    key(&mut app, KeyCode::PageUp, t0);
    key(&mut app, KeyCode::PageUp, t0);
    assert_eq!(selected(&app), MessageId::from("m10032"));
    key(&mut app, KeyCode::PageDown, t0);
    assert_eq!(selected(&app), MessageId::from("m10032"), "still in view");
    key(&mut app, KeyCode::PageDown, t0);
    assert_eq!(bottom_id(&app), MessageId::from("m10050"));
    assert_eq!(
        selected(&app),
        MessageId::from("m10036"),
        "to the top shown"
    );
}
