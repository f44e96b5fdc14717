//! When the reducer asks for a notification and for a new window title: DMs and mentions that
//! arrive live, never our own, never a backfill, never the channel in view of a focused
//! terminal; one per channel per interval, then a summary on the tick.

use std::time::Instant;

use super::notify::NOTIFY_INTERVAL;
use super::tests::{DM, GENERAL, ME, RANDOM, created, initial, loaded, message};
use super::*;
use crate::config::NotifyMode;
use crate::protocol::content::{Block, Inline, Marks, MentionKind, RichText};

fn notes(fx: &[Effect]) -> Vec<Notification> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Notify(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

/// The titles a message asks for, as the runtime's loop sees them: from the message's own
/// effects (none) and from the title check after its batch.
fn titles(app: &mut App, msg: Msg, now: Instant) -> Vec<String> {
    let fx = update(app, msg, now);
    fx.iter()
        .chain(refresh_title(app).as_ref())
        .filter_map(|e| match e {
            Effect::SetTitle(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

fn mention_of_me(id: &str, channel: &str, author: &str, secs: i64) -> Message {
    let mut m = message(id, channel, author, secs, "");
    m.content = RichText {
        blocks: vec![Block::Paragraph(vec![
            Inline::Mention {
                kind: MentionKind::Person,
                id: ME.into(),
                label: "@me".into(),
            },
            Inline::Text {
                text: " look at this".into(),
                marks: Marks::default(),
            },
        ])],
    }
    .into();
    m
}

fn backfilled(m: Message) -> Msg {
    Msg::Backfill {
        channel: m.channel_id.clone(),
        messages: vec![m],
    }
}

#[test]
fn a_dm_or_a_mention_notifies_with_sender_channel_and_text() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let fx = update(
        &mut app,
        created(message("d1", DM, "carol001", 1, "psst")),
        t0,
    );
    assert_eq!(notes(&fx), vec![Notification::new("carol", "psst")]);
    let fx = update(
        &mut app,
        created(mention_of_me("m1", RANDOM, "bob00001", 2)),
        t0,
    );
    assert_eq!(
        notes(&fx),
        vec![Notification::new("bob in #random", "@me look at this")]
    );
    // A plain message in a team channel is only counted.
    let fx = update(
        &mut app,
        created(message("m2", RANDOM, "alice001", 3, "hi")),
        t0,
    );
    assert!(notes(&fx).is_empty());
}

#[test]
fn own_messages_backfill_and_duplicates_never_notify() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let fx = update(&mut app, created(mention_of_me("m1", RANDOM, ME, 1)), t0);
    assert!(notes(&fx).is_empty());
    let fx = update(
        &mut app,
        backfilled(message("d1", DM, "carol001", 2, "old")),
        t0,
    );
    assert!(notes(&fx).is_empty());
    // …but the backfill still counts as unread.
    assert_eq!(app.channels[DM].unread, 1);
    // The open channel's message arriving twice (live, then again) notifies once.
    update(&mut app, Msg::Focus(false), t0);
    let later = t0 + NOTIFY_INTERVAL;
    let fx = update(
        &mut app,
        created(mention_of_me("g1", GENERAL, "bob00001", 3)),
        later,
    );
    assert_eq!(notes(&fx).len(), 1);
    let fx = update(
        &mut app,
        created(mention_of_me("g1", GENERAL, "bob00001", 3)),
        later + NOTIFY_INTERVAL,
    );
    assert!(notes(&fx).is_empty());
}

#[test]
fn the_open_channel_notifies_only_when_the_terminal_lost_focus() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let fx = update(
        &mut app,
        created(mention_of_me("g1", GENERAL, "bob00001", 1)),
        t0,
    );
    assert!(notes(&fx).is_empty(), "the user is looking at it");
    assert!(update(&mut app, Msg::Focus(false), t0).is_empty());
    let fx = update(
        &mut app,
        created(mention_of_me("g2", GENERAL, "bob00001", 2)),
        t0,
    );
    assert_eq!(notes(&fx).len(), 1);
    update(&mut app, Msg::Focus(true), t0);
    // Other channels notify whatever the focus.
    let fx = update(
        &mut app,
        created(message("d1", DM, "carol001", 3, "psst")),
        t0,
    );
    assert_eq!(notes(&fx).len(), 1);
}

#[test]
fn a_burst_gives_one_notification_then_a_summary_on_the_tick() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let mut shown = Vec::new();
    for i in 0..5 {
        let fx = update(
            &mut app,
            created(message(&format!("d{i}"), DM, "carol001", i, "spam")),
            t0,
        );
        shown.extend(notes(&fx));
    }
    assert_eq!(shown, vec![Notification::new("carol", "spam")]);
    assert_eq!(app.next_deadline(), Some(t0 + NOTIFY_INTERVAL));
    let fx = update(&mut app, Msg::Tick, t0 + NOTIFY_INTERVAL);
    assert_eq!(
        notes(&fx),
        vec![Notification::new("carol", "4 more messages")]
    );
    assert_eq!(app.next_deadline(), None);
}

#[test]
fn notify_none_asks_for_nothing() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    app.settings.notify = NotifyMode::None;
    let fx = update(
        &mut app,
        created(message("d1", DM, "carol001", 1, "psst")),
        t0,
    );
    assert!(notes(&fx).is_empty());
}

#[test]
fn the_window_title_follows_the_unread_total() {
    let t0 = Instant::now();
    let mut app = App::new(Settings::default(), crate::keymap::Keymap::default(), 7);
    assert_eq!(
        titles(&mut app, Msg::Loaded(initial()), t0),
        vec!["gilt".to_owned()]
    );
    let hi = created(message("r1", RANDOM, "alice001", 1, "hi"));
    assert_eq!(titles(&mut app, hi, t0), vec!["gilt (1)".to_owned()]);
    // Unchanged total: no new title.
    let typed = Msg::Key(key::Key::plain(key::KeyCode::Char('x')));
    assert!(titles(&mut app, typed, t0).is_empty());
    let psst = created(message("d1", DM, "carol001", 2, "psst"));
    assert_eq!(
        titles(&mut app, psst, t0),
        vec!["gilt (2, 1 for you)".to_owned()]
    );
    // A burst folded before the check: one title, with the total after the last message.
    for (i, id) in ["r2", "r3", "r4"].into_iter().enumerate() {
        let fx = update(
            &mut app,
            created(message(id, RANDOM, "alice001", 3 + i as i64, "more")),
            t0,
        );
        assert!(!fx.iter().any(|e| matches!(e, Effect::SetTitle(_))));
    }
    assert_eq!(
        refresh_title(&mut app),
        Some(Effect::SetTitle("gilt (5, 1 for you)".to_owned()))
    );
    assert_eq!(refresh_title(&mut app), None);
    // Off in the config: never.
    let mut quiet = loaded(t0);
    quiet.settings.set_title = false;
    let hi = created(message("r1", RANDOM, "alice001", 1, "hi"));
    assert!(titles(&mut quiet, hi, t0).is_empty());
}

#[test]
fn alt_n_mutes_the_open_channel_and_a_muted_channel_never_notifies() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let alt_n = || Msg::Key(key::Key::new(key::KeyCode::Char('n'), key::Mods::ALT));
    // The key mutes the open channel (#general), saved at once; again unmutes it.
    let fx = update(&mut app, alt_n(), t0);
    assert!(app.muted.contains(&ChannelId::from(GENERAL)));
    assert!(
        matches!(&fx[..], [Effect::SaveState(s), ..] if s.muted.contains(&ChannelId::from(GENERAL))),
        "{fx:?}"
    );
    assert!(app.notice.as_ref().unwrap().text.starts_with("Muted "));
    update(&mut app, alt_n(), t0);
    assert!(app.muted.is_empty());

    // A muted channel: a mention and a DM are counted, never notified.
    app.muted.insert(RANDOM.into());
    app.muted.insert(DM.into());
    let fx = update(
        &mut app,
        created(mention_of_me("m1", RANDOM, "bob00001", 1)),
        t0,
    );
    assert!(notes(&fx).is_empty(), "{fx:?}");
    let fx = update(
        &mut app,
        created(message("d1", DM, "carol001", 2, "psst")),
        t0,
    );
    assert!(notes(&fx).is_empty(), "{fx:?}");
    let fx = update(
        &mut app,
        created(message("r2", RANDOM, "alice001", 3, "hi")),
        t0,
    );
    assert!(notes(&fx).is_empty());
    // Muted unread messages are left out of the totals; mentions still count.
    assert_eq!(app.channels[&ChannelId::from(RANDOM)].unread, 2);
    assert_eq!(app.unread_totals(), (2, 2));
    assert_eq!(app.team_unread(&app.teams[0]), (1, 1));

    // Unmuted again (restored in a new run too), it notifies as before.
    let state = app.persisted_state();
    let mut next = App::new(Settings::default(), crate::keymap::Keymap::default(), 7);
    update(&mut next, Msg::RestoreState(state), t0);
    update(&mut next, Msg::Loaded(initial()), t0);
    assert_eq!(next.muted, app.muted);
    app.muted.clear();
    let fx = update(
        &mut app,
        created(mention_of_me("m3", RANDOM, "bob00001", 4)),
        t0,
    );
    assert_eq!(notes(&fx).len(), 1);
}
