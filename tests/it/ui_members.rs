//! The member pane (`Alt-m`) and the status choice (`Alt-o`) as drawn: groups by presence,
//! role colours, hostile names stripped, hidden on narrow terminals, our status in the bar;
//! and a non-chat channel's activity view.

use std::collections::HashMap;
use std::time::Instant;

use gilt::app::activity::{ActivityItem, ActivityKind};
use gilt::app::key::{Key, KeyCode, Mods};
use gilt::app::presence::{PresenceStatus, RoleColor};
use gilt::app::{App, ChatEvent, Msg, Popup, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use crate::support::world::*;

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| gilt::ui::render(f, app)).unwrap();
    terminal
}

fn text(terminal: &Terminal<TestBackend>) -> String {
    terminal.backend().to_string()
}

fn press(app: &mut App, code: KeyCode, mods: Mods, now: Instant) {
    update(app, Msg::Key(Key::new(code, mods)), now);
}

/// The demo world with presence, one role colour, a hostile nickname and the pane open.
fn with_pane(now: Instant, w: u16, h: u16) -> App {
    let mut app = full_app(now);
    update(
        &mut app,
        Msg::Resize {
            width: w,
            height: h,
        },
        now,
    );
    update(
        &mut app,
        Msg::Chat(ChatEvent::Presence(vec![
            ("alice001".into(), PresenceStatus::Online),
            ("bob00001".into(), PresenceStatus::Idle),
            ("carol001".into(), PresenceStatus::DoNotDisturb),
        ])),
        now,
    );
    update(
        &mut app,
        Msg::Chat(ChatEvent::RoleColors {
            team_id: TEAM.into(),
            colors: HashMap::from([("alice001".into(), RoleColor(0xff, 0x88, 0x00))]),
        }),
        now,
    );
    update(
        &mut app,
        Msg::Chat(ChatEvent::MemberUpdated {
            team_id: TEAM.into(),
            user: "hook0001".into(),
            name: None,
            nickname: Some(Some("Git\u{1b}[2JHub\u{202e}".into())),
        }),
        now,
    );
    press(&mut app, KeyCode::Char('m'), Mods::ALT, now);
    app
}

#[test]
fn member_pane_groups_by_presence_in_role_colours() {
    let now = Instant::now();
    let app = with_pane(now, 120, 40);
    let terminal = draw(&app, 120, 40);
    let screen = text(&terminal);
    for needle in [
        "Members · Gilt Demo",
        "Online — 2",
        "● alice",
        "● nico",
        "Idle — 1",
        "◐ Bobby",
        "Do not disturb — 1",
        "⊖ carol",
        "Offline — 1",
        "○ GitHub",
    ] {
        assert!(screen.contains(needle), "{needle} missing:\n{screen}");
    }
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{202e}'));
    // alice's name is in her role's colour.
    let buf = terminal.backend().buffer();
    let (x, y) = (0..buf.area.height)
        .find_map(|y| {
            let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
            row.find("● alice").map(|i| {
                let col = row[..i].chars().count();
                (u16::try_from(col).unwrap() + 2, y)
            })
        })
        .unwrap();
    assert_eq!(buf[(x, y)].fg, Color::Rgb(0xff, 0x88, 0x00));
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn member_pane_is_left_out_on_a_narrow_terminal() {
    let now = Instant::now();
    let app = with_pane(now, 80, 24);
    assert!(app.member_pane.shown);
    let screen = text(&draw(&app, 80, 24));
    assert!(!screen.contains("Members ·"), "{screen}");
    assert!(
        screen.contains("100 columns"),
        "the notice says why:\n{screen}"
    );
}

#[test]
fn status_choice_and_our_status_in_the_status_bar() {
    let now = Instant::now();
    let mut app = with_pane(now, 100, 30);
    press(&mut app, KeyCode::Char('o'), Mods::ALT, now);
    press(&mut app, KeyCode::Down, Mods::NONE, now);
    let terminal = draw(&app, 100, 30);
    let screen = text(&terminal);
    assert!(screen.contains("Your status"), "{screen}");
    insta::assert_snapshot!(terminal.backend());
    press(&mut app, KeyCode::Enter, Mods::NONE, now);
    // Once the notice is gone, the status bar says we are idle.
    update(&mut app, Msg::Tick, now + gilt::app::NOTICE_SHOWN_FOR);
    let screen = text(&draw(&app, 100, 30));
    let status_bar = screen.lines().last().unwrap();
    assert!(status_bar.contains("nico ◐ idle"), "{status_bar}");
    assert!(
        screen.contains("◐ nico"),
        "the pane moved us too:\n{screen}"
    );
}

/// A non-chat channel's activity view: who did what, titles sanitised, newest first.
#[test]
fn activity_view_of_a_non_chat_channel() {
    let now = Instant::now();
    let mut app = full_app(now);
    let channel = app
        .channels
        .values()
        .find(|c| !c.is_chat())
        .map(|c| c.id.clone())
        .unwrap();
    for (kind, title, who) in [
        (
            ActivityKind::Created,
            Some("Release \u{1b}[31mnotes"),
            "alice001",
        ),
        (ActivityKind::Replied, Some("Release notes"), "bob00001"),
        (ActivityKind::Reacted, None, "carol001"),
    ] {
        update(
            &mut app,
            Msg::Chat(ChatEvent::Activity {
                channel: channel.clone(),
                item: ActivityItem {
                    kind,
                    title: title.map(str::to_owned),
                    actor: Some(who.into()),
                    at: Some("2026-11-25T10:00:00Z".parse().unwrap()),
                },
            }),
            now,
        );
    }
    app.popup = Some(Popup::Activity { channel, scroll: 0 });
    let terminal = draw(&app, 100, 30);
    let screen = text(&terminal);
    assert!(screen.contains("read in the web client"), "{screen}");
    assert!(
        screen.contains("Bobby replied to “Release notes”"),
        "{screen}"
    );
    assert!(screen.contains("alice posted “Release notes”"), "{screen}");
    assert!(!screen.contains('\u{1b}'));
    insta::assert_snapshot!(terminal.backend());
}

/// People in a voice channel are listed under it in the sidebar, names sanitised.
#[test]
fn voice_participants_under_their_channel() {
    let now = Instant::now();
    let mut app = full_app(now);
    update(
        &mut app,
        Msg::Chat(ChatEvent::VoiceParticipants {
            channel: LOUNGE.into(),
            users: vec!["alice001".into(), "bob00001".into()],
        }),
        now,
    );
    let terminal = draw(&app, 100, 30);
    let screen = text(&terminal);
    let rows: Vec<&str> = screen.lines().collect();
    let lounge = rows.iter().position(|r| r.contains("# lounge")).unwrap();
    assert!(rows[lounge + 1].contains("♪ alice"), "{screen}");
    assert!(rows[lounge + 2].contains("♪ Bobby"), "{screen}");
    insta::assert_snapshot!(terminal.backend());
}
