//! The reaction picker (search over every emoji and the team's custom reactions, recent
//! first, persisted), and the list of who reacted.

use std::time::Instant;

use super::key::{Key, KeyCode, Mods};
use super::tests::{CUSTOM_EMOJI, GENERAL, ME, created, initial, loaded, message};
use super::*;

fn press(app: &mut App, code: KeyCode, mods: Mods, now: Instant) -> Vec<Effect> {
    update(app, Msg::Key(Key::new(code, mods)), now)
}

fn type_str(app: &mut App, text: &str, now: Instant) {
    for c in text.chars() {
        press(app, KeyCode::Char(c), Mods::NONE, now);
    }
}

/// #general with alice's message `a1`, selected.
fn with_selected_message(t0: Instant) -> App {
    let mut app = loaded(t0);
    update(
        &mut app,
        created(message("a1", GENERAL, "alice001", 1, "hello")),
        t0,
    );
    press(&mut app, KeyCode::Char('s'), Mods::ALT, t0);
    assert_eq!(app.timeline().unwrap().selected, Some("a1".into()));
    app
}

fn picker(app: &App) -> &reactions::ReactionPicker {
    match &app.popup {
        Some(Popup::ReactionPicker(p)) => p,
        other => panic!("no picker: {other:?}"),
    }
}

fn react(emoji_id: EmojiId) -> Effect {
    Effect::AddReaction {
        channel: GENERAL.into(),
        message_id: "a1".into(),
        emoji_id,
    }
}

#[test]
fn typing_filters_every_emoji_and_enter_reacts_with_the_best_match() {
    let t0 = Instant::now();
    let mut app = with_selected_message(t0);
    press(&mut app, KeyCode::Char('+'), Mods::NONE, t0);
    assert!(picker(&app).matches.len() > 1000, "all emoji offered");
    // Letters are the query, not bindings (j/k used to move).
    type_str(&mut app, "rockt", t0);
    assert_eq!(picker(&app).query.text(), "rockt");
    assert_eq!(picker(&app).current().unwrap().glyph, Some("🚀"));
    // Backspace edits the query; the list follows.
    press(&mut app, KeyCode::Backspace, Mods::NONE, t0);
    press(&mut app, KeyCode::Backspace, Mods::NONE, t0);
    type_str(&mut app, "ket", t0);
    let fx = press(&mut app, KeyCode::Enter, Mods::NONE, t0);
    assert_eq!(fx, vec![react(90_002_402)]);
    assert_eq!(app.popup, None);
    let r = &app.timeline().unwrap().get(&"a1".into()).unwrap().reactions[0];
    assert_eq!((r.name.as_str(), r.mine), ("rocket", true));
}

#[test]
fn the_teams_custom_reaction_is_offered_and_sent_by_its_id() {
    let t0 = Instant::now();
    let mut app = with_selected_message(t0);
    assert_eq!(app.reactions.custom.len(), 1);
    press(&mut app, KeyCode::Char('+'), Mods::NONE, t0);
    // Nothing used yet: the team's custom reaction comes first.
    let first = picker(&app).current().unwrap();
    assert_eq!((first.id, first.glyph), (Some(CUSTOM_EMOJI), None));
    type_str(&mut app, "gilt", t0);
    let fx = press(&mut app, KeyCode::Enter, Mods::NONE, t0);
    assert_eq!(fx, vec![react(CUSTOM_EMOJI)]);
}

#[test]
fn recently_used_come_first_and_survive_a_restart() {
    let t0 = Instant::now();
    let mut app = with_selected_message(t0);
    for query in ["eyes", "joy"] {
        press(&mut app, KeyCode::Char('+'), Mods::NONE, t0);
        type_str(&mut app, query, t0);
        press(&mut app, KeyCode::Enter, Mods::NONE, t0);
    }
    press(&mut app, KeyCode::Char('+'), Mods::NONE, t0);
    let p = picker(&app);
    let first: Vec<&str> = (0..2).map(|i| p.nth(i).unwrap().name.as_str()).collect();
    assert_eq!(first, ["joy", "eyes"]);
    // Alt-2 picks the second row: eyes again, which is ours, so it is taken back.
    let fx = press(&mut app, KeyCode::Char('2'), Mods::ALT, t0);
    assert!(
        matches!(
            &fx[..],
            [Effect::RemoveReaction {
                emoji_id: 90_001_171,
                ..
            }]
        ),
        "{fx:?}"
    );
    // Persisted, and restored first in a new run.
    let state = app.persisted_state();
    assert_eq!(
        state.recent_reactions,
        [(90_002_108, "joy".into()), (90_001_171, "eyes".into())]
    );
    let mut next = App::new(Settings::default(), crate::keymap::Keymap::default(), 7);
    update(&mut next, Msg::RestoreState(state), t0);
    update(&mut next, Msg::Loaded(initial()), t0);
    assert_eq!(next.reactions.recent, app.reactions.recent);
}

#[test]
fn an_emoji_gilt_has_no_id_for_is_not_sent_and_the_picker_stays() {
    let t0 = Instant::now();
    let mut app = with_selected_message(t0);
    press(&mut app, KeyCode::Char('+'), Mods::NONE, t0);
    type_str(&mut app, "pizza", t0);
    assert_eq!(picker(&app).current().unwrap().id, None);
    let fx = press(&mut app, KeyCode::Enter, Mods::NONE, t0);
    assert!(fx.is_empty(), "{fx:?}");
    assert!(matches!(app.popup, Some(Popup::ReactionPicker(_))));
    let notice = app.notice.as_ref().unwrap();
    assert!(
        notice.is_error && notice.text.contains(":pizza:"),
        "{notice:?}"
    );
    // Once a reaction names it, its id is known.
    update(
        &mut app,
        Msg::Chat(ChatEvent::ReactionAdded {
            channel: GENERAL.into(),
            message_id: "a1".into(),
            emoji_id: 90_004_242,
            emoji_name: Some("pizza".into()),
            user: "bob00001".into(),
        }),
        t0,
    );
    press(&mut app, KeyCode::Esc, Mods::NONE, t0);
    assert_eq!(app.popup, None);
    press(&mut app, KeyCode::Char('+'), Mods::NONE, t0);
    type_str(&mut app, "pizza", t0);
    let fx = press(&mut app, KeyCode::Enter, Mods::NONE, t0);
    assert_eq!(fx, vec![react(90_004_242)]);
}

#[test]
fn who_reacted_opens_on_a_message_with_reactions_and_scrolls_and_closes() {
    let t0 = Instant::now();
    let mut app = with_selected_message(t0);
    press(&mut app, KeyCode::Char('w'), Mods::NONE, t0);
    assert_eq!(app.popup, None);
    assert!(app.notice.as_ref().unwrap().text.contains("No reactions"));
    for user in ["bob00001", ME] {
        update(
            &mut app,
            Msg::Chat(ChatEvent::ReactionAdded {
                channel: GENERAL.into(),
                message_id: "a1".into(),
                emoji_id: 90_001_815,
                emoji_name: Some("tada".into()),
                user: user.into(),
            }),
            t0,
        );
    }
    let r = &app.timeline().unwrap().get(&"a1".into()).unwrap().reactions[0];
    assert_eq!(r.users, [UserId::from("bob00001"), UserId::from(ME)]);
    press(&mut app, KeyCode::Char('w'), Mods::NONE, t0);
    let open = Popup::Reactions {
        channel: GENERAL.into(),
        message_id: "a1".into(),
        scroll: 0,
    };
    assert_eq!(app.popup, Some(open.clone()));
    press(&mut app, KeyCode::Char('j'), Mods::NONE, t0);
    assert!(matches!(
        app.popup,
        Some(Popup::Reactions { scroll: 1, .. })
    ));
    press(&mut app, KeyCode::Esc, Mods::NONE, t0);
    assert_eq!(app.popup, None);
}
