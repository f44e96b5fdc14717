//! The simulated members' comings and goings: now and then one changes status (chosen, or
//! drifting idle and offline and back), joins or leaves a voice channel, or posts in a forum,
//! doc or calendar channel, and
//! rarely one leaves a team and later comes back.

use super::{Planned, Simulator};
use crate::server::store::Store;

/// Statuses a member chooses by hand, and how they drift on their own.
const CHOSEN: [u8; 3] = [1, 2, 3];
const DRIFT: [u8; 3] = [1, 2, 4];

impl Simulator {
    /// Rolls 30..36: a status change; 24..26: into or out of voice; 26..29: a post or reply in a
    /// non-chat channel; roll 29: a member leaves the team (never its owner or
    /// the demo user), or one who left comes back.
    pub(super) fn presence_plan(
        &mut self,
        store: &Store,
        roll: usize,
        user: &str,
        channel: &str,
    ) -> Option<Planned> {
        match roll {
            30..33 => Some(Planned::Presence {
                user: user.to_owned(),
                status: *self.rng.pick(&CHOSEN)?,
                chosen: true,
            }),
            33..36 => Some(Planned::Presence {
                user: user.to_owned(),
                status: *self.rng.pick(&DRIFT)?,
                chosen: false,
            }),
            24..26 => {
                // In voice: leave it. Else: join a voice channel of this team.
                let in_voice = store.teams.iter().any(|t| {
                    t.voice
                        .values()
                        .any(|users| users.iter().any(|u| u == user))
                });
                if in_voice {
                    return Some(Planned::Voice {
                        user: user.to_owned(),
                        channel: None,
                    });
                }
                let team = store.channel(channel)?.team_id()?;
                let rooms: Vec<String> = store
                    .channels
                    .iter()
                    .filter(|c| c.team_id() == Some(team) && c.content_type == "voice")
                    .filter(|c| store.can_see(user, c))
                    .map(|c| c.id.clone())
                    .collect();
                Some(Planned::Voice {
                    user: user.to_owned(),
                    channel: Some(self.rng.pick(&rooms)?.clone()),
                })
            }
            26..29 => {
                // A post (or a reply) in a non-chat channel of this team.
                let team = store.channel(channel)?.team_id()?;
                let places: Vec<String> = store
                    .channels
                    .iter()
                    .filter(|c| c.team_id() == Some(team) && !c.is_messageable())
                    .filter(|c| c.thread.is_none() && store.can_see(user, c))
                    .map(|c| c.id.clone())
                    .collect();
                let place = self.rng.pick(&places)?.clone();
                let topic = self.pick(&self.phrases.clone());
                let title: String = topic
                    .split_whitespace()
                    .take(6)
                    .collect::<Vec<_>>()
                    .join(" ");
                Some(Planned::Content {
                    user: user.to_owned(),
                    channel: place,
                    title: if title.is_empty() {
                        "An idea".into()
                    } else {
                        title
                    },
                    reply: roll == 28,
                })
            }
            29 => {
                if let Some((team, who, nickname)) = self.left.pop() {
                    return Some(Planned::Join {
                        team,
                        user: who,
                        nickname,
                    });
                }
                let team = store.team(store.channel(channel)?.team_id()?)?;
                if user == team.owner_id || user == self.demo_user {
                    return None;
                }
                Some(Planned::Leave {
                    team: team.id.clone(),
                    user: user.to_owned(),
                })
            }
            _ => None,
        }
    }
}
