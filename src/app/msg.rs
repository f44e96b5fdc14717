//! What flows into the reducer (`Msg`) and what comes out of it (`Effect`).
//!
//! Pure data: the runtime turns terminal input, gateway events and REST results into `Msg`s
//! and executes `Effect`s; nothing here does IO.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::activity::ActivityItem;
use super::key::Key;
use super::model::{
    Category, Channel, ChannelId, EmojiId, LinkGroup, LinkStatus, Message, MessageId, TeamId,
    Thread, User, UserId,
};
use super::mouse::{HitMap, Mouse, Shown};
use super::notify::Notification;
use super::persist::{OutboxEntry, Write};
use super::presence::{OwnStatus, PresenceStatus, RoleColor};
use super::search::{SearchHit, SearchQuery};
use crate::protocol::content::RichText;
use crate::protocol::events::GuildedEvent;

/// Everything that can change the model.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key press or repeat (the runtime converts terminal events, dropping releases).
    Key(Key),
    /// A mouse click or wheel notch (only with `mouse = true`), with where the last frame
    /// drew what, so the reducer can tell what it landed on.
    Mouse { mouse: Mouse, hits: Box<HitMap> },
    /// Bracketed paste: inserted into the composer (or the switcher query) as typed text.
    Paste(String),
    /// The terminal size changed (columns, rows): used for page sizes.
    Resize { width: u16, height: u16 },
    /// A deadline from [`crate::app::App::next_deadline`] passed (typing expiry, notices).
    Tick,
    /// The wall clock at `now` (sent once at start-up, and whenever the runtime likes):
    /// lets the pure reducer stamp local echoes without reading a clock.
    WallClock(Timestamp),
    /// A Guilded gateway event (converted with `app::convert::chat_event`).
    Gateway(GuildedEvent),
    /// An event already in the client's terms (tests, and events the runtime builds).
    Chat(ChatEvent),
    /// Messages of a channel that a reconnect missed, oldest first: merged as if live, but no
    /// bell rings and nobody is notified for them.
    Backfill {
        channel: ChannelId,
        messages: Vec<Message>,
    },
    /// Image URLs the last frame would have previewed but knows nothing about (the UI
    /// reports them after drawing; the reducer asks for each once).
    ImagesWanted(Vec<String>),
    /// What the frame just drawn showed of the open timeline (sent right after each frame).
    Shown(Shown),
    /// A fetched image, decoded and scaled (or why not).
    ImageLoaded {
        url: String,
        result: Result<std::sync::Arc<super::images::Preview>, String>,
    },
    /// The draft of `channel` as the external editor left it.
    EditedExternally { channel: ChannelId, text: String },
    /// Something the edge did for the user failed (opening a link, the external editor): the
    /// reason, shown as an error in the status bar.
    ActionFailed(String),
    /// The terminal gained (`true`) or lost focus (focus reporting, where the terminal has it).
    Focus(bool),
    /// Unread state from the server (start-up, and after a reconnect): every channel whose
    /// answer carried an unread map (zero where the map has no entry). Channels not listed
    /// are counted from the read markers.
    UnreadState(HashMap<ChannelId, UnreadCount>),
    /// The messages after a channel's read marker (`Effect::CountUnread`), newest first.
    UnreadSince {
        channel: ChannelId,
        messages: Vec<Message>,
    },
    /// Messages of a channel are known missing after `after` (the gateway keeps filling the
    /// gap); `None`: filled.
    Gap {
        channel: ChannelId,
        after: Option<Timestamp>,
    },
    /// A socket group's link changed state.
    Link { group: LinkGroup, state: LinkStatus },
    /// Start-up data: who we are, teams (in `/me` order) with channels and members, DMs.
    Loaded(InitialData),
    /// Start-up data from the local store, before the network answers: shown (marked
    /// "cached") until `Loaded` merges the server's answer in.
    Cached(InitialData),
    /// Sends the local store still held at start-up (the last run ended before the server
    /// had them): shown as failed echoes, resent with the retry key.
    RestoreOutbox(Vec<OutboxEntry>),
    /// The local store could not be opened: the client runs from memory only.
    StoreUnavailable(String),
    /// The answer to `Effect::Search` number `seq`: hits newest first, or why there are none.
    SearchResults {
        seq: u64,
        result: Result<Vec<SearchHit>, String>,
    },
    /// One team's channels and members (start-up, or after joining a team).
    TeamLoaded(TeamData),
    /// A team's authoritative lists, refetched after a structure change (`Effect::RefreshTeam`):
    /// its channels replace the ones held (when `channels_loaded`).
    TeamRefreshed(TeamData),
    /// Persisted drafts and last channel (sent right after `Loaded`).
    RestoreState(PersistedState),
    /// A page of history, newest first or in any order (merged by id).
    History {
        channel: ChannelId,
        messages: Vec<Message>,
        /// Whether older messages exist beyond this page.
        has_past: bool,
        /// `true` if this page was asked for with `beforeDate` (older messages),
        /// `false` for the latest page or a reconnect backfill.
        older: bool,
    },
    /// A page of history read from the local store (never written back to it): what the
    /// store could answer alone, from a complete stretch of the channel (see
    /// `store::spans`).
    StoredHistory {
        channel: ChannelId,
        messages: Vec<Message>,
        /// Whether older messages exist beyond this page (stored or on the server).
        has_past: bool,
        /// What it answers.
        page: StoredPage,
    },
    /// The server accepted our message (the REST answer; the gateway event confirms too).
    SendConfirmed {
        channel: ChannelId,
        message_id: MessageId,
        created_at: Option<Timestamp>,
    },
    /// A channel's pinned messages (`GET /channels/{id}/pins`), newest first.
    Pins {
        channel: ChannelId,
        messages: Vec<Message>,
    },
    /// A REST call failed: which call, and why (the reducer decides what each failure does;
    /// an unauthorized one means "log in again").
    ApiFailed { op: ApiOp, failure: ApiFailure },
    /// The gateway refused the session (on a socket upgrade or while catching up): "log in
    /// again"; drafts are kept.
    Unauthorized,
}

/// What a page from the local store answers (`Msg::StoredHistory`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredPage {
    /// The newest stored page, shown until the server's arrives.
    Latest,
    /// The page before this instant (the oldest message held when it was asked for).
    Before(Timestamp),
    /// The messages around this one (opening a search result).
    Around(MessageId),
}

/// Which REST call failed (what the user was doing, and on what).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiOp {
    /// The start-up load of teams, channels, members and DMs.
    Start,
    /// Sending our message (its echo is marked failed).
    Send {
        channel: ChannelId,
        message_id: MessageId,
    },
    Edit {
        channel: ChannelId,
        message_id: MessageId,
    },
    Delete {
        channel: ChannelId,
        message_id: MessageId,
    },
    AddReaction {
        channel: ChannelId,
        message_id: MessageId,
    },
    RemoveReaction {
        channel: ChannelId,
        message_id: MessageId,
    },
    MarkSeen {
        channel: ChannelId,
    },
    /// A page of a channel's history.
    History {
        channel: ChannelId,
    },
    /// A team we just joined.
    LoadTeam {
        team: TeamId,
    },
    /// Starting a thread.
    CreateThread {
        channel: ChannelId,
    },
    /// Opening a DM with someone.
    OpenDm {
        user: UserId,
    },
    /// Pinning or unpinning a message.
    Pin {
        channel: ChannelId,
        message_id: MessageId,
    },
    /// Listing a channel's pinned messages.
    Pins {
        channel: ChannelId,
    },
    /// Setting the session user's own status (what it was before, to put back).
    SetPresence {
        previous: Option<OwnStatus>,
    },
    /// Refetching a team's lists after a structure change.
    RefreshTeam {
        team: TeamId,
    },
    /// Fetching what a channel missed while the gateway was away.
    Backfill {
        channel: ChannelId,
    },
}

/// Why a REST call failed, in the client's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFailure {
    pub kind: FailureKind,
    /// The reason for people ("cannot reach the server: …", the server's own message).
    pub message: String,
}

/// The kinds of failure the client tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The session is gone: only a new login helps.
    Unauthorized,
    Forbidden,
    NotFound,
    RateLimited,
    /// The server answered with a 5xx.
    Server,
    /// No connection (after the bounded retries).
    Network,
    /// No answer in time (after the bounded retries).
    Timeout,
    /// Anything else (another status, an unreadable answer).
    Other,
}

/// A chat-relevant gateway event in the client's terms.
#[derive(Debug, Clone, PartialEq)]
pub enum ChatEvent {
    MessageCreated {
        message: Message,
        team_id: Option<TeamId>,
    },
    MessageUpdated {
        channel: ChannelId,
        message_id: MessageId,
        content: RichText,
        edited_at: Option<Timestamp>,
    },
    MessageDeleted {
        channel: ChannelId,
        message_id: MessageId,
    },
    Typing {
        channel: ChannelId,
        user: UserId,
    },
    ReactionAdded {
        channel: ChannelId,
        message_id: MessageId,
        emoji_id: EmojiId,
        emoji_name: Option<String>,
        user: UserId,
    },
    ReactionRemoved {
        channel: ChannelId,
        message_id: MessageId,
        emoji_id: EmojiId,
        user: UserId,
    },
    PinChanged {
        channel: ChannelId,
        message_id: MessageId,
        pinned: bool,
    },
    DmCreated {
        channel: Channel,
        users: Vec<User>,
    },
    /// A team channel was created or updated (name, topic, category, priority).
    ChannelUpserted(Channel),
    ChannelDeleted {
        team_id: TeamId,
        channel: ChannelId,
    },
    MemberJoined {
        team_id: TeamId,
        user: User,
    },
    MemberRemoved {
        team_id: TeamId,
        user: UserId,
    },
    /// Name and/or nickname changed (`None` = unchanged).
    MemberUpdated {
        team_id: TeamId,
        user: UserId,
        name: Option<String>,
        nickname: Option<Option<String>>,
    },
    /// The session user read this channel in another session.
    ChannelSeen {
        channel: ChannelId,
    },
    /// The session user joined (`removed: false`) or left a team.
    TeamsChanged {
        team_id: TeamId,
        removed: bool,
    },
    /// Several messages of one channel were deleted at once.
    MessagesDeleted {
        channel: ChannelId,
        message_ids: Vec<MessageId>,
    },
    /// A member's messages were purged from a team (gone from its loaded channels).
    MemberMessagesPurged {
        team_id: TeamId,
        user: UserId,
    },
    /// Team channels left this account's view (hidden, archived or deleted).
    ChannelsRemoved {
        team_id: Option<TeamId>,
        channels: Vec<ChannelId>,
    },
    /// A category was created, renamed or moved.
    CategoryUpserted {
        team_id: TeamId,
        category: Category,
    },
    /// A category was deleted (its id, when the event said which).
    CategoryDeleted {
        team_id: TeamId,
        category_id: Option<i64>,
    },
    /// A team was renamed.
    TeamRenamed {
        team_id: TeamId,
        name: String,
    },
    /// A team's structure changed in a way the event does not spell out: refetch its lists.
    TeamStale {
        team_id: TeamId,
    },
    /// A thread exists (started now, or listed in the team's `temporalChannels`).
    ThreadCreated {
        channel: Channel,
        thread: Thread,
    },
    /// Users' presence: a presence event, or what a member list, the DM list or `/me` said.
    Presence(Vec<(UserId, PresenceStatus)>),
    /// A team's members' role colours (every team load carries them all).
    RoleColors {
        team_id: TeamId,
        colors: HashMap<UserId, RoleColor>,
    },
    /// Several members left a team at once.
    MembersRemoved {
        team_id: TeamId,
        users: Vec<UserId>,
    },
    /// A user's account name changed.
    UserRenamed {
        user: UserId,
        name: String,
    },
    /// Someone joined a voice or stream channel (leaving any other).
    VoiceJoined {
        channel: ChannelId,
        user: UserId,
    },
    /// Someone left a voice or stream channel (None: whichever they were in).
    VoiceLeft {
        channel: Option<ChannelId>,
        user: UserId,
    },
    /// Who is in a voice or stream channel (the channel list's `voiceParticipants`).
    VoiceParticipants {
        channel: ChannelId,
        users: Vec<UserId>,
    },
    /// Something happened in a non-chat channel (a forum post, a calendar event, …).
    Activity {
        channel: ChannelId,
        item: ActivityItem,
    },
    /// A user's nickname changed in every team they are in (`None`: reset).
    NicknameEverywhere {
        user: UserId,
        nickname: Option<String>,
    },
}

/// Start-up data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InitialData {
    pub me: User,
    /// Teams in `/me` order; their channels may come later in `Msg::TeamLoaded`.
    pub teams: Vec<TeamData>,
    /// DM channels.
    pub dms: Vec<Channel>,
    /// Users seen in DMs (display names).
    pub users: Vec<User>,
    /// The custom reactions of the user's teams (`customReactions` of `/me`).
    pub custom_reactions: Vec<super::reactions::CustomEmoji>,
    /// The server's unread state, when it came with the load (the channel lists carry it):
    /// then no separate request for it is needed. None from the store's snapshot.
    pub unread: Option<HashMap<ChannelId, UnreadCount>>,
}

/// One team with its channels, categories (channels lists may be empty: the reducer fills and
/// orders them) and members.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TeamData {
    pub id: TeamId,
    pub name: String,
    pub channels: Vec<Channel>,
    pub categories: Vec<Category>,
    pub members: Vec<User>,
    /// `false` when only the team's name is known yet.
    pub channels_loaded: bool,
}

/// What survives a restart: drafts per channel, the last channel open, read markers, the
/// recently used reactions and the muted channels.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PersistedState {
    pub last_channel: Option<ChannelId>,
    pub drafts: BTreeMap<ChannelId, String>,
    /// Per channel, the `createdAt` of the newest message the user has seen there: where the
    /// server says nothing about unread state, the next start counts from it.
    pub read_markers: BTreeMap<ChannelId, Timestamp>,
    /// The reactions used lately, most recent first: (emoji id, name).
    pub recent_reactions: Vec<(super::model::EmojiId, String)>,
    /// The channels the user muted.
    pub muted: std::collections::BTreeSet<ChannelId>,
}

/// A channel's unread state as the server reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UnreadCount {
    pub unread: u32,
    pub mentions: u32,
}

/// What the reducer asks the runtime to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// `POST /channels/{channel}/messages` with this client-chosen id.
    SendMessage {
        channel: ChannelId,
        message_id: MessageId,
        content: RichText,
        replies_to: Vec<MessageId>,
    },
    /// `PUT /channels/{channel}/messages/{id}`.
    EditMessage {
        channel: ChannelId,
        message_id: MessageId,
        content: RichText,
    },
    /// `DELETE /channels/{channel}/messages/{id}`.
    DeleteMessage {
        channel: ChannelId,
        message_id: MessageId,
    },
    /// `POST …/reactions/{emoji_id}`.
    AddReaction {
        channel: ChannelId,
        message_id: MessageId,
        emoji_id: EmojiId,
    },
    /// `DELETE …/reactions/{emoji_id}`.
    RemoveReaction {
        channel: ChannelId,
        message_id: MessageId,
        emoji_id: EmojiId,
    },
    /// `PUT /channels/{channel}/seen`.
    MarkSeen { channel: ChannelId },
    /// Fetch the server's unread state (teams' channel lists, the DM list); answer with
    /// `Msg::UnreadState`.
    RefreshUnread { me: UserId, teams: Vec<TeamId> },
    /// `GET /channels/{channel}/messages?afterDate=after` (at most 100, a few at a time);
    /// answer with `Msg::UnreadSince`.
    CountUnread {
        channel: ChannelId,
        after: Timestamp,
    },
    /// `GET /channels/{channel}/messages?limit=&beforeDate=`; answer with `Msg::History`.
    LoadHistory {
        channel: ChannelId,
        before: Option<Timestamp>,
        limit: u32,
    },
    /// Fetch a team we just joined (team, channels, members); answer with `Msg::TeamLoaded`.
    LoadTeam { team: TeamId },
    /// `POST /channels/{channel}/threads` from `message`; the new thread comes back as
    /// `ChatEvent::ThreadCreated` (and as the gateway's `TemporalChannelCreated`).
    CreateThread {
        channel: ChannelId,
        message: MessageId,
        name: String,
    },
    /// `POST /channels/{channel}/pins` `{messageId}`, or `DELETE …/pins/{messageId}`.
    SetPin {
        channel: ChannelId,
        message_id: MessageId,
        pin: bool,
    },
    /// `GET /channels/{channel}/pins`; answer with `Msg::Pins`.
    LoadPins { channel: ChannelId },
    /// `POST /users/{me}/channels` `{"users":[{"id": user}]}`: open (or find) a DM; the
    /// answer comes back as `ChatEvent::DmCreated`.
    OpenDm { me: UserId, user: UserId },
    /// `POST /users/me/presence` with the status's number; nothing comes back but a failure
    /// (the gateway's presence event confirms it).
    SetPresence {
        status: OwnStatus,
        previous: Option<OwnStatus>,
    },
    /// Refetch a team's authoritative lists (team, channels, members) after structure
    /// events; answer with `Msg::TeamRefreshed`.
    RefreshTeam { team: TeamId },
    /// Open (or restart, if it gave up) the gateway socket of a team we belong to.
    OpenTeamSocket { team: TeamId },
    /// Close the gateway socket of a team we left.
    CloseTeamSocket { team: TeamId },
    /// Gateway `42["ChatChannelTyping",{"channelId":…}]`.
    SendTyping { channel: ChannelId },
    /// Keep this channel complete across reconnects: the gateway fetches what arrives after
    /// `newest` (the newest message held; it only moves forward) and sends it as live events.
    TrackChannel {
        channel: ChannelId,
        newest: Option<Timestamp>,
    },
    /// The channel's history was unloaded: stop catching up on it.
    UntrackChannel { channel: ChannelId },
    /// The user says the network is back: every socket waiting to reconnect tries at once, and
    /// connected ones are checked (and rebuilt, with a backfill, unless they answer).
    ReconnectNow,
    /// Copy this (unsanitised) text to the clipboard (OSC 52); the runtime sanitises it.
    Copy(String),
    /// Announce a DM or a mention (the edge picks OSC 9/777 and/or the bell from the config
    /// and the terminal).
    Notify(Notification),
    /// Hand the terminal to `$VISUAL`/`$EDITOR` on this draft of `channel`; answer with
    /// `Msg::EditedExternally` (or `Msg::ActionFailed`).
    EditExternally { channel: ChannelId, text: String },
    /// Open a web link with the system opener (`xdg-open`, `open`).
    OpenUrl(String),
    /// Fetch an `http(s)` image (size-capped), decode and scale it off the UI thread; answer
    /// with `Msg::ImageLoaded`.
    FetchImage(String),
    /// Set the terminal window title (the edge sanitises it and restores the old one on exit).
    SetTitle(String),
    /// Persist drafts and the last channel (atomic write of the state file).
    SaveState(PersistedState),
    /// Keep this in the local store (dropped when there is none).
    Persist(Write),
    /// Search the stored messages; answer with `Msg::SearchResults` carrying `seq`.
    Search {
        seq: u64,
        query: SearchQuery,
        limit: usize,
    },
    /// A stored message with what surrounds it, up to the newest stored (opening a search
    /// result); answer with `Msg::History`.
    LoadAround {
        channel: ChannelId,
        message_id: MessageId,
    },
    /// Leave the event loop (the runtime saves state first if asked by a `SaveState`).
    Quit,
}
