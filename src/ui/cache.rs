//! The layout cache: wrapped message bodies per (message id, width, spoilers revealed),
//! so drawing a frame lays out only messages whose layout is not known yet.
//!
//! Rule: an entry is valid only while the content it was made from is unchanged; the cache
//! keeps a copy of that content and compares on lookup (cheap next to wrapping, and correct
//! whatever path changed the message). Memory is bounded: two generations, the older one
//! dropped when the newer fills up, so entries used in recent frames survive.

use std::collections::HashMap;
use std::rc::Rc;

use ratatui::text::Line;

use crate::app::{MessageId, UserId};
use crate::protocol::content::RichText;

/// Entries kept per generation: several screens of messages (a frame draws at most a few
/// hundred). Each entry holds a message's content and wrapped lines; 4,096 cost about 8 MiB of
/// RSS once many channels had been read back (BENCHMARKS.md, "Memory").
pub const GENERATION_CAPACITY: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    id: MessageId,
    width: u16,
    revealed: bool,
}

#[derive(Debug)]
struct Entry {
    content: RichText,
    lines: Rc<Vec<Line<'static>>>,
}

/// Cached body layouts. Also remembers the session user id the layouts were made for (their
/// mentions are highlighted), and drops everything when it changes.
#[derive(Debug, Default)]
pub struct LayoutCache {
    current: HashMap<Key, Entry>,
    previous: HashMap<Key, Entry>,
    me: UserId,
    hits: u64,
    misses: u64,
}

impl LayoutCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Forget every layout if they were made for another user.
    pub fn set_user(&mut self, me: &UserId) {
        if self.me != *me {
            self.current.clear();
            self.previous.clear();
            self.me.clone_from(me);
        }
    }

    /// The lines of a message body: cached, or made by `layout` and remembered.
    pub fn get_or_layout(
        &mut self,
        id: &MessageId,
        width: u16,
        revealed: bool,
        content: &RichText,
        layout: impl FnOnce() -> Vec<Line<'static>>,
    ) -> Rc<Vec<Line<'static>>> {
        let key = Key {
            id: id.clone(),
            width,
            revealed,
        };
        let fresh = |e: &Entry| e.content == *content;
        if self.current.get(&key).is_some_and(fresh) {
            self.hits += 1;
        } else {
            let entry = match self.previous.remove(&key) {
                Some(e) if fresh(&e) => {
                    self.hits += 1;
                    e
                }
                _ => {
                    self.misses += 1;
                    Entry {
                        content: content.clone(),
                        lines: Rc::new(layout()),
                    }
                }
            };
            if self.current.len() >= GENERATION_CAPACITY {
                self.previous = std::mem::take(&mut self.current);
            }
            self.current.insert(key.clone(), entry);
        }
        self.current
            .get(&key)
            .map_or_else(Rc::default, |e| Rc::clone(&e.lines))
    }

    /// (hits, misses) since creation: for tests and the benchmark.
    pub fn stats(&self) -> (u64, u64) {
        (self.hits, self.misses)
    }

    /// Number of layouts held.
    pub fn len(&self) -> usize {
        self.current.len() + self.previous.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::content::{Block, Inline, Marks};

    fn body(s: &str) -> RichText {
        RichText {
            blocks: vec![Block::Paragraph(vec![Inline::Text {
                text: s.into(),
                marks: Marks::NONE,
            }])],
        }
    }

    #[test]
    fn reuses_layout_until_content_or_width_changes() {
        let mut cache = LayoutCache::new();
        let mut calls = 0;
        let mut get = |cache: &mut LayoutCache, text: &str, width| {
            cache
                .get_or_layout(&"m1".into(), width, false, &body(text), || {
                    calls += 1;
                    vec![Line::from(text.to_owned())]
                })
                .to_vec()
        };
        get(&mut cache, "a", 10);
        get(&mut cache, "a", 10);
        assert_eq!(cache.stats(), (1, 1));
        let edited = get(&mut cache, "b", 10);
        assert_eq!(edited[0].to_string(), "b");
        get(&mut cache, "b", 20);
        assert_eq!(cache.stats(), (1, 3));
        let _ = get;
        assert_eq!(calls, 3);
    }

    #[test]
    fn stays_bounded() {
        let mut cache = LayoutCache::new();
        let content = body("x");
        for i in 0..(GENERATION_CAPACITY * 3) {
            cache.get_or_layout(&i.to_string().into(), 10, false, &content, Vec::new);
        }
        assert!(cache.len() <= GENERATION_CAPACITY * 2);
    }
}
