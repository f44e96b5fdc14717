//! The reducer and the local store: what it asks the store to keep (`Effect::Persist`), the
//! start from the store (the cached sidebar, the sends the last run left unanswered), sends
//! waiting for the link, and the Ctrl-F search.

use std::time::Instant;

use super::key::{Key, KeyCode, Mods};
use super::persist::{OutboxEntry, OutboxState, Write};
use super::search::{SearchHit, SearchQuery, Snippet};
use super::*;
use crate::testkit::script::*;

fn writes(fx: &[Effect]) -> Vec<Write> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Persist(w) => Some(w.clone()),
            _ => None,
        })
        .collect()
}

/// The loaded app with a store open (the runtime says so): only then does the reducer ask
/// for writes.
fn with_store(t0: Instant) -> App {
    let mut app = loaded(t0);
    app.settings.store = true;
    app
}

fn type_and_send(app: &mut App, s: &str, t0: Instant) -> Vec<Effect> {
    for c in s.chars() {
        update(app, Msg::Key(Key::new(KeyCode::Char(c), Mods::NONE)), t0);
    }
    update(app, Msg::Key(Key::new(KeyCode::Enter, Mods::NONE)), t0)
}

#[test]
fn a_send_is_in_the_outbox_before_its_request_and_leaves_it_once_confirmed() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    let fx = type_and_send(&mut app, "hello", t0);
    let [
        Effect::Persist(Write::OutboxPut(entry)),
        Effect::SendMessage {
            message_id,
            content,
            ..
        },
    ] = &fx[..]
    else {
        panic!("outbox write, then the send: {fx:?}");
    };
    assert_eq!(&entry.message_id, message_id);
    assert_eq!(&entry.content, content);
    assert_eq!(entry.channel, ChannelId::from(GENERAL));
    assert_eq!(entry.state, OutboxState::Queued);
    assert_eq!(entry.created_at, ts(1000), "stamped with the wall clock");

    let fx = update(
        &mut app,
        Msg::SendConfirmed {
            channel: GENERAL.into(),
            message_id: message_id.clone(),
            created_at: Some(ts(1001)),
        },
        t0,
    );
    let [Write::Messages(stored), Write::OutboxRemove(removed)] = &writes(&fx)[..] else {
        panic!("the confirmed message, then the outbox entry removed: {fx:?}");
    };
    assert_eq!(removed, message_id);
    assert_eq!(stored.len(), 1);
    assert_eq!(&stored[0].id, message_id);
    assert_eq!(stored[0].created_at, ts(1001));
    assert_eq!(stored[0].content.plain_text(), "hello");
}

#[test]
fn a_failed_send_is_marked_failed_in_the_outbox() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    let fx = type_and_send(&mut app, "hello", t0);
    let Some(Effect::SendMessage { message_id, .. }) = fx.last() else {
        panic!("{fx:?}");
    };
    let fx = update(
        &mut app,
        send_failed(GENERAL, message_id.as_str(), "boom"),
        t0,
    );
    assert_eq!(
        writes(&fx),
        [Write::OutboxFailed {
            message_id: message_id.clone(),
            error: "boom".into()
        }]
    );
}

#[test]
fn messages_edits_and_deletes_from_the_gateway_are_kept_as_the_model_merged_them() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    let fx = update(
        &mut app,
        created(message("m1", GENERAL, "alice001", 10, "first")),
        t0,
    );
    // Then the stretch of #general now known complete (it had nothing before).
    let [Write::Messages(stored), Write::Span { from: None, to, .. }] = &writes(&fx)[..] else {
        panic!("{fx:?}");
    };
    assert_eq!(stored[0].id, MessageId::from("m1"));
    assert_eq!(*to, ts(10));

    let fx = update(
        &mut app,
        Msg::Chat(ChatEvent::MessageUpdated {
            channel: GENERAL.into(),
            message_id: "m1".into(),
            content: text("second"),
            edited_at: Some(ts(20)),
        }),
        t0,
    );
    let [Write::Messages(stored)] = &writes(&fx)[..] else {
        panic!("{fx:?}");
    };
    assert_eq!(stored[0].content.plain_text(), "second");
    assert_eq!(stored[0].edited_at, Some(ts(20)));

    let fx = update(
        &mut app,
        Msg::Chat(ChatEvent::MessageDeleted {
            channel: GENERAL.into(),
            message_id: "m1".into(),
        }),
        t0,
    );
    assert_eq!(writes(&fx), [Write::DeleteMessage("m1".into())]);

    // A message for a channel that is not loaded is kept as it came.
    let fx = update(
        &mut app,
        created(message("m2", RANDOM, "alice001", 30, "elsewhere")),
        t0,
    );
    let [Write::Messages(stored)] = &writes(&fx)[..] else {
        panic!("{fx:?}");
    };
    assert_eq!(stored[0].id, MessageId::from("m2"));
}

#[test]
fn start_up_data_history_pages_and_channel_events_are_kept() {
    let t0 = Instant::now();
    let mut app = App::new(Settings::default(), crate::keymap::Keymap::default(), 7);
    app.settings.store = true;
    let fx = update(&mut app, Msg::Loaded(initial()), t0);
    assert!(
        writes(&fx).contains(&Write::Loaded(Box::new(initial()))),
        "{fx:?}"
    );
    let page = vec![message("m1", GENERAL, "alice001", 10, "a")];
    let fx = update(
        &mut app,
        Msg::History {
            channel: GENERAL.into(),
            messages: page.clone(),
            has_past: false,
            older: false,
        },
        t0,
    );
    assert!(writes(&fx).contains(&Write::Messages(page)), "{fx:?}");
    let fx = update(
        &mut app,
        Msg::Chat(ChatEvent::ChannelDeleted {
            team_id: TEAM.into(),
            channel: RANDOM.into(),
        }),
        t0,
    );
    assert_eq!(writes(&fx), [Write::RemoveChannel(RANDOM.into())]);
}

#[test]
fn the_cached_start_is_marked_until_the_server_answers_and_never_overrides_it() {
    let t0 = Instant::now();
    let mut app = App::new(Settings::default(), crate::keymap::Keymap::default(), 7);
    let fx = update(&mut app, Msg::Cached(initial()), t0);
    assert!(app.cached && app.loaded);
    assert_eq!(app.current, Some(GENERAL.into()), "a channel opens at once");
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadHistory { .. })));
    assert!(
        writes(&fx).is_empty(),
        "what came from the store is not written back: {fx:?}"
    );
    update(&mut app, Msg::Loaded(initial()), t0);
    assert!(!app.cached);
    let mut stale = initial();
    stale.teams[0].name = "Old name".into();
    update(&mut app, Msg::Cached(stale), t0);
    assert!(!app.cached);
    assert_ne!(app.teams[0].name, "Old name");
}

#[test]
fn unsent_messages_of_the_last_run_come_back_failed_and_resend_with_the_retry_key() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    let entry = OutboxEntry {
        message_id: "out1".into(),
        channel: GENERAL.into(),
        content: text("written offline"),
        replies_to: Vec::new(),
        created_at: ts(5),
        attempts: 1,
        state: OutboxState::Queued,
    };
    update(&mut app, Msg::RestoreOutbox(vec![entry.clone()]), t0);
    let shown = app.timelines[GENERAL].get(&"out1".into()).cloned();
    assert!(
        matches!(
            shown.as_ref().map(|m| &m.delivery),
            Some(Delivery::Failed { .. })
        ),
        "{shown:?}"
    );
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("unsent"))
    );
    let fx = update(
        &mut app,
        Msg::Key(Key::new(KeyCode::Char('r'), Mods::CTRL)),
        t0,
    );
    let sends: Vec<_> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::SendMessage { message_id, .. } => Some(message_id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(sends, ["out1".into()] as [MessageId; 1], "{fx:?}");
    assert!(
        writes(&fx)
            .iter()
            .any(|w| matches!(w, Write::OutboxPut(e) if e.message_id == entry.message_id))
    );
}

#[test]
fn sends_that_cannot_reach_the_server_wait_and_go_out_in_order_when_the_link_is_back() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    let mut ids = Vec::new();
    for text in ["first", "second"] {
        let fx = type_and_send(&mut app, text, t0);
        let Some(Effect::SendMessage { message_id, .. }) = fx.last() else {
            panic!("{fx:?}");
        };
        ids.push(message_id.clone());
    }
    for id in &ids {
        let fx = update(
            &mut app,
            Msg::ApiFailed {
                op: ApiOp::Send {
                    channel: GENERAL.into(),
                    message_id: id.clone(),
                },
                failure: ApiFailure {
                    kind: FailureKind::Network,
                    message: "connection refused".into(),
                },
            },
            t0,
        );
        assert!(writes(&fx).is_empty(), "stays queued in the outbox: {fx:?}");
        assert!(matches!(
            app.timelines[GENERAL].get(id).map(|m| &m.delivery),
            Some(Delivery::Failed { .. })
        ));
    }
    let link = |state| Msg::Link {
        group: LinkGroup::Main,
        state,
    };
    let fx = update(&mut app, link(LinkStatus::Offline), t0);
    assert!(fx.is_empty(), "{fx:?}");
    let fx = update(&mut app, link(LinkStatus::Connected), t0);
    let sent: Vec<_> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::SendMessage {
                message_id,
                content,
                ..
            } => Some((message_id.clone(), content.plain_text())),
            _ => None,
        })
        .collect();
    assert_eq!(
        sent,
        [
            (ids[0].clone(), "first".to_owned()),
            (ids[1].clone(), "second".to_owned())
        ]
    );
    // Once: a later reconnect has nothing left to send.
    update(&mut app, link(LinkStatus::Offline), t0);
    let fx = update(&mut app, link(LinkStatus::Connected), t0);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::SendMessage { .. })),
        "{fx:?}"
    );
}

fn hit(id: &str, channel: &str) -> SearchHit {
    SearchHit {
        message_id: id.into(),
        channel_id: channel.into(),
        channel_name: Some("random".into()),
        team_id: Some(TEAM.into()),
        author_id: "alice001".into(),
        author_name: "alice".into(),
        created_at: ts(10),
        snippet: Snippet {
            text: "the needle here".into(),
            matches: std::iter::once(4..10).collect(),
        },
    }
}

fn searches(fx: &[Effect]) -> Vec<(u64, SearchQuery)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Search { seq, query, .. } => Some((*seq, query.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn ctrl_f_searches_as_you_type_and_keeps_only_the_answer_to_the_latest_prompt() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    update(
        &mut app,
        Msg::Key(Key::new(KeyCode::Char('f'), Mods::CTRL)),
        t0,
    );
    assert!(matches!(app.popup, Some(Popup::Search(_))));
    let mut asked = Vec::new();
    for c in "ne in:#random".chars() {
        asked.extend(searches(&update(
            &mut app,
            Msg::Key(Key::new(KeyCode::Char(c), Mods::NONE)),
            t0,
        )));
    }
    let (last_seq, last) = asked.last().cloned().unwrap();
    assert_eq!(last.words, ["ne"]);
    assert_eq!(last.channels, ["random"]);
    assert!(asked.windows(2).all(|w| w[0].0 < w[1].0), "{asked:?}");
    // A stale answer is dropped; the latest is shown.
    update(
        &mut app,
        Msg::SearchResults {
            seq: last_seq - 1,
            result: Ok(vec![hit("stale", RANDOM)]),
        },
        t0,
    );
    let Some(Popup::Search(sp)) = &app.popup else {
        panic!()
    };
    assert!(sp.results.is_empty());
    update(
        &mut app,
        Msg::SearchResults {
            seq: last_seq,
            result: Ok(vec![hit("m9", RANDOM)]),
        },
        t0,
    );
    let Some(Popup::Search(sp)) = &app.popup else {
        panic!()
    };
    assert_eq!(sp.results, [hit("m9", RANDOM)]);
    // Esc goes back to where we were.
    update(&mut app, Msg::Key(Key::new(KeyCode::Esc, Mods::NONE)), t0);
    assert_eq!(app.popup, None);
    assert_eq!(app.current, Some(GENERAL.into()));
}

#[test]
fn enter_opens_the_channel_at_the_found_message_once_its_surroundings_arrive() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    update(
        &mut app,
        Msg::Key(Key::new(KeyCode::Char('f'), Mods::CTRL)),
        t0,
    );
    let fx = update(
        &mut app,
        Msg::Key(Key::new(KeyCode::Char('n'), Mods::NONE)),
        t0,
    );
    let (seq, _) = searches(&fx)[0].clone();
    update(
        &mut app,
        Msg::SearchResults {
            seq,
            result: Ok(vec![hit("m2", RANDOM)]),
        },
        t0,
    );
    let fx = update(&mut app, Msg::Key(Key::new(KeyCode::Enter, Mods::NONE)), t0);
    assert_eq!(app.popup, None);
    assert_eq!(app.current, Some(RANDOM.into()));
    assert!(
        fx.contains(&Effect::LoadAround {
            channel: RANDOM.into(),
            message_id: "m2".into()
        }),
        "{fx:?}"
    );
    let around: Vec<_> = (1..=60)
        .map(|i| message(&format!("m{i}"), RANDOM, "alice001", i, "x"))
        .collect();
    update(
        &mut app,
        Msg::StoredHistory {
            channel: RANDOM.into(),
            messages: around,
            has_past: true,
            page: StoredPage::Around("m2".into()),
        },
        t0,
    );
    assert_eq!(app.focus, Focus::Timeline);
    let tl = &app.timelines[RANDOM];
    assert_eq!(tl.selected, Some("m2".into()));
    let bottom = tl.bottom_index().unwrap();
    let shown = tl.position(&"m2".into()).unwrap();
    assert!(
        shown <= bottom && bottom - shown < app.timeline_rows(),
        "the message is in view: at {shown}, view bottom {bottom}"
    );
}

#[test]
fn edits_reactions_and_pins_of_messages_no_timeline_holds_are_kept_as_changes() {
    let t0 = Instant::now();
    let mut app = with_store(t0);
    let changes = [
        ChatEvent::MessageUpdated {
            channel: RANDOM.into(),
            message_id: "far".into(),
            content: text("edited"),
            edited_at: Some(ts(50)),
        },
        ChatEvent::ReactionAdded {
            channel: RANDOM.into(),
            message_id: "far".into(),
            emoji_id: 90_001_815,
            emoji_name: Some("tada".into()),
            user: "bob00001".into(),
        },
        ChatEvent::PinChanged {
            channel: RANDOM.into(),
            message_id: "far".into(),
            pinned: true,
        },
    ];
    let written: Vec<Write> = changes
        .into_iter()
        .flat_map(|event| writes(&update(&mut app, Msg::Chat(event), t0)))
        .collect();
    let [
        Write::Edit {
            message_id: edited,
            edited_at: Some(at),
            ..
        },
        Write::Reaction {
            user,
            me,
            added: true,
            ..
        },
        Write::Pin { pinned: true, .. },
    ] = &written[..]
    else {
        panic!("{written:?}");
    };
    assert_eq!(edited, &MessageId::from("far"));
    assert_eq!(*at, ts(50));
    assert_eq!(user, &UserId::from("bob00001"));
    assert_eq!(me, &app.me.id);
}

#[test]
fn without_a_store_the_reducer_asks_for_no_writes() {
    let t0 = Instant::now();
    let incoming = |app: &mut App| {
        let mut fx = type_and_send(app, "hello", t0);
        fx.extend(update(
            app,
            created(message("m1", GENERAL, "alice001", 10, "first")),
            t0,
        ));
        fx
    };
    let mut app = loaded(t0);
    assert!(!app.settings.store);
    let fx = incoming(&mut app);
    assert!(writes(&fx).is_empty(), "{fx:?}");
    // The send and the message went ahead all the same.
    assert!(fx.iter().any(|e| matches!(e, Effect::SendMessage { .. })));
    let general = &app.timelines[&ChannelId::from(GENERAL)];
    assert!(general.get(&MessageId::from("m1")).is_some());

    // The same with a store: the outbox entry and the message are written.
    let mut app = with_store(t0);
    let writes = writes(&incoming(&mut app));
    assert!(
        matches!(writes.first(), Some(Write::OutboxPut(_))),
        "{writes:?}"
    );
    assert!(
        writes
            .iter()
            .any(|w| matches!(w, Write::Messages(m) if m.iter().any(|m| m.id.as_str() == "m1"))),
        "{writes:?}"
    );
}
