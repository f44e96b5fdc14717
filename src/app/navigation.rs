//! Teams, channels and DMs: the sidebar rows, channel order, unread/mention navigation and the
//! Ctrl-K fuzzy switcher.
//!
//! Pure: no IO. Sidebar order is Guilded's: channels without a category first,
//! then categories by priority (higher first), channels by priority (higher first), ties by
//! name; DMs most recently active first.

use std::collections::HashSet;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config as MatcherConfig, Matcher, Utf32Str};

use super::App;
use super::composer::Composer;
use super::model::{
    Category, Channel, ChannelId, ChannelKind, ContentType, MessageId, Team, TeamId, UserId,
};
use crate::sanitize::sanitize;

/// One row of the sidebar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SidebarEntry {
    /// A team (index into `App::teams`); the selected one is expanded below it.
    Team(usize),
    /// A category heading of the expanded team.
    Category { name: String },
    /// A channel of the expanded team.
    Channel(ChannelId),
    /// The "Direct messages" heading.
    DmHeader,
    /// A DM channel.
    Dm(ChannelId),
    /// Someone in the voice or stream channel above.
    Participant { channel: ChannelId, user: UserId },
}

impl SidebarEntry {
    /// Whether the cursor can rest on this row.
    pub fn selectable(&self) -> bool {
        !matches!(
            self,
            SidebarEntry::Category { .. }
                | SidebarEntry::DmHeader
                | SidebarEntry::Participant { .. }
        )
    }
}

/// The Ctrl-K switcher: a query and the matching channels, best first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Switcher {
    pub query: Composer,
    /// Matching channel ids, best first.
    pub results: Vec<ChannelId>,
    /// People without a DM yet whose name matches (only for a non-empty query), listed after
    /// the channels: choosing one opens a DM.
    pub people: Vec<UserId>,
    /// Index into `results`, then `people`.
    pub selected: usize,
}

impl Switcher {
    /// How many rows the switcher lists (channels, then people).
    pub fn len(&self) -> usize {
        self.results.len() + self.people.len()
    }

    /// Whether nothing matches.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// At most this many people are listed in the switcher.
const SWITCHER_PEOPLE: usize = 20;

/// Sort a team's channels into categories (see the module rule).
pub(crate) fn arrange_team(team: &mut Team, categories: Vec<Category>, channels: &[&Channel]) {
    let mut categories = categories;
    for c in &mut categories {
        c.channels.clear();
    }
    categories.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.name.cmp(&b.name)));
    let mut sorted: Vec<&&Channel> = channels.iter().collect();
    sorted.sort_by(|a, b| {
        let pa = channel_priority(a);
        let pb = channel_priority(b);
        pb.cmp(&pa).then(a.name.cmp(&b.name)).then(a.id.cmp(&b.id))
    });
    let mut uncategorized = Vec::new();
    for ch in sorted {
        let cat = match &ch.kind {
            ChannelKind::Team { category_id, .. } => *category_id,
            ChannelKind::Dm { .. } => continue,
        };
        match cat.and_then(|id| categories.iter_mut().find(|c| c.id == id)) {
            Some(c) => c.channels.push(ch.id.clone()),
            None => uncategorized.push(ch.id.clone()),
        }
    }
    team.categories = categories;
    team.uncategorized = uncategorized;
}

fn channel_priority(c: &Channel) -> i64 {
    match &c.kind {
        ChannelKind::Team { priority, .. } => *priority,
        ChannelKind::Dm { .. } => 0,
    }
}

impl App {
    /// The sidebar rows in order: every team, the selected team's categories and channels
    /// under it, then the DMs.
    pub fn sidebar_entries(&self) -> Vec<SidebarEntry> {
        let mut out = Vec::new();
        for (i, team) in self.teams.iter().enumerate() {
            out.push(SidebarEntry::Team(i));
            if self.selected_team.as_ref() != Some(&team.id) {
                continue;
            }
            for id in team
                .uncategorized
                .iter()
                .filter(|id| self.channels.contains_key(*id))
            {
                out.push(SidebarEntry::Channel(id.clone()));
                out.extend(self.participants_of(id));
                out.extend(self.threads_of(id).into_iter().map(SidebarEntry::Channel));
            }
            for cat in &team.categories {
                let visible: Vec<&ChannelId> = cat
                    .channels
                    .iter()
                    .filter(|id| self.channels.contains_key(*id))
                    .collect();
                if visible.is_empty() {
                    continue;
                }
                out.push(SidebarEntry::Category {
                    name: cat.name.clone(),
                });
                for id in visible {
                    out.push(SidebarEntry::Channel(id.clone()));
                    out.extend(self.participants_of(id));
                    out.extend(self.threads_of(id).into_iter().map(SidebarEntry::Channel));
                }
            }
        }
        if !self.dms.is_empty() {
            out.push(SidebarEntry::DmHeader);
            out.extend(self.dms.iter().map(|id| SidebarEntry::Dm(id.clone())));
        }
        out
    }

    /// The rows of the people in a voice or stream channel.
    fn participants_of(&self, channel: &ChannelId) -> Vec<SidebarEntry> {
        self.presence
            .in_voice(channel)
            .iter()
            .map(|user| SidebarEntry::Participant {
                channel: channel.clone(),
                user: user.clone(),
            })
            .collect()
    }

    /// The sidebar row of the open channel.
    pub(crate) fn sidebar_row_of_current(&self) -> usize {
        let entries = self.sidebar_entries();
        let cur = self.current.as_ref();
        entries
            .iter()
            .position(|e| match e {
                SidebarEntry::Channel(id) | SidebarEntry::Dm(id) => Some(id) == cur,
                _ => false,
            })
            .unwrap_or(0)
    }

    /// Chat channels of a team in sidebar order, each followed by its threads.
    pub(crate) fn team_chat_channels(&self, team_id: &TeamId) -> Vec<ChannelId> {
        let Some(team) = self.teams.iter().find(|t| &t.id == team_id) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for id in team.channel_ids() {
            if self.channels.get(id).is_some_and(Channel::is_chat) {
                out.push(id.clone());
            }
            out.extend(self.threads_of(id));
        }
        out
    }

    /// The threads started in a channel, by name.
    pub(crate) fn threads_of(&self, parent: &ChannelId) -> Vec<ChannelId> {
        let mut threads: Vec<&Channel> = self
            .threads
            .iter()
            .filter(|(_, t)| &t.parent == parent)
            .filter_map(|(id, _)| self.channels.get(id))
            .collect();
        threads.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        threads.into_iter().map(|c| c.id.clone()).collect()
    }

    /// People the user can write to but has no 1:1 DM with yet (team members and people seen
    /// in group DMs), best match first.
    fn people_matching(&self, pattern: &Pattern, matcher: &mut Matcher) -> Vec<UserId> {
        let with_dm: Vec<&UserId> = self
            .dms
            .iter()
            .filter_map(|d| match &self.channels.get(d)?.kind {
                ChannelKind::Dm { users } if users.len() == 1 => users.first(),
                _ => None,
            })
            .collect();
        let seen: HashSet<&UserId> = self
            .teams
            .iter()
            .flat_map(|t| t.members.keys())
            .chain(self.users.keys())
            .collect();
        let mut buf = Vec::new();
        let mut ranked: Vec<(u32, String, UserId)> = seen
            .into_iter()
            .filter(|id| **id != self.me.id && !id.is_empty() && !with_dm.contains(id))
            .filter_map(|id| {
                // Found by account name or team nickname alike.
                let (name, nickname) = self.person_names(id);
                let label = sanitize(&format!("{name} {}", nickname.unwrap_or_default()))
                    .trim_end()
                    .to_owned();
                let score = pattern.score(Utf32Str::new(&label, &mut buf), matcher)?;
                Some((score, label, id.clone()))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        ranked
            .into_iter()
            .take(SWITCHER_PEOPLE)
            .map(|r| r.2)
            .collect()
    }

    /// How a person is named for a DM: their account name (what the DM's title will say)
    /// and, when a team knows them by another name, that nickname.
    pub fn person_names(&self, user: &UserId) -> (String, Option<String>) {
        let member = self.teams.iter().find_map(|t| t.members.get(user));
        let name = self
            .users
            .get(user)
            .or(member)
            .map(|u| u.name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| user.to_string());
        let nickname = self
            .teams
            .iter()
            .filter_map(|t| t.members.get(user)?.nickname.clone())
            .find(|n| !n.is_empty() && *n != name);
        (name, nickname)
    }

    /// The thread started from this message, if any.
    pub fn thread_of_message(&self, message: &MessageId) -> Option<&Channel> {
        self.threads
            .iter()
            .find(|(_, t)| t.message.as_ref() == Some(message))
            .and_then(|(id, _)| self.channels.get(id))
    }

    /// Channels Alt-↑/↓ walk through: the expanded team's chat channels, then the DMs.
    pub(crate) fn visible_channel_order(&self) -> Vec<ChannelId> {
        let mut out = self
            .selected_team
            .as_ref()
            .map(|t| self.team_chat_channels(t))
            .unwrap_or_default();
        out.extend(self.dms.iter().cloned());
        out
    }

    /// Every chat channel in order: teams in order, then DMs (unread navigation).
    pub(crate) fn all_channel_order(&self) -> Vec<ChannelId> {
        let mut out: Vec<ChannelId> = self
            .teams
            .iter()
            .flat_map(|t| self.team_chat_channels(&t.id))
            .collect();
        out.extend(self.dms.iter().cloned());
        out
    }

    /// The channel `delta` steps from the open one in `order` (wrapping), skipping
    /// channels that do not satisfy `want`.
    pub(crate) fn step_channel(
        &self,
        order: &[ChannelId],
        delta: isize,
        want: impl Fn(&Channel) -> bool,
    ) -> Option<ChannelId> {
        if order.is_empty() {
            return None;
        }
        let n = order.len() as isize;
        let start = self
            .current
            .as_ref()
            .and_then(|c| order.iter().position(|x| x == c))
            .map_or(if delta > 0 { -1 } else { 0 }, |p| p as isize);
        for step in 1..=n {
            let i = (start + delta * step).rem_euclid(n) as usize;
            let id = order.get(i)?;
            if self.current.as_ref() != Some(id) && self.channels.get(id).is_some_and(&want) {
                return Some(id.clone());
            }
        }
        None
    }

    /// The first text channel of the first team that has one, else the first DM, else any
    /// channel with a chat (a voice channel's chat is a last resort: it is usually empty).
    pub(crate) fn default_channel(&self) -> Option<ChannelId> {
        self.teams
            .iter()
            .find_map(|t| self.team_text_channel(&t.id))
            .or_else(|| self.dms.first().cloned())
            .or_else(|| {
                self.teams
                    .iter()
                    .find_map(|t| self.team_chat_channels(&t.id).into_iter().next())
            })
    }

    /// A team's first `chat` channel in sidebar order (not a voice or stream channel's chat).
    pub(crate) fn team_text_channel(&self, team_id: &TeamId) -> Option<ChannelId> {
        self.team_chat_channels(team_id).into_iter().find(|id| {
            self.channels
                .get(id)
                .is_some_and(|c| c.content_type == ContentType::Chat)
        })
    }

    /// Move a DM to the top of the DM list (new activity).
    pub(crate) fn bump_dm(&mut self, channel: &ChannelId) {
        if let Some(p) = self.dms.iter().position(|d| d == channel) {
            let id = self.dms.remove(p);
            self.dms.insert(0, id);
        }
    }

    /// Everything the switcher can jump to: each team's channels in sidebar order, chat or
    /// not (a forum, doc or list opens its activity view), threads after their parent, then
    /// the DMs.
    fn jump_targets(&self) -> Vec<ChannelId> {
        let mut out = Vec::new();
        for team in &self.teams {
            for id in team.channel_ids() {
                if self.channels.contains_key(id) {
                    out.push(id.clone());
                }
                out.extend(self.threads_of(id));
            }
        }
        out.extend(self.dms.iter().cloned());
        out
    }

    /// Re-rank the switcher results for its query: fuzzy score first; with an empty query,
    /// unread channels, then recently opened ones, then sidebar order.
    pub(crate) fn refresh_switcher(&self, switcher: &mut Switcher) {
        let all = self.jump_targets();
        // The open channel ranks last: the switcher is for going somewhere else, and Ctrl-K
        // Enter then returns to the previous channel.
        let recent_rank = |id: &ChannelId| {
            if self.current.as_ref() == Some(id) {
                return usize::MAX;
            }
            self.recent
                .iter()
                .rev()
                .position(|r| r == id)
                .unwrap_or(usize::MAX - 1)
        };
        let query = switcher.query.text().trim();
        let mut ranked: Vec<(u32, bool, usize, usize, ChannelId)> = Vec::new();
        let pattern = Pattern::new(
            query,
            CaseMatching::Smart,
            Normalization::Smart,
            AtomKind::Fuzzy,
        );
        let mut matcher = Matcher::new(MatcherConfig::DEFAULT);
        let mut buf = Vec::new();
        for (order, id) in all.iter().enumerate() {
            let Some(ch) = self.channels.get(id) else {
                continue;
            };
            let label = self.switcher_label(ch);
            let score = if query.is_empty() {
                0
            } else {
                match pattern.score(Utf32Str::new(&label, &mut buf), &mut matcher) {
                    Some(s) => s,
                    None => continue,
                }
            };
            let unread = ch.unread > 0 || ch.mentions > 0;
            ranked.push((score, unread, recent_rank(id), order, id.clone()));
        }
        ranked.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
        });
        switcher.results = ranked.into_iter().map(|r| r.4).collect();
        switcher.people = if query.is_empty() {
            Vec::new()
        } else {
            self.people_matching(&pattern, &mut matcher)
        };
        switcher.selected = switcher.selected.min(switcher.len().saturating_sub(1));
    }

    /// How a channel is named in the switcher: "team › channel" or "@ dm name" (each name
    /// sanitised before it is joined).
    pub fn switcher_label(&self, ch: &Channel) -> String {
        match &ch.kind {
            ChannelKind::Team { team_id, .. } => {
                let team = self
                    .teams
                    .iter()
                    .find(|t| &t.id == team_id)
                    .map_or("", |t| t.name.as_str());
                format!("{} › {}", sanitize(team), sanitize(&ch.name))
            }
            ChannelKind::Dm { .. } => format!("@ {}", sanitize(&ch.name)),
        }
    }

    /// Recently opened list update.
    pub(crate) fn note_recent(&mut self, channel: &ChannelId) {
        self.recent.retain(|r| r != channel);
        self.recent.push_back(channel.clone());
        while self.recent.len() > 64 {
            self.recent.pop_front();
        }
    }

    /// Remember the last channel of a team.
    pub(crate) fn note_team_last(&mut self, team: &TeamId, channel: &ChannelId) {
        self.team_last.insert(team.clone(), channel.clone());
    }

    /// Last opened channel of a team, if still there.
    pub(crate) fn team_last_channel(&self, team: &TeamId) -> Option<ChannelId> {
        self.team_last
            .get(team)
            .filter(|c| self.channels.contains_key(*c))
            .cloned()
    }
}
