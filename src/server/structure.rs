//! Moderation and team-structure actions (bulk deletes, purges, archive/restore, categories,
//! team names), applied to the store and announced in one step like `actions`: chat events
//! to the channel's audience, team events to the team's sockets. Test helpers and the
//! simulator act through here.

use jiff::Timestamp;

use super::Shared;
use super::emit;
use super::store::StoreError;

impl Shared {
    /// Delete several messages of a channel at once (`ChatMessagesDeleted`); returns the ids
    /// that existed.
    pub fn delete_messages(
        &self,
        channel_id: &str,
        ids: &[String],
    ) -> Result<Vec<String>, StoreError> {
        let mut store = self.store();
        let deleted = store.delete_messages(channel_id, ids)?;
        if !deleted.is_empty()
            && let Some(channel) = store.channel(channel_id).cloned()
        {
            let ev = emit::messages_deleted(&channel, &deleted);
            self.to_channel(&store, &channel, &ev, None);
        }
        Ok(deleted)
    }

    /// Purge a member's messages from a team (`TeamMessagesDeleted`); returns how many.
    pub fn purge_member_messages(&self, team_id: &str, user_id: &str) -> Result<usize, StoreError> {
        let count = self.store().purge_messages(team_id, user_id)?;
        self.to_team(team_id, &emit::team_messages_deleted(team_id, user_id));
        Ok(count)
    }

    /// Archive (`TeamChannelArchived`) or restore (`TeamChannelRestored`) a team channel.
    pub fn set_archived(&self, channel_id: &str, archived: bool) -> Result<(), StoreError> {
        let mut store = self.store();
        let channel = if archived {
            store.archive_channel(channel_id)?
        } else {
            store.restore_channel(channel_id)?
        };
        let team_id = channel.team_id().unwrap_or_default().to_owned();
        self.to_team(
            &team_id,
            &emit::channel_archived(&team_id, channel_id, archived),
        );
        Ok(())
    }

    /// Delete several team channels at once (`TeamChannelsDeleted`).
    pub fn delete_channels(&self, team_id: &str, ids: &[String]) -> Result<(), StoreError> {
        let mut store = self.store();
        if store.team(team_id).is_none() {
            return Err(StoreError::NotFound(format!("team {team_id}")));
        }
        store
            .channels
            .retain(|c| !(c.team_id() == Some(team_id) && ids.contains(&c.id)));
        self.to_team(team_id, &emit::channels_deleted(team_id, ids));
        Ok(())
    }

    /// Create (`id: None`) or change a category; returns its id.
    pub fn upsert_category(
        &self,
        team_id: &str,
        id: Option<i64>,
        name: &str,
        priority: i64,
    ) -> Result<i64, StoreError> {
        let mut store = self.store();
        let (category, created) = store.upsert_category(team_id, id, name, priority)?;
        let team = store
            .team(team_id)
            .cloned()
            .ok_or_else(|| StoreError::NotFound(format!("team {team_id}")))?;
        self.to_team(team_id, &emit::category_changed(&team, &category, created));
        Ok(category.id)
    }

    /// Delete a category; its channels move to the top level.
    pub fn delete_category(&self, team_id: &str, id: i64) -> Result<(), StoreError> {
        self.store().delete_category(team_id, id)?;
        self.to_team(team_id, &emit::category_deleted(team_id, id));
        Ok(())
    }

    /// Rename a team (`TeamUpdated`).
    pub fn rename_team(&self, team_id: &str, name: &str) -> Result<(), StoreError> {
        let mut store = self.store();
        store.rename_team(team_id, name)?;
        let team = store
            .team(team_id)
            .cloned()
            .ok_or_else(|| StoreError::NotFound(format!("team {team_id}")))?;
        self.to_team(team_id, &emit::team_updated(&team));
        Ok(())
    }

    /// Start a thread (`TemporalChannelCreated` to the team); returns it as the REST shape.
    pub fn create_thread(
        &self,
        user: &str,
        parent_id: &str,
        name: &str,
        message: Option<&str>,
    ) -> Result<serde_json::Value, StoreError> {
        let mut store = self.store();
        let thread = store.create_thread(user, parent_id, name, message, Timestamp::now())?;
        let team_id = thread.team_id().unwrap_or_default().to_owned();
        let team = store
            .team(&team_id)
            .cloned()
            .ok_or_else(|| StoreError::NotFound(format!("team {team_id}")))?;
        self.to_team(&team_id, &emit::thread_created(&team, &thread));
        Ok(super::shapes::team_channel(&thread, &team))
    }

    /// Open (or find) the 1:1 DM of `me` with `other`; a new one is announced to both as
    /// `DMChatChannelCreated`. Returns the REST shape.
    pub fn open_dm(&self, me: &str, other: &str) -> Result<serde_json::Value, StoreError> {
        let mut store = self.store();
        let (dm, created) = store.open_dm(me, other, Timestamp::now())?;
        if created && !self.faults.broadcasts_muted() {
            let ev = emit::dm_created(&store, &dm);
            self.hub
                .to_users_main(&store.audience(&dm), &super::frames::event(&ev), None);
        }
        Ok(super::shapes::dm_channel(&store, &dm))
    }
}
