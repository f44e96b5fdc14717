//! The web links of a message, for `open_link` and the timeline's hyperlinks: link inlines,
//! media and embed URLs, and bare URLs in the text, in reading order, each once.
//!
//! Only `http`/`https`: a message must not make the system opener run a `file:` or custom
//! scheme handler.

use linkify::{LinkFinder, LinkKind};

use crate::protocol::content::{Block, Inline, RichText};

/// The most links offered for one message (the picker stays short; a hostile message cannot
/// make it grow).
pub const MAX_LINKS: usize = 20;

/// The message's web links, in order, without repeats.
pub fn links(content: &RichText) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |url: &str| {
        let url = url.trim();
        if out.len() < MAX_LINKS && is_web(url) && !out.iter().any(|u| u == url) {
            out.push(url.to_owned());
        }
    };
    for block in &content.blocks {
        match block {
            Block::Paragraph(inlines) | Block::Heading { inlines, .. } => {
                inline_links(inlines, &mut add);
            }
            Block::Quote(lines) | Block::List { items: lines, .. } => {
                for inlines in lines {
                    inline_links(inlines, &mut add);
                }
            }
            Block::Media { url, .. } => add(url),
            Block::Embeds(embeds) => {
                for e in embeds {
                    for url in [&e.url, &e.image, &e.thumbnail].into_iter().flatten() {
                        add(url);
                    }
                }
            }
            Block::Unknown { text, .. } => text_links(text, &mut add),
            Block::Code { .. } | Block::Divider => {}
        }
    }
    out
}

fn inline_links(inlines: &[Inline], add: &mut impl FnMut(&str)) {
    for inline in inlines {
        match inline {
            Inline::Link { href, .. } => add(href),
            Inline::Text { text, .. } => text_links(text, add),
            _ => {}
        }
    }
}

fn text_links(text: &str, add: &mut impl FnMut(&str)) {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    for link in finder.links(text) {
        add(link.as_str());
    }
}

/// `http://` or `https://` (any case) with something after it.
pub fn is_web(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("http://") && url.len() > 7)
        || (lower.starts_with("https://") && url.len() > 8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::content::{Marks, MediaKind};

    fn text(s: &str) -> Inline {
        Inline::Text {
            text: s.into(),
            marks: Marks::default(),
        }
    }

    #[test]
    fn links_come_in_reading_order_once_and_only_for_the_web() {
        let content = RichText {
            blocks: vec![
                Block::Paragraph(vec![
                    text("see https://a.example/x and "),
                    Inline::Link {
                        href: "https://b.example/".into(),
                        label: "b".into(),
                    },
                    text(" or file:///etc/passwd, javascript:alert(1)"),
                ]),
                Block::Code {
                    language: None,
                    lines: vec!["https://in.code/".into()],
                },
                Block::Quote(vec![vec![text("again https://a.example/x")]]),
                Block::Media {
                    kind: MediaKind::Image,
                    url: "https://img.example/1.png".into(),
                },
                Block::Paragraph(vec![Inline::Link {
                    href: "ftp://old.example/".into(),
                    label: "ftp".into(),
                }]),
            ],
        };
        assert_eq!(
            links(&content),
            vec![
                "https://a.example/x",
                "https://b.example/",
                "https://img.example/1.png"
            ]
        );
    }

    #[test]
    fn a_hostile_message_offers_a_bounded_list() {
        let many = (0..500)
            .map(|i| format!("https://x.example/{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let content = RichText {
            blocks: vec![Block::Paragraph(vec![text(&many)])],
        };
        assert_eq!(links(&content).len(), MAX_LINKS);
        assert!(!is_web("https://") && !is_web("http") && is_web("HTTPS://x"));
    }
}
