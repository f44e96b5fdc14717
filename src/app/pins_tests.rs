//! Pins: `p` toggles the selected message's pin, `Alt-p` lists the channel's pins (from the
//! server), Enter jumps to a loaded one.

use std::time::Instant;

use super::key::{Key, KeyCode, Mods};
use super::tests::{GENERAL, created, loaded, message};
use super::*;

fn press(app: &mut App, code: KeyCode, mods: Mods, now: Instant) -> Vec<Effect> {
    update(app, Msg::Key(Key::new(code, mods)), now)
}

fn with_messages(t0: Instant) -> App {
    let mut app = loaded(t0);
    update(
        &mut app,
        created(message("m1", GENERAL, "alice001", 1, "a")),
        t0,
    );
    update(
        &mut app,
        created(message("m2", GENERAL, "bob00001", 2, "b")),
        t0,
    );
    app
}

#[test]
fn p_pins_the_selected_message_and_unpins_a_pinned_one() {
    let t0 = Instant::now();
    let mut app = with_messages(t0);
    press(&mut app, KeyCode::Char('s'), Mods::ALT, t0);
    let fx = press(&mut app, KeyCode::Char('p'), Mods::NONE, t0);
    assert_eq!(
        fx,
        vec![Effect::SetPin {
            channel: GENERAL.into(),
            message_id: "m2".into(),
            pin: true
        }]
    );
    // The gateway confirms; then p unpins.
    update(
        &mut app,
        Msg::Chat(ChatEvent::PinChanged {
            channel: GENERAL.into(),
            message_id: "m2".into(),
            pinned: true,
        }),
        t0,
    );
    let fx = press(&mut app, KeyCode::Char('p'), Mods::NONE, t0);
    assert_eq!(
        fx,
        vec![Effect::SetPin {
            channel: GENERAL.into(),
            message_id: "m2".into(),
            pin: false
        }]
    );
}

#[test]
fn alt_p_lists_the_pins_and_enter_jumps_to_a_loaded_one() {
    let t0 = Instant::now();
    let mut app = with_messages(t0);
    let fx = press(&mut app, KeyCode::Char('p'), Mods::ALT, t0);
    assert_eq!(
        fx,
        vec![Effect::LoadPins {
            channel: GENERAL.into()
        }]
    );
    assert!(matches!(
        app.popup,
        Some(Popup::Pins { messages: None, .. })
    ));
    // An answer for another channel is not this list's.
    update(
        &mut app,
        Msg::Pins {
            channel: "elsewhere".into(),
            messages: vec![],
        },
        t0,
    );
    assert!(matches!(
        app.popup,
        Some(Popup::Pins { messages: None, .. })
    ));
    update(
        &mut app,
        Msg::Pins {
            channel: GENERAL.into(),
            messages: vec![
                message("old", GENERAL, "alice001", 0, "long ago"),
                message("m1", GENERAL, "alice001", 1, "a"),
            ],
        },
        t0,
    );
    // The first pin is not loaded: Enter says so and the list stays.
    press(&mut app, KeyCode::Enter, Mods::NONE, t0);
    assert!(matches!(app.popup, Some(Popup::Pins { .. })));
    assert!(app.notice.as_ref().is_some_and(|n| n.is_error));
    press(&mut app, KeyCode::Down, Mods::NONE, t0);
    press(&mut app, KeyCode::Enter, Mods::NONE, t0);
    assert!(app.popup.is_none());
    assert_eq!(app.focus, Focus::Timeline);
    assert_eq!(app.timeline().unwrap().selected, Some("m1".into()));
    // Alt-p twice closes the list.
    press(&mut app, KeyCode::Char('p'), Mods::ALT, t0);
    press(&mut app, KeyCode::Char('p'), Mods::ALT, t0);
    assert!(app.popup.is_none());
}
