//! The sanitiser's tests: escape sequences, controls, and the invisible characters checked
//! against lists written out from the Unicode data, not against the sanitiser's own predicates.

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

/// Default_Ignorable_Code_Point, one entry per line of Unicode 16's DerivedCoreProperties.txt.
const DEFAULT_IGNORABLE: [(u32, u32); 27] = [
    (0x00AD, 0x00AD),   // SOFT HYPHEN
    (0x034F, 0x034F),   // COMBINING GRAPHEME JOINER
    (0x061C, 0x061C),   // ARABIC LETTER MARK
    (0x115F, 0x1160),   // HANGUL CHOSEONG FILLER..HANGUL JUNGSEONG FILLER
    (0x17B4, 0x17B5),   // KHMER VOWEL INHERENT AQ..KHMER VOWEL INHERENT AA
    (0x180B, 0x180D),   // MONGOLIAN FREE VARIATION SELECTOR ONE..THREE
    (0x180E, 0x180E),   // MONGOLIAN VOWEL SEPARATOR
    (0x180F, 0x180F),   // MONGOLIAN FREE VARIATION SELECTOR FOUR
    (0x200B, 0x200F),   // ZERO WIDTH SPACE..RIGHT-TO-LEFT MARK
    (0x202A, 0x202E),   // LEFT-TO-RIGHT EMBEDDING..RIGHT-TO-LEFT OVERRIDE
    (0x2060, 0x2064),   // WORD JOINER..INVISIBLE PLUS
    (0x2065, 0x2065),   // <reserved-2065>
    (0x2066, 0x206F),   // LEFT-TO-RIGHT ISOLATE..NOMINAL DIGIT SHAPES
    (0x3164, 0x3164),   // HANGUL FILLER
    (0xFE00, 0xFE0F),   // VARIATION SELECTOR-1..VARIATION SELECTOR-16
    (0xFEFF, 0xFEFF),   // ZERO WIDTH NO-BREAK SPACE
    (0xFFA0, 0xFFA0),   // HALFWIDTH HANGUL FILLER
    (0xFFF0, 0xFFF8),   // <reserved-FFF0>..<reserved-FFF8>
    (0x1BCA0, 0x1BCA3), // SHORTHAND FORMAT LETTER OVERLAP..SHORTHAND FORMAT UP STEP
    (0x1D173, 0x1D17A), // MUSICAL SYMBOL BEGIN BEAM..MUSICAL SYMBOL END PHRASE
    (0xE0000, 0xE0000), // <reserved-E0000>
    (0xE0001, 0xE0001), // LANGUAGE TAG
    (0xE0002, 0xE001F), // <reserved-E0002>..<reserved-E001F>
    (0xE0020, 0xE007F), // TAG SPACE..CANCEL TAG
    (0xE0080, 0xE00FF), // <reserved-E0080>..<reserved-E00FF>
    (0xE0100, 0xE01EF), // VARIATION SELECTOR-17..VARIATION SELECTOR-256
    (0xE01F0, 0xE0FFF), // <reserved-E01F0>..<reserved-E0FFF>
];

/// Bidi_Control (PropList.txt).
const BIDI_CONTROLS: [(u32, u32); 4] = [
    (0x061C, 0x061C), // ARABIC LETTER MARK
    (0x200E, 0x200F), // LEFT-TO-RIGHT MARK..RIGHT-TO-LEFT MARK
    (0x202A, 0x202E), // LEFT-TO-RIGHT EMBEDDING..RIGHT-TO-LEFT OVERRIDE
    (0x2066, 0x2069), // LEFT-TO-RIGHT ISOLATE..POP DIRECTIONAL ISOLATE
];

/// C0 controls, DEL and C1 controls (general category Cc).
const CONTROLS: [(u32, u32); 3] = [(0x0000, 0x001F), (0x007F, 0x007F), (0x0080, 0x009F)];

/// Other characters the sanitiser removes or translates on purpose: the interlinear
/// annotation controls, and the line and paragraph separators (line breaks).
const ALSO_HANDLED: [(u32, u32); 2] = [(0xFFF9, 0xFFFB), (0x2028, 0x2029)];

fn chars_of(ranges: &[(u32, u32)]) -> impl Iterator<Item = char> + '_ {
    ranges
        .iter()
        .flat_map(|&(first, last)| (first..=last).filter_map(char::from_u32))
}

fn listed(ranges: &[&[(u32, u32)]], c: char) -> bool {
    let c = u32::from(c);
    ranges.iter().any(|list| {
        list.iter()
            .any(|&(first, last)| (first..=last).contains(&c))
    })
}

#[test]
fn every_invisible_and_bidi_character_is_removed() {
    for c in chars_of(&DEFAULT_IGNORABLE).chain(chars_of(&BIDI_CONTROLS)) {
        let code = u32::from(c);
        for s in [
            format!("ad{c}min"),
            format!("{c}admin"),
            format!("admin{c}"),
        ] {
            assert_eq!(sanitize(&s), "admin", "U+{code:04X} survived in {s:?}");
            assert_eq!(sanitize_multiline(&s), "admin", "U+{code:04X} (multiline)");
        }
    }
}

#[test]
fn no_control_character_survives() {
    let all = [&DEFAULT_IGNORABLE[..], &BIDI_CONTROLS, &CONTROLS];
    for c in chars_of(&CONTROLS) {
        let code = u32::from(c);
        for s in [
            format!("ad{c}min"),
            format!("{c}admin"),
            format!("admin{c}"),
        ] {
            let one_line = sanitize(&s);
            assert!(
                !one_line.chars().any(|o| listed(&all, o)),
                "U+{code:04X}: {one_line:?}"
            );
            let multi = sanitize_multiline(&s);
            assert!(
                !multi.chars().any(|o| o != '\n' && listed(&all, o)),
                "U+{code:04X} (multiline): {multi:?}"
            );
        }
    }
}

#[test]
fn every_other_character_is_kept() {
    // Every scalar value outside the lists, in one string: nothing is lost or changed.
    let lists = [
        &DEFAULT_IGNORABLE[..],
        &BIDI_CONTROLS,
        &CONTROLS,
        &ALSO_HANDLED,
    ];
    let kept: String = (0..=0x10_FFFF)
        .filter_map(char::from_u32)
        .filter(|&c| !listed(&lists, c))
        .collect();
    assert!(
        sanitize(&kept) == kept,
        "a character outside the lists was changed"
    );
}

#[test]
fn ordinary_text_is_kept() {
    for text in [
        "日本語の文章、中文，한국어",
        "مرحبا بالعالم",
        "שלום עולם",
        "नमस्ते दुनिया",
        "e\u{301}te\u{301} n\u{303}o Z\u{351}\u{34e}a\u{308}",
        "สวัสดีครับ",
        "Ελληνικά и русский",
        // Zero-width non-joiner and joiner inside Persian, Urdu and Hindi words.
        "می\u{200C}خواهم نمی\u{200C}دانم",
        "ہم\u{200C}آہنگ",
        "क्\u{200D}ष क्\u{200C}ष",
        "👨\u{200D}👩\u{200D}👧\u{200D}👦 👩🏽\u{200D}💻 🏳\u{FE0F}\u{200D}🌈 ❤\u{FE0F} ☺\u{FE0E} 1\u{FE0F}\u{20E3} 🇫🇷 👍🏽",
    ] {
        assert_eq!(sanitize(text), text);
    }
}

#[test]
fn joiners_outside_shaped_words_are_removed() {
    // Between Latin letters, at a word's edge, or between a Persian letter and a Latin one a
    // joiner only hides itself.
    assert_eq!(sanitize("ad\u{200C}min"), "admin");
    assert_eq!(sanitize("\u{200C}می"), "می");
    assert_eq!(sanitize("می\u{200C}"), "می");
    assert_eq!(sanitize("می\u{200C}a"), "میa");
    assert_eq!(sanitize("می\u{200C} خ"), "می خ");
    assert_eq!(sanitize("👩\u{200C}👩"), "👩👩");
}

#[test]
fn emoji_glue_outside_emoji_is_removed() {
    // A joiner or selector between letters, at an edge, or after a non-emoji is invisible.
    assert_eq!(sanitize("ad\u{200D}min"), "admin");
    assert_eq!(sanitize("ad\u{FE0F}min"), "admin");
    assert_eq!(sanitize("\u{200D}👩"), "👩");
    assert_eq!(sanitize("👩\u{200D}"), "👩");
    assert_eq!(sanitize("👩\u{200D}a"), "👩a");
    assert_eq!(sanitize("1\u{FE0F}a"), "1a");
    // One selector per emoji; a run of joiners keeps only the one that joins.
    assert_eq!(sanitize("❤\u{FE0F}\u{FE0F}"), "❤\u{FE0F}");
    assert_eq!(sanitize("👨\u{200D}\u{200D}👩"), "👨\u{200D}👩");
    // Tags (subdivision flags, hidden text) always go: the flag shows as a plain black flag.
    let england = "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}";
    assert_eq!(sanitize(england), "🏴");
}
