//! `o` on a selected message (one link opens or is copied over SSH, several open a picker, none
//! says so; a failed opener is a notice) and `Alt-e` (the draft through the external editor).

use std::time::Instant;

use super::tests::{GENERAL, created, loaded, message};
use super::*;
use crate::app::key::{Key, KeyCode};

fn key(code: KeyCode) -> Msg {
    Msg::Key(Key::plain(code))
}

/// A loaded app with one message in #general, selected.
fn selecting(body: &str, t0: Instant) -> App {
    let mut app = loaded(t0);
    update(
        &mut app,
        created(message("a1", GENERAL, "alice001", 1, body)),
        t0,
    );
    update(&mut app, Msg::Key(Key::parse("<A-s>").unwrap()), t0);
    assert_eq!(app.focus, Focus::Timeline);
    assert_eq!(app.timeline().unwrap().selected, Some("a1".into()));
    app
}

fn effects_of(fx: &[Effect]) -> Vec<&Effect> {
    fx.iter()
        .filter(|e| matches!(e, Effect::OpenUrl(_) | Effect::Copy(_)))
        .collect()
}

#[test]
fn one_link_opens_locally_and_is_copied_over_ssh() {
    let t0 = Instant::now();
    let mut app = selecting("look https://example.com/a ok", t0);
    let fx = update(&mut app, key(KeyCode::Char('o')), t0);
    assert_eq!(
        effects_of(&fx),
        vec![&Effect::OpenUrl("https://example.com/a".into())]
    );
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "Opening https://example.com/a"
    );
    app.settings.remote = true;
    let fx = update(&mut app, key(KeyCode::Char('o')), t0);
    assert_eq!(
        effects_of(&fx),
        vec![&Effect::Copy("https://example.com/a".into())]
    );
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("copied (over SSH)")
    );
}

#[test]
fn several_links_open_a_picker() {
    let t0 = Instant::now();
    let mut app = selecting("https://one.example/ and https://two.example/", t0);
    let fx = update(&mut app, key(KeyCode::Char('o')), t0);
    assert!(effects_of(&fx).is_empty());
    assert_eq!(
        app.popup,
        Some(Popup::LinkPicker {
            links: vec!["https://one.example/".into(), "https://two.example/".into()],
            selected: 0
        })
    );
    update(&mut app, key(KeyCode::Down), t0);
    update(&mut app, key(KeyCode::Down), t0);
    let fx = update(&mut app, key(KeyCode::Enter), t0);
    assert_eq!(
        effects_of(&fx),
        vec![&Effect::OpenUrl("https://two.example/".into())]
    );
    assert_eq!(app.popup, None);
    // Esc closes without opening.
    update(&mut app, key(KeyCode::Char('o')), t0);
    let fx = update(&mut app, key(KeyCode::Esc), t0);
    assert!(effects_of(&fx).is_empty());
    assert_eq!(app.popup, None);
}

#[test]
fn no_link_says_so_and_a_failed_opener_is_an_error_notice() {
    let t0 = Instant::now();
    let mut app = selecting("nothing to see", t0);
    let fx = update(&mut app, key(KeyCode::Char('o')), t0);
    assert!(effects_of(&fx).is_empty());
    assert_eq!(app.notice.as_ref().unwrap().text, "No link in this message");
    update(
        &mut app,
        Msg::ActionFailed("cannot run xdg-open to open the link: not found".into()),
        t0,
    );
    let notice = app.notice.as_ref().unwrap();
    assert!(notice.is_error && notice.text.contains("xdg-open"));
}

#[test]
fn alt_e_hands_the_draft_to_the_editor_and_its_text_comes_back() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    for c in "draft".chars() {
        update(&mut app, key(KeyCode::Char(c)), t0);
    }
    let fx = update(&mut app, Msg::Key(Key::parse("<A-e>").unwrap()), t0);
    assert!(fx.contains(&Effect::EditExternally {
        channel: GENERAL.into(),
        text: "draft".into()
    }));
    // The editor's final newline is dropped; escape sequences never get in.
    update(
        &mut app,
        Msg::EditedExternally {
            channel: GENERAL.into(),
            text: "line one\nline \x1b[31mtwo\n".into(),
        },
        t0,
    );
    assert_eq!(app.composer.text(), "line one\nline [31mtwo");
    assert_eq!(app.focus, Focus::Composer);
    // Enter sends it.
    let fx = update(&mut app, key(KeyCode::Enter), t0);
    assert!(fx.iter().any(|e| matches!(e, Effect::SendMessage { .. })));
    // A draft written for a channel left meanwhile goes to that channel's draft.
    update(
        &mut app,
        Msg::EditedExternally {
            channel: super::tests::RANDOM.into(),
            text: "for random".into(),
        },
        t0,
    );
    assert_eq!(
        app.draft(&super::tests::RANDOM.into()).map(Composer::text),
        Some("for random")
    );
}
