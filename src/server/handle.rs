//! `ServerHandle`: what the CLI and the tests hold — URLs, the demo credentials, a view of
//! the world's ids, open sockets, fault injection, the simulator and test-side actions.

use std::net::SocketAddr;
use std::sync::Arc;

use jiff::Timestamp;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::Shared;
use super::faults::Faults;
use super::hub::SocketInfo;
use super::sim::{self, SimAction};
use super::store::{ChannelScope, Message, StoreError, mention_resolver};
use crate::protocol::content;

/// A channel as tests see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelInfo {
    pub id: String,
    pub name: String,
    pub content_type: String,
    pub team_id: Option<String>,
    pub category_id: Option<i64>,
    pub user_ids: Vec<String>,
}

/// A team as tests see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamInfo {
    pub id: String,
    pub name: String,
    pub member_ids: Vec<String>,
    pub channels: Vec<ChannelInfo>,
}

/// The ids a test needs, taken from the live store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldInfo {
    pub demo_user_id: String,
    /// (id, name) of every user.
    pub users: Vec<(String, String)>,
    pub teams: Vec<TeamInfo>,
    pub dms: Vec<ChannelInfo>,
}

impl WorldInfo {
    pub fn team(&self, name: &str) -> Option<&TeamInfo> {
        self.teams.iter().find(|t| t.name == name)
    }

    /// A team channel by name (first match across teams).
    pub fn channel(&self, name: &str) -> Option<&ChannelInfo> {
        self.teams
            .iter()
            .flat_map(|t| &t.channels)
            .find(|c| c.name == name)
    }

    pub fn user_id(&self, name: &str) -> Option<&str> {
        self.users
            .iter()
            .find(|(_, n)| n == name)
            .map(|(id, _)| id.as_str())
    }
}

pub struct ServerHandle {
    shared: Arc<Shared>,
    stop_tx: Option<oneshot::Sender<()>>,
    supervisor: Option<JoinHandle<()>>,
    sim_task: Option<JoinHandle<()>>,
}

impl ServerHandle {
    pub(crate) fn new(
        shared: Arc<Shared>,
        stop_tx: oneshot::Sender<()>,
        supervisor: JoinHandle<()>,
        sim_task: Option<JoinHandle<()>>,
    ) -> Self {
        Self {
            shared,
            stop_tx: Some(stop_tx),
            supervisor: Some(supervisor),
            sim_task,
        }
    }

    /// Where it listens now (changes only if a restart could not rebind the port).
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr()
    }

    /// `http://127.0.0.1:PORT/api`
    pub fn api_url(&self) -> String {
        format!("http://{}/api", self.addr())
    }

    /// `ws://127.0.0.1:PORT` (the client appends `/socket.io/?…`).
    pub fn gateway_url(&self) -> String {
        format!("ws://{}", self.addr())
    }

    /// The demo user's email and password.
    pub fn credentials(&self) -> (String, String) {
        let store = self.shared.store();
        (store.email.clone(), store.password.clone())
    }

    /// Email and password of another member who can log in (by user name).
    pub fn credentials_of(&self, name: &str) -> Option<(String, String)> {
        let store = self.shared.store();
        let user = store.users.iter().find(|u| u.name == name)?;
        Some((user.email.clone()?, store.password.clone()))
    }

    /// The one JSON line `gilt demo-server` prints.
    pub fn announce_json(&self) -> String {
        let (email, password) = self.credentials();
        // Built by hand to keep the documented key order (a JSON map would sort them).
        let q = |s: &str| serde_json::Value::from(s).to_string();
        format!(
            "{{\"api\":{},\"gateway\":{},\"email\":{},\"password\":{}}}",
            q(&self.api_url()),
            q(&self.gateway_url()),
            q(&email),
            q(&password)
        )
    }

    /// Ids of a channel's messages, oldest first (deleted ones are gone).
    pub fn message_ids(&self, channel_id: &str) -> Vec<String> {
        self.shared
            .store()
            .channel_messages(channel_id)
            .iter()
            .map(|m| m.id.clone())
            .collect()
    }

    pub fn faults(&self) -> Faults {
        Faults::new(self.shared.clone())
    }

    /// The open gateway sockets, sorted by sid.
    pub fn sockets(&self) -> Vec<SocketInfo> {
        self.shared.hub.infos()
    }

    /// Ids and names of the world as it is now.
    pub fn world(&self) -> WorldInfo {
        let store = self.shared.store();
        let channel_info = |c: &super::store::Channel| ChannelInfo {
            id: c.id.clone(),
            name: c.name.clone().unwrap_or_default(),
            content_type: c.content_type.clone(),
            team_id: c.team_id().map(str::to_owned),
            category_id: match &c.scope {
                ChannelScope::Team { category, .. } => *category,
                ChannelScope::Dm { .. } => None,
            },
            user_ids: store.audience(c),
        };
        WorldInfo {
            demo_user_id: store.demo_user.clone(),
            users: store
                .users
                .iter()
                .map(|u| (u.id.clone(), u.name.clone()))
                .collect(),
            teams: store
                .teams
                .iter()
                .map(|t| TeamInfo {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    member_ids: t.members.iter().map(|m| m.user_id.clone()).collect(),
                    channels: store
                        .channels
                        .iter()
                        .filter(|c| c.team_id() == Some(t.id.as_str()))
                        .map(channel_info)
                        .collect(),
                })
                .collect(),
            dms: store
                .dms_of(&store.demo_user)
                .into_iter()
                .map(channel_info)
                .collect(),
        }
    }

    /// Post as any member (markdown-ish text); `broadcast: false` stores it silently, as if
    /// the event had been lost. Returns the new message id.
    pub fn post_as(
        &self,
        user_id: &str,
        channel_id: &str,
        text: &str,
        broadcast: bool,
    ) -> Result<String, StoreError> {
        let content = {
            let store = self.shared.store();
            let resolve = mention_resolver(&store.users);
            content::to_document(&content::from_markdown(text, &resolve))
        };
        let m = Message {
            id: uuid::Uuid::new_v4().to_string(),
            channel_id: channel_id.to_owned(),
            author: user_id.to_owned(),
            created_at: Timestamp::now(),
            edited_at: None,
            content,
            replies_to: Vec::new(),
            is_silent: false,
            is_private: false,
            reactions: Vec::new(),
            pinned_by: None,
        };
        self.shared
            .post_message_with(m, None, broadcast)
            .map(|(m, _)| m.id)
    }

    /// Show another member typing.
    pub fn typing_as(&self, user_id: &str, channel_id: &str) -> Result<(), StoreError> {
        self.shared.typing(user_id, channel_id)
    }

    pub fn add_member(
        &self,
        team_id: &str,
        user_id: &str,
        nickname: Option<String>,
    ) -> Result<(), StoreError> {
        self.shared.add_member(team_id, user_id, nickname)
    }

    pub fn remove_member(&self, team_id: &str, user_id: &str) -> Result<(), StoreError> {
        self.shared.remove_member(team_id, user_id)
    }

    pub fn set_nickname(
        &self,
        team_id: &str,
        user_id: &str,
        nickname: Option<&str>,
    ) -> Result<(), StoreError> {
        self.shared.set_nickname(team_id, user_id, nickname)
    }

    /// Create a team channel; returns its id.
    pub fn create_channel(
        &self,
        team_id: &str,
        name: &str,
        content_type: &str,
        category: Option<i64>,
    ) -> Result<String, StoreError> {
        self.shared
            .create_channel(team_id, name, content_type, category)
    }

    pub fn rename_channel(&self, channel_id: &str, name: &str) -> Result<(), StoreError> {
        self.shared.rename_channel(channel_id, name)
    }

    pub fn delete_channel(&self, channel_id: &str) -> Result<(), StoreError> {
        self.shared.delete_channel(channel_id)
    }

    /// Delete several messages of a channel at once; returns the ids that existed.
    pub fn delete_messages(
        &self,
        channel_id: &str,
        ids: &[String],
    ) -> Result<Vec<String>, StoreError> {
        self.shared.delete_messages(channel_id, ids)
    }

    /// Purge a member's messages from a team; returns how many were deleted.
    pub fn purge_member_messages(&self, team_id: &str, user_id: &str) -> Result<usize, StoreError> {
        self.shared.purge_member_messages(team_id, user_id)
    }

    /// Archive (true) or restore (false) a team channel.
    pub fn set_archived(&self, channel_id: &str, archived: bool) -> Result<(), StoreError> {
        self.shared.set_archived(channel_id, archived)
    }

    /// Delete several team channels at once.
    pub fn delete_channels(&self, team_id: &str, ids: &[String]) -> Result<(), StoreError> {
        self.shared.delete_channels(team_id, ids)
    }

    /// Create (`id: None`) or rename/move a category; returns its id.
    pub fn upsert_category(
        &self,
        team_id: &str,
        id: Option<i64>,
        name: &str,
        priority: i64,
    ) -> Result<i64, StoreError> {
        self.shared.upsert_category(team_id, id, name, priority)
    }

    /// Delete a category (its channels move to the top level).
    pub fn delete_category(&self, team_id: &str, id: i64) -> Result<(), StoreError> {
        self.shared.delete_category(team_id, id)
    }

    /// Rename a team.
    pub fn rename_team(&self, team_id: &str, name: &str) -> Result<(), StoreError> {
        self.shared.rename_team(team_id, name)
    }

    /// Post an item (or a reply) titled `title` in a non-chat channel as `user_id`; returns
    /// the item's id.
    pub fn post_content(
        &self,
        user_id: &str,
        channel_id: &str,
        title: &str,
        reply: bool,
    ) -> Result<u64, StoreError> {
        self.shared.post_content(user_id, channel_id, title, reply)
    }

    /// `user_id` joins a voice (or stream) channel (None: leaves voice).
    pub fn set_voice(&self, user_id: &str, channel_id: Option<&str>) -> Result<(), StoreError> {
        self.shared.set_voice(user_id, channel_id)
    }

    /// Set a user's status as if they chose it (1 online … 4 invisible).
    pub fn set_presence(&self, user_id: &str, status: u8) -> Result<(), StoreError> {
        self.shared.set_presence(user_id, status)
    }

    /// A user's presence as the server holds it.
    pub fn presence_of(&self, user_id: &str) -> Option<u8> {
        self.shared.store().user(user_id).map(|u| u.presence)
    }

    /// Perform the simulator's next action now (None if it had nothing to do).
    pub fn sim_step(&self) -> Option<SimAction> {
        sim::step(&self.shared)
    }

    /// Stop the server: sockets dropped, listener closed, simulator stopped.
    pub async fn shutdown(mut self) {
        self.stop();
        if let Some(sup) = self.supervisor.take() {
            let _ = sup.await;
        }
    }

    fn stop(&mut self) {
        if let Some(task) = self.sim_task.take() {
            task.abort();
        }
        if let Some(tx) = self.stop_tx.take() {
            let _ = tx.send(());
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop();
    }
}
