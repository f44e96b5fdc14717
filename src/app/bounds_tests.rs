//! Bounds on what untrusted input grows (docs/ARCHITECTURE.md, "Bounds"): a timeline while
//! scrolled up, typing state, and the bell for messages caught up after a reconnect.

use std::time::Instant;

use super::tests::{GENERAL, RANDOM, created, initial, message};
use super::*;
use crate::app::key::{Key, KeyCode, Mods};

fn page(from: i64, n: i64) -> Vec<Message> {
    (from..from + n)
        .map(|i| message(&format!("m{i:04}"), GENERAL, "alice001", i, "x"))
        .collect()
}

fn history(messages: Vec<Message>, older: bool) -> Msg {
    Msg::History {
        channel: GENERAL.into(),
        messages,
        has_past: true,
        older,
    }
}

fn small_history_app(t0: Instant) -> App {
    let settings = Settings {
        history_limit: 10,
        ..Settings::default()
    };
    let mut app = App::new(settings, crate::keymap::Keymap::default(), 3);
    update(&mut app, Msg::Loaded(initial()), t0);
    update(&mut app, history(page(1000, 10), false), t0);
    app
}

#[test]
fn a_timeline_scrolled_up_stays_under_its_hard_cap_dropping_the_far_end() {
    let t0 = Instant::now();
    let mut app = small_history_app(t0);
    // Reading older and older pages, scrolled to the top each time: the newest go.
    for k in 1..=10 {
        app.timelines.get_mut(GENERAL).unwrap().scroll_to_top();
        update(&mut app, history(page(1000 - 10 * k, 10), true), t0);
        let tl = app.timeline().unwrap();
        assert!(tl.len() <= 40, "page {k}: {} messages", tl.len());
    }
    let tl = app.timeline().unwrap();
    assert!(tl.missing_newer);
    assert_eq!(
        tl.get_index(0).unwrap().id,
        "m0900",
        "the oldest page is kept"
    );
    // Live messages while newer ones are missing would hide the gap: not kept, counted below.
    let below = tl.new_below;
    update(
        &mut app,
        created(message("live", GENERAL, "alice001", 5000, "x")),
        t0,
    );
    let tl = app.timeline().unwrap();
    assert!(tl.get(&"live".into()).is_none());
    assert_eq!(tl.new_below, below + 1);
    // Back at the bottom: the latest page is loaded again.
    app.focus = Focus::Timeline;
    let fx = update(&mut app, Msg::Key(Key::plain(KeyCode::End)), t0);
    assert!(
        fx.contains(&Effect::LoadHistory {
            channel: GENERAL.into(),
            before: None,
            limit: HISTORY_PAGE,
        }),
        "{fx:?}"
    );
    let tl = app.timeline().unwrap();
    assert!(!tl.missing_newer && !tl.loaded && tl.is_empty());
}

#[test]
fn a_flood_below_a_view_left_scrolled_up_keeps_the_view_and_drops_the_newest() {
    let t0 = Instant::now();
    let mut app = small_history_app(t0);
    app.timelines.get_mut(GENERAL).unwrap().scroll_up(1);
    let viewed = {
        let tl = app.timeline().unwrap();
        tl.get_index(tl.bottom_index().unwrap()).unwrap().id.clone()
    };
    // A flood of live messages while scrolled up (and left so after switching away).
    update(&mut app, Msg::Key(Key::new(KeyCode::Down, Mods::ALT)), t0);
    assert_eq!(app.current, Some(RANDOM.into()));
    for i in 0..500 {
        update(
            &mut app,
            created(message(
                &format!("f{i:04}"),
                GENERAL,
                "alice001",
                2000 + i,
                "x",
            )),
            t0,
        );
    }
    let tl = &app.timelines[GENERAL];
    assert_eq!(tl.len(), 40, "the hard cap");
    assert_eq!(
        tl.get_index(tl.bottom_index().unwrap()).unwrap().id,
        viewed,
        "the view did not move"
    );
    assert!(tl.missing_newer, "the far end, the newest, went");
    assert_eq!(tl.get_index(0).unwrap().id, "m1000");
    assert_eq!(tl.new_below, 500, "all of them counted below");
}

#[test]
fn typing_for_unknown_channels_is_dropped_and_bounded_per_channel() {
    let t0 = Instant::now();
    let mut app = small_history_app(t0);
    for i in 0..1000 {
        let typing = ChatEvent::Typing {
            channel: format!("nochannel-{i}").as_str().into(),
            user: "alice001".into(),
        };
        update(&mut app, Msg::Chat(typing), t0);
    }
    assert_eq!(app.next_deadline(), None, "nothing remembered");
    for i in 0..1000 {
        let typing = ChatEvent::Typing {
            channel: GENERAL.into(),
            user: format!("user{i:04}").as_str().into(),
        };
        update(&mut app, Msg::Chat(typing), t0);
    }
    let typing = app.typing.users(&GENERAL.into(), t0);
    assert_eq!(typing.len(), typing::TYPING_KEPT_PER_CHANNEL);
    assert_eq!(*typing.last().unwrap(), "user0999", "the newest is kept");
}

#[test]
fn mentions_caught_up_after_a_reconnect_count_but_do_not_ring() {
    let t0 = Instant::now();
    let settings = Settings {
        bell_on_mention: true,
        ..Settings::default()
    };
    let mut app = App::new(settings, crate::keymap::Keymap::default(), 3);
    update(&mut app, Msg::Loaded(initial()), t0);
    let mention = |id: &str, secs| {
        let mut m = message(id, RANDOM, "alice001", secs, "hey");
        m.mentions_me = true;
        m
    };
    let fx = update(
        &mut app,
        Msg::Backfill {
            channel: RANDOM.into(),
            messages: (0..20).map(|i| mention(&format!("b{i}"), i)).collect(),
        },
        t0,
    );
    assert!(!fx.contains(&Effect::Bell), "{fx:?}");
    assert_eq!(app.channels[RANDOM].mentions, 20);
    // A live one still rings.
    let fx = update(&mut app, created(mention("live", 100)), t0);
    assert!(fx.contains(&Effect::Bell));
}
