//! Display of emoji labels: common `:shortcode:` names → the Unicode emoji, so reactions and
//! inline emoji read as pictures; unknown (custom) emoji keep their `:name:` text.
//!
//! Rule: display only — what is sent to the server is decided by the model.

/// Common shortcodes (Guilded uses the usual Slack/Discord names for its stock set).
const SHORTCODES: &[(&str, &str)] = &[
    ("+1", "👍"),
    ("-1", "👎"),
    ("100", "💯"),
    ("angry", "😠"),
    ("clap", "👏"),
    ("cry", "😢"),
    ("eyes", "👀"),
    ("fire", "🔥"),
    ("grin", "😁"),
    ("grinning", "😀"),
    ("heart", "❤️"),
    ("joy", "😂"),
    ("laughing", "😆"),
    ("ok_hand", "👌"),
    ("party", "🎉"),
    ("pray", "🙏"),
    ("rocket", "🚀"),
    ("sad", "😞"),
    ("scream", "😱"),
    ("slightly_smiling_face", "🙂"),
    ("smile", "😄"),
    ("smiley", "😃"),
    ("sob", "😭"),
    ("sparkles", "✨"),
    ("star", "⭐"),
    ("sunglasses", "😎"),
    ("tada", "🎉"),
    ("thinking", "🤔"),
    ("thinking_face", "🤔"),
    ("thumbsdown", "👎"),
    ("thumbsup", "👍"),
    ("wave", "👋"),
    ("white_check_mark", "✅"),
    ("wink", "😉"),
    ("x", "❌"),
];

/// The emoji for a label such as `:tada:` or `tada`, if it is a known shortcode; otherwise the
/// label itself. Labels that already are emoji pass through.
pub fn display(label: &str) -> &str {
    let name = label
        .strip_prefix(':')
        .and_then(|l| l.strip_suffix(':'))
        .unwrap_or(label);
    SHORTCODES
        .binary_search_by(|(code, _)| (*code).cmp(name))
        .ok()
        .and_then(|i| SHORTCODES.get(i))
        .map(|(_, emoji)| *emoji)
        .or_else(|| emojis::get_by_shortcode(name).map(emojis::Emoji::as_str))
        .unwrap_or(label)
}

/// Text with every known `:shortcode:` shown as its emoji (`:tada:` → 🎉); unknown ones (a
/// team's custom emoji, a time like `10:30:`) stay as typed.
pub fn shortcodes_to_emoji(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(':') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(open) = rest.find(':') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-')))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        if !name.is_empty() && after[name_len..].starts_with(':') {
            let glyph = display(name);
            if glyph != name {
                out.push_str(glyph);
                rest = &after[name_len + 1..];
                changed = true;
                continue;
            }
        }
        out.push(':');
        rest = after;
    }
    out.push_str(rest);
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// How a reaction's emoji is shown: the Unicode emoji for a known shortcode, the glyph itself
/// when it already is one, else `:name:` (a custom emoji).
pub fn reaction_label(name: &str) -> std::borrow::Cow<'_, str> {
    let shown = display(name);
    if shown == name && name.is_ascii() && !name.starts_with(':') {
        std::borrow::Cow::Owned(format!(":{name}:"))
    } else {
        std::borrow::Cow::Borrowed(shown)
    }
}

/// An emoji for a two-column cell (a picker's glyph column): made terminal-safe, then padded
/// when narrower.
pub fn cell(glyph: &str) -> String {
    let glyph = terminal_safe(glyph);
    let w = crate::ui::text::width(&glyph);
    format!("{glyph}{}", " ".repeat(2usize.saturating_sub(w)))
}

const ZWJ: char = '\u{200d}';
const VS16: char = '\u{fe0f}';
const KEYCAP: char = '\u{20e3}';

fn is_skin_tone(c: char) -> bool {
    ('\u{1f3fb}'..='\u{1f3ff}').contains(&c)
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1f1e6}'..='\u{1f1ff}').contains(&c)
}

/// Emoji sequences drawn so that every terminal agrees on their width.
///
/// ratatui (unicode-width) measures a sequence as one wide cluster, but terminals disagree:
/// tmux before 3.4 and VTE draw `❤️` (a text character made emoji by VS16), `#️⃣` and `🏳️‍⚧️`
/// one column wide, and tmux draws `👍🏽` four (the skin tone apart). The cell the screen
/// thinks is covered then keeps what was there before, and what follows shifts. So a sequence
/// is shown as its first character alone (`❤`, `#`, `🏳`, `👍`), which every terminal
/// measures as ratatui does; kept whole are single characters, flags (two regional
/// indicators) and joined sequences of wide emoji only (`👨‍👩‍👧`, `🧑‍💻`: two columns in tmux
/// and the emoji-aware terminals alike).
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_segmentation::UnicodeSegmentation;
    let risky = |c: char| c == ZWJ || c == VS16 || c == KEYCAP || is_skin_tone(c);
    if text.is_ascii() || !text.chars().any(risky) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for g in text.graphemes(true) {
        let Some(first) = g.chars().next() else {
            continue;
        };
        // Letters with marks or joiners (accents, Indic conjuncts) are not emoji: kept.
        let emoji_sequence = g.chars().any(risky) && !first.is_alphabetic();
        if !emoji_sequence || g.chars().all(is_regional_indicator) || agreed(g) {
            out.push_str(g);
        } else {
            out.push(first);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A joined sequence of wide emoji, without selectors, tones or keycaps.
fn agreed(g: &str) -> bool {
    g.contains(ZWJ)
        && g.split(ZWJ).all(|part| {
            let mut chars = part.chars();
            matches!((chars.next(), chars.next()), (Some(c), None)
                if crate::ui::text::width(c.encode_utf8(&mut [0; 4])) == 2)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(SHORTCODES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn maps_known_shortcodes_only() {
        assert_eq!(display(":tada:"), "🎉");
        assert_eq!(display("thumbsup"), "👍");
        assert_eq!(display(":thinkingwithblobs:"), ":thinkingwithblobs:");
        assert_eq!(display("🎉"), "🎉");
        assert_eq!(reaction_label("tada"), "🎉");
        assert_eq!(reaction_label("blobthink"), ":blobthink:");
        // Beyond the short table: the full standard set.
        assert_eq!(display(":pizza:"), "🍕");
    }

    #[test]
    fn sequences_terminals_disagree_on_become_their_first_character() {
        use crate::ui::text::width;
        let cases = [
            ("I ❤️ it", "I ❤ it"),
            ("🏳️‍⚧️", "🏳"),
            ("👍🏽 ok", "👍 ok"),
            ("#️⃣", "#"),
            ("🌪️🧑🏽‍💻", "🌪🧑"),
            // Kept: single characters, flags, joined wide emoji, and letters with marks or
            // joiners (a Devanagari conjunct with ZWJ).
            ("👨‍👩‍👧 🧑‍💻 🇯🇵 🎉 ❤ é́ क्\u{200d}ष", "👨‍👩‍👧 🧑‍💻 🇯🇵 🎉 ❤ é́ क्\u{200d}ष"),
        ];
        for (text, shown) in cases {
            assert_eq!(terminal_safe(text), shown, "{text}");
        }
        assert!(matches!(
            terminal_safe("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(matches!(
            terminal_safe("🎉 no sequence"),
            std::borrow::Cow::Borrowed(_)
        ));
        // What is kept measures as tmux draws it: one column per narrow base, two per wide.
        assert_eq!(width(&terminal_safe("❤️")), 1);
        assert_eq!(width(&terminal_safe("👍🏽")), 2);
        assert_eq!(cell("❤️"), "❤ ");
        assert_eq!(cell("🎉"), "🎉");
    }

    #[test]
    fn shortcodes_in_text_become_emoji() {
        assert_eq!(shortcodes_to_emoji("glad :tada: here"), "glad 🎉 here");
        assert_eq!(shortcodes_to_emoji(":pizza::+1:"), "🍕👍");
        assert_eq!(shortcodes_to_emoji("at 10:30: ok"), "at 10:30: ok");
        assert_eq!(shortcodes_to_emoji(":blobthink: :"), ":blobthink: :");
        assert!(matches!(
            shortcodes_to_emoji("no colon"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
