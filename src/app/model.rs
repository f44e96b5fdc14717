//! The entities the client shows (users, teams, channels, messages), in the client's own terms.
//!
//! Pure data: no IO. These are what `ui/` reads; protocol DTOs are converted into them in
//! `app::convert`, so the UI never depends on the wire format.

use std::collections::HashMap;

use jiff::Timestamp;

use crate::protocol::content::Content;

/// The typed ids are the protocol's own: one type per kind, so they cannot be mixed up.
pub use crate::protocol::{ChannelId, MessageId, TeamId, UserId};
/// A custom reaction (emoji) id.
pub type EmojiId = i64;

/// A person as seen by the client (the session user, a DM partner or a team member).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct User {
    pub id: UserId,
    /// The account name.
    pub name: String,
    /// Team nickname (team members only); shown instead of the name when set.
    pub nickname: Option<String>,
    /// `true` for bots and webhooks.
    pub is_bot: bool,
}

impl User {
    /// What the UI shows for this person: nickname, else name, else the id.
    pub fn display_name(&self) -> &str {
        match &self.nickname {
            Some(n) if !n.is_empty() => n,
            _ if !self.name.is_empty() => &self.name,
            _ => self.id.as_str(),
        }
    }
}

/// A team (server) the session user belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    /// Categories in display order (already sorted by the reducer).
    pub categories: Vec<Category>,
    /// Channels not in any category, in display order; shown before the categories.
    pub uncategorized: Vec<ChannelId>,
    /// Members by user id (name and nickname); used for display names and `@name` mentions.
    pub members: HashMap<UserId, User>,
    /// Whether the channel list has been loaded (false until `/teams/{id}/channels` answered).
    pub channels_loaded: bool,
}

impl Team {
    /// Every channel of the team in display order (uncategorised first, then per category).
    pub fn channel_ids(&self) -> impl Iterator<Item = &ChannelId> {
        self.uncategorized
            .iter()
            .chain(self.categories.iter().flat_map(|c| c.channels.iter()))
    }
}

/// A channel category of a team.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Category {
    pub id: i64,
    pub name: String,
    pub priority: i64,
    /// Channels of this category in display order.
    pub channels: Vec<ChannelId>,
}

/// Team channel or DM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelKind {
    /// A team channel.
    Team {
        team_id: TeamId,
        category_id: Option<i64>,
        priority: i64,
    },
    /// A direct message channel (1:1 or group) with these other users.
    Dm { users: Vec<UserId> },
}

/// One channel (team channel or DM) and its reading state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub id: ChannelId,
    /// Display name (for a 1:1 DM without a name: the other user's display name).
    pub name: String,
    pub kind: ChannelKind,
    /// What the channel holds; only chat-capable ones can be opened.
    pub content_type: ContentType,
    /// The channel description/topic, if any.
    pub topic: Option<String>,
    /// Messages not yet seen by the session user (counted since the last mark-read).
    pub unread: u32,
    /// Of those, how many mention the session user (person, @everyone, @here).
    pub mentions: u32,
    /// Time of the newest message known (for "recent first" in the switcher and DM order).
    pub last_activity: Option<Timestamp>,
}

impl Channel {
    /// Whether the channel has a text chat the client can show (chat, voice and stream do).
    pub fn is_chat(&self) -> bool {
        self.content_type.has_chat()
    }

    /// The team of a team channel.
    pub fn team_id(&self) -> Option<&TeamId> {
        match &self.kind {
            ChannelKind::Team { team_id, .. } => Some(team_id),
            ChannelKind::Dm { .. } => None,
        }
    }

    /// Whether this is a DM channel.
    pub fn is_dm(&self) -> bool {
        matches!(self.kind, ChannelKind::Dm { .. })
    }
}

/// A thread (Guilded's temporal channel): a team channel of its own, shown under its parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    /// The channel it was started in.
    pub parent: ChannelId,
    /// The message it was started from, if any.
    pub message: Option<MessageId>,
}

/// What a channel holds (Guilded's `contentType`, see docs/PROTOCOL.md).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ContentType {
    #[default]
    Chat,
    /// A voice channel; it has a text chat too.
    Voice,
    /// A stream channel (`stream` or `streaming`); it has a text chat too.
    Stream,
    Forum,
    Doc,
    Announcement,
    Media,
    List,
    Scheduling,
    /// A calendar.
    Event,
    /// A kind gilt does not know, as the server named it.
    Other(String),
}

impl ContentType {
    /// From the wire name (`"chat"`, `"forum"`, …); unknown names are kept as they are.
    pub fn from_wire(name: &str) -> ContentType {
        match name {
            "chat" => ContentType::Chat,
            "voice" => ContentType::Voice,
            "stream" | "streaming" => ContentType::Stream,
            "forum" => ContentType::Forum,
            "doc" => ContentType::Doc,
            "announcement" => ContentType::Announcement,
            "media" => ContentType::Media,
            "list" => ContentType::List,
            "scheduling" => ContentType::Scheduling,
            "event" => ContentType::Event,
            other => ContentType::Other(other.to_owned()),
        }
    }

    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            ContentType::Chat => "chat",
            ContentType::Voice => "voice",
            ContentType::Stream => "stream",
            ContentType::Forum => "forum",
            ContentType::Doc => "doc",
            ContentType::Announcement => "announcement",
            ContentType::Media => "media",
            ContentType::List => "list",
            ContentType::Scheduling => "scheduling",
            ContentType::Event => "event",
            ContentType::Other(name) => name,
        }
    }

    /// Whether channels of this kind have a text chat the client can show.
    pub fn has_chat(&self) -> bool {
        matches!(
            self,
            ContentType::Chat | ContentType::Voice | ContentType::Stream
        )
    }
}

impl From<&str> for ContentType {
    fn from(name: &str) -> Self {
        ContentType::from_wire(name)
    }
}

impl std::fmt::Display for ContentType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a message is in its life from the client's point of view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Delivery {
    /// Known to the server (received from it, or our send confirmed).
    #[default]
    Confirmed,
    /// Our local echo: sent, not yet confirmed. Shown dimmed.
    Pending,
    /// Our send failed with this error; retry-able (the text is kept).
    Failed { error: String },
}

/// Reactions with one emoji on one message, aggregated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reaction {
    pub emoji_id: EmojiId,
    /// The emoji's name without colons (e.g. `tada`), or the id as text when unknown.
    pub name: String,
    /// Who reacted (for de-duplication of add/remove events); may be partial for REST pages.
    pub users: Vec<UserId>,
    /// How many reacted (at least `users.len()`).
    pub count: u32,
    /// Whether the session user is one of them.
    pub mine: bool,
}

/// A chat message as shown in a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: MessageId,
    pub channel_id: ChannelId,
    /// Author user id (for webhooks: the webhook id).
    pub author_id: UserId,
    /// Server creation time (for a pending echo: the client's estimate).
    pub created_at: Timestamp,
    /// Set once the message was edited; the UI shows "(edited)".
    pub edited_at: Option<Timestamp>,
    pub content: Content,
    /// Ids of the messages this one replies to.
    pub replies_to: Vec<MessageId>,
    /// Reactions in first-seen order.
    pub reactions: Vec<Reaction>,
    pub delivery: Delivery,
    /// A system message (member joined, channel renamed, …).
    pub is_system: bool,
    pub is_pinned: bool,
    /// Whether it mentions the session user (person mention, @everyone, @here).
    pub mentions_me: bool,
}

impl Message {
    /// The ordering key of a timeline: creation time, then id (ties broken deterministically).
    pub fn sort_key(&self) -> (Timestamp, &MessageId) {
        (self.created_at, &self.id)
    }
}

/// The reply context shown above a reply: "↳ alice: first words…".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyContext {
    /// The replied message's author display name (unsanitised: the UI sanitises).
    pub author: String,
    /// The first words of the replied message's plain text (at most ~60 characters).
    pub preview: String,
}

/// What the status bar shows of one socket group's connection (the main socket, or one
/// team's), from the gateway's `SocketState` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStatus {
    Connecting,
    Connected,
    /// Waiting to reconnect; the next attempt is at this instant (the UI shows "in N s").
    Reconnecting {
        at: std::time::Instant,
    },
    Offline,
}

/// Which socket a link status is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkGroup {
    Main,
    Team(TeamId),
}
