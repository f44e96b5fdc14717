//! The markdown parser's inline part as it was before it was indexed: the same dialect, but
//! a scan ahead for every opener (quadratic on a line of unclosed openers, cubic with code
//! spans in it). Kept, for tests only, as the oracle the fast inline parser must agree with on
//! every input below the markdown cap (`hostile_tests`). The block structure, the dialect's
//! tables (delimiters, limits, built-in mentions) and the small helpers are the parser's own;
//! only the search algorithms are the old ones.

use linkify::{LinkFinder, LinkKind};

use super::inline::{DELIMITERS, MAX_INLINE_DEPTH, MAX_MENTION_WORDS, builtin_mention};
use super::spans::{Span, SpanKind, is_web_url, run_len};
use super::{blocks, char_at, char_before};
use crate::content::build::push_text;
use crate::content::{Inline, Marks, ResolvedMention, RichText};

/// Parse user input.
pub(super) fn parse(input: &str, resolve: &dyn Fn(&str) -> Option<ResolvedMention>) -> RichText {
    blocks(input, |text| parse_inlines(text, resolve))
}

struct Inlines<'a> {
    src: &'a str,
    spans: Vec<Span>,
    resolve: &'a dyn Fn(&str) -> Option<ResolvedMention>,
}

/// Parse one line of inline markdown.
pub(super) fn parse_inlines(
    src: &str,
    resolve: &dyn Fn(&str) -> Option<ResolvedMention>,
) -> Vec<Inline> {
    let spans = protected_spans(src);
    let p = Inlines {
        src,
        spans,
        resolve,
    };
    let mut out = Vec::new();
    p.parse(0, src.len(), Marks::NONE, 0, &mut out);
    out
}

/// Code spans, then the URLs outside them, in order.
fn protected_spans(src: &str) -> Vec<Span> {
    let bytes = src.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => {
                let run = run_len(bytes, i, b'`');
                let from = i + run;
                // The next run of exactly the same length closes it.
                let mut j = from;
                let mut close = None;
                while j < bytes.len() {
                    if bytes[j] == b'`' {
                        let r = run_len(bytes, j, b'`');
                        if r == run {
                            close = Some(j);
                            break;
                        }
                        j += r;
                    } else {
                        j += 1;
                    }
                }
                match close {
                    Some(to) if to > from => {
                        spans.push(Span {
                            start: i,
                            end: to + run,
                            kind: SpanKind::Code { from, to },
                        });
                        i = to + run;
                    }
                    _ => i = from,
                }
            }
            _ => i += 1,
        }
    }
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    let code = std::mem::take(&mut spans);
    let mut urls: Vec<Span> = finder
        .links(src)
        .filter(|l| is_web_url(l.as_str()))
        .filter(|l| !code.iter().any(|c| l.start() < c.end && c.start < l.end()))
        .map(|l| Span {
            start: l.start(),
            end: l.end(),
            kind: SpanKind::Url,
        })
        .collect();
    spans = code;
    spans.append(&mut urls);
    spans.sort_by_key(|s| s.start);
    spans
}

impl Inlines<'_> {
    fn span_at(&self, i: usize) -> Option<&Span> {
        self.spans.iter().find(|s| s.start == i)
    }

    fn span_covering(&self, i: usize) -> Option<&Span> {
        self.spans.iter().find(|s| s.start <= i && i < s.end)
    }

    fn parse(&self, start: usize, end: usize, marks: Marks, depth: usize, out: &mut Vec<Inline>) {
        let bytes = self.src.as_bytes();
        let mut buf = String::new();
        let mut i = start;
        while i < end {
            if let Some(span) = self.span_at(i).filter(|s| s.end <= end) {
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
            let word_bound = delim.starts_with('_');
            let after = char_at(self.src, i + len);
            if after.is_none_or(char::is_whitespace) {
                continue;
            }
            if word_bound && char_before(self.src, i).is_some_and(char::is_alphanumeric) {
                continue;
            }
            if let Some(close) = self.find_closer(i + len, end, delim) {
                return Some((len, mark, close));
            }
        }
        None
    }

    /// The closing delimiter after `from` (content at least one char), outside protected
    /// spans and escapes. Within a run of the delimiter character, a single delimiter closes
    /// only on an odd run and a double one at the run's end, so `***x***`-style nesting
    /// pairs up.
    fn find_closer(&self, from: usize, end: usize, delim: &str) -> Option<usize> {
        let bytes = self.src.as_bytes();
        let ch = delim.as_bytes()[0];
        let len = delim.len();
        let word_bound = ch == b'_';
        let mut j = from + 1;
        while j + len <= end {
            if let Some(span) = self.span_covering(j) {
                j = span.end;
                continue;
            }
            match bytes[j] {
                b'\\' => j += 2,
                c if c == ch => {
                    let run = run_len(&bytes[..end], j, ch);
                    let candidate = match (len, run) {
                        (1, r) if r % 2 == 1 => Some(j + r - 1),
                        (2, 2 | 3) => Some(j + run - 2),
                        _ => None,
                    };
                    if let Some(c) = candidate {
                        let before_ok = char_before(self.src, c)
                            .is_some_and(|p| !p.is_whitespace())
                            && c > from;
                        let after_ok = !word_bound
                            || char_at(self.src, c + len).is_none_or(|a| !a.is_alphanumeric());
                        if before_ok && after_ok {
                            return Some(c);
                        }
                    }
                    j += run;
                }
                _ => j += 1,
            }
        }
        None
    }

    /// `@name` (the text after `@`, before `end`): the longest run of up to
    /// [`MAX_MENTION_WORDS`] words the resolver knows, minus trailing punctuation;
    /// `@everyone` and `@here` are built in when the resolver declines them.
    fn mention_at(&self, from: usize, end: usize) -> Option<(usize, Inline)> {
        let rest = &self.src[from..end];
        // Candidate ends: after each of the first few words.
        let mut ends = Vec::new();
        let mut pos = 0;
        for word in rest.split(' ').take(MAX_MENTION_WORDS) {
            if word.is_empty() {
                break;
            }
            pos += word.len();
            ends.push(pos);
            pos += 1;
        }
        for &e in ends.iter().rev() {
            let name = rest[..e].trim_end_matches(|c: char| ",.!?;:)]}'\"*~|`".contains(c));
            if name.is_empty()
                || self
                    .spans
                    .iter()
                    .any(|s| s.start < from + name.len() && from < s.end)
            {
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
