use std::collections::BTreeMap;

use super::*;
use crate::app::key::{KeyCode, Mods};

fn ev(code: KeyCode, m: Mods) -> Key {
    Key::new(code, m)
}

fn user(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn defaults_are_valid_and_cover_every_command() {
    let km = validate(&BTreeMap::new()).unwrap();
    assert_eq!(default_bindings().len(), Command::ALL.len());
    assert_eq!(
        km.lookup(ev(KeyCode::Char('k'), Mods::CTRL), Scope::Global),
        Some(Command::Switcher)
    );
    assert_eq!(
        km.lookup(ev(KeyCode::Down, Mods::ALT | Mods::SHIFT), Scope::Global),
        Some(Command::NextUnread)
    );
    assert_eq!(
        km.lookup(ev(KeyCode::Char('?'), Mods::SHIFT), Scope::Global),
        Some(Command::Help)
    );
    assert_eq!(
        km.lookup(ev(KeyCode::BackTab, Mods::SHIFT), Scope::Global),
        Some(Command::FocusPrev)
    );
    assert_eq!(
        km.lookup(ev(KeyCode::Char('3'), Mods::ALT), Scope::Global),
        Some(Command::Team3)
    );
    assert_eq!(
        km.lookup(ev(KeyCode::Char('G'), Mods::SHIFT), Scope::Timeline),
        Some(Command::ScrollBottom)
    );
    assert_eq!(km.chords_text(Command::Help), "<F1> ?");
    for c in Command::ALL {
        assert!(!km.chords(*c).is_empty(), "{} has no default", c.name());
    }
}

#[test]
fn user_overrides_replace_defaults_and_empty_unbinds() {
    let km = validate(&user(&[("switcher", "<C-p> <C-g>"), ("help", "")])).unwrap();
    assert_eq!(
        km.lookup(ev(KeyCode::Char('p'), Mods::CTRL), Scope::Global),
        Some(Command::Switcher)
    );
    assert_eq!(
        km.lookup(ev(KeyCode::Char('k'), Mods::CTRL), Scope::Global),
        None
    );
    assert_eq!(
        km.lookup(ev(KeyCode::F(1), Mods::NONE), Scope::Global),
        None
    );
    assert_eq!(km.chords_text(Command::Help), "unbound");
    assert_eq!(km.hint(Command::Help), "unbound");
}

#[test]
fn errors_name_the_command_and_suggest_the_closest() {
    let err = validate(&user(&[("swticher", "<C-p>")])).unwrap_err();
    assert_eq!(
        err,
        KeymapError::UnknownCommand {
            name: "swticher".to_owned(),
            suggestion: Some("switcher".to_owned())
        }
    );
    assert!(err.to_string().contains("did you mean \"switcher\""));

    let err = validate(&user(&[("quit", "<C-Foo>")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("quit") && err.contains("Foo"), "{err}");
    assert!(matches!(
        validate(&user(&[("quit", "C-q")])),
        Err(KeymapError::BadChord { .. })
    ));
    assert!(matches!(
        validate(&user(&[("quit", "<F13>")])),
        Err(KeymapError::BadChord { .. })
    ));
}

#[test]
fn conflicts_in_one_scope_are_rejected() {
    // `quit` is reached everywhere, so it clashes with the global switcher.
    let err = validate(&user(&[("quit", "<C-k>")])).unwrap_err();
    assert!(matches!(err, KeymapError::Conflict { .. }), "{err}");
}

#[test]
fn conflicts_across_scopes_reached_together_are_rejected() {
    // Deleting to the end of the line on Ctrl-K would be hidden by the switcher in the
    // composer: the conflict this table was built to catch.
    let err = validate(&user(&[("delete_to_end", "<C-k>")])).unwrap_err();
    assert_eq!(
        err,
        KeymapError::Conflict {
            chord: "<C-k>".to_owned(),
            first: "switcher".to_owned(),
            second: "delete_to_end".to_owned(),
            context: "in the composer",
        }
    );
    assert_eq!(err.commands(), ["switcher", "delete_to_end"]);
    // A pane key against a global one.
    let err = validate(&user(&[("reply", "<Tab>")])).unwrap_err();
    assert!(
        matches!(&err, KeymapError::Conflict { context, .. } if *context == "in the timeline"),
        "{err}"
    );
    // The switcher edits its query with the editor's keys.
    let err = validate(&user(&[("switcher_up", "<C-a>")])).unwrap_err();
    assert!(
        matches!(&err, KeymapError::Conflict { context, .. } if *context == "in the channel switcher"),
        "{err}"
    );
}

#[test]
fn scopes_never_reached_together_may_share_chords() {
    // The sidebar and the timeline are never both active; popups hide the panes.
    let km = validate(&user(&[("sidebar_open", "r"), ("help_close", "<Tab>")])).unwrap();
    assert_eq!(
        km.resolve(Key::plain(KeyCode::Char('r')), KeyContext::Sidebar),
        Some(Command::SidebarOpen)
    );
    assert_eq!(
        km.resolve(Key::plain(KeyCode::Char('r')), KeyContext::Timeline),
        Some(Command::Reply)
    );
    assert_eq!(
        km.resolve(Key::plain(KeyCode::Tab), KeyContext::HelpPopup),
        Some(Command::HelpClose)
    );
}

#[test]
fn plain_characters_where_only_text_is_typed_are_rejected() {
    for (name, chord) in [
        ("send", ";"),
        ("delete_to_end", "x"),
        ("switcher_down", "j"),
    ] {
        let err = validate(&user(&[(name, chord)])).unwrap_err();
        assert!(
            matches!(&err, KeymapError::TextKey { command, .. } if command == name),
            "{name}: {err}"
        );
    }
    // A global plain character still works in the panes (the composer types it).
    assert!(validate(&user(&[("switcher", "<C-k> /")])).is_ok());
}

/// The test the keymap's own check stands for, written out independently: in every context,
/// every chord runs at most one command, for the defaults and for any accepted user table.
#[test]
fn no_two_commands_reachable_in_one_context_share_a_chord() {
    let tables = [
        BTreeMap::new(),
        user(&[("switcher", "<C-p>"), ("delete_to_end", "<C-k>")]),
        user(&[("quit", "<C-q>"), ("reply", "<C-c>")]),
    ];
    for table in &tables {
        let km = validate(table).unwrap();
        for context in KeyContext::ALL {
            let mut owners: HashMap<Key, Vec<Command>> = HashMap::new();
            for c in Command::ALL {
                if !context.scopes().contains(&c.scope()) {
                    continue;
                }
                for key in km.chords(*c) {
                    if context.edits_text() && key.text().is_some() {
                        continue;
                    }
                    owners.entry(*key).or_default().push(*c);
                }
            }
            for (key, commands) in owners {
                assert_eq!(commands.len(), 1, "{key} {context:?}: {commands:?}");
                assert_eq!(km.resolve(key, *context), Some(commands[0]));
            }
        }
    }
    // And a table that makes two meet is refused.
    assert!(validate(&user(&[("reply", "<C-k>")])).is_err());
}

#[test]
fn resolve_follows_the_dispatch_order() {
    let km = Keymap::default();
    let ctrl_c = ev(KeyCode::Char('c'), Mods::CTRL);
    // Quit gets through every popup.
    for context in KeyContext::ALL {
        assert_eq!(km.resolve(ctrl_c, *context), Some(Command::Quit));
    }
    // Popups take the keys: no global binding is reached.
    assert_eq!(
        km.resolve(Key::plain(KeyCode::Tab), KeyContext::HelpPopup),
        None
    );
    assert_eq!(
        km.resolve(Key::plain(KeyCode::Tab), KeyContext::Switcher),
        Some(Command::SwitcherDown)
    );
    // Plain characters are text in the composer and the switcher, bindings elsewhere.
    let q = Key::plain(KeyCode::Char('?'));
    assert_eq!(km.resolve(q, KeyContext::Composer), None);
    assert_eq!(km.resolve(q, KeyContext::Switcher), None);
    assert_eq!(km.resolve(q, KeyContext::Timeline), Some(Command::Help));
    assert_eq!(
        km.resolve(q, KeyContext::HelpPopup),
        Some(Command::HelpClose)
    );
    // The composer reaches its own keys, the global ones, then the editor's.
    assert_eq!(
        km.resolve(ev(KeyCode::Char('k'), Mods::CTRL), KeyContext::Composer),
        Some(Command::Switcher)
    );
    assert_eq!(
        km.resolve(ev(KeyCode::Char('k'), Mods::ALT), KeyContext::Composer),
        Some(Command::DeleteToEnd)
    );
    assert_eq!(
        km.resolve(Key::plain(KeyCode::Up), KeyContext::Composer),
        Some(Command::LineUp)
    );
    assert_eq!(
        km.resolve(ev(KeyCode::Char('w'), Mods::CTRL), KeyContext::Switcher),
        Some(Command::DeleteWordBack)
    );
    // The search has its own keys, edits its prompt like the switcher, and types text.
    assert_eq!(
        km.resolve(Key::plain(KeyCode::Tab), KeyContext::Search),
        Some(Command::SearchDown)
    );
    assert_eq!(
        km.resolve(Key::plain(KeyCode::Enter), KeyContext::Search),
        Some(Command::SearchOpen)
    );
    assert_eq!(
        km.resolve(ev(KeyCode::Char('w'), Mods::CTRL), KeyContext::Search),
        Some(Command::DeleteWordBack)
    );
    assert_eq!(km.resolve(q, KeyContext::Search), None);
}

#[test]
fn the_search_keys_have_their_own_help_heading_with_the_key_that_opens_it() {
    let sections = Keymap::default().help_sections();
    let search = sections
        .iter()
        .find(|s| s.title == Scope::Search.title())
        .expect("a Search section");
    let commands: Vec<Command> = search
        .entries
        .iter()
        .flat_map(|e| e.commands.iter().copied())
        .collect();
    assert_eq!(
        commands,
        [
            Command::Search,
            Command::SearchOpen,
            Command::SearchUp,
            Command::SearchDown,
            Command::SearchClose
        ]
    );
    let elsewhere = sections
        .iter()
        .filter(|s| s.title != Scope::Search.title())
        .flat_map(|s| s.entries.iter().flat_map(|e| e.commands.iter()))
        .any(|c| *c == Command::Search);
    assert!(!elsewhere, "Ctrl-F is listed once");
}

#[test]
fn help_lists_every_command() {
    let km = Keymap::default();
    let sections = km.help_sections();
    let listed: Vec<Command> = sections
        .iter()
        .flat_map(|s| s.entries.iter().flat_map(|e| e.commands.iter().copied()))
        .collect();
    for c in Command::ALL {
        let folded = c.numbered().is_some_and(|(_, n)| n > 1 && n < 9);
        assert!(folded || listed.contains(c), "{}", c.name());
    }
    let rows: Vec<String> = sections
        .iter()
        .flat_map(|s| s.entries.iter())
        .map(|e| format!("{} {}", e.keys.render(|k| k), e.what))
        .collect();
    assert!(
        rows.contains(&"Alt-1 … Alt-9 Teams 1 to 9".to_owned()),
        "{rows:?}"
    );
    assert!(
        rows.contains(&"Alt-1 … Alt-9 Pick emoji 1 to 9".to_owned()),
        "{rows:?}"
    );
    assert!(
        rows.contains(&"F1 / ? Show or hide this help".to_owned()),
        "{rows:?}"
    );
    let titles: Vec<&str> = sections.iter().map(|s| s.title).collect();
    assert_eq!(titles.iter().filter(|t| **t == "Everywhere").count(), 1);
}

#[test]
fn help_follows_the_users_bindings() {
    let km = validate(&user(&[("help", ""), ("team_9", "<F9>")])).unwrap();
    let rows: Vec<String> = km
        .help_sections()
        .iter()
        .flat_map(|s| s.entries.iter())
        .map(|e| format!("{} {}", e.keys.render(|k| k), e.what))
        .collect();
    assert!(
        rows.contains(&"unbound Show or hide this help".to_owned()),
        "{rows:?}"
    );
    assert!(
        rows.contains(&"Alt-1 … F9 Teams 1 to 9".to_owned()),
        "{rows:?}"
    );
}

/// The README's key tables and the example config's `[keys]` table are generated from the
/// command table; these tests fail when they disagree. `UPDATE_DOCS=1 cargo test --lib keymap`
/// rewrites them.
mod docs {
    use std::fmt::Write as _;
    use std::path::Path;

    use super::*;

    const README_START: &str = "<!-- keys: generated from the command table (src/app/command.rs); UPDATE_DOCS=1 cargo test --lib keymap rewrites it -->\n";
    const README_END: &str = "<!-- /keys -->\n";

    fn markdown_cell(s: &str) -> String {
        s.replace('|', "\\|")
    }

    fn readme_tables() -> String {
        let mut out = String::new();
        for section in Keymap::default().help_sections() {
            let _ = write!(
                out,
                "**{}**\n\n| keys | action | config name |\n|---|---|---|\n",
                section.title
            );
            for entry in section.entries {
                let keys = entry.keys.render(|k| format!("`{}`", markdown_cell(&k)));
                let names = entry
                    .commands
                    .iter()
                    .map(|c| format!("`{}`", c.name()))
                    .collect::<Vec<_>>()
                    .join(" … ");
                let _ = writeln!(out, "| {keys} | {} | {names} |", markdown_cell(&entry.what));
            }
            out.push('\n');
        }
        out
    }

    fn example_keys_table() -> String {
        let mut out = String::new();
        let mut title = "";
        for scope in Scope::ALL {
            for c in Command::ALL.iter().filter(|c| c.help_scope() == *scope) {
                if scope.title() != title {
                    if !title.is_empty() {
                        out.push('\n');
                    }
                    title = scope.title();
                    let _ = writeln!(out, "# {title}");
                }
                let _ = write!(
                    out,
                    "# {}\n{} = \"{}\"\n",
                    c.help(),
                    c.name(),
                    c.default_chords()
                );
            }
        }
        out
    }

    /// `file` with the text between `start` and `end` (or to the end) replaced by `generated`;
    /// fails the test when they differ, unless `UPDATE_DOCS` is set.
    fn check(file: &str, start: &str, end: Option<&str>, generated: &str) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let from = text
            .find(start)
            .unwrap_or_else(|| panic!("{file}: no {start:?}"))
            + start.len();
        let to = match end {
            Some(end) => {
                from + text[from..]
                    .find(end)
                    .unwrap_or_else(|| panic!("{file}: no {end:?}"))
            }
            None => text.len(),
        };
        if text[from..to] == *generated {
            return;
        }
        if std::env::var_os("UPDATE_DOCS").is_some() {
            let updated = format!("{}{generated}{}", &text[..from], &text[to..]);
            std::fs::write(&path, updated).unwrap();
            return;
        }
        panic!(
            "{file} disagrees with the command table; run `UPDATE_DOCS=1 cargo test --lib keymap` \
             and review the diff. Expected:\n{generated}"
        );
    }

    #[test]
    fn readme_key_tables_match_the_command_table() {
        check(
            "README.md",
            README_START,
            Some(README_END),
            &readme_tables(),
        );
    }

    #[test]
    fn example_config_keys_match_the_command_table() {
        check(
            "config.example.toml",
            "\n[keys]\n",
            None,
            &example_keys_table(),
        );
    }
}
