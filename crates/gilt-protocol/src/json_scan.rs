//! A validating JSON skipper: where a value ends, and whether it is JSON exactly as
//! serde_json reads it, without building anything. The event decoder uses it to cut a
//! message body out of a frame in one cheap pass (serde_json's own skip costs several
//! times more per byte: it is written for any reader, one token at a time).
//!
//! Rule: accepts exactly what `serde_json::from_str::<&RawValue>` accepts for the same
//! text (checked by a differential property test and the `frame` fuzz target); no
//! recursion (nesting of any depth costs one bit per level); never panics.
#![allow(
    clippy::inline_always,
    reason = "the string and key steps inlined into the loop: a quarter fewer instructions per frame (callgrind)"
)]

/// Calls `string` for every string value (not for keys: what a document means is in its
/// values, and half of a document's strings are keys) with its raw bytes between the quotes
/// and whether they hold a `\u` escape (the only escape that can spell a letter).
pub(crate) trait Tokens {
    fn string(&mut self, raw: &[u8], unicode_escape: bool);
}

/// For skips whose strings nobody looks at.
pub(crate) struct Ignore;

impl Tokens for Ignore {
    #[inline]
    fn string(&mut self, _: &[u8], _: bool) {}
}

/// The index of the first byte at or after `i` that is not JSON whitespace.
#[inline(always)]
pub(crate) fn skip_ws(b: &[u8], mut i: usize) -> usize {
    // Compact JSON has none: one comparison in the common case.
    while let Some(&c) = b.get(i)
        && c <= b' '
        && matches!(c, b' ' | b'\n' | b'\t' | b'\r')
    {
        i += 1;
    }
    i
}

const ONES: u64 = u64::MAX / 255;
const HIGHS: u64 = ONES << 7;

/// From `i`, the index of the first `"`, `\\` or control byte (or the end), eight bytes at
/// a time: in each word, such bytes get their high bit set (the lowest one exactly, which is
/// all that is used; serde_json's string scan works the same way).
#[inline(always)]
fn string_special(b: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        let found = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (w.wrapping_sub(ONES * 0x20) & !w);
        let found = found & HIGHS;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

/// `b[i]` is the byte after an opening quote: the index after the closing quote, or None
/// when the string is malformed (a control character, a bad escape, no end).
#[inline(always)]
pub(crate) fn skip_string(b: &[u8], mut i: usize, tokens: &mut impl Tokens) -> Option<usize> {
    let start = i;
    let mut unicode_escape = false;
    loop {
        i = string_special(b, i);
        match *b.get(i)? {
            b'"' => break,
            b'\\' => match *b.get(i + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                b'u' => {
                    let hex = b.get(i + 2..i + 6)?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return None;
                    }
                    unicode_escape = true;
                    i += 6;
                }
                _ => return None,
            },
            0x00..=0x1f => return None,
            _ => i += 1,
        }
    }
    tokens.string(&b[start..i], unicode_escape);
    Some(i + 1)
}

/// `b[i]` is the byte after an opening quote: the index of the closing quote when the
/// string has no escape (and no control character), else None.
#[inline]
pub(crate) fn plain_string_end(b: &[u8], i: usize) -> Option<usize> {
    let end = string_special(b, i);
    (*b.get(end)? == b'"').then_some(end)
}

/// A JSON number at `i` that is an integer (no fraction, no exponent): the index after it.
pub(crate) fn skip_integer(b: &[u8], i: usize) -> Option<usize> {
    let end = skip_number(b, i)?;
    b.get(i..end)?
        .iter()
        .all(|c| c.is_ascii_digit() || *c == b'-')
        .then_some(end)
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` from `i`: the index after it.
fn skip_number(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |b: &[u8], mut i: usize| {
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        (i > start).then_some(i)
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match *b.get(i)? {
        // One leading zero only.
        b'0' => {
            i += 1;
            if b.get(i).is_some_and(u8::is_ascii_digit) {
                return None;
            }
        }
        b'1'..=b'9' => i = digits(b, i)?,
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        i = digits(b, i + 1)?;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        i = digits(b, i)?;
    }
    Some(i)
}

/// One bit per open container (set: object) below a sentinel bit, in a word until nesting
/// passes 63; deeper words spill to the heap. The sentinel makes "anything open?" and "spill
/// now?" one comparison each.
struct Nesting {
    word: u64,
    spilled: Vec<u64>,
}

impl Nesting {
    fn new() -> Nesting {
        Nesting {
            word: 1,
            spilled: Vec::new(),
        }
    }

    #[inline(always)]
    fn push(&mut self, object: bool) {
        if self.word >> 63 != 0 {
            self.spilled.push(self.word);
            self.word = 1;
        }
        self.word = (self.word << 1) | u64::from(object);
    }

    #[inline(always)]
    fn pop(&mut self) {
        self.word >>= 1;
        if self.word == 1
            && let Some(word) = self.spilled.pop()
        {
            self.word = word;
        }
    }

    /// Whether no container is open (a popped-to-empty word always takes a spilled one back).
    #[inline(always)]
    fn is_empty(&self) -> bool {
        self.word == 1
    }

    /// Whether the innermost open container is an object.
    #[inline(always)]
    fn in_object(&self) -> bool {
        self.word & 1 == 1
    }
}

/// The first byte at or after `*i` that is not whitespace, with `*i` moved to it. Compact
/// JSON has none, so the common case is one load and one comparison.
#[inline(always)]
pub(crate) fn next_byte(b: &[u8], i: &mut usize) -> Option<u8> {
    match b.get(*i) {
        Some(&c) if c > b' ' => Some(c),
        _ => {
            *i = skip_ws(b, *i);
            b.get(*i).copied()
        }
    }
}

/// `b[i]` starts a value (whitespace already skipped): the index after it, or None when it
/// is not valid JSON.
pub(crate) fn skip_value(b: &[u8], mut i: usize, tokens: &mut impl Tokens) -> Option<usize> {
    let mut open = Nesting::new();
    'value: loop {
        // A value starts at `i`.
        match *b.get(i)? {
            b'"' => i = skip_string(b, i + 1, tokens)?,
            b'{' => {
                i += 1;
                if next_byte(b, &mut i)? == b'}' {
                    i += 1;
                } else {
                    open.push(true);
                    i = skip_key(b, i)?;
                    continue;
                }
            }
            b'[' => {
                i += 1;
                if next_byte(b, &mut i)? == b']' {
                    i += 1;
                } else {
                    open.push(false);
                    continue;
                }
            }
            b't' => i = literal(b, i, b"true")?,
            b'f' => i = literal(b, i, b"false")?,
            b'n' => i = literal(b, i, b"null")?,
            b'-' | b'0'..=b'9' => i = skip_number(b, i)?,
            _ => return None,
        }
        // A value ended before `i`: close containers until one goes on with a comma.
        while !open.is_empty() {
            let c = next_byte(b, &mut i)?;
            i += 1;
            if c == b',' {
                if open.in_object() {
                    next_byte(b, &mut i)?;
                    i = skip_key(b, i)?;
                } else {
                    i = skip_ws(b, i);
                }
                continue 'value;
            }
            // `}` closes an object, `]` an array.
            if c != if open.in_object() { b'}' } else { b']' } {
                return None;
            }
            open.pop();
        }
        return Some(i);
    }
}

/// `"key" :` from `i` (at the quote), then the whitespace before the value.
#[inline(always)]
fn skip_key(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut i = skip_string(b, i + 1, &mut Ignore)?;
    if next_byte(b, &mut i)? != b':' {
        return None;
    }
    i += 1;
    next_byte(b, &mut i)?;
    Some(i)
}

/// `word` at `i`: the index after it.
pub(crate) fn literal(b: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    (b.get(i..i + word.len())? == word).then_some(i + word.len())
}

#[cfg(test)]
mod tests;
