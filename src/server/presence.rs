//! Presence: a user's status (1 online, 2 idle, 3 do not disturb, 4 offline), set by hand
//! (`POST /users/me/presence`, the simulator) or by being around (`PUT /users/me/ping`), and
//! announced to everyone who shares a team or a DM with them (their own other sessions too).

use std::collections::BTreeSet;

use super::emit::{self, Event};
use super::store::{Store, StoreError};
use super::{Shared, frames};

/// The lowest and highest status numbers.
const STATUSES: std::ops::RangeInclusive<u8> = 1..=4;
/// Online.
pub const ONLINE: u8 = 1;

impl Store {
    /// Everyone who sees `user_id`'s presence: their teammates, their DM partners, themself.
    pub fn presence_audience(&self, user_id: &str) -> Vec<String> {
        let mut who: BTreeSet<String> = BTreeSet::from([user_id.to_owned()]);
        for team in self.teams_of(user_id) {
            who.extend(team.members.iter().map(|m| m.user_id.clone()));
        }
        for dm in self.dms_of(user_id) {
            who.extend(self.audience(dm));
        }
        who.into_iter().collect()
    }
}

impl Shared {
    fn to_presence_audience(&self, store: &Store, user_id: &str, ev: &Event) {
        if self.faults.broadcasts_muted() {
            return;
        }
        let audience = store.presence_audience(user_id);
        let n = self.hub.to_users_main(&audience, &frames::event(ev), None);
        tracing::debug!(event = ev.name, user = user_id, sockets = n, "emitted");
    }

    /// The user chose a status (`POST /users/me/presence`, or a simulated member): kept until
    /// they choose again (pings do not override it), announced as
    /// `USER_PRESENCE_MANUALLY_SET`.
    pub fn set_presence(&self, user_id: &str, status: u8) -> Result<(), StoreError> {
        if !STATUSES.contains(&status) {
            return Err(StoreError::BadRequest(format!(
                "status must be 1 (online), 2 (idle), 3 (do not disturb) or 4 (invisible), not {status}"
            )));
        }
        let mut store = self.store();
        let user = store
            .user_mut(user_id)
            .ok_or_else(|| StoreError::NotFound(format!("user {user_id}")))?;
        user.presence = status;
        user.presence_chosen = status != ONLINE;
        self.to_presence_audience(&store, user_id, &emit::presence(user_id, status, true));
        Ok(())
    }

    /// `PUT /users/me/ping`: the user is around. Offline becomes online (announced as
    /// `UserPresenceReceived`), unless they chose to be invisible; a chosen idle or do not
    /// disturb stays.
    pub fn ping(&self, user_id: &str) -> Result<(), StoreError> {
        let mut store = self.store();
        let user = store
            .user_mut(user_id)
            .ok_or_else(|| StoreError::NotFound(format!("user {user_id}")))?;
        if user.presence_chosen || user.presence == ONLINE {
            return Ok(());
        }
        user.presence = ONLINE;
        self.to_presence_audience(&store, user_id, &emit::presence(user_id, ONLINE, false));
        Ok(())
    }

    /// A user went away without choosing to (the simulator): announced as
    /// `UserPresenceReceived`. A status they chose stays.
    pub fn drift_presence(&self, user_id: &str, status: u8) -> Result<(), StoreError> {
        let mut store = self.store();
        let user = store
            .user_mut(user_id)
            .ok_or_else(|| StoreError::NotFound(format!("user {user_id}")))?;
        if user.presence_chosen || user.presence == status || !STATUSES.contains(&status) {
            return Ok(());
        }
        user.presence = status;
        self.to_presence_audience(&store, user_id, &emit::presence(user_id, status, false));
        Ok(())
    }
}

impl Shared {
    /// `user_id` joins the voice (or stream) channel `channel_id`, leaving the one they were
    /// in; `None`: they leave voice. The team hears each step on its team sockets.
    pub fn set_voice(&self, user_id: &str, channel_id: Option<&str>) -> Result<(), StoreError> {
        let mut store = self.store();
        let target = match channel_id {
            Some(id) => {
                let channel = store.visible_channel(user_id, id)?.clone();
                if !matches!(channel.content_type.as_str(), "voice" | "stream") {
                    return Err(StoreError::BadRequest(format!(
                        "{id} is not a voice channel"
                    )));
                }
                Some(channel)
            }
            None => None,
        };
        let mut events = Vec::new();
        for team in &mut store.teams {
            for (channel, users) in &mut team.voice {
                if users.iter().any(|u| u == user_id) {
                    users.retain(|u| u != user_id);
                    events.push((team.id.clone(), channel.clone(), false));
                }
            }
            team.voice.retain(|_, users| !users.is_empty());
        }
        if let Some(channel) = &target {
            let team_id = channel.team_id().unwrap_or_default().to_owned();
            if let Some(team) = store.team_mut(&team_id) {
                team.voice
                    .entry(channel.id.clone())
                    .or_default()
                    .push(user_id.to_owned());
                events.push((team_id, channel.id.clone(), true));
            }
        }
        for (team_id, channel_id, joined) in events {
            if let Some(channel) = store.channel(&channel_id) {
                self.to_team(
                    &team_id,
                    &emit::voice_participant(&team_id, channel, user_id, joined),
                );
            }
        }
        Ok(())
    }
}
