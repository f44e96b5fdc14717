//! Read-only questions the UI (and the reducer) ask of the model: how people are named,
//! the preview of a replied message, the typing line, unread totals.

use std::time::Instant;

use super::model::{Channel, ChannelId, Message, Team, UserId};
use super::{App, ReplyContext, typing};

impl App {
    /// A person's name outside any channel: a DM partner's, else a team member's, else the id.
    pub fn display_name_of(&self, user_id: &UserId) -> String {
        self.users
            .get(user_id)
            .or_else(|| self.teams.iter().find_map(|t| t.members.get(user_id)))
            .map_or_else(|| user_id.to_string(), |u| u.display_name().to_owned())
    }

    /// A user's display name as seen in a channel: team nickname, else name, else the id.
    pub fn display_name<'a>(&'a self, channel: &ChannelId, user_id: &'a UserId) -> &'a str {
        let team = self
            .channels
            .get(channel)
            .and_then(Channel::team_id)
            .and_then(|t| self.teams.iter().find(|x| &x.id == t));
        if let Some(u) = team.and_then(|t| t.members.get(user_id)) {
            return u.display_name();
        }
        if let Some(u) = self.users.get(user_id) {
            return u.display_name();
        }
        if *user_id == self.me.id {
            return self.me.display_name();
        }
        user_id.as_str()
    }

    /// "↳ alice: first words…" for a reply, when the replied message is loaded.
    pub fn reply_context(&self, message: &Message) -> Option<ReplyContext> {
        let target = message.replies_to.first()?;
        let tl = self.timelines.get(&message.channel_id)?;
        let replied = tl.get(target)?;
        // Sanitised part by part (one line): a part cannot swallow the next.
        let text = crate::sanitize::plain_text(&replied.content, false);
        let mut preview: String = text.chars().take(60).collect();
        if text.chars().count() > 60 {
            preview.push('…');
        }
        Some(ReplyContext {
            author: self
                .display_name(&message.channel_id, &replied.author_id)
                .to_owned(),
            preview,
        })
    }

    /// The typing line of the open channel ("alice is typing…"), if anyone types.
    pub fn typing_line(&self, now: Instant) -> Option<String> {
        let channel = self.current.as_ref()?;
        let names: Vec<&str> = self
            .typing
            .users(channel, now)
            .into_iter()
            .map(|u| self.display_name(channel, u))
            .collect();
        typing::typing_line(&names)
    }

    /// Unread and mention totals of a team.
    pub fn team_unread(&self, team: &Team) -> (u32, u32) {
        team.channel_ids()
            .filter_map(|id| self.channels.get(id))
            .fold((0, 0), |acc, c| self.add_unread(acc, c))
    }

    /// Unread and mention totals over every channel and DM (a muted channel's mentions only).
    pub fn unread_totals(&self) -> (u32, u32) {
        self.channels
            .values()
            .fold((0, 0), |acc, c| self.add_unread(acc, c))
    }

    /// Add a channel's counts to a total: a muted channel adds only its mentions.
    fn add_unread(&self, (u, m): (u32, u32), c: &Channel) -> (u32, u32) {
        // A mention is an unread message that still counts.
        let unread = if self.muted.contains(&c.id) {
            c.mentions.min(c.unread)
        } else {
            c.unread
        };
        (u.saturating_add(unread), m.saturating_add(c.mentions))
    }
}
