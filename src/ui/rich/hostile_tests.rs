//! Hostile bodies: whatever a server sends, one message lays out into a bounded number of
//! lines, none wider than the width, and a body too large to show whole says so.

use super::budget::MAX_LAYOUT_COST;
use super::{RichStyle, layout};
use crate::protocol::content::{Block, Inline, Marks, MentionKind, RichText};
use crate::ui::text::line_width;
use crate::ui::theme::Theme;

const WIDTH: usize = 80;
const NOTE: &str = "… (message too long: the rest is not shown)";

fn lay_out(rt: &RichText) -> Vec<String> {
    let theme = Theme::default();
    let st = RichStyle {
        theme: &theme,
        me: "me",
        reveal_spoilers: false,
    };
    let lines = layout(rt, WIDTH, &st);
    for line in &lines {
        assert!(line_width(line) <= WIDTH, "{line:?}");
    }
    lines.iter().map(ToString::to_string).collect()
}

fn paragraph(inlines: Vec<Inline>) -> RichText {
    RichText {
        blocks: vec![Block::Paragraph(inlines)],
    }
}

fn text(s: String, marks: Marks) -> Inline {
    Inline::Text { text: s, marks }
}

/// At most this many lines: the whole budget as one-column text, plus the note.
const MAX_LINES: usize = MAX_LAYOUT_COST / 16 + 2;

#[test]
fn a_huge_word_is_cut_and_says_so() {
    let lines = lay_out(&paragraph(vec![text("x".repeat(1_000_000), Marks::NONE)]));
    assert!(
        lines.len() <= MAX_LAYOUT_COST / WIDTH + 2,
        "{} lines",
        lines.len()
    );
    assert_eq!(lines.last().map(String::as_str), Some(NOTE));
    assert!(lines[0].starts_with("xxxx"));
}

#[test]
fn empty_items_count_too() {
    let code = RichText {
        blocks: vec![Block::Code {
            language: None,
            lines: vec![String::new(); 100_000],
        }],
    };
    let lines = lay_out(&code);
    assert!(lines.len() <= MAX_LINES, "{} lines", lines.len());
    assert_eq!(lines.last().map(String::as_str), Some(NOTE));

    let mentions = (0..50_000)
        .map(|i| Inline::Mention {
            kind: MentionKind::Person,
            id: format!("u{i}"),
            label: String::new(),
        })
        .collect();
    let lines = lay_out(&paragraph(mentions));
    assert!(lines.len() <= MAX_LINES, "{} lines", lines.len());
    assert_eq!(lines.last().map(String::as_str), Some(NOTE));

    let blocks = RichText {
        blocks: vec![Block::Divider; 100_000],
    };
    assert!(lay_out(&blocks).len() <= MAX_LINES);
}

#[test]
fn many_marked_leaves_and_combining_marks_stay_in_bounds() {
    let leaves = (0..20_000)
        .map(|i| {
            let marks = if i % 2 == 0 {
                Marks::BOLD
            } else {
                Marks::SPOILER
            };
            text("ab ".to_owned(), marks)
        })
        .collect();
    let lines = lay_out(&paragraph(leaves));
    assert!(lines.len() <= MAX_LINES);
    // One base letter under 10,000 combining marks is one grapheme, one column.
    let lines = lay_out(&paragraph(vec![text(
        format!("e{} end", "\u{301}".repeat(10_000)),
        Marks::NONE,
    )]));
    assert_eq!(lines.len(), 1);
    assert!(lines[0].ends_with(" end"));
}

#[test]
fn a_largest_legitimate_message_is_shown_whole() {
    // 4,000 four-byte characters: Guilded's limit, well within the cap.
    let body = "🎉".repeat(4_000);
    let lines = lay_out(&paragraph(vec![text(body, Marks::NONE)]));
    assert!(lines.iter().all(|l| l != NOTE));
    assert_eq!(
        lines.iter().map(|l| l.chars().count()).sum::<usize>(),
        4_000
    );
}

proptest::proptest! {
    #[test]
    fn hiding_ascii_takes_the_short_way_to_the_same_cells(s in "[ -~\n]{0,60}") {
        use unicode_segmentation::UnicodeSegmentation;
        let by_grapheme: String = s
            .graphemes(true)
            .map(|g| match g {
                " " | "\n" => g.to_owned(),
                g => "▒".repeat(crate::ui::text::grapheme_width(g)),
            })
            .collect();
        proptest::prop_assert_eq!(super::hide(&s), by_grapheme);
    }
}
