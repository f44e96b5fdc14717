//! Moderation and structure changes: bulk deletes, a member's messages purged, channels
//! archived and restored, categories and team names. The rules of who may do them are the
//! callers' (tests and the simulator act as the team's owner).

use jiff::Timestamp;

use super::{Category, Channel, ChannelScope, Store, StoreError, ThreadOf};

impl Store {
    /// Delete these messages of a channel (unknown ids are skipped); returns the ids deleted.
    pub fn delete_messages(
        &mut self,
        channel_id: &str,
        ids: &[String],
    ) -> Result<Vec<String>, StoreError> {
        if self.channel(channel_id).is_none() {
            return Err(StoreError::NotFound(format!("channel {channel_id}")));
        }
        let Some(list) = self.messages.get_mut(channel_id) else {
            return Ok(Vec::new());
        };
        let mut deleted = Vec::new();
        list.retain(|m| {
            let gone = ids.contains(&m.id);
            if gone {
                deleted.push(m.id.clone());
            }
            !gone
        });
        Ok(deleted)
    }

    /// Delete every message a user wrote in a team's channels; returns how many.
    pub fn purge_messages(&mut self, team_id: &str, user_id: &str) -> Result<usize, StoreError> {
        if self.team(team_id).is_none() {
            return Err(StoreError::NotFound(format!("team {team_id}")));
        }
        let channels: Vec<String> = self
            .channels
            .iter()
            .filter(|c| c.team_id() == Some(team_id))
            .map(|c| c.id.clone())
            .collect();
        let mut count = 0;
        for id in channels {
            if let Some(list) = self.messages.get_mut(&id) {
                let before = list.len();
                list.retain(|m| m.author != user_id);
                count += before - list.len();
            }
        }
        Ok(count)
    }

    /// Move a team channel to the archive (out of the lists, its messages kept).
    pub fn archive_channel(&mut self, channel_id: &str) -> Result<Channel, StoreError> {
        let pos = self
            .channels
            .iter()
            .position(|c| c.id == channel_id && c.team_id().is_some())
            .ok_or_else(|| StoreError::NotFound(format!("team channel {channel_id}")))?;
        let channel = self.channels.remove(pos);
        self.archived.push(channel.clone());
        Ok(channel)
    }

    /// Bring an archived channel back.
    pub fn restore_channel(&mut self, channel_id: &str) -> Result<Channel, StoreError> {
        let pos = self
            .archived
            .iter()
            .position(|c| c.id == channel_id)
            .ok_or_else(|| StoreError::NotFound(format!("archived channel {channel_id}")))?;
        let channel = self.archived.remove(pos);
        self.channels.push(channel.clone());
        Ok(channel)
    }

    /// Create a category (a fresh id) or rename/move one; returns it and whether it is new.
    pub fn upsert_category(
        &mut self,
        team_id: &str,
        id: Option<i64>,
        name: &str,
        priority: i64,
    ) -> Result<(Category, bool), StoreError> {
        let team = self
            .team_mut(team_id)
            .ok_or_else(|| StoreError::NotFound(format!("team {team_id}")))?;
        if let Some(c) = id.and_then(|id| team.categories.iter_mut().find(|c| c.id == id)) {
            name.clone_into(&mut c.name);
            c.priority = priority;
            return Ok((c.clone(), false));
        }
        if let Some(id) = id {
            return Err(StoreError::NotFound(format!("category {id}")));
        }
        let next = team.categories.iter().map(|c| c.id).max().unwrap_or(0) + 1;
        let category = Category {
            id: next,
            name: name.to_owned(),
            priority,
        };
        team.categories.push(category.clone());
        Ok((category, true))
    }

    /// Delete a category; its channels move to the top level (as Guilded offers).
    pub fn delete_category(&mut self, team_id: &str, id: i64) -> Result<(), StoreError> {
        let team = self
            .team_mut(team_id)
            .ok_or_else(|| StoreError::NotFound(format!("team {team_id}")))?;
        let before = team.categories.len();
        team.categories.retain(|c| c.id != id);
        if team.categories.len() == before {
            return Err(StoreError::NotFound(format!("category {id}")));
        }
        for c in &mut self.channels {
            if let super::ChannelScope::Team {
                team_id: t,
                category,
                ..
            } = &mut c.scope
                && t == team_id
                && *category == Some(id)
            {
                *category = None;
            }
        }
        Ok(())
    }

    /// Rename a team.
    pub fn rename_team(&mut self, team_id: &str, name: &str) -> Result<(), StoreError> {
        let team = self
            .team_mut(team_id)
            .ok_or_else(|| StoreError::NotFound(format!("team {team_id}")))?;
        name.clone_into(&mut team.name);
        Ok(())
    }

    /// Start a thread in a team channel the user can see, from one of its messages when
    /// given; returns the thread (a team channel of its own, in the parent's category).
    pub fn create_thread(
        &mut self,
        user: &str,
        parent_id: &str,
        name: &str,
        message: Option<&str>,
        now: Timestamp,
    ) -> Result<Channel, StoreError> {
        let parent = self.visible_channel(user, parent_id)?.clone();
        let ChannelScope::Team {
            team_id, category, ..
        } = &parent.scope
        else {
            return Err(StoreError::BadRequest(
                "threads live in team channels".into(),
            ));
        };
        if parent.thread.is_some() || !parent.is_messageable() {
            return Err(StoreError::BadRequest(
                "threads start in a chat channel".into(),
            ));
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::BadRequest(
                "a thread needs a name of 1 to 100 characters".into(),
            ));
        }
        if let Some(m) = message {
            if !self.channel_messages(parent_id).iter().any(|x| x.id == m) {
                return Err(StoreError::NotFound(format!("message {m} not found")));
            }
            if self
                .channels
                .iter()
                .any(|c| c.thread.as_ref().and_then(|t| t.message.as_deref()) == Some(m))
            {
                return Err(StoreError::BadRequest(
                    "that message already has a thread".into(),
                ));
            }
        }
        let thread = Channel {
            id: uuid::Uuid::new_v4().to_string(),
            name: Some(name.to_owned()),
            content_type: "chat".into(),
            description: None,
            created_at: now,
            created_by: user.to_owned(),
            scope: ChannelScope::Team {
                team_id: team_id.clone(),
                category: *category,
                priority: 0,
            },
            thread: Some(ThreadOf {
                parent: parent_id.to_owned(),
                message: message.map(str::to_owned),
            }),
        };
        self.channels.push(thread.clone());
        Ok(thread)
    }

    /// The 1:1 DM between `me` and `other`, opened if there is none; and whether it is new.
    pub fn open_dm(
        &mut self,
        me: &str,
        other: &str,
        now: Timestamp,
    ) -> Result<(Channel, bool), StoreError> {
        if self.user(other).is_none() {
            return Err(StoreError::NotFound(format!("user {other}")));
        }
        if me == other {
            return Err(StoreError::BadRequest("a DM needs someone else".into()));
        }
        let existing = self.channels.iter().find(|c| match &c.scope {
            ChannelScope::Dm { users, .. } => {
                users.len() == 2
                    && users.iter().any(|u| u == me)
                    && users.iter().any(|u| u == other)
            }
            ChannelScope::Team { .. } => false,
        });
        if let Some(c) = existing {
            return Ok((c.clone(), false));
        }
        let dm = Channel {
            id: uuid::Uuid::new_v4().to_string(),
            name: None,
            content_type: "chat".into(),
            description: None,
            created_at: now,
            created_by: me.to_owned(),
            scope: ChannelScope::Dm {
                users: vec![me.to_owned(), other.to_owned()],
                owner: me.to_owned(),
            },
            thread: None,
        };
        self.channels.push(dm.clone());
        Ok((dm, true))
    }
}
