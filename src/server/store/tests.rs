//! The store built from the demo world: content and ordering checks.

#[cfg(test)]
use super::*;
use crate::protocol::content::{Block, Inline, Marks, MentionKind, RichText, parse_document_value};
use crate::server::world::World;
use jiff::Timestamp;

fn all_text(r: &RichText) -> String {
    format!("{r:?}")
}

#[test]
fn the_demo_world_has_every_kind_of_content_and_it_all_parses() {
    let world = World::demo().unwrap();
    let store = Store::from_world(&world, Timestamp::now()).unwrap();
    let messages: Vec<&Message> = store.messages.values().flatten().collect();
    assert!(messages.len() >= 250, "{}", messages.len());
    let parsed: Vec<RichText> = messages
        .iter()
        .map(|m| parse_document_value(&m.content).unwrap_or_else(|e| panic!("{}: {e}", m.id)))
        .collect();
    assert!(parsed.iter().all(|r| !r.plain_text().trim().is_empty()
        || r.blocks.iter().any(|b| matches!(b, Block::Embeds(_)))));
    let inlines: Vec<&Inline> = parsed
        .iter()
        .flat_map(|r| &r.blocks)
        .filter_map(|b| match b {
            Block::Paragraph(i) => Some(i),
            _ => None,
        })
        .flatten()
        .collect();
    let has_block = |f: &dyn Fn(&Block) -> bool| parsed.iter().flat_map(|r| &r.blocks).any(f);
    assert!(
        has_block(&|b| matches!(b, Block::Code { .. })),
        "code block"
    );
    assert!(has_block(&|b| matches!(b, Block::Quote(_))), "quote");
    assert!(
        has_block(&|b| matches!(b, Block::List { ordered: true, .. })),
        "ordered list"
    );
    assert!(
        has_block(&|b| matches!(b, Block::List { ordered: false, .. })),
        "list"
    );
    assert!(
        has_block(&|b| matches!(b, Block::Embeds(e) if !e.is_empty())),
        "embed"
    );
    let demo_mentions = inlines
        .iter()
        .filter(|i| matches!(i, Inline::Mention { kind: MentionKind::Person, id, .. } if *id == store.demo_user))
        .count();
    assert!(
        demo_mentions >= 5,
        "mentions of the demo user: {demo_mentions}"
    );
    assert!(inlines.iter().any(|i| matches!(
        i,
        Inline::Mention {
            kind: MentionKind::Everyone,
            ..
        }
    )));
    assert!(
        inlines.iter().any(|i| matches!(i, Inline::Link { .. })),
        "link"
    );
    assert!(
        inlines.iter().any(|i| matches!(i, Inline::Emoji { .. })),
        "emoji inline"
    );
    assert!(
        inlines.iter().any(|i| matches!(i, Inline::Channel { .. })),
        "channel mention"
    );
    for mark in [
        Marks::BOLD,
        Marks::ITALIC,
        Marks::UNDERLINE,
        Marks::STRIKETHROUGH,
        Marks::SPOILER,
        Marks::CODE,
    ] {
        assert!(
            inlines
                .iter()
                .any(|i| matches!(i, Inline::Text { marks, .. } if marks.contains(mark))),
            "mark {mark:?}"
        );
    }
    let text: String = parsed.iter().map(all_text).collect();
    assert!(text.contains("漢字") && text.contains("こんにちは"), "CJK");
    assert!(text.contains("مرحبا"), "right-to-left");
    assert!(text.contains('🎉'), "emoji characters");
    assert!(messages.iter().any(|m| !m.replies_to.is_empty()), "replies");
    assert!(messages.iter().any(|m| m.edited_at.is_some()), "edits");
    assert!(
        messages.iter().any(|m| !m.reactions.is_empty()),
        "reactions"
    );
    assert!(messages.iter().any(|m| m.pinned_by.is_some()), "pins");
}

#[test]
fn timestamps_strictly_increase_per_channel() {
    let world = World::demo().unwrap();
    let store = Store::from_world(&world, Timestamp::now()).unwrap();
    for list in store.messages.values() {
        assert!(list.windows(2).all(|w| w[0].created_at < w[1].created_at));
    }
}
