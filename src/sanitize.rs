//! THE sanitiser for untrusted text: escape sequences and control characters never reach
//! the terminal.
//!
//! Rule: every string that came from the network (messages, names, topics, embeds, URLs) goes
//! through [`sanitize`] (or [`sanitize_multiline`]) before it reaches a cell, a title, a
//! notification or the clipboard. It lives apart from the UI because the clipboard path in
//! the runtime (OSC 52) needs it too; display widths and wrapping are `ui::text`'s job.

use std::borrow::Cow;

/// How many spaces a tab becomes (there are no tab stops in a cell grid we do not own).
pub const TAB_WIDTH: usize = 4;

/// Whether a character may never reach the terminal: C0 and C1 controls, DEL, and the
/// Unicode bidi embedding/override/isolate/mark controls (a reordered line can make a URL or
/// a name read as something else: "Trojan Source").
pub fn is_forbidden(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible_format(c)
}

/// Bidi controls: LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI, LRM/RLM and the Arabic letter mark.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Other format characters that only serve to hide or disguise text: the byte-order mark,
/// the deprecated shaping controls and the interlinear annotation controls. (Zero-width
/// joiners and variation selectors stay: emoji sequences need them.)
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{FEFF}' | '\u{206A}'..='\u{206F}' | '\u{FFF9}'..='\u{FFFB}')
}

/// A character the fast path may copy as is.
fn is_plain(c: char) -> bool {
    !(is_forbidden(c) || c == '\u{2028}' || c == '\u{2029}')
}

/// Sanitise untrusted text for one line: escape sequences (CSI, OSC, DCS, …) are removed whole,
/// every other control and bidi character is dropped, tabs become [`TAB_WIDTH`] spaces and line
/// breaks become one space. Borrowed when nothing needed changing.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    sanitize_with(s, false)
}

/// Like [`sanitize`] but keeps line breaks, normalised to `\n` (`\r\n`, `\r`, U+2028, U+2029).
pub fn sanitize_multiline(s: &str) -> Cow<'_, str> {
    sanitize_with(s, true)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Esc {
    /// Plain text.
    None,
    /// After ESC.
    Start,
    /// After ESC and intermediate bytes (e.g. `ESC ( B`): one final byte ends it.
    Intermediate,
    /// Inside a CSI (`ESC [` or U+009B): parameters, then a final byte.
    Csi,
    /// Inside a control string (OSC, DCS, SOS, PM, APC), until BEL or ST.
    Osc,
    /// ESC inside a control string: `\` ends it (ST).
    StringEnd,
}

fn sanitize_with(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if s.chars().all(is_plain) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut state = Esc::None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        // A character that ends an unfinished sequence is handled as plain text (like a
        // terminal would), so it is processed again by the `Esc::None` arm.
        let mut current = Some(c);
        while let Some(c) = current.take() {
            state = match state {
                Esc::None => {
                    plain_char(c, keep_newlines, &mut chars, &mut out);
                    match c {
                        '\u{1b}' => Esc::Start,
                        '\u{9b}' => Esc::Csi,
                        '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => Esc::Osc,
                        _ => Esc::None,
                    }
                }
                Esc::Start => match c {
                    '[' => Esc::Csi,
                    ']' | 'P' | 'X' | '^' | '_' => Esc::Osc,
                    '\u{20}'..='\u{2f}' => Esc::Intermediate,
                    '\u{30}'..='\u{7e}' => Esc::None,
                    _ => {
                        current = Some(c);
                        Esc::None
                    }
                },
                Esc::Intermediate => match c {
                    '\u{20}'..='\u{2f}' => Esc::Intermediate,
                    '\u{30}'..='\u{7e}' => Esc::None,
                    _ => {
                        current = Some(c);
                        Esc::None
                    }
                },
                Esc::Csi => match c {
                    '\u{20}'..='\u{3f}' => Esc::Csi,
                    '\u{40}'..='\u{7e}' => Esc::None,
                    _ => {
                        current = Some(c);
                        Esc::None
                    }
                },
                Esc::Osc => match c {
                    '\u{7}' | '\u{9c}' => Esc::None,
                    '\u{1b}' => Esc::StringEnd,
                    // A line break ends a runaway string: an unterminated OSC must not swallow
                    // the rest of a message.
                    '\n' | '\r' | '\u{18}' | '\u{1a}' => {
                        current = Some(c);
                        Esc::None
                    }
                    _ => Esc::Osc,
                },
                Esc::StringEnd => {
                    if c == '\\' {
                        Esc::None
                    } else {
                        current = Some(c);
                        Esc::Start
                    }
                }
            };
        }
    }
    Cow::Owned(out)
}

/// One character outside any escape sequence: copy, translate or drop it.
fn plain_char(
    c: char,
    keep_newlines: bool,
    rest: &mut std::iter::Peekable<std::str::Chars<'_>>,
    out: &mut String,
) {
    let line_break = if keep_newlines { '\n' } else { ' ' };
    match c {
        '\t' => out.extend(std::iter::repeat_n(' ', TAB_WIDTH)),
        '\n' | '\u{2028}' | '\u{2029}' => out.push(line_break),
        '\r' => {
            if rest.peek() == Some(&'\n') {
                rest.next();
            }
            out.push(line_break);
        }
        c if is_forbidden(c) => {}
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn removes_whole_escape_sequences() {
        assert_eq!(sanitize("a\x1b[31mred\x1b[0m b"), "ared b");
        assert_eq!(sanitize("x\x1b]0;title\x07y"), "xy");
        assert_eq!(
            sanitize("x\x1b]8;;http://e\x1b\\link\x1b]8;;\x1b\\y"),
            "xlinky"
        );
        assert_eq!(sanitize("x\u{9b}2Jy"), "xy");
        assert_eq!(sanitize("x\x1bPqdata\x1b\\y"), "xy");
        assert_eq!(sanitize("x\x1b(By"), "xy");
        assert_eq!(sanitize("x\x1b7y"), "xy");
    }

    #[test]
    fn unterminated_osc_stops_at_line_break() {
        assert_eq!(sanitize_multiline("a\x1b]0;evil\nnext"), "a\nnext");
    }

    #[test]
    fn drops_controls_and_bidi_and_translates_whitespace() {
        assert_eq!(sanitize("a\u{202E}b\u{2066}c\u{200F}d\u{61C}e"), "abcde");
        assert_eq!(sanitize("a\u{7f}b\u{85}c\u{0}d\u{7}e"), "abcde");
        assert_eq!(sanitize("a\tb"), "a    b");
        assert_eq!(sanitize("a\r\nb\nc"), "a b c");
        assert_eq!(sanitize_multiline("a\r\nb\rc\u{2028}d"), "a\nb\nc\nd");
    }

    #[test]
    fn keeps_emoji_sequences_and_borrows_clean_text() {
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(sanitize(family), family);
        assert!(matches!(sanitize("plain ascii"), Cow::Borrowed(_)));
    }

    proptest! {
        #[test]
        fn sanitised_text_has_no_control_or_bidi(s in any::<String>()) {
            for out in [sanitize(&s), sanitize_multiline(&s)] {
                prop_assert!(!out.chars().any(|c| is_forbidden(c) && c != '\n'));
            }
            prop_assert!(!sanitize(&s).contains('\n'));
        }

        #[test]
        fn sanitised_escapes_leave_no_escape(s in "([a-z ]|\x1b|\\[|\\]|[0-9;]|\x07|\u{9b}|\u{202e})*") {
            let out = sanitize(&s);
            prop_assert!(!out.contains('\x1b'));
            prop_assert!(!out.contains(char::from_u32(0x202e).unwrap_or('x')));
        }
    }
}
