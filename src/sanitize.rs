//! THE sanitiser for untrusted text: escape sequences and control characters never reach
//! the terminal.
//!
//! Rule: every string that came from the network (messages, names, topics, embeds, URLs) goes
//! through [`sanitize`] (or [`sanitize_multiline`]) before it reaches a cell, a title, a
//! notification or the clipboard. It lives apart from the UI because the clipboard path in
//! the runtime (OSC 52) needs it too; display widths and wrapping are `ui::text`'s job.

use std::borrow::Cow;

use crate::protocol::content::{Block, Inline, RichText};

/// How many spaces a tab becomes (there are no tab stops in a cell grid we do not own).
pub const TAB_WIDTH: usize = 4;

mod pictographic;

use pictographic::{is_emoji_modifier, is_extended_pictographic};

/// Whether a character may never reach the terminal: C0 and C1 controls, DEL, the Unicode
/// bidi controls (a reordered line can make a URL or a name read as something else: "Trojan
/// Source"), and the default-ignorable characters — invisible, so "ad\u{200B}min" would
/// look like "admin" — except the joiners and selectors that build emoji or shape a word
/// ([`is_glue`]).
pub fn is_forbidden(c: char) -> bool {
    c.is_control()
        || is_bidi_control(c)
        || is_invisible_format(c)
        || (is_default_ignorable(c) && !is_glue(c))
}

/// Bidi controls: LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI, LRM/RLM and the Arabic letter mark.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode 16): soft
/// hyphen, zero-width space and joiners, word joiner and invisible operators, fillers,
/// variation selectors, tags, and the code points reserved as ignorable.
pub fn is_default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// The default-ignorables emoji are built with: the zero-width joiner (👨‍👩‍👧) and the
/// text/emoji presentation selectors (❤️). Kept only where they join or select an emoji
/// (see [`keeps_glue`]), dropped elsewhere. (Tag characters, which spell subdivision
/// flags, are always dropped: they can carry a whole hidden message; such a flag shows as 🏴.)
fn is_emoji_glue(c: char) -> bool {
    matches!(c, '\u{200D}' | '\u{FE0E}' | '\u{FE0F}')
}

/// The default-ignorables that may be kept where they do a visible job: the emoji glue, and
/// the zero-width non-joiner, which Persian, Urdu and the Indic scripts write inside words
/// ("می‌خواهم": the letters around it change shape, so it hides nothing).
fn is_glue(c: char) -> bool {
    is_emoji_glue(c) || c == '\u{200C}'
}

/// Letters and marks of the scripts whose shaping the joiners control: Arabic (with its
/// supplements and presentation forms), Syriac, and the Indic scripts from Devanagari to
/// Sinhala. Between two of these a joiner changes how the word looks; between Latin letters
/// ("ad\u{200C}min") it would only hide itself.
fn is_shaped_by_joiners(c: char) -> bool {
    matches!(
        c,
        '\u{0600}'..='\u{074F}'
            | '\u{0750}'..='\u{077F}'
            | '\u{0870}'..='\u{08FF}'
            | '\u{0900}'..='\u{0DFF}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFE}'
    ) && !c.is_whitespace()
        && !is_forbidden_in_script(c)
}

/// The format characters inside those blocks (the Arabic letter mark is a bidi control).
fn is_forbidden_in_script(c: char) -> bool {
    c == '\u{061C}' || c.is_control()
}

/// Whether a joiner (ZWJ or ZWNJ) stands inside a word of a script it shapes.
fn joins_shaped_letters(prev: char, next: Option<char>) -> bool {
    is_shaped_by_joiners(prev) && next.is_some_and(is_shaped_by_joiners)
}

/// Whether glue `c` does its job here: `prev` is the last character kept, `next` the one that
/// follows in the input. Either joiner stands inside a word of a script it shapes; a ZWJ stands between an emoji (possibly with a skin
/// tone or presentation selector) and another emoji; a presentation selector follows an
/// emoji, or a keycap base (`#`, `*`, a digit) before the keycap mark U+20E3.
fn keeps_glue(c: char, prev: Option<char>, next: Option<char>) -> bool {
    let Some(prev) = prev else { return false };
    if matches!(c, '\u{200C}' | '\u{200D}') && joins_shaped_letters(prev, next) {
        return true;
    }
    if c == '\u{200C}' {
        return false;
    }
    if c == '\u{200D}' {
        let after_emoji =
            is_extended_pictographic(prev) || is_emoji_modifier(prev) || prev == '\u{FE0F}';
        after_emoji && next.is_some_and(is_extended_pictographic)
    } else {
        is_extended_pictographic(prev)
            || (matches!(prev, '#' | '*' | '0'..='9') && next == Some('\u{20E3}'))
    }
}

/// Other format characters that only serve to hide or disguise text: the interlinear
/// annotation controls (the byte-order mark and the deprecated shaping controls are
/// default-ignorable).
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{FFF9}'..='\u{FFFB}')
}

/// A character the fast path may copy as is.
fn is_plain(c: char) -> bool {
    !(is_forbidden(c) || is_glue(c) || c == '\u{2028}' || c == '\u{2029}')
}

/// Sanitise untrusted text for one line: escape sequences (CSI, OSC, DCS, …) are removed whole,
/// every other control, bidi and invisible character is dropped (emoji joiners and selectors
/// stay where they build an emoji, joiners where they shape a word), tabs become [`TAB_WIDTH`] spaces and line breaks become one
/// space. Borrowed when nothing needed changing.
///
/// Sanitise each untrusted field on its own before joining it with others: an escape
/// sequence left open at the end of one field would swallow what follows it.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    sanitize_with(s, false)
}

/// Like [`sanitize`] but keeps line breaks, normalised to `\n` (`\r\n`, `\r`, U+2028, U+2029).
pub fn sanitize_multiline(s: &str) -> Cow<'_, str> {
    sanitize_with(s, true)
}

/// The plain text of a message ([`RichText::plain_text`]) with every string in it sanitised on
/// its own, so an escape left open in one part cannot swallow the next; on one line, or with
/// line breaks kept (`multiline`).
pub fn plain_text(text: &RichText, multiline: bool) -> String {
    let mut clean = text.clone();
    for block in &mut clean.blocks {
        clean_block(block);
    }
    sanitize_with(&clean.plain_text(), multiline).into_owned()
}

fn clean_block(block: &mut Block) {
    match block {
        Block::Paragraph(inlines) | Block::Heading { inlines, .. } => clean_inlines(inlines),
        Block::Quote(lines) | Block::List { items: lines, .. } => {
            for line in lines {
                clean_inlines(line);
            }
        }
        Block::Code { language, lines } => {
            language.iter_mut().chain(lines.iter_mut()).for_each(clean);
        }
        Block::Divider => {}
        Block::Media { url, .. } => clean(url),
        Block::Embeds(embeds) => {
            for e in embeds {
                let singles = [
                    &mut e.title,
                    &mut e.description,
                    &mut e.url,
                    &mut e.author,
                    &mut e.footer,
                    &mut e.image,
                    &mut e.thumbnail,
                ];
                singles.into_iter().flatten().for_each(clean);
                for f in &mut e.fields {
                    clean(&mut f.name);
                    clean(&mut f.value);
                }
            }
        }
        Block::Unknown { kind, text } => {
            clean(kind);
            clean(text);
        }
    }
}

fn clean_inlines(inlines: &mut [Inline]) {
    for inline in inlines {
        match inline {
            Inline::Text { text, .. } => clean(text),
            Inline::Mention { label, .. }
            | Inline::Channel { label, .. }
            | Inline::Emoji { label, .. } => clean(label),
            Inline::Link { href, label } => {
                clean(href);
                clean(label);
            }
        }
    }
}

fn clean(s: &mut String) {
    if let Cow::Owned(c) = sanitize_multiline(s) {
        *s = c;
    }
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
        c if is_glue(c) => {
            if keeps_glue(c, out.chars().next_back(), rest.peek().copied()) {
                out.push(c);
            }
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests;
