//! The app's own key type: what a key press is, independent of any terminal library. The
//! runtime converts terminal events into [`Key`]s once (releases never get here); the keymap
//! binds them to commands; the reducer only ever sees `Key`s and `Command`s.
//!
//! Two spellings: the chord syntax of the config's `[keys]` table ([`Key::parse`] and
//! `Display`: `"<C-k>"`, `"?"`), and the label people read in hints ([`Key::label`]:
//! `"Ctrl-K"`).
//!
//! Chord syntax: a single character (`?`, `r`, `G`), or `<mods-key>` where mods are any of
//! `C-` (Ctrl), `A-`/`M-` (Alt), `S-` (Shift) and key is a character or a name: `Enter`, `Tab`,
//! `BackTab`, `Esc`, `Space`, `Backspace`, `Delete`, `Insert`, `Home`, `End`, `PageUp`,
//! `PageDown`, `Up`, `Down`, `Left`, `Right`, `F1`…`F12`, `lt` (`<`), `gt` (`>`).
//!
//! Pure data: no IO, no terminal.

use std::fmt;
use std::ops::{BitOr, BitOrAssign};

/// A key, without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    /// A character, with its case (`'G'` is Shift-g).
    Char(char),
    /// A function key, `F(1)` to `F(12)` (terminals may report more; they bind to nothing).
    F(u8),
    Enter,
    Tab,
    /// Shift-Tab.
    BackTab,
    Esc,
    Backspace,
    Delete,
    Insert,
    Home,
    End,
    PageUp,
    PageDown,
    Up,
    Down,
    Left,
    Right,
}

/// Modifier keys held with a key (a set of Ctrl, Alt and Shift).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Mods(u8);

impl Mods {
    pub const NONE: Mods = Mods(0);
    pub const CTRL: Mods = Mods(1);
    pub const ALT: Mods = Mods(2);
    pub const SHIFT: Mods = Mods(4);

    /// Whether every modifier of `other` is held.
    pub fn contains(self, other: Mods) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether any modifier of `other` is held.
    pub fn intersects(self, other: Mods) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether no modifier is held.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn without(self, other: Mods) -> Mods {
        Mods(self.0 & !other.0)
    }
}

impl BitOrAssign for Mods {
    fn bitor_assign(&mut self, rhs: Mods) {
        self.0 |= rhs.0;
    }
}

impl BitOr for Mods {
    type Output = Mods;

    fn bitor(self, rhs: Mods) -> Mods {
        Mods(self.0 | rhs.0)
    }
}

/// One key press, normalised so that what a terminal reports and what a config names compare
/// equal: characters carry their case, so Shift is dropped from them; Ctrl letters are
/// lower-case; Shift-Tab is `BackTab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    mods: Mods,
}

impl Key {
    /// The key `code` with `mods` held, normalised (see [`Key`]).
    pub fn new(code: KeyCode, mods: Mods) -> Key {
        let mut mods = mods;
        let mut code = code;
        match code {
            KeyCode::Char(c) => {
                mods = mods.without(Mods::SHIFT);
                if mods.contains(Mods::CTRL) {
                    code = KeyCode::Char(c.to_ascii_lowercase());
                }
            }
            KeyCode::Tab if mods.contains(Mods::SHIFT) => {
                code = KeyCode::BackTab;
                mods = mods.without(Mods::SHIFT);
            }
            KeyCode::BackTab => mods = mods.without(Mods::SHIFT),
            _ => {}
        }
        Key { code, mods }
    }

    /// A key without modifiers.
    pub fn plain(code: KeyCode) -> Key {
        Key::new(code, Mods::NONE)
    }

    pub fn code(self) -> KeyCode {
        self.code
    }

    pub fn mods(self) -> Mods {
        self.mods
    }

    /// The character this key types, if it is a plain character (no Ctrl, no Alt). Where text
    /// is edited such a key is text, never a binding.
    pub fn text(self) -> Option<char> {
        match self.code {
            KeyCode::Char(c) if !self.mods.intersects(Mods::CTRL | Mods::ALT) => Some(c),
            _ => None,
        }
    }

    /// How people read the key in hints: "Ctrl-Alt-K", "Shift-Enter", "?", "PgUp".
    pub fn label(self) -> String {
        let key = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) if self.mods.intersects(Mods::CTRL | Mods::ALT) => {
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
        };
        let mut out = String::new();
        for (m, name) in [
            (Mods::CTRL, "Ctrl-"),
            (Mods::ALT, "Alt-"),
            (Mods::SHIFT, "Shift-"),
        ] {
            if self.mods.contains(m) {
                out.push_str(name);
            }
        }
        out.push_str(&key);
        out
    }

    /// Parse one chord (see the module docs).
    pub fn parse(s: &str) -> Result<Key, String> {
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
            return Ok(Key::plain(KeyCode::Char(c)));
        }
        let Some(inner) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) else {
            return Err(format!(
                "{s:?}: write a single character or a chord in angle brackets like <C-k>"
            ));
        };
        let mut mods = Mods::NONE;
        let mut rest = inner;
        loop {
            let lower = rest.get(..2).map(str::to_ascii_lowercase);
            let m = match lower.as_deref() {
                Some("c-") if rest.len() > 2 => Mods::CTRL,
                Some("a-" | "m-") if rest.len() > 2 => Mods::ALT,
                Some("s-") if rest.len() > 2 => Mods::SHIFT,
                _ => break,
            };
            mods |= m;
            rest = &rest[2..];
        }
        let code = parse_key_name(rest).ok_or_else(|| {
            format!("{s:?}: unknown key {rest:?} (try Enter, Up, PageUp, F1, a character…)")
        })?;
        Ok(Key::new(code, mods))
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

/// The chord syntax of the config (`<C-k>`, `?`), which [`Key::parse`] reads back.
impl fmt::Display for Key {
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
        };
        let plain_char = matches!(self.code, KeyCode::Char(c) if c != ' ' && c != '<' && c != '>');
        if self.mods.is_empty() && plain_char {
            return f.write_str(&name);
        }
        f.write_str("<")?;
        if self.mods.contains(Mods::CTRL) {
            f.write_str("C-")?;
        }
        if self.mods.contains(Mods::ALT) {
            f.write_str("A-")?;
        }
        if self.mods.contains(Mods::SHIFT) {
            f.write_str("S-")?;
        }
        write!(f, "{name}>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let c = Key::parse(s).unwrap();
            assert_eq!(Key::parse(&c.to_string()).unwrap(), c, "{s}");
        }
        assert_eq!(Key::parse("<M-b>").unwrap(), Key::parse("<A-b>").unwrap());
        assert_eq!(
            Key::parse("<S-Tab>").unwrap(),
            Key::parse("<BackTab>").unwrap()
        );
        assert_eq!(Key::parse("<C-K>").unwrap(), Key::parse("<C-k>").unwrap());
    }

    #[test]
    fn bad_chords_say_why() {
        for s in ["", "C-q", "<C-Foo>", "<F13>", " "] {
            assert!(Key::parse(s).is_err(), "{s:?}");
        }
        assert!(Key::parse("<C-Foo>").unwrap_err().contains("Foo"));
    }

    #[test]
    fn normalisation_matches_what_terminals_report() {
        // Shift-g arrives as 'G' with Shift; the config writes "G".
        assert_eq!(
            Key::new(KeyCode::Char('G'), Mods::SHIFT),
            Key::parse("G").unwrap()
        );
        // Ctrl-Shift-k is Ctrl-k.
        assert_eq!(
            Key::new(KeyCode::Char('K'), Mods::CTRL | Mods::SHIFT),
            Key::parse("<C-k>").unwrap()
        );
        assert_eq!(
            Key::new(KeyCode::Tab, Mods::SHIFT),
            Key::plain(KeyCode::BackTab)
        );
        assert_eq!(
            Key::new(KeyCode::BackTab, Mods::SHIFT),
            Key::plain(KeyCode::BackTab)
        );
    }

    #[test]
    fn only_plain_characters_are_text() {
        assert_eq!(Key::new(KeyCode::Char('Y'), Mods::SHIFT).text(), Some('Y'));
        assert_eq!(Key::plain(KeyCode::Char(' ')).text(), Some(' '));
        assert_eq!(Key::new(KeyCode::Char('k'), Mods::CTRL).text(), None);
        assert_eq!(Key::new(KeyCode::Char('b'), Mods::ALT).text(), None);
        assert_eq!(Key::plain(KeyCode::Enter).text(), None);
    }

    #[test]
    fn labels_read_like_key_caps() {
        let label = |s: &str| Key::parse(s).unwrap().label();
        assert_eq!(label("<C-k>"), "Ctrl-K");
        assert_eq!(label("<A-S-Up>"), "Alt-Shift-↑");
        assert_eq!(label("<BackTab>"), "Shift-Tab");
        assert_eq!(label("<Space>"), "Space");
        assert_eq!(label("?"), "?");
    }
}
