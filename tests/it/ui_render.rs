//! Render snapshots of the whole screen (insta over ratatui's `TestBackend`), hostile text,
//! and "never panics at any size".

use std::time::Instant;

use gilt::app::key::{KeyCode, Mods};
use gilt::app::{App, Focus, Msg, Popup};
use gilt::protocol::content::{Block, Inline, Marks, RichText};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::support::fixture;
use crate::support::world::*;

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| gilt::ui::render(f, app)).unwrap();
    terminal
}

fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    terminal.backend().to_string()
}

#[test]
fn whole_screen_120x40() {
    let now = Instant::now();
    let app = full_app(now);
    insta::assert_snapshot!(draw(&app, 120, 40).backend());
}

#[test]
fn whole_screen_60x20() {
    let now = Instant::now();
    let app = full_app(now);
    insta::assert_snapshot!(draw(&app, 60, 20).backend());
}

#[test]
fn whole_screen_40x12() {
    let now = Instant::now();
    let app = full_app(now);
    insta::assert_snapshot!(draw(&app, 40, 12).backend());
}

#[test]
fn help_popup() {
    let now = Instant::now();
    let mut app = full_app(now);
    app.popup = Some(Popup::Help { scroll: 0 });
    insta::assert_snapshot!(draw(&app, 120, 40).backend());
}

/// Every section of the help, generated from the command table, on a screen tall enough.
#[test]
fn help_popup_in_full() {
    let now = Instant::now();
    let mut app = full_app(now);
    app.popup = Some(Popup::Help { scroll: 0 });
    insta::assert_snapshot!(draw(&app, 100, 110).backend());
}

#[test]
fn switcher_popup() {
    let now = Instant::now();
    let mut app = full_app(now);
    key(&mut app, KeyCode::Char('k'), Mods::CTRL, now);
    assert!(matches!(app.popup, Some(Popup::Switcher(_))));
    type_text(&mut app, "de", now);
    insta::assert_snapshot!(draw(&app, 120, 40).backend());
}

#[test]
fn reaction_picker_popup() {
    let now = Instant::now();
    let mut app = full_app(now);
    key(&mut app, KeyCode::Char('s'), Mods::ALT, now);
    assert_eq!(app.focus, Focus::Timeline);
    // Up from our own unsent messages to the last confirmed one.
    for _ in 0..2 {
        key(&mut app, KeyCode::Up, Mods::NONE, now);
    }
    key(&mut app, KeyCode::Char('+'), Mods::NONE, now);
    assert!(
        matches!(app.popup, Some(Popup::ReactionPicker(_))),
        "{:?}",
        app.popup
    );
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
    // Typing filters: the query shows, the best match is on top.
    for c in "heart".chars() {
        key(&mut app, KeyCode::Char(c), Mods::NONE, now);
    }
    insta::assert_snapshot!("reaction_picker_filtered", draw(&app, 80, 24).backend());
}

/// `w` on the message with 🎉 (alice, you, carol) and 👍 (alice): names from the members.
#[test]
fn who_reacted_popup() {
    let now = Instant::now();
    let mut app = full_app(now);
    key(&mut app, KeyCode::Char('s'), Mods::ALT, now);
    while app.timeline().unwrap().selected != Some("m03".into()) {
        key(&mut app, KeyCode::Up, Mods::NONE, now);
    }
    key(&mut app, KeyCode::Char('w'), Mods::NONE, now);
    assert!(matches!(app.popup, Some(Popup::Reactions { .. })));
    let terminal = draw(&app, 80, 24);
    let text = screen_text(&terminal);
    assert!(text.contains("alice, you, carol"), "{text}");
    insta::assert_snapshot!(terminal.backend());
}

/// A muted channel's unread messages are drawn dim, not bold.
#[test]
fn a_muted_channel_is_dim_in_the_sidebar() {
    use ratatui::style::Modifier;
    let now = Instant::now();
    let mut app = full_app(now);
    let theme = gilt::ui::theme::Theme::default();
    assert!(
        style_of(&draw(&app, 120, 40), "# random", 2)
            .add_modifier
            .contains(Modifier::BOLD)
    );
    let random = app
        .channels
        .values()
        .find(|c| c.name == "random")
        .unwrap()
        .id
        .clone();
    app.muted.insert(random);
    let style = style_of(&draw(&app, 120, 40), "# random", 2);
    assert!(!style.add_modifier.contains(Modifier::BOLD), "{style:?}");
    assert!(
        style.add_modifier.contains(theme.muted.add_modifier),
        "{style:?}"
    );
}

#[test]
fn sidebar_focused_and_scrolled_up() {
    let now = Instant::now();
    let mut app = base_app(now);
    send(
        &mut app,
        Msg::History {
            channel: GENERAL.into(),
            messages: many_messages(60),
            has_past: true,
            older: false,
        },
        now,
    );
    key(&mut app, KeyCode::PageUp, Mods::NONE, now);
    key(&mut app, KeyCode::BackTab, Mods::NONE, now);
    key(&mut app, KeyCode::BackTab, Mods::NONE, now);
    assert_eq!(app.focus, Focus::Sidebar);
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

/// Text written to attack the terminal or the layout.
fn hostile() -> RichText {
    let long_word = "A".repeat(2000);
    RichText {
        blocks: vec![
            Block::Paragraph(vec![Inline::Text {
                text: "red:\x1b[31mRED\x1b[0m title:\x1b]0;pwned\x07 bell:\x07 del:\x7f c1:\u{9b}2J end"
                    .into(),
                marks: Marks::NONE,
            }]),
            Block::Paragraph(vec![Inline::Text {
                text: "bidi: \u{202e}txt.exe\u{202c} iso:\u{2066}x\u{2069} mark:\u{200f}|".into(),
                marks: Marks::BOLD,
            }]),
            Block::Paragraph(vec![Inline::Text {
                text: "zwj: 👨\u{200d}👩\u{200d}👧 combining: e\u{301}\u{301}\u{301} cjk: 漢字テキスト tab:\tx"
                    .into(),
                marks: Marks::NONE,
            }]),
            Block::Paragraph(vec![Inline::Text {
                text: long_word,
                marks: Marks::NONE,
            }]),
            Block::Code {
                language: Some("\x1b[1mevil".into()),
                lines: vec!["\x1b]52;c;ZXZpbA==\x07paste".into()],
            },
        ],
    }
}

fn hostile_app(now: Instant) -> App {
    let mut app = base_app(now);
    let mut m = message(
        "evil",
        GENERAL,
        "alice001",
        "2026-11-25T10:00:00Z",
        hostile(),
    );
    m.author_id = "evil\x1b[2J".into();
    send(
        &mut app,
        Msg::History {
            channel: GENERAL.into(),
            messages: vec![m],
            has_past: false,
            older: false,
        },
        now,
    );
    app
}

#[test]
fn hostile_message() {
    let now = Instant::now();
    let app = hostile_app(now);
    let terminal = draw(&app, 120, 60);
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        let sym = cell.symbol();
        assert!(
            !sym.chars().any(gilt::sanitize::is_forbidden),
            "forbidden char reached a cell: {sym:?}"
        );
    }
    let text = screen_text(&terminal);
    assert!(!text.contains("[31m"), "CSI remnant shown");
    assert!(!text.contains("pwned"), "OSC payload shown");
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn every_size_from_1x1_to_45x15_draws_without_panic() {
    let now = Instant::now();
    let apps = [full_app(now), hostile_app(now), {
        let mut a = full_app(now);
        a.popup = Some(Popup::Help { scroll: 3 });
        a
    }];
    for app in &apps {
        for w in 1..=45 {
            for h in 1..=15 {
                draw(app, w, h);
            }
        }
    }
}

#[test]
fn too_small_says_so() {
    let now = Instant::now();
    let app = full_app(now);
    let text = screen_text(&draw(&app, 30, 8));
    assert!(text.contains("too small"), "{text}");
}

#[test]
fn cursor_sits_after_the_draft() {
    let now = Instant::now();
    let app = full_app(now);
    let mut terminal = draw(&app, 120, 40);
    let pos = terminal.get_cursor_position().unwrap();
    let row: String = {
        let buf = terminal.backend().buffer();
        (0..pos.x)
            .map(|x| buf[(x, pos.y)].symbol().to_owned())
            .collect()
    };
    assert!(row.ends_with("a draft in progress"), "{row:?}");
}

/// The style of the `at`-th character of the first place `needle` appears on screen.
fn style_of(terminal: &Terminal<TestBackend>, needle: &str, at: usize) -> ratatui::style::Style {
    let buf = terminal.backend().buffer();
    let area = buf.area;
    for y in 0..area.height {
        // One entry per cell, so a character index maps back to a column.
        let cells: Vec<String> = (0..area.width)
            .map(|x| buf[(x, y)].symbol().to_owned())
            .collect();
        let chars: Vec<char> = needle.chars().collect();
        for x in 0..cells.len() {
            let mut ok = true;
            for (i, c) in chars.iter().enumerate() {
                if cells.get(x + i).and_then(|s| s.chars().next()) != Some(*c) {
                    ok = false;
                    break;
                }
            }
            if ok {
                return buf[((x + at) as u16, y)].style();
            }
        }
    }
    panic!("{needle:?} not on screen");
}

#[test]
fn styles_carry_meaning() {
    use ratatui::style::{Color, Modifier};
    let now = Instant::now();
    let app = full_app(now);
    // Tall enough for the whole conversation.
    let terminal = draw(&app, 120, 60);
    let theme = gilt::ui::theme::Theme::default();
    let has = |needle: &str, at: usize, m: Modifier| {
        style_of(&terminal, needle, at).add_modifier.contains(m)
    };
    // A mention of the user stands out; @everyone too; channel links are marked.
    assert_eq!(style_of(&terminal, "@nico", 1).bg, theme.mention_me.bg);
    assert_eq!(style_of(&terminal, "@everyone", 1).bg, theme.mention_me.bg);
    assert_eq!(style_of(&terminal, "#dev notes", 1).fg, theme.mention.fg);
    // Unread channels are bold in the sidebar, read ones not; the open one is in the accent.
    assert!(has("# random", 2, Modifier::BOLD));
    assert!(!has("# lounge", 2, Modifier::BOLD));
    assert_eq!(style_of(&terminal, "▎  # general", 5).fg, Some(Color::Cyan));
    // Authors have their own stable colour.
    assert_ne!(
        theme.user_color(&"alice001".into()),
        theme.user_color(&"carol001".into())
    );
    assert_eq!(
        style_of(&terminal, "alice  16:02", 0).fg,
        Some(theme.user_color(&"alice001".into()))
    );
    assert_eq!(
        style_of(&terminal, "carol  09:20", 0).fg,
        Some(theme.user_color(&"carol001".into()))
    );
    // Marks: inline code, links, strikethrough, bold.
    assert_eq!(
        style_of(&terminal, "src/ui/timeline.rs", 0).fg,
        theme.code.fg
    );
    assert!(has("the PR", 0, Modifier::UNDERLINED));
    assert!(has("obviously", 0, Modifier::CROSSED_OUT));
    assert!(has("new timeline", 0, Modifier::BOLD));
    // The pending echo is dimmed, the failed one is not but says so in the error colour.
    assert!(has("on my way", 0, Modifier::DIM));
    assert!(!has("this one fails", 0, Modifier::DIM));
    assert_eq!(style_of(&terminal, "✗ not sent", 2).fg, theme.error.fg);
}

#[test]
fn delete_confirmation_popup() {
    let now = Instant::now();
    let mut app = full_app(now);
    key(&mut app, KeyCode::Char('s'), Mods::ALT, now);
    for _ in 0..10 {
        if app.timeline().and_then(|t| t.selected.as_ref()) == Some(&"m04".into()) {
            break;
        }
        key(&mut app, KeyCode::Up, Mods::NONE, now);
    }
    key(&mut app, KeyCode::Char('d'), Mods::NONE, now);
    assert!(
        matches!(app.popup, Some(Popup::ConfirmDelete { .. })),
        "{:?}",
        app.popup
    );
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn narrow_screen_shows_the_sidebar_alone_while_it_has_focus() {
    let now = Instant::now();
    let mut app = full_app(now);
    key(&mut app, KeyCode::BackTab, Mods::NONE, now);
    key(&mut app, KeyCode::BackTab, Mods::NONE, now);
    assert_eq!(app.focus, Focus::Sidebar);
    insta::assert_snapshot!(draw(&app, 50, 16).backend());
}

/// The timeline drawing the captured and synthesized Guilded fixtures: a REST history page
/// (through the model's DTO conversion) and every documented content shape.
#[test]
fn fixture_messages() {
    use gilt::protocol::content::parse_document;
    use gilt::protocol::models::ChannelMessagesResponse;
    let now = Instant::now();
    let mut app = base_app(now);
    let page: ChannelMessagesResponse =
        serde_json::from_str(&fixture("synthesized/channel-messages-response.json")).unwrap();
    let mut messages: Vec<gilt::app::Message> = page
        .messages
        .iter()
        .map(|m| {
            let mut m = gilt::app::convert::message(m, &GENERAL.into());
            m.channel_id = GENERAL.into();
            m
        })
        .collect();
    let contents = [
        "docs-message.json",
        "synthesized/content-formatting.json",
        "gjs-content-user-mention.json",
        "gjs-content-channel-mention.json",
        "gjs-content-role-mention.json",
        "gjs-content-multi-paragraph.json",
        "gjs-content-text-plus-embed.json",
    ];
    for (i, name) in contents.iter().enumerate() {
        let raw: serde_json::Value = serde_json::from_str(&fixture(name)).unwrap();
        // docs-message.json is a whole message; the others are bare content documents.
        let doc = raw.get("content").cloned().unwrap_or(raw);
        let content = parse_document(&doc.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let at = format!("2026-11-25T10:{:02}:00Z", 10 + i);
        messages.push(message(
            &format!("fx{i}"),
            GENERAL,
            "alice001",
            &at,
            content,
        ));
    }
    send(
        &mut app,
        Msg::History {
            channel: GENERAL.into(),
            messages,
            has_past: false,
            older: false,
        },
        now,
    );
    insta::assert_snapshot!(draw(&app, 100, 60).backend());
}

fn last_row(terminal: &Terminal<TestBackend>) -> String {
    let buf = terminal.backend().buffer();
    let y = buf.area.height - 1;
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_owned())
        .collect()
}

#[test]
fn status_bar_shows_each_socket_group() {
    use gilt::app::{LinkGroup, LinkStatus};
    use std::time::Duration;
    let now = Instant::now();
    let mut app = base_app(now);
    assert!(last_row(&draw(&app, 120, 40)).contains("● connected"));
    send(
        &mut app,
        Msg::Link {
            group: LinkGroup::Team(TEAM.into()),
            state: LinkStatus::Reconnecting {
                at: now + Duration::from_millis(2500),
            },
        },
        now,
    );
    let row = last_row(&draw(&app, 120, 40));
    assert!(row.contains("◌ Gilt Demo: reconnecting in 3 s"), "{row}");
    assert!(!row.contains("connected │"), "{row}");
    send(
        &mut app,
        Msg::Link {
            group: LinkGroup::Main,
            state: LinkStatus::Offline,
        },
        now + Duration::from_secs(1),
    );
    let row = last_row(&draw(&app, 120, 40));
    assert!(row.contains("○ main: offline"), "{row}");
    assert!(row.contains("◌ Gilt Demo: reconnecting in 2 s"), "{row}");
    assert!(row.contains("#general"), "{row}");
}

/// Before the first answer (no user, no channel yet) the socket groups can fill the whole
/// bar; the empty location then has no room, and the bar must not underflow its budget
/// (it did: a panic at start-up in an 80-column terminal).
#[test]
fn status_bar_full_of_connecting_sockets_before_the_first_answer() {
    use gilt::app::{LinkGroup, LinkStatus, Settings};
    use gilt::keymap::Keymap;
    let now = Instant::now();
    let mut app = App::new(Settings::default(), Keymap::default(), 1);
    for team in ["GiLtCr3w", "RustCaf3", "W0rldT3a"] {
        send(
            &mut app,
            Msg::Link {
                group: LinkGroup::Team(team.into()),
                state: LinkStatus::Connecting,
            },
            now,
        );
    }
    for width in [40, 60, 80, 100] {
        let row = last_row(&draw(&app, width, 24));
        assert!(row.contains('◌'), "{width}: {row}");
    }
}

/// Only what is visible is laid out, and a redraw lays out nothing again.
#[test]
fn a_frame_lays_out_only_visible_messages() {
    let now = Instant::now();
    let mut app = base_app(now);
    send(
        &mut app,
        Msg::History {
            channel: GENERAL.into(),
            messages: many_messages(20_000),
            has_past: true,
            older: false,
        },
        now,
    );
    let mut ui = gilt::ui::Ui::new();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| ui.draw(f, &app)).unwrap();
    let (_, misses) = ui.cache().stats();
    // 40 rows hold at most 40 messages; each is laid out once.
    assert!(misses > 0 && misses <= 40, "{misses} layouts for one frame");
    assert_eq!(ui.cache().len() as u64, misses);
    terminal.draw(|f| ui.draw(f, &app)).unwrap();
    assert_eq!(ui.cache().stats().1, misses, "a redraw must hit the cache");
    // Scrolling up a page lays out only the newly visible messages.
    key(&mut app, KeyCode::PageUp, Mods::NONE, now);
    terminal.draw(|f| ui.draw(f, &app)).unwrap();
    let after = ui.cache().stats().1;
    assert!(after > misses && after <= misses + 40, "{misses} → {after}");
}

/// A thread sits indented under its parent in the sidebar, and its starting message says
/// "thread: NAME" (the name sanitised).
#[test]
fn thread_under_its_parent_and_on_its_message() {
    let now = Instant::now();
    let mut app = full_app(now);
    // The newest message from someone else (on screen).
    let first = app
        .timeline()
        .unwrap()
        .iter()
        .rev()
        .find(|m| m.author_id != app.me.id)
        .unwrap()
        .id
        .clone();
    app.focus = Focus::Composer;
    gilt::app::update(
        &mut app,
        Msg::Chat(gilt::app::ChatEvent::ThreadCreated {
            channel: channel(
                "f0000000-0000-4000-8000-000000000001",
                "release \u{1b}[31mplans",
                Some(1),
                0,
                "chat",
            ),
            thread: gilt::app::Thread {
                parent: GENERAL.into(),
                message: Some(first),
            },
        }),
        now,
    );
    let terminal = draw(&app, 120, 40);
    let text = screen_text(&terminal);
    assert!(text.contains("↳ release plans"), "{text}");
    assert!(text.contains("thread: release plans"), "{text}");
    assert!(!text.contains('\u{1b}'));
    insta::assert_snapshot!(terminal.backend());
}

/// Alt-p: the pinned messages of the open channel, one line each, the selected highlighted.
#[test]
fn pinned_messages_popup() {
    let now = Instant::now();
    let mut app = full_app(now);
    let pins: Vec<_> = app.timeline().unwrap().iter().take(3).cloned().collect();
    app.popup = Some(Popup::Pins {
        channel: GENERAL.into(),
        messages: Some(pins),
        selected: 1,
    });
    let terminal = draw(&app, 100, 30);
    assert!(screen_text(&terminal).contains("Pinned in #general"));
    insta::assert_snapshot!(terminal.backend());
}

/// The `:` completion with emoji sequences terminals measure differently (🏳️‍⚧️, 🌪️, ❤️‍🔥):
/// each is drawn as its first character, so no cell is left that the terminal may not cover.
#[test]
fn emoji_sequences_in_the_completion_popup_are_terminal_safe() {
    let now = Instant::now();
    let mut app = full_app(now);
    key(&mut app, KeyCode::Char('u'), Mods::CTRL, now);
    for c in " :fla".chars() {
        key(&mut app, KeyCode::Char(c), Mods::NONE, now);
    }
    let shown: Vec<String> = app
        .completion
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|i| i.shown.clone())
        .collect();
    assert!(shown.iter().any(|s| s.contains('\u{fe0f}')), "{shown:?}");
    let terminal = draw(&app, 80, 24);
    let buf = terminal.backend().buffer();
    let symbols: String = buf
        .content()
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    assert!(
        !symbols.contains('\u{fe0f}'),
        "a VS16 sequence reached a cell"
    );
    insta::assert_snapshot!(terminal.backend());
}

/// The row of the screen where `needle` is drawn, if it is.
fn row_of(terminal: &Terminal<TestBackend>, needle: &str) -> Option<String> {
    screen_text(terminal)
        .lines()
        .find(|l| l.contains(needle))
        .map(str::to_owned)
}

/// A frame of `app` at 120×40 whose layout is fed back to the reducer, as the runtime does.
fn frame(ui: &mut gilt::ui::Ui, app: &mut App, now: Instant) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| ui.draw(f, app)).unwrap();
    if let Some(shown) = ui.hits.shown.clone() {
        send(app, Msg::Shown(shown), now);
    }
    terminal
}

/// Moving the selection up and down the timeline keeps the selected message on screen (with
/// its selection bar): past the top of the view the view follows it, and back down it stays.
#[test]
fn the_selection_stays_in_view_while_it_moves() {
    let now = Instant::now();
    let mut app = base_app(now);
    send(
        &mut app,
        Msg::History {
            channel: GENERAL.into(),
            messages: many_messages(200),
            has_past: false,
            older: false,
        },
        now,
    );
    let mut ui = gilt::ui::Ui::new();
    frame(&mut ui, &mut app, now);
    key(&mut app, KeyCode::Char('s'), Mods::ALT, now);
    // Up past the top of a screen, one frame after each key (and in a burst of keys).
    for step in 1..=40 {
        key(&mut app, KeyCode::Up, Mods::NONE, now);
        if step % 5 == 0 {
            key(&mut app, KeyCode::Up, Mods::NONE, now);
        }
        let shown = frame(&mut ui, &mut app, now);
        let id = app.timeline().unwrap().selected.clone().unwrap();
        let n: usize = id.as_str()[4..].parse().unwrap();
        let row = row_of(&shown, &format!("message {n}: "));
        assert!(
            row.as_deref().is_some_and(|r| r.contains('▍')),
            "step {step}: message {n} is selected but not shown selected:\n{}",
            screen_text(&shown)
        );
    }
    // Back down: the view stays while the selection is in it.
    let before = screen_text(&frame(&mut ui, &mut app, now));
    key(&mut app, KeyCode::Down, Mods::NONE, now);
    let after = frame(&mut ui, &mut app, now);
    let strip = |s: &str| s.replace('▍', " ");
    assert_eq!(
        strip(&before),
        strip(&screen_text(&after)),
        "the view moved"
    );
    for step in 1..=40 {
        key(&mut app, KeyCode::Down, Mods::NONE, now);
        let shown = frame(&mut ui, &mut app, now);
        let id = app.timeline().unwrap().selected.clone().unwrap();
        let n: usize = id.as_str()[4..].parse().unwrap();
        assert!(
            row_of(&shown, &format!("message {n}: ")).is_some_and(|r| r.contains('▍')),
            "down {step}: message {n} not shown selected:\n{}",
            screen_text(&shown)
        );
    }
}

/// The search popup: each hit's channel, author and snippet, the matched words highlighted;
/// names and text from other people never bring control, escape or bidi characters to the
/// terminal, even if a store handed them over.
#[test]
fn search_popup_results_are_highlighted_and_sanitised() {
    use gilt::app::search::{SearchHit, SearchPopup, Snippet};
    let now = Instant::now();
    let mut app = full_app(now);
    let text = "say \u{1b}]0;pwned\u{7} deploy now";
    let at = text.find("deploy").unwrap();
    let hit = |id: &str, channel_id: &str, channel: &str, author: &str| SearchHit {
        message_id: id.into(),
        channel_id: channel_id.into(),
        channel_name: Some(channel.to_owned()),
        team_id: None,
        author_id: "someone".into(),
        author_name: author.to_owned(),
        created_at: "2024-05-01T09:00:00Z".parse().unwrap(),
        snippet: Snippet {
            text: text.to_owned(),
            matches: std::iter::once(at..at + "deploy".len()).collect(),
        },
    };
    let mut popup = SearchPopup {
        results: vec![
            // A channel this session does not know: the stored name is shown.
            hit(
                "m1",
                "c-unknown",
                "gen\u{1b}[31meral\u{202e}",
                "mal\u{7}lory",
            ),
            hit("m2", GENERAL, "general", "bob"),
        ],
        ..SearchPopup::default()
    };
    popup.query.set_text("deploy");
    app.popup = Some(Popup::Search(popup));
    let terminal = draw(&app, 100, 20);
    let screen = screen_text(&terminal);
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(
            !screen.contains(bad),
            "{bad:?} reached the screen:\n{screen}"
        );
    }
    assert!(screen.contains("deploy now"), "{screen}");
    // The matched word is styled apart from the text around it.
    let buffer = terminal.backend().buffer();
    let row = (0..buffer.area.height)
        .find(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, *y)].symbol())
                .collect::<String>()
                .contains("deploy now")
        })
        .unwrap();
    let line: Vec<_> = (0..buffer.area.width).map(|x| &buffer[(x, row)]).collect();
    let start = (0..line.len())
        .find(|&i| {
            line[i..]
                .iter()
                .take(6)
                .map(|c| c.symbol())
                .collect::<String>()
                == "deploy"
        })
        .unwrap();
    assert_ne!(line[start].style(), line[start - 2].style(), "highlighted");
    assert_eq!(line[start].style(), line[start + 5].style());
    insta::assert_snapshot!(terminal.backend());
}
