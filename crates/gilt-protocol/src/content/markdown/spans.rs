//! The stretches of a line that emphasis never looks into: code spans and bare URLs, found
//! once per line and kept sorted, so every lookup is a binary search.
//!
//! Rule: linear up to a log factor — each backtick run is matched against an index of the
//! runs by length instead of a scan to the end of the line. No IO.

use linkify::{LinkFinder, LinkKind};

use super::Meter;

/// A stretch of the line that emphasis never looks into.
pub(super) struct Span {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) kind: SpanKind,
}

pub(super) enum SpanKind {
    /// `` `code` ``: the content between the backtick runs.
    Code { from: usize, to: usize },
    /// A bare URL.
    Url,
}

/// The protected spans of one line: sorted by start and disjoint (so sorted by end too).
pub(super) struct Spans<'m> {
    list: Vec<Span>,
    meter: &'m Meter,
}

impl<'m> Spans<'m> {
    /// Code spans, then the URLs outside them.
    pub(super) fn find(src: &str, meter: &'m Meter) -> Self {
        let code = code_spans(src.as_bytes(), meter);
        let mut list = url_spans(src, &code, meter);
        list.extend(code);
        list.sort_by_key(|s| s.start);
        meter.add(list.len());
        Spans { list, meter }
    }

    /// The span that starts at `i`.
    pub(super) fn starting_at(&self, i: usize) -> Option<&Span> {
        self.meter.search(self.list.len());
        let at = self.list.partition_point(|s| s.start < i);
        self.list.get(at).filter(|s| s.start == i)
    }

    /// The span that holds byte `i`.
    pub(super) fn covering(&self, i: usize) -> Option<&Span> {
        covering(&self.list, i, self.meter)
    }

    /// Whether any span shares a byte with `from..to`.
    pub(super) fn overlaps(&self, from: usize, to: usize) -> bool {
        overlaps(&self.list, from, to, self.meter)
    }

    /// All spans, in order.
    pub(super) fn list(&self) -> &[Span] {
        &self.list
    }
}

fn covering<'s>(list: &'s [Span], i: usize, meter: &Meter) -> Option<&'s Span> {
    meter.search(list.len());
    let after = list.partition_point(|s| s.start <= i);
    after
        .checked_sub(1)
        .and_then(|at| list.get(at))
        .filter(|s| i < s.end)
}

fn overlaps(list: &[Span], from: usize, to: usize, meter: &Meter) -> bool {
    meter.search(list.len());
    let first = list.partition_point(|s| s.end <= from);
    list.get(first).is_some_and(|s| s.start < to)
}

/// Code spans: a run of backticks opens one, and the next run of exactly the same length
/// closes it (backslash escapes count only outside code). A run with no such closer is text.
fn code_spans(bytes: &[u8], meter: &Meter) -> Vec<Span> {
    // Every maximal run of backticks, as (length, start): the closer of an opener is the
    // first run of its length that starts after it.
    let mut runs = Vec::new();
    let mut k = 0;
    while k < bytes.len() {
        if bytes[k] == b'`' {
            let run = run_len(bytes, k, b'`');
            runs.push((run, k));
            k += run;
        } else {
            k += 1;
        }
    }
    meter.add(bytes.len());
    if runs.is_empty() {
        return Vec::new();
    }
    runs.sort_unstable();
    meter.add(runs.len());
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        meter.add(1);
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => {
                // An escape may leave `i` inside a run: the opener is the rest of it.
                let run = run_len(bytes, i, b'`');
                let from = i + run;
                meter.add(run);
                meter.search(runs.len());
                let next = runs.partition_point(|&r| r < (run, from));
                let close = runs.get(next).filter(|r| r.0 == run).map(|r| r.1);
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
    spans
}

/// Bare `http://` / `https://` URLs that do not overlap a code span.
fn url_spans(src: &str, code: &[Span], meter: &Meter) -> Vec<Span> {
    // linkify looks for a scheme around each `:`; no colon, no URL.
    if !src.contains(':') {
        return Vec::new();
    }
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    meter.add(src.len());
    finder
        .links(src)
        .filter(|l| is_web_url(l.as_str()))
        .filter(|l| !overlaps(code, l.start(), l.end(), meter))
        .map(|l| Span {
            start: l.start(),
            end: l.end(),
            kind: SpanKind::Url,
        })
        .collect()
}

/// Whether a link linkify found is a web URL (`http://` or `https://`, any case).
pub(super) fn is_web_url(link: &str) -> bool {
    let has_scheme = |scheme: &str| {
        link.get(..scheme.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(scheme))
    };
    has_scheme("http://") || has_scheme("https://")
}

/// How many `b` bytes start at `at`.
pub(super) fn run_len(bytes: &[u8], at: usize, b: u8) -> usize {
    bytes[at..].iter().take_while(|&&c| c == b).count()
}
