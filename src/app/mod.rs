//! The app model and its pure reducer: `update(&mut App, Msg, now) -> Vec<Effect>`.
//!
//! Rule: no IO, no clock reads, no terminal. Time comes in as `now: Instant` (and wall-clock
//! time inside messages or `Msg::WallClock`); message ids for sends come from a seeded
//! generator inside the model (`App::new(.., seed)`), so every run of a script is reproducible.
//!
//! What the UI reads (all through `&App`):
//! - `me`, `teams` (in `/me` order; each with ordered `categories` / `uncategorized` channel
//!   ids and `members`), `channels` (by id: name, kind, topic, `unread`, `mentions`), `dms`
//!   (DM channel ids, most recent first), `users`;
//! - [`App::sidebar_entries`] (the rows of the sidebar, in order) and `sidebar_cursor`;
//! - `current` (open channel id), [`App::timeline`] (its [`timeline::Timeline`]: messages
//!   in order via `iter`/`get_index`, `scroll`, `new_below`, `selected`, `revealed`,
//!   `has_past`, `loading_older`, `loaded`), [`App::reply_context`], [`App::display_name`];
//! - [`App::typing_line`] for the typing line; `composer` (text, cursor, `reply_to`,
//!   `editing`); `focus`; `popup` (help, switcher, delete confirmation, emoji picker);
//! - `links` (state per socket group), `auth_lost`, `notice`, [`App::unread_totals`],
//!   [`App::team_unread`]; `keymap` (for the help popup); `settings.clock`; `images` (previews).

pub mod activity;
#[cfg(test)]
mod activity_tests;
#[cfg(test)]
mod bounds_tests;
pub mod command;
pub mod completion;
#[cfg(test)]
mod completion_tests;
pub mod composer;
pub mod convert;
#[cfg(test)]
mod dms_tests;
#[cfg(test)]
mod effect_tests;
pub mod images;
pub mod key;
#[cfg(test)]
mod link_tests;
pub mod links;
#[cfg(test)]
mod message_tests;
pub mod model;
pub mod mouse;
mod settings;
pub use settings::Settings;
#[cfg(test)]
mod mouse_tests;
pub mod msg;
pub mod navigation;
pub mod notify;
#[cfg(test)]
mod notify_tests;
pub mod persist;
#[cfg(test)]
mod pins_tests;
pub mod presence;
#[cfg(test)]
mod presence_tests;
mod queries;
pub mod reactions;
#[cfg(test)]
mod reactions_tests;
pub mod search;
#[cfg(test)]
mod store_tests;
#[cfg(test)]
mod structure_tests;
#[cfg(test)]
mod tests;
pub mod timeline;
pub mod typing;
#[cfg(test)]
mod unread_tests;
#[cfg(test)]
mod untrusted_tests;
mod update;
#[cfg(test)]
mod window_tests;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::time::{Duration, Instant};

use jiff::Timestamp;

pub use self::command::{Command, KeyContext, Scope};
pub use self::composer::Composer;
pub use self::model::*;
pub use self::mouse::{Area, HitMap, Mouse, MouseAction, Shown};
pub use self::msg::{
    ApiFailure, ApiOp, ChatEvent, Effect, FailureKind, InitialData, Msg, PersistedState,
    StoredPage, TeamData, UnreadCount,
};
pub use self::navigation::{SidebarEntry, Switcher};
pub use self::notify::Notification;
use self::notify::Notifications;
pub use self::presence::MEMBER_PANE_MIN_WIDTH;
use self::timeline::Timeline;
use self::typing::Typing;
pub use self::update::{refresh_title, update};
use crate::keymap::Keymap;
use crate::protocol::IdMap;

/// Messages asked for per history page.
pub const HISTORY_PAGE: u32 = 50;
/// How long an informational notice stays in the status bar.
pub const NOTICE_SHOWN_FOR: Duration = Duration::from_secs(6);

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    Sidebar,
    /// Selection mode: a message is picked (`Timeline::selected`).
    Timeline,
    #[default]
    Composer,
}

/// A popup drawn over the panes; it takes the keys while open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    /// The key help (from the keymap), scrolled by `scroll` lines.
    Help { scroll: u16 },
    /// The Ctrl-K channel switcher.
    Switcher(Switcher),
    /// "Delete this message?" (y / n).
    ConfirmDelete {
        channel: ChannelId,
        message_id: MessageId,
    },
    /// The Ctrl-F search over stored messages.
    Search(search::SearchPopup),
    /// The emoji picker for a reaction (searchable, recent first).
    ReactionPicker(Box<reactions::ReactionPicker>),
    /// Who reacted to a message, per emoji; `scroll` lines down.
    Reactions {
        channel: ChannelId,
        message_id: MessageId,
        scroll: u16,
    },
    /// The links of the selected message, to pick the one to open.
    LinkPicker { links: Vec<String>, selected: usize },
    /// A channel's pinned messages (None while they load), newest first.
    Pins {
        channel: ChannelId,
        messages: Option<Vec<Message>>,
        selected: usize,
    },
    /// Choosing one's own status: `selected` indexes [`presence::OwnStatus::ALL`].
    Status { selected: usize },
    /// A non-chat channel's activity (live, newest first), scrolled by `scroll` lines.
    Activity { channel: ChannelId, scroll: usize },
}

/// A short message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
    pub until: Instant,
}

/// The whole client state.
#[derive(Debug, Clone)]
pub struct App {
    /// The session user.
    pub me: User,
    /// Teams in `/me` order.
    pub teams: Vec<Team>,
    /// Every known channel (team channels and DMs) by id.
    pub channels: IdMap<ChannelId, Channel>,
    /// DM channel ids, most recently active first.
    pub dms: Vec<ChannelId>,
    /// Users known outside team member lists (DM partners, the session user).
    pub users: IdMap<UserId, User>,
    /// Loaded histories (at most `settings.loaded_channels`, least recently used dropped).
    pub timelines: IdMap<ChannelId, Timeline>,
    /// Loaded channels, least recently used first.
    lru: VecDeque<ChannelId>,
    /// The team expanded in the sidebar.
    pub selected_team: Option<TeamId>,
    /// The open channel.
    pub current: Option<ChannelId>,
    pub focus: Focus,
    /// Index into [`App::sidebar_entries`] while the sidebar has focus.
    pub sidebar_cursor: usize,
    /// The composer of the open channel.
    pub composer: Composer,
    /// The completion popup over the composer, if the word at the cursor has candidates.
    pub completion: Option<completion::Completion>,
    /// The sigil position of the word whose completion the user closed (Esc).
    completion_dismissed: Option<usize>,
    /// Drafts of the other channels.
    drafts: HashMap<ChannelId, Composer>,
    /// Text of our pending/failed sends (to retry, copy or edit them back).
    sent_text: IdMap<MessageId, String>,
    /// Sends that could not reach the server, in the order written: resent when the main
    /// link is (re)connected.
    waiting_sends: Vec<(ChannelId, MessageId)>,
    /// A search result being opened: selected once its channel's page holds it.
    jump_to: Option<(ChannelId, MessageId)>,
    /// What our unconfirmed edits and deletes replaced, oldest first (bounded), to roll them
    /// back if the server refuses.
    undo: VecDeque<(MessageId, Undo)>,
    pub typing: Typing,
    pub popup: Option<Popup>,
    /// Link state per socket group.
    pub links: BTreeMap<LinkGroup, LinkStatus>,
    /// Team sockets that went offline (refused, or given up): when each is tried again, and
    /// how often it was. Shown on the team in the sidebar, not in the status bar.
    team_socket_retry: BTreeMap<TeamId, SocketRetry>,
    /// The session expired: the UI shows "log in again"; drafts are kept.
    pub auth_lost: bool,
    pub notice: Option<Notice>,
    /// Notification rate limits and whether the terminal has focus.
    pub notifications: Notifications,
    /// Channels the user muted: no notification, their unread count drawn dim (persisted).
    pub muted: BTreeSet<ChannelId>,
    /// The team's custom reactions and the recently used ones, for the picker.
    pub reactions: reactions::ReactionBook,
    pub images: images::Images,
    /// The window title last asked for (so it is only rewritten when it changes).
    title_shown: Option<String>,
    /// Something the title counts may have changed since it was last worked out.
    title_stale: bool,
    pub keymap: Keymap,
    pub settings: Settings,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// The time zone message times are shown in (the runtime sets the system zone; UTC by
    /// default so tests and snapshots are stable).
    pub time_zone: jiff::tz::TimeZone,
    /// Start-up data arrived.
    pub loaded: bool,
    /// What is shown came from the local store; the server has not answered yet.
    pub cached: bool,
    /// Recently opened channels, most recent last (the switcher ranks them first).
    recent: VecDeque<ChannelId>,
    /// Last channel opened per team (Alt-N returns there).
    team_last: HashMap<TeamId, ChannelId>,
    /// State restored before the start-up data arrived.
    pending_restore: Option<PersistedState>,
    /// When the drafts are saved after the last edit of the open one.
    draft_save_at: Option<Instant>,
    /// Per channel, the newest message the user has seen (persisted; see `update/unread`).
    read_markers: IdMap<ChannelId, Timestamp>,
    /// The main link has been connected before (so its next `Connected` is a reconnect).
    main_was_connected: bool,
    /// (instant, wall time) pair from `Msg::WallClock`, to stamp local echoes.
    wall: Option<(Instant, Timestamp)>,
    /// The `now` of the latest `update` (for countdown deadlines).
    last_now: Option<Instant>,
    /// Threads by their channel id (each thread is also in `channels`): shown under the parent.
    pub threads: HashMap<ChannelId, Thread>,
    /// The person we asked to open a DM with (it opens when it arrives).
    dm_pending: Option<UserId>,
    /// The message we asked to start a thread from (its thread opens when it arrives).
    thread_pending: Option<MessageId>,
    /// Teams whose structure changed without saying how, and when each is refetched.
    team_refetch: BTreeMap<TeamId, Instant>,
    /// Who is online, the status we chose, members' role colours.
    pub presence: presence::Presences,
    /// The member pane (`Alt-m`).
    pub member_pane: presence::MemberPane,
    /// What happened in the non-chat channels since start.
    pub activity: activity::Activity,
    /// State of the id generator (splitmix64).
    rng: u64,
    /// Set whenever the model changes; the runtime draws only when it is set.
    dirty: bool,
}

/// How many unconfirmed edits and deletes can be rolled back.
const UNDO_KEPT: usize = 64;

/// What an edit or delete applied before the server answered replaced.
#[derive(Debug, Clone)]
enum Undo {
    Edit {
        content: crate::protocol::content::RichText,
        edited_at: Option<Timestamp>,
    },
    Delete(Box<Message>),
}

/// A team socket that went offline: the next attempt (None: given up) and attempts so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SocketRetry {
    at: Option<Instant>,
    attempts: u32,
}

impl App {
    /// An empty model. `seed` feeds the message-id generator (the runtime passes a random
    /// seed; tests a fixed one).
    pub fn new(settings: Settings, keymap: Keymap, seed: u64) -> App {
        App {
            me: User::default(),
            teams: Vec::new(),
            channels: IdMap::default(),
            dms: Vec::new(),
            users: IdMap::default(),
            timelines: IdMap::default(),
            lru: VecDeque::new(),
            selected_team: None,
            current: None,
            focus: Focus::Composer,
            sidebar_cursor: 0,
            composer: Composer::default(),
            completion: None,
            completion_dismissed: None,
            drafts: HashMap::new(),
            sent_text: IdMap::default(),
            waiting_sends: Vec::new(),
            jump_to: None,
            undo: VecDeque::new(),
            typing: Typing::default(),
            popup: None,
            links: BTreeMap::new(),
            team_socket_retry: BTreeMap::new(),
            auth_lost: false,
            notice: None,
            notifications: Notifications::default(),
            muted: BTreeSet::new(),
            reactions: reactions::ReactionBook::default(),
            images: images::Images::default(),
            title_shown: None,
            title_stale: false,
            keymap,
            settings,
            size: (80, 24),
            time_zone: jiff::tz::TimeZone::UTC,
            loaded: false,
            cached: false,
            recent: VecDeque::new(),
            team_last: HashMap::new(),
            pending_restore: None,
            draft_save_at: None,
            read_markers: IdMap::default(),
            main_was_connected: false,
            wall: None,
            last_now: None,
            threads: HashMap::new(),
            thread_pending: None,
            dm_pending: None,
            team_refetch: BTreeMap::new(),
            presence: presence::Presences::default(),
            member_pane: presence::MemberPane::default(),
            activity: activity::Activity::default(),
            rng: seed,
            dirty: true,
        }
    }

    /// Whether the model changed since the last call (and reset the flag).
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// Whether a redraw is pending (without resetting it).
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Ask for a redraw (the runtime postpones one that came too soon after the last frame).
    pub fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    /// The `now` of the latest `update` (the UI uses it for the typing line and countdowns).
    pub fn now(&self) -> Option<Instant> {
        self.last_now
    }

    /// The open channel.
    pub fn current_channel(&self) -> Option<&Channel> {
        self.current.as_ref().and_then(|id| self.channels.get(id))
    }

    /// The open channel's timeline.
    pub fn timeline(&self) -> Option<&Timeline> {
        self.current.as_ref().and_then(|id| self.timelines.get(id))
    }

    /// The earliest instant at which the model changes by itself (a typing notice or a status
    /// notice expires; a reconnect countdown ticks). None: nothing to wake up for.
    pub fn next_deadline(&self) -> Option<Instant> {
        let mut next = self.typing.next_deadline();
        let mut consider = |t: Instant| {
            next = Some(next.map_or(t, |n| n.min(t)));
        };
        if let Some(n) = &self.notice {
            consider(n.until);
        }
        if let Some(t) = self.notifications.next_deadline() {
            consider(t);
        }
        for at in self.team_refetch.values() {
            consider(*at);
        }
        if let Some(at) = self.draft_save_at {
            consider(at);
        }
        for retry in self.team_socket_retry.values() {
            if let Some(at) = retry.at {
                consider(at);
            }
        }
        for state in self.links.values() {
            if let LinkStatus::Reconnecting { at } = state {
                // The status bar counts down in whole seconds until the attempt.
                let tick = self
                    .last_now
                    .map_or(*at, |n| (n + update::COUNTDOWN_TICK).min(*at));
                if self.last_now.is_none_or(|n| n < *at) {
                    consider(tick);
                }
            }
        }
        next
    }

    /// Remember what an unconfirmed edit or delete replaced (the oldest is forgotten beyond
    /// [`UNDO_KEPT`]).
    fn remember_undo(&mut self, id: MessageId, undo: Undo) {
        self.undo.retain(|(m, _)| m != &id);
        if self.undo.len() >= UNDO_KEPT {
            self.undo.pop_front();
        }
        self.undo.push_back((id, undo));
    }

    /// Take what an edit or delete of this message replaced.
    fn take_undo(&mut self, id: &MessageId) -> Option<Undo> {
        let i = self.undo.iter().position(|(m, _)| m == id)?;
        self.undo.remove(i).map(|(_, u)| u)
    }

    /// Whether a team's socket is down (refused or given up), so its live updates are missing.
    pub fn team_socket_down(&self, team: &TeamId) -> bool {
        self.team_socket_retry.contains_key(team)
    }

    /// Drafts and last channel, as persisted by the runtime.
    pub fn persisted_state(&self) -> PersistedState {
        let mut drafts: BTreeMap<ChannelId, String> = self
            .drafts
            .iter()
            .filter(|(_, c)| !c.is_empty() && c.editing.is_none())
            .map(|(id, c)| (id.clone(), c.text().to_owned()))
            .collect();
        if let Some(cur) = &self.current
            && !self.composer.is_empty()
            && self.composer.editing.is_none()
        {
            drafts.insert(cur.clone(), self.composer.text().to_owned());
        }
        PersistedState {
            last_channel: self.current.clone(),
            drafts,
            read_markers: self
                .read_markers
                .iter()
                .map(|(id, at)| (id.clone(), *at))
                .collect(),
            recent_reactions: self.reactions.recent.clone(),
            muted: self.muted.clone(),
        }
    }

    /// The draft kept for a channel other than the open one.
    pub fn draft(&self, channel: &ChannelId) -> Option<&Composer> {
        if self.current.as_ref() == Some(channel) {
            Some(&self.composer)
        } else {
            self.drafts.get(channel)
        }
    }

    /// A fresh uuid v4 for a message we send (pure: from the seeded generator).
    fn next_message_id(&mut self) -> MessageId {
        let mut bytes = [0u8; 16];
        for chunk in bytes.chunks_mut(8) {
            self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.rng;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes());
        }
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
            .into()
    }

    /// Our best estimate of the wall clock at `now`.
    fn wall_now(&self, now: Instant) -> Timestamp {
        if let Some((at, ts)) = self.wall {
            let elapsed = now.saturating_duration_since(at);
            if let Ok(d) = jiff::SignedDuration::try_from(elapsed)
                && let Ok(t) = ts.checked_add(d)
            {
                return t;
            }
            return ts;
        }
        self.timeline()
            .and_then(Timeline::newest_time)
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn notify(&mut self, text: impl Into<String>, is_error: bool, now: Instant) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error,
            until: now
                + if is_error {
                    NOTICE_SHOWN_FOR * 2
                } else {
                    NOTICE_SHOWN_FOR
                },
        });
    }

    /// Rows the timeline has (for page sizes and "near the top").
    fn timeline_rows(&self) -> usize {
        usize::from(self.size.1.saturating_sub(6)).max(1)
    }
}
