//! One line of inline markdown → [`Inline`]s: emphasis marks, code spans, bare URLs,
//! `@mentions` and `\` escapes.
//!
//! Rule: each byte is read once by the innermost emphasis that holds it; spans and closers
//! come from per-line indexes (`spans`, `closers`), so a line costs O(n log n) whatever it
//! holds. Nesting of marks is bounded by [`MAX_INLINE_DEPTH`]. Pure, no IO.

use super::closers::Closers;
use super::spans::{SpanKind, Spans};
use super::{Meter, char_at, char_before};
use crate::content::build::push_text;
use crate::content::{Inline, Marks, MentionKind, ResolvedMention};

/// Deepest nesting of inline marks; deeper delimiters stay literal text.
pub(super) const MAX_INLINE_DEPTH: usize = 8;

/// How many space-separated words an `@mention` may span (`@GAPI Testing Account`).
pub(super) const MAX_MENTION_WORDS: usize = 4;

/// How many bytes after `@` may name a mention: far longer than any user or role name, and
/// what keeps a line of `(@(@(@…` from looking up ever longer names.
const MAX_MENTION_BYTES: usize = 128;

/// Emphasis delimiters, longest first.
pub(super) const DELIMITERS: [(&str, Marks); 6] = [
    ("**", Marks::BOLD),
    ("__", Marks::UNDERLINE),
    ("~~", Marks::STRIKETHROUGH),
    ("||", Marks::SPOILER),
    ("*", Marks::ITALIC),
    ("_", Marks::ITALIC),
];

struct Inlines<'a> {
    src: &'a str,
    spans: &'a Spans<'a>,
    closers: Closers<'a>,
    resolve: &'a dyn Fn(&str) -> Option<ResolvedMention>,
    meter: &'a Meter,
}

/// Parse one line of inline markdown.
pub(super) fn parse_inlines(
    src: &str,
    resolve: &dyn Fn(&str) -> Option<ResolvedMention>,
    meter: &Meter,
) -> Vec<Inline> {
    let spans = Spans::find(src, meter);
    let p = Inlines {
        src,
        spans: &spans,
        closers: Closers::new(src, &spans, meter),
        resolve,
        meter,
    };
    let mut out = Vec::new();
    p.parse(0, src.len(), Marks::NONE, 0, &mut out);
    out
}

impl Inlines<'_> {
    fn parse(&self, start: usize, end: usize, marks: Marks, depth: usize, out: &mut Vec<Inline>) {
        let bytes = self.src.as_bytes();
        let mut buf = String::new();
        let mut i = start;
        while i < end {
            self.meter.add(1);
            if let Some(span) = self.spans.starting_at(i).filter(|s| s.end <= end) {
                push_text(out, std::mem::take(&mut buf), marks);
                match span.kind {
                    SpanKind::Code { from, to } => {
                        push_text(out, self.src[from..to].to_owned(), marks.with(Marks::CODE));
                    }
                    SpanKind::Url => {
                        let url = self.src[span.start..span.end].to_owned();
                        out.push(Inline::Link {
                            href: url.clone(),
                            label: url,
                        });
                    }
                }
                i = span.end;
                continue;
            }
            let b = bytes[i];
            if b == b'\\'
                && let Some(next) = bytes.get(i + 1).filter(|n| n.is_ascii_punctuation())
                && i + 1 < end
            {
                buf.push(char::from(*next));
                i += 2;
                continue;
            }
            if depth < MAX_INLINE_DEPTH
                && let Some((len, mark, close)) = self.emphasis_at(i, end)
            {
                push_text(out, std::mem::take(&mut buf), marks);
                self.parse(i + len, close, marks.with(mark), depth + 1, out);
                i = close + len;
                continue;
            }
            if b == b'@'
                && char_before(self.src, i)
                    .is_none_or(|c| c.is_whitespace() || "([{\"'".contains(c))
                && let Some((consumed, mention)) = self.mention_at(i + 1, end)
            {
                push_text(out, std::mem::take(&mut buf), marks);
                out.push(mention);
                i += 1 + consumed;
                continue;
            }
            let Some(c) = char_at(self.src, i) else { break };
            buf.push(c);
            i += c.len_utf8();
        }
        push_text(out, buf, marks);
    }

    /// An emphasis opening at `i` with its closer before `end`: (delimiter length, mark,
    /// closer position).
    fn emphasis_at(&self, i: usize, end: usize) -> Option<(usize, Marks, usize)> {
        for (delim, mark) in DELIMITERS {
            if !self.src[i..end].starts_with(delim) {
                continue;
            }
            let len = delim.len();
            let ch = delim.as_bytes()[0];
            let after = char_at(self.src, i + len);
            if after.is_none_or(char::is_whitespace) {
                continue;
            }
            if ch == b'_' && char_before(self.src, i).is_some_and(char::is_alphanumeric) {
                continue;
            }
            if let Some(close) = self.closers.find(i + len, end, ch, len) {
                return Some((len, mark, close));
            }
        }
        None
    }

    /// `@name` (the text after `@`, before `end`): the longest run of up to
    /// [`MAX_MENTION_WORDS`] words the resolver knows, minus trailing punctuation;
    /// `@everyone` and `@here` are built in when the resolver declines them.
    fn mention_at(&self, from: usize, end: usize) -> Option<(usize, Inline)> {
        let rest = &self.src[from..end];
        let mut window = rest.len().min(MAX_MENTION_BYTES);
        while !rest.is_char_boundary(window) {
            window -= 1;
        }
        let cut = window < rest.len();
        let rest = &rest[..window];
        // Candidate ends: after each of the first few words (not a word the window cut).
        let mut ends = Vec::new();
        let mut pos = 0;
        for word in rest.split(' ').take(MAX_MENTION_WORDS) {
            self.meter.add(word.len() + 1);
            if word.is_empty() || (cut && pos + word.len() == rest.len()) {
                break;
            }
            pos += word.len();
            ends.push(pos);
            pos += 1;
        }
        for &e in ends.iter().rev() {
            let name = rest[..e].trim_end_matches(|c: char| ",.!?;:)]}'\"*~|`".contains(c));
            self.meter.add(1 + e - name.len());
            if name.is_empty() || self.spans.overlaps(from, from + name.len()) {
                continue;
            }
            let resolved = (self.resolve)(name).or_else(|| builtin_mention(name));
            if let Some(ResolvedMention { kind, id, label }) = resolved {
                return Some((name.len(), Inline::Mention { kind, id, label }));
            }
        }
        None
    }
}

/// `@everyone` and `@here`.
pub(super) fn builtin_mention(name: &str) -> Option<ResolvedMention> {
    match name {
        "everyone" => Some(ResolvedMention::new(
            MentionKind::Everyone,
            "everyone",
            "@everyone",
        )),
        "here" => Some(ResolvedMention::new(MentionKind::Here, "here", "@here")),
        _ => None,
    }
}
