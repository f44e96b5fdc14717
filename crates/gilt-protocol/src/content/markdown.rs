//! What a user types → [`RichText`]: a small markdown dialect. Blocks: fenced code with a
//! language, `> ` quotes, `- `/`* `/`1. ` lists, `#`/`##` headings, `---` dividers, one
//! paragraph per other line. Inline (see `inline`): `**bold**`, `*italic*`/`_italic_`,
//! `__underline__`, `~~strike~~`, `||spoiler||`, `` `code` ``, bare http(s) URLs as links,
//! `@name` mentions resolved by the caller, `\` escapes; `:emoji:` stays text. Also used for
//! received `markdown-plain-text` blocks, so the input is untrusted.
//!
//! Rule: pure and total (any string parses, never a panic), and linear up to a log factor on
//! every input: block structure is one pass over the lines, and the inline parser indexes its
//! spans and closers once per line (see `spans` and `closers`) instead of searching ahead for
//! each opener. Beyond [`MAX_MARKDOWN_BYTES`] of inline text a message is plain text. No IO.

use std::cell::Cell;

use super::build::push_text;
use super::{Block, Inline, Marks, ResolvedMention, RichText};

mod closers;
mod inline;
mod spans;

#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod reference;

/// How much inline text of one message is parsed as markdown; the rest of the message is
/// plain text. Generous (Guilded caps a message at 4,000 characters, at most 16,000 bytes):
/// it bounds the parser's per-line tables, not what users write.
pub(super) const MAX_MARKDOWN_BYTES: usize = 16 * 1024;

/// Counts the parser's steps (loop iterations, table entries built, lookups), so tests can
/// check that the work grows linearly with the input without timing anything.
#[derive(Default)]
pub(super) struct Meter(Cell<u64>);

impl Meter {
    fn add(&self, steps: usize) {
        self.0.set(self.0.get().saturating_add(steps as u64));
    }

    /// One binary search over `len` items.
    fn search(&self, len: usize) {
        self.add((usize::BITS - len.leading_zeros()) as usize + 1);
    }

    pub(super) fn steps(&self) -> u64 {
        self.0.get()
    }
}

/// Parse user input.
pub(super) fn parse(input: &str, resolve: &dyn Fn(&str) -> Option<ResolvedMention>) -> RichText {
    parse_metered(input, resolve, &Meter::default())
}

/// Parse one of several markdown parts of a message, sharing the message's budget of
/// [`MAX_MARKDOWN_BYTES`] (what is left of it is left in `budget`).
pub(super) fn parse_within(
    input: &str,
    resolve: &dyn Fn(&str) -> Option<ResolvedMention>,
    budget: &Cell<usize>,
) -> RichText {
    parse_with(input, resolve, budget, &Meter::default())
}

/// Parse user input, counting the work on `meter`.
pub(super) fn parse_metered(
    input: &str,
    resolve: &dyn Fn(&str) -> Option<ResolvedMention>,
    meter: &Meter,
) -> RichText {
    parse_with(input, resolve, &Cell::new(MAX_MARKDOWN_BYTES), meter)
}

fn parse_with(
    input: &str,
    resolve: &dyn Fn(&str) -> Option<ResolvedMention>,
    budget: &Cell<usize>,
    meter: &Meter,
) -> RichText {
    blocks(input, |text| inline_within(text, budget, resolve, meter))
}

/// The block structure of `input`, in one pass over its lines; `inline` parses each line of
/// inline text (the old inline parser kept as a test oracle, `reference`, shares the blocks).
fn blocks(input: &str, inline: impl Fn(&str) -> Vec<Inline>) -> RichText {
    let lines: Vec<&str> = if input.is_empty() {
        Vec::new()
    } else {
        input
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect()
    };
    let mut blocks = Vec::new();
    let mut i = 0;
    while let Some(&line) = lines.get(i) {
        if let Some(Fence { language }) = fence_open(line) {
            let body_start = i + 1;
            let close = (body_start..lines.len()).find(|&j| is_fence_close(lines[j]));
            let body_end = close.unwrap_or(lines.len());
            blocks.push(Block::Code {
                language,
                lines: lines[body_start..body_end]
                    .iter()
                    .map(|l| (*l).to_owned())
                    .collect(),
            });
            i = close.map_or(lines.len(), |c| c + 1);
        } else if quote_line(line).is_some() {
            let mut quoted = Vec::new();
            while let Some(text) = lines.get(i).and_then(|l| quote_line(l)) {
                quoted.push(inline(text));
                i += 1;
            }
            blocks.push(Block::Quote(quoted));
        } else if let Some((ordered, _)) = list_item(line) {
            let mut items = Vec::new();
            while let Some((o, text)) = lines.get(i).and_then(|l| list_item(l)) {
                if o != ordered {
                    break;
                }
                items.push(inline(text));
                i += 1;
            }
            blocks.push(Block::List { ordered, items });
        } else if let Some((large, text)) = heading(line) {
            blocks.push(Block::Heading {
                large,
                inlines: inline(text),
            });
            i += 1;
        } else if is_divider(line) {
            blocks.push(Block::Divider);
            i += 1;
        } else {
            blocks.push(Block::Paragraph(inline(line)));
            i += 1;
        }
    }
    RichText { blocks }
}

/// One line of inline text: markdown while the message's budget lasts, plain text after.
fn inline_within(
    text: &str,
    budget: &Cell<usize>,
    resolve: &dyn Fn(&str) -> Option<ResolvedMention>,
    meter: &Meter,
) -> Vec<Inline> {
    let mut cut = text.len().min(budget.get());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    budget.set(budget.get() - cut);
    let (markdown, plain) = text.split_at(cut);
    let mut out = inline::parse_inlines(markdown, resolve, meter);
    push_text(&mut out, plain.to_owned(), Marks::NONE);
    out
}

/// The char that ends just before byte `i` (None at the start or off a char boundary).
fn char_before(src: &str, i: usize) -> Option<char> {
    src.get(..i).and_then(|s| s.chars().next_back())
}

/// The char that starts at byte `i` (None at the end or off a char boundary).
fn char_at(src: &str, i: usize) -> Option<char> {
    src.get(i..).and_then(|s| s.chars().next())
}

/// An opening code fence.
struct Fence {
    /// None when absent or `unformatted`.
    language: Option<String>,
}

/// "```lang" opens a fenced block (unless it also closes on the same line, which is inline
/// code).
fn fence_open(line: &str) -> Option<Fence> {
    let rest = line.trim_start().strip_prefix("```")?;
    if rest.contains("```") {
        return None;
    }
    let lang = rest.trim();
    Some(Fence {
        language: (!lang.is_empty() && lang != "unformatted").then(|| lang.to_owned()),
    })
}

fn is_fence_close(line: &str) -> bool {
    line.trim() == "```"
}

fn quote_line(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('>')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

/// `- x`, `* x`, `+ x` (unordered) or `12. x` / `12) x` (ordered).
fn list_item(line: &str) -> Option<(bool, &str)> {
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return Some((false, rest));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        if let Some(text) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((true, text));
        }
    }
    None
}

/// `# x` is large; `## x` … `###### x` small.
fn heading(line: &str) -> Option<(bool, &str)> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let text = line[hashes..].strip_prefix(' ')?;
    Some((hashes == 1, text))
}

fn is_divider(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && (t.bytes().all(|b| b == b'-') || t.bytes().all(|b| b == b'*'))
}
