//! New DMs from the switcher: people without a DM are listed after the channels; choosing
//! one asks the server for the DM and opens it when it arrives.

use std::time::Instant;

use super::key::{Key, KeyCode, Mods};
use super::tests::{DM, ME, loaded, user};
use super::*;

fn press(app: &mut App, code: KeyCode, mods: Mods, now: Instant) -> Vec<Effect> {
    update(app, Msg::Key(Key::new(code, mods)), now)
}

fn switch_to(app: &mut App, query: &str, now: Instant) {
    press(app, KeyCode::Char('k'), Mods::CTRL, now);
    for c in query.chars() {
        press(app, KeyCode::Char(c), Mods::NONE, now);
    }
}

#[test]
fn the_switcher_lists_people_without_a_dm_and_opens_one_with_them() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    // carol has a DM: she is found as that channel, not as a person.
    switch_to(&mut app, "carol", t0);
    let Some(Popup::Switcher(sw)) = &app.popup else {
        panic!()
    };
    assert_eq!(sw.results, vec![ChannelId::from(DM)]);
    assert!(sw.people.is_empty());
    press(&mut app, KeyCode::Esc, Mods::NONE, t0);
    // bob is a team member without a DM; an empty query lists no people.
    press(&mut app, KeyCode::Char('k'), Mods::CTRL, t0);
    let Some(Popup::Switcher(sw)) = &app.popup else {
        panic!()
    };
    assert!(sw.people.is_empty());
    press(&mut app, KeyCode::Esc, Mods::NONE, t0);
    switch_to(&mut app, "bob", t0);
    let Some(Popup::Switcher(sw)) = &app.popup else {
        panic!()
    };
    assert_eq!(sw.people, vec![UserId::from("bob00001")]);
    let rows = sw.len();
    for _ in 1..rows {
        press(&mut app, KeyCode::Down, Mods::NONE, t0);
    }
    let fx = press(&mut app, KeyCode::Enter, Mods::NONE, t0);
    assert_eq!(
        fx,
        vec![Effect::OpenDm {
            me: ME.into(),
            user: "bob00001".into()
        }]
    );
    assert!(app.popup.is_none());
    // The answer (or DMChatChannelCreated) arrives: the DM opens.
    let dm = Channel {
        id: "d0000000-0000-4000-8000-0000000000b0".into(),
        name: String::new(),
        kind: ChannelKind::Dm {
            users: vec![ME.into(), "bob00001".into()],
        },
        content_type: "chat".into(),
        topic: None,
        unread: 0,
        mentions: 0,
        last_activity: None,
    };
    update(
        &mut app,
        Msg::Chat(ChatEvent::DmCreated {
            channel: dm.clone(),
            users: vec![user("bob00001", "bob"), user(ME, "me")],
        }),
        t0,
    );
    assert_eq!(app.current, Some(dm.id.clone()));
    assert_eq!(app.channels[&dm.id].name, "bob");
    // Now bob is found as his DM.
    switch_to(&mut app, "bob", t0);
    let Some(Popup::Switcher(sw)) = &app.popup else {
        panic!()
    };
    assert!(sw.people.is_empty());
    assert!(sw.results.contains(&dm.id));
}

/// A person with a team nickname is found by either name, and listed by the account name the
/// new DM's title will carry (the nickname beside it), so the two agree.
#[test]
fn a_nicknamed_person_is_listed_by_the_name_the_dm_will_have() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(
        &mut app,
        Msg::Chat(ChatEvent::MemberUpdated {
            team_id: super::tests::TEAM.into(),
            user: "bob00001".into(),
            name: None,
            nickname: Some(Some("Bobby B".into())),
        }),
        t0,
    );
    for query in ["bobby", "bob"] {
        switch_to(&mut app, query, t0);
        let Some(Popup::Switcher(sw)) = &app.popup else {
            panic!()
        };
        assert_eq!(sw.people, vec![UserId::from("bob00001")], "{query}");
        press(&mut app, KeyCode::Esc, Mods::NONE, t0);
    }
    assert_eq!(
        app.person_names(&"bob00001".into()),
        ("bob".to_owned(), Some("Bobby B".to_owned()))
    );
    // The DM the server creates is titled with the account name: the same "bob".
    let dm = Channel {
        id: "d0000000-0000-4000-8000-0000000000b1".into(),
        name: String::new(),
        kind: ChannelKind::Dm {
            users: vec![ME.into(), "bob00001".into()],
        },
        content_type: "chat".into(),
        topic: None,
        unread: 0,
        mentions: 0,
        last_activity: None,
    };
    update(
        &mut app,
        Msg::Chat(ChatEvent::DmCreated {
            channel: dm.clone(),
            users: vec![user("bob00001", "bob"), user(ME, "me")],
        }),
        t0,
    );
    assert_eq!(
        app.channels[&dm.id].name,
        app.person_names(&"bob00001".into()).0
    );
}
