//! Where an emphasis delimiter closes, answered from tables built once per line instead of a
//! scan ahead for every opener (which made a line of unclosed openers quadratic, and cubic
//! with code spans in it).
//!
//! The search for a closer walks right from the opener's content: a protected span is one
//! step to its end, `\` skips the next byte, a run of the delimiter's character is one step
//! (the run may hold the closer), any other byte is one step. So each position has one
//! successor whatever the opener, and the walks form a tree rooted past the end of the line.
//! For each delimiter character present, a table holds every position's successor, the first
//! position on its walk whose run closes (judged on the whole run), and skip pointers (Myers'
//! jump pointers) that find the last step before a given end in O(log n).
//!
//! The one subtlety is the end of the enclosing emphasis: a run that crosses it is cut there
//! and judged on what is left (so `***x***` nests as bold around italic).
//!
//! Rule: tables are built lazily, one O(n) pass per delimiter character used; each query is
//! O(log n). Pure, no IO.

use std::cell::OnceCell;

use super::spans::Spans;
use super::{Meter, char_at, char_before};

/// No position (the walk leaves the line first).
const NONE: u32 = u32::MAX;

/// The characters emphasis delimiters are made of.
const CHARS: [u8; 4] = [b'*', b'_', b'~', b'|'];

/// Closer lookups for one line.
pub(super) struct Closers<'a> {
    src: &'a str,
    spans: &'a Spans<'a>,
    meter: &'a Meter,
    tables: [OnceCell<Table>; 4],
}

/// The walk tree for one delimiter character, over positions `0..=n` (`n` is the root).
struct Table {
    /// The next step of the walk from each position.
    next: Vec<u32>,
    /// A farther step of the same walk (an ancestor), for skipping ahead.
    jump: Vec<u32>,
    /// Per delimiter length (1, 2): the first position at or after this one on its walk
    /// whose whole run holds a closer; [`NONE`] if none.
    first_closing: [Vec<u32>; 2],
}

impl<'a> Closers<'a> {
    pub(super) fn new(src: &'a str, spans: &'a Spans<'a>, meter: &'a Meter) -> Self {
        Closers {
            src,
            spans,
            meter,
            tables: Default::default(),
        }
    }

    /// The closing delimiter (`ch` repeated `len` times, `len` 1 or 2) for content starting
    /// at `from`, before `end`: at least one character of content, outside protected spans
    /// and escapes. Within a run of `ch`, a single delimiter closes only on an odd run and a
    /// double one at the run's end, so `***x***`-style nesting pairs up.
    pub(super) fn find(&self, from: usize, end: usize, ch: u8, len: usize) -> Option<usize> {
        // The walk starts one byte in (content is never empty) and must leave room for the
        // delimiter before `end`.
        let start = from + 1;
        let limit = (end + 1).checked_sub(len)?;
        if start >= limit || !(1..=2).contains(&len) {
            return None;
        }
        let slot = CHARS.iter().position(|&c| c == ch)?;
        let table =
            self.tables[slot].get_or_init(|| Table::build(self.src, self.spans, ch, self.meter));
        self.meter.add(1);
        let first = table.first_closing[len - 1][start];
        if first != NONE && (first as usize) < limit {
            // Every step before it is judged as it would be with the end in place; only this
            // run may be cut by the end.
            let at = first as usize;
            let run_end = table.next[at] as usize;
            return closing_in_run(self.src, at, run_end.min(end) - at, ch, len);
        }
        // No whole run closes before the end; the last step's run may still close once cut.
        let last = table.last_step_before(start, limit, self.meter);
        let cut = table.next[last] as usize > end
            && self.src.as_bytes()[last] == ch
            && self.spans.covering(last).is_none();
        if cut {
            closing_in_run(self.src, last, end - last, ch, len)
        } else {
            None
        }
    }
}

impl Table {
    fn build(src: &str, spans: &Spans<'_>, ch: u8, meter: &Meter) -> Table {
        let bytes = src.as_bytes();
        let n = bytes.len();
        let root = n as u32;
        let mut next = vec![root; n + 1];
        let mut jump = vec![root; n + 1];
        let mut depth = vec![0u32; n + 1];
        let mut first_closing = [vec![NONE; n + 1], vec![NONE; n + 1]];
        meter.add(n + 1);
        // Right to left: every successor is already done. `spans` walks back alongside.
        let mut spans = spans.list().iter().rev().peekable();
        let mut run_end = n;
        for j in (0..n).rev() {
            while spans.next_if(|s| s.start > j).is_some() {}
            let covered_to = spans.peek().filter(|s| j < s.end).map(|s| s.end);
            if bytes[j] == ch && bytes.get(j + 1) != Some(&ch) {
                run_end = j + 1;
            }
            let (succ, is_run) = match covered_to {
                Some(span_end) => (span_end, false),
                None if bytes[j] == b'\\' => ((j + 2).min(n), false),
                None if bytes[j] == ch => (run_end, true),
                None => (j + 1, false),
            };
            next[j] = succ as u32;
            depth[j] = depth[succ] + 1;
            // Skew-binary jump pointers: the jumps from any position reach the root in
            // O(log n) hops, and any ancestor in O(log n) jumps and steps.
            let far = jump[succ] as usize;
            let farther = jump[far] as usize;
            jump[j] = if depth[succ] - depth[far] == depth[far] - depth[farther] {
                farther as u32
            } else {
                succ as u32
            };
            for (len, table) in (1..=2).zip(&mut first_closing) {
                table[j] = if is_run && closing_in_run(src, j, succ - j, ch, len).is_some() {
                    j as u32
                } else {
                    table[succ]
                };
            }
        }
        Table {
            next,
            jump,
            first_closing,
        }
    }

    /// The last position of the walk from `start` that is before `limit` (`start < limit`).
    fn last_step_before(&self, start: usize, limit: usize, meter: &Meter) -> usize {
        let mut at = start;
        loop {
            meter.add(1);
            let succ = self.next[at] as usize;
            if succ >= limit {
                return at;
            }
            // Positions grow along the walk, so a jump that stays before `limit` skips only
            // steps that are before it too.
            let far = self.jump[at] as usize;
            at = if far < limit { far } else { succ };
        }
    }
}

/// The closer within the run of `run` × `ch` at `at`, if it closes a `len` delimiter: the
/// char before the closer is not whitespace, and an `_` closer is not followed by a letter
/// or digit (intraword `_` stays text).
fn closing_in_run(src: &str, at: usize, run: usize, ch: u8, len: usize) -> Option<usize> {
    let close = match (len, run) {
        (1, r) if r % 2 == 1 => at + r - 1,
        (2, 2 | 3) => at + run - 2,
        _ => return None,
    };
    let before_ok = char_before(src, close).is_some_and(|p| !p.is_whitespace());
    let after_ok = ch != b'_' || char_at(src, close + len).is_none_or(|a| !a.is_alphanumeric());
    (before_ok && after_ok).then_some(close)
}
