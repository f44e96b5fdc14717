//! The markdown parser as it was before its inline parser was indexed: the same dialect,
//! but a scan ahead for every opener (quadratic on a line of unclosed openers, cubic with
//! code spans in it). Kept, for tests only, as the oracle the fast parser must agree with
//! on every input below the markdown cap (`hostile_tests`).

use linkify::{LinkFinder, LinkKind};

use crate::content::build::push_text;
use crate::content::{Block, Inline, Marks, MentionKind, ResolvedMention, RichText};

/// Deepest nesting of inline marks; deeper delimiters stay literal text.
const MAX_INLINE_DEPTH: usize = 8;

/// How many space-separated words an `@mention` may span (`@GAPI Testing Account`).
const MAX_MENTION_WORDS: usize = 4;

/// Parse user input.
pub(super) fn parse(input: &str, resolve: &dyn Fn(&str) -> Option<ResolvedMention>) -> RichText {
    let lines: Vec<&str> = if input.is_empty() {
        Vec::new()
    } else {
        input
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect()
    };
    let inline = |text: &str| parse_inlines(text, resolve);
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

/// A stretch of the line that emphasis never looks into.
struct Span {
    start: usize,
    end: usize,
    kind: SpanKind,
}

enum SpanKind {
    /// `` `code` ``: the content between the backtick runs.
    Code { from: usize, to: usize },
    /// A bare URL.
    Url,
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
        .filter(|l| {
            let s = l.as_str();
            s.get(..7)
                .is_some_and(|p| p.eq_ignore_ascii_case("http://"))
                || s.get(..8)
                    .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
        })
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

fn run_len(bytes: &[u8], at: usize, b: u8) -> usize {
    bytes[at..].iter().take_while(|&&c| c == b).count()
}

/// Emphasis delimiters, longest first.
const DELIMITERS: [(&str, Marks); 6] = [
    ("**", Marks::BOLD),
    ("__", Marks::UNDERLINE),
    ("~~", Marks::STRIKETHROUGH),
    ("||", Marks::SPOILER),
    ("*", Marks::ITALIC),
    ("_", Marks::ITALIC),
];

impl Inlines<'_> {
    fn span_at(&self, i: usize) -> Option<&Span> {
        self.spans.iter().find(|s| s.start == i)
    }

    fn span_covering(&self, i: usize) -> Option<&Span> {
        self.spans.iter().find(|s| s.start <= i && i < s.end)
    }

    fn char_before(&self, i: usize) -> Option<char> {
        self.src.get(..i).and_then(|s| s.chars().next_back())
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.src.get(i..).and_then(|s| s.chars().next())
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
                && self
                    .char_before(i)
                    .is_none_or(|c| c.is_whitespace() || "([{\"'".contains(c))
                && let Some((consumed, mention)) = self.mention_at(i + 1, end)
            {
                push_text(out, std::mem::take(&mut buf), marks);
                out.push(mention);
                i += 1 + consumed;
                continue;
            }
            let Some(c) = self.char_at(i) else { break };
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
            let after = self.char_at(i + len);
            if after.is_none_or(char::is_whitespace) {
                continue;
            }
            if word_bound && self.char_before(i).is_some_and(char::is_alphanumeric) {
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
                        let before_ok =
                            self.char_before(c).is_some_and(|p| !p.is_whitespace()) && c > from;
                        let after_ok = !word_bound
                            || self.char_at(c + len).is_none_or(|a| !a.is_alphanumeric());
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

/// `@everyone` and `@here`.
fn builtin_mention(name: &str) -> Option<ResolvedMention> {
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
