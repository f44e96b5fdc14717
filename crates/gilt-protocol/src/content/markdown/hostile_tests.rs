//! Hostile inputs: the markdown parser's work must grow linearly (up to a log factor) with
//! the input, whatever the input, and its output must stay what the old parser gave. Work is
//! measured with the parser's own step counter ([`Meter`]), not a clock, so the tests are
//! deterministic on a loaded machine.

use proptest::prelude::*;

use super::{MAX_MARKDOWN_BYTES, Meter, parse, parse_metered, reference};
use crate::content::{Block, Inline, Marks, MentionKind, ResolvedMention, RichText};

/// Steps per input byte the parser may take on any input. Mention lookups bound it: each `@`
/// after a space or bracket reads up to 128 bytes of name and trims at most as many, and
/// such an `@` takes two bytes (`(@(@…`), so at most ≈ 130 per byte plus the rest; the rest
/// (spans, closers, the parse loop) stays under 25 per byte on every input below. The old
/// parser's cost per byte grew with the input (quadratic, cubic with code spans): at 200
/// repetitions (0.6–4 KB) it already took up to 226 steps per byte on unclosed openers,
/// 4,663 on URLs and 14,459 on the report's message.
pub(crate) const STEPS_PER_BYTE: u64 = 200;

fn resolver(name: &str) -> Option<ResolvedMention> {
    match name {
        "a" | "b c" => Some(ResolvedMention::new(MentionKind::Person, "u1", "@a")),
        _ => None,
    }
}

/// Inputs built to defeat a naive parser: each repeats a unit `times` times.
pub(crate) fn hostile(times: usize) -> Vec<(&'static str, String)> {
    let units: [(&str, &str); 23] = [
        // The report's case: a code span, then an opener whose closer never comes.
        ("code+italic", "`x` *a "),
        ("italic openers", "*a "),
        ("bold openers", "**a "),
        ("underscore openers", "_a "),
        ("underline openers", "__a "),
        ("strike openers", "~~a "),
        ("spoiler openers", "||a "),
        // An escaped backtick, then a lone one: a code opener with no closer of its length.
        ("unclosed code", "\\``"),
        ("backtick runs", "` `` "),
        ("stars", "a*"),
        ("underscores", "a_"),
        ("backslashes", "\\"),
        ("backticks", "`"),
        ("nested openers", "**__~~||*a"),
        ("nested marks", "**__~~||*a*||~~__** "),
        ("star runs", "a**** ***"),
        ("mentions", "@a "),
        ("unknown mentions", "@b c d e "),
        ("mentions without spaces", "(@"),
        ("urls", "http://a.io *"),
        ("url soup", "http://http://a:b@c."),
        ("escapes", "\\*\\_a*"),
        ("wide text", "日本語 *"),
    ];
    units
        .iter()
        .map(|(name, unit)| (*name, unit.repeat(times)))
        .collect()
}

fn steps(input: &str) -> u64 {
    let meter = Meter::default();
    parse_metered(input, &resolver, &meter);
    meter.steps()
}

#[test]
fn parse_work_is_linear_on_hostile_inputs() {
    for (name, input) in hostile(1_000) {
        let n = input.len() as u64;
        let work = steps(&input);
        assert!(
            work <= STEPS_PER_BYTE * n,
            "{name}: {work} steps for {n} bytes (budget {STEPS_PER_BYTE}/byte)"
        );
    }
}

#[test]
fn parse_work_grows_linearly() {
    // Four times the input may cost a little over four times the work (log factors), never
    // sixteen.
    for ((name, small), (_, large)) in hostile(300).into_iter().zip(hostile(1_200)) {
        let (a, b) = (steps(&small).max(1), steps(&large).max(1));
        assert!(b <= a * 5, "{name}: {a} steps, then {b} for 4× the input");
    }
}

#[test]
fn the_reported_message_parses_in_linear_work() {
    // "`x` *a " × 2,000 (14 KB) blocked a thread for seconds.
    let input = "`x` *a ".repeat(2_000);
    let work = steps(&input);
    assert!(work <= STEPS_PER_BYTE * input.len() as u64, "{work} steps");
}

#[test]
fn hostile_inputs_parse_as_before() {
    for (name, input) in hostile(40) {
        assert_eq!(
            parse(&input, &resolver),
            reference::parse(&input, &resolver),
            "{name}"
        );
    }
}

#[test]
fn beyond_the_cap_text_is_plain() {
    let head = "a".repeat(MAX_MARKDOWN_BYTES - 2);
    // The bold opens inside the cap and would close past it: it stays text.
    let input = format!("{head}**b** *c*\n**d**");
    let RichText { blocks } = parse(&input, &resolver);
    let plain = |t: &str| Inline::Text {
        text: t.to_owned(),
        marks: Marks::NONE,
    };
    assert_eq!(
        blocks,
        [
            Block::Paragraph(vec![plain(&format!("{head}**b** *c*"))]),
            Block::Paragraph(vec![plain("**d**")]),
        ]
    );
    // Below the cap, the same text is markdown.
    let short = parse("**b** *c*", &resolver);
    assert_ne!(short.blocks, [Block::Paragraph(vec![plain("**b** *c*")])]);
}

#[test]
fn the_cap_never_splits_a_character() {
    let input = format!("{}日本語", "a".repeat(MAX_MARKDOWN_BYTES - 1));
    assert_eq!(parse(&input, &resolver).plain_text(), input);
}

#[test]
fn fuzz_finding_bracketed_mentions_stay_in_budget() {
    // Found by the `markdown` fuzz target when its budget was 80 steps per byte (100 here).
    let input = "(@(@(@(@(@(@(@(@(@(@(@(@(@(@(@(\0(@(@(@(@(@(@(@(@(@(@(@(@(@(@(@(@(@\u{1e}@(@(@(@(@(@(@(@((@(@(@(@(@(@(@(@(@(@(@(@(@(@(@(@(@(@(@(@(@(@(@(@@(obje@(@(@(@ @> q1 \n\n-!. r`\nu?`st\nfn\n``d";
    assert!(steps(input) <= STEPS_PER_BYTE * input.len() as u64);
}

#[test]
fn mention_names_are_bounded() {
    // A resolver that knows any name: only names within the window are asked for.
    let asked = std::cell::RefCell::new(Vec::new());
    let any = |name: &str| {
        asked.borrow_mut().push(name.len());
        None::<ResolvedMention>
    };
    parse(&format!("@{}", "x".repeat(1_000)), &any);
    parse(&"(@".repeat(1_000), &any);
    assert!(asked.borrow().iter().all(|&len| len <= 128), "{asked:?}");
}

/// The pieces the parser treats specially.
const PIECES: [&str; 29] = [
    "*",
    "**",
    "***",
    "_",
    "__",
    "~~",
    "~",
    "||",
    "|",
    "`",
    "``",
    "\\",
    " ",
    "a",
    "b",
    "é",
    "日",
    "1",
    "(",
    "@",
    "@a",
    "@b c",
    "@everyone",
    "http://a.io/",
    "https://x.y/*_",
    "\n",
    "> ",
    "- ",
    "```",
];

/// Text made of [`PIECES`], so random strings hit the parser's corner cases (runs, escapes,
/// spans across delimiters, delimiters at span edges).
fn soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(0..PIECES.len(), 0..40)
        .prop_map(|v| v.into_iter().map(|i| PIECES[i]).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    #[test]
    fn same_output_as_the_old_parser(s in soup()) {
        prop_assert_eq!(parse(&s, &resolver), reference::parse(&s, &resolver));
    }

    #[test]
    fn same_output_as_the_old_parser_on_any_text(s in "[*_~|`\\\\@ a-z:/.h\n>#-]{0,60}") {
        prop_assert_eq!(parse(&s, &resolver), reference::parse(&s, &resolver));
    }

    #[test]
    fn work_stays_in_budget_on_random_soup(s in soup()) {
        let budget = STEPS_PER_BYTE * (s.len() as u64).max(8);
        prop_assert!(steps(&s) <= budget, "{} steps for {:?}", steps(&s), s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn work_stays_in_budget_on_mention_soup(s in "[(@) a]{0,300}") {
        let budget = STEPS_PER_BYTE * (s.len() as u64).max(8);
        prop_assert!(steps(&s) <= budget, "{} steps for {:?}", steps(&s), s);
    }
}
