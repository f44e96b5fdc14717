//! Who is online: each known user's presence, the status the session user chose, members'
//! role colours, and the member pane (which members it lists, grouped by presence).
//!
//! Pure data and pure functions of the model: no IO. Presence is per user (Guilded's is
//! account-wide); role colours are per team.

use std::collections::HashMap;

use super::App;
use super::model::{ChannelId, ChannelKind, TeamId, User, UserId};

pub use crate::protocol::models::PresenceStatus;

/// At most this many users' presence is kept (a hostile server must not grow it without
/// end); beyond it, only users already known are updated.
pub const MAX_PRESENCE: usize = 200_000;

/// At most this many people are listed under one voice channel.
pub const MAX_IN_VOICE: usize = 200;

/// Below this terminal width the member pane is not drawn (the timeline needs the room).
pub const MEMBER_PANE_MIN_WIDTH: u16 = 100;

/// The status the session user can set (`POST /users/me/presence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnStatus {
    Online,
    Idle,
    DoNotDisturb,
    /// Shown to others as offline.
    Invisible,
}

impl OwnStatus {
    /// Every choice, in the order the status popup lists them.
    pub const ALL: [OwnStatus; 4] = [
        OwnStatus::Online,
        OwnStatus::Idle,
        OwnStatus::DoNotDisturb,
        OwnStatus::Invisible,
    ];

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            OwnStatus::Online => "online",
            OwnStatus::Idle => "idle",
            OwnStatus::DoNotDisturb => "do not disturb",
            OwnStatus::Invisible => "invisible",
        }
    }

    /// The wire number of `POST /users/me/presence` (invisible is sent as offline).
    pub fn code(self) -> i64 {
        self.presence().code()
    }

    /// How others see it.
    pub fn presence(self) -> PresenceStatus {
        match self {
            OwnStatus::Online => PresenceStatus::Online,
            OwnStatus::Idle => PresenceStatus::Idle,
            OwnStatus::DoNotDisturb => PresenceStatus::DoNotDisturb,
            OwnStatus::Invisible => PresenceStatus::Offline,
        }
    }

    /// The status a presence stands for (offline reads as invisible: we are connected).
    pub fn from_presence(p: PresenceStatus) -> OwnStatus {
        match p {
            PresenceStatus::Online => OwnStatus::Online,
            PresenceStatus::Idle => OwnStatus::Idle,
            PresenceStatus::DoNotDisturb => OwnStatus::DoNotDisturb,
            PresenceStatus::Offline => OwnStatus::Invisible,
        }
    }
}

/// A role colour (`#rrggbb` of the member's highest coloured role).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoleColor(pub u8, pub u8, pub u8);

impl RoleColor {
    /// From `#rrggbb` (or `rrggbb`); anything else is None.
    pub fn parse(text: &str) -> Option<RoleColor> {
        let hex = text.trim().strip_prefix('#').unwrap_or(text.trim());
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| {
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        };
        Some(RoleColor(byte(0)?, byte(2)?, byte(4)?))
    }
}

/// Presence of every known user, the session user's chosen status and role colours.
#[derive(Debug, Clone, Default)]
pub struct Presences {
    by_user: HashMap<UserId, PresenceStatus>,
    /// Per team, each member's role colour (where a role of theirs has one).
    role_colors: HashMap<TeamId, HashMap<UserId, RoleColor>>,
    /// What the session user last chose (None: never set from this client).
    pub mine: Option<OwnStatus>,
    /// Who is in each voice or stream channel.
    voice: HashMap<ChannelId, Vec<UserId>>,
}

impl Presences {
    /// A user's presence; None when nothing was said about them.
    pub fn get(&self, user: &UserId) -> Option<PresenceStatus> {
        self.by_user.get(user).copied()
    }

    /// Set a user's presence; reports whether it changed.
    pub fn set(&mut self, user: &UserId, status: PresenceStatus) -> bool {
        let room = self.by_user.len() < MAX_PRESENCE;
        match self.by_user.get_mut(user) {
            Some(old) if *old == status => false,
            Some(old) => {
                *old = status;
                true
            }
            None if room => {
                self.by_user.insert(user.clone(), status);
                true
            }
            None => false,
        }
    }

    /// A member's role colour in a team.
    pub fn role_color(&self, team: &TeamId, user: &UserId) -> Option<RoleColor> {
        self.role_colors.get(team)?.get(user).copied()
    }

    /// Replace a team's role colours (each team load carries them all).
    pub fn set_role_colors(&mut self, team: &TeamId, colors: HashMap<UserId, RoleColor>) {
        self.role_colors.insert(team.clone(), colors);
    }

    /// Who is in a voice or stream channel, in the order they came.
    pub fn in_voice(&self, channel: &ChannelId) -> &[UserId] {
        self.voice.get(channel).map_or(&[], Vec::as_slice)
    }

    /// `user` joined `channel` (and so left any other: one voice channel at a time).
    pub fn join_voice(&mut self, channel: &ChannelId, user: &UserId) {
        self.leave_voice(None, user);
        let list = self.voice.entry(channel.clone()).or_default();
        if list.len() < MAX_IN_VOICE {
            list.push(user.clone());
        }
    }

    /// `user` left `channel` (None: whichever they were in).
    pub fn leave_voice(&mut self, channel: Option<&ChannelId>, user: &UserId) {
        for (id, list) in &mut self.voice {
            if channel.is_none_or(|c| c == id) {
                list.retain(|u| u != user);
            }
        }
        self.voice.retain(|_, list| !list.is_empty());
    }

    /// Replace who is in `channel` (a channel list's `voiceParticipants`).
    pub fn set_voice(&mut self, channel: &ChannelId, users: Vec<UserId>) {
        let mut users = users;
        users.truncate(MAX_IN_VOICE);
        if users.is_empty() {
            self.voice.remove(channel);
        } else {
            self.voice.insert(channel.clone(), users);
        }
    }

    /// Forget a team's role colours (the team is gone).
    pub fn forget_team(&mut self, team: &TeamId) {
        self.role_colors.remove(team);
    }
}

/// The member pane: shown or not, and how far it is scrolled (rows from the top).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemberPane {
    pub shown: bool,
    pub scroll: usize,
}

/// One row of the member pane's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub id: UserId,
    /// Nickname or name (unsanitised: the UI sanitises).
    pub name: String,
    pub color: Option<RoleColor>,
    pub is_bot: bool,
}

/// The members of one presence group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberGroup {
    pub status: PresenceStatus,
    pub members: Vec<MemberRow>,
}

/// The group order of the pane.
const GROUP_ORDER: [PresenceStatus; 4] = [
    PresenceStatus::Online,
    PresenceStatus::Idle,
    PresenceStatus::DoNotDisturb,
    PresenceStatus::Offline,
];

impl App {
    /// The session user's presence as others see it: the chosen status, else what the server
    /// said, else online (we are connected).
    pub fn my_presence(&self) -> OwnStatus {
        self.presence.mine.unwrap_or_else(|| {
            self.presence
                .get(&self.me.id)
                .map_or(OwnStatus::Online, OwnStatus::from_presence)
        })
    }

    /// A user's presence as the pane shows it (unknown: offline; the session user: their
    /// status).
    pub fn presence_of(&self, user: &UserId) -> PresenceStatus {
        if *user == self.me.id && !user.is_empty() {
            return self.my_presence().presence();
        }
        self.presence.get(user).unwrap_or(PresenceStatus::Offline)
    }

    /// The title of the member pane: the team's name, or the DM's.
    pub fn member_pane_title(&self) -> Option<String> {
        let ch = self.current_channel()?;
        Some(match &ch.kind {
            ChannelKind::Team { team_id, .. } => {
                self.teams.iter().find(|t| &t.id == team_id)?.name.clone()
            }
            ChannelKind::Dm { .. } => ch.name.clone(),
        })
    }

    /// The members of the open channel's team (or the DM's participants and the session
    /// user), grouped online, idle, do not disturb, offline; each group by name. Empty
    /// groups are left out.
    pub fn member_groups(&self) -> Vec<MemberGroup> {
        let Some(ch) = self.current_channel() else {
            return Vec::new();
        };
        let mut rows: Vec<(PresenceStatus, MemberRow)> = match &ch.kind {
            ChannelKind::Team { team_id, .. } => {
                let Some(team) = self.teams.iter().find(|t| &t.id == team_id) else {
                    return Vec::new();
                };
                team.members
                    .values()
                    .map(|u| {
                        let color = self.presence.role_color(team_id, &u.id);
                        (self.presence_of(&u.id), row(u, color))
                    })
                    .collect()
            }
            ChannelKind::Dm { users } => users
                .iter()
                .filter(|id| **id != self.me.id)
                .map(|id| {
                    let u = self.users.get(id).cloned().unwrap_or_else(|| User {
                        id: id.clone(),
                        ..User::default()
                    });
                    (self.presence_of(id), row(&u, None))
                })
                .chain(std::iter::once((
                    self.presence_of(&self.me.id),
                    row(&self.me, None),
                )))
                .collect(),
        };
        rows.sort_by_cached_key(|(_, r)| (r.name.to_lowercase(), r.id.clone()));
        GROUP_ORDER
            .iter()
            .filter_map(|status| {
                let members: Vec<MemberRow> = rows
                    .iter()
                    .filter(|(s, _)| s == status)
                    .map(|(_, r)| r.clone())
                    .collect();
                (!members.is_empty()).then_some(MemberGroup {
                    status: *status,
                    members,
                })
            })
            .collect()
    }

    /// How many rows the member pane's list has (a heading per group, then its members).
    pub fn member_rows(&self) -> usize {
        self.member_groups()
            .iter()
            .map(|g| g.members.len() + 1)
            .sum()
    }
}

fn row(u: &User, color: Option<RoleColor>) -> MemberRow {
    MemberRow {
        id: u.id.clone(),
        name: u.display_name().to_owned(),
        color,
        is_bot: u.is_bot,
    }
}

/// The heading of a presence group.
pub fn group_label(status: PresenceStatus) -> &'static str {
    match status {
        PresenceStatus::Online => "Online",
        PresenceStatus::Idle => "Idle",
        PresenceStatus::DoNotDisturb => "Do not disturb",
        PresenceStatus::Offline => "Offline",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_colors_parse_only_rrggbb() {
        assert_eq!(RoleColor::parse("#ff8800"), Some(RoleColor(255, 136, 0)));
        assert_eq!(RoleColor::parse("0a0B0c"), Some(RoleColor(10, 11, 12)));
        for bad in ["", "#fff", "#gg0000", "#ff88001", "red", "#é12345"] {
            assert_eq!(RoleColor::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn presence_is_bounded_but_known_users_still_change() {
        let mut p = Presences::default();
        let u = UserId::from("u1");
        assert!(p.set(&u, PresenceStatus::Online));
        assert!(!p.set(&u, PresenceStatus::Online), "unchanged");
        assert!(p.set(&u, PresenceStatus::Idle));
        assert_eq!(p.get(&u), Some(PresenceStatus::Idle));
    }
}
