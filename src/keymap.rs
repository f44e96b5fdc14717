//! Key chords (`"<C-k>"`) ⇄ commands: the defaults, merged with the user's `[keys]` table,
//! and the help text, all from one table ([`crate::app::command::Command`]).
//!
//! Pure: parsing and lookup only. A `[keys]` value is one or more chords separated by spaces
//! (`"<F1> ?"`); an empty value unbinds the command.
//!
//! Chord syntax: a single character (`?`, `r`, `G`), or `<mods-key>` where mods are any of
//! `C-` (Ctrl), `A-`/`M-` (Alt), `S-` (Shift) and key is a character or a name: `Enter`, `Tab`,
//! `BackTab`, `Esc`, `Space`, `Backspace`, `Delete`, `Insert`, `Home`, `End`, `PageUp`,
//! `PageDown`, `Up`, `Down`, `Left`, `Right`, `F1`…`F12`, `lt` (`<`), `gt` (`>`).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::command::{Command, Scope};

/// The default bindings: command name → chords. CONTRACT: `Config::default().keys` is this map,
/// and `config.example.toml` lists it in full.
pub fn default_bindings() -> BTreeMap<String, String> {
    Command::ALL
        .iter()
        .map(|c| (c.name().to_owned(), c.default_chords().to_owned()))
        .collect()
}

/// One key chord, normalised so that a terminal's key event and a parsed chord compare equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Chord {
    /// Normalise: characters carry their case, so Shift is dropped from them; Ctrl/Alt letters
    /// are lower-case; Shift-Tab is BackTab.
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Chord {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let mut code = code;
        match code {
            KeyCode::Char(c) => {
                modifiers.remove(KeyModifiers::SHIFT);
                if modifiers.contains(KeyModifiers::CONTROL) {
                    code = KeyCode::Char(c.to_ascii_lowercase());
                }
            }
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                code = KeyCode::BackTab;
                modifiers.remove(KeyModifiers::SHIFT);
            }
            KeyCode::BackTab => modifiers.remove(KeyModifiers::SHIFT),
            _ => {}
        }
        Chord { code, modifiers }
    }

    /// How people read the chord in hints: "Ctrl-Alt-K", "Shift-Enter", "?", "PgUp".
    pub fn label(&self) -> String {
        let key = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c)
                if self
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                c.to_uppercase().to_string()
            }
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Tab => "Tab".to_owned(),
            KeyCode::BackTab => "Shift-Tab".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Backspace => "Backspace".to_owned(),
            KeyCode::Delete => "Del".to_owned(),
            KeyCode::Insert => "Ins".to_owned(),
            KeyCode::Home => "Home".to_owned(),
            KeyCode::End => "End".to_owned(),
            KeyCode::PageUp => "PgUp".to_owned(),
            KeyCode::PageDown => "PgDn".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Right => "→".to_owned(),
            other => format!("{other:?}"),
        };
        let mut out = String::new();
        for (m, name) in [
            (KeyModifiers::CONTROL, "Ctrl-"),
            (KeyModifiers::ALT, "Alt-"),
            (KeyModifiers::SHIFT, "Shift-"),
        ] {
            if self.modifiers.contains(m) {
                out.push_str(name);
            }
        }
        out.push_str(&key);
        out
    }

    /// The chord a key event is.
    pub fn from_event(key: &KeyEvent) -> Chord {
        Chord::new(key.code, key.modifiers)
    }

    /// Parse one chord (see the module docs).
    pub fn parse(s: &str) -> Result<Chord, String> {
        if s.is_empty() {
            return Err("empty chord".to_owned());
        }
        let mut chars = s.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if c.is_control() || c == ' ' {
                return Err(format!(
                    "{s:?} is not a printable key; use a name like <Space>"
                ));
            }
            return Ok(Chord::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        let Some(inner) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) else {
            return Err(format!(
                "{s:?}: write a single character or a chord in angle brackets like <C-k>"
            ));
        };
        let mut mods = KeyModifiers::NONE;
        let mut rest = inner;
        loop {
            let lower = rest.get(..2).map(str::to_ascii_lowercase);
            let m = match lower.as_deref() {
                Some("c-") if rest.len() > 2 => KeyModifiers::CONTROL,
                Some("a-" | "m-") if rest.len() > 2 => KeyModifiers::ALT,
                Some("s-") if rest.len() > 2 => KeyModifiers::SHIFT,
                _ => break,
            };
            mods |= m;
            rest = &rest[2..];
        }
        let code = parse_key_name(rest).ok_or_else(|| {
            format!("{s:?}: unknown key {rest:?} (try Enter, Up, PageUp, F1, a character…)")
        })?;
        Ok(Chord::new(code, mods))
    }
}

fn parse_key_name(name: &str) -> Option<KeyCode> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return (!c.is_control()).then_some(KeyCode::Char(c));
    }
    let lower = name.to_ascii_lowercase();
    let code = match lower.as_str() {
        "enter" | "return" | "cr" => KeyCode::Enter,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "esc" | "escape" => KeyCode::Esc,
        "space" => KeyCode::Char(' '),
        "backspace" | "bs" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" | "pgdown" => KeyCode::PageDown,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "lt" => KeyCode::Char('<'),
        "gt" => KeyCode::Char('>'),
        f if f.starts_with('f') => {
            let n: u8 = f[1..].parse().ok()?;
            if (1..=12).contains(&n) {
                KeyCode::F(n)
            } else {
                return None;
            }
        }
        _ => return None,
    };
    Some(code)
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char('<') => "lt".to_owned(),
            KeyCode::Char('>') => "gt".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Tab => "Tab".to_owned(),
            KeyCode::BackTab => "BackTab".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Backspace => "Backspace".to_owned(),
            KeyCode::Delete => "Delete".to_owned(),
            KeyCode::Insert => "Insert".to_owned(),
            KeyCode::Home => "Home".to_owned(),
            KeyCode::End => "End".to_owned(),
            KeyCode::PageUp => "PageUp".to_owned(),
            KeyCode::PageDown => "PageDown".to_owned(),
            KeyCode::Up => "Up".to_owned(),
            KeyCode::Down => "Down".to_owned(),
            KeyCode::Left => "Left".to_owned(),
            KeyCode::Right => "Right".to_owned(),
            other => format!("{other:?}"),
        };
        let plain_char = matches!(self.code, KeyCode::Char(c) if c != ' ' && c != '<' && c != '>');
        if self.modifiers.is_empty() && plain_char {
            return f.write_str(&name);
        }
        f.write_str("<")?;
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("C-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("A-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("S-")?;
        }
        write!(f, "{name}>")
    }
}

/// Why a `[keys]` table was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("[keys]: unknown command {name:?}{}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
    UnknownCommand {
        name: String,
        suggestion: Option<String>,
    },
    #[error("[keys] {command}: bad chord {reason}")]
    BadChord { command: String, reason: String },
    #[error("[keys]: {chord} is bound to both {first} and {second}")]
    Conflict {
        chord: String,
        first: String,
        second: String,
    },
}

/// The resolved bindings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    by_chord: HashMap<Chord, Vec<Command>>,
    by_command: BTreeMap<Command, Vec<Chord>>,
}

impl Default for Keymap {
    fn default() -> Self {
        // The defaults are valid by construction (checked by a test).
        validate(&BTreeMap::new()).unwrap_or_else(|_| Keymap {
            by_chord: HashMap::new(),
            by_command: BTreeMap::new(),
        })
    }
}

/// Merge the user's `[keys]` over [`default_bindings`] and resolve every chord.
pub fn validate(user: &BTreeMap<String, String>) -> Result<Keymap, KeymapError> {
    let mut merged: BTreeMap<Command, String> = Command::ALL
        .iter()
        .map(|c| (*c, c.default_chords().to_owned()))
        .collect();
    for (name, chords) in user {
        let Some(cmd) = Command::from_name(name) else {
            return Err(KeymapError::UnknownCommand {
                name: name.clone(),
                suggestion: closest_name(name),
            });
        };
        merged.insert(cmd, chords.clone());
    }
    let mut by_chord: HashMap<Chord, Vec<Command>> = HashMap::new();
    let mut by_command = BTreeMap::new();
    for (cmd, chords) in &merged {
        let mut list = Vec::new();
        for text in chords.split_whitespace() {
            let chord = Chord::parse(text).map_err(|reason| KeymapError::BadChord {
                command: cmd.name().to_owned(),
                reason,
            })?;
            let bound = by_chord.entry(chord).or_default();
            if let Some(other) = bound.iter().find(|o| o.scope() == cmd.scope() && *o != cmd) {
                return Err(KeymapError::Conflict {
                    chord: chord.to_string(),
                    first: other.name().to_owned(),
                    second: cmd.name().to_owned(),
                });
            }
            if !bound.contains(cmd) {
                bound.push(*cmd);
            }
            list.push(chord);
        }
        by_command.insert(*cmd, list);
    }
    Ok(Keymap {
        by_chord,
        by_command,
    })
}

/// The valid command name closest to `name` (edit distance ≤ 3), for error messages.
fn closest_name(name: &str) -> Option<String> {
    Command::ALL
        .iter()
        .map(|c| (edit_distance(name, c.name()), c.name()))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, n)| n.to_owned())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// One section of the help popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpSection {
    pub title: &'static str,
    /// (keys as the user writes them, what they do)
    pub entries: Vec<(String, &'static str)>,
}

impl Keymap {
    /// Commands bound to this key, in no particular order (at most one per scope).
    pub fn commands_for(&self, key: &KeyEvent) -> &[Command] {
        self.by_chord
            .get(&Chord::from_event(key))
            .map_or(&[], Vec::as_slice)
    }

    /// The command of `scope` bound to this key.
    pub fn lookup(&self, key: &KeyEvent, scope: Scope) -> Option<Command> {
        self.commands_for(key)
            .iter()
            .copied()
            .find(|c| c.scope() == scope)
    }

    /// The chords bound to a command.
    pub fn chords(&self, command: Command) -> &[Chord] {
        self.by_command.get(&command).map_or(&[], Vec::as_slice)
    }

    /// The chords of a command as shown in help (`"<F1> ?"`), or "unbound".
    /// The first chord bound to `command` as people read it ("Ctrl-R"), or "unbound".
    pub fn hint(&self, command: Command) -> String {
        self.chords(command)
            .first()
            .map_or_else(|| "unbound".to_owned(), Chord::label)
    }

    pub fn chords_text(&self, command: Command) -> String {
        let list = self.chords(command);
        if list.is_empty() {
            "unbound".to_owned()
        } else {
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        }
    }

    /// The help text: bound commands by scope, then the fixed editing and popup keys.
    pub fn help_sections(&self) -> Vec<HelpSection> {
        let mut sections = Vec::new();
        for scope in [
            Scope::Global,
            Scope::Sidebar,
            Scope::Timeline,
            Scope::Composer,
        ] {
            let entries: Vec<(String, &'static str)> = Command::ALL
                .iter()
                .filter(|c| c.scope() == scope)
                .map(|c| (self.chords_text(*c), c.help()))
                .collect();
            sections.push(HelpSection {
                title: scope.title(),
                entries,
            });
        }
        sections.push(HelpSection {
            title: "Editing (composer)",
            entries: vec![
                ("<C-a> <C-e> <Home> <End>".to_owned(), "Start / end of line"),
                (
                    "<C-b> <C-f> <Left> <Right>".to_owned(),
                    "Back / forward a character",
                ),
                ("<A-b> <A-f>".to_owned(), "Back / forward a word"),
                (
                    "<C-k> <C-u> <C-w>".to_owned(),
                    "Delete to end / start of line, word back",
                ),
                ("<Up> (empty composer)".to_owned(), "Edit your last message"),
            ],
        });
        sections.push(HelpSection {
            title: "Popups",
            entries: vec![
                (
                    "<Up> <Down> <Enter>".to_owned(),
                    "Pick in the switcher or emoji picker",
                ),
                (
                    "y <Enter> / n <Esc>".to_owned(),
                    "Confirm / cancel a deletion",
                ),
            ],
        });
        sections
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn defaults_are_valid_and_cover_every_command() {
        let km = validate(&BTreeMap::new()).unwrap();
        assert_eq!(default_bindings().len(), Command::ALL.len());
        assert_eq!(
            km.lookup(
                &ev(KeyCode::Char('k'), KeyModifiers::CONTROL),
                Scope::Global
            ),
            Some(Command::Switcher)
        );
        assert_eq!(
            km.lookup(
                &ev(KeyCode::Down, KeyModifiers::ALT | KeyModifiers::SHIFT),
                Scope::Global
            ),
            Some(Command::NextUnread)
        );
        assert_eq!(
            km.lookup(&ev(KeyCode::Char('?'), KeyModifiers::SHIFT), Scope::Global),
            Some(Command::Help)
        );
        assert_eq!(
            km.lookup(&ev(KeyCode::BackTab, KeyModifiers::SHIFT), Scope::Global),
            Some(Command::FocusPrev)
        );
        assert_eq!(
            km.lookup(&ev(KeyCode::Char('3'), KeyModifiers::ALT), Scope::Global),
            Some(Command::Team3)
        );
        assert_eq!(
            km.lookup(
                &ev(KeyCode::Char('G'), KeyModifiers::SHIFT),
                Scope::Timeline
            ),
            Some(Command::ScrollBottom)
        );
        assert_eq!(km.chords_text(Command::Help), "<F1> ?");
    }

    #[test]
    fn chords_parse_and_print_back() {
        for s in [
            "<C-k>",
            "<A-Up>",
            "<A-S-Down>",
            "<F1>",
            "?",
            "<Enter>",
            "<Tab>",
            "<PageUp>",
            "<Space>",
            "<lt>",
            "<C-A-x>",
        ] {
            let c = Chord::parse(s).unwrap();
            assert_eq!(Chord::parse(&c.to_string()).unwrap(), c, "{s}");
        }
        assert_eq!(
            Chord::parse("<M-b>").unwrap(),
            Chord::parse("<A-b>").unwrap()
        );
        assert_eq!(
            Chord::parse("<S-Tab>").unwrap(),
            Chord::parse("<BackTab>").unwrap()
        );
        assert_eq!(
            Chord::parse("<C-K>").unwrap(),
            Chord::parse("<C-k>").unwrap()
        );
    }

    #[test]
    fn user_overrides_replace_defaults_and_empty_unbinds() {
        let user: BTreeMap<String, String> = [
            ("switcher".to_owned(), "<C-p> <C-g>".to_owned()),
            ("help".to_owned(), String::new()),
        ]
        .into();
        let km = validate(&user).unwrap();
        assert_eq!(
            km.lookup(
                &ev(KeyCode::Char('p'), KeyModifiers::CONTROL),
                Scope::Global
            ),
            Some(Command::Switcher)
        );
        assert_eq!(
            km.lookup(
                &ev(KeyCode::Char('k'), KeyModifiers::CONTROL),
                Scope::Global
            ),
            None
        );
        assert_eq!(
            km.lookup(&ev(KeyCode::F(1), KeyModifiers::NONE), Scope::Global),
            None
        );
        assert_eq!(km.chords_text(Command::Help), "unbound");
    }

    #[test]
    fn errors_name_the_command_and_suggest_the_closest() {
        let user: BTreeMap<String, String> = [("swticher".to_owned(), "<C-p>".to_owned())].into();
        let err = validate(&user).unwrap_err();
        assert_eq!(
            err,
            KeymapError::UnknownCommand {
                name: "swticher".to_owned(),
                suggestion: Some("switcher".to_owned())
            }
        );
        assert!(err.to_string().contains("did you mean \"switcher\""));

        let user: BTreeMap<String, String> = [("quit".to_owned(), "<C-Foo>".to_owned())].into();
        let err = validate(&user).unwrap_err().to_string();
        assert!(err.contains("quit") && err.contains("Foo"), "{err}");
        let user: BTreeMap<String, String> = [("quit".to_owned(), "C-q".to_owned())].into();
        assert!(matches!(validate(&user), Err(KeymapError::BadChord { .. })));
        let user: BTreeMap<String, String> = [("quit".to_owned(), "<F13>".to_owned())].into();
        assert!(matches!(validate(&user), Err(KeymapError::BadChord { .. })));
    }

    #[test]
    fn conflicts_in_one_scope_are_rejected() {
        let user: BTreeMap<String, String> = [("quit".to_owned(), "<C-k>".to_owned())].into();
        let err = validate(&user).unwrap_err();
        assert!(matches!(err, KeymapError::Conflict { .. }), "{err}");
    }

    #[test]
    fn help_lists_every_bound_command() {
        let km = Keymap::default();
        let text: Vec<String> = km
            .help_sections()
            .into_iter()
            .flat_map(|s| s.entries.into_iter().map(|(k, h)| format!("{k} {h}")))
            .collect();
        for c in Command::ALL {
            assert!(text.iter().any(|l| l.contains(c.help())), "{}", c.name());
        }
    }
}
