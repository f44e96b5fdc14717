//! What the reducer asks to keep: plain data in the app's own terms (no SQL, no IO), the
//! payload of `Effect::Persist`. The store (`crate::store`) applies each [`Write`] on its own
//! thread; this module only says what changed, so the reducer stays pure.

use jiff::Timestamp;

use super::model::{Channel, ChannelId, EmojiId, Message, MessageId, TeamId, User, UserId};
use super::msg::{InitialData, PersistedState, TeamData};
use crate::protocol::content::RichText;

/// One change to the store. Applied in the order written; each one whole or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    /// The start-up load (`Msg::Loaded`): who we are, the teams in order (teams no longer
    /// listed are forgotten), their channels and members, the DMs and their users.
    Loaded(Box<InitialData>),
    /// One team's data (`Msg::TeamLoaded`): its channel list replaces the stored one when it
    /// was loaded; members are added or updated.
    Team(TeamData),
    /// A team we left.
    RemoveTeam(TeamId),
    /// A channel created or changed (a DM included).
    Channel(Channel),
    /// A channel deleted.
    RemoveChannel(ChannelId),
    /// People's names (DM partners, authors).
    Users(Vec<User>),
    /// A team member joined or changed their nickname.
    Member { team: TeamId, user: User },
    /// Messages from the server (a history page, a gateway event, a confirmed send): stored
    /// by id; a newer edit wins, an older copy never overwrites a newer one, a deleted
    /// message stays deleted, and pending or failed echoes are skipped (the outbox has them).
    Messages(Vec<Message>),
    /// Every message of `channel` created from `from` (`None`: since the channel began) to
    /// `to`, both included, is among those written: a stretch of history the store may page
    /// through without asking the server.
    Span {
        channel: ChannelId,
        from: Option<Timestamp>,
        to: Timestamp,
    },
    /// An edit of a message no timeline holds: applied to the stored copy if newer.
    Edit {
        message_id: MessageId,
        content: RichText,
        edited_at: Option<Timestamp>,
    },
    /// A reaction added (or removed) on a message no timeline holds; `me` decides `mine`.
    Reaction {
        message_id: MessageId,
        emoji_id: EmojiId,
        emoji_name: Option<String>,
        user: UserId,
        me: UserId,
        added: bool,
    },
    /// A message no timeline holds was pinned or unpinned.
    Pin { message_id: MessageId, pinned: bool },
    /// A message deleted.
    DeleteMessage(MessageId),
    /// A channel was read up to here (only moves forward).
    ReadMarker(ReadMarker),
    /// A channel's draft; an empty text clears it.
    Draft { channel: ChannelId, text: String },
    /// `Effect::SaveState`: exactly these drafts, and the last channel open.
    SaveState(PersistedState),
    /// A message to send when possible (or an updated entry).
    OutboxPut(OutboxEntry),
    /// A send of this outbox entry is being tried.
    OutboxAttempt(MessageId),
    /// The server accepted this outbox entry.
    OutboxSent(MessageId),
    /// Sending this outbox entry failed for good.
    OutboxFailed {
        message_id: MessageId,
        error: String,
    },
    /// This outbox entry is done with.
    OutboxRemove(MessageId),
}

/// One unsent (or not yet confirmed) message: what `Effect::SendMessage` carries, plus its
/// bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// The client-chosen message id (the server deduplicates by it, so a resend is safe).
    pub message_id: MessageId,
    pub channel: ChannelId,
    pub content: RichText,
    pub replies_to: Vec<MessageId>,
    /// When it was written.
    pub created_at: Timestamp,
    /// How many sends were tried.
    pub attempts: u32,
    pub state: OutboxState,
}

/// Where an outbox entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxState {
    /// Waiting to be sent (or re-sent).
    Queued,
    /// The server accepted it; waiting for the confirmation to remove it.
    Sent,
    /// Sending failed for good, for this reason.
    Failed(String),
}

/// How far a channel has been read: the newest message seen there, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadMarker {
    pub channel: ChannelId,
    /// The newest message seen (unknown when the channel was marked read without one).
    pub message: Option<MessageId>,
    pub at: Timestamp,
}
