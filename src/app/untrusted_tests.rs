//! Untrusted names and texts joined into one line (typing line, switcher labels, notices,
//! reply previews, DM titles): each part is sanitised before the join, so an escape sequence
//! left open in one part (`ESC ]` with no terminator) cannot swallow the rest of the line.

use std::time::Instant;

use super::tests::{GENERAL, ME, created, loaded, message, send_failed};
use super::*;
use crate::protocol::content::{Block, Inline, Marks, MentionKind, RichText};

/// An operating-system command left open: a terminal (and the sanitiser) would take
/// everything after it as part of the command.
const OPEN_OSC: &str = "\x1b]0;";

fn rename_member(app: &mut App, id: &str, name: &str) {
    for team in &mut app.teams {
        if let Some(u) = team.members.get_mut(id) {
            u.name = name.to_owned();
        }
    }
}

#[test]
fn typing_line_sanitises_each_name() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    rename_member(&mut app, "alice001", &format!("alice{OPEN_OSC}"));
    for user in ["alice001", "bob00001"] {
        let typing = ChatEvent::Typing {
            channel: GENERAL.into(),
            user: user.into(),
        };
        update(&mut app, Msg::Chat(typing), t0);
    }
    assert_eq!(app.typing_line(t0).unwrap(), "alice and bob are typing…");
}

#[test]
fn switcher_label_sanitises_team_and_channel_names() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    app.teams[0].name = format!("Team{OPEN_OSC}");
    let general = app.channels[GENERAL].clone();
    assert_eq!(app.switcher_label(&general), "Team › general");
}

#[test]
fn notices_sanitise_the_server_text_they_quote() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    update(
        &mut app,
        send_failed(GENERAL, "m1", &format!("boom{OPEN_OSC}")),
        t0,
    );
    let notice = app.notice.as_ref().unwrap();
    assert!(
        notice.text.starts_with("Message not sent: boom ("),
        "{notice:?}"
    );
    assert!(notice.text.ends_with(" retries)"), "{notice:?}");
}

#[test]
fn reply_preview_sanitises_each_part_of_the_message() {
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let mut original = message("a1", GENERAL, "alice001", 1, "");
    original.content = RichText {
        blocks: vec![
            Block::Paragraph(vec![
                Inline::Text {
                    text: format!("hi {OPEN_OSC}"),
                    marks: Marks::NONE,
                },
                Inline::Mention {
                    kind: MentionKind::Person,
                    id: ME.into(),
                    label: "@me".into(),
                },
            ]),
            Block::Paragraph(vec![Inline::Text {
                text: format!("second{OPEN_OSC}"),
                marks: Marks::NONE,
            }]),
            Block::Paragraph(vec![Inline::Text {
                text: "third".into(),
                marks: Marks::NONE,
            }]),
        ],
    }
    .into();
    update(&mut app, created(original), t0);
    let mut reply = message("b1", GENERAL, "bob00001", 2, "yes");
    reply.replies_to = vec!["a1".into()];
    let context = app.reply_context(&reply).unwrap();
    assert_eq!(context.preview, "hi @me second third");
}

#[test]
fn dm_titles_sanitise_each_name() {
    use crate::protocol::models::{DmChannel, DmUser};
    let dm_user = |id: &str, name: &str| DmUser {
        id: id.into(),
        name: name.into(),
        ..DmUser::default()
    };
    let dm = DmChannel {
        id: "dm000002".into(),
        users: vec![
            dm_user(ME, "me"),
            dm_user("alice001", &format!("alice{OPEN_OSC}")),
            dm_user("bob00001", "bob"),
        ],
        ..DmChannel::default()
    };
    // From the REST list of DMs.
    let (channel, users) = convert::dm_channel(&dm, &ME.into());
    assert_eq!(channel.name, "alice, bob");
    // Announced on the gateway, unnamed: the reducer builds the title without us.
    let t0 = Instant::now();
    let mut app = loaded(t0);
    let mut unnamed = channel.clone();
    unnamed.name.clear();
    update(
        &mut app,
        Msg::Chat(ChatEvent::DmCreated {
            channel: unnamed,
            users,
        }),
        t0,
    );
    assert_eq!(app.channels["dm000002"].name, "alice, bob");
}
