//! Protocol types (gateway events, REST models) → the client's own model types.
//!
//! Pure: no IO. Anything that cannot be converted (missing ids, unknown events) becomes
//! `None` and is ignored by the reducer.

use crate::protocol::content::{Block, Inline, MentionKind, RichText};
use crate::protocol::events::GuildedEvent;

use super::msg::ChatEvent;

/// The client's view of a gateway event; None for events gilt does not fold.
pub fn chat_event(event: &GuildedEvent) -> Option<ChatEvent> {
    match event {
        GuildedEvent::Other { .. } => None,
    }
}

/// Whether rich text mentions this user (person mention, `@everyone` or `@here`).
pub fn mentions_user(text: &RichText, user_id: &str) -> bool {
    let hit = |inlines: &[Inline]| {
        inlines.iter().any(|i| match i {
            Inline::Mention { kind, id, .. } => match kind {
                MentionKind::Person => id == user_id,
                MentionKind::Everyone | MentionKind::Here => true,
                MentionKind::Role => false,
            },
            _ => false,
        })
    };
    text.blocks.iter().any(|b| match b {
        Block::Paragraph(inl) | Block::Heading { inlines: inl, .. } => hit(inl),
        Block::Quote(lines) => lines.iter().any(|l| hit(l)),
        Block::List { items, .. } => items.iter().any(|l| hit(l)),
        _ => false,
    })
}
