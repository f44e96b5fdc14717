//! The composer: a small multi-line text editor driven by editing commands (the keymap's
//! `Editor` scope and the composer's line moves), plus what the draft is for (a new message, a
//! reply, or an edit of one of our messages). The switcher's query is one too.
//!
//! Pure: no IO, no terminal. The cursor is a byte offset that always sits on a grapheme
//! boundary, so no edit can split a character.

use unicode_segmentation::UnicodeSegmentation;

use super::command::Command;
use super::model::MessageId;

/// The text being composed for one channel, and what it is for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Composer {
    text: String,
    /// Byte offset into `text`, on a grapheme boundary.
    cursor: usize,
    /// Replying to this message (Esc cancels).
    pub reply_to: Option<MessageId>,
    /// Editing this message of ours instead of sending a new one (Esc cancels).
    pub editing: Option<MessageId>,
    /// The draft that was in the composer when an edit started; it comes back afterwards.
    pub saved_draft: Option<String>,
}

/// What an editing command did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text changed.
    Changed,
    /// Only the cursor moved.
    Moved,
    /// The command is not an editing command (or did nothing at a boundary).
    Ignored,
}

impl Composer {
    /// A composer holding `text` with the cursor at its end.
    pub fn with_text(text: &str) -> Self {
        Composer {
            text: text.to_owned(),
            cursor: text.len(),
            reply_to: None,
            editing: None,
            saved_draft: None,
        }
    }

    /// The whole draft.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the draft is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Byte offset of the cursor.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The draft's lines (at least one, possibly empty).
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.text.split('\n')
    }

    /// Cursor as (line index, byte offset within that line).
    pub fn cursor_line_col(&self) -> (usize, usize) {
        let before = &self.text[..self.cursor];
        let line = before.matches('\n').count();
        let col = before
            .rfind('\n')
            .map_or(self.cursor, |p| self.cursor - p - 1);
        (line, col)
    }

    /// Replace the whole text; cursor at the end.
    pub fn set_text(&mut self, text: &str) {
        text.clone_into(&mut self.text);
        self.cursor = self.text.len();
    }

    /// Replace the text from byte `start` to the cursor with `with` (a completion); the cursor
    /// ends after it. Nothing happens if `start` is not a boundary before the cursor.
    pub fn replace_before_cursor(&mut self, start: usize, with: &str) {
        if start > self.cursor || !self.text.is_char_boundary(start) {
            return;
        }
        self.text.replace_range(start..self.cursor, with);
        self.cursor = start + with.len();
    }

    /// Empty the draft and forget reply/edit targets.
    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
        self.reply_to = None;
        self.editing = None;
    }

    /// Insert text at the cursor (typing or paste). Carriage returns become newlines and other
    /// control characters are dropped, so a paste cannot smuggle escapes into a message.
    pub fn insert_str(&mut self, s: &str) -> Edit {
        let clean: String = s
            .replace("\r\n", "\n")
            .chars()
            .map(|c| if c == '\r' { '\n' } else { c })
            .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
            .collect();
        if clean.is_empty() {
            return Edit::Ignored;
        }
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
        Edit::Changed
    }

    fn prev_boundary(&self, from: usize) -> usize {
        self.text[..from]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self, from: usize) -> usize {
        self.text[from..]
            .graphemes(true)
            .next()
            .map_or(from, |g| from + g.len())
    }

    fn line_start(&self) -> usize {
        self.text[..self.cursor].rfind('\n').map_or(0, |p| p + 1)
    }

    fn line_end(&self) -> usize {
        self.text[self.cursor..]
            .find('\n')
            .map_or(self.text.len(), |p| self.cursor + p)
    }

    fn word_left(&self) -> usize {
        let mut pos = self.cursor;
        // Skip separators, then the word.
        let mut seen_word = false;
        for (i, g) in self.text[..self.cursor].grapheme_indices(true).rev() {
            let is_word = g.chars().any(char::is_alphanumeric);
            if seen_word && !is_word {
                break;
            }
            seen_word |= is_word;
            pos = i;
        }
        pos
    }

    fn word_right(&self) -> usize {
        let mut pos = self.cursor;
        let mut seen_word = false;
        for g in self.text[self.cursor..].graphemes(true) {
            let is_word = g.chars().any(char::is_alphanumeric);
            if seen_word && !is_word {
                break;
            }
            seen_word |= is_word;
            pos += g.len();
        }
        pos
    }

    fn delete_range(&mut self, from: usize, to: usize) -> Edit {
        if from >= to {
            return Edit::Ignored;
        }
        self.text.replace_range(from..to, "");
        self.cursor = from;
        Edit::Changed
    }

    fn move_to(&mut self, pos: usize) -> Edit {
        if pos == self.cursor {
            Edit::Ignored
        } else {
            self.cursor = pos;
            Edit::Moved
        }
    }

    /// Move the cursor one line up (`up = true`) or down, keeping the column where possible.
    /// Ignored on the first/last line (so the caller may give the key another meaning).
    pub fn move_line(&mut self, up: bool) -> Edit {
        let (line, col) = self.cursor_line_col();
        let lines: Vec<&str> = self.text.split('\n').collect();
        let target = if up {
            match line.checked_sub(1) {
                Some(t) => t,
                None => return Edit::Ignored,
            }
        } else if line + 1 < lines.len() {
            line + 1
        } else {
            return Edit::Ignored;
        };
        let start: usize = lines.iter().take(target).map(|l| l.len() + 1).sum();
        let target_line = lines.get(target).copied().unwrap_or_default();
        // Clamp the column to the target line, on a grapheme boundary.
        let mut col_in = 0;
        for g in target_line.graphemes(true) {
            if col_in + g.len() > col {
                break;
            }
            col_in += g.len();
        }
        self.move_to(start + col_in)
    }

    /// Type one character at the cursor.
    pub fn insert_char(&mut self, c: char) -> Edit {
        let mut buf = [0u8; 4];
        self.insert_str(c.encode_utf8(&mut buf))
    }

    /// Apply an editing command (moves and deletions; `line_up`/`line_down` move between
    /// lines). Any other command is `Ignored`: sending and new lines are the caller's.
    pub fn apply(&mut self, command: Command) -> Edit {
        match command {
            Command::LineStart => self.move_to(self.line_start()),
            Command::LineEnd => self.move_to(self.line_end()),
            Command::CharLeft => self.move_to(self.prev_boundary(self.cursor)),
            Command::CharRight => self.move_to(self.next_boundary(self.cursor)),
            Command::WordLeft => self.move_to(self.word_left()),
            Command::WordRight => self.move_to(self.word_right()),
            Command::LineUp => self.move_line(true),
            Command::LineDown => self.move_line(false),
            Command::DeleteBack => self.delete_range(self.prev_boundary(self.cursor), self.cursor),
            Command::DeleteForward => {
                self.delete_range(self.cursor, self.next_boundary(self.cursor))
            }
            Command::DeleteWordBack => self.delete_range(self.word_left(), self.cursor),
            Command::DeleteWordForward => self.delete_range(self.cursor, self.word_right()),
            Command::DeleteToStart => self.delete_range(self.line_start(), self.cursor),
            Command::DeleteToEnd => {
                let end = self.line_end();
                // At the end of a line it joins the next line, like emacs.
                let end = if end == self.cursor {
                    self.next_boundary(end)
                } else {
                    end
                };
                self.delete_range(self.cursor, end)
            }
            _ => Edit::Ignored,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> Composer {
        let mut c = Composer::default();
        for ch in s.chars() {
            c.insert_char(ch);
        }
        c
    }

    #[test]
    fn typing_and_emacs_keys_edit_the_current_line() {
        let mut c = typed("hello world");
        assert_eq!(c.text(), "hello world");
        c.apply(Command::DeleteWordBack);
        assert_eq!(c.text(), "hello ");
        c.apply(Command::LineStart);
        assert_eq!(c.cursor(), 0);
        c.apply(Command::WordRight);
        assert_eq!(c.cursor(), 5);
        c.apply(Command::DeleteToEnd);
        assert_eq!(c.text(), "hello");
        c.apply(Command::DeleteToStart);
        assert_eq!(c.text(), "");
        assert_eq!(c.apply(Command::DeleteBack), Edit::Ignored);
    }

    #[test]
    fn delete_to_end_at_the_end_of_a_line_joins_the_next() {
        let mut c = Composer::with_text("one\ntwo");
        c.apply(Command::LineUp);
        c.apply(Command::LineEnd);
        assert_eq!(c.apply(Command::DeleteToEnd), Edit::Changed);
        assert_eq!(c.text(), "onetwo");
        assert_eq!(c.apply(Command::Send), Edit::Ignored);
    }

    #[test]
    fn cursor_never_splits_a_grapheme() {
        let mut c = typed("a👩‍👩‍👧é");
        c.apply(Command::DeleteBack);
        assert_eq!(c.text(), "a👩‍👩‍👧");
        c.apply(Command::CharLeft);
        assert_eq!(c.cursor(), 1);
        c.apply(Command::DeleteForward);
        assert_eq!(c.text(), "a");
    }

    #[test]
    fn lines_and_vertical_moves() {
        let mut c = Composer::with_text("first line\nsecond");
        assert_eq!(c.cursor_line_col(), (1, 6));
        assert_eq!(c.move_line(true), Edit::Moved);
        assert_eq!(c.cursor_line_col(), (0, 6));
        assert_eq!(c.move_line(true), Edit::Ignored);
        c.apply(Command::LineEnd);
        c.move_line(false);
        assert_eq!(c.cursor_line_col(), (1, 6));
        assert_eq!(c.lines().count(), 2);
    }

    #[test]
    fn paste_drops_control_characters_and_normalises_newlines() {
        let mut c = Composer::default();
        c.insert_str("a\x1b[31mb\r\nc\rd");
        assert_eq!(c.text(), "a[31mb\nc\nd");
    }
}
