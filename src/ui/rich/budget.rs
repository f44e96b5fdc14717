//! How much of one message is laid out. Guilded caps a message at 4,000 characters, but a
//! hostile server can send a body of any size: a 60,000-character word, 100,000 empty code
//! lines, thousands of mentions. Beyond [`MAX_LAYOUT_COST`] the rest of the body is left
//! out (and the layout says so), so one message is always laid out in a few milliseconds.
//!
//! Rule: the cost is text bytes plus [`ITEM_COST`] per block, inline, line, embed and field,
//! so empty items count too. A body within the cap is laid out as it is (borrowed).

use std::borrow::Cow;

use crate::protocol::content::{Block, Embed, Inline, RichText};

/// The most a message body may cost before the rest is left out: 32 KiB of text, twice
/// the largest legitimate message (4,000 four-byte characters).
pub(super) const MAX_LAYOUT_COST: usize = 32 * 1024;

/// What each item costs besides its text (a span, a line, a prefix to build).
const ITEM_COST: usize = 16;

/// The body to lay out, and whether some of it was left out.
pub(super) fn capped(text: &RichText) -> (Cow<'_, RichText>, bool) {
    if cost(text) <= MAX_LAYOUT_COST {
        return (Cow::Borrowed(text), false);
    }
    let mut budget = Budget {
        left: MAX_LAYOUT_COST,
    };
    let mut blocks = Vec::new();
    for block in &text.blocks {
        if !budget.item() {
            break;
        }
        blocks.push(budget.block(block));
    }
    (Cow::Owned(RichText { blocks }), true)
}

/// The cost of a whole body.
fn cost(text: &RichText) -> usize {
    let inlines = |list: &[Inline]| -> usize {
        list.iter()
            .map(|i| {
                ITEM_COST
                    + match i {
                        Inline::Text { text, .. } => text.len(),
                        Inline::Mention { label, .. }
                        | Inline::Channel { label, .. }
                        | Inline::Emoji { label, .. } => label.len(),
                        Inline::Link { href, label } => href.len() + label.len(),
                    }
            })
            .sum()
    };
    let lines =
        |list: &[Vec<Inline>]| -> usize { list.iter().map(|l| ITEM_COST + inlines(l)).sum() };
    text.blocks
        .iter()
        .map(|b| {
            ITEM_COST
                + match b {
                    Block::Paragraph(list) | Block::Heading { inlines: list, .. } => inlines(list),
                    Block::Quote(list) | Block::List { items: list, .. } => lines(list),
                    Block::Code { language, lines } => {
                        language.as_ref().map_or(0, String::len)
                            + lines.iter().map(|l| ITEM_COST + l.len()).sum::<usize>()
                    }
                    Block::Divider => 0,
                    Block::Media { url, .. } => url.len(),
                    Block::Embeds(embeds) => embeds.iter().map(embed_cost).sum(),
                    Block::Unknown { text, .. } => text.len(),
                }
        })
        .sum()
}

fn embed_cost(e: &Embed) -> usize {
    let singles = [
        &e.title,
        &e.description,
        &e.url,
        &e.author,
        &e.footer,
        &e.image,
        &e.thumbnail,
    ];
    ITEM_COST
        + singles
            .into_iter()
            .flatten()
            .map(String::len)
            .sum::<usize>()
        + e.fields
            .iter()
            .map(|f| ITEM_COST + f.name.len() + f.value.len())
            .sum::<usize>()
}

/// What is left to spend.
struct Budget {
    left: usize,
}

impl Budget {
    /// Pay for one more item; false when nothing is left.
    fn item(&mut self) -> bool {
        if self.left < ITEM_COST {
            self.left = 0;
            return false;
        }
        self.left -= ITEM_COST;
        true
    }

    /// As much of `s` as is left to spend (cut at a character boundary).
    fn text(&mut self, s: &str) -> String {
        let mut cut = s.len().min(self.left);
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        self.left -= cut;
        s[..cut].to_owned()
    }

    fn block(&mut self, block: &Block) -> Block {
        match block {
            Block::Paragraph(list) => Block::Paragraph(self.inlines(list)),
            Block::Heading { large, inlines } => Block::Heading {
                large: *large,
                inlines: self.inlines(inlines),
            },
            Block::Quote(lines) => Block::Quote(self.lines(lines)),
            Block::List { ordered, items } => Block::List {
                ordered: *ordered,
                items: self.lines(items),
            },
            Block::Code { language, lines } => Block::Code {
                language: language.as_deref().map(|l| self.text(l)),
                lines: lines
                    .iter()
                    .map_while(|l| self.item().then(|| self.text(l)))
                    .collect(),
            },
            Block::Divider => Block::Divider,
            Block::Media { kind, url } => Block::Media {
                kind: *kind,
                url: self.text(url),
            },
            Block::Embeds(embeds) => Block::Embeds(
                embeds
                    .iter()
                    .map_while(|e| self.item().then(|| self.embed(e)))
                    .collect(),
            ),
            Block::Unknown { kind, text } => Block::Unknown {
                kind: kind.clone(),
                text: self.text(text),
            },
        }
    }

    fn lines(&mut self, lines: &[Vec<Inline>]) -> Vec<Vec<Inline>> {
        lines
            .iter()
            .map_while(|l| self.item().then(|| self.inlines(l)))
            .collect()
    }

    fn inlines(&mut self, list: &[Inline]) -> Vec<Inline> {
        list.iter()
            .map_while(|i| self.item().then(|| self.inline(i)))
            .collect()
    }

    fn inline(&mut self, inline: &Inline) -> Inline {
        match inline {
            Inline::Text { text, marks } => Inline::Text {
                text: self.text(text),
                marks: *marks,
            },
            Inline::Mention { kind, id, label } => Inline::Mention {
                kind: *kind,
                id: id.clone(),
                label: self.text(label),
            },
            Inline::Channel { id, label } => Inline::Channel {
                id: id.clone(),
                label: self.text(label),
            },
            Inline::Emoji { id, label } => Inline::Emoji {
                id: *id,
                label: self.text(label),
            },
            Inline::Link { href, label } => Inline::Link {
                href: self.text(href),
                label: self.text(label),
            },
        }
    }

    fn embed(&mut self, e: &Embed) -> Embed {
        let mut one = |s: &Option<String>| s.as_deref().map(|s| self.text(s));
        let mut out = Embed {
            title: one(&e.title),
            description: one(&e.description),
            url: one(&e.url),
            color: e.color,
            author: one(&e.author),
            footer: one(&e.footer),
            fields: Vec::new(),
            image: one(&e.image),
            thumbnail: one(&e.thumbnail),
        };
        out.fields = e
            .fields
            .iter()
            .map_while(|f| {
                self.item().then(|| {
                    let mut f = f.clone();
                    f.name = self.text(&f.name);
                    f.value = self.text(&f.value);
                    f
                })
            })
            .collect();
        out
    }
}
