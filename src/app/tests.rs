//! Reducer scripts: `Msg` sequences in, model and `Effect`s asserted, on virtual time.

use std::time::{Duration, Instant};

use crate::app::key::{Key, KeyCode, Mods};

use super::*;
use crate::protocol::content::{Block, Inline, RichText};
pub(crate) use crate::testkit::script::*;

/// The reducer, minus `Effect::Persist`: these scripts are about what the user sees and the
/// network calls; what is kept in the store has its own tests (`store_tests`).
fn update(app: &mut App, msg: Msg, now: Instant) -> Vec<Effect> {
    let mut fx = super::update(app, msg, now);
    fx.retain(|e| !matches!(e, Effect::Persist(_)));
    fx
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(Key::new(code, Mods::NONE))
}

fn mkey(code: KeyCode, m: Mods) -> Msg {
    Msg::Key(Key::new(code, m))
}

fn ids(app: &App, channel: &str) -> Vec<MessageId> {
    app.timelines[channel]
        .iter()
        .map(|m| m.id.clone())
        .collect()
}

fn type_str(app: &mut App, s: &str, now: Instant) -> Vec<Effect> {
    let mut fx = Vec::new();
    for c in s.chars() {
        fx.extend(update(app, key(KeyCode::Char(c)), now));
    }
    fx
}

#[test]
fn startup_opens_first_chat_channel_in_priority_order() {
    let app = loaded(Instant::now());
    let team = &app.teams[0];
    assert_eq!(team.categories[0].channels, vec![GENERAL, VOICE, RANDOM]);
    let entries = app.sidebar_entries();
    assert_eq!(entries[0], SidebarEntry::Team(0));
    assert!(entries.contains(&SidebarEntry::Dm(DM.into())));
}

#[test]
fn startup_without_saved_state_opens_a_text_channel_not_a_voice_chat() {
    let t0 = Instant::now();
    let mut app = App::new(Settings::default(), crate::keymap::Keymap::default(), 1);
    let mut data = initial();
    // The voice channel sorts first in its category, and a DM exists too.
    data.teams[0].channels = vec![
        team_channel(VOICE, "voice", 9, "voice"),
        team_channel(RANDOM, "random", 1, "chat"),
    ];
    update(&mut app, Msg::Loaded(data), t0);
    assert_eq!(app.teams[0].categories[0].channels, vec![VOICE, RANDOM]);
    assert_eq!(app.current, Some(RANDOM.into()));
}

#[test]
fn a_team_with_only_a_voice_channel_still_opens_its_chat() {
    let t0 = Instant::now();
    let mut app = App::new(Settings::default(), crate::keymap::Keymap::default(), 1);
    let mut data = initial();
    data.teams[0].channels = vec![team_channel(VOICE, "voice", 0, "voice")];
    data.dms.clear();
    update(&mut app, Msg::Loaded(data), t0);
    assert_eq!(app.current, Some(VOICE.into()));
}

#[test]
fn startup_restores_last_channel_and_drafts() {
    let t0 = Instant::now();
    let mut app = App::new(Settings::default(), crate::keymap::Keymap::default(), 1);
    let state = PersistedState {
        last_channel: Some(RANDOM.into()),
        drafts: [
            (ChannelId::from(RANDOM), "half a thought".to_owned()),
            (ChannelId::from(DM), "hi".to_owned()),
        ]
        .into(),
        ..PersistedState::default()
    };
    update(&mut app, Msg::RestoreState(state.clone()), t0);
    update(&mut app, Msg::Loaded(initial()), t0);
    assert_eq!(app.current, Some(RANDOM.into()));
    assert_eq!(app.composer.text(), "half a thought");
    assert_eq!(app.persisted_state(), state);
}

#[test]
fn created_updated_deleted_in_every_order() {
    let t0 = Instant::now();
    let orders: [[usize; 3]; 6] = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    for order in orders {
        let mut app = loaded(t0);
        let msgs = [
            created(message("m1", GENERAL, "alice001", 1, "hello")),
            Msg::Chat(ChatEvent::MessageUpdated {
                channel: GENERAL.into(),
                message_id: "m1".into(),
                content: text("hello, edited"),
                edited_at: Some(ts(2)),
            }),
            Msg::Chat(ChatEvent::MessageDeleted {
                channel: GENERAL.into(),
                message_id: "m1".into(),
            }),
        ];
        for i in order {
            update(&mut app, msgs[i].clone(), t0);
        }
        let tl = app.timeline().unwrap();
        // The delete wins whatever the order: no resurrection.
        assert!(tl.is_empty(), "order {order:?}");
    }
    // Created then updated: edited flag and new text.
    let mut app = loaded(t0);
    update(
        &mut app,
        created(message("m1", GENERAL, "alice001", 1, "hello")),
        t0,
    );
    update(
        &mut app,
        Msg::Chat(ChatEvent::MessageUpdated {
            channel: GENERAL.into(),
            message_id: "m1".into(),
            content: text("hello, edited"),
            edited_at: Some(ts(2)),
        }),
        t0,
    );
    let m = app.timeline().unwrap().get(&"m1".into()).unwrap();
    assert_eq!(m.content.plain_text(), "hello, edited");
    assert_eq!(m.edited_at, Some(ts(2)));
}

#[test]
fn messages_are_ordered_by_time_then_id_and_deduplicated() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    for (id, secs) in [("c", 5), ("a", 5), ("z", 1), ("b", 9), ("a", 5)] {
        update(
            &mut app,
            created(message(id, GENERAL, "alice001", secs, id)),
            t0,
        );
    }
    assert_eq!(ids(&app, GENERAL), vec!["z", "a", "c", "b"]);
}

#[test]
fn sent_mentions_name_members_and_the_built_in_everyone_and_here() {
    use crate::protocol::content::MentionKind;
    let t0 = Instant::now();
    let mut app = loaded(t0);
    type_str(&mut app, "@Alice @everyone @here @nobody", t0);
    let fx = update(&mut app, key(KeyCode::Enter), t0);
    let Some(Effect::SendMessage { content, .. }) = fx.first() else {
        panic!("no send: {fx:?}");
    };
    let Some(Block::Paragraph(inlines)) = content.blocks.first() else {
        panic!("{content:?}");
    };
    let mentions: Vec<(MentionKind, &str, &str)> = inlines
        .iter()
        .filter_map(|i| match i {
            Inline::Mention { kind, id, label } => Some((*kind, id.as_str(), label.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        mentions,
        [
            (MentionKind::Person, "alice001", "@alice"),
            (MentionKind::Everyone, "everyone", "@everyone"),
            (MentionKind::Here, "here", "@here"),
        ]
    );
    assert_eq!(content.plain_text(), "@alice @everyone @here @nobody");
}

#[test]
fn local_echo_is_pending_until_the_gateway_confirms_it() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    type_str(&mut app, "hi all", t0);
    let fx = update(&mut app, key(KeyCode::Enter), t0);
    let Some(Effect::SendMessage {
        channel,
        message_id,
        content,
        replies_to,
    }) = fx.first().cloned()
    else {
        panic!("no send: {fx:?}");
    };
    assert_eq!(channel, GENERAL);
    assert_eq!(content.plain_text(), "hi all");
    assert!(replies_to.is_empty());
    assert!(uuid::Uuid::parse_str(message_id.as_str()).is_ok());
    assert!(app.composer.is_empty());
    let echo = app.timeline().unwrap().get(&message_id).unwrap();
    assert_eq!(echo.delivery, Delivery::Pending);
    assert_eq!(echo.created_at, ts(1000));

    let mut server = message(message_id.as_str(), GENERAL, ME, 1001, "hi all");
    server.delivery = Delivery::Confirmed;
    update(&mut app, created(server), t0 + Duration::from_secs(1));
    let tl = app.timeline().unwrap();
    assert_eq!(tl.len(), 1);
    assert_eq!(tl.get(&message_id).unwrap().delivery, Delivery::Confirmed);
    // Our own message never counts as unread.
    assert_eq!(app.channels[GENERAL].unread, 0);
}

/// Every confirmation of an echo forgets its original text (kept for "copy" while pending):
/// the REST answer, the gateway event, and a history page that holds it.
#[test]
fn a_history_page_confirming_an_echo_forgets_its_original_text() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    type_str(&mut app, "**bold** words", t0);
    let fx = update(&mut app, key(KeyCode::Enter), t0);
    let Some(Effect::SendMessage { message_id, .. }) = fx.first().cloned() else {
        panic!("no send: {fx:?}");
    };
    assert!(app.sent_text.contains_key(&message_id));
    let server = message(message_id.as_str(), GENERAL, ME, 1001, "bold words");
    update(
        &mut app,
        Msg::History {
            channel: GENERAL.into(),
            messages: vec![server],
            has_past: false,
            older: false,
        },
        t0,
    );
    let tl = app.timeline().unwrap();
    assert_eq!(tl.get(&message_id).unwrap().delivery, Delivery::Confirmed);
    assert!(!app.sent_text.contains_key(&message_id));
}

#[test]
fn failed_send_keeps_the_text_and_can_be_retried_or_edited_back() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    type_str(&mut app, "precious words", t0);
    let fx = update(&mut app, key(KeyCode::Enter), t0);
    let Some(Effect::SendMessage { message_id, .. }) = fx.first().cloned() else {
        panic!("no send");
    };
    update(
        &mut app,
        send_failed(GENERAL, message_id.as_str(), "HTTP 500"),
        t0,
    );
    let m = app.timeline().unwrap().get(&message_id).unwrap();
    assert!(matches!(m.delivery, Delivery::Failed { .. }));
    assert!(app.notice.as_ref().unwrap().is_error);

    let fx = update(&mut app, mkey(KeyCode::Char('r'), Mods::CTRL), t0);
    assert!(matches!(&fx[..], [Effect::SendMessage { message_id: id, .. }] if *id == message_id));
    update(
        &mut app,
        send_failed(GENERAL, message_id.as_str(), "HTTP 500"),
        t0,
    );
    // Select it and press e: the text comes back into the composer as a draft.
    update(&mut app, mkey(KeyCode::Char('s'), Mods::ALT), t0);
    assert_eq!(app.focus, Focus::Timeline);
    assert_eq!(app.timeline().unwrap().selected, Some(message_id.clone()));
    update(&mut app, key(KeyCode::Char('e')), t0);
    assert_eq!(app.composer.text(), "precious words");
    assert!(app.timeline().unwrap().is_empty());
    assert_eq!(app.focus, Focus::Composer);
}

#[test]
fn typing_notices_are_throttled_and_stop_on_send_clear_or_leave() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let typing = |fx: &[Effect]| {
        fx.iter()
            .filter(|e| matches!(e, Effect::SendTyping { .. }))
            .count()
    };
    assert_eq!(typing(&type_str(&mut app, "abc", t0)), 1);
    assert_eq!(
        typing(&type_str(&mut app, "d", t0 + Duration::from_millis(2999))),
        0
    );
    assert_eq!(
        typing(&type_str(&mut app, "e", t0 + Duration::from_secs(3))),
        1
    );
    // Cursor moves are not edits.
    assert_eq!(
        typing(&update(
            &mut app,
            key(KeyCode::Left),
            t0 + Duration::from_secs(9)
        )),
        0
    );
    // Clearing the draft stops; the next keystroke notifies at once.
    update(
        &mut app,
        mkey(KeyCode::Char('u'), Mods::CTRL),
        t0 + Duration::from_secs(4),
    );
    update(&mut app, key(KeyCode::End), t0 + Duration::from_secs(4));
    update(
        &mut app,
        mkey(KeyCode::Char('u'), Mods::CTRL),
        t0 + Duration::from_secs(4),
    );
    assert!(app.composer.is_empty());
    assert_eq!(
        typing(&type_str(&mut app, "x", t0 + Duration::from_secs(4))),
        1
    );
    // Sending stops.
    update(&mut app, key(KeyCode::Enter), t0 + Duration::from_secs(5));
    assert_eq!(
        typing(&type_str(&mut app, "y", t0 + Duration::from_secs(5))),
        1
    );
    // Leaving the channel stops (and the draft is kept there).
    update(
        &mut app,
        mkey(KeyCode::Down, Mods::ALT),
        t0 + Duration::from_secs(6),
    );
    assert_ne!(app.current, Some(GENERAL.into()));
    update(
        &mut app,
        mkey(KeyCode::Up, Mods::ALT),
        t0 + Duration::from_secs(6),
    );
    assert_eq!(app.current, Some(GENERAL.into()));
    assert_eq!(app.composer.text(), "y");
    assert_eq!(
        typing(&type_str(&mut app, "z", t0 + Duration::from_secs(6))),
        1
    );
}

#[test]
fn typing_off_in_config_sends_nothing() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    app.settings.send_typing = false;
    assert!(type_str(&mut app, "quiet", t0).is_empty());
}

#[test]
fn inbound_typing_expires_or_ends_with_the_message_and_ignores_me() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let typing = |u: &str| {
        Msg::Chat(ChatEvent::Typing {
            channel: GENERAL.into(),
            user: u.into(),
        })
    };
    update(&mut app, typing(ME), t0);
    assert_eq!(app.typing_line(t0), None);
    assert_eq!(app.next_deadline(), None);
    update(&mut app, typing("alice001"), t0);
    assert_eq!(app.typing_line(t0).unwrap(), "alice is typing…");
    update(&mut app, typing("bob00001"), t0 + Duration::from_secs(1));
    assert_eq!(
        app.typing_line(t0 + Duration::from_secs(1)).unwrap(),
        "alice and bob are typing…"
    );
    assert_eq!(app.next_deadline(), Some(t0 + typing::TYPING_SHOWN_FOR));
    // bob's message ends his notice at once.
    update(
        &mut app,
        created(message("m1", GENERAL, "bob00001", 1, "hey")),
        t0 + Duration::from_secs(2),
    );
    assert_eq!(
        app.typing_line(t0 + Duration::from_secs(2)).unwrap(),
        "alice is typing…"
    );
    // alice's expires after 8 s; the tick redraws, and then nothing is due.
    app.take_dirty();
    update(&mut app, Msg::Tick, t0 + typing::TYPING_SHOWN_FOR);
    assert!(app.take_dirty());
    assert_eq!(app.typing_line(t0 + typing::TYPING_SHOWN_FOR), None);
    assert_eq!(app.next_deadline(), None);
}

#[test]
fn unread_and_mention_counts_and_reading_elsewhere() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(
        &mut app,
        created(message("m1", RANDOM, "alice001", 1, "hi")),
        t0,
    );
    let mut mention = message("m2", RANDOM, "bob00001", 2, "");
    mention.content = RichText {
        blocks: vec![Block::Paragraph(vec![Inline::Mention {
            kind: crate::protocol::content::MentionKind::Person,
            id: ME.into(),
            label: "@me".into(),
        }])],
    }
    .into();
    let fx = update(&mut app, created(mention), t0);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Notify(n) if n.title == "bob in #random")),
        "{fx:?}"
    );
    // In the open channel nothing is counted.
    update(
        &mut app,
        created(message("m3", GENERAL, "alice001", 3, "here")),
        t0,
    );
    assert_eq!(
        (app.channels[RANDOM].unread, app.channels[RANDOM].mentions),
        (2, 1)
    );
    assert_eq!(app.channels[GENERAL].unread, 0);
    assert_eq!(app.team_unread(&app.teams[0]), (2, 1));
    // A DM counts as a mention.
    update(
        &mut app,
        created(message("d1", DM, "carol001", 4, "psst")),
        t0,
    );
    assert_eq!(app.unread_totals(), (3, 2));
    // Read elsewhere.
    update(
        &mut app,
        Msg::Chat(ChatEvent::ChannelSeen { channel: DM.into() }),
        t0,
    );
    assert_eq!(app.unread_totals(), (2, 1));
    // Next unread opens #random and marks it read.
    let fx = update(&mut app, mkey(KeyCode::Down, Mods::ALT | Mods::SHIFT), t0);
    assert_eq!(app.current, Some(RANDOM.into()));
    assert!(fx.contains(&Effect::MarkSeen {
        channel: RANDOM.into()
    }));
    assert_eq!(app.unread_totals(), (0, 0));
    let fx = update(&mut app, mkey(KeyCode::Down, Mods::ALT | Mods::SHIFT), t0);
    assert!(fx.is_empty());
    assert_eq!(app.notice.as_ref().unwrap().text, "No unread channels");
}

#[test]
fn events_for_unknown_channels_and_messages_never_panic() {
    let t0 = Instant::now();
    let mut app = App::new(Settings::default(), crate::keymap::Keymap::default(), 1);
    let events = vec![
        created(message("x", "nowhere", "alice001", 1, "?")),
        Msg::Chat(ChatEvent::MessageDeleted {
            channel: "nowhere".into(),
            message_id: "x".into(),
        }),
        Msg::Chat(ChatEvent::ReactionAdded {
            channel: GENERAL.into(),
            message_id: "y".into(),
            emoji_id: 1,
            emoji_name: None,
            user: "u".into(),
        }),
        Msg::Chat(ChatEvent::ReactionRemoved {
            channel: GENERAL.into(),
            message_id: "y".into(),
            emoji_id: 1,
            user: "u".into(),
        }),
        Msg::Chat(ChatEvent::ChannelDeleted {
            team_id: "t".into(),
            channel: GENERAL.into(),
        }),
        Msg::Chat(ChatEvent::MemberRemoved {
            team_id: "t".into(),
            user: ME.into(),
        }),
        Msg::SendConfirmed {
            channel: "c".into(),
            message_id: "m".into(),
            created_at: None,
        },
        Msg::History {
            channel: "c".into(),
            messages: vec![],
            has_past: true,
            older: true,
        },
        key(KeyCode::Enter),
        key(KeyCode::Up),
        mkey(KeyCode::Char('k'), Mods::CTRL),
        key(KeyCode::Enter),
        key(KeyCode::Esc),
        mkey(KeyCode::Char('s'), Mods::ALT),
        key(KeyCode::Char('d')),
        key(KeyCode::Char('+')),
        key(KeyCode::PageUp),
        Msg::Tick,
        Msg::Resize {
            width: 1,
            height: 1,
        },
    ];
    for m in events {
        update(&mut app, m, t0);
    }
}

#[test]
fn reconnect_backfill_merges_without_duplicates() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    for i in 0..5 {
        update(
            &mut app,
            created(message(&format!("m{i}"), GENERAL, "alice001", i, "x")),
            t0,
        );
    }
    // The link drops; two messages arrive while offline; the backfill repeats older ones.
    let backfill: Vec<Message> = (3..7)
        .map(|i| message(&format!("m{i}"), GENERAL, "bob00001", i, "x"))
        .collect();
    update(
        &mut app,
        Msg::History {
            channel: GENERAL.into(),
            messages: backfill,
            has_past: true,
            older: false,
        },
        t0,
    );
    assert_eq!(
        ids(&app, GENERAL),
        vec!["m0", "m1", "m2", "m3", "m4", "m5", "m6"]
    );
    // The first page said there is no older history; a backfill does not change that.
    assert!(!app.timeline().unwrap().has_past);
}

#[test]
fn older_page_keeps_the_view_steady_and_new_messages_are_marked_below() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(
        &mut app,
        Msg::Resize {
            width: 80,
            height: 16,
        },
        t0,
    );
    let page: Vec<Message> = (100..150)
        .map(|i| message(&format!("m{i}"), RANDOM, "alice001", i, "x"))
        .collect();
    update(&mut app, mkey(KeyCode::Down, Mods::ALT), t0);
    assert_eq!(app.current, Some(RANDOM.into()));
    update(
        &mut app,
        Msg::History {
            channel: RANDOM.into(),
            messages: page,
            has_past: true,
            older: false,
        },
        t0,
    );
    // Scroll up until the top is near: an older page is asked for, once.
    let mut asked = Vec::new();
    for _ in 0..10 {
        asked.extend(
            update(&mut app, key(KeyCode::PageUp), t0)
                .into_iter()
                .filter(|e| matches!(e, Effect::LoadHistory { .. })),
        );
    }
    assert_eq!(
        asked,
        vec![Effect::LoadHistory {
            channel: RANDOM.into(),
            before: Some(ts(100)),
            limit: HISTORY_PAGE
        }]
    );
    let tl = app.timeline().unwrap();
    let bottom_id = tl.get_index(tl.bottom_index().unwrap()).unwrap().id.clone();
    let older: Vec<Message> = (50..100)
        .map(|i| message(&format!("m{i}"), RANDOM, "alice001", i, "x"))
        .collect();
    update(
        &mut app,
        Msg::History {
            channel: RANDOM.into(),
            messages: older,
            has_past: false,
            older: true,
        },
        t0,
    );
    let tl = app.timeline().unwrap();
    assert_eq!(tl.len(), 100);
    assert!(!tl.has_past && !tl.loading_older);
    assert_eq!(
        tl.get_index(tl.bottom_index().unwrap()).unwrap().id,
        bottom_id
    );
    // A new message while scrolled up: the view stays, the marker counts it.
    update(
        &mut app,
        created(message("new", RANDOM, "bob00001", 500, "x")),
        t0,
    );
    let tl = app.timeline().unwrap();
    assert_eq!(
        tl.get_index(tl.bottom_index().unwrap()).unwrap().id,
        bottom_id
    );
    assert_eq!(tl.new_below, 1);
    update(&mut app, key(KeyCode::Esc), t0);
    let tl = app.timeline().unwrap();
    assert_eq!((tl.scroll, tl.new_below), (0, 0));
}

#[test]
fn history_is_bounded_and_loaded_channels_are_an_lru() {
    let t0 = Instant::now();
    let settings = Settings {
        history_limit: 10,
        loaded_channels: 2,
        ..Settings::default()
    };
    let mut app = App::new(settings, crate::keymap::Keymap::default(), 3);
    update(&mut app, Msg::Loaded(initial()), t0);
    for i in 0..25 {
        update(
            &mut app,
            created(message(&format!("m{i:02}"), GENERAL, "alice001", i, "x")),
            t0,
        );
    }
    let tl = app.timeline().unwrap();
    assert_eq!(tl.len(), 10);
    assert_eq!(tl.get_index(0).unwrap().id, "m15");
    assert!(tl.has_past);
    update(&mut app, mkey(KeyCode::Down, Mods::ALT), t0); // random
    let fx = update(&mut app, mkey(KeyCode::Down, Mods::ALT), t0); // DM
    assert_eq!(app.current, Some(DM.into()));
    assert!(!app.timelines.contains_key(GENERAL));
    // The gateway catches up on exactly the loaded channels: GENERAL was dropped, DM added.
    assert_eq!(app.lru, [RANDOM, DM]);
    assert!(fx.contains(&Effect::UntrackChannel {
        channel: GENERAL.into()
    }));
    assert!(fx.contains(&Effect::TrackChannel {
        channel: DM.into(),
        newest: None,
    }));
}

#[test]
fn reading_older_history_is_not_evicted_until_back_at_the_newest() {
    let t0 = Instant::now();
    let settings = Settings {
        history_limit: 10,
        ..Settings::default()
    };
    let mut app = App::new(settings, crate::keymap::Keymap::default(), 3);
    update(&mut app, Msg::Loaded(initial()), t0);
    let page = |from: i64| -> Vec<Message> {
        (from..from + 10)
            .map(|i| message(&format!("m{i:03}"), GENERAL, "alice001", i, "x"))
            .collect()
    };
    let history = |messages, older| Msg::History {
        channel: GENERAL.into(),
        messages,
        has_past: true,
        older,
    };
    update(&mut app, history(page(100), false), t0);
    app.timelines.get_mut(GENERAL).unwrap().scroll_up(9);
    // Two older pages while scrolled up: both are kept, the view stays on the same message.
    for from in [90, 80] {
        update(&mut app, history(page(from), true), t0);
    }
    let tl = app.timeline().unwrap();
    assert_eq!(tl.len(), 30);
    assert_eq!(tl.get_index(0).unwrap().id, "m080");
    assert_eq!(tl.get_index(tl.bottom_index().unwrap()).unwrap().id, "m100");
    // Back at the newest message the buffer is bounded again.
    app.timelines.get_mut(GENERAL).unwrap().scroll_to_bottom();
    let tl = app.timeline().unwrap();
    assert_eq!(tl.len(), 10);
    assert_eq!(tl.get_index(0).unwrap().id, "m100");
    assert!(tl.has_past);
}

#[test]
fn reply_edit_delete_react_copy_from_selection() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(
        &mut app,
        created(message(
            "a1",
            GENERAL,
            "alice001",
            1,
            "first words of alice",
        )),
        t0,
    );
    update(
        &mut app,
        created(message("me1", GENERAL, ME, 2, "mine")),
        t0,
    );
    // Select alice's message and reply.
    update(&mut app, key(KeyCode::Tab), t0); // sidebar
    update(&mut app, key(KeyCode::Tab), t0); // timeline
    assert_eq!(app.focus, Focus::Timeline);
    update(&mut app, key(KeyCode::Up), t0);
    assert_eq!(app.timeline().unwrap().selected, Some("a1".into()));
    update(&mut app, key(KeyCode::Char('r')), t0);
    assert_eq!(app.composer.reply_to, Some("a1".into()));
    type_str(&mut app, "indeed", t0);
    let fx = update(&mut app, key(KeyCode::Enter), t0);
    let Some(Effect::SendMessage {
        replies_to,
        message_id,
        ..
    }) = fx.first().cloned()
    else {
        panic!()
    };
    assert_eq!(replies_to, vec![MessageId::from("a1")]);
    let reply = app.timeline().unwrap().get(&message_id).unwrap().clone();
    let ctx = app.reply_context(&reply).unwrap();
    assert_eq!(
        (ctx.author.as_str(), ctx.preview.as_str()),
        ("alice", "first words of alice")
    );

    // ↑ in the empty composer edits my last (confirmed) message; Esc restores the draft.
    type_str(&mut app, "draft", t0);
    update(&mut app, mkey(KeyCode::Char('u'), Mods::CTRL), t0);
    update(&mut app, key(KeyCode::Up), t0);
    assert_eq!(app.composer.editing, Some("me1".into()));
    assert_eq!(app.composer.text(), "mine");
    update(&mut app, key(KeyCode::Char('!')), t0);
    let fx = update(&mut app, key(KeyCode::Enter), t0);
    assert!(
        matches!(&fx[..], [Effect::EditMessage { message_id, content, .. }] if message_id == "me1" && content.plain_text() == "mine!")
    );
    assert!(
        app.timeline()
            .unwrap()
            .get(&"me1".into())
            .unwrap()
            .edited_at
            .is_some()
    );

    // Delete asks first.
    update(&mut app, mkey(KeyCode::Char('s'), Mods::ALT), t0);
    update(&mut app, key(KeyCode::Up), t0);
    assert_eq!(app.timeline().unwrap().selected, Some("me1".into()));
    let fx = update(&mut app, key(KeyCode::Char('d')), t0);
    assert!(fx.is_empty());
    assert!(matches!(app.popup, Some(Popup::ConfirmDelete { .. })));
    let fx = update(&mut app, key(KeyCode::Char('y')), t0);
    assert_eq!(
        fx,
        vec![Effect::DeleteMessage {
            channel: GENERAL.into(),
            message_id: "me1".into()
        }]
    );
    assert!(app.timeline().unwrap().get(&"me1".into()).is_none());

    // React to alice's message with 🎉 and take it back.
    update(&mut app, mkey(KeyCode::Char('s'), Mods::ALT), t0);
    while app.timeline().unwrap().selected != Some("a1".into()) {
        update(&mut app, key(KeyCode::Up), t0);
    }
    update(&mut app, key(KeyCode::Char('+')), t0);
    type_str(&mut app, "tada", t0);
    let fx = update(&mut app, key(KeyCode::Enter), t0);
    assert_eq!(
        fx,
        vec![Effect::AddReaction {
            channel: GENERAL.into(),
            message_id: "a1".into(),
            emoji_id: 90_001_815
        }]
    );
    let r = &app.timeline().unwrap().get(&"a1".into()).unwrap().reactions[0];
    assert!(r.mine && r.count == 1);
    // Someone else's reaction with the same emoji adds to the count; duplicates do not.
    for _ in 0..2 {
        update(
            &mut app,
            Msg::Chat(ChatEvent::ReactionAdded {
                channel: GENERAL.into(),
                message_id: "a1".into(),
                emoji_id: 90_001_815,
                emoji_name: Some("tada".into()),
                user: "bob00001".into(),
            }),
            t0,
        );
    }
    assert_eq!(
        app.timeline().unwrap().get(&"a1".into()).unwrap().reactions[0].count,
        2
    );
    // Recently used comes first: Enter takes it back.
    update(&mut app, key(KeyCode::Char('+')), t0);
    let fx = update(&mut app, key(KeyCode::Enter), t0);
    assert_eq!(
        fx,
        vec![Effect::RemoveReaction {
            channel: GENERAL.into(),
            message_id: "a1".into(),
            emoji_id: 90_001_815
        }]
    );
    let r = &app.timeline().unwrap().get(&"a1".into()).unwrap().reactions[0];
    assert!(!r.mine && r.count == 1);
    let fx = update(&mut app, key(KeyCode::Char('y')), t0);
    assert_eq!(fx, vec![Effect::Copy("first words of alice".into())]);
}

#[test]
fn switcher_finds_channels_fuzzily_and_ranks_unread_first() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(
        &mut app,
        created(message("d1", DM, "carol001", 4, "psst")),
        t0,
    );
    update(&mut app, mkey(KeyCode::Char('k'), Mods::CTRL), t0);
    let Some(Popup::Switcher(sw)) = &app.popup else {
        panic!()
    };
    assert_eq!(sw.results.first().map(ChannelId::as_str), Some(DM));
    type_str(&mut app, "rnd", t0);
    let Some(Popup::Switcher(sw)) = &app.popup else {
        panic!()
    };
    assert_eq!(sw.results, vec![ChannelId::from(RANDOM)]);
    update(&mut app, key(KeyCode::Enter), t0);
    assert_eq!(app.current, Some(RANDOM.into()));
    assert!(app.popup.is_none());
    // With no query (and nothing unread), the previous channel comes first: Ctrl-K Enter
    // goes back.
    update(
        &mut app,
        Msg::Chat(ChatEvent::ChannelSeen { channel: DM.into() }),
        t0,
    );
    update(&mut app, mkey(KeyCode::Char('k'), Mods::CTRL), t0);
    update(&mut app, key(KeyCode::Enter), t0);
    assert_eq!(app.current, Some(GENERAL.into()));
}

#[test]
fn a_paste_goes_into_the_open_switcher_on_one_line() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(&mut app, mkey(KeyCode::Char('k'), Mods::CTRL), t0);
    update(&mut app, Msg::Paste("ran\ndom".into()), t0);
    let Some(Popup::Switcher(sw)) = &app.popup else {
        panic!("switcher closed")
    };
    assert_eq!(sw.query.text(), "ran dom");
    assert_eq!(sw.selected, 0);
    assert!(app.composer.is_empty());
}

#[test]
fn help_toggles_and_question_mark_types_in_the_composer() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(&mut app, key(KeyCode::Char('?')), t0);
    assert!(app.popup.is_none());
    assert_eq!(app.composer.text(), "?");
    update(&mut app, key(KeyCode::F(1)), t0);
    assert!(matches!(app.popup, Some(Popup::Help { .. })));
    update(&mut app, key(KeyCode::Esc), t0);
    assert!(app.popup.is_none());
    update(&mut app, key(KeyCode::Tab), t0);
    update(&mut app, key(KeyCode::Char('?')), t0);
    assert!(matches!(app.popup, Some(Popup::Help { .. })));
}

#[test]
fn quit_saves_the_draft() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    type_str(&mut app, "unsent", t0);
    let fx = update(&mut app, mkey(KeyCode::Char('c'), Mods::CTRL), t0);
    assert_eq!(fx.last(), Some(&Effect::Quit));
    let Some(Effect::SaveState(state)) = fx.first() else {
        panic!()
    };
    assert_eq!(
        state.drafts.get(GENERAL).map(String::as_str),
        Some("unsent")
    );
    assert_eq!(state.last_channel, Some(GENERAL.into()));
}

#[test]
fn unauthorized_keeps_drafts() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    type_str(&mut app, "keep me", t0);
    let fx = update(&mut app, Msg::Unauthorized, t0);
    assert!(app.auth_lost);
    assert!(matches!(&fx[..], [Effect::SaveState(s)] if s.drafts[GENERAL] == "keep me"));
}

#[test]
fn sidebar_navigation_opens_channels_and_teams() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(&mut app, key(KeyCode::Tab), t0);
    assert_eq!(app.focus, Focus::Sidebar);
    let entries = app.sidebar_entries();
    assert_eq!(
        entries[app.sidebar_cursor],
        SidebarEntry::Channel(GENERAL.into())
    );
    update(&mut app, key(KeyCode::Char('j')), t0);
    update(&mut app, key(KeyCode::Char('j')), t0);
    assert_eq!(
        entries[app.sidebar_cursor],
        SidebarEntry::Channel(RANDOM.into())
    );
    update(&mut app, key(KeyCode::Char('j')), t0); // skips the DM header
    assert_eq!(entries[app.sidebar_cursor], SidebarEntry::Dm(DM.into()));
    update(&mut app, key(KeyCode::Enter), t0);
    assert_eq!(app.current, Some(DM.into()));
    assert_eq!(app.focus, Focus::Composer);
    update(&mut app, mkey(KeyCode::Char('1'), Mods::ALT), t0);
    assert_eq!(app.current, Some(GENERAL.into()));
}

#[test]
fn messages_that_change_nothing_visible_do_not_redraw() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(
        &mut app,
        Msg::Link {
            group: LinkGroup::Main,
            state: LinkStatus::Connected,
        },
        t0,
    );
    let quiet = [
        Msg::Tick,
        Msg::WallClock(ts(2000)),
        Msg::Link {
            group: LinkGroup::Main,
            state: LinkStatus::Connected,
        },
        Msg::Gateway(crate::protocol::events::GuildedEvent::Other {
            name: "SomethingNew".into(),
            raw: "{}".into(),
        }),
    ];
    for msg in quiet {
        app.take_dirty();
        let label = format!("{msg:?}");
        update(&mut app, msg, t0 + Duration::from_secs(1));
        assert!(!app.is_dirty(), "{label} must not redraw");
    }
}

/// Handlers never touch the redraw flag: `update` sets it from what they report, so every
/// visible change (including ones whose handler is a plain model edit) redraws.
#[test]
fn every_visible_change_redraws_without_the_handler_asking() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let visible = [
        key(KeyCode::Char('h')),
        Msg::Paste("ello".into()),
        Msg::Resize {
            width: 100,
            height: 30,
        },
        created(message("m1", RANDOM, "alice001", 1, "hi")),
        Msg::Link {
            group: LinkGroup::Main,
            state: LinkStatus::Reconnecting {
                at: t0 + Duration::from_secs(5),
            },
        },
        // A reconnect countdown redraws on every tick.
        Msg::Tick,
        Msg::ApiFailed {
            op: ApiOp::AddReaction {
                channel: GENERAL.into(),
                message_id: "nope".into(),
            },
            failure: ApiFailure {
                kind: FailureKind::Other,
                message: "boom".into(),
            },
        },
        Msg::ApiFailed {
            op: ApiOp::History {
                channel: GENERAL.into(),
            },
            failure: ApiFailure {
                kind: FailureKind::Network,
                message: "boom".into(),
            },
        },
        send_failed(GENERAL, "nope", "boom"),
        Msg::TeamLoaded(initial().teams.remove(0)),
        Msg::RestoreState(PersistedState::default()),
        Msg::History {
            channel: GENERAL.into(),
            messages: vec![message("m2", GENERAL, "bob00001", 2, "yo")],
            has_past: false,
            older: false,
        },
        Msg::Unauthorized,
    ];
    for msg in visible {
        app.take_dirty();
        let label = format!("{msg:?}");
        update(&mut app, msg, t0 + Duration::from_secs(1));
        assert!(app.take_dirty(), "{label} must redraw");
    }
}

/// A team load and a live channel update merge a channel the same way: the new name and
/// topic, the client's unread counts, and the later of the two activity times.
#[test]
fn channel_updates_keep_counts_and_the_later_activity() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(
        &mut app,
        created(message("m1", RANDOM, "alice001", 50, "hi")),
        t0,
    );
    assert_eq!(app.channels[RANDOM].last_activity, Some(ts(50)));

    // An update carrying an older activity time keeps the newer one we know of.
    let mut renamed = team_channel(RANDOM, "off-topic", 1, "chat");
    renamed.last_activity = Some(ts(10));
    renamed.topic = Some("anything goes".into());
    update(&mut app, Msg::Chat(ChatEvent::ChannelUpserted(renamed)), t0);
    let ch = &app.channels[RANDOM];
    assert_eq!(ch.name, "off-topic");
    assert_eq!(ch.topic.as_deref(), Some("anything goes"));
    assert_eq!((ch.unread, ch.mentions), (1, 0));
    assert_eq!(ch.last_activity, Some(ts(50)));

    // A later one wins, through either path.
    let mut later = team_channel(RANDOM, "off-topic", 1, "chat");
    later.last_activity = Some(ts(90));
    update(&mut app, Msg::Chat(ChatEvent::ChannelUpserted(later)), t0);
    assert_eq!(app.channels[RANDOM].last_activity, Some(ts(90)));
    assert_eq!(app.channels[RANDOM].unread, 1);

    let mut team = initial().teams.remove(0);
    for c in &mut team.channels {
        c.last_activity = Some(if c.id == RANDOM { ts(70) } else { ts(200) });
    }
    update(&mut app, Msg::TeamLoaded(team), t0);
    assert_eq!(app.channels[RANDOM].name, "random");
    assert_eq!(app.channels[RANDOM].last_activity, Some(ts(90)));
    assert_eq!(app.channels[RANDOM].unread, 1);
    assert_eq!(app.channels[GENERAL].last_activity, Some(ts(200)));
}

mod never_panics {
    use proptest::prelude::*;

    use super::*;

    fn any_key() -> impl Strategy<Value = Msg> {
        let codes = prop_oneof![
            any::<char>().prop_map(KeyCode::Char),
            Just(KeyCode::Enter),
            Just(KeyCode::Esc),
            Just(KeyCode::Tab),
            Just(KeyCode::BackTab),
            Just(KeyCode::Up),
            Just(KeyCode::Down),
            Just(KeyCode::Left),
            Just(KeyCode::Right),
            Just(KeyCode::Home),
            Just(KeyCode::End),
            Just(KeyCode::PageUp),
            Just(KeyCode::PageDown),
            Just(KeyCode::Backspace),
            Just(KeyCode::Delete),
            Just(KeyCode::F(1)),
        ];
        let mods = (0u8..8).prop_map(|b| {
            let mut m = Mods::NONE;
            if b & 1 != 0 {
                m |= Mods::CTRL;
            }
            if b & 2 != 0 {
                m |= Mods::ALT;
            }
            if b & 4 != 0 {
                m |= Mods::SHIFT;
            }
            m
        });
        (codes, mods).prop_map(|(c, m)| Msg::Key(Key::new(c, m)))
    }

    fn any_event() -> impl Strategy<Value = Msg> {
        let channel = prop_oneof![Just(GENERAL), Just(RANDOM), Just(DM), Just("unknown")];
        let id = prop_oneof![Just("m1"), Just("m2"), Just("m3")];
        let user = prop_oneof![Just(ME), Just("alice001"), Just("stranger")];
        (0u8..9, channel, id, user, 0i64..5).prop_map(|(kind, ch, id, user, secs)| {
            let (ch, id, user) = (ChannelId::from(ch), MessageId::from(id), UserId::from(user));
            Msg::Chat(match kind {
                0 | 1 => ChatEvent::MessageCreated {
                    message: message(id.as_str(), ch.as_str(), user.as_str(), secs, "x"),
                    team_id: None,
                },
                2 => ChatEvent::MessageUpdated {
                    channel: ch,
                    message_id: id,
                    content: text("y"),
                    edited_at: None,
                },
                3 => ChatEvent::MessageDeleted {
                    channel: ch,
                    message_id: id,
                },
                4 => ChatEvent::Typing { channel: ch, user },
                5 => ChatEvent::ReactionAdded {
                    channel: ch,
                    message_id: id,
                    emoji_id: secs,
                    emoji_name: None,
                    user,
                },
                6 => ChatEvent::ReactionRemoved {
                    channel: ch,
                    message_id: id,
                    emoji_id: secs,
                    user,
                },
                7 => ChatEvent::ChannelSeen { channel: ch },
                _ => ChatEvent::ChannelDeleted {
                    team_id: TEAM.into(),
                    channel: ch,
                },
            })
        })
    }

    fn any_msg() -> impl Strategy<Value = Msg> {
        prop_oneof![
            4 => any_key(),
            3 => any_event(),
            1 => Just(Msg::Tick),
            1 => (0u16..200, 0u16..80).prop_map(|(width, height)| Msg::Resize { width, height }),
            1 => ".{0,20}".prop_map(Msg::Paste),
            1 => (prop_oneof![Just(GENERAL), Just(RANDOM)], any::<bool>()).prop_map(|(c, older)| Msg::History {
                channel: c.into(),
                messages: vec![message("m2", c, "alice001", 1, "h")],
                has_past: older,
                older,
            }),
            1 => Just(send_failed(GENERAL, "m1", "e")),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn any_sequence_of_messages_is_folded_without_panic(msgs in proptest::collection::vec(any_msg(), 0..60)) {
            let t0 = Instant::now();
            let mut app = loaded(t0);
            for (i, m) in msgs.into_iter().enumerate() {
                update(&mut app, m, t0 + Duration::from_millis(500 * i as u64));
                // Invariants the UI relies on.
                if let Some(tl) = app.timeline() {
                    prop_assert!(tl.scroll <= tl.len().saturating_sub(1));
                    let ids: std::collections::HashSet<_> = tl.iter().map(|m| &m.id).collect();
                    prop_assert_eq!(ids.len(), tl.len());
                }
                let entries = app.sidebar_entries();
                prop_assert!(entries.is_empty() || app.sidebar_cursor < entries.len() || app.focus != Focus::Sidebar);
            }
        }
    }
}

/// A body that came as JSON is folded without being read when it cannot mention anyone
/// (most messages are never drawn); one that can is read and counted.
#[test]
fn incoming_bodies_are_read_only_when_they_may_mention_someone() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let body = |json: serde_json::Value| -> crate::protocol::content::Content {
        serde_json::from_value(json).unwrap()
    };
    let paragraph = |node: serde_json::Value| {
        serde_json::json!({"object":"value","document":{"object":"document","nodes":[
            {"object":"block","type":"paragraph","nodes":[node]}
        ]}})
    };
    let mut plain = message("m1", GENERAL, "alice001", 10, "");
    plain.content = body(paragraph(
        serde_json::json!({"object":"text","leaves":[{"object":"leaf","text":"hi all"}]}),
    ));
    let mut mention = message("m2", GENERAL, "alice001", 11, "");
    mention.content = body(paragraph(serde_json::json!(
        {"object":"inline","type":"mention","data":{"mention":{"type":"person","id":ME}},
         "nodes":[{"object":"text","leaves":[{"object":"leaf","text":"@me"}]}]}
    )));
    let mut other = message("m3", GENERAL, "alice001", 12, "");
    other.content = body(paragraph(serde_json::json!(
        {"object":"inline","type":"mention","data":{"mention":{"type":"person","id":"bob00001"}},
         "nodes":[{"object":"text","leaves":[{"object":"leaf","text":"@bob"}]}]}
    )));
    update(&mut app, created(plain), t0);
    update(&mut app, created(mention), t0);
    update(&mut app, created(other), t0);
    let held = &app.timelines[&ChannelId::from(GENERAL)];
    let m3 = held.get(&MessageId::from("m3")).unwrap();
    assert!(m3.content.is_unread(), "someone else's mention is not read");
    assert!(!m3.mentions_me);
    let m1 = held.get(&MessageId::from("m1")).unwrap();
    assert!(m1.content.is_unread(), "folded without reading the body");
    assert!(!m1.mentions_me);
    let m2 = held.get(&MessageId::from("m2")).unwrap();
    assert!(m2.mentions_me);
    // Looking at it reads it.
    assert_eq!(m1.content.plain_text(), "hi all");
    assert!(!m1.content.is_unread());
}
