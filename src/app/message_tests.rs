//! Message correctness (issue 10 §3): the newer edit wins, an edit before its create is kept,
//! our own reactions are recognised on caught-up messages, and refused edits and deletes are
//! rolled back with a notice.

use std::time::Instant;

use super::tests::{GENERAL, ME, created, loaded, message, text, ts};
use super::*;
use crate::app::key::{Key, KeyCode, Mods};

fn key(code: KeyCode) -> Msg {
    Msg::Key(Key::new(code, Mods::NONE))
}

fn edited(id: &str, body: &str, at: i64) -> Msg {
    Msg::Chat(ChatEvent::MessageUpdated {
        channel: GENERAL.into(),
        message_id: id.into(),
        content: text(body),
        edited_at: Some(ts(at)),
    })
}

fn shown(app: &App, id: &str) -> String {
    app.timeline()
        .unwrap()
        .get(&id.into())
        .map(|m| m.content.plain_text())
        .unwrap_or_default()
}

fn page(messages: Vec<Message>) -> Msg {
    Msg::History {
        channel: GENERAL.into(),
        messages,
        has_past: false,
        older: false,
    }
}

#[test]
fn an_older_copy_from_a_history_page_never_overwrites_a_newer_live_edit() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(
        &mut app,
        created(message("m1", GENERAL, "alice001", 1, "v1")),
        t0,
    );
    update(&mut app, edited("m1", "v3", 30), t0);
    // A page fetched before that edit: unedited, then edited earlier.
    update(
        &mut app,
        page(vec![message("m1", GENERAL, "alice001", 1, "v1")]),
        t0,
    );
    assert_eq!(shown(&app, "m1"), "v3");
    let mut older = message("m1", GENERAL, "alice001", 1, "v2");
    older.edited_at = Some(ts(20));
    update(&mut app, page(vec![older]), t0);
    assert_eq!(shown(&app, "m1"), "v3");
    // A late live edit event that is older than what we show is ignored too.
    update(&mut app, edited("m1", "v2", 20), t0);
    assert_eq!(shown(&app, "m1"), "v3");
    // A newer one wins, from either path.
    let mut newer = message("m1", GENERAL, "alice001", 1, "v4");
    newer.edited_at = Some(ts(40));
    update(&mut app, page(vec![newer]), t0);
    assert_eq!(shown(&app, "m1"), "v4");
    update(&mut app, edited("m1", "v5", 50), t0);
    assert_eq!(shown(&app, "m1"), "v5");
}

#[test]
fn an_edit_that_arrives_before_its_create_is_applied_when_it_comes() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(&mut app, edited("m1", "edited first", 5), t0);
    update(
        &mut app,
        created(message("m1", GENERAL, "alice001", 1, "original")),
        t0,
    );
    let m = app.timeline().unwrap().get(&"m1".into()).unwrap();
    assert_eq!(m.content.plain_text(), "edited first");
    assert_eq!(m.edited_at, Some(ts(5)));
    // Kept bounded: a flood of edits for unknown messages keeps only the latest ones.
    for i in 0..1000 {
        update(&mut app, edited(&format!("x{i}"), "e", 5), t0);
    }
    update(
        &mut app,
        created(message("x0", GENERAL, "alice001", 2, "first flood")),
        t0,
    );
    update(
        &mut app,
        created(message("x999", GENERAL, "alice001", 3, "last flood")),
        t0,
    );
    assert_eq!(shown(&app, "x0"), "first flood", "forgotten (bounded)");
    assert_eq!(shown(&app, "x999"), "e", "kept");
}

#[test]
fn own_reactions_are_recognised_on_caught_up_messages() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let mut m = message("m1", GENERAL, "alice001", 1, "hi");
    m.reactions = vec![Reaction {
        emoji_id: 90_001_000,
        name: "tada".into(),
        users: vec![ME.into(), "alice001".into()],
        count: 2,
        mine: false,
    }];
    update(
        &mut app,
        Msg::Backfill {
            channel: GENERAL.into(),
            messages: vec![m],
        },
        t0,
    );
    let m = app.timeline().unwrap().get(&"m1".into()).unwrap();
    assert!(m.reactions[0].mine);
}

fn my_message_selected(app: &mut App, t0: Instant) {
    update(app, created(message("me1", GENERAL, ME, 2, "mine")), t0);
}

#[test]
fn a_refused_edit_is_rolled_back_with_a_notice() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    my_message_selected(&mut app, t0);
    update(&mut app, key(KeyCode::Up), t0);
    assert_eq!(app.composer.editing, Some("me1".into()));
    update(&mut app, key(KeyCode::Char('!')), t0);
    update(&mut app, key(KeyCode::Enter), t0);
    assert_eq!(shown(&app, "me1"), "mine!", "applied at once");
    update(
        &mut app,
        Msg::ApiFailed {
            op: ApiOp::Edit {
                channel: GENERAL.into(),
                message_id: "me1".into(),
            },
            failure: ApiFailure {
                kind: FailureKind::Other,
                message: "forbidden".into(),
            },
        },
        t0,
    );
    let m = app.timeline().unwrap().get(&"me1".into()).unwrap();
    assert_eq!(m.content.plain_text(), "mine");
    assert_eq!(m.edited_at, None);
    let notice = app.notice.as_ref().unwrap();
    assert!(notice.text.contains("undone"), "{}", notice.text);
}

#[test]
fn a_server_copy_beats_our_unconfirmed_edit_and_is_not_rolled_back() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    my_message_selected(&mut app, t0);
    update(&mut app, key(KeyCode::Up), t0);
    update(&mut app, key(KeyCode::Char('!')), t0);
    update(&mut app, key(KeyCode::Enter), t0);
    // The server's own edit time may be earlier than our clock: it still wins.
    update(&mut app, edited("me1", "mine! (server)", 3), t0);
    assert_eq!(shown(&app, "me1"), "mine! (server)");
    update(
        &mut app,
        Msg::ApiFailed {
            op: ApiOp::Edit {
                channel: GENERAL.into(),
                message_id: "me1".into(),
            },
            failure: ApiFailure {
                kind: FailureKind::Other,
                message: "timeout".into(),
            },
        },
        t0,
    );
    assert_eq!(shown(&app, "me1"), "mine! (server)");
}

#[test]
fn a_refused_delete_puts_the_message_back_with_a_notice() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    my_message_selected(&mut app, t0);
    update(
        &mut app,
        Msg::Key(Key::new(KeyCode::Char('s'), Mods::ALT)),
        t0,
    );
    update(&mut app, key(KeyCode::Up), t0);
    update(&mut app, key(KeyCode::Char('d')), t0);
    let fx = update(&mut app, key(KeyCode::Char('y')), t0);
    assert!(matches!(&fx[..], [Effect::DeleteMessage { .. }]));
    assert!(app.timeline().unwrap().get(&"me1".into()).is_none());
    update(
        &mut app,
        Msg::ApiFailed {
            op: ApiOp::Delete {
                channel: GENERAL.into(),
                message_id: "me1".into(),
            },
            failure: ApiFailure {
                kind: FailureKind::Other,
                message: "forbidden".into(),
            },
        },
        t0,
    );
    assert_eq!(shown(&app, "me1"), "mine");
    assert!(app.notice.as_ref().unwrap().text.contains("undone"));
}

#[test]
fn drafts_are_saved_a_few_seconds_after_the_last_edit() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let saves = |fx: &[Effect]| {
        fx.iter()
            .filter_map(|e| match e {
                Effect::SaveState(s) => Some(s.clone()),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    update(&mut app, key(KeyCode::Char('h')), t0);
    let t1 = t0 + update::DRAFT_AUTOSAVE_AFTER / 2;
    update(&mut app, key(KeyCode::Char('i')), t1);
    // Not yet: the last edit restarted the wait.
    let due = app.next_deadline().unwrap();
    assert_eq!(due, t1 + update::DRAFT_AUTOSAVE_AFTER);
    assert!(
        saves(&update(
            &mut app,
            Msg::Tick,
            t0 + update::DRAFT_AUTOSAVE_AFTER
        ))
        .is_empty()
    );
    let saved = saves(&update(&mut app, Msg::Tick, due));
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].drafts.get(GENERAL).map(String::as_str), Some("hi"));
    // Once: nothing more is due until the next edit.
    assert!(
        saves(&update(
            &mut app,
            Msg::Tick,
            due + update::DRAFT_AUTOSAVE_AFTER
        ))
        .is_empty()
    );
}

#[test]
fn a_gap_shows_where_messages_are_missing_until_filled() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    for (id, at) in [("m1", 1), ("m2", 2), ("live", 10)] {
        update(
            &mut app,
            created(message(id, GENERAL, "alice001", at, "x")),
            t0,
        );
    }
    let gap = |after| Msg::Gap {
        channel: GENERAL.into(),
        after,
    };
    update(&mut app, gap(Some(ts(2))), t0);
    let tl = app.timeline().unwrap();
    let rows: Vec<bool> = (0..tl.len()).map(|i| tl.gap_before(i)).collect();
    assert_eq!(
        rows,
        [false, false, true],
        "before the first message after it"
    );
    // Part of it filled: the row moves down with the gap's newer end.
    update(
        &mut app,
        Msg::Backfill {
            channel: GENERAL.into(),
            messages: vec![message("m5", GENERAL, "alice001", 5, "x")],
        },
        t0,
    );
    let tl = app.timeline().unwrap();
    assert!(tl.gap_before(tl.position(&"m5".into()).unwrap()));
    update(&mut app, gap(None), t0);
    let tl = app.timeline().unwrap();
    assert!((0..tl.len()).all(|i| !tl.gap_before(i)));
}
