//! What can happen in the world, applied to the store and announced on the gateway in one
//! step (under the store lock, so events leave in the order the store changed). REST, the
//! simulator, fault injection and test helpers all act through here.

use jiff::Timestamp;
use serde_json::Value;

use super::emit::{self, Event};
use super::store::{Channel, ChannelScope, Member, Message, Store, StoreError};
use super::{Shared, frames};

impl Shared {
    /// Route a chat event to the main sockets of everyone who can see `channel`.
    pub(super) fn to_channel(
        &self,
        store: &Store,
        channel: &Channel,
        ev: &Event,
        except_user: Option<&str>,
    ) {
        if self.faults.broadcasts_muted() {
            tracing::debug!(event = ev.name, "broadcast muted by fault injection");
            return;
        }
        let audience = store.audience(channel);
        let n = self
            .hub
            .to_users_main(&audience, &frames::event(ev), except_user);
        tracing::debug!(event = ev.name, channel = %channel.id, sockets = n, "emitted");
    }

    pub(super) fn to_team(&self, team_id: &str, ev: &Event) {
        if self.faults.broadcasts_muted() {
            return;
        }
        let n = self.hub.to_team(team_id, &frames::event(ev));
        tracing::debug!(event = ev.name, team = team_id, sockets = n, "emitted");
    }

    /// Post a message (idempotent on its id); returns it and whether it is new.
    pub fn post_message(
        &self,
        m: Message,
        client_id: Option<&str>,
    ) -> Result<(Message, bool), StoreError> {
        self.post_message_with(m, client_id, true)
    }

    /// Post; with `announce: false` the message is stored but no event goes out.
    pub fn post_message_with(
        &self,
        m: Message,
        client_id: Option<&str>,
        announce: bool,
    ) -> Result<(Message, bool), StoreError> {
        let mut store = self.store();
        let (m, created) = store.post(m)?;
        if created {
            let channel = store.visible_channel(&m.author, &m.channel_id)?.clone();
            if announce {
                let ev = emit::message_created(&store, &channel, &m, client_id);
                self.to_channel(&store, &channel, &ev, None);
            }
            drop(store);
            // Lock order is always sim, then store.
            let mut sim = self.sim();
            sim.notice_post(&m, &self.store());
        }
        Ok((m, created))
    }

    pub fn edit_message(
        &self,
        user: &str,
        channel_id: &str,
        message_id: &str,
        content: Value,
        client_id: Option<&str>,
    ) -> Result<Message, StoreError> {
        let mut store = self.store();
        let m = store.edit(user, channel_id, message_id, content, Timestamp::now())?;
        let channel = store.visible_channel(user, channel_id)?.clone();
        self.to_channel(
            &store,
            &channel,
            &emit::message_updated(&channel, &m, client_id),
            None,
        );
        Ok(m)
    }

    pub fn delete_message(
        &self,
        user: &str,
        channel_id: &str,
        message_id: &str,
        client_id: Option<&str>,
    ) -> Result<Message, StoreError> {
        let mut store = self.store();
        let m = store.delete(user, channel_id, message_id)?;
        let channel = store.visible_channel(user, channel_id)?.clone();
        let ev = emit::message_deleted(&store, &channel, &m, client_id, Timestamp::now());
        self.to_channel(&store, &channel, &ev, None);
        Ok(m)
    }

    pub fn set_reaction(
        &self,
        user: &str,
        channel_id: &str,
        message_id: &str,
        emoji: i64,
        add: bool,
        client_id: Option<&str>,
    ) -> Result<bool, StoreError> {
        let mut store = self.store();
        let changed = if add {
            store.react(user, channel_id, message_id, emoji, Timestamp::now())?
        } else {
            store.unreact(user, channel_id, message_id, emoji)?
        };
        if changed {
            let channel = store.visible_channel(user, channel_id)?.clone();
            let ev = emit::reaction(&store, &channel, message_id, emoji, user, add, client_id);
            self.to_channel(&store, &channel, &ev, None);
        }
        Ok(changed)
    }

    pub fn set_pin(
        &self,
        user: &str,
        channel_id: &str,
        message_id: &str,
        pin: bool,
        client_id: Option<&str>,
    ) -> Result<bool, StoreError> {
        let mut store = self.store();
        let changed = store.set_pin(user, channel_id, message_id, pin)?;
        if changed {
            let channel = store.visible_channel(user, channel_id)?.clone();
            self.to_channel(
                &store,
                &channel,
                &emit::pin(&channel, message_id, user, pin, client_id),
                None,
            );
        }
        Ok(changed)
    }

    /// Mark read: echoed as CHANNEL_SEEN to the reader's own main sockets.
    pub fn mark_seen(
        &self,
        user: &str,
        channel_id: &str,
        clear_all_badges: bool,
        client_id: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut store = self.store();
        let channel = store.visible_channel(user, channel_id)?.clone();
        // Up to its newest message (whose time may be ahead of the clock: times only grow).
        let newest = store
            .channel_messages(channel_id)
            .last()
            .map(|m| m.created_at);
        let at = newest.map_or_else(Timestamp::now, |n| n.max(Timestamp::now()));
        store.mark_seen(user, channel_id, at);
        if !self.faults.broadcasts_muted() {
            let ev = emit::channel_seen(&channel, clear_all_badges, client_id);
            self.hub
                .to_users_main(&[user.to_owned()], &frames::event(&ev), None);
        }
        Ok(())
    }

    /// A typing notice: relayed to everyone else who can see the channel, never back to
    /// the typist's own sockets.
    pub fn typing(&self, user: &str, channel_id: &str) -> Result<(), StoreError> {
        let store = self.store();
        let channel = store.visible_channel(user, channel_id)?.clone();
        self.to_channel(
            &store,
            &channel,
            &emit::typing(channel_id, user),
            Some(user),
        );
        Ok(())
    }

    // ---- team changes (test helpers and the simulator) ----

    pub fn add_member(
        &self,
        team_id: &str,
        user_id: &str,
        nickname: Option<String>,
    ) -> Result<(), StoreError> {
        let mut store = self.store();
        let user = store
            .user(user_id)
            .cloned()
            .ok_or_else(|| StoreError::NotFound(format!("user {user_id}")))?;
        let member = Member {
            user_id: user_id.to_owned(),
            nickname,
            role: "member".into(),
            joined_at: Timestamp::now(),
        };
        let team = store
            .team_mut(team_id)
            .ok_or_else(|| StoreError::NotFound(format!("team {team_id}")))?;
        if team.members.iter().any(|m| m.user_id == user_id) {
            return Err(StoreError::BadRequest(format!(
                "{user_id} is already a member"
            )));
        }
        team.members.push(member.clone());
        let team = team.clone();
        self.to_team(team_id, &emit::member_joined(&team, &member, &user));
        Ok(())
    }

    pub fn remove_member(&self, team_id: &str, user_id: &str) -> Result<(), StoreError> {
        let mut store = self.store();
        let team = store
            .team_mut(team_id)
            .ok_or_else(|| StoreError::NotFound(format!("team {team_id}")))?;
        let before = team.members.len();
        team.members.retain(|m| m.user_id != user_id);
        if team.members.len() == before {
            return Err(StoreError::NotFound(format!("{user_id} is not a member")));
        }
        self.to_team(team_id, &emit::member_removed(team_id, user_id));
        Ok(())
    }

    pub fn set_nickname(
        &self,
        team_id: &str,
        user_id: &str,
        nickname: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut store = self.store();
        let team = store
            .team_mut(team_id)
            .ok_or_else(|| StoreError::NotFound(format!("team {team_id}")))?;
        let member = team
            .members
            .iter_mut()
            .find(|m| m.user_id == user_id)
            .ok_or_else(|| StoreError::NotFound(format!("{user_id} is not a member")))?;
        member.nickname = nickname.map(str::to_owned);
        let info = serde_json::json!({ "nickname": nickname });
        self.to_team(team_id, &emit::member_updated(team_id, user_id, info));
        Ok(())
    }

    pub fn create_channel(
        &self,
        team_id: &str,
        name: &str,
        content_type: &str,
        category: Option<i64>,
    ) -> Result<String, StoreError> {
        let mut store = self.store();
        let team = store
            .team(team_id)
            .cloned()
            .ok_or_else(|| StoreError::NotFound(format!("team {team_id}")))?;
        if let Some(c) = category
            && !team.categories.iter().any(|k| k.id == c)
        {
            return Err(StoreError::BadRequest(format!("category {c} not in team")));
        }
        let channel = Channel {
            id: uuid::Uuid::new_v4().to_string(),
            name: Some(name.to_owned()),
            content_type: content_type.to_owned(),
            description: None,
            created_at: Timestamp::now(),
            created_by: team.owner_id.clone(),
            scope: ChannelScope::Team {
                team_id: team_id.to_owned(),
                category,
                priority: 0,
            },
            thread: None,
        };
        store.channels.push(channel.clone());
        self.to_team(team_id, &emit::channel_created(&team, &channel));
        Ok(channel.id)
    }

    pub fn rename_channel(&self, channel_id: &str, name: &str) -> Result<(), StoreError> {
        let mut store = self.store();
        let channel = store
            .channels
            .iter_mut()
            .find(|c| c.id == channel_id)
            .ok_or_else(|| StoreError::NotFound(format!("channel {channel_id}")))?;
        channel.name = Some(name.to_owned());
        let channel = channel.clone();
        let team = channel
            .team_id()
            .and_then(|t| store.team(t))
            .cloned()
            .ok_or_else(|| StoreError::BadRequest("not a team channel".into()))?;
        self.to_team(&team.id, &emit::channel_updated(&team, &channel));
        Ok(())
    }

    pub fn delete_channel(&self, channel_id: &str) -> Result<(), StoreError> {
        let mut store = self.store();
        let pos = store
            .channels
            .iter()
            .position(|c| c.id == channel_id && c.team_id().is_some())
            .ok_or_else(|| StoreError::NotFound(format!("team channel {channel_id}")))?;
        let channel = store.channels.remove(pos);
        let team_id = channel.team_id().unwrap_or_default().to_owned();
        self.to_team(&team_id, &emit::channel_deleted(&team_id, channel_id));
        Ok(())
    }
}
