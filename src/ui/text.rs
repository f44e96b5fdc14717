//! Display width per grapheme, truncation and wrapping.
//!
//! Widths are measured per grapheme cluster with the same `unicode-width` rules ratatui uses
//! to fill cells, so columns never shift. Text reaching these functions is already clean:
//! see [`crate::sanitize`].

use std::borrow::Cow;

use ratatui::buffer::CellWidth;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

/// Display width of one grapheme cluster, exactly as ratatui fills cells: clusters holding a
/// control character are skipped by ratatui, so they count 0 (the sanitiser removes them anyway).
pub fn grapheme_width(g: &str) -> usize {
    if g.contains(char::is_control) {
        0
    } else {
        usize::from(g.cell_width())
    }
}

/// Display width of a string: the sum of its grapheme widths.
pub fn width(s: &str) -> usize {
    if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_control()) {
        return s.len();
    }
    s.graphemes(true).map(grapheme_width).sum()
}

/// The longest prefix of `s` that fits in `max` columns, ending with `…` when cut.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = grapheme_width(g);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push_str(g);
    }
    out.push('…');
    Cow::Owned(out)
}

/// Pad `s` with spaces on the right up to `w` columns (truncating if it is wider).
pub fn fit(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let pad = w.saturating_sub(width(&t));
    let mut out = t.into_owned();
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

/// Width of a styled line.
pub fn line_width(line: &Line<'_>) -> usize {
    line.spans.iter().map(|s| width(&s.content)).sum()
}

/// Builds wrapped lines from styled text, grapheme by grapheme.
///
/// Word wrap: a line breaks at spaces; a word wider than the line is hard-wrapped at grapheme
/// boundaries (so a 2,000-character word never overflows). Leading spaces of the first line are
/// kept (indentation in code), spaces at a break are dropped. No line is ever wider than
/// `width` columns: a grapheme wider than the whole line (a wide character at width 1) is
/// replaced by `?`.
///
/// Input text must already be sanitised and must not contain line breaks (callers split lines).
pub struct Wrapper {
    width: usize,
    lines: Vec<Line<'static>>,
    current: Vec<Span<'static>>,
    current_width: usize,
    /// Spaces seen since the last word, emitted only if another word follows on the same line.
    pending_spaces: Vec<(Style, usize)>,
    /// The text of the word being collected (one buffer, not a string per grapheme: a word
    /// may be 60,000 characters long).
    word_text: String,
    /// Its graphemes: (end offset in `word_text`, style, width).
    word: Vec<(usize, Style, usize)>,
    word_width: usize,
    at_line_start: bool,
    first_line: bool,
}

impl Wrapper {
    /// A wrapper for lines of at most `width` columns (at least 1).
    pub fn new(width: usize) -> Self {
        Wrapper {
            width: width.max(1),
            lines: Vec::new(),
            current: Vec::new(),
            current_width: 0,
            pending_spaces: Vec::new(),
            word_text: String::new(),
            word: Vec::new(),
            word_width: 0,
            at_line_start: true,
            first_line: true,
        }
    }

    /// Append styled text (sanitised, no line breaks).
    pub fn push(&mut self, text: &str, style: Style) {
        if text.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
            // Printable ASCII: every byte is a grapheme one column wide.
            for i in 0..text.len() {
                self.push_grapheme(&text[i..=i], style, 1);
            }
        } else {
            for g in text.graphemes(true) {
                self.push_grapheme(g, style, grapheme_width(g));
            }
        }
    }

    fn push_grapheme(&mut self, g: &str, style: Style, w: usize) {
        if g == " " {
            self.end_word();
            if !self.at_line_start || self.first_line {
                self.pending_spaces.push((style, 1));
            }
        } else {
            if w == 0 && self.word.is_empty() {
                // A lone zero-width cluster (a stray combining mark or joiner): ratatui skips
                // it too; keep it attached to nothing.
                return;
            }
            self.word_text.push_str(g);
            self.word.push((self.word_text.len(), style, w));
            self.word_width += w;
        }
    }

    /// End the current logical line (a hard break): following text starts a new line.
    pub fn hard_break(&mut self) {
        self.end_word();
        self.pending_spaces.clear();
        self.finish_line();
        self.first_line = true;
    }

    /// All lines so far (the last partial line included). An empty input gives one empty line.
    pub fn finish(mut self) -> Vec<Line<'static>> {
        self.end_word();
        if !self.current.is_empty() || self.lines.is_empty() || !self.pending_spaces.is_empty() {
            self.flush_spaces_if_room();
            self.finish_line();
        }
        self.lines
    }

    fn flush_spaces_if_room(&mut self) {
        for (style, w) in std::mem::take(&mut self.pending_spaces) {
            if self.current_width + w <= self.width {
                self.append(" ", style, w);
            }
        }
    }

    fn end_word(&mut self) {
        if self.word.is_empty() {
            return;
        }
        let mut word = std::mem::take(&mut self.word);
        let mut text = std::mem::take(&mut self.word_text);
        let word_width = std::mem::replace(&mut self.word_width, 0);
        let spaces: usize = self.pending_spaces.iter().map(|(_, w)| w).sum();
        if self.current_width + spaces + word_width <= self.width {
            self.flush_spaces_if_room();
        } else if word_width <= self.width {
            self.pending_spaces.clear();
            self.finish_line();
        } else {
            // Too long for any line: fill the rest of this one, then hard-wrap.
            if self.current_width + spaces < self.width && self.current_width > 0 {
                self.flush_spaces_if_room();
            } else {
                self.pending_spaces.clear();
                if self.current_width > 0 {
                    self.finish_line();
                }
            }
        }
        let mut start = 0;
        for &(end, style, w) in &word {
            let g = &text[start..end];
            start = end;
            let (g, w) = if w > self.width { ("?", 1) } else { (g, w) };
            if self.current_width + w > self.width {
                self.finish_line();
            }
            self.append(g, style, w);
        }
        // Keep the buffers for the next word.
        word.clear();
        text.clear();
        self.word = word;
        self.word_text = text;
    }

    fn append(&mut self, g: &str, style: Style, w: usize) {
        match self.current.last_mut() {
            Some(last) if last.style == style => last.content.to_mut().push_str(g),
            _ => self.current.push(Span::styled(g.to_owned(), style)),
        }
        self.current_width += w;
        self.at_line_start = false;
    }

    fn finish_line(&mut self) {
        self.lines
            .push(Line::from(std::mem::take(&mut self.current)));
        self.current_width = 0;
        self.at_line_start = true;
        self.first_line = false;
    }
}

/// Wrap plain sanitised text (line breaks honoured) in one style.
pub fn wrap_plain(text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    let mut w = Wrapper::new(width);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            w.hard_break();
        }
        w.push(line, style);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sanitize::sanitize_multiline;
    use proptest::prelude::*;

    fn plain(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn widths_per_grapheme() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("日本"), 4);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("👨\u{200D}👩\u{200D}👧"), 2);
        assert_eq!(width("🎉"), 2);
    }

    #[test]
    fn truncates_with_ellipsis() {
        assert_eq!(truncate("hello world", 5), "hell…");
        assert_eq!(truncate("日本語", 4), "日…");
        assert_eq!(truncate("hi", 5), "hi");
        assert_eq!(fit("日本語", 4), "日… ");
    }

    #[test]
    fn word_wraps_and_hard_wraps_long_words() {
        let lines = wrap_plain("the quick brown fox", 10, Style::new());
        assert_eq!(plain(&lines), ["the quick", "brown fox"]);
        let long = "x".repeat(25);
        let lines = wrap_plain(&format!("ab {long}"), 10, Style::new());
        assert_eq!(plain(&lines), ["ab xxxxxxx", "xxxxxxxxxx", "xxxxxxxx"]);
        let lines = wrap_plain("日本語のテキスト", 5, Style::new());
        assert_eq!(plain(&lines), ["日本", "語の", "テキ", "スト"]);
    }

    #[test]
    fn keeps_indentation_and_hard_breaks() {
        let lines = wrap_plain("  code\n    more", 20, Style::new());
        assert_eq!(plain(&lines), ["  code", "    more"]);
        assert_eq!(plain(&wrap_plain("", 5, Style::new())), [""]);
    }

    #[test]
    fn wide_grapheme_wider_than_line_is_replaced() {
        let lines = wrap_plain("日", 1, Style::new());
        assert_eq!(plain(&lines), ["?"]);
    }

    #[test]
    fn merges_spans_of_the_same_style() {
        let bold = Style::new().bold();
        let mut w = Wrapper::new(40);
        w.push("a ", Style::new());
        w.push("b", bold);
        w.push("c", bold);
        let lines = w.finish();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].spans.len(), 2);
        assert_eq!(lines[0].spans[1].content, "bc");
    }

    proptest! {
        #[test]
        fn wrapped_lines_never_exceed_width(s in any::<String>(), width in 1usize..50) {
            let clean = sanitize_multiline(&s);
            for line in wrap_plain(&clean, width, Style::new()) {
                prop_assert!(line_width(&line) <= width, "{line:?} wider than {width}");
            }
        }

        #[test]
        fn wrapping_keeps_every_visible_grapheme(s in "[a-z日🎉 ]{0,80}", width in 2usize..30) {
            let lines = wrap_plain(&s, width, Style::new());
            let joined: String = lines.iter().map(ToString::to_string).collect::<String>().replace(' ', "");
            prop_assert_eq!(joined, s.replace(' ', ""));
        }
    }
}
