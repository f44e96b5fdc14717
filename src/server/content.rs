//! Non-chat channels (forums, docs, calendars, media, lists): the server keeps no content
//! for them, but members post and reply there (the simulator, tests), and the team hears of
//! it on its team sockets as `TeamChannelContentCreated` / `…ReplyCreated`.

use std::sync::atomic::{AtomicU64, Ordering};

use super::Shared;
use super::emit;
use super::store::StoreError;

/// Content item ids: numbers, as Guilded's forum threads had.
static NEXT_ITEM: AtomicU64 = AtomicU64::new(1);

impl Shared {
    /// `user_id` posts an item titled `title` in a non-chat channel (or replies to one): the
    /// team is told. Returns the item's id.
    pub fn post_content(
        &self,
        user_id: &str,
        channel_id: &str,
        title: &str,
        reply: bool,
    ) -> Result<u64, StoreError> {
        let store = self.store();
        let channel = store.visible_channel(user_id, channel_id)?.clone();
        if channel.is_messageable() {
            return Err(StoreError::BadRequest(format!(
                "{channel_id} is a chat channel; post messages there"
            )));
        }
        let team_id = channel
            .team_id()
            .ok_or_else(|| StoreError::BadRequest("not a team channel".into()))?
            .to_owned();
        let id = NEXT_ITEM.fetch_add(1, Ordering::Relaxed);
        self.to_team(
            &team_id,
            &emit::content_activity(&channel, &team_id, id, title, user_id, reply),
        );
        Ok(id)
    }
}
