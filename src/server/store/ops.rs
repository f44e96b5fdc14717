//! Changes to the store and their rules: who may post, edit, delete, react and pin.
//! Events are the caller's job (see `actions.rs`).

use jiff::Timestamp;
use serde_json::Value;

use super::load::to_millis;
use super::{Message, Reaction, Store, StoreError};

impl Store {
    // ---- mutations (rules only; events are the caller's job) ----

    /// Post a message. A repeated id from the same author in the same channel returns the
    /// stored message and `false` (the client retried), so nothing is posted twice.
    pub fn post(&mut self, mut m: Message) -> Result<(Message, bool), StoreError> {
        let channel = self.visible_channel(&m.author, &m.channel_id)?;
        if !channel.is_messageable() {
            return Err(StoreError::BadRequest(format!(
                "channel {} is a {} channel and has no chat",
                channel.id, channel.content_type
            )));
        }
        if let Some(existing) = self.find_message_anywhere(&m.id) {
            if existing.author == m.author && existing.channel_id == m.channel_id {
                return Ok((existing.clone(), false));
            }
            return Err(StoreError::BadRequest(format!(
                "messageId {} is already used",
                m.id
            )));
        }
        if m.replies_to.len() > 5 {
            return Err(StoreError::BadRequest(
                "repliesToIds takes at most 5 ids".into(),
            ));
        }
        if let Some(r) = m
            .replies_to
            .iter()
            .find(|r| self.message(&m.channel_id, r).is_none())
        {
            return Err(StoreError::BadRequest(format!(
                "repliesToIds: message {r} not found in this channel"
            )));
        }
        m.reactions.clear();
        Ok((self.insert_message(m), true))
    }

    fn find_message_anywhere(&self, id: &str) -> Option<&Message> {
        self.messages
            .values()
            .flat_map(|l| l.iter())
            .find(|m| m.id == id)
    }

    pub fn edit(
        &mut self,
        user: &str,
        channel_id: &str,
        message_id: &str,
        content: Value,
        now: Timestamp,
    ) -> Result<Message, StoreError> {
        self.visible_channel(user, channel_id)?;
        let m = self.message_mut(channel_id, message_id)?;
        if m.author != user {
            return Err(StoreError::Forbidden(
                "you can only edit your own messages".into(),
            ));
        }
        m.content = content;
        m.edited_at = Some(to_millis(now).max(m.created_at));
        Ok(m.clone())
    }

    pub fn delete(
        &mut self,
        user: &str,
        channel_id: &str,
        message_id: &str,
    ) -> Result<Message, StoreError> {
        self.visible_channel(user, channel_id)?;
        let m = self.message_mut(channel_id, message_id)?;
        if m.author != user {
            return Err(StoreError::Forbidden(
                "you can only delete your own messages".into(),
            ));
        }
        let list = self
            .messages
            .get_mut(channel_id)
            .ok_or_else(|| StoreError::NotFound("channel".into()))?;
        let pos = list
            .iter()
            .position(|m| m.id == message_id)
            .ok_or_else(|| StoreError::NotFound(format!("message {message_id} not found")))?;
        Ok(list.remove(pos))
    }

    /// Add a reaction; `Ok(false)` when the user had already reacted with that emoji.
    pub fn react(
        &mut self,
        user: &str,
        channel_id: &str,
        message_id: &str,
        emoji_id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.visible_channel(user, channel_id)?;
        let m = self.message_mut(channel_id, message_id)?;
        if let Some(r) = m.reactions.iter_mut().find(|r| r.emoji_id == emoji_id) {
            if r.users.iter().any(|u| u == user) {
                return Ok(false);
            }
            r.users.push(user.to_owned());
        } else {
            m.reactions.push(Reaction {
                emoji_id,
                created_at: now,
                users: vec![user.to_owned()],
            });
        }
        Ok(true)
    }

    /// Remove the user's own reaction; `Ok(false)` when there was none.
    pub fn unreact(
        &mut self,
        user: &str,
        channel_id: &str,
        message_id: &str,
        emoji_id: i64,
    ) -> Result<bool, StoreError> {
        self.visible_channel(user, channel_id)?;
        let m = self.message_mut(channel_id, message_id)?;
        let Some(r) = m.reactions.iter_mut().find(|r| r.emoji_id == emoji_id) else {
            return Ok(false);
        };
        let before = r.users.len();
        r.users.retain(|u| u != user);
        let removed = r.users.len() != before;
        m.reactions.retain(|r| !r.users.is_empty());
        Ok(removed)
    }

    /// Pin (`Some(user)`) or unpin (`None`); `Ok(false)` when nothing changed.
    pub fn set_pin(
        &mut self,
        user: &str,
        channel_id: &str,
        message_id: &str,
        pin: bool,
    ) -> Result<bool, StoreError> {
        self.visible_channel(user, channel_id)?;
        let m = self.message_mut(channel_id, message_id)?;
        let changed = m.pinned_by.is_some() != pin;
        m.pinned_by = pin.then(|| user.to_owned());
        Ok(changed)
    }
}
