//! Reactions and pins on the messages a timeline holds.

use super::Timeline;
use crate::app::model::{EmojiId, MessageId, Reaction, UserId};

impl Timeline {
    /// Count a user's reaction (idempotent per user and emoji).
    pub fn add_reaction(
        &mut self,
        id: &MessageId,
        emoji_id: EmojiId,
        name: Option<&str>,
        user: &UserId,
        me: &UserId,
    ) -> bool {
        self.get_mut(id)
            .is_some_and(|m| add_reaction(&mut m.reactions, emoji_id, name, user, me))
    }

    /// Remove a user's reaction; an emoji nobody uses any more disappears.
    pub fn remove_reaction(
        &mut self,
        id: &MessageId,
        emoji_id: EmojiId,
        user: &UserId,
        me: &UserId,
    ) -> bool {
        self.get_mut(id)
            .is_some_and(|m| remove_reaction(&mut m.reactions, emoji_id, user, me))
    }

    /// Set the pinned flag.
    pub fn set_pinned(&mut self, id: &MessageId, pinned: bool) -> bool {
        match self.get_mut(id) {
            Some(m) => {
                m.is_pinned = pinned;
                true
            }
            None => false,
        }
    }
}

/// Count `user`'s reaction in a message's `reactions` (idempotent per user and emoji); also
/// what the store applies to a message no timeline holds. Returns whether anything changed.
pub fn add_reaction(
    reactions: &mut Vec<Reaction>,
    emoji_id: EmojiId,
    name: Option<&str>,
    user: &UserId,
    me: &UserId,
) -> bool {
    let r = if let Some(r) = reactions.iter_mut().find(|r| r.emoji_id == emoji_id) {
        r
    } else {
        reactions.push(Reaction {
            emoji_id,
            name: name.map_or_else(|| emoji_id.to_string(), str::to_owned),
            users: Vec::new(),
            count: 0,
            mine: false,
        });
        let Some(last) = reactions.last_mut() else {
            return false;
        };
        last
    };
    if r.users.iter().any(|u| u == user) {
        return false;
    }
    r.users.push(user.clone());
    r.count = r.count.saturating_add(1).max(r.users.len() as u32);
    if user == me {
        r.mine = true;
    }
    true
}

/// Remove `user`'s reaction from a message's `reactions`; an emoji nobody uses any more
/// disappears. Returns whether the emoji was there.
pub fn remove_reaction(
    reactions: &mut Vec<Reaction>,
    emoji_id: EmojiId,
    user: &UserId,
    me: &UserId,
) -> bool {
    let Some(r) = reactions.iter_mut().find(|r| r.emoji_id == emoji_id) else {
        return false;
    };
    let before = r.users.len();
    r.users.retain(|u| u != user);
    let known = r.users.len() != before;
    // A REST page may carry only a total; still decrement when the user was not listed.
    if known || r.count as usize > r.users.len() {
        r.count = r.count.saturating_sub(1);
    }
    if user == me {
        r.mine = false;
    }
    if r.count == 0 {
        reactions.retain(|r| r.emoji_id != emoji_id);
    }
    true
}
