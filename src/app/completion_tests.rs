//! The composer's completion popup through keys: `@` members, `#` channels, `:` emoji; Tab or
//! Enter takes the selection (a completed `@name` is sent as a real mention), Esc closes it
//! for that word.

use std::time::Instant;

use super::tests::loaded;
use super::*;
use crate::app::key::{Key, KeyCode};
use crate::protocol::content::{Block, Inline, MentionKind};

fn key(code: KeyCode) -> Msg {
    Msg::Key(Key::plain(code))
}

fn type_str(app: &mut App, s: &str, now: Instant) {
    for c in s.chars() {
        update(app, key(KeyCode::Char(c)), now);
    }
}

fn shown(app: &App) -> Vec<String> {
    app.completion
        .as_ref()
        .map(|c| c.items.iter().map(|i| i.shown.clone()).collect())
        .unwrap_or_default()
}

#[test]
fn a_completed_member_is_sent_as_a_real_mention() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    type_str(&mut app, "hi @al", t0);
    assert_eq!(shown(&app), vec!["@alice".to_owned()]);
    update(&mut app, key(KeyCode::Tab), t0);
    assert_eq!(app.composer.text(), "hi @alice ");
    assert_eq!(app.completion, None);
    // Tab went to the popup, not to the next pane.
    assert_eq!(app.focus, Focus::Composer);
    let fx = update(&mut app, key(KeyCode::Enter), t0);
    let Some(Effect::SendMessage { content, .. }) =
        fx.iter().find(|e| matches!(e, Effect::SendMessage { .. }))
    else {
        panic!("no send: {fx:?}");
    };
    let Some(Block::Paragraph(inlines)) = content.blocks.first() else {
        panic!("{content:?}");
    };
    assert!(inlines.iter().any(|i| matches!(
        i,
        Inline::Mention { kind: MentionKind::Person, id, .. } if id == "alice001"
    )));
}

#[test]
fn channels_and_emoji_complete_and_enter_takes_the_selection() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    type_str(&mut app, "see #ran", t0);
    assert_eq!(shown(&app), vec!["#random".to_owned()]);
    update(&mut app, key(KeyCode::Enter), t0);
    assert_eq!(app.composer.text(), "see #random ");
    type_str(&mut app, ":tad", t0);
    assert_eq!(shown(&app).first().map(String::as_str), Some("🎉 :tada:"));
    // Enter takes the completion; it does not send.
    let fx = update(&mut app, key(KeyCode::Enter), t0);
    assert!(!fx.iter().any(|e| matches!(e, Effect::SendMessage { .. })));
    assert_eq!(app.composer.text(), "see #random :tada: ");
}

#[test]
fn esc_closes_for_the_word_and_arrows_move() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    type_str(&mut app, "@", t0);
    assert!(shown(&app).len() >= 2, "{:?}", shown(&app));
    update(&mut app, key(KeyCode::Down), t0);
    assert_eq!(app.completion.as_ref().unwrap().selected, 1);
    update(&mut app, key(KeyCode::Up), t0);
    assert_eq!(app.completion.as_ref().unwrap().selected, 0);
    update(&mut app, key(KeyCode::Esc), t0);
    assert_eq!(app.completion, None);
    type_str(&mut app, "b", t0);
    assert_eq!(app.completion, None, "stays closed for this word");
    // Enter now sends.
    let fx = update(&mut app, key(KeyCode::Enter), t0);
    assert!(fx.iter().any(|e| matches!(e, Effect::SendMessage { .. })));
    // A new word opens it again.
    type_str(&mut app, "@b", t0);
    assert_eq!(shown(&app), vec!["@bob".to_owned()]);
}
